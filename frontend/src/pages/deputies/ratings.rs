//! `/deputies/ratings`: a month's ratings in a territory, best first, with the
//! recall-risk list (active deputies below the threshold) above them and its members
//! highlighted in the full list.

use std::collections::HashSet;

use baqylau_wire::ratings::Rating;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{number, period_label, previous_month, today, DeputiesTabs, MandateBadge};
use crate::api::deputies::{self, RatingScope};
use crate::components::error_message::ErrorMessage;
use crate::components::territory_picker::TerritoryPicker;
use crate::hooks::{use_fetch, use_paged, Fetch};
use crate::i18n::use_lang;
use crate::route::Route;
use crate::session::use_session;

#[function_component]
pub fn RatingsPage() -> Html {
    let lang = *use_lang();
    let t = lang.deputies();
    let session = use_session();
    let root = session.user().and_then(|u| u.territory_id);
    let scope = use_state(|| RatingScope {
        period: previous_month(today()),
        territory_id: root,
    });
    let formula = use_fetch((), |c, ()| async move { deputies::formula(&c).await });
    let risk = use_fetch((*scope).clone(), |c, scope| async move {
        deputies::recall_risk(&c, &scope).await
    });
    let rows = use_paged((*scope).clone(), |c, scope, cursor| async move {
        deputies::ratings(&c, &scope, cursor.as_deref()).await
    });

    let on_territory = {
        let scope = scope.clone();
        Callback::from(move |territory_id: Option<i64>| {
            if territory_id != scope.territory_id {
                scope.set(RatingScope {
                    territory_id,
                    ..(*scope).clone()
                })
            }
        })
    };
    let on_month = {
        let scope = scope.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if !input.value().is_empty() {
                scope.set(RatingScope {
                    period: input.value(),
                    ..(*scope).clone()
                })
            }
        })
    };
    let on_more = {
        let rows = rows.clone();
        Callback::from(move |_: MouseEvent| rows.more())
    };

    let at_risk: HashSet<i64> = risk
        .get()
        .value()
        .map(|all| all.iter().map(|r| r.deputy_id).collect())
        .unwrap_or_default();
    let threshold = formula.get().value().map(|f| f.recall_threshold);

    let risk_body = match risk.get() {
        Fetch::Loading => html! { <p class="muted">{ lang.common().loading }</p> },
        Fetch::Failed(err) => html! { <ErrorMessage error={err.clone()} /> },
        Fetch::Loaded(all) if all.is_empty() => {
            html! { <p class="muted" data-testid="recall-risk-empty">{ t.no_recall_risk }</p> }
        }
        Fetch::Loaded(all) => html! {
            <RatingTable rows={(**all).clone()} first_rank={None} at_risk={HashSet::new()} testid="recall-risk-table" />
        },
    };
    let list = if rows.is_empty() {
        html! { <p class="muted" data-testid="ratings-empty">{ t.no_ratings }</p> }
    } else {
        html! { <RatingTable rows={rows.items.clone()} first_rank={Some(1)} {at_risk} testid="ratings-table" /> }
    };

    html! {
        <div class="page deputies-ratings">
            <DeputiesTabs />
            <div class="page-title">
                <h1>{ t.ratings_title }{ ": " }{ period_label(&scope.period, lang) }</h1>
                if let Some(total) = rows.total {
                    <p class="muted counts">
                        { lang.common().found }{ ": " }<strong data-testid="ratings-total">{ total }</strong>
                    </p>
                }
            </div>
            <form class="card filters" data-testid="ratings-filters"
                  onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label class="filter">
                    <span>{ t.month }</span>
                    <input type="month" data-testid="ratings-month" value={scope.period.clone()} onchange={on_month} />
                </label>
                <div class="filter territory-filter">
                    <span>{ lang.territories().territory }</span>
                    <TerritoryPicker id="ratings-territory" {root} onchange={on_territory} />
                </div>
            </form>
            <section class="card recall-risk" data-testid="recall-risk">
                <h2>{ t.recall_risk_title }</h2>
                <p class="muted">
                    { t.recall_risk_hint }
                    if let Some(threshold) = threshold {
                        { " (" }{ t.threshold }{ ": " }<span data-testid="recall-threshold">{ number(threshold) }</span>{ ")" }
                    }
                </p>
                { risk_body }
            </section>
            <section class="card">
                if let Some(err) = &rows.error {
                    <ErrorMessage error={err.clone()} />
                }
                if let Some(err) = formula.get().error() {
                    <ErrorMessage error={err.clone()} />
                }
                { list }
                if rows.loading {
                    <p class="muted" data-testid="ratings-loading">{ lang.common().loading }</p>
                } else if rows.has_more() {
                    <button type="button" class="button secondary-dark" data-testid="ratings-more"
                            onclick={on_more}>
                        { lang.common().more }
                    </button>
                }
            </section>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct RatingTableProps {
    rows: Vec<Rating>,
    /// The rank of the first row, when the list is the full ranking.
    first_rank: Option<usize>,
    /// Deputies to highlight as at risk of recall.
    at_risk: HashSet<i64>,
    testid: AttrValue,
}

#[function_component]
fn RatingTable(props: &RatingTableProps) -> Html {
    let lang = *use_lang();
    let t = lang.deputies();
    html! {
        <div class="table-wrap">
            <table class="ratings" data-testid={props.testid.clone()}>
                <thead>
                    <tr>
                        if props.first_rank.is_some() { <th class="num">{ t.rank }</th> }
                        <th>{ t.full_name }</th>
                        <th>{ t.mandate_status }</th>
                        <th class="num">{ t.score }</th>
                    </tr>
                </thead>
                <tbody>
                    { for props.rows.iter().enumerate().map(|(i, r)| {
                        let risky = props.at_risk.contains(&r.deputy_id);
                        html! {
                            <tr key={r.deputy_id} data-testid="rating-row" data-deputy-id={r.deputy_id.to_string()}
                                data-risk={risky.to_string()} class={classes!(risky.then_some("at-risk"))}>
                                if let Some(first) = props.first_rank { <td class="num">{ first + i }</td> }
                                <td>
                                    <Link<Route> to={Route::Deputy { id: r.deputy_id }}>{ &r.full_name }</Link<Route>>
                                    if risky {
                                        { " " }<span class="badge at-risk" data-testid="at-risk-badge">{ t.at_risk }</span>
                                    }
                                </td>
                                <td><MandateBadge status={r.mandate_status} /></td>
                                <td class="num" data-testid="rating-row-score">{ number(r.score) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}
