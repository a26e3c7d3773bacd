//! `/deputies`: the maslikhat deputies in the person's territory, filtered by level,
//! mandate status and maslikhat territory.

use baqylau_wire::deputies::{MandateStatus, MaslikhatLevel};
use web_sys::HtmlSelectElement;
use yew::prelude::*;
use yew_router::prelude::*;

use super::{DeputiesTabs, MandateBadge, TerritoryName};
use crate::api::deputies::{self, DeputyFilter};
use crate::components::error_message::ErrorMessage;
use crate::components::territory_picker::TerritoryPicker;
use crate::hooks::use_paged;
use crate::i18n::use_lang;
use crate::route::Route;
use crate::session::use_session;

#[function_component]
pub fn DeputyList() -> Html {
    let lang = *use_lang();
    let t = lang.deputies();
    let session = use_session();
    let root = session.user().and_then(|u| u.territory_id);
    let navigator = use_navigator();
    let location = use_location();
    let filter: DeputyFilter = location
        .and_then(|l| l.query::<DeputyFilter>().ok())
        .unwrap_or_default();
    let rows = use_paged(filter.clone(), |c, filter, cursor| async move {
        deputies::list(&c, &filter, cursor.as_deref()).await
    });

    // Every filter lives in the URL, so that "back" from a deputy returns to this list.
    let apply = Callback::from(move |next: DeputyFilter| {
        let Some(navigator) = &navigator else { return };
        if next == DeputyFilter::default() {
            navigator.push(&Route::Deputies);
        } else if let Err(err) = navigator.push_with_query(&Route::Deputies, &next) {
            web_sys::console::warn_1(&format!("cannot change the filter: {err:?}").into());
        }
    });
    let select_value = |e: &Event| -> Option<String> {
        let select: HtmlSelectElement = e.target_unchecked_into();
        Some(select.value()).filter(|v| !v.is_empty())
    };
    let on_level = {
        let (apply, filter) = (apply.clone(), filter.clone());
        Callback::from(move |e: Event| {
            apply.emit(DeputyFilter {
                level: select_value(&e),
                ..filter.clone()
            })
        })
    };
    let on_status = {
        let (apply, filter) = (apply.clone(), filter.clone());
        Callback::from(move |e: Event| {
            apply.emit(DeputyFilter {
                mandate_status: select_value(&e),
                ..filter.clone()
            })
        })
    };
    let on_territory = {
        let (apply, filter) = (apply.clone(), filter.clone());
        Callback::from(move |territory_id: Option<i64>| {
            // The picker reports the person's own root when nothing is chosen: that is
            // no filter at all.
            let territory_id = territory_id.filter(|id| Some(*id) != root);
            if territory_id != filter.territory_id {
                apply.emit(DeputyFilter {
                    territory_id,
                    ..filter.clone()
                })
            }
        })
    };
    // Bumped by "clear filters", to start the territory picker afresh. Not keyed by the
    // filter itself: each choice in the picker changes the filter, and a new key would
    // throw away the levels below the choice.
    let picker_generation = use_state(|| 0u32);
    let on_clear = {
        let (apply, picker_generation) = (apply.clone(), picker_generation.clone());
        Callback::from(move |_: MouseEvent| {
            picker_generation.set(*picker_generation + 1);
            apply.emit(DeputyFilter::default())
        })
    };
    let on_more = {
        let rows = rows.clone();
        Callback::from(move |_: MouseEvent| rows.more())
    };

    let filters = html! {
        <form class="card filters" data-testid="deputy-filters" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <label class="filter">
                <span>{ t.level }</span>
                <select data-testid="filter-level" onchange={on_level}>
                    <option value="" selected={filter.level.is_none()}>{ t.all_levels }</option>
                    { for MaslikhatLevel::ALL.into_iter().map(|l| html! {
                        <option value={l.as_str()} selected={filter.level.as_deref() == Some(l.as_str())}>
                            { t.level_name(l) }
                        </option>
                    }) }
                </select>
            </label>
            <label class="filter">
                <span>{ t.mandate_status }</span>
                <select data-testid="filter-mandate-status" onchange={on_status}>
                    <option value="" selected={filter.mandate_status.is_none()}>{ t.all_statuses }</option>
                    { for MandateStatus::ALL.into_iter().map(|s| html! {
                        <option value={s.as_str()} selected={filter.mandate_status.as_deref() == Some(s.as_str())}>
                            { t.status_name(s) }
                        </option>
                    }) }
                </select>
            </label>
            <div class="filter territory-filter">
                <span>{ t.maslikhat_territory }</span>
                <TerritoryPicker key={*picker_generation} id="deputy-territory"
                                 {root} onchange={on_territory} />
                if let Some(id) = filter.territory_id {
                    <span class="muted" data-testid="filter-territory-name"><TerritoryName {id} /></span>
                }
            </div>
            if filter != DeputyFilter::default() {
                <button type="button" class="button ghost" data-testid="filters-clear" onclick={on_clear}>
                    { lang.common().clear_filters }
                </button>
            }
        </form>
    };

    let table = if rows.is_empty() {
        html! { <p class="muted" data-testid="deputies-empty">{ t.no_deputies }</p> }
    } else {
        html! {
            <div class="table-wrap">
                <table class="deputies" data-testid="deputies-table">
                    <thead>
                        <tr>
                            <th>{ t.full_name }</th>
                            <th>{ t.level }</th>
                            <th>{ t.maslikhat_territory }</th>
                            <th>{ t.electoral_okrug }</th>
                            <th>{ t.mandate_status }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for rows.items.iter().filter(|d| !d.deleted).map(|d| html! {
                            <tr key={d.id} data-testid="deputy-row" data-id={d.id.to_string()}>
                                <td>
                                    <Link<Route> to={Route::Deputy { id: d.id }}>{ &d.full_name }</Link<Route>>
                                </td>
                                <td>{ t.level_name(d.level) }</td>
                                <td><TerritoryName id={d.maslikhat_territory_id} /></td>
                                <td>{ d.okrug.as_deref().unwrap_or("—") }</td>
                                <td><MandateBadge status={d.mandate_status} /></td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        }
    };

    html! {
        <div class="page deputies-list">
            <DeputiesTabs />
            <div class="page-title">
                <h1>{ t.registry_title }</h1>
                if rows.total.is_some() || !rows.items.is_empty() {
                    <p class="muted counts">
                        if let Some(total) = rows.total {
                            { lang.common().found }{ ": " }<strong data-testid="deputies-total">{ total }</strong>
                            { " · " }
                        }
                        { lang.common().shown }{ ": " }<span data-testid="deputies-shown">{ rows.items.len() }</span>
                    </p>
                }
            </div>
            { filters }
            <section class="card">
                if let Some(err) = &rows.error {
                    <ErrorMessage error={err.clone()} />
                }
                if !(rows.loading && rows.items.is_empty()) {
                    { table }
                }
                if rows.loading {
                    <p class="muted" data-testid="deputies-loading">{ lang.common().loading }</p>
                } else if rows.has_more() {
                    <button type="button" class="button secondary-dark" data-testid="deputies-more"
                            onclick={on_more}>
                        { lang.common().more }
                    </button>
                }
            </section>
        </div>
    }
}
