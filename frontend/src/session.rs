//! Who is signed in, shared through context (no global mutable state).
//!
//! Tokens are kept in `sessionStorage`, not `localStorage`: they survive a reload but die
//! with the tab, which limits what a browser left open on a shared office computer gives
//! away. The short-lived access token is still readable by scripts on the page; the
//! dashboard loads no third-party scripts for that reason.

use std::rc::Rc;

use baqylau_wire::auth::{TokenResponse, UserView};
use gloo_storage::{SessionStorage, Storage};
use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::api::Client;

const STORAGE_KEY: &str = "baqylau.session";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct SignedIn {
    access_token: String,
    refresh_token: String,
    user: UserView,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    signed_in: Option<SignedIn>,
}

impl Session {
    /// The session this tab had before a reload. An entry that is missing or unreadable
    /// (e.g. written by an older dashboard) just means "signed out".
    fn restore() -> Session {
        Session {
            signed_in: SessionStorage::get(STORAGE_KEY).ok(),
        }
    }

    fn persist(&self) {
        let result = match &self.signed_in {
            Some(signed_in) => SessionStorage::set(STORAGE_KEY, signed_in),
            None => {
                SessionStorage::delete(STORAGE_KEY);
                Ok(())
            }
        };
        if let Err(err) = result {
            // Private browsing may refuse storage: the session then lasts until reload.
            web_sys::console::warn_1(&format!("cannot keep the session: {err}").into());
        }
    }

    pub fn user(&self) -> Option<&UserView> {
        self.signed_in.as_ref().map(|s| &s.user)
    }

    pub fn refresh_token(&self) -> Option<&str> {
        self.signed_in.as_ref().map(|s| s.refresh_token.as_str())
    }

    /// An API client acting as the signed-in user, or anonymously.
    pub fn client(&self) -> Client {
        match &self.signed_in {
            Some(s) => Client::with_token(&s.access_token),
            None => Client::anonymous(),
        }
    }
}

pub enum SessionAction {
    /// A login or a refresh produced a new token pair.
    SignedIn(TokenResponse),
    /// `/me` returned a fresher view of the same user.
    UserUpdated(UserView),
    SignedOut,
}

impl Reducible for Session {
    type Action = SessionAction;

    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        let signed_in = match action {
            SessionAction::SignedIn(t) => Some(SignedIn {
                access_token: t.access_token,
                refresh_token: t.refresh_token,
                user: t.user,
            }),
            SessionAction::UserUpdated(user) => match &self.signed_in {
                Some(s) if s.user.id == user.id => Some(SignedIn { user, ..s.clone() }),
                _ => return self,
            },
            SessionAction::SignedOut => None,
        };
        Rc::new(Session { signed_in })
    }
}

pub type SessionHandle = UseReducerHandle<Session>;

#[derive(Properties, PartialEq)]
pub struct SessionProviderProps {
    pub children: Html,
}

#[function_component]
pub fn SessionProvider(props: &SessionProviderProps) -> Html {
    let session = use_reducer(Session::restore);
    use_effect_with((*session).clone(), |session| session.persist());
    html! {
        <ContextProvider<SessionHandle> context={session}>
            { props.children.clone() }
        </ContextProvider<SessionHandle>>
    }
}

/// The session; dispatch a [`SessionAction`] to change it.
#[hook]
pub fn use_session() -> SessionHandle {
    use_context::<SessionHandle>().expect("use_session() outside <SessionProvider>")
}
