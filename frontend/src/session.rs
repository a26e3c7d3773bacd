//! Who is signed in, shared through context (no global mutable state), and [`Api`]: calls
//! made as that person, which survive the access token's expiry.
//!
//! Tokens are kept in `sessionStorage`, not `localStorage`: they survive a reload but die
//! with the tab, which limits what a browser left open on a shared office computer gives
//! away. The short-lived access token is still readable by scripts on the page; the
//! dashboard loads no third-party scripts for that reason.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use baqylau_wire::auth::{RefreshRequest, TokenResponse, UserView};
use gloo_storage::{SessionStorage, Storage};
use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::api::{self, ApiError, Client};

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
    /// The last session ended because the server would not renew it, not by signing
    /// out: the home page says so. Not persisted; a reload forgets it.
    expired: bool,
}

impl Session {
    /// The session this tab had before a reload. An entry that is missing or unreadable
    /// (e.g. written by an older dashboard) just means "signed out".
    fn restore() -> Session {
        Session {
            signed_in: SessionStorage::get(STORAGE_KEY).ok(),
            expired: false,
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

    pub fn expired(&self) -> bool {
        self.expired
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
    /// The server refused the session (a 401 that renewing could not cure).
    Expired,
}

impl Reducible for Session {
    type Action = SessionAction;

    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        let expired = matches!(action, SessionAction::Expired);
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
            SessionAction::SignedOut | SessionAction::Expired => None,
        };
        Rc::new(Session { signed_in, expired })
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
    let renewals = use_state(Renewals::default);
    use_effect_with((*session).clone(), |session| session.persist());
    html! {
        <ContextProvider<SessionHandle> context={session}>
            <ContextProvider<Renewals> context={(*renewals).clone()}>
                { props.children.clone() }
            </ContextProvider<Renewals>>
        </ContextProvider<SessionHandle>>
    }
}

/// The session; dispatch a [`SessionAction`] to change it.
#[hook]
pub fn use_session() -> SessionHandle {
    use_context::<SessionHandle>().expect("use_session() outside <SessionProvider>")
}

/// The token-pair renewals of this tab, by the refresh token each one spent.
///
/// A refresh token is single-use, and presenting a spent one makes the server revoke
/// the whole token family (it looks like theft). A page that loads several things at
/// once gets several 401s when the access token expires, so they must share one renewal
/// rather than each spending the same refresh token.
#[derive(Clone, Default)]
pub struct Renewals(Rc<RefCell<HashMap<String, Renewal>>>);

#[derive(Clone)]
enum Renewal {
    Pending,
    Done(Rc<Result<TokenResponse, ApiError>>),
}

impl PartialEq for Renewals {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Renewals {
    /// The newest token pair descending from `spent`: renewed now, or by whoever got
    /// there first. Only a refusal by the server is remembered; a network failure may
    /// be retried later with the same refresh token.
    async fn renew(&self, spent: &str) -> Result<TokenResponse, ApiError> {
        let mut token = spent.to_owned();
        loop {
            let known = self.0.borrow().get(&token).cloned();
            match known {
                None => {
                    self.0.borrow_mut().insert(token.clone(), Renewal::Pending);
                    let body = RefreshRequest {
                        refresh_token: token.clone(),
                    };
                    let result = api::auth::refresh(&Client::anonymous(), &body).await;
                    match &result {
                        Err(err) if err.status().is_none() => self.0.borrow_mut().remove(&token),
                        _ => self
                            .0
                            .borrow_mut()
                            .insert(token, Renewal::Done(Rc::new(result.clone()))),
                    };
                    return result;
                }
                Some(Renewal::Pending) => {
                    yew::platform::time::sleep(Duration::from_millis(50)).await;
                }
                Some(Renewal::Done(result)) => match &*result {
                    // A later renewal may have spent this pair's refresh token in turn.
                    Ok(pair) if self.0.borrow().contains_key(&pair.refresh_token) => {
                        token = pair.refresh_token.clone();
                    }
                    _ => return (*result).clone(),
                },
            }
        }
    }
}

/// The API as the signed-in person; get it with [`use_api`].
#[derive(Clone, PartialEq)]
pub struct Api {
    session: SessionHandle,
    renewals: Renewals,
}

impl Api {
    /// Runs `call` with the person's client. When the access token has expired (401),
    /// renews the pair once and runs it again, so that a form filled in over a quarter
    /// of an hour is not lost. When the server refuses the renewal, or still says 401
    /// with the new pair, the session ends (`Expired`) and the 401 is returned; the
    /// page's `RequireAuth` then sends the person to sign in and back.
    pub async fn call<T, F, Fut>(&self, call: F) -> Result<T, ApiError>
    where
        F: Fn(Client) -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let first = call(self.session.client()).await;
        let refresh_token = match &first {
            Err(err) if err.is_unauthorized() => self.session.refresh_token(),
            _ => None,
        };
        let Some(refresh_token) = refresh_token else {
            return first;
        };
        match self.renewals.renew(refresh_token).await {
            Ok(pair) => {
                let client = Client::with_token(&pair.access_token);
                self.session.dispatch(SessionAction::SignedIn(pair));
                let second = call(client).await;
                if matches!(&second, Err(err) if err.is_unauthorized()) {
                    self.session.dispatch(SessionAction::Expired);
                }
                second
            }
            Err(err) if err.status().is_none() => Err(err),
            Err(_) => {
                self.session.dispatch(SessionAction::Expired);
                first
            }
        }
    }

    /// Sends one change from a form: nothing while `busy` (a second tap), else marks it
    /// busy, runs `call` as [`Api::call`] does, and hands the answer to `done` or the
    /// refusal to `error`, which the form shows.
    pub fn submit<T, F, Fut>(
        &self,
        busy: &UseStateHandle<bool>,
        error: &UseStateHandle<Option<ApiError>>,
        call: F,
        done: impl FnOnce(T) + 'static,
    ) where
        T: 'static,
        F: Fn(Client) -> Fut + 'static,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        if **busy {
            return;
        }
        busy.set(true);
        let (api, busy, error) = (self.clone(), busy.clone(), error.clone());
        yew::platform::spawn_local(async move {
            let result = api.call(call).await;
            busy.set(false);
            match result {
                Ok(value) => {
                    error.set(None);
                    done(value);
                }
                Err(err) => error.set(Some(err)),
            }
        });
    }
}

/// The API as the signed-in person (anonymous when nobody is).
#[hook]
pub fn use_api() -> Api {
    Api {
        session: use_session(),
        renewals: use_context::<Renewals>().expect("use_api() outside <SessionProvider>"),
    }
}
