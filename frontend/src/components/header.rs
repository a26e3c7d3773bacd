use baqylau_wire::auth::{RefreshRequest, Role};
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::lang_switcher::LangSwitcher;
use crate::i18n::use_lang;
use crate::route::Route;
use crate::session::{use_session, SessionAction};

#[function_component]
pub fn Header() -> Html {
    let lang = *use_lang();
    let session = use_session();
    let route = use_route::<Route>();

    let on_sign_out = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| {
            let session = session.clone();
            let client = session.client();
            let refresh_token = session.refresh_token().map(str::to_owned);
            spawn_local(async move {
                if let Some(refresh_token) = refresh_token {
                    let body = RefreshRequest { refresh_token };
                    // Signing out locally must not depend on the server: if revoking the
                    // refresh token fails, it still dies with the tab's sessionStorage.
                    if let Err(err) = api::auth::logout(&client, &body).await {
                        web_sys::console::warn_1(&format!("logout: {err:?}").into());
                    }
                }
                session.dispatch(SessionAction::SignedOut);
            });
        })
    };

    let account = match session.user() {
        Some(user) => html! {
            <div class="account">
                <span class="account-name" data-testid="header-user">{ &user.display_name }</span>
                <button type="button" class="button secondary" data-testid="sign-out"
                        onclick={on_sign_out}>
                    { lang.auth().sign_out }
                </button>
            </div>
        },
        None if route != Some(Route::Login) => html! {
            <Link<Route> to={Route::Login} classes="button">{ lang.auth().sign_in }</Link<Route>>
        },
        None => html! {},
    };

    // Where signed-in staff work; viewers only read, so they get no registration link.
    let nav = match session.user() {
        Some(user) => {
            let current = |r: Route| (route.as_ref() == Some(&r)).then_some("current");
            let deputies_current = matches!(
                route,
                Some(
                    Route::Deputies
                        | Route::Deputy { .. }
                        | Route::DeputyCoverage
                        | Route::DeputyRatings
                )
            )
            .then_some("current");
            html! {
                <nav class="main-nav" aria-label={lang.appeals().nav_appeals}>
                    <Link<Route> to={Route::Overview} classes={classes!("nav-link", current(Route::Overview))}>
                        <span data-testid="nav-overview">{ lang.dashboard().nav_overview }</span>
                    </Link<Route>>
                    <Link<Route> to={Route::Appeals} classes={classes!("nav-link", current(Route::Appeals))}>
                        <span data-testid="nav-appeals">{ lang.appeals().nav_appeals }</span>
                    </Link<Route>>
                    <Link<Route> to={Route::Receptions} classes={classes!("nav-link", current(Route::Receptions))}>
                        <span data-testid="nav-receptions">{ lang.dashboard().nav_receptions }</span>
                    </Link<Route>>
                    <Link<Route> to={Route::Roadmaps} classes={classes!("nav-link", current(Route::Roadmaps))}>
                        <span data-testid="nav-roadmaps">{ lang.dashboard().nav_roadmaps }</span>
                    </Link<Route>>
                    if user.role != Role::Viewer {
                        <Link<Route> to={Route::NewAppeal} classes={classes!("nav-link", current(Route::NewAppeal))}>
                            <span data-testid="nav-new-appeal">{ lang.appeals().nav_new_appeal }</span>
                        </Link<Route>>
                    }
                    <Link<Route> to={Route::Deputies} classes={classes!("nav-link", deputies_current)}>
                        <span data-testid="nav-deputies">{ lang.deputies().nav_deputies }</span>
                    </Link<Route>>
                </nav>
            }
        }
        None => html! {},
    };

    html! {
        <header class="header">
            <Link<Route> to={Route::Home} classes="brand">
                <span class="brand-name" data-testid="brand">{ lang.common().app_name }</span>
                <span class="brand-tagline">{ lang.common().tagline }</span>
            </Link<Route>>
            { nav }
            <nav class="header-tools">
                <a class="docs-link" href="/api/docs">{ lang.common().api_docs }</a>
                <LangSwitcher />
                { account }
            </nav>
        </header>
    }
}
