//! Appeals taken on site: a batch registered all or none, in one write transaction,
//! replayed as a whole by its `Idempotency-Key` — a mobile client in a village with poor
//! connectivity retries until it hears back, and must never register the batch twice.

use baqylau_wire::appeals::Appeal;
use baqylau_wire::receptions::{CaptureAppeals, CapturedAppeals};
use diesel::prelude::*;

use super::model::{self, ReceptionRow};
use super::BATCH_KIND;
use crate::appeals::{self, intake::NewAppeal};
use crate::auth::{Caller, Permission};
use crate::db::schema::reception_batches;
use crate::db::DbConn;
use crate::domain::calendar::WorkingCalendar;
use crate::domain::reception as rules;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::clock::Clock;
use crate::kit::idempotent::{self, Created, Request};

/// The most appeals one request may carry; a long day is sent in several batches.
pub const BATCH_MAX: usize = 200;

/// 409 `reception_closed` unless the reception is planned or held.
pub fn open(row: &ReceptionRow) -> ApiResult<()> {
    if rules::takes_appeals(row.status) {
        Ok(())
    } else {
        Err(ApiError::conflict(
            "reception_closed",
            format!(
                "the reception is {}; appeals are taken only at a planned or held reception",
                row.status
            ),
        ))
    }
}

/// Checks every appeal of the batch as `POST /appeals` would, with the channel forced
/// to the reception kind's (`mobile_reception`, `debate_club`, ...) and the reception
/// set; errors name their item (`appeals[3].citizen.iin`).
fn check(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    id: i64,
    batch: &CaptureAppeals,
) -> ApiResult<Vec<NewAppeal>> {
    let row = model::load(conn, caller, id)?;
    open(&row)?;
    let channel = rules::channel(row.kind);
    let mut errors = Vec::new();
    if batch.appeals.is_empty() {
        errors.push(FieldError::new(
            "appeals",
            "required",
            "send at least one appeal",
        ));
    }
    if batch.appeals.len() > BATCH_MAX {
        errors.push(FieldError::new(
            "appeals",
            "too_many",
            format!("at most {BATCH_MAX} per request"),
        ));
        return Err(ApiError::Validation(errors));
    }
    let mut checked = Vec::new();
    for (i, input) in batch.appeals.iter().enumerate() {
        let mut input = input.clone();
        input.channel = channel.as_str().to_owned();
        input.reception_id = Some(id);
        match appeals::intake::check_new(conn, caller, &input, clock.now_stored()) {
            Ok(new) => checked.push(new),
            Err(ApiError::Validation(item)) => errors.extend(item.into_iter().map(|mut e| {
                e.field = format!("appeals[{i}].{}", e.field);
                e
            })),
            Err(e) => return Err(e),
        }
    }
    if errors.is_empty() {
        Ok(checked)
    } else {
        // A reception deleted since it was loaded is 404, not bad `reception_id`s.
        model::load(conn, caller, id)?;
        Err(ApiError::Validation(errors))
    }
}

/// Registers a batch of appeals taken at reception `id` (planned or held, else 409
/// `reception_closed`) and returns them as the caller sees them, in the order sent.
pub fn capture(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    calendar: &WorkingCalendar,
    id: i64,
    request: &Request<CaptureAppeals>,
) -> ApiResult<(CapturedAppeals, Created)> {
    caller.authorize(Permission::ReceptionsWrite)?;
    // Scope first: a key for a reception the caller cannot see is never looked up.
    // Seeing it is enough here, unlike the reception's other writes (`load_for_write`):
    // the appeals taken are the caller's own, each inside their territory (intake checks
    // it), and the deputy of a visited okrug takes them at the district's reception.
    model::load(conn, caller, id)?;
    let (created, _) = idempotent::create_once(
        conn,
        caller,
        clock,
        request,
        BATCH_KIND,
        |conn, batch| check(conn, caller, clock, id, batch),
        |tx, checked| {
            // Again under the write lock: the reception may have been cancelled or
            // deleted since (each appeal's insert locks its row until commit).
            model::lock_live(tx.conn(), id)?;
            open(&model::reload(tx.conn(), id)?)?;
            let mut ids = Vec::with_capacity(checked.len());
            for new in checked {
                ids.push(appeals::register::insert(tx, caller, calendar, new)?);
            }
            let now = tx.now();
            let batch: i64 = diesel::insert_into(reception_batches::table)
                .values((
                    reception_batches::reception_id.eq(id),
                    reception_batches::appeal_ids
                        .eq(serde_json::to_string(&ids).map_err(anyhow::Error::from)?),
                    reception_batches::created_at.eq(now),
                ))
                .returning(reception_batches::id)
                .get_result(tx.conn())?;
            Ok(batch)
        },
    )?;
    let items = batch_appeals(conn, caller, clock, id, created.id)?;
    Ok((CapturedAppeals { items }, created))
}

/// The appeals of one batch, re-read through the caller's scope.
fn batch_appeals(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    reception: i64,
    batch: i64,
) -> ApiResult<Vec<Appeal>> {
    let raw: String = reception_batches::table
        .find(batch)
        .filter(reception_batches::reception_id.eq(reception))
        .select(reception_batches::appeal_ids)
        .first(conn)
        .optional()?
        // The key named a batch of another reception: the body differs by its path.
        .ok_or_else(crate::kit::idempotent::store::conflict)?;
    let ids: Vec<i64> = serde_json::from_str(&raw)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("reception_batches.appeal_ids: {e}")))?;
    let can_write = caller.allows(Permission::AppealsWrite);
    ids.into_iter()
        .map(|a| {
            let joined = appeals::model::load(conn, caller, a)?;
            let disclosure = appeals::model::disclosure(caller, &joined.0);
            Ok(appeals::model::view(
                &joined,
                disclosure,
                can_write,
                clock.today(),
            ))
        })
        .collect()
}
