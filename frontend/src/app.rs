//! The route switch and the providers every page relies on. Pages for signed-in people
//! are wrapped in `RequireAuth` here, rather than each checking the session itself.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::header::Header;
use crate::components::require_auth::RequireAuth;
use crate::i18n::LangProvider;
use crate::pages::appeals::{detail::AppealPage, list::AppealList, new::NewAppealPage};
use crate::pages::deputies::{
    coverage::CoveragePage as DeputyCoveragePage, detail::DeputyPage, list::DeputyList,
    ratings::RatingsPage,
};
use crate::pages::overview::OverviewPage;
use crate::pages::receptions::calendar::ReceptionCalendar;
use crate::pages::receptions::capture::CapturePage;
use crate::pages::receptions::coverage::CoveragePage;
use crate::pages::receptions::detail::{ReceptionPage, ReceptionReportPage};
use crate::pages::receptions::list::ReceptionList;
use crate::pages::receptions::plan::PlanReceptionPage;
use crate::pages::roadmaps::{import::RoadmapImport, list::RoadmapList, summary::RoadmapPage};
use crate::pages::{home::Home, login::Login, not_found::NotFound};
use crate::route::Route;
use crate::session::SessionProvider;

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::Login => html! { <Login /> },
        Route::Appeals => html! { <RequireAuth><AppealList /></RequireAuth> },
        Route::NewAppeal => html! { <RequireAuth><NewAppealPage /></RequireAuth> },
        Route::Appeal { id } => html! { <RequireAuth><AppealPage {id} /></RequireAuth> },
        Route::Deputies => html! { <RequireAuth><DeputyList /></RequireAuth> },
        Route::DeputyCoverage => html! { <RequireAuth><DeputyCoveragePage /></RequireAuth> },
        Route::DeputyRatings => html! { <RequireAuth><RatingsPage /></RequireAuth> },
        Route::Deputy { id } => html! { <RequireAuth><DeputyPage {id} /></RequireAuth> },
        Route::Overview => html! { <RequireAuth><OverviewPage /></RequireAuth> },
        Route::Receptions => html! { <RequireAuth><ReceptionList /></RequireAuth> },
        Route::Coverage => html! { <RequireAuth><CoveragePage /></RequireAuth> },
        Route::NewReception => html! { <RequireAuth><PlanReceptionPage /></RequireAuth> },
        Route::ReceptionCalendar => html! { <RequireAuth><ReceptionCalendar /></RequireAuth> },
        Route::Reception { id } => html! { <RequireAuth><ReceptionPage {id} /></RequireAuth> },
        Route::ReceptionReport { id } => {
            html! { <RequireAuth><ReceptionReportPage {id} /></RequireAuth> }
        }
        Route::Capture { id } => html! { <RequireAuth><CapturePage {id} /></RequireAuth> },
        Route::Roadmaps => html! { <RequireAuth><RoadmapList /></RequireAuth> },
        Route::Roadmap { id } => html! { <RequireAuth><RoadmapPage {id} /></RequireAuth> },
        Route::RoadmapImport { id } => html! { <RequireAuth><RoadmapImport {id} /></RequireAuth> },
        Route::NotFound => html! { <NotFound /> },
    }
}

/// The whole dashboard.
#[function_component]
pub fn App() -> Html {
    frame(switch)
}

/// The sign-in screen alone (`crate::start_sign_in`). Any other route it reaches (the
/// page the person came for, once signed in) needs the whole dashboard: the page is
/// loaded again, and `boot.js` starts the dashboard now that a session exists.
#[function_component]
pub fn SignIn() -> Html {
    frame(|route| match route {
        Route::Login => html! { <Login /> },
        _ => html! { <LoadDashboard /> },
    })
}

#[function_component]
fn LoadDashboard() -> Html {
    use_effect_with((), |_| {
        if let Some(window) = web_sys::window() {
            if let Err(err) = window.location().reload() {
                web_sys::console::warn_1(&err);
            }
        }
    });
    html! {}
}

/// The providers, the header and the routed page, the same for both bundles.
fn frame(render: fn(Route) -> Html) -> Html {
    html! {
        <LangProvider>
            <SessionProvider>
                <BrowserRouter>
                    <div class="app" data-testid="app">
                        <Header />
                        <main class="content">
                            <Switch<Route> {render} />
                        </main>
                    </div>
                </BrowserRouter>
            </SessionProvider>
        </LangProvider>
    }
}
