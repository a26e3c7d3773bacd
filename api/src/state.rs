//! What every handler can reach through `web::Data<AppState>`. It lives apart from
//! `startup`, so that handlers and extractors depend on the state, not on the code that
//! assembles the server.

use std::sync::Arc;

use crate::auth::tokens::TokenKeys;
use crate::config::Settings;
use crate::db::Db;
use crate::domain::calendar::WorkingCalendar;
use crate::kit::clock::Clock;

pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub tokens: TokenKeys,
    /// Signs and checks list cursors (`kit::list`).
    pub cursors: crate::kit::list::CursorKey,
    pub calendar: WorkingCalendar,
    pub metrics: crate::telemetry::metrics::Metrics,
    /// "Now" and "today" for every operation (the system clock; fixed in tests).
    pub clock: Clock,
}
