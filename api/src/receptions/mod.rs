//! Mobile public receptions and the other dialogue platforms (a `kind` of reception):
//! planning a visit or session, holding it, its agenda and protocol of proposals, the
//! appeals taken on site or from proposals under control, and the report. The HTTP
//! handlers are in `routes::receptions` and `routes::dialogue`; the seed and the tests
//! call these operations directly.

pub mod agenda;
pub mod capture;
pub mod checks;
pub mod coverage;
pub mod lifecycle;
pub mod model;
pub mod participants;
pub mod plan;
pub mod proposals;
pub mod query;
pub mod report;
pub mod take;

pub use capture::capture;
pub use coverage::coverage;
pub use lifecycle::{remove, transition};
pub use plan::{get, update};

use crate::auth::Caller;
use crate::db::DbConn;
use crate::error::ApiResult;
use crate::kit::write::Expected;
use model::ReceptionRow;

/// The entity name in history rows, audit rows and idempotency records.
pub const KIND: &str = "reception";

/// What an `Idempotency-Key` of an on-site batch replays.
pub const BATCH_KIND: &str = "reception_batch";

crate::versioned!(ReceptionRows, receptions, "reception",
    publishes { "transition" if "held" => ReceptionHeld },
    territory territory_path,
    facts event_facts);

/// What a reception's webhook event tells: status, level, kind, organiser, times and
/// the number heard — not its title, venue or report.
fn event_facts(conn: &mut DbConn, id: i64) -> diesel::QueryResult<serde_json::Value> {
    use crate::db::schema::receptions as r;
    use chrono::NaiveDateTime;
    use diesel::prelude::*;
    let row = r::table
        .find(id)
        .select((
            (r::status, r::level, r::kind, r::territory_id),
            (r::planned_start, r::planned_end, r::residents_heard),
        ))
        .first::<(
            (String, String, String, i64),
            (NaiveDateTime, NaiveDateTime, Option<i64>),
        )>(conn)
        .optional()?;
    Ok(match row {
        Some(((status, level, kind, territory_id), (start, end, heard))) => serde_json::json!({
            "status": status,
            "level": level,
            "kind": kind,
            "territory_id": territory_id,
            "planned_start": start.and_utc(),
            "planned_end": end.and_utc(),
            "residents_heard": heard,
        }),
        None => serde_json::json!({}),
    })
}

/// Loads a reception for a change: scope (404), organiser (403), then `If-Match` (428,
/// 412).
fn load_for_change(
    conn: &mut DbConn,
    caller: &Caller,
    id: i64,
    expected: Expected,
) -> ApiResult<(ReceptionRow, i64)> {
    let row = model::load_for_write(conn, caller, id)?;
    let expected = expected.resolve(row.version)?;
    Ok((row, expected))
}
