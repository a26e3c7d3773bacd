//! Appeals under party control: intake, reading, lifecycle, history, export.

pub mod export;
pub mod intake;
pub mod query;
pub mod model;

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use baqylau_wire::appeals::{Appeal, AppealEvent, CreateAppeal, TransitionRequest, UpdateAppeal};
use baqylau_wire::common::Page;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use crate::audit;
use crate::auth::{Caller, Permission};
use crate::db::schema::{appeal_citizens, appeals, deputies, history as history_table};
use crate::db::{compat, DbConn};
use crate::domain::appeal::{self as rules, Language, Lifecycle, Status};
use crate::domain::calendar::WorkingCalendar;
use crate::error::{ApiError, ApiResult, FieldError, Problem};
use crate::extract::{
    decode_cursor, encode_cursor, etag, idempotency_key, if_match, page_limit, paginate,
    parse_json, Body, IfMatch,
};
use crate::idempotency::{self, Lookup};
use crate::startup::AppState;
use crate::validate;
use baqylau_wire::deputies::MandateStatus;
use model::{Joined, PERSONAL_FIELDS};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // `/appeals/export` before `/appeals/{id}`, which would otherwise claim it.
    cfg.service(export::export)
        .service(create)
        .service(query::list)
        .service(get_appeal)
        .service(update)
        .service(transition)
        .service(history)
        .service(remove);
}

const KIND: &str = "appeal";

fn respond(status: actix_web::http::StatusCode, appeal: &Appeal) -> HttpResponse {
    let mut res = HttpResponse::build(status);
    res.insert_header(("ETag", etag(appeal.version)));
    if appeal.personal_data_revealed {
        res.insert_header(("Cache-Control", "no-store"));
    }
    if status == actix_web::http::StatusCode::CREATED {
        res.insert_header(("Location", format!("/api/v1/appeals/{}", appeal.id)));
    }
    res.json(appeal)
}

/// Registers an appeal. With `Idempotency-Key`, a retry with the same body returns the
/// original 201 and id; the same key with another body is 409.
#[utoipa::path(
    tag = "appeals",
    operation_id = "create_appeal",
    request_body = CreateAppeal,
    params(("Idempotency-Key" = Option<String>, Header, description = "Any string up to 200 characters; makes retries safe")),
    responses(
        (status = 201, body = Appeal, headers(("Location" = String), ("ETag" = String))),
        (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "Idempotency-Key reused with another body"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "Every bad field listed"),
    ),
    security(
        ("bearer" = ["admin", "regional_staff", "district_staff", "deputy"]),
        ("api_key" = ["appeals:write"])
    )
)]
#[post("/appeals")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: Body<serde_json::Value>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::AppealsWrite)?;
    let key = idempotency_key(&req)?;
    let value = body.parse()?;
    let hash = idempotency::request_hash(&value);
    let input: CreateAppeal = parse_json(value.to_string().as_bytes())?;
    let st = state.clone();
    let appeal = state
        .db
        .run(move |conn| {
            let now = compat::now();
            let id = match create_once(
                conn,
                &st.calendar,
                &caller,
                &input,
                key.as_deref(),
                &hash,
                now,
            ) {
                // A concurrent request with the same key committed first: answer as it did.
                Err(ApiError::Conflict { code, .. }) if code == idempotency::RACE => create_once(
                    conn,
                    &st.calendar,
                    &caller,
                    &input,
                    key.as_deref(),
                    &hash,
                    now,
                )?,
                other => other?,
            };
            // Through the caller's scope, not by id alone: a replay must not show an
            // appeal the caller can no longer reach (their territory changed since).
            let joined = model::load(conn, &caller, id)?;
            Ok(model::view(
                &joined,
                model::may_reveal(&caller, &joined.0),
                caller.allows(Permission::AppealsWrite),
                rules::today(),
            ))
        })
        .await?;
    Ok(respond(actix_web::http::StatusCode::CREATED, &appeal))
}

