//! Reading the audit trail: a thin HTTP handler over [`crate::audit::list`] (admin).

use actix_web::{get, web};
use baqylau_wire::auth::ActorKind;
use baqylau_wire::common::Page;
use baqylau_wire::reference::AuditEntry;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::audit;
use crate::auth::Caller;
use crate::error::{ApiResult, FieldError};
use crate::kit::list::params::{one_of, timestamp, timestamp_end};
use crate::kit::list::{Filters, ListParams, ListQuery};
use crate::routes::page;
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
    /// Changes at or after this time (RFC 3339), or the start of this date (Asia/Almaty).
    pub from: Option<String>,
    /// Changes before this time (RFC 3339), or before the end of this date (Asia/Almaty).
    pub to: Option<String>,
}

/// Who changed what, when — newest first. Only unbound admins read the whole trail;
/// rows carry no territory, so a territory-bound admin is refused rather than shown
/// other districts' changes.
#[utoipa::path(
    tag = "audit",
    params(ListParams, AuditQuery),
    responses((status = 200, body = Page<AuditEntry>), ),
    extensions(("x-permission" = json!("audit.read")))
)]
#[get("/audit")]
pub async fn list_audit(
    state: web::Data<AppState>,
    caller: Caller,
    query: ListQuery<AuditQuery>,
) -> ApiResult<web::Json<Page<AuditEntry>>> {
    audit::may_read(&caller)?;
    let (filter, request) = query.one_order(&state.cursors, LIST)?;
    page(&state, LIST.into(), move |conn| {
        audit::list(conn, &caller, &filter, &request)
    })
    .await
}

impl Filters for AuditQuery {
    type Checked = audit::Filter;
    fn check(&self, errors: &mut Vec<FieldError>) -> audit::Filter {
        audit::Filter {
            entity: self.entity.clone(),
            entity_id: self.entity_id.clone(),
            actor_kind: one_of::<ActorKind>("actor_kind", self.actor_kind.as_deref(), errors),
            actor_id: self.actor_id,
            action: self.action.clone(),
            from: timestamp("from", self.from.as_deref(), errors),
            to: timestamp_end("to", self.to.as_deref(), errors),
        }
    }
}
