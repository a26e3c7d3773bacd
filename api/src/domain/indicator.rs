//! The road-map indicator's rules: when it counts as done, and when as overdue.

use baqylau_wire::roadmaps::IndicatorStatus;
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::SelectableExpression;

use super::{spellings, Predicate};
use crate::db::schema::indicators;

/// Finished either way: done, or cancelled (no longer planned).
pub fn is_settled(status: IndicatorStatus) -> bool {
    matches!(status, IndicatorStatus::Done | IndicatorStatus::Cancelled)
}

/// Not done (nor cancelled) and past its day (DECISIONS.md 8: derived, never stored).
pub fn is_overdue(status: IndicatorStatus, due_on: NaiveDate, today: NaiveDate) -> bool {
    !is_settled(status) && due_on < today
}

/// Whether progress may be reported as of `on` when it is `today` in Kazakhstan: the
/// date says when the work was done, so a later day is a promise, not a report.
pub fn reportable_on(on: NaiveDate, today: NaiveDate) -> bool {
    on <= today
}

/// [`is_overdue`] in SQL.
pub fn is_overdue_sql<QS: 'static>(today: NaiveDate) -> Predicate<QS>
where
    indicators::status: SelectableExpression<QS>,
    indicators::due_on: SelectableExpression<QS>,
{
    let unsettled = spellings(
        IndicatorStatus::ALL,
        |s| !is_settled(s),
        IndicatorStatus::as_str,
    );
    Box::new(
        indicators::status
            .eq_any(unsettled)
            .and(indicators::due_on.lt(today)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn done_and_cancelled_are_never_overdue() {
        let due = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let later = due.succ_opt().unwrap();
        assert!(is_overdue(IndicatorStatus::NotDone, due, later));
        assert!(!is_overdue(IndicatorStatus::Done, due, later));
        assert!(!is_overdue(IndicatorStatus::Cancelled, due, later));
        assert!(!is_overdue(IndicatorStatus::Planned, due, due));
    }

    #[test]
    fn progress_is_reported_up_to_today() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert!(reportable_on(today.pred_opt().unwrap(), today));
        assert!(reportable_on(today, today));
        assert!(!reportable_on(today.succ_opt().unwrap(), today));
    }
}