/// Registers one appeal (or finds the one an `Idempotency-Key` already created) and
/// returns its id.
pub fn create_once(
    conn: &mut DbConn,
    calendar: &WorkingCalendar,
    caller: &Caller,
    input: &CreateAppeal,
    key: Option<&str>,
    hash: &str,
    now: NaiveDateTime,
) -> ApiResult<i64> {
    let namespace = caller.idempotency_namespace();
    if let Some(key) = key {
        match idempotency::lookup(conn, &namespace, key, hash, KIND)? {
            Lookup::Replay { resource_id, .. } => return Ok(resource_id),
            Lookup::Conflict => return Err(idempotency::conflict()),
            Lookup::Fresh => {}
        }
    }
    let new = intake::check_new(conn, caller, input, now)?;
    let (registered_on, due_on) = rules::deadlines(calendar, new.received_at);
    use chrono::Datelike;
    compat::write_transaction(conn, |conn| {
        if let Some(key) = key {
            // Looked up again under the write lock: the first look was unlocked.
            match idempotency::lookup(conn, &namespace, key, hash, KIND)? {
                Lookup::Replay { resource_id, .. } => return Ok(resource_id),
                Lookup::Conflict => return Err(idempotency::conflict()),
                Lookup::Fresh => {}
            }
        }
        let region = model::region_code(conn, &new.territory_path)?;
        let year = registered_on.year();
        let seq = model::next_reg_seq(conn, &region, year)?;
        let reg_number = rules::reg_number(&region, year, seq);
        let id: i64 = diesel::insert_into(appeals::table)
            .values((
                appeals::reg_number.eq(&reg_number),
                appeals::status.eq(Status::Registered.as_str()),
                appeals::channel.eq(new.channel.as_str()),
                appeals::category_code.eq(&new.category),
                appeals::territory_id.eq(new.territory_id),
                appeals::territory_path.eq(&new.territory_path),
                appeals::anonymous.eq(new.anonymous),
                appeals::threat_report.eq(new.threat_report),
                appeals::subject.eq(&new.subject),
                appeals::description.eq(&new.description),
                appeals::language.eq(new.language.as_str()),
                appeals::search_text.eq(model::search_text(
                    &reg_number,
                    &new.subject,
                    &new.description,
                )),
                appeals::received_at.eq(new.received_at),
                appeals::registered_on.eq(registered_on),
                appeals::due_on.eq(due_on),
                appeals::created_by_user_id.eq(caller.user_id()),
                appeals::created_by_key_id.eq(caller.key_id()),
                appeals::created_at.eq(now),
                appeals::updated_at.eq(now),
            ))
            .returning(appeals::id)
            .get_result(conn)?;
        let c = &new.citizen;
        diesel::insert_into(appeal_citizens::table)
            .values((
                appeal_citizens::appeal_id.eq(id),
                appeal_citizens::full_name.eq(&c.full_name),
                appeal_citizens::iin.eq(&c.iin),
                appeal_citizens::phone.eq(&c.phone),
                appeal_citizens::email.eq(&c.email),
                appeal_citizens::address.eq(&c.address),
            ))
            .execute(conn)?;
        model::record_event(
            conn,
            caller,
            id,
            "created",
            None,
            Some(Status::Registered.as_str()),
            None,
            json!({"reg_number": reg_number}),
        )?;
        let created = model::reload(conn, id)?;
        audit::record(
            conn,
            &caller.audit_actor(),
            KIND,
            id,
            "create",
            audit::diff(None, Some(&model::snapshot(&created)), PERSONAL_FIELDS),
        )?;
        if let Some(key) = key {
            idempotency::store(conn, &namespace, key, hash, KIND, id, 201)?;
        }
        Ok(id)
    })
}

/// One appeal with `ETag`. Admins, regional staff and the assigned deputy see the
/// citizen's IIN, phone and email in full — and that read is audited; everyone else
/// sees them masked.
#[utoipa::path(
    tag = "appeals",
    params(("id" = i64, Path, description = "Appeal id")),
    responses(
        (status = 200, body = Appeal, headers(("ETag" = String))),
        (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(
        ("bearer" = ["admin", "regional_staff", "district_staff", "deputy", "viewer"]),
        ("api_key" = ["appeals:read"])
    )
)]
#[get("/appeals/{id}")]
pub async fn get_appeal(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::AppealsRead)?;
    let id = id.into_inner();
    let appeal = state
        .db
        .run(move |conn| {
            let joined = model::load(conn, &caller, id)?;
            let reveal = model::may_reveal(&caller, &joined.0);
            if reveal && joined.1.as_ref().is_some_and(|c| c.has_personal_data()) {
                compat::write_transaction(conn, |conn| {
                    audit::record(
                        conn,
                        &caller.audit_actor(),
                        KIND,
                        id,
                        "read_personal_data",
                        json!({"fields": ["iin", "phone", "email"]}),
                    )
                })?;
            }
            Ok(model::view(
                &joined,
                reveal,
                caller.allows(Permission::AppealsWrite),
                rules::today(),
            ))
        })
        .await?;
    Ok(respond(actix_web::http::StatusCode::OK, &appeal))
}

