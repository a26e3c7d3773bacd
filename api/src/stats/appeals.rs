//! The appeals part of the overview: a few GROUP BY and MIN queries over the caller's
//! appeals (`within_reach!`), none of which reads appeals one by one.

use baqylau_wire::appeals::{Channel, Status};
use baqylau_wire::receptions::StatusCount;
use baqylau_wire::stats::{AppealsOverview, CategoryCount, ChannelCount, OverdueAppeal};
use chrono::NaiveDate;
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::Period;
use crate::auth::Caller;
use crate::db::schema::appeals;
use crate::db::{compat, enum_column, DbConn, MultiBackend};
use crate::domain::appeal as rules;
use crate::error::ApiResult;

type Base = appeals::BoxedQuery<'static, MultiBackend>;

/// Confines a boxed query over `appeals` (grouped or not: diesel groups before boxing) to
/// the caller's live appeals, scoped as every appeals list is.
macro_rules! live {
    ($query:expr, $caller:expr) => {
        crate::within_reach!(
            $query.filter(appeals::deleted_at.is_null()),
            appeals::territory_path,
            appeals::deputy_id,
            $caller
        )
    };
}

fn base(caller: &Caller) -> Base {
    live!(appeals::table.into_boxed(), caller)
}

/// Appeals grouped by `$column`, counted, within the caller's reach and received in the
/// period.
macro_rules! received_by {
    ($column:expr, $caller:expr, $period:expr) => {
        live!(
            appeals::table
                .group_by($column)
                .select(($column, count_star()))
                .into_boxed(),
            $caller
        )
        .filter(appeals::received_at.ge($period.start))
        .filter(appeals::received_at.lt($period.end))
    };
}

/// Open and past the deadline in force on `today`.
fn overdue(caller: &Caller, today: NaiveDate) -> Base {
    base(caller).filter(rules::is_overdue_sql(today))
}

/// The median of a histogram of whole days (`(days, count)` groups).
pub fn median(mut groups: Vec<(i64, i64)>) -> Option<f64> {
    groups.sort_unstable();
    let total: i64 = groups.iter().map(|g| g.1).sum();
    if total == 0 {
        return None;
    }
    // The values at 0-based ranks (total-1)/2 and total/2; equal when total is odd.
    let value_at = |rank: i64| {
        let mut seen = 0;
        for (days, n) in &groups {
            seen += n;
            if rank < seen {
                return *days;
            }
        }
        groups.last().map_or(0, |g| g.0)
    };
    let (lo, hi) = (value_at((total - 1) / 2), value_at(total / 2));
    Some((lo + hi) as f64 / 2.0)
}

pub fn overview(
    conn: &mut DbConn,
    caller: &Caller,
    period: &Period,
    today: NaiveDate,
) -> ApiResult<AppealsOverview> {
    let statuses: Vec<(String, i64)> = received_by!(appeals::status, caller, period).load(conn)?;
    let mut by_status = statuses
        .into_iter()
        .map(|(s, count)| {
            Ok(StatusCount {
                status: enum_column::<Status>("appeals", "status", &s)?,
                count,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    by_status.sort_by_key(|c| c.status);
    let received_total = by_status.iter().map(|c| c.count).sum();

    let mut by_category: Vec<CategoryCount> = received_by!(appeals::category_code, caller, period)
        .load::<(String, i64)>(conn)?
        .into_iter()
        .map(|(category_code, count)| CategoryCount {
            category_code,
            count,
        })
        .collect();
    by_category.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.category_code.cmp(&b.category_code))
    });

    let mut by_channel = received_by!(appeals::channel, caller, period)
        .load::<(String, i64)>(conn)?
        .into_iter()
        .map(|(c, count)| {
            Ok(ChannelCount {
                channel: enum_column::<Channel>("appeals", "channel", &c)?,
                count,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    by_channel.sort_by(|a, b| b.count.cmp(&a.count).then(a.channel.cmp(&b.channel)));

    let overdue_count: i64 = overdue(caller, today).count().get_result(conn)?;
    let due_in_force = rules::deadline_in_force_sql;
    let oldest: Option<(i64, String, String, String, NaiveDate)> = overdue(caller, today)
        .order((due_in_force().asc(), appeals::id.asc()))
        .select((
            appeals::id,
            appeals::reg_number,
            appeals::subject,
            appeals::status,
            due_in_force(),
        ))
        .first(conn)
        .optional()?;
    let oldest_overdue = oldest
        .map(|(id, reg_number, subject, status, due_on)| {
            Ok::<_, crate::error::ApiError>(OverdueAppeal {
                id,
                reg_number,
                subject,
                status: enum_column::<Status>("appeals", "status", &status)?,
                due_on,
                days_overdue: (today - due_on).num_days(),
            })
        })
        .transpose()?;

    // Durations grouped by whole days: at most a few hundred groups whatever the count.
    let days_sql = compat::whole_days_sql(conn, "appeals.received_at", "appeals.resolved_at");
    let days = || sql::<BigInt>(&days_sql);
    let durations: Vec<(i64, i64)> = live!(
        appeals::table
            .group_by(days())
            .select((days(), count_star()))
            .into_boxed(),
        caller
    )
    .filter(appeals::resolved_at.ge(period.start))
    .filter(appeals::resolved_at.lt(period.end))
    .load(conn)?;
    let resolved = durations.iter().map(|d| d.1).sum();
    Ok(AppealsOverview {
        received: received_total,
        by_status,
        by_category,
        by_channel,
        overdue: overdue_count,
        oldest_overdue,
        resolved,
        median_days_to_resolution: median(durations),
    })
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn median_of_a_histogram() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![(5, 1)]), Some(5.0));
        // 1, 1, 3, 10 → (1 + 3) / 2
        assert_eq!(median(vec![(10, 1), (1, 2), (3, 1)]), Some(2.0));
        // 2, 2, 2, 9, 9 → 2
        assert_eq!(median(vec![(9, 2), (2, 3)]), Some(2.0));
    }
}
