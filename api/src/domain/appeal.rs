//! The appeal's lifecycle and clock, with no I/O.
//!
//! Legal basis (Administrative Procedural and Process Code of the Republic of Kazakhstan,
//! АППК / ӘРПК, Code No. 350-VI of 29.06.2020):
//! * art. 63 p. 2 — an appeal received on a non-working day is registered on the next
//!   working day; anonymous appeals are not considered, except those reporting a threat
//!   to state or public security or an offence;
//! * art. 76 p. 1 — the term is 15 working days from receipt;
//! * art. 76 p. 2 — it may be extended by a reasoned decision up to at most 2 months;
//! * art. 76 (forwarding) — an appeal outside one's competence is forwarded within 3
//!   working days.
//!
//! A party reception is not an administrative body; the branch mirrors these terms as
//! its own service levels (see `../shared/data/deadlines.md`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{not, sql};
use diesel::prelude::*;
use diesel::sql_types::Date;
use diesel::SelectableExpression;

use super::calendar::{
    add_months_clamped, WorkingCalendar, CONSIDERATION_WORKING_DAYS, EXTENSION_MAX_MONTHS,
};
use super::{coalesce, spellings, Predicate};
use crate::db::schema::appeals;
use crate::db::{compat, DbConn};

/// The appeal's vocabulary is the wire's: declared once, shared with the dashboard, and
/// checked against the migrations' CHECK lists by `tests/api/schema.rs`.
pub use baqylau_wire::appeals::{Channel, Language, Status};

/// The lifecycle graph: a rule of this server, so it lives here rather than in the wire
/// types the dashboard shares (the dashboard follows `allowed_transitions`).
pub trait Lifecycle: Sized + 'static {
    /// The statuses an appeal in this one may move to.
    fn next(self) -> &'static [Self];
    fn can_move_to(self, to: Self) -> bool;
    /// Outcomes that need a written answer.
    fn needs_resolution(self) -> bool;
}

impl Lifecycle for Status {
    /// Outcomes (resolved, explained, rejected, forwarded) close the appeal; `reopened`
    /// takes a closed appeal back into work.
    fn next(self) -> &'static [Status] {
        use Status::*;
        match self {
            Registered => &[UnderControl, Forwarded, Rejected],
            UnderControl => &[Assigned, Forwarded, Rejected],
            Assigned => &[InProgress, Forwarded],
            InProgress => &[Resolved, Explained, Rejected, Forwarded, Assigned],
            Resolved | Explained | Rejected | Forwarded => &[Reopened],
            Reopened => &[InProgress, Assigned],
        }
    }

    fn can_move_to(self, to: Status) -> bool {
        self.next().contains(&to)
    }

    fn needs_resolution(self) -> bool {
        matches!(
            self,
            Status::Resolved | Status::Explained | Status::Rejected
        )
    }
}

/// The spellings of the closed statuses, for SQL filters.
pub fn closed_statuses() -> Vec<&'static str> {
    spellings(Status::ALL, Status::is_closed, Status::as_str)
}

/// The day in Kazakhstan of a stored (naive UTC) time: the one rule in `wire::time`,
/// shared with the dashboard.
pub fn local_date(utc: NaiveDateTime) -> NaiveDate {
    baqylau_wire::time::local_date(utc.and_utc())
}

/// Registration day and deadline of an appeal received at `received_at` (UTC).
pub fn deadlines(calendar: &WorkingCalendar, received_at: NaiveDateTime) -> (NaiveDate, NaiveDate) {
    let received = local_date(received_at);
    (
        calendar.registration_day(received),
        calendar.add_working_days(received, CONSIDERATION_WORKING_DAYS),
    )
}

/// The latest date an extension may set: 2 months from receipt (APPK art. 76 p. 2 —
/// "не более чем до двух месяцев": up to two months in all, not two more).
pub fn extension_limit(received_at: NaiveDateTime) -> NaiveDate {
    add_months_clamped(local_date(received_at), EXTENSION_MAX_MONTHS)
}

/// The deadline in force: the extended one when there is one.
pub fn deadline_in_force(due_on: NaiveDate, extended_due_on: Option<NaiveDate>) -> NaiveDate {
    extended_due_on.unwrap_or(due_on)
}

/// [`deadline_in_force`] in SQL.
pub fn deadline_in_force_sql() -> coalesce<Date, appeals::extended_due_on, appeals::due_on> {
    coalesce(appeals::extended_due_on, appeals::due_on)
}

/// Derived, never stored: open and past the deadline in force.
pub fn is_overdue(
    status: Status,
    due_on: NaiveDate,
    extended_due_on: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    !status.is_closed() && today > deadline_in_force(due_on, extended_due_on)
}

/// [`is_overdue`] in SQL.
pub fn is_overdue_sql<QS: 'static>(today: NaiveDate) -> Predicate<QS>
where
    appeals::status: SelectableExpression<QS>,
    appeals::due_on: SelectableExpression<QS>,
    appeals::extended_due_on: SelectableExpression<QS>,
{
    Box::new(
        appeals::status
            .ne_all(closed_statuses())
            .and(deadline_in_force_sql().lt(today)),
    )
}

/// Whether the deadline in force falls on a day in `[first, next)`.
pub fn deadline_within(
    due_on: NaiveDate,
    extended_due_on: Option<NaiveDate>,
    first: NaiveDate,
    next: NaiveDate,
) -> bool {
    (first..next).contains(&deadline_in_force(due_on, extended_due_on))
}

