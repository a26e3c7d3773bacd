//! HTTP handlers, one module per capability; each exposes `configure`.

pub mod api_keys;
pub mod appeals;
pub mod audit;
pub mod auth;
pub mod deputies;
pub mod dialogue;
pub mod indicators;
pub mod meta;
pub mod metrics;
pub mod open311;
pub mod ratings;
pub mod receptions;
pub mod reference;
pub mod reserve;
pub mod roadmap_import;
pub mod roadmaps;
pub mod stats;
pub mod territories;
pub mod users;
pub mod webhooks;

/// Everything under `/api/v1`.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.configure(auth::configure)
        .configure(users::configure)
        .configure(api_keys::configure)
        .configure(territories::configure)
        .configure(reference::configure)
        .configure(appeals::configure)
        .configure(receptions::configure)
        .configure(dialogue::configure)
        .configure(roadmaps::configure)
        .configure(indicators::configure)
        .configure(deputies::configure)
        .configure(ratings::configure)
        .configure(reserve::configure)
        .configure(webhooks::configure)
        .configure(stats::configure)
        .configure(audit::configure);
}

/// Answers one page of a list: `run` on a pooled connection, the next position signed
/// for the list's `name`. Every list handler ends here.
pub async fn page<T, K>(
    state: &crate::state::AppState,
    name: String,
    run: impl FnOnce(&mut crate::db::DbConn) -> crate::error::ApiResult<crate::kit::list::Slice<T, K>>
        + Send
        + 'static,
) -> crate::error::ApiResult<actix_web::web::Json<baqylau_wire::common::Page<T>>>
where
    T: Send + 'static,
    K: serde::Serialize + Send + 'static,
{
    let slice = state.db.run(run).await?;
    Ok(actix_web::web::Json(slice.into_page(&state.cursors, &name)))
}
