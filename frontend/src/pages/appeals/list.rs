//! `/appeals`: the appeals in the person's territory, filtered, newest first.

use std::rc::Rc;

use baqylau_wire::appeals::Appeal;
use baqylau_wire::common::Page;
use baqylau_wire::reference::AppealCategory;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::appeals::{self, AppealFilter};
use crate::api::ApiError;
use crate::appeal::Status;
use crate::components::badges::{OverdueBadge, StatusBadge};
use crate::components::error_message::ErrorMessage;
use crate::format;
use crate::hooks::use_categories;
use crate::i18n::{use_lang, Lang};
use crate::route::Route;
use crate::session::{use_api, Api};

/// The rows shown for one filter.
#[derive(Default)]
struct Rows {
    filter: AppealFilter,
    items: Vec<Appeal>,
    next_cursor: Option<String>,
    total: Option<i64>,
    loading: bool,
    error: Option<ApiError>,
}

enum RowsAction {
    /// A new filter: start from its first page.
    Start(AppealFilter),
    /// The next page was asked for.
    More,
    /// A page arrived for `filter`; answers for a filter no longer shown are dropped.
    Loaded {
        filter: AppealFilter,
        result: Result<Page<Appeal>, ApiError>,
    },
}

impl Reducible for Rows {
    type Action = RowsAction;

    fn reduce(self: Rc<Self>, action: RowsAction) -> Rc<Self> {
        match action {
            RowsAction::Start(filter) => Rc::new(Rows {
                filter,
                loading: true,
                ..Rows::default()
            }),
            RowsAction::More => Rc::new(Rows {
                filter: self.filter.clone(),
                items: self.items.clone(),
                next_cursor: self.next_cursor.clone(),
                total: self.total,
                loading: true,
                error: None,
            }),
            RowsAction::Loaded { filter, .. } if filter != self.filter => self,
            RowsAction::Loaded { filter, result } => {
                let mut items = self.items.clone();
                let (next_cursor, total, error) = match result {
                    Ok(page) => {
                        items.extend(page.items.into_iter().filter(|a| !a.deleted));
                        (page.next_cursor, page.total.or(self.total), None)
                    }
                    Err(err) => (self.next_cursor.clone(), self.total, Some(err)),
                };
                Rc::new(Rows {
                    filter,
                    items,
                    next_cursor,
                    total,
                    loading: false,
                    error,
                })
            }
        }
    }
}

