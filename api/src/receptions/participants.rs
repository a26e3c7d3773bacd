//! Who takes part in a reception: read, and replaced as a whole.

use baqylau_wire::receptions::{ParticipantList, ReplaceParticipants};
use serde_json::json;

use super::checks;
use super::model;
use crate::auth::{Caller, Permission};
use crate::db::DbConn;
use crate::error::{ApiError, ApiResult};
use crate::kit::op::{Cx, Edit};
use crate::kit::write;

/// The participants and the reception's version (their ETag is the reception's).
pub fn get(conn: &mut DbConn, caller: &Caller, id: i64) -> ApiResult<(ParticipantList, i64)> {
    caller.authorize(Permission::ReceptionsRead)?;
    let row = model::load(conn, caller, id)?;
    let participants = model::participants(conn, id)?
        .iter()
        .map(model::participant_view)
        .collect();
    Ok((ParticipantList { participants }, row.version))
}

/// Replaces the list (`If-Match` on the reception). A deputy already booked into an
/// overlapping reception is 409 `participant_busy`, naming that reception.
pub fn replace(cx: &mut Cx, edit: Edit<ReplaceParticipants>) -> ApiResult<(ParticipantList, i64)> {
    let (conn, caller, clock) = cx.parts();
    let Edit { id, expected, body } = edit;
    caller.authorize(Permission::ReceptionsWrite)?;
    let (before, expected) = super::load_for_change(conn, caller, id, expected)?;
    let body = body?;
    let mut errors = Vec::new();
    let people = checks::participants(conn, caller, &body.participants, &mut errors)?;
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let after = write::write(conn, &caller.audit_actor(), clock, |tx| {
        tx.bump::<super::ReceptionRows>(id, expected)?;
        checks::not_busy(
            tx.conn(),
            Some(id),
            &people,
            before.planned_start,
            before.planned_end,
        )?;
        checks::write_participants(tx, id, &people, before.planned_start, before.planned_end)?;
        let names: Vec<&str> = people.iter().map(|p| p.full_name.as_str()).collect();
        super::plan::record_update(tx, &before, "participants", json!({"participants": names}))
    })?;
    let participants = model::participants(conn, id)?
        .iter()
        .map(model::participant_view)
        .collect();
    Ok((ParticipantList { participants }, after.version))
}
