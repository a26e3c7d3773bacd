//! Reading the audit trail: a thin HTTP handler over [`crate::audit::list`] (admin).

use actix_web::{get, web};
use baqylau_wire::auth::ActorKind;
use baqylau_wire::common::Page;
use baqylau_wire::reference::AuditEntry;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::audit;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::{parse_timestamp, Query};
use crate::kit::page::PageParams;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_audit);
}

/// The list's name in its cursors.
const LIST: &str = "audit";

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
}

/// Who changed what, when — newest first. Only unbound admins read the whole trail;
/// rows carry no territory, so a territory-bound admin is refused rather than shown
/// other districts' changes.
#[utoipa::path(
    tag = "audit",
    params(PageParams, AuditQuery),
    responses((status = 200, body = Page<AuditEntry>), ),
    extensions(("x-permission" = json!("audit.read")))
)]
#[get("/audit")]
pub async fn list_audit(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<AuditQuery>,
    page: Query<PageParams>,
) -> ApiResult<web::Json<Page<AuditEntry>>> {
    audit::may_read(&caller)?;
    let q = query.into_inner();
    let mut errors = Vec::new();
    let page = page.check(state.tokens.cursors(), LIST, &mut errors)?;
    let from = parse_timestamp("from", q.from.as_deref(), &mut errors);
    let to = parse_timestamp("to", q.to.as_deref(), &mut errors);
    let actor_kind = q.actor_kind.as_deref().and_then(|kind| {
        let parsed = ActorKind::parse(kind);
        if parsed.is_none() {
            errors.push(FieldError::new(
                "actor_kind",
                "one_of",
                format!("must be one of {}", ActorKind::choices()),
            ));
        }
        parsed
    });
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let filter = audit::Filter {
        entity: q.entity,
        entity_id: q.entity_id,
        actor_kind,
        actor_id: q.actor_id,
        action: q.action,
        from,
        to,
    };
    let slice = state
        .db
        .run(move |conn| audit::list(conn, &caller, &filter, &page))
        .await?;
    Ok(web::Json(slice.into_page(state.tokens.cursors(), LIST)))
}
