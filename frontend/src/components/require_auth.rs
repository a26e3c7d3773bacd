//! Pages for signed-in people only. The route switch wraps them in [`RequireAuth`]:
//! without a session it sends the person to sign in, remembering the page (path and
//! query, so a filtered list comes back filtered), and the sign-in page returns there.
//! A session that ends mid-page (the server refused to renew it) takes the same path.

use std::rc::Rc;

use baqylau_wire::auth::UserView;
use serde::{Deserialize, Serialize};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::route::Route;
use crate::session::use_session;

/// The query of `/login`: the page to return to after signing in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoginQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// The `next` to remember for the page at `path` with `query` (`?a=b`, or empty).
/// Home and sign-in are where signing in leads anyway, so they are not remembered.
pub fn remember(path: &str, query: &str) -> LoginQuery {
    let query = query.trim_start_matches('?');
    let next = match path {
        "" | "/" | "/login" => None,
        _ if query.is_empty() => Some(path.to_owned()),
        _ => Some(format!("{path}?{query}")),
    };
    LoginQuery { next }
}

/// Where signing in leads: the remembered page when it is one of the dashboard's own,
/// home otherwise. Only a route of this app is ever the target, so a crafted
/// `/login?next=https://elsewhere` link cannot send anyone off the dashboard.
pub fn return_to(next: Option<&str>) -> (Route, Vec<(String, String)>) {
    let home = (Route::Home, Vec::new());
    let Some(next) = next.filter(|n| n.starts_with('/') && !n.starts_with("//")) else {
        return home;
    };
    let (path, query) = next.split_once('?').unwrap_or((next, ""));
    match Route::recognize(path) {
        Some(Route::Login | Route::NotFound) | None => home,
        Some(route) => {
            let pairs = form_urlencoded::parse(query.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            (route, pairs)
        }
    }
}

/// The signed-in person, for the pages inside [`RequireAuth`].
#[derive(Clone, Debug, PartialEq)]
pub struct SignedInUser(pub Rc<UserView>);

/// The signed-in person; only inside [`RequireAuth`], which renders nothing without one.
#[hook]
pub fn use_user() -> Rc<UserView> {
    use_context::<SignedInUser>()
        .expect("use_user() outside <RequireAuth>")
        .0
}

#[derive(Properties, PartialEq)]
pub struct RequireAuthProps {
    pub children: Html,
}

#[function_component]
pub fn RequireAuth(props: &RequireAuthProps) -> Html {
    let session = use_session();
    let navigator = use_navigator();
    let location = use_location();
    let user = session.user().cloned();
    let query = location
        .as_ref()
        .map(|l| remember(l.path(), l.query_str()))
        .unwrap_or_default();
    {
        let signed_out = user.is_none();
        use_effect_with((signed_out, query), move |(signed_out, query)| {
            let Some(navigator) = navigator.filter(|_| *signed_out) else {
                return;
            };
            // Replace, not push: "back" from the sign-in page must not land on a page
            // that sends it straight back to sign-in.
            if let Err(err) = navigator.replace_with_query(&Route::Login, query) {
                web_sys::console::warn_1(&format!("cannot go to sign-in: {err:?}").into());
            }
        });
    }
    match user {
        Some(user) => html! {
            <ContextProvider<SignedInUser> context={SignedInUser(Rc::new(user))}>
                { props.children.clone() }
            </ContextProvider<SignedInUser>>
        },
        None => html! {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_page_and_its_filters_are_remembered() {
        assert_eq!(
            remember("/appeals", "?q=%D1%81%D1%83&overdue=true")
                .next
                .as_deref(),
            Some("/appeals?q=%D1%81%D1%83&overdue=true")
        );
        assert_eq!(
            remember("/appeals/7", "").next.as_deref(),
            Some("/appeals/7")
        );
        assert_eq!(remember("/", "").next, None);
        assert_eq!(remember("/login", "?next=%2Fappeals").next, None);
    }

    #[test]
    fn signing_in_returns_to_the_remembered_page() {
        let next = remember("/appeals", "?q=%D1%81%D1%83&overdue=true").next;
        assert_eq!(
            return_to(next.as_deref()),
            (Route::Appeals, pairs(&[("q", "су"), ("overdue", "true")]))
        );
        assert_eq!(
            return_to(Some("/appeals/42")),
            (Route::Appeal { id: 42 }, Vec::new())
        );
        assert_eq!(return_to(None), (Route::Home, Vec::new()));
    }

    #[test]
    fn only_pages_of_the_dashboard_are_returned_to() {
        for next in [
            "https://evil.example/appeals",
            "//evil.example/appeals",
            "appeals",
            "/login?next=%2Fappeals",
            "/no/such/page",
            "",
        ] {
            assert_eq!(return_to(Some(next)), (Route::Home, Vec::new()), "{next}");
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct WritersOnlyProps {
    pub children: Html,
}

/// A form for those who may write: a viewer who follows a link to one reads why not
/// instead of filling in what the server would refuse.
#[function_component]
pub fn WritersOnly(props: &WritersOnlyProps) -> Html {
    let user = use_user();
    let lang = *crate::i18n::use_lang();
    if user.role == baqylau_wire::auth::Role::Viewer {
        return html! {
            <section class="card" data-testid="not-permitted">
                <p class="notice">{ crate::i18n::problems::problem(lang, "forbidden").unwrap_or_default() }</p>
            </section>
        };
    }
    props.children.clone()
}
