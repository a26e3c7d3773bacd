//! Dialogue-platform sessions: thin HTTP handlers over the agenda, the protocol of
//! proposals and taking a proposal under control ([`crate::receptions`]).

use actix_web::{get, patch, post, put, web, HttpResponse};
use baqylau_wire::dialogue::{
    Agenda, CreateProposal, Proposal, ProposalList, ReplaceAgenda, TakeUnderControl,
    TakenUnderControl, UpdateProposal,
};

use crate::auth::{Caller, Permission};
use crate::error::{ApiResult, Problem};
use crate::extract::{Body, IdempotencyKey, IfMatch, Precondition, Target};
use crate::kit::idempotent::Idempotent;
use crate::kit::respond::Versioned;
use crate::receptions::{agenda, proposals, take};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_agenda)
        .service(put_agenda)
        .service(list_proposals)
        .service(create_proposal)
        .service(get_proposal)
        .service(update_proposal)
        .service(take_proposal);
}

/// The agenda of a session, in order; the `ETag` is the session's.
#[utoipa::path(
    tag = "dialogue",
    operation_id = "get_reception_agenda",
    params(("id" = i64, Path, description = "Reception (session) id")),
    responses((status = 200, body = Agenda, headers(("ETag" = String)))),
    extensions(("x-permission" = json!("receptions.read")))
)]
#[get("/receptions/{id}/agenda")]
pub async fn get_agenda(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<Versioned<Agenda>> {
    super::read(
        &state,
        caller,
        Permission::ReceptionsRead,
        id.into_inner(),
        |cx, id| agenda::get(cx.conn, cx.caller, id),
    )
    .await
}

/// Replaces the agenda (`If-Match` on the session): topics with an `id` are kept and
/// edited, new ones added, the rest removed — unless a proposal was made under one.
#[utoipa::path(
    tag = "dialogue",
    operation_id = "replace_reception_agenda",
    params(Target),
    request_body = ReplaceAgenda,
    responses(
        (status = 200, body = Agenda, headers(("ETag" = String))),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "topic_in_use: a proposal was made under a topic left out"),
    ),
    extensions(("x-permission" = json!("receptions.write")))
)]
#[put("/receptions/{id}/agenda")]
pub async fn put_agenda(
    state: web::Data<AppState>,
    caller: Caller,
    target: Target,
    body: Body<ReplaceAgenda>,
) -> ApiResult<Versioned<Agenda>> {
    super::change(&state, caller, target, body, agenda::replace).await
}

/// The protocol of a session: every proposal in the order recorded, with its outcome
/// and the appeal that follows it.
#[utoipa::path(
    tag = "dialogue",
    operation_id = "list_reception_proposals",
    params(("id" = i64, Path, description = "Reception (session) id")),
    responses((status = 200, body = ProposalList)),
    extensions(("x-permission" = json!("receptions.read")))
)]
#[get("/receptions/{id}/proposals")]
pub async fn list_proposals(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<web::Json<ProposalList>> {
    super::read_json(
        &state,
        caller,
        Permission::ReceptionsRead,
        id.into_inner(),
        |cx, id| proposals::list(cx.conn, cx.caller, id),
    )
    .await
}

/// Records a proposal in the protocol of a planned or held session. With
/// `Idempotency-Key`, a retry with the same body returns the original 201.
#[utoipa::path(
    tag = "dialogue",
    operation_id = "create_reception_proposal",
    params(("id" = i64, Path, description = "Reception (session) id"), IdempotencyKey),
    request_body = CreateProposal,
    responses(
        (status = 201, body = Proposal, headers(("Location" = String), ("ETag" = String))),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "reception_closed, protocol_full, or the key was reused with another body"),
    ),
    extensions(("x-permission" = json!("receptions.write")))
)]
#[post("/receptions/{id}/proposals")]
pub async fn create_proposal(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: Idempotent<CreateProposal>,
) -> ApiResult<Versioned<Proposal>> {
    caller.authorize(Permission::ReceptionsWrite)?;
    let request = body.parse()?;
    let (id, st) = (id.into_inner(), state.clone());
    let (proposal, _) = state
        .db
        .run(move |conn| proposals::create(conn, &caller, &st.clock, id, &request))
        .await?;
    let location = format!("/api/v1/receptions/{id}/proposals/{}", proposal.id);
    let version = proposal.version;
    Ok(Versioned::created(proposal, version, location))
}

