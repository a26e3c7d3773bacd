//! The dashboard's URLs. In a module of their own so that pages and components can link
//! to each other without depending on `app.rs`, which depends on all of them.

use yew_router::prelude::*;

#[derive(Clone, Debug, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/login")]
    Login,
    /// The list, with its filters in the query string.
    #[at("/appeals")]
    Appeals,
    #[at("/appeals/new")]
    NewAppeal,
    #[at("/appeals/:id")]
    Appeal { id: i64 },
    /// The deputies registry, with its filters in the query string.
    #[at("/deputies")]
    Deputies,
    #[at("/deputies/coverage")]
    DeputyCoverage,
    #[at("/deputies/ratings")]
    DeputyRatings,
    #[at("/deputies/:id")]
    Deputy { id: i64 },
    /// The overview of the person's territory.
    #[at("/overview")]
    Overview,
    #[at("/receptions")]
    Receptions,
    /// Places nobody visited lately (before `/receptions/:id`, which it would match).
    #[at("/receptions/coverage")]
    Coverage,
    /// Planning one (before `/receptions/:id`, which it would match).
    #[at("/receptions/new")]
    NewReception,
    /// A month of receptions.
    #[at("/receptions/calendar")]
    ReceptionCalendar,
    #[at("/receptions/:id")]
    Reception { id: i64 },
    /// Taking appeals on site; works without signal once opened.
    #[at("/receptions/:id/capture")]
    Capture { id: i64 },
    #[at("/receptions/:id/report")]
    ReceptionReport { id: i64 },
    #[at("/roadmaps")]
    Roadmaps,
    #[at("/roadmaps/:id")]
    Roadmap { id: i64 },
    #[at("/roadmaps/:id/import")]
    RoadmapImport { id: i64 },
    /// Anything else: the server falls back to `index.html` for unknown paths, so the
    /// dashboard, not the server, says "not found".
    #[not_found]
    #[at("/404")]
    NotFound,
}
