//! `/appeals`: the appeals in the person's territory, filtered, newest first.

use baqylau_wire::common::Page;
use baqylau_wire::reference::AppealCategory;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::appeals::{self, AppealFilter};
use crate::components::badges::{OverdueBadge, StatusBadge};
use crate::components::download::DownloadButtons;
use crate::components::error_message::ErrorMessage;
use crate::format;
use crate::hooks::{use_calendar, use_categories, use_paged};
use crate::i18n::{use_lang, Lang};
use crate::route::Route;

use super::filters::AppealFilters;

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
    let calendar = use_calendar();
    let today = crate::workdays::today();

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
    let on_more = {
        let rows = rows.clone();
        Callback::from(move |_: MouseEvent| rows.more())
    };

    let category_list: Option<&[AppealCategory]> =
        categories.get().value().map(|all| all.as_slice());

    let filters = html! {
        <AppealFilters filter={filter.clone()} {apply}
                       categories={category_list.map(|c| c.to_vec())} />
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
                            <th title={lang.appeals().days_left_title}>{ lang.appeals().days_left_title }</th>
                            <th>{ lang.appeals().subject }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for rows.items.iter().map(|a| html! {
                            <tr key={a.id} data-testid="appeal-row" data-id={a.id.to_string()}
                                class={classes!(a.overdue.then_some("overdue"))}>
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
                                <td class="nowrap days-left" data-testid="days-left">
                                    if !a.status.is_closed() {
                                        if let Some(days) = calendar.get().value()
                                            .and_then(|c| c.days_left(today, a.extended_due_on.unwrap_or(a.due_on)))
                                        {
                                            <span class={classes!((days < 0).then_some("late"))}
                                                  data-days={days.to_string()}>
                                                { lang.appeals().days_left(days) }
                                            </span>
                                        }
                                    }
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
            <div class="export-row" data-testid="appeals-export">
                <DownloadButtons path={appeals::export_path(&filter)} name="appeals" />
            </div>
            <section class="card">
                if let Some(err) = &rows.error {
                    <ErrorMessage error={err.clone()} />
                }
                if let Some(err) = categories.get().error() {
                    <ErrorMessage error={err.clone()} />
                }
                // Without the calendar only the countdown is missing; the list still works.
                if let Some(err) = calendar.get().error() {
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
