//! Appeals under party control: the capability's rows, queries and operations. The
//! HTTP handlers are in `routes::appeals`; the seed, the benchmark and the tests call
//! these operations directly.

pub mod edit;
pub mod export;
pub mod intake;
pub mod lifecycle;
pub mod model;
pub mod query;
pub mod read;
pub mod register;

pub use edit::update;
pub use lifecycle::{remove, transition};
pub use read::{get, history};
pub use register::register;

use crate::auth::Caller;
use crate::db::DbConn;
use crate::error::ApiResult;
use crate::kit::write::Expected;
use model::Joined;

/// The entity name in history rows, audit rows and idempotency records.
pub const KIND: &str = "appeal";

crate::versioned!(AppealRows, appeals, "appeal");

/// Loads an appeal for a change: scope (404), then `If-Match` (428, 412).
fn load_for_change(
    conn: &mut DbConn,
    caller: &Caller,
    id: i64,
    expected: Expected,
) -> ApiResult<(Joined, i64)> {
    let joined = model::load(conn, caller, id)?;
    let expected = expected.resolve(joined.0.version)?;
    Ok((joined, expected))
}
