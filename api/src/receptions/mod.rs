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
pub use plan::{create, get, update};

use crate::auth::Caller;
use crate::db::DbConn;
use crate::error::ApiResult;
use crate::kit::write::Expected;
use model::ReceptionRow;

/// The entity name in history rows, audit rows and idempotency records.
pub const KIND: &str = "reception";

/// What an `Idempotency-Key` of an on-site batch replays.
pub const BATCH_KIND: &str = "reception_batch";

crate::versioned!(ReceptionRows, receptions, "reception");

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
