//! The appeal page's history timeline.

use baqylau_wire::appeals::AppealEvent;
use yew::prelude::*;

use super::card::row;
use crate::components::badges::StatusBadge;
use crate::components::error_message::ErrorMessage;
use crate::format;
use crate::hooks::Fetch;
use crate::i18n::use_lang;

#[derive(Properties, PartialEq)]
pub struct HistoryTimelineProps {
    pub history: Fetch<Vec<AppealEvent>>,
}

/// What happened to the appeal, oldest first: who did what, and from which status to
/// which.
#[function_component]
pub fn HistoryTimeline(props: &HistoryTimelineProps) -> Html {
    let lang = *use_lang();
    let body = match &props.history {
        Fetch::Loading => html! { <p class="muted">{ lang.common().loading }</p> },
        Fetch::Failed(err) => html! { <ErrorMessage error={err.clone()} /> },
        Fetch::Loaded(events) if events.is_empty() => {
            html! { <p class="muted">{ lang.appeals().no_history }</p> }
        }
        Fetch::Loaded(events) => html! {
            <ol class="history">
                { for events.iter().map(|e| {
                    let detail = |key: &str| e.details.get(key).and_then(|v| v.as_str()).map(str::to_owned);
                    html! {
                        <li key={e.id} data-testid="history-entry" data-action={e.action.clone()}>
                            <div class="history-head">
                                <time datetime={e.at.to_rfc3339()}>{ format::date_time(e.at, lang) }</time>
                                <span class="muted">{ &e.actor_label }</span>
                            </div>
                            <div class="history-what">
                                <strong>{ lang.appeals().event(&e.action) }</strong>
                                if let Some(from) = e.from_status {
                                    { " " }<StatusBadge status={from} />{ " → " }
                                }
                                if let Some(to) = e.to_status {
                                    if e.from_status.is_none() { { " " } }
                                    <StatusBadge status={to} />
                                }
                            </div>
                            <dl class="history-details">
                                { row(lang.appeals().responsible_body, detail("assigned_body"), "history-assigned-body") }
                                { row(lang.appeals().forwarded_to, detail("forwarded_to"), "history-forwarded-to") }
                                { row(lang.appeals().resolution, detail("resolution"), "history-resolution") }
                                { row(lang.appeals().comment, e.comment.clone(), "history-comment") }
                            </dl>
                        </li>
                    }
                }) }
            </ol>
        },
    };
    html! {
        <section class="card" data-testid="appeal-history">
            <h2>{ lang.appeals().history }</h2>
            { body }
        </section>
    }
}
