//! `/appeals`: the appeals in the person's territory, filtered, newest first.

use baqylau_wire::common::Page;
use baqylau_wire::reference::AppealCategory;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::appeals::{self, AppealFilter};
use crate::appeal::Status;
use crate::components::badges::{OverdueBadge, StatusBadge};
use crate::components::error_message::ErrorMessage;
use crate::format;
use crate::hooks::{use_categories, use_paged};
use crate::i18n::{use_lang, Lang};
use crate::route::Route;

fn category_name<'a>(
    categories: Option<&'a [AppealCategory]>,
    code: &'a str,
    lang: Lang,
) -> &'a str {
    categories
        .and_then(|all| all.iter().find(|c| c.code == code))
        .map_or(code, |c| lang.category_name(c))
}

#[function_component]
pub fn AppealList() -> Html {
    let lang = *use_lang();
    let navigator = use_navigator();
    let location = use_location();
    let categories = use_categories();
    let filter: AppealFilter = location
        .and_then(|l| l.query::<AppealFilter>().ok())
        .unwrap_or_default();
    let rows = use_paged(filter.clone(), |c, filter, cursor| async move {
        let page = appeals::list(&c, &filter, cursor.as_deref()).await?;
        Ok(Page {
            items: page.items.into_iter().filter(|a| !a.deleted).collect(),
            ..page
        })
    });
    let q_draft = use_state(|| filter.q.clone().unwrap_or_default());
    {
        let q_draft = q_draft.clone();
        use_effect_with(filter.clone(), move |filter| {
            // Back and forward change the URL, not the box: keep them in step.
            q_draft.set(filter.q.clone().unwrap_or_default());
        });
    }

    // Every filter lives in the URL, so that "back" from an appeal returns to this list.
    let apply = {
        let navigator = navigator.clone();
        Callback::from(move |next: AppealFilter| {
            let Some(navigator) = &navigator else { return };
            if next == AppealFilter::default() {
                navigator.push(&Route::Appeals);
            } else if let Err(err) = navigator.push_with_query(&Route::Appeals, &next) {
                web_sys::console::warn_1(&format!("cannot change the filter: {err:?}").into());
            }
        })
    };
    let select_value = |e: &Event| -> Option<String> {
        let select: HtmlSelectElement = e.target_unchecked_into();
        Some(select.value()).filter(|v| !v.is_empty())
    };
    let on_status = {
        let (apply, filter) = (apply.clone(), filter.clone());
        Callback::from(move |e: Event| {
            apply.emit(AppealFilter {
                status: select_value(&e),
                ..filter.clone()
            })
        })
    };
    let on_category = {
        let (apply, filter) = (apply.clone(), filter.clone());
        Callback::from(move |e: Event| {
            apply.emit(AppealFilter {
                category: select_value(&e),
                ..filter.clone()
            })
        })
    };
    let on_overdue = {
        let (apply, filter) = (apply.clone(), filter.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            apply.emit(AppealFilter {
                overdue: input.checked(),
                ..filter.clone()
            })
        })
    };
    let on_q_input = {
        let q_draft = q_draft.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            q_draft.set(input.value());
        })
    };
    let on_search = {
        let (apply, filter, q_draft) = (apply.clone(), filter.clone(), q_draft.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let q = q_draft.trim().to_owned();
            apply.emit(AppealFilter {
                q: (!q.is_empty()).then_some(q),
                ..filter.clone()
            })
        })
    };
    let on_clear = {
        let apply = apply.clone();
        Callback::from(move |_: MouseEvent| apply.emit(AppealFilter::default()))
    };
    let on_more = {
        let rows = rows.clone();
        Callback::from(move |_: MouseEvent| rows.more())
    };

    let category_list: Option<&[AppealCategory]> =
        categories.get().value().map(|all| all.as_slice());

    let filters = html! {
        <form class="card filters" data-testid="appeal-filters" onsubmit={on_search}>
            <label class="filter">
                <span>{ lang.appeals().status }</span>
                <select data-testid="filter-status" onchange={on_status}>
                    <option value="" selected={filter.status.is_none()}>{ lang.appeals().all_statuses }</option>
                    { for Status::ALL.into_iter().map(|s| html! {
                        <option value={s.as_str()} selected={filter.status.as_deref() == Some(s.as_str())}>
                            { lang.appeals().status(s) }
                        </option>
                    }) }
                </select>
            </label>
            <label class="filter">
                <span>{ lang.appeals().category }</span>
                <select data-testid="filter-category" onchange={on_category}>
                    <option value="" selected={filter.category.is_none()}>{ lang.appeals().all_categories }</option>
                    { for category_list.unwrap_or_default().iter().map(|c| html! {
                        <option value={c.code.clone()} selected={filter.category.as_deref() == Some(c.code.as_str())}>
                            { lang.category_name(c) }
                        </option>
                    }) }
                </select>
            </label>
            <label class="filter checkbox">
                <input type="checkbox" data-testid="filter-overdue" checked={filter.overdue}
                       onchange={on_overdue} />
                <span>{ lang.appeals().overdue_only }</span>
            </label>
            <div class="filter search">
                <label for="appeal-q">{ lang.common().search }</label>
                <div class="search-row">
                    <input id="appeal-q" type="search" data-testid="search-q"
                           placeholder={lang.appeals().search_hint} value={(*q_draft).clone()}
                           oninput={on_q_input} />
                    <button type="submit" class="button" data-testid="search-submit">{ lang.common().find }</button>
                </div>
            </div>
            if filter != AppealFilter::default() {
                <button type="button" class="button ghost" data-testid="filters-clear" onclick={on_clear}>
                    { lang.common().clear_filters }
                </button>
            }
        </form>
    };

    let table = if rows.is_empty() {
        html! { <p class="muted" data-testid="appeals-empty">{ lang.appeals().no_appeals }</p> }
    } else {
        html! {
            <div class="table-wrap">
                <table class="appeals" data-testid="appeals-table">
                    <thead>
                        <tr>
                            <th>{ lang.appeals().reg_number }</th>
                            <th>{ lang.appeals().status }</th>
                            <th>{ lang.appeals().category }</th>
                            <th>{ lang.appeals().received }</th>
                            <th>{ lang.appeals().deadline }</th>
                            <th>{ lang.appeals().subject }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for rows.items.iter().map(|a| html! {
                            <tr key={a.id} data-testid="appeal-row" data-id={a.id.to_string()}>
                                <td class="nowrap">
                                    <Link<Route> to={Route::Appeal { id: a.id }}>{ &a.reg_number }</Link<Route>>
                                </td>
                                <td><StatusBadge status={a.status} /></td>
                                <td>{ category_name(category_list, &a.category, lang) }</td>
                                <td class="nowrap">{ format::date(format::local_date(a.received_at), lang) }</td>
                                // A closed appeal's deadline no longer runs.
                                <td class={classes!("nowrap", a.status.is_closed().then_some("muted"))}>
                                    { format::date(a.extended_due_on.unwrap_or(a.due_on), lang) }
                                    if a.overdue { { " " }<OverdueBadge /> }
                                </td>
                                <td class="subject">
                                    <Link<Route> to={Route::Appeal { id: a.id }}>{ &a.subject }</Link<Route>>
                                </td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        }
    };

    html! {
        <div class="page appeals-list">
            <div class="page-title">
                <h1>{ lang.appeals().appeals_title }</h1>
                if rows.total.is_some() || !rows.items.is_empty() {
                    <p class="muted counts">
                        if let Some(total) = rows.total {
                            { lang.common().found }{ ": " }<strong data-testid="appeals-total">{ total }</strong>
                            { " · " }
                        }
                        { lang.common().shown }{ ": " }<span data-testid="appeals-shown">{ rows.items.len() }</span>
                    </p>
                }
            </div>
            { filters }
            <section class="card">
                if let Some(err) = &rows.error {
                    <ErrorMessage error={err.clone()} />
                }
                if let Some(err) = categories.get().error() {
                    <ErrorMessage error={err.clone()} />
                }
                { table }
                if rows.loading {
                    <p class="muted" data-testid="appeals-loading">{ lang.common().loading }</p>
                } else if rows.has_more() {
                    <button type="button" class="button secondary-dark" data-testid="appeals-more"
                            onclick={on_more}>
                        { lang.common().more }
                    </button>
                }
            </section>
        </div>
    }
}
