use baqylau_wire::auth::{Role, UserView};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError, Client};
use crate::components::names::TerritoryName;
use crate::components::server_status::ServerStatus;
use crate::hooks::{use_fetch, Fetch};
use crate::i18n::use_lang;
use crate::route::Route;
use crate::session::{use_session, SessionAction};

/// Who the server says we are, for a signed-in session (`None` for none). A stored
/// session may be stale: the access token may have expired (then [`use_fetch`] renews the
/// pair) or been revoked (then the session ends as expired).
async fn who_am_i(client: Client, user_id: Option<i64>) -> Result<Option<UserView>, ApiError> {
    if user_id.is_none() {
        return Ok(None);
    }
    let me = api::auth::me(&client).await?;
    if me.user.is_none() {
        // A token always names a person; anything else is a server/dashboard mismatch.
        web_sys::console::warn_1(&format!("GET /me without a user: {me:?}").into());
    }
    Ok(me.user)
}

#[function_component]
pub fn Home() -> Html {
    let lang = *use_lang();
    let session = use_session();
    let me = use_fetch(session.user().map(|u| u.id), who_am_i);
    {
        let session = session.clone();
        use_effect_with(me.get().clone(), move |me| match me {
            Fetch::Loaded(user) => {
                if let Some(user) = user.as_ref().clone() {
                    session.dispatch(SessionAction::UserUpdated(user));
                }
            }
            // A 401 has already ended the session; a server hiccup is no reason to.
            Fetch::Failed(err) if !err.is_unauthorized() => {
                web_sys::console::warn_1(&format!("GET /me: {err:?}").into())
            }
            _ => {}
        });
    }

    let main_card = match session.user() {
        Some(user) => html! {
            <section class="card" data-testid="user-card">
                <h1>{ lang.common().welcome }{ ", " }<span data-testid="user-name">{ &user.display_name }</span></h1>
                <dl>
                    <dt>{ lang.auth().email }</dt>
                    <dd data-testid="user-email">{ &user.email }</dd>
                    <dt>{ lang.auth().role }</dt>
                    <dd data-testid="user-role">{ lang.auth().role(user.role) }</dd>
                    <dt>{ lang.territories().territory }</dt>
                    <dd data-testid="user-territory">{
                        match user.territory_id {
                            Some(id) => html! { <TerritoryName {id} /> },
                            None => html! { lang.territories().all_territories },
                        }
                    }</dd>
                </dl>
            </section>
        },
        None => html! {
            <section class="card" data-testid="signed-out">
                <h1>{ lang.common().welcome }</h1>
                if session.expired() {
                    <p class="notice">{ lang.auth().session_expired }</p>
                }
                <p>{ lang.auth().please_sign_in }</p>
                <Link<Route> to={Route::Login} classes="button">{ lang.auth().sign_in }</Link<Route>>
            </section>
        },
    };

    html! {
        <div class="page home">
            { main_card }
            // The database and the version are for whoever runs the server.
            <ServerStatus details={session.user().is_some_and(|u| u.role == Role::Admin)} />
        </div>
    }
}
