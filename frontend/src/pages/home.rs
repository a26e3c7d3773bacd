use baqylau_wire::auth::Me;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::server_status::ServerStatus;
use crate::i18n::use_strings;
use crate::route::Route;
use crate::session::{use_api, use_session, Api, SessionAction};

/// Asks the server who we are. A stored session may be stale: the access token may have
/// expired (then [`Api::call`] renews the pair) or been revoked (then it signs out).
async fn revalidate(api: Api, expired: UseStateHandle<bool>) {
    match api.call(|c| async move { api::auth::me(&c).await }).await {
        Ok(Me {
            user: Some(user), ..
        }) => api.session().dispatch(SessionAction::UserUpdated(user)),
        // A token always names a person; anything else is a server/dashboard mismatch.
        Ok(me) => web_sys::console::warn_1(&format!("GET /me without a user: {me:?}").into()),
        Err(err) if err.is_unauthorized() => expired.set(true),
        // A server hiccup is not a reason to sign the person out.
        Err(err) => web_sys::console::warn_1(&format!("GET /me: {err:?}").into()),
    }
}

#[function_component]
pub fn Home() -> Html {
    let strings = use_strings();
    let session = use_session();
    let api = use_api();
    let expired = use_state(|| false);
    {
        let expired = expired.clone();
        let user_id = session.user().map(|u| u.id);
        use_effect_with(user_id, move |user_id| {
            if user_id.is_some() {
                spawn_local(revalidate(api, expired));
            }
        });
    }

    let main_card = match session.user() {
        Some(user) => html! {
            <section class="card" data-testid="user-card">
                <h1>{ strings.welcome }{ ", " }<span data-testid="user-name">{ &user.display_name }</span></h1>
                <dl>
                    <dt>{ strings.email }</dt>
                    <dd data-testid="user-email">{ &user.email }</dd>
                    <dt>{ strings.role }</dt>
                    <dd data-testid="user-role">{ strings.role(user.role) }</dd>
                    <dt>{ strings.territory }</dt>
                    <dd>{
                        match user.territory_id {
                            Some(id) => format!("№ {id}"),
                            None => strings.all_territories.to_owned(),
                        }
                    }</dd>
                </dl>
            </section>
        },
        None => html! {
            <section class="card" data-testid="signed-out">
                <h1>{ strings.welcome }</h1>
                if *expired {
                    <p class="notice">{ strings.session_expired }</p>
                }
                <p>{ strings.please_sign_in }</p>
                <Link<Route> to={Route::Login} classes="button">{ strings.sign_in }</Link<Route>>
            </section>
        },
    };

    html! {
        <div class="page home">
            { main_card }
            <ServerStatus />
        </div>
    }
}