/// One proposal of a session, with its `ETag` (for `If-Match` on its edits).
#[utoipa::path(
    tag = "dialogue",
    operation_id = "get_reception_proposal",
    params(("id" = i64, Path, description = "Reception (session) id"), ("pid" = i64, Path, description = "Proposal id")),
    responses((status = 200, body = Proposal, headers(("ETag" = String)))),
    extensions(("x-permission" = json!("receptions.read")))
)]
#[get("/receptions/{id}/proposals/{pid}")]
pub async fn get_proposal(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(i64, i64)>,
) -> ApiResult<Versioned<Proposal>> {
    caller.authorize(Permission::ReceptionsRead)?;
    let (id, pid) = path.into_inner();
    let proposal = state
        .db
        .run(move |conn| proposals::get(conn, &caller, id, pid))
        .await?;
    let version = proposal.version;
    Ok(Versioned::ok(proposal, version))
}

/// Edits a proposal (`If-Match` on the proposal): text, author, topic, outcome
/// (`open`, `accepted`, `rejected`, `implemented`). A proposal under control keeps its
/// outcome: its fate is its appeal's (409 `proposal_under_control`).
#[utoipa::path(
    tag = "dialogue",
    operation_id = "update_reception_proposal",
    params(("id" = i64, Path, description = "Reception (session) id"), ("pid" = i64, Path, description = "Proposal id"), IfMatch),
    request_body = UpdateProposal,
    responses(
        (status = 200, body = Proposal, headers(("ETag" = String))),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "proposal_under_control"),
    ),
    extensions(("x-permission" = json!("receptions.write")))
)]
#[patch("/receptions/{id}/proposals/{pid}")]
pub async fn update_proposal(
    state: web::Data<AppState>,
    caller: Caller,
    precondition: Precondition,
    path: web::Path<(i64, i64)>,
    body: Body<UpdateProposal>,
) -> ApiResult<Versioned<Proposal>> {
    caller.authorize(Permission::ReceptionsWrite)?;
    let ((id, pid), if_match, st) = (path.into_inner(), precondition.0, state.clone());
    let proposal = state
        .db
        .run(move |conn| {
            proposals::update(conn, &caller, &st.clock, id, pid, if_match, body.parse())
        })
        .await?;
    let version = proposal.version;
    Ok(Versioned::ok(proposal, version))
}

/// Takes a proposal under party control: registers an ordinary appeal with the channel
/// of the session's kind (`debate_club`, `public_council`, ...) and `reception_id` the
/// session, and links the proposal to it. Subject and description default to the
/// proposal's text, the citizen to its author. Once only (409 `proposal_taken`); with
/// `Idempotency-Key` a retry returns the same appeal.
#[utoipa::path(
    tag = "dialogue",
    operation_id = "take_proposal_under_control",
    params(("id" = i64, Path, description = "Reception (session) id"), ("pid" = i64, Path, description = "Proposal id"), IdempotencyKey),
    request_body = TakeUnderControl,
    responses(
        (status = 201, body = TakenUnderControl, headers(("Location" = String))),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "proposal_taken, proposal_closed (rejected or implemented), reception_closed, or the key was reused with another body"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "Every bad field of the appeal listed"),
    ),
    extensions(("x-permission" = json!("receptions.write")))
)]
#[post("/receptions/{id}/proposals/{pid}/appeal")]
pub async fn take_proposal(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(i64, i64)>,
    body: Idempotent<TakeUnderControl>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::ReceptionsWrite)?;
    let request = body.parse()?;
    let ((id, pid), st) = (path.into_inner(), state.clone());
    let (taken, _) = state
        .db
        .run(move |conn| take::take(conn, &caller, &st.clock, &st.calendar, id, pid, &request))
        .await?;
    // The appeal may show a citizen's personal data: no cache keeps it.
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/appeals/{}", taken.appeal.id)))
        .insert_header(("Cache-Control", "no-store"))
        .json(taken))
}
