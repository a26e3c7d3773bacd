//! Taking a proposal under party control: it becomes an ordinary appeal — checked and
//! registered by the appeals' own operations, with the channel of the session's kind
//! and `reception_id` the session — and the proposal points to it. Once only: a second
//! take is 409 `proposal_taken`, while a retry with the same `Idempotency-Key` replays
//! the first.

use baqylau_wire::appeals::{CitizenInput, CreateAppeal};
use baqylau_wire::dialogue::{ProposalOutcome, TakeUnderControl, TakenUnderControl};
use diesel::prelude::*;

use super::model;
use super::proposals::{self, ProposalRow, ProposalRows};
use crate::appeals::{self, intake::NewAppeal};
use crate::auth::{Caller, Permission};
use crate::db::schema::reception_proposals;
use crate::db::DbConn;
use crate::domain::calendar::WorkingCalendar;
use crate::domain::reception as rules;
use crate::error::{ApiError, ApiResult};
use crate::kit::clock::Clock;
use crate::kit::idempotent::{self, Created, Request};

/// What an `Idempotency-Key` of a take replays: the appeal.
pub const TAKE_KIND: &str = "proposal_appeal";

/// 409 unless the proposal can still be taken under control.
fn takeable(p: &ProposalRow) -> ApiResult<()> {
    if let Some(appeal) = p.appeal_id {
        return Err(ApiError::conflict(
            "proposal_taken",
            format!(
                "proposal {} is already under control as appeal {appeal}",
                p.id
            ),
        ));
    }
    if !rules::takeable(p.outcome) {
        return Err(ApiError::conflict(
            "proposal_closed",
            format!(
                "proposal {} is {}; only an open or accepted proposal is taken under control",
                p.id, p.outcome
            ),
        ));
    }
    Ok(())
}

/// The appeal body: the client's fields, the proposal's text and author where the
/// client gave none, the channel and the session forced.
fn appeal_body(p: &ProposalRow, channel: &str, input: &TakeUnderControl) -> CreateAppeal {
    let subject = input.subject.clone().unwrap_or_else(|| {
        p.text
            .chars()
            .take(appeals::intake::SUBJECT_MAX)
            .collect::<String>()
    });
    let citizen = input.citizen.clone().or_else(|| {
        p.author.as_ref().map(|a| CitizenInput {
            full_name: Some(a.clone()),
            ..Default::default()
        })
    });
    CreateAppeal {
        channel: channel.to_owned(),
        category: input.category.clone(),
        territory_id: input.territory_id,
        reception_id: Some(p.reception_id),
        citizen,
        subject,
        description: input.description.clone().unwrap_or_else(|| p.text.clone()),
        language: input.language.clone(),
        ..Default::default()
    }
}

fn check(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    reception: i64,
    id: i64,
    input: &TakeUnderControl,
) -> ApiResult<NewAppeal> {
    let session = model::load(conn, caller, reception)?;
    let proposal = proposals::load(conn, caller, reception, id)?;
    takeable(&proposal)?;
    super::capture::open(&session)?;
    let channel = rules::channel(session.kind);
    let body = appeal_body(&proposal, channel.as_str(), input);
    let checked = appeals::intake::check_new(conn, caller, &body, clock.now_stored());
    if checked.is_err() {
        // A session deleted since it was loaded is 404, not a bad `reception_id`.
        model::load(conn, caller, reception)?;
    }
    checked
}

/// Takes proposal `id` of session `reception` under control: registers its appeal and
/// links the two, in one transaction.
pub fn take(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    calendar: &WorkingCalendar,
    reception: i64,
    id: i64,
    request: &Request<TakeUnderControl>,
) -> ApiResult<(TakenUnderControl, Created)> {
    caller.authorize(Permission::ReceptionsWrite)?;
    // Scope first: a key for a proposal the caller cannot change is never looked up.
    // Taking it under control sets its outcome: the organiser's to do (403 otherwise).
    proposals::load_for_write(conn, caller, reception, id)?;
    let (created, _) = idempotent::create_once(
        conn,
        caller,
        clock,
        request,
        TAKE_KIND,
        |conn, input| check(conn, caller, clock, reception, id, input),
        |tx, new| {
            // Again under the write lock: the session may have closed, or another take
            // won, since the check.
            model::lock_live(tx.conn(), reception)?;
            super::capture::open(&model::reload(tx.conn(), reception)?)?;
            let before = proposals::reload(tx.conn(), id)?;
            takeable(&before)?;
            let appeal = appeals::register::insert(tx, caller, calendar, new)?;
            tx.bump::<ProposalRows>(id, before.version)?;
            diesel::update(reception_proposals::table.find(id))
                .set((
                    reception_proposals::outcome.eq(ProposalOutcome::UnderControl.as_str()),
                    reception_proposals::appeal_id.eq(appeal),
                ))
                .execute(tx.conn())?;
            proposals::record(tx, Some(&before), id, "take", "under_control")?;
            Ok(appeal)
        },
    )?;
    let proposal = proposals::load(conn, caller, reception, id)?;
    if proposal.appeal_id != Some(created.id) {
        // The key named the take of another proposal: the request differs by its path.
        return Err(crate::kit::idempotent::store::conflict());
    }
    let joined = appeals::model::load(conn, caller, created.id)?;
    let appeal = appeals::model::view(
        &joined,
        appeals::model::disclosure(caller, &joined.0),
        caller.allows(Permission::AppealsWrite),
        clock.today(),
    );
    Ok((
        TakenUnderControl {
            proposal: proposals::view(&proposal),
            appeal,
        },
        created,
    ))
}
