//! The measured work of every deputy in a month: a few aggregate queries grouped by
//! deputy, whatever the number of deputies or appeals (no query per deputy). Each
//! counts the rows a rule of `domain` holds for, through the rule's SQL form.

use std::collections::HashMap;

use baqylau_wire::roadmaps::IndicatorStatus;
use chrono::NaiveDate;
use diesel::dsl::{count, count_star, sum};
use diesel::prelude::*;

use super::formula::Measures;
use super::period::Period;
use crate::db::schema::{appeals, feedback_links, indicators, reception_participants, receptions};
use crate::db::DbConn;
use crate::domain::{appeal, indicator, reception};
use crate::error::ApiResult;

/// A boxed query over `$table` grouped by its deputy, selecting `$select`, limited to
/// rows with a deputy (to `$one` when given).
macro_rules! per_deputy {
    ($source:expr, $deputy:expr, $select:expr, $one:expr) => {{
        let q = $source
            .group_by($deputy)
            .select(($deputy, $select))
            .into_boxed()
            .filter($deputy.is_not_null());
        match $one {
            Some(d) => q.filter($deputy.eq(d)),
            None => q,
        }
    }};
}

/// Adds per-deputy counts to the measures.
fn tally(
    out: &mut HashMap<i64, Measures>,
    rows: Vec<(Option<i64>, i64)>,
    set: fn(&mut Measures, i64),
) {
    for (deputy, n) in rows {
        if let Some(d) = deputy {
            set(out.entry(d).or_default(), n);
        }
    }
}

/// Every deputy's measures in `period` (or one deputy's), with `today` deciding which
/// deadlines have passed in a month that still runs.
pub fn measure(
    conn: &mut DbConn,
    period: Period,
    today: NaiveDate,
    one: Option<i64>,
) -> ApiResult<HashMap<i64, Measures>> {
    let (from, to) = period.instants();
    let (first, next) = (period.first, period.next);
    let mut out: HashMap<i64, Measures> = HashMap::new();

    // Range scans rather than one pass over every appeal: closed in the month
    // (`appeals_resolved_idx`), and deadline in force in the month (`appeals_due_idx` or
    // `appeals_extended_due_idx`, whichever holds the deadline in force).
    let on_time = per_deputy!(appeals::table, appeals::deputy_id, count_star(), one)
        .filter(appeals::deleted_at.is_null())
        .filter(appeals::resolved_at.ge(from))
        .filter(appeals::resolved_at.lt(to))
        .filter(appeal::resolved_by_deadline_sql(conn))
        .load(conn)?;
    tally(&mut out, on_time, |m, n| m.appeals_on_time = n);
    let missed = per_deputy!(appeals::table, appeals::deputy_id, count_star(), one)
        .filter(appeals::deleted_at.is_null())
        .filter(appeal::deadline_within_sql(first, next))
        .filter(appeal::missed_deadline_sql(conn, today))
        .load(conn)?;
    tally(&mut out, missed, |m, n| m.appeals_overdue = n);

    let attended = per_deputy!(
        reception_participants::table.inner_join(receptions::table),
        reception_participants::deputy_id,
        count(receptions::id).aggregate_distinct(),
        one
    )
    .filter(receptions::deleted_at.is_null())
    .filter(reception::was_held_sql())
    .filter(receptions::planned_start.ge(from))
    .filter(receptions::planned_start.lt(to))
    .load(conn)?;
    tally(&mut out, attended, |m, n| m.receptions_attended = n);

    let due_in_month = || {
        per_deputy!(indicators::table, indicators::deputy_id, count_star(), one)
            .filter(indicators::deleted_at.is_null())
            .filter(indicators::due_on.ge(first))
            .filter(indicators::due_on.lt(next))
    };
    let done = due_in_month()
        .filter(indicators::status.eq(IndicatorStatus::Done.as_str()))
        .load(conn)?;
    tally(&mut out, done, |m, n| m.indicators_done = n);
    let overdue = due_in_month()
        .filter(indicator::is_overdue_sql(today))
        .load(conn)?;
    tally(&mut out, overdue, |m, n| m.indicators_overdue = n);

    let rated: Vec<(Option<i64>, (Option<i64>, i64))> = per_deputy!(
        feedback_links::table,
        feedback_links::deputy_id,
        (sum(feedback_links::score), count_star()),
        one
    )
    .filter(feedback_links::score.is_not_null())
    .filter(feedback_links::submitted_at.ge(from))
    .filter(feedback_links::submitted_at.lt(to))
    .load(conn)?;
    for (deputy, (total, n)) in rated {
        if let Some(d) = deputy {
            let m = out.entry(d).or_default();
            m.satisfaction_sum = total.unwrap_or(0);
            m.satisfaction_count = n;
        }
    }
    Ok(out)
}
