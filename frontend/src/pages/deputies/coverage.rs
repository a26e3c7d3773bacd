//! `/deputies/coverage`: for a district (or any territory in the person's scope), the
//! rural okrugs, towns and city territories no deputy answers for on a day.

use baqylau_wire::deputies::AssignmentCoverage;
use chrono::NaiveDate;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{today, DeputiesTabs};
use crate::api;
use crate::components::error_message::ErrorMessage;
use crate::components::territory_picker::TerritoryPicker;
use crate::format;
use crate::hooks::{use_fetch, Fetch};
use crate::i18n::use_lang;
use crate::session::use_session;

#[function_component]
pub fn CoveragePage() -> Html {
    let lang = *use_lang();
    let t = lang.deputies();
    let session = use_session();
    let root = session.user().and_then(|u| u.territory_id);
    // A person bound to a territory starts with all of it; others choose first, as the
    // whole country at once helps nobody.
    let territory = use_state(|| root);
    let on = use_state(today);
    let coverage = use_fetch((*territory, *on), |c, (territory, on)| async move {
        match territory {
            Some(id) => api::deputies::coverage(&c, Some(id), Some(on))
                .await
                .map(Some),
            None => Ok(None),
        }
    });

    let on_territory = {
        let territory = territory.clone();
        Callback::from(move |id: Option<i64>| territory.set(id))
    };
    let on_day = {
        let on = on.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(day) = input.value().parse::<NaiveDate>() {
                on.set(day);
            }
        })
    };

    let body = match coverage.get() {
        Fetch::Loading => {
            html! { <p class="muted" data-testid="coverage-loading">{ lang.common().loading }</p> }
        }
        Fetch::Failed(err) => html! { <ErrorMessage error={err.clone()} /> },
        Fetch::Loaded(answer) => match answer.as_ref() {
            None => {
                html! { <p class="muted" data-testid="coverage-choose">{ t.coverage_hint }</p> }
            }
            Some(answer) => html! { <CoverageResult answer={answer.clone()} /> },
        },
    };

    html! {
        <div class="page deputies-coverage">
            <DeputiesTabs />
            <div class="page-title">
                <h1>{ t.coverage_title }</h1>
            </div>
            <form class="card filters" data-testid="coverage-filters"
                  onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <div class="filter territory-filter">
                    <span>{ lang.territories().territory }</span>
                    <TerritoryPicker id="coverage-territory" {root} onchange={on_territory} />
                </div>
                <label class="filter">
                    <span>{ t.on_day }</span>
                    <input type="date" data-testid="coverage-on" value={on.to_string()} onchange={on_day} />
                </label>
            </form>
            <section class="card" data-testid="coverage">
                { body }
            </section>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct CoverageResultProps {
    answer: AssignmentCoverage,
}

#[function_component]
fn CoverageResult(props: &CoverageResultProps) -> Html {
    let lang = *use_lang();
    let t = lang.deputies();
    let a = &props.answer;
    let mut gaps = a.uncovered.clone();
    gaps.sort_by(|x, y| x.kato_code.cmp(&y.kato_code));
    html! {
        <>
            <p class="counts">
                { format::date(a.on, lang) }{ ": " }
                { t.needing_deputy }{ " " }<strong data-testid="coverage-total">{ a.total }</strong>
                { " · " }{ t.covered }{ " " }<strong data-testid="coverage-covered">{ a.covered }</strong>
                { " · " }{ t.uncovered }{ " " }
                <strong class={classes!((!gaps.is_empty()).then_some("notice"))} data-testid="coverage-uncovered">
                    { gaps.len() }
                </strong>
            </p>
            if gaps.is_empty() {
                <p class="muted" data-testid="coverage-empty">{ t.no_gaps }</p>
            } else {
                <div class="table-wrap">
                    <table data-testid="coverage-gaps">
                        <thead>
                            <tr>
                                <th>{ t.okrug }</th>
                                <th>{ t.territory_level }</th>
                                <th>{ t.kato_code }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for gaps.iter().map(|g| html! {
                                <tr key={g.territory_id} data-testid="coverage-gap" data-territory-id={g.territory_id.to_string()}>
                                    <td>{ lang.pick(g.name_kk.as_deref(), &g.name_ru, None) }</td>
                                    <td>{ lang.territories().level(g.level) }</td>
                                    <td class="nowrap">{ &g.kato_code }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </>
    }
}
