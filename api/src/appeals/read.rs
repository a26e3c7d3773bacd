//! Reading one appeal and its history.

use baqylau_wire::appeals::{Appeal, AppealEvent};

use super::model;
use super::{AppealRows, KIND};
use crate::audit;
use crate::auth::{Caller, Permission};
use crate::db::{enum_column, enum_column_opt, DbConn};
use crate::error::ApiResult;
use crate::kit::clock::Clock;
use crate::kit::history::{self, HistoryRow};
use crate::kit::list::{PageRequest, Slice};
use crate::kit::write::Versioned as _;

/// One appeal. Admins, regional staff and the assigned deputy see the citizen's IIN,
/// phone and email in full — and that read is audited; everyone else sees them masked.
pub fn get(conn: &mut DbConn, caller: &Caller, clock: &Clock, id: i64) -> ApiResult<Appeal> {
    caller.authorize(Permission::AppealsRead)?;
    let joined = model::load(conn, caller, id)?;
    let disclosure = model::disclosure(caller, &joined.0);
    if disclosure.is_full() && joined.1.as_ref().is_some_and(|c| c.has_personal_data()) {
        audit::reveal::record(
            conn,
            &caller.audit_actor(),
            clock.now_stored(),
            AppealRows::ENTITY.name,
            id,
            &["iin", "phone", "email"],
        )?;
    }
    Ok(model::view(
        &joined,
        disclosure,
        caller.allows(Permission::AppealsWrite),
        clock.today(),
    ))
}

/// Every change of an appeal, oldest first: who, when, from → to, and the comment.
pub fn history(
    conn: &mut DbConn,
    caller: &Caller,
    id: i64,
    page: &PageRequest<i64>,
) -> ApiResult<Slice<AppealEvent, i64>> {
    caller.authorize(Permission::AppealsRead)?;
    model::load(conn, caller, id)?;
    history::page(conn, KIND, id, page)?.try_map(event)
}

fn event(row: HistoryRow) -> ApiResult<AppealEvent> {
    let details = row.details();
    Ok(AppealEvent {
        id: row.id,
        at: row.at.and_utc(),
        actor_kind: enum_column("history", "actor_kind", &row.actor_kind)?,
        actor_id: row.actor_id,
        actor_label: row.actor_label,
        action: row.action,
        from_status: enum_column_opt("history", "from_status", row.from_status.as_deref())?,
        to_status: enum_column_opt("history", "to_status", row.to_status.as_deref())?,
        comment: row.comment,
        details,
    })
}
