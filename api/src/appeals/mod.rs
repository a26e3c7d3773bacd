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
pub use register::Register;

use crate::auth::{Caller, Permission};
use crate::db::DbConn;
use crate::error::ApiResult;
use crate::kit::op::Edit;
use model::Joined;

/// The entity name in history rows, audit rows and idempotency records.
pub const KIND: &str = "appeal";

crate::versioned!(AppealRows, appeals, "appeal",
    publishes {
        "create" => AppealCreated,
        "transition" => AppealStatusChanged,
        "delete" => AppealDeleted,
    },
    territory territory_path,
    facts event_facts);

/// What an appeal's webhook event tells: numbers, codes, ids and dates, no text.
fn event_facts(conn: &mut DbConn, id: i64) -> diesel::QueryResult<serde_json::Value> {
    use crate::db::schema::appeals as a;
    use chrono::{NaiveDate, NaiveDateTime};
    use diesel::prelude::*;
    let row = a::table
        .find(id)
        .select((
            (a::reg_number, a::status, a::category_code, a::channel),
            (a::territory_id, a::reception_id, a::deputy_id),
            (
                a::registered_on,
                a::due_on,
                a::extended_due_on,
                a::resolved_at,
            ),
        ))
        .first::<(
            (String, String, String, String),
            (i64, Option<i64>, Option<i64>),
            (
                NaiveDate,
                NaiveDate,
                Option<NaiveDate>,
                Option<NaiveDateTime>,
            ),
        )>(conn)
        .optional()?;
    Ok(match row {
        Some(((number, status, category, channel), ids, dates)) => serde_json::json!({
            "reg_number": number,
            "status": status,
            "category": category,
            "channel": channel,
            "territory_id": ids.0,
            "reception_id": ids.1,
            "deputy_id": ids.2,
            "registered_on": dates.0,
            "due_on": dates.2.unwrap_or(dates.1),
            "resolved_at": dates.3.map(|t| t.and_utc()),
        }),
        None => serde_json::json!({}),
    })
}

/// Opens a change to an appeal in the order the contract gives: the permission (403),
/// the appeal in the caller's reach (404), `If-Match` (428, 412), and only then the
/// body's own problems (422). The appeal, the version to write at, and the body.
fn open_change<B>(
    conn: &mut DbConn,
    caller: &Caller,
    permission: Permission,
    edit: Edit<B>,
) -> ApiResult<(Joined, i64, B)> {
    caller.authorize(permission)?;
    let joined = model::load(conn, caller, edit.id)?;
    let expected = edit.expected.resolve(joined.0.version)?;
    Ok((joined, expected, edit.body?))
}
