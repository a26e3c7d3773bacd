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