/// Loads an appeal for a change: scope (404), then `If-Match` (428, 412).
fn load_for_change(
    conn: &mut DbConn,
    caller: &Caller,
    id: i64,
    if_match: Result<IfMatch, ApiError>,
) -> ApiResult<(Joined, i64)> {
    let joined = model::load(conn, caller, id)?;
    let expected = if_match?.expected_version(joined.0.version)?;
    Ok((joined, expected))
}

/// Bumps the version if it still is `expected`; 412 otherwise (a concurrent change won).
fn bump(conn: &mut DbConn, id: i64, expected: i64, now: NaiveDateTime) -> ApiResult<()> {
    let changed = diesel::update(
        appeals::table
            .filter(appeals::id.eq(id))
            .filter(appeals::version.eq(expected)),
    )
    .set((
        appeals::version.eq(expected + 1),
        appeals::updated_at.eq(now),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Err(ApiError::PreconditionFailed);
    }
    Ok(())
}

/// Edits an appeal (`If-Match`). An extension sets `extended_due_on` with
/// `extension_reason`, at most 2 months from receipt (APPK art. 76 p. 2).
#[utoipa::path(
    tag = "appeals",
    operation_id = "update_appeal",
    params(("id" = i64, Path, description = "Appeal id")),
    request_body = UpdateAppeal,
    responses(
        (status = 200, body = Appeal, headers(("ETag" = String))),
        (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json"),
    ),
    security(
        ("bearer" = ["admin", "regional_staff", "district_staff", "deputy"]),
        ("api_key" = ["appeals:write"])
    )
)]
#[patch("/appeals/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<i64>,
    body: Body<UpdateAppeal>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::AppealsWrite)?;
    let id = id.into_inner();
    let expected = if_match(&req);
    let appeal = state
        .db
        .run(move |conn| {
            let (before, expected) = load_for_change(conn, &caller, id, expected)?;
            let patch = body.parse()?;
            let row = &before.0;
            let mut errors = Vec::new();
            if let Some(c) = &patch.category {
                intake::check_category(conn, c, &mut errors)?;
            }
            let path = match patch.territory_id {
                Some(t) => intake::check_territory(conn, &caller, Some(t), &mut errors)?,
                None => None,
            };
            let subject = patch.subject.as_deref().map(|s| validate::required_text("subject", s, intake::SUBJECT_MAX, &mut errors));
            let description = patch.description.as_deref().map(|d| {
                let d = validate::required_text("description", d, intake::DESCRIPTION_MAX, &mut errors);
                intake::check_cyrillic("description", &d, &mut errors);
                d
            });
            if let Some(l) = &patch.language {
                if Language::parse(l).is_none() {
                    errors.push(FieldError::new("language", "one_of", format!("must be one of {}", Language::choices())));
                }
            }
            let citizen = patch.citizen.as_ref().map(|c| intake::check_citizen(c, "citizen", &mut errors));
            let status = row.status;
            let extension = match (patch.extended_due_on, patch.extension_reason.as_deref().map(str::trim)) {
                (None, None) => None,
                (None, Some(_)) => {
                    errors.push(FieldError::new("extended_due_on", "required", "an extension needs the new date"));
                    None
                }
                (Some(date), reason) => {
                    crate::domain::dates::check_date("extended_due_on", date, &mut errors);
                    let reason = validate::optional_text("extension_reason", reason, intake::TEXT_MAX, &mut errors);
                    if reason.is_none() {
                        errors.push(FieldError::new("extension_reason", "required", "an extension needs a reason (APPK art. 76 p. 2)"));
                    }
                    let limit = rules::extension_limit(row.received_at);
                    if date > limit {
                        errors.push(FieldError::new(
                            "extended_due_on",
                            "extension_too_long",
                            format!("an extension may run at most 2 months from receipt, to {limit} (APPK art. 76 p. 2)"),
                        ));
                    } else if date <= row.extended_due_on.unwrap_or(row.due_on) {
                        errors.push(FieldError::new("extended_due_on", "not_later", "must be later than the deadline in force"));
                    }
                    if status.is_closed() {
                        errors.push(FieldError::new("extended_due_on", "closed", "a closed appeal has no deadline to extend"));
                    }
                    Some((date, reason.unwrap_or_default().to_owned()))
                }
            };
            if !errors.is_empty() {
                errors.sort_by(|a, b| a.field.cmp(&b.field));
                return Err(ApiError::Validation(errors));
            }
            let now = compat::now();
            compat::write_transaction(conn, |conn| {
                bump(conn, id, expected, now)?;
                let subject = subject.clone().unwrap_or_else(|| row.subject.clone());
                let description = description.clone().unwrap_or_else(|| row.description.clone());
                diesel::update(appeals::table.find(id))
                    .set((
                        appeals::category_code.eq(patch.category.clone().unwrap_or_else(|| row.category_code.clone())),
                        appeals::territory_id.eq(patch.territory_id.unwrap_or(row.territory_id)),
                        appeals::territory_path.eq(path.clone().unwrap_or_else(|| row.territory_path.clone())),
                        appeals::language.eq(patch.language.as_deref().unwrap_or(row.language.as_str())),
                        appeals::search_text.eq(model::search_text(&row.reg_number, &subject, &description)),
                        appeals::subject.eq(subject),
                        appeals::description.eq(description),
                        appeals::extended_due_on.eq(extension.as_ref().map(|e| e.0).or(row.extended_due_on)),
                        appeals::extension_reason.eq(extension.as_ref().map(|e| e.1.clone()).or(row.extension_reason.clone())),
                    ))
                    .execute(conn)?;
                if let Some(c) = &citizen {
                    let old = before.1.clone().unwrap_or_default();
                    diesel::update(appeal_citizens::table.find(id))
                        .set((
                            appeal_citizens::full_name.eq(c.full_name.clone().or(old.full_name)),
                            appeal_citizens::iin.eq(c.iin.clone().or(old.iin)),
                            appeal_citizens::phone.eq(c.phone.clone().or(old.phone)),
                            appeal_citizens::email.eq(c.email.clone().or(old.email)),
                            appeal_citizens::address.eq(c.address.clone().or(old.address)),
                        ))
                        .execute(conn)?;
                }
                let after = model::reload(conn, id)?;
                let changes = audit::diff(Some(&model::snapshot(&before)), Some(&model::snapshot(&after)), PERSONAL_FIELDS);
                let action = if extension.is_some() { "extended" } else { "updated" };
                let mut details = changes.clone();
                for field in PERSONAL_FIELDS {
                    if let Some(obj) = details.as_object_mut() {
                        if obj.contains_key(*field) {
                            obj.insert((*field).to_owned(), json!("changed"));
                        }
                    }
                }
                model::record_event(conn, &caller, id, action, None, None, extension.as_ref().map(|e| e.1.as_str()), details)?;
                audit::record(conn, &caller.audit_actor(), KIND, id, if extension.is_some() { "extend" } else { "update" }, changes)?;
                Ok(model::view(&after, model::may_reveal(&caller, &after.0), caller.allows(Permission::AppealsWrite), rules::today()))
            })
        })
        .await?;
    Ok(respond(actix_web::http::StatusCode::OK, &appeal))
}

