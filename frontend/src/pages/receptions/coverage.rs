//! Where no held reception went lately: the okrugs and villages to visit next.

use crate::components::field::value_of;
use yew::prelude::*;

use crate::api;
use crate::components::error_message::ErrorMessage;
use crate::components::territory_picker::TerritoryPicker;
use crate::hooks::{use_fetch, Fetch};
use crate::i18n::use_lang;
use crate::session::use_session;

#[function_component]
pub fn CoveragePage() -> Html {
    let lang = *use_lang();
    let t = lang.dashboard();
    let session = use_session();
    let root = session.user().and_then(|u| u.territory_id);
    let territory = use_state(|| root);
    let months = use_state(|| 6u32);
    let coverage = use_fetch((*territory, *months), |c, (territory, months)| async move {
        match territory {
            Some(id) => api::receptions::coverage(&c, id, months).await.map(Some),
            None => Ok(None),
        }
    });
    let on_territory = {
        let territory = territory.clone();
        Callback::from(move |t: Option<i64>| territory.set(t))
    };
    let on_months = {
        let months = months.clone();
        Callback::from(move |e: Event| {
            let v = value_of(&e);
            months.set(v.parse().unwrap_or(6));
        })
    };
    html! {
        <div class="page coverage" data-testid="coverage">
            <div class="page-title"><h1>{ t.coverage_title }</h1></div>
            <form class="card filters">
                <div class="filter">
                    <label for="coverage-territory">{ lang.territories().territory }</label>
                    <TerritoryPicker id="coverage-territory" {root} onchange={on_territory} />
                </div>
                <label class="filter"><span>{ t.coverage_months }</span>
                    <select onchange={on_months}>
                        { for [3u32, 6, 12, 24].into_iter().map(|m| html! {
                            <option value={m.to_string()} selected={*months == m}>{ m }</option>
                        }) }
                    </select>
                </label>
            </form>
            <section class="card">
                { match coverage.get() {
                    Fetch::Loading => html! { <p class="muted">{ lang.common().loading }</p> },
                    Fetch::Failed(err) => html! { <ErrorMessage error={err.clone()} /> },
                    Fetch::Loaded(c) => match c.as_ref() {
                        None => html! { <p class="muted">{ lang.common().choose }</p> },
                        Some(c) if c.unvisited.is_empty() => html! { <p>{ t.all_visited }</p> },
                        Some(c) => html! {
                            <ul class="columns" data-testid="unvisited">
                                { for c.unvisited.iter().map(|u| html! {
                                    <li>{ lang.pick(u.name_kk.as_deref(), &u.name_ru, None) }
                                        <span class="muted">{ format!(" · {}", lang.territories().level(u.level)) }</span></li>
                                }) }
                            </ul>
                        },
                    },
                } }
            </section>
        </div>
    }
}
