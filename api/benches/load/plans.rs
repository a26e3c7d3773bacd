//! The query plans of the hot appeal lists, printed for docs/PERFORMANCE.md: the SQL is
//! what `appeals::query` builds (scope and filters, order, `LIMIT 51`, the count), with
//! the values written in, as PostgreSQL's first executions plan them.

use baqylau::db::compat::{self, Backend};
use baqylau::db::DbConn;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};

const FROM: &str = "SELECT appeals.*, appeal_citizens.* FROM appeals \
     LEFT OUTER JOIN appeal_citizens ON appeal_citizens.appeal_id = appeals.id";
const COUNT: &str = "SELECT COUNT(*) FROM appeals \
     LEFT OUTER JOIN appeal_citizens ON appeal_citizens.appeal_id = appeals.id";

/// (name, SQL) of each hot list query; `region` and `district` are territory paths.
pub fn hot_queries(
    conn: &DbConn,
    region: &str,
    district: &str,
    today: &str,
) -> Vec<(String, String)> {
    let within = |path: &str| {
        format!(
            "appeals.territory_path >= '{path}' AND appeals.territory_path < '{}'",
            compat::path_upper_bound(path)
        )
    };
    let live = "appeals.deleted_at IS NULL";
    let (search, words) = compat::appeal_search_sql(conn, &["су".to_owned()]);
    let page = "LIMIT 51";
    vec![
        ("admin, first page (newest)".into(), format!("{FROM} WHERE {live} ORDER BY appeals.id DESC {page}")),
        ("region staff, first page".into(), format!("{FROM} WHERE {live} AND {} ORDER BY appeals.id DESC {page}", within(region))),
        ("district staff, first page".into(), format!("{FROM} WHERE {live} AND {} ORDER BY appeals.id DESC {page}", within(district))),
        ("territory_id=district, the total".into(), format!("{COUNT} WHERE {live} AND {}", within(district))),
        ("territory_id=region, the total".into(), format!("{COUNT} WHERE {live} AND {}", within(region))),
        ("sort=due (admin)".into(), format!("{FROM} WHERE {live} ORDER BY COALESCE(appeals.extended_due_on, appeals.due_on) ASC, appeals.id ASC {page}")),
        ("sort=-received_at (district staff)".into(), format!("{FROM} WHERE {live} AND {} ORDER BY appeals.received_at DESC, appeals.id DESC {page}", within(district))),
        ("sort=-created_at (region staff)".into(), format!("{FROM} WHERE {live} AND {} ORDER BY appeals.created_at DESC, appeals.id DESC {page}", within(region))),
        ("sort=status (district staff)".into(), format!("{FROM} WHERE {live} AND {} ORDER BY appeals.status ASC, appeals.id ASC {page}", within(district))),
        ("status=in_progress&overdue=true".into(), format!("{FROM} WHERE {live} AND appeals.status IN ('in_progress') AND appeals.status NOT IN ('resolved', 'explained', 'rejected', 'forwarded') AND COALESCE(appeals.extended_due_on, appeals.due_on) < '{today}' ORDER BY appeals.id DESC {page}")),
        ("q=су (admin)".into(), format!("{FROM} WHERE {live} AND {search}'{words}') ORDER BY appeals.id DESC {page}")),
    ]
}

#[derive(QueryableByName)]
struct SqlitePlan {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Integer)]
    parent: i32,
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PgPlan {
    #[diesel(sql_type = Text)]
    #[diesel(column_name = "QUERY PLAN")]
    line: String,
}

/// EXPLAIN QUERY PLAN (SQLite) or EXPLAIN (ANALYZE, BUFFERS off) (PostgreSQL) of `sql`.
pub fn explain(conn: &mut DbConn, sql: &str) -> QueryResult<Vec<String>> {
    match compat::backend(conn) {
        Backend::Sqlite => {
            let rows: Vec<SqlitePlan> =
                diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}")).load(conn)?;
            let mut depth = std::collections::HashMap::new();
            Ok(rows
                .into_iter()
                .map(|r| {
                    let d = depth.get(&r.parent).map_or(0, |d| d + 1);
                    depth.insert(r.id, d);
                    format!("{}{}", "  ".repeat(d), r.detail)
                })
                .collect())
        }
        Backend::Postgres => {
            let rows: Vec<PgPlan> = diesel::sql_query(format!(
                "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) {sql}"
            ))
            .load(conn)?;
            Ok(rows.into_iter().map(|r| r.line).collect())
        }
    }
}

/// Prints the plan of every hot query.
pub fn print(conn: &mut DbConn, region: &str, district: &str, today: &str) -> anyhow::Result<()> {
    for (name, sql) in hot_queries(conn, region, district, today) {
        println!("-- {name}");
        for line in explain(conn, &sql)? {
            println!("   {line}");
        }
    }
    Ok(())
}