/// Moves an appeal along its lifecycle (`If-Match`). Off-graph moves get 409
/// `invalid_transition` with the allowed targets in `allowed`.
#[utoipa::path(
    tag = "appeals",
    params(("id" = i64, Path, description = "Appeal id")),
    request_body = TransitionRequest,
    responses(
        (status = 200, body = Appeal, headers(("ETag" = String))),
        (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "Not allowed from the current status"),
        (status = 412, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json"),
    ),
    security(
        ("bearer" = ["admin", "regional_staff", "district_staff", "deputy"]),
        ("api_key" = ["appeals:write"])
    )
)]
#[post("/appeals/{id}/transitions")]
pub async fn transition(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<i64>,
    body: Body<TransitionRequest>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::AppealsWrite)?;
    let id = id.into_inner();
    let expected = if_match(&req);
    let appeal = state
        .db
        .run(move |conn| apply_transition(conn, &caller, id, expected, body.parse()))
        .await?;
    Ok(respond(actix_web::http::StatusCode::OK, &appeal))
}

/// Moves an appeal along the lifecycle graph: scope (404), `If-Match` (428/412), the
/// graph (409), the target's requirements (422); then one transaction with the
/// history entry and the audit row.
pub fn apply_transition(
    conn: &mut DbConn,
    caller: &Caller,
    id: i64,
    if_match: Result<IfMatch, ApiError>,
    body: Result<TransitionRequest, ApiError>,
) -> ApiResult<Appeal> {
    let (before, expected) = load_for_change(conn, caller, id, if_match)?;
    let t = body?;
    let from = before.0.status;
    let Some(to) = Status::parse(&t.to) else {
        return Err(ApiError::validation(
            "to",
            "one_of",
            &format!("must be one of {}", Status::choices()),
        ));
    };
    if !from.can_move_to(to) {
        return Err(ApiError::InvalidTransition {
            from: from.as_str().to_owned(),
            to: to.as_str().to_owned(),
            allowed: from.next().iter().map(|s| s.as_str().to_owned()).collect(),
        });
    }
    let mut errors = Vec::new();
    let text = |field: &str, v: &Option<String>, errors: &mut Vec<FieldError>| {
        validate::optional_text(field, v.as_deref(), intake::TEXT_MAX, errors)
    };
    let comment = text("comment", &t.comment, &mut errors);
    let assigned_body = text("assigned_body", &t.assigned_body, &mut errors);
    let resolution = text("resolution", &t.resolution, &mut errors);
    let forwarded_to = text("forwarded_to", &t.forwarded_to, &mut errors);
    match to {
        Status::Assigned => {
            if t.deputy_id.is_none() && assigned_body.is_none() {
                errors.push(FieldError::new(
                    "deputy_id",
                    "required",
                    "name a deputy and/or an assigned_body",
                ));
            }
            if let Some(d) = t.deputy_id {
                let status: Option<String> = deputies::table
                    .find(d)
                    .filter(deputies::deleted_at.is_null())
                    .select(deputies::mandate_status)
                    .first(conn)
                    .optional()?;
                let status = status
                    .map(|s| {
                        crate::db::enum_column::<MandateStatus>("deputies", "mandate_status", &s)
                    })
                    .transpose()?;
                match status {
                    None => errors.push(FieldError::new("deputy_id", "unknown", "no such deputy")),
                    Some(MandateStatus::Active) => {}
                    Some(_) => errors.push(FieldError::new(
                        "deputy_id",
                        "inactive",
                        "the deputy's mandate is not active",
                    )),
                }
            }
        }
        s if s.needs_resolution() && resolution.is_none() => {
            errors.push(FieldError::new(
                "resolution",
                "required",
                format!("a {} appeal needs a resolution text", s.as_str()),
            ));
        }
        Status::Forwarded if forwarded_to.is_none() => {
            errors.push(FieldError::new(
                "forwarded_to",
                "required",
                "name the competent body it is forwarded to",
            ));
        }
        Status::Reopened if comment.is_none() => {
            errors.push(FieldError::new(
                "comment",
                "required",
                "say why the appeal is reopened",
            ));
        }
        _ => {}
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let now = compat::now();
    compat::write_transaction(conn, |conn| {
        bump(conn, id, expected, now)?;
        let row = &before.0;
        let (deputy_id, assigned) = if to == Status::Assigned {
            (t.deputy_id, assigned_body.clone())
        } else {
            (row.deputy_id, row.assigned_body.clone())
        };
        let closing = to.needs_resolution();
        diesel::update(appeals::table.find(id))
            .set((
                appeals::status.eq(to.as_str()),
                appeals::deputy_id.eq(deputy_id),
                appeals::assigned_body.eq(assigned),
                appeals::resolution.eq(if closing {
                    resolution.clone()
                } else {
                    row.resolution.clone()
                }),
                appeals::resolved_at.eq(if closing {
                    Some(now)
                } else if to == Status::Reopened {
                    None
                } else {
                    row.resolved_at
                }),
                appeals::forwarded_to.eq(if to == Status::Forwarded {
                    forwarded_to.clone()
                } else {
                    row.forwarded_to.clone()
                }),
                appeals::forwarded_on.eq(if to == Status::Forwarded {
                    Some(rules::today())
                } else {
                    row.forwarded_on
                }),
            ))
            .execute(conn)?;
        let details = json!({
            "deputy_id": t.deputy_id,
            "assigned_body": assigned_body,
            "resolution": resolution,
            "forwarded_to": forwarded_to,
        });
        model::record_event(
            conn,
            caller,
            id,
            "transition",
            Some(from.as_str()),
            Some(to.as_str()),
            comment.as_deref(),
            details,
        )?;
        let after = model::reload(conn, id)?;
        audit::record(
            conn,
            &caller.audit_actor(),
            KIND,
            id,
            "transition",
            audit::diff(
                Some(&model::snapshot(&before)),
                Some(&model::snapshot(&after)),
                PERSONAL_FIELDS,
            ),
        )?;
        Ok(model::view(
            &after,
            model::may_reveal(caller, &after.0),
            caller.allows(Permission::AppealsWrite),
            rules::today(),
        ))
    })
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Every change of an appeal, oldest first: who, when, from → to, and the comment.
#[utoipa::path(
    tag = "appeals",
    params(("id" = i64, Path, description = "Appeal id"), HistoryQuery),
    responses(
        (status = 200, body = Page<AppealEvent>),
        (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(
        ("bearer" = ["admin", "regional_staff", "district_staff", "deputy", "viewer"]),
        ("api_key" = ["appeals:read"])
    )
)]
#[get("/appeals/{id}/history")]
pub async fn history(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    query: crate::extract::Query<HistoryQuery>,
) -> ApiResult<web::Json<Page<AppealEvent>>> {
    caller.authorize(Permission::AppealsRead)?;
    let id = id.into_inner();
    let q = query.into_inner();
    let mut errors = Vec::new();
    let limit = page_limit(q.limit.or(Some(200)), &mut errors);
    let after = decode_cursor(q.cursor.as_deref(), &mut errors);
    let page = state
        .db
        .run(move |conn| {
            model::load(conn, &caller, id)?;
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            let mut query = history_table::table
                .filter(history_table::entity.eq("appeal"))
                .filter(history_table::entity_id.eq(id))
                .into_boxed();
            if let Some(after) = after {
                query = query.filter(history_table::id.gt(after));
            }
            let rows: Vec<model::EventRow> = query
                .order(history_table::id.asc())
                .limit(limit + 1)
                .select(history_table::all_columns)
                .load(conn)?;
            let (rows, next_cursor) = paginate(rows, limit, |r| encode_cursor(r.id));
            Ok(Page {
                next_cursor,
                items: rows
                    .into_iter()
                    .map(model::EventRow::view)
                    .collect::<QueryResult<_>>()?,
                total: None,
            })
        })
        .await?;
    Ok(web::Json(page))
}

/// Removes an appeal registered by mistake (admin, `If-Match`). It stays as a tombstone
/// for sync clients (`updated_since`) and in the audit trail.
#[utoipa::path(
    tag = "appeals",
    params(("id" = i64, Path, description = "Appeal id")),
    responses(
        (status = 204),
        (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["admin"]))
)]
#[delete("/appeals/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::AppealsDelete)?;
    let id = id.into_inner();
    let expected = if_match(&req);
    state
        .db
        .run(move |conn| {
            let (before, expected) = load_for_change(conn, &caller, id, expected)?;
            let now = compat::now();
            compat::write_transaction(conn, |conn| {
                bump(conn, id, expected, now)?;
                diesel::update(appeals::table.find(id))
                    .set(appeals::deleted_at.eq(now))
                    .execute(conn)?;
                model::record_event(
                    conn,
                    &caller,
                    id,
                    "deleted",
                    Some(before.0.status.as_str()),
                    None,
                    None,
                    json!({}),
                )?;
                let after = model::reload(conn, id)?;
                audit::record(
                    conn,
                    &caller.audit_actor(),
                    KIND,
                    id,
                    "delete",
                    audit::diff(
                        Some(&model::snapshot(&before)),
                        Some(&model::snapshot(&after)),
                        PERSONAL_FIELDS,
                    ),
                )?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
