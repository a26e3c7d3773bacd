//! The road maps the person can read.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::error_message::ErrorMessage;
use crate::hooks::{use_fetch, Fetch};
use crate::i18n::use_lang;
use crate::route::Route;

#[function_component]
pub fn RoadmapList() -> Html {
    let lang = *use_lang();
    let t = lang.dashboard();
    let roadmaps = use_fetch((), |c, ()| async move { api::roadmaps::list(&c).await });
    let body = match roadmaps.get() {
        Fetch::Loading => html! { <p class="muted">{ lang.common().loading }</p> },
        Fetch::Failed(err) => html! { <ErrorMessage error={err.clone()} /> },
        Fetch::Loaded(page) if page.items.is_empty() => {
            html! { <p class="muted">{ t.nothing_yet }</p> }
        }
        Fetch::Loaded(page) => html! {
            <table data-testid="roadmaps-table">
                <thead><tr><th>{ t.title }</th><th>{ t.years }</th><th>{ t.status }</th><th></th></tr></thead>
                <tbody>
                    { for page.items.iter().map(|r| {
                        let title = lang.pick(Some(&r.title_kk), &r.title_ru, None).to_owned();
                        html! {
                            <tr key={r.id} data-testid="roadmap-row">
                                <td><Link<Route> to={Route::Roadmap { id: r.id }}>{ title }</Link<Route>></td>
                                <td class="nowrap">{ format!("{}–{}", r.year_from, r.year_to) }</td>
                                <td>{ r.status.as_str() }</td>
                                <td><Link<Route> to={Route::Roadmap { id: r.id }}>
                                    <span data-testid="open-summary">{ t.open_summary }</span>
                                </Link<Route>></td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        },
    };
    html! {
        <div class="page roadmaps">
            <div class="page-title"><h1>{ t.roadmaps_title }</h1></div>
            <section class="card">{ body }</section>
        </div>
    }
}