fn load(api: Api, rows: UseReducerDispatcher<Rows>, filter: AppealFilter, cursor: Option<String>) {
    spawn_local(async move {
        let result = api
            .call(|c| {
                let (filter, cursor) = (filter.clone(), cursor.clone());
                async move { appeals::list(&c, &filter, cursor.as_deref()).await }
            })
            .await;
        rows.dispatch(RowsAction::Loaded { filter, result });
    });
}

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
    let api = use_api();
    let lang = *use_lang();
    let strings = lang.strings();
    let navigator = use_navigator();
    let location = use_location();
    let categories = use_categories();
    let filter: AppealFilter = location
        .and_then(|l| l.query::<AppealFilter>().ok())
        .unwrap_or_default();
    let rows = use_reducer(Rows::default);
    let q_draft = use_state(|| filter.q.clone().unwrap_or_default());

    {
        let (api, rows, q_draft) = (api.clone(), rows.dispatcher(), q_draft.clone());
        let signed_in = api.user().is_some();
        use_effect_with((filter.clone(), signed_in), move |(filter, signed_in)| {
            // Back and forward change the URL, not the box: keep them in step.
            q_draft.set(filter.q.clone().unwrap_or_default());
            if *signed_in {
                rows.dispatch(RowsAction::Start(filter.clone()));
                load(api, rows, filter.clone(), None);
            }
        });
    }

    if api.user().is_none() {
        return html! { <Redirect<Route> to={Route::Login} /> };
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
        let (api, rows) = (api.clone(), rows.clone());
        Callback::from(move |_: MouseEvent| {
            if rows.loading {
                return;
            }
            if let Some(cursor) = rows.next_cursor.clone() {
                rows.dispatch(RowsAction::More);
                load(
                    api.clone(),
                    rows.dispatcher(),
                    rows.filter.clone(),
                    Some(cursor),
                );
            }
        })
    };

    let category_list: Option<&[AppealCategory]> = match &categories {
        Some(Ok(all)) => Some(all.as_slice()),
        _ => None,
    };

    let filters = html! {
        <form class="card filters" data-testid="appeal-filters" onsubmit={on_search}>
            <label class="filter">
                <span>{ strings.status }</span>
                <select data-testid="filter-status" onchange={on_status}>
                    <option value="" selected={filter.status.is_none()}>{ strings.all_statuses }</option>
                    { for Status::ALL.into_iter().map(|s| html! {
                        <option value={s.as_str()} selected={filter.status.as_deref() == Some(s.as_str())}>
                            { strings.status(s) }
                        </option>
                    }) }
                </select>
            </label>
            <label class="filter">
                <span>{ strings.category }</span>
                <select data-testid="filter-category" onchange={on_category}>
                    <option value="" selected={filter.category.is_none()}>{ strings.all_categories }</option>
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
                <span>{ strings.overdue_only }</span>
            </label>
            <div class="filter search">
                <label for="appeal-q">{ strings.search }</label>
                <div class="search-row">
                    <input id="appeal-q" type="search" data-testid="search-q"
                           placeholder={strings.search_hint} value={(*q_draft).clone()}
                           oninput={on_q_input} />
                    <button type="submit" class="button" data-testid="search-submit">{ strings.find }</button>
                </div>
            </div>
            if filter != AppealFilter::default() {
                <button type="button" class="button ghost" data-testid="filters-clear" onclick={on_clear}>
                    { strings.clear_filters }
                </button>
            }
        </form>
    };

    let table = if rows.items.is_empty() && !rows.loading && rows.error.is_none() {
        html! { <p class="muted" data-testid="appeals-empty">{ strings.no_appeals }</p> }
    } else {
        html! {
            <div class="table-wrap">
                <table class="appeals" data-testid="appeals-table">
                    <thead>
                        <tr>
                            <th>{ strings.reg_number }</th>
                            <th>{ strings.status }</th>
                            <th>{ strings.category }</th>
                            <th>{ strings.received }</th>
                            <th>{ strings.deadline }</th>
                            <th>{ strings.subject }</th>
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
                <h1>{ strings.appeals_title }</h1>
                if rows.total.is_some() || !rows.items.is_empty() {
                    <p class="muted counts">
                        if let Some(total) = rows.total {
                            { strings.found }{ ": " }<strong data-testid="appeals-total">{ total }</strong>
                            { " · " }
                        }
                        { strings.shown }{ ": " }<span data-testid="appeals-shown">{ rows.items.len() }</span>
                    </p>
                }
            </div>
            { filters }
            <section class="card">
                if let Some(err) = &rows.error {
                    <ErrorMessage error={err.clone()} />
                }
                if let Some(Err(err)) = &categories {
                    <ErrorMessage error={err.clone()} />
                }
                { table }
                if rows.loading {
                    <p class="muted" data-testid="appeals-loading">{ strings.loading }</p>
                } else if rows.next_cursor.is_some() {
                    <button type="button" class="button secondary-dark" data-testid="appeals-more"
                            onclick={on_more}>
                        { strings.more }
                    </button>
                }
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn appeal(id: i64) -> Appeal {
        serde_json::from_value(serde_json::json!({
            "id": id, "reg_number": format!("ZHA-2026-{id:06}"), "status": "registered",
            "channel": "phone", "category": "ROADS", "territory_id": 4, "reception_id": null,
            "anonymous": false, "threat_report": false,
            "citizen": {"full_name": "Ким Олег", "iin": null, "phone": null, "email": null, "address": null},
            "personal_data_revealed": false, "subject": "Жол", "description": "Жол бұзылған",
            "language": "kk", "received_at": "2026-03-02T04:00:00Z", "registered_on": "2026-03-02",
            "due_on": "2026-03-23", "extended_due_on": null, "extension_reason": null,
            "deputy_id": null, "assigned_body": null, "resolution": null, "resolved_at": null,
            "forwarded_to": null, "forwarded_on": null, "overdue": false,
            "created_at": "2026-03-02T04:00:00Z", "updated_at": "2026-03-02T04:00:00Z", "version": 1
        }))
        .unwrap()
    }

    fn page(ids: &[i64], next: Option<&str>, total: Option<i64>) -> Result<Page<Appeal>, ApiError> {
        Ok(Page {
            items: ids.iter().copied().map(appeal).collect(),
            next_cursor: next.map(str::to_owned),
            total,
        })
    }

    fn ids(rows: &Rows) -> Vec<i64> {
        rows.items.iter().map(|a| a.id).collect()
    }

    #[test]
    fn more_appends_the_next_page_and_keeps_the_total() {
        let filter = AppealFilter::default();
        let rows = Rc::new(Rows::default())
            .reduce(RowsAction::Start(filter.clone()))
            .reduce(RowsAction::Loaded {
                filter: filter.clone(),
                result: page(&[30, 29], Some("c1"), Some(3)),
            });
        assert_eq!((ids(&rows), rows.total), (vec![30, 29], Some(3)));
        assert_eq!(rows.next_cursor.as_deref(), Some("c1"));
        let rows = rows.reduce(RowsAction::More).reduce(RowsAction::Loaded {
            filter,
            result: page(&[28], None, None),
        });
        assert_eq!((ids(&rows), rows.total), (vec![30, 29, 28], Some(3)));
        assert!(rows.next_cursor.is_none() && !rows.loading);
    }

    #[test]
    fn an_answer_for_an_older_filter_is_dropped() {
        let old = AppealFilter::default();
        let new = AppealFilter {
            q: Some("су".into()),
            ..AppealFilter::default()
        };
        let rows = Rc::new(Rows::default())
            .reduce(RowsAction::Start(old.clone()))
            .reduce(RowsAction::Start(new.clone()))
            .reduce(RowsAction::Loaded {
                filter: old,
                result: page(&[1, 2, 3], None, Some(3)),
            });
        assert!(rows.items.is_empty() && rows.loading);
        let rows = rows.reduce(RowsAction::Loaded {
            filter: new,
            result: page(&[2], None, Some(1)),
        });
        assert_eq!((ids(&rows), rows.total), (vec![2], Some(1)));
    }

    #[test]
    fn a_failed_page_keeps_what_was_shown() {
        let filter = AppealFilter::default();
        let rows = Rc::new(Rows::default())
            .reduce(RowsAction::Start(filter.clone()))
            .reduce(RowsAction::Loaded {
                filter: filter.clone(),
                result: page(&[5], Some("c"), Some(2)),
            })
            .reduce(RowsAction::More)
            .reduce(RowsAction::Loaded {
                filter,
                result: Err(ApiError::Network("offline".into())),
            });
        assert_eq!(ids(&rows), vec![5]);
        assert_eq!(rows.next_cursor.as_deref(), Some("c"));
        assert!(rows.error.is_some() && !rows.loading);
    }
}
