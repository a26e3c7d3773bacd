//! The receptions, newest first, filtered by status.

use crate::components::field::value_of;
use baqylau_wire::auth::Role;
use baqylau_wire::receptions::{Reception, ReceptionStatus};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::error_message::ErrorMessage;
use crate::components::require_auth::use_user;
use crate::format;
use crate::hooks::use_paged;
use crate::i18n::use_lang;
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct StatusProps {
    pub status: ReceptionStatus,
}

/// A reception's status as a coloured label.
#[function_component]
pub fn ReceptionBadge(props: &StatusProps) -> Html {
    let lang = *use_lang();
    html! {
        <span class={classes!("badge", format!("reception-{}", props.status.as_str()))}
              data-status={props.status.as_str()}>
            { lang.dashboard().reception_status(props.status) }
        </span>
    }
}

#[function_component]
pub fn ReceptionList() -> Html {
    let lang = *use_lang();
    let user = use_user();
    let t = lang.dashboard();
    let status = use_state(|| None::<String>);
    let rows = use_paged(
        (*status).clone(),
        |c, s: Option<String>, cursor| async move {
            api::receptions::list(&c, s.as_deref(), cursor.as_deref()).await
        },
    );
    let on_status = {
        let status = status.clone();
        Callback::from(move |e: Event| {
            let v = value_of(&e);
            status.set((!v.is_empty()).then_some(v));
        })
    };
    let on_more = {
        let rows = rows.clone();
        Callback::from(move |_: MouseEvent| rows.more())
    };
    let row = |r: &Reception| {
        html! {
            <tr key={r.id} data-testid="reception-row">
                <td class="nowrap">{ format::date_time(r.planned_start, lang) }</td>
                <td><Link<Route> to={Route::Reception { id: r.id }}>{ &r.title }</Link<Route>></td>
                <td>{ t.reception_level(r.level) }</td>
                <td>{ r.venue.clone().unwrap_or_default() }</td>
                <td><ReceptionBadge status={r.status} /></td>
                <td>
                    if r.status == ReceptionStatus::Held {
                        <Link<Route> to={Route::ReceptionReport { id: r.id }}>{ t.report }</Link<Route>>
                    }
                </td>
            </tr>
        }
    };
    html! {
        <div class="page receptions">
            <div class="page-title">
                <h1>{ t.receptions_title }</h1>
                if user.role != Role::Viewer {
                    <Link<Route> to={Route::NewReception} classes="button secondary-dark">
                        <span data-testid="plan-reception">{ lang.receptions().plan_title }</span>
                    </Link<Route>>
                }
                <Link<Route> to={Route::ReceptionCalendar} classes="button secondary-dark">
                    <span data-testid="open-calendar">{ lang.receptions().calendar }</span>
                </Link<Route>>
                <Link<Route> to={Route::Coverage} classes="button secondary-dark">{ t.coverage_title }</Link<Route>>
            </div>
            <form class="card filters">
                <label class="filter">
                    <span>{ t.status }</span>
                    <select data-testid="reception-status" onchange={on_status}>
                        <option value="" selected={status.is_none()}>{ t.all_statuses }</option>
                        { for ReceptionStatus::ALL.into_iter().map(|s| html! {
                            <option value={s.as_str()} selected={status.as_deref() == Some(s.as_str())}>
                                { t.reception_status(s) }
                            </option>
                        }) }
                    </select>
                </label>
            </form>
            <section class="card">
                if let Some(err) = &rows.error { <ErrorMessage error={err.clone()} /> }
                if rows.is_empty() {
                    <p class="muted">{ t.nothing_yet }</p>
                } else {
                    <div class="table-wrap">
                        <table data-testid="receptions-table">
                            <thead><tr>
                                <th>{ t.when }</th><th>{ t.title }</th><th>{ t.level }</th>
                                <th>{ t.venue }</th><th>{ t.status }</th><th>{ t.report }</th>
                            </tr></thead>
                            <tbody>{ for rows.items.iter().map(row) }</tbody>
                        </table>
                    </div>
                }
                if rows.loading {
                    <p class="muted">{ lang.common().loading }</p>
                } else if rows.has_more() {
                    <button type="button" class="button secondary-dark" onclick={on_more}>{ lang.common().more }</button>
                }
            </section>
        </div>
    }
}
