use baqylau_wire::meta::{Health, HealthStatus};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ApiError, Client};
use crate::i18n::use_lang;

#[derive(Properties, PartialEq)]
pub struct ServerStatusProps {
    /// Show the database and the version (for administrators).
    #[prop_or_default]
    pub details: bool,
}

/// The server's readiness (`GET /readyz`), checked once when shown.
#[function_component]
pub fn ServerStatus(props: &ServerStatusProps) -> Html {
    let lang = *use_lang();
    let state = use_state(|| None::<Result<Health, ApiError>>);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                state.set(Some(api::meta::ready(&Client::anonymous()).await));
            });
        });
    }

    let (class, body) = match &*state {
        None => (
            "status checking",
            html! { <p>{ lang.common().checking }</p> },
        ),
        Some(Ok(health)) if health.status == HealthStatus::Ok => (
            "status ok",
            html! {
                <>
                    <p data-testid="server-ready">{ lang.common().ready }</p>
                    if props.details {
                    <dl data-testid="server-details">
                        if let Some(db) = &health.database {
                            <dt>{ lang.common().database }</dt><dd>{ db }</dd>
                        }
                        <dt>{ lang.common().version }</dt><dd>{ &health.version }</dd>
                    </dl>
                    }
                </>
            },
        ),
        Some(Ok(_)) => (
            "status down",
            html! { <p data-testid="server-unavailable">{ lang.common().unavailable }</p> },
        ),
        Some(Err(err)) => (
            "status down",
            html! {
                <>
                    <p data-testid="server-unavailable">{ lang.common().unavailable }</p>
                    <p class="muted">{ err.message(lang) }</p>
                </>
            },
        ),
    };

    html! {
        <section class={classes!("card", class)} data-testid="server-status">
            <h2>{ lang.common().server_status }</h2>
            { body }
        </section>
    }
}
