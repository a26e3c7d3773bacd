//! The measured work of every deputy in a month: five aggregate queries grouped by
//! deputy, whatever the number of deputies or appeals (no query per deputy).

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Timestamp};

use super::formula::Measures;
use super::period::Period;
use crate::db::{compat, DbConn};
use crate::error::ApiResult;

#[derive(QueryableByName)]
struct Two {
    #[diesel(sql_type = BigInt)]
    deputy_id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    a: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    b: Option<i64>,
}

/// `AND <column> = $n` for one deputy, with its parameter number.
fn only(column: &str, n: usize, deputy: Option<i64>) -> String {
    match deputy {
        Some(_) => format!(" AND {column} = ${n}"),
        None => String::new(),
    }
}

fn run(
    conn: &mut DbConn,
    sql: String,
    bind: impl FnOnce(
        String,
    ) -> diesel::query_builder::BoxedSqlQuery<
        'static,
        crate::db::MultiBackend,
        diesel::query_builder::SqlQuery,
    >,
) -> QueryResult<Vec<Two>> {
    let sql = compat::numbered_placeholders(conn, &sql);
    bind(sql).load(conn)
}

/// Every deputy's measures in `period` (or one deputy's), with `today` deciding which
/// deadlines have passed in a month that still runs.
pub fn measure(
    conn: &mut DbConn,
    period: Period,
    today: NaiveDate,
    deputy: Option<i64>,
) -> ApiResult<HashMap<i64, Measures>> {
    let (from, to) = period.instants();
    let (first, next) = (period.first, period.next);
    let mut out: HashMap<i64, Measures> = HashMap::new();

    // Two range scans rather than one pass over every appeal: closed in the month
    // (`appeals_resolved_idx`), and deadline in force in the month (`appeals_due_idx` or
    // `appeals_extended_due_idx`, whichever holds the deadline in force).
    let resolved_on = compat::local_date_sql(conn, "a.resolved_at");
    let due = "COALESCE(a.extended_due_on, a.due_on)";
    let sql = format!(
        "SELECT a.deputy_id AS deputy_id, \
         CAST(SUM(CASE WHEN {resolved_on} <= {due} THEN 1 ELSE 0 END) AS BIGINT) AS a, CAST(NULL AS BIGINT) AS b \
         FROM appeals a WHERE a.resolved_at >= $1 AND a.resolved_at < $2 \
         AND a.deleted_at IS NULL AND a.deputy_id IS NOT NULL{} GROUP BY a.deputy_id",
        only("a.deputy_id", 3, deputy)
    );
    for r in run(conn, sql, |sql| {
        let q = diesel::sql_query(sql)
            .into_boxed()
            .bind::<Timestamp, _>(from)
            .bind::<Timestamp, _>(to);
        match deputy {
            Some(d) => q.bind::<BigInt, _>(d),
            None => q,
        }
    })? {
        out.entry(r.deputy_id).or_default().appeals_on_time = r.a.unwrap_or(0);
    }
    let sql = format!(
        "SELECT a.deputy_id AS deputy_id, \
         CAST(SUM(CASE WHEN {due} < $3 AND (a.resolved_at IS NULL OR {resolved_on} > {due}) THEN 1 ELSE 0 END) AS BIGINT) AS a, \
         CAST(NULL AS BIGINT) AS b \
         FROM appeals a WHERE ((a.extended_due_on IS NULL AND a.due_on >= $1 AND a.due_on < $2) \
              OR (a.extended_due_on >= $1 AND a.extended_due_on < $2)) \
         AND a.deleted_at IS NULL AND a.deputy_id IS NOT NULL{} GROUP BY a.deputy_id",
        only("a.deputy_id", 4, deputy)
    );
    for r in run(conn, sql, |sql| {
        let q = diesel::sql_query(sql)
            .into_boxed()
            .bind::<Date, _>(first)
            .bind::<Date, _>(next)
            .bind::<Date, _>(today);
        match deputy {
            Some(d) => q.bind::<BigInt, _>(d),
            None => q,
        }
    })? {
        out.entry(r.deputy_id).or_default().appeals_overdue = r.a.unwrap_or(0);
    }

    let sql = format!(
        "SELECT p.deputy_id AS deputy_id, CAST(COUNT(DISTINCT r.id) AS BIGINT) AS a, CAST(NULL AS BIGINT) AS b \
         FROM reception_participants p JOIN receptions r ON r.id = p.reception_id \
         WHERE r.deleted_at IS NULL AND r.status = 'held' AND p.deputy_id IS NOT NULL \
         AND r.planned_start >= $1 AND r.planned_start < $2{} GROUP BY p.deputy_id",
        only("p.deputy_id", 3, deputy)
    );
    for r in run(conn, sql, |sql| {
        let q = diesel::sql_query(sql)
            .into_boxed()
            .bind::<Timestamp, _>(from)
            .bind::<Timestamp, _>(to);
        match deputy {
            Some(d) => q.bind::<BigInt, _>(d),
            None => q,
        }
    })? {
        out.entry(r.deputy_id).or_default().receptions_attended = r.a.unwrap_or(0);
    }

    let sql = format!(
        "SELECT i.deputy_id AS deputy_id, \
         CAST(SUM(CASE WHEN i.status = 'done' THEN 1 ELSE 0 END) AS BIGINT) AS a, \
         CAST(SUM(CASE WHEN i.status NOT IN ('done', 'cancelled') AND i.due_on < $3 THEN 1 ELSE 0 END) AS BIGINT) AS b \
         FROM indicators i WHERE i.deleted_at IS NULL AND i.deputy_id IS NOT NULL \
         AND i.due_on >= $1 AND i.due_on < $2{} GROUP BY i.deputy_id",
        only("i.deputy_id", 4, deputy)
    );
    for r in run(conn, sql, |sql| {
        let q = diesel::sql_query(sql)
            .into_boxed()
            .bind::<Date, _>(first)
            .bind::<Date, _>(next)
            .bind::<Date, _>(today);
        match deputy {
            Some(d) => q.bind::<BigInt, _>(d),
            None => q,
        }
    })? {
        let m = out.entry(r.deputy_id).or_default();
        m.indicators_done = r.a.unwrap_or(0);
        m.indicators_overdue = r.b.unwrap_or(0);
    }

    let sql = format!(
        "SELECT f.deputy_id AS deputy_id, CAST(SUM(f.score) AS BIGINT) AS a, CAST(COUNT(*) AS BIGINT) AS b \
         FROM feedback_links f WHERE f.deputy_id IS NOT NULL AND f.score IS NOT NULL \
         AND f.submitted_at >= $1 AND f.submitted_at < $2{} GROUP BY f.deputy_id",
        only("f.deputy_id", 3, deputy)
    );
    for r in run(conn, sql, |sql| {
        let q = diesel::sql_query(sql)
            .into_boxed()
            .bind::<Timestamp, _>(from)
            .bind::<Timestamp, _>(to);
        match deputy {
            Some(d) => q.bind::<BigInt, _>(d),
            None => q,
        }
    })? {
        let m = out.entry(r.deputy_id).or_default();
        m.satisfaction_sum = r.a.unwrap_or(0);
        m.satisfaction_count = r.b.unwrap_or(0);
    }
    Ok(out)
}
