//! Reading the audit trail (admin).

use actix_web::{get, web};
use baqylau_wire::auth::ActorKind;
use baqylau_wire::common::Page;
use baqylau_wire::reference::AuditEntry;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::audit::Row;
use crate::auth::{Caller, Permission};
use crate::db::schema::audit_log;
use crate::error::{ApiError, ApiResult, FieldError, Problem};
use crate::extract::{decode_cursor, encode_cursor, page_limit, paginate, parse_timestamp};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_audit);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// `appeal`, `user`, `api_key`, `territory`, ...
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    #[param(value_type = Option<ActorKind>)]
    pub actor_kind: Option<String>,
    pub actor_id: Option<i64>,
    /// `create`, `update`, `transition`, `revoke`, `read_personal_data`, ...
    pub action: Option<String>,
    /// Changes at or after this time (RFC 3339).
    pub from: Option<String>,
    /// Changes before this time (RFC 3339).
    pub to: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Who changed what, when — newest first. Only unbound admins read the whole trail;
/// rows carry no territory, so a territory-bound admin is refused rather than shown
/// other districts' changes.
#[utoipa::path(
    tag = "audit",
    params(AuditQuery),
    responses((status = 200, body = Page<AuditEntry>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = ["admin"]))
)]
#[get("/audit")]
pub async fn list_audit(
    state: web::Data<AppState>,
    caller: Caller,
    query: crate::extract::Query<AuditQuery>,
) -> ApiResult<web::Json<Page<AuditEntry>>> {
    caller.authorize(Permission::AuditRead)?;
    if caller.territory.is_some() {
        return Err(ApiError::Forbidden(
            "the audit trail is for admins without a territory binding".to_owned(),
        ));
    }
    let q = query.into_inner();
    let mut errors = Vec::new();
    let limit = page_limit(q.limit, &mut errors);
    let after = decode_cursor(q.cursor.as_deref(), &mut errors);
    let from = parse_timestamp("from", q.from.as_deref(), &mut errors);
    let to = parse_timestamp("to", q.to.as_deref(), &mut errors);
    if let Some(kind) = &q.actor_kind {
        if ActorKind::parse(kind).is_none() {
            errors.push(FieldError::new(
                "actor_kind",
                "one_of",
                format!("must be one of {}", ActorKind::choices()),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let page = state
        .db
        .run(move |conn| {
            let mut query = audit_log::table.into_boxed();
            if let Some(v) = q.entity {
                query = query.filter(audit_log::entity.eq(v));
            }
            if let Some(v) = q.entity_id {
                query = query.filter(audit_log::entity_id.eq(v));
            }
            if let Some(v) = q.actor_kind {
                query = query.filter(audit_log::actor_kind.eq(v));
            }
            if let Some(v) = q.actor_id {
                query = query.filter(audit_log::actor_id.eq(v));
            }
            if let Some(v) = q.action {
                query = query.filter(audit_log::action.eq(v));
            }
            if let Some(v) = from {
                query = query.filter(audit_log::at.ge(v));
            }
            if let Some(v) = to {
                query = query.filter(audit_log::at.lt(v));
            }
            if let Some(v) = after {
                query = query.filter(audit_log::id.lt(v));
            }
            #[allow(clippy::type_complexity)]
            let rows: Vec<(Row, String)> = query
                .order(audit_log::id.desc())
                .limit(limit + 1)
                .select((Row::as_select(), audit_log::hash))
                .load(conn)?;
            let (rows, next_cursor) = paginate(rows, limit, |(r, _)| encode_cursor(r.id));
            Ok(Page {
                next_cursor,
                items: rows
                    .into_iter()
                    .map(|(row, hash)| entry(row, hash))
                    .collect::<QueryResult<_>>()?,
                total: None,
            })
        })
        .await?;
    Ok(web::Json(page))
}

fn entry(row: Row, hash: String) -> QueryResult<AuditEntry> {
    Ok(AuditEntry {
        id: row.id,
        at: row.at.and_utc(),
        actor_kind: crate::db::enum_column("audit_log", "actor_kind", &row.actor_kind)?,
        actor_id: row.actor_id,
        actor_label: row.actor_label,
        entity: row.entity,
        entity_id: row.entity_id,
        action: row.action,
        // Written by `audit::record` from a serde_json value, so it always parses.
        changes: serde_json::from_str(&row.changes).unwrap_or(serde_json::Value::Null),
        request_id: row.request_id,
        hash,
    })
}
