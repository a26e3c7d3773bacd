use crate::components::field::value_of;
use baqylau_wire::auth::LoginRequest;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError, Client};
use crate::components::error_message::ErrorMessage;
use crate::components::require_auth::{return_to, LoginQuery};
use crate::i18n::use_lang;
use crate::route::Route;
use crate::session::{use_session, SessionAction};

fn bind_input(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| {
        state.set(value_of(&e));
    })
}

#[function_component]
pub fn Login() -> Html {
    let lang = *use_lang();
    let session = use_session();
    let navigator = use_navigator();
    let next = use_location()
        .and_then(|l| l.query::<LoginQuery>().ok())
        .and_then(|q| q.next);
    let email = use_state(String::new);
    let password = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<ApiError>);

    let onsubmit = {
        let (session, email, password) = (session.clone(), email.clone(), password.clone());
        let (busy, error) = (busy.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            error.set(None);
            let body = LoginRequest {
                email: email.trim().to_owned(),
                password: (*password).clone(),
            };
            let (session, busy, error) = (session.clone(), busy.clone(), error.clone());
            spawn_local(async move {
                match api::auth::login(&Client::anonymous(), &body).await {
                    // The session change sends the person on (see below).
                    Ok(tokens) => session.dispatch(SessionAction::SignedIn(tokens)),
                    Err(err) => {
                        error.set(Some(err));
                        busy.set(false);
                    }
                }
            });
        })
    };

    // Signed in (now, or already when the page opened): on to the page that sent the
    // person here, or home. Replace, so that "back" does not return to this form.
    let signed_in = session.user().is_some();
    use_effect_with((signed_in, next), move |(signed_in, next)| {
        let Some(navigator) = navigator.filter(|_| *signed_in) else {
            return;
        };
        let (route, query) = return_to(next.as_deref());
        if let Err(err) = navigator.replace_with_query(&route, &query) {
            web_sys::console::warn_1(&format!("cannot return after sign-in: {err:?}").into());
            navigator.replace(&Route::Home);
        }
    });
    if signed_in {
        return html! {};
    }

    html! {
        <div class="page login">
            <form class="card login-form" data-testid="login-form" {onsubmit}>
                <h1>{ lang.auth().sign_in_title }</h1>
                <p class="muted">{ lang.auth().sign_in_hint }</p>
                <label for="email">{ lang.auth().email }</label>
                <input id="email" name="email" type="email" autocomplete="username" required=true
                       data-testid="email" value={(*email).clone()} oninput={bind_input(&email)} />
                <label for="password">{ lang.auth().password }</label>
                <input id="password" name="password" type="password" required=true
                       autocomplete="current-password" data-testid="password"
                       value={(*password).clone()} oninput={bind_input(&password)} />
                if let Some(err) = &*error {
                    <ErrorMessage error={err.clone()} />
                }
                <button type="submit" class="button" data-testid="sign-in" disabled={*busy}>
                    { if *busy { lang.auth().signing_in } else { lang.auth().sign_in } }
                </button>
            </form>
        </div>
    }
}