/// [`deadline_within`] in SQL, written as two ranges rather than over `COALESCE` so that
/// each can scan its index (`appeals_due_idx`, `appeals_extended_due_idx`).
pub fn deadline_within_sql<QS: 'static>(first: NaiveDate, next: NaiveDate) -> Predicate<QS>
where
    appeals::due_on: SelectableExpression<QS>,
    appeals::extended_due_on: SelectableExpression<QS>,
{
    let unextended = appeals::extended_due_on
        .is_null()
        .and(appeals::due_on.ge(first))
        .and(appeals::due_on.lt(next));
    let extended = coalesce(
        appeals::extended_due_on
            .ge(first)
            .and(appeals::extended_due_on.lt(next)),
        false,
    );
    Box::new(unextended.or(extended))
}

/// Closed by the deadline in force: resolved on (in Kazakhstan) or before it.
pub fn resolved_by_deadline(
    resolved_at: Option<NaiveDateTime>,
    due_on: NaiveDate,
    extended_due_on: Option<NaiveDate>,
) -> bool {
    resolved_at.is_some_and(|r| local_date(r) <= deadline_in_force(due_on, extended_due_on))
}

/// [`resolved_by_deadline`] in SQL. The day in Kazakhstan of a stored time is spelled
/// differently by each backend, hence the connection.
pub fn resolved_by_deadline_sql<QS: 'static>(conn: &DbConn) -> Predicate<QS>
where
    appeals::resolved_at: SelectableExpression<QS>,
    appeals::due_on: SelectableExpression<QS>,
    appeals::extended_due_on: SelectableExpression<QS>,
{
    // NULL when `resolved_at` is; `FALSE AND NULL` is FALSE, so the rule never is.
    let resolved_on = sql::<Date>(&compat::local_date_sql(conn, "appeals.resolved_at"));
    Box::new(
        appeals::resolved_at
            .is_not_null()
            .and(deadline_in_force_sql().ge(resolved_on)),
    )
}

/// Missed: the deadline in force has passed by `today` and the appeal was not resolved
/// by it (late, or not at all) — what counts against a deputy, whatever the status now.
pub fn missed_deadline(
    resolved_at: Option<NaiveDateTime>,
    due_on: NaiveDate,
    extended_due_on: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    deadline_in_force(due_on, extended_due_on) < today
        && !resolved_by_deadline(resolved_at, due_on, extended_due_on)
}

/// [`missed_deadline`] in SQL.
pub fn missed_deadline_sql<QS: 'static>(conn: &DbConn, today: NaiveDate) -> Predicate<QS>
where
    appeals::resolved_at: SelectableExpression<QS>,
    appeals::due_on: SelectableExpression<QS>,
    appeals::extended_due_on: SelectableExpression<QS>,
{
    Box::new(
        deadline_in_force_sql()
            .lt(today)
            .and(not(resolved_by_deadline_sql::<QS>(conn))),
    )
}

/// The registration number, e.g. `ZHA-2026-000123`.
pub fn reg_number(region_code: &str, year: i32, seq: i64) -> String {
    format!("{region_code}-{year}-{seq:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_status_is_reachable_and_closed_ones_only_reopen() {
        for s in Status::ALL {
            if s != Status::Registered {
                assert!(
                    Status::ALL.iter().any(|from| from.can_move_to(s)),
                    "{s:?} unreachable"
                );
            }
            if s.is_closed() {
                assert_eq!(s.next(), &[Status::Reopened]);
            }
        }
        assert!(!Status::Registered.can_move_to(Status::Resolved));
        assert!(Status::Reopened.can_move_to(Status::InProgress));
    }

    #[test]
    fn local_dates_follow_almaty() {
        let late_utc = d(2026, 3, 19).and_hms_opt(20, 30, 0).unwrap();
        assert_eq!(
            local_date(late_utc),
            d(2026, 3, 20),
            "20:30 UTC is 01:30 next day in Almaty"
        );
    }

    #[test]
    fn local_date_does_not_panic_at_chronos_edge() {
        assert_eq!(local_date(NaiveDateTime::MAX), NaiveDateTime::MAX.date());
    }

    #[test]
    fn deadline_counts_around_nauryz_2026() {
        let cal = WorkingCalendar::embedded().unwrap();
        let received = d(2026, 3, 20).and_hms_opt(5, 0, 0).unwrap();
        let (registered, due) = deadlines(&cal, received);
        assert_eq!(registered, d(2026, 3, 20));
        assert_eq!(due, d(2026, 4, 15));
        let saturday = d(2026, 3, 21).and_hms_opt(5, 0, 0).unwrap();
        assert_eq!(deadlines(&cal, saturday).0, d(2026, 3, 26));
    }

    #[test]
    fn overdue_is_open_and_past_the_deadline_in_force() {
        let due = d(2026, 4, 15);
        assert!(!is_overdue(Status::InProgress, due, None, due));
        assert!(is_overdue(Status::InProgress, due, None, d(2026, 4, 16)));
        assert!(!is_overdue(
            Status::InProgress,
            due,
            Some(d(2026, 5, 20)),
            d(2026, 4, 16)
        ));
        assert!(!is_overdue(Status::Resolved, due, None, d(2026, 6, 1)));
    }

    #[test]
    fn extension_limit_is_two_months_from_receipt() {
        let received = d(2026, 12, 31).and_hms_opt(4, 0, 0).unwrap();
        assert_eq!(extension_limit(received), d(2027, 2, 28));
    }

    #[test]
    fn registration_numbers() {
        assert_eq!(reg_number("ZHA", 2026, 123), "ZHA-2026-000123");
    }
}
