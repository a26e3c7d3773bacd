//! One reception: when and where, who takes part, and, once held, its report with the
//! appeals taken on site.

use baqylau_wire::receptions::{Reception, ReceptionStatus};
use yew::prelude::*;
use yew_router::prelude::*;

use super::list::ReceptionBadge;
use super::moves::ReceptionMoves;
use crate::api;
use crate::components::badges::StatusBadge;
use crate::components::download::DownloadButtons;
use crate::components::error_message::ErrorMessage;
use crate::components::names::TerritoryName;
use crate::format;
use crate::hooks::{use_fetch, Fetch};
use crate::i18n::{use_lang, Lang};
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: i64,
}

fn facts(r: &Reception, lang: Lang) -> Html {
    let t = lang.dashboard();
    html! {
        <dl class="facts">
            <dt>{ t.status }</dt><dd data-testid="reception-status" data-status={r.status.as_str()}><ReceptionBadge status={r.status} /></dd>
            <dt>{ lang.receptions().kind }</dt><dd>{ lang.receptions().kind_name(r.kind) }</dd>
            <dt>{ t.level }</dt><dd>{ t.reception_level(r.level) }</dd>
            <dt>{ lang.receptions().organiser }</dt><dd><TerritoryName id={r.territory_id} /></dd>
            <dt>{ lang.receptions().places }</dt>
            <dd data-testid="reception-places">
                { for r.settlement_ids.iter().enumerate().map(|(i, &id)| html! {
                    <>{ if i > 0 { ", " } else { "" } }<TerritoryName {id} /></>
                }) }
            </dd>
            <dt>{ t.when }</dt>
            <dd data-testid="reception-when">{ format!("{} — {}", format::date_time(r.planned_start, lang), format::date_time(r.planned_end, lang)) }</dd>
            if let Some(v) = &r.venue { <dt>{ t.venue }</dt><dd>{ v }</dd> }
            if let Some(n) = r.residents_heard { <dt>{ t.residents_heard }</dt><dd>{ n }</dd> }
        </dl>
    }
}

#[function_component]
pub fn ReceptionPage(props: &Props) -> Html {
    let lang = *use_lang();
    let t = lang.dashboard();
    let reception = use_fetch(props.id, |c, id| async move {
        api::receptions::get(&c, id).await
    });
    let agenda = use_fetch(props.id, |c, id| async move {
        api::receptions::agenda(&c, id).await
    });
    let r = match reception.get() {
        Fetch::Loading => return html! { <p class="muted">{ lang.common().loading }</p> },
        Fetch::Failed(err) => return html! { <ErrorMessage error={err.clone()} /> },
        Fetch::Loaded(r) => r.clone(),
    };
    let on_updated = {
        let reception = reception.clone();
        Callback::from(move |r: Reception| reception.set(r))
    };
    let on_reload = {
        let reception = reception.clone();
        Callback::from(move |_: ()| reception.reload())
    };
    let topics = agenda
        .get()
        .value()
        .map(|a| a.topics.clone())
        .unwrap_or_default();
    html! {
        <div class="page reception" data-testid="reception">
            <div class="page-title">
                <h1 data-testid="reception-title">{ &r.title }</h1>
                if matches!(r.status, ReceptionStatus::Planned | ReceptionStatus::Held) {
                    <Link<Route> to={Route::Capture { id: r.id }} classes="button secondary-dark">
                        <span data-testid="open-capture">{ t.open_capture }</span>
                    </Link<Route>>
                }
                if r.status == ReceptionStatus::Held {
                    <Link<Route> to={Route::ReceptionReport { id: r.id }} classes="button">
                        <span data-testid="open-report">{ t.open_report }</span>
                    </Link<Route>>
                }
            </div>
            <section class="card">{ facts(&r, lang) }</section>
            <ReceptionMoves reception={r.clone()} {on_updated} {on_reload} />
            <section class="card" data-testid="reception-agenda">
                <h2>{ lang.receptions().agenda }</h2>
                if topics.is_empty() {
                    <p class="muted">{ lang.receptions().no_agenda }</p>
                } else {
                    <ol>{ for topics.iter().map(|topic| html! { <li data-testid="agenda-topic">{ &topic.title }</li> }) }</ol>
                }
            </section>
            <section class="card">
                <h2>{ t.participants }</h2>
                if r.participants.is_empty() {
                    <p class="muted">{ t.no_participants }</p>
                } else {
                    <ul data-testid="participants">
                        { for r.participants.iter().map(|p| html! {
                            <li>
                                if let Some(id) = p.deputy_id {
                                    <Link<Route> to={Route::Deputy { id }}>{ &p.full_name }</Link<Route>>
                                } else { { &p.full_name } }
                                if let Some(pos) = &p.position { <span class="muted">{ format!(", {pos}") }</span> }
                            </li>
                        }) }
                    </ul>
                }
            </section>
        </div>
    }
}

/// `GET /receptions/{id}/report`: counts, share resolved, overdue ones, and the appeals
/// as a spreadsheet.
#[function_component]
pub fn ReceptionReportPage(props: &Props) -> Html {
    let lang = *use_lang();
    let t = lang.dashboard();
    let report = use_fetch(props.id, |c, id| async move {
        api::receptions::report(&c, id).await
    });
    let s = match report.get() {
        Fetch::Loading => return html! { <p class="muted">{ lang.common().loading }</p> },
        Fetch::Failed(err) => return html! { <ErrorMessage error={err.clone()} /> },
        Fetch::Loaded(s) => s.clone(),
    };
    let r = &s.reception;
    let bars: Vec<crate::components::charts::Bar> = s
        .by_status
        .iter()
        .map(|c| crate::components::charts::Bar {
            label: lang.appeals().status(c.status).to_owned(),
            value: c.count,
            class: None,
        })
        .collect();
    html! {
        <div class="page reception-report" data-testid="reception-report">
            <div class="page-title">
                <h1>{ t.report }{ ": " }<Link<Route> to={Route::Reception { id: r.id }}>{ &r.title }</Link<Route>></h1>
                <DownloadButtons path={format!("/api/v1/receptions/{}/report", r.id)}
                                 name={format!("reception-{}", r.id)} />
            </div>
            <section class="card">{ facts(r, lang) }
                if let Some(rep) = &r.report {
                    if let Some(summary) = &rep.summary { <p data-testid="report-summary">{ summary }</p> }
                    if !rep.issues_raised.is_empty() {
                        <h3>{ t.issues_raised }</h3>
                        <ul>{ for rep.issues_raised.iter().map(|i| html! { <li>{ i }</li> }) }</ul>
                    }
                }
            </section>
            <div class="kpis">
                <div class="kpi card"><span class="kpi-value" data-testid="report-taken">{ s.appeals_taken }</span>
                    <span class="kpi-label">{ t.appeals_taken }</span></div>
                <div class="kpi card"><span class="kpi-value">{ format!("{:.1}%", s.resolved_share) }</span>
                    <span class="kpi-label">{ t.resolved_share }</span></div>
                <div class="kpi card danger"><span class="kpi-value">{ s.overdue.len() }</span>
                    <span class="kpi-label">{ t.overdue_appeals }</span></div>
                <div class="kpi card"><span class="kpi-value" data-testid="report-proposals">{ s.proposals }</span>
                    <span class="kpi-label">{ lang.receptions().proposals }</span></div>
            </div>
            if !bars.is_empty() {
                <section class="card"><h2>{ t.by_status }</h2>
                    <crate::components::charts::BarChart {bars} title={t.by_status} /></section>
            }
            if !s.overdue.is_empty() {
                <section class="card"><h2>{ t.overdue_appeals }</h2>
                    <ul>{ for s.overdue.iter().map(|a| html! {
                        <li><Link<Route> to={Route::Appeal { id: a.id }}>{ &a.reg_number }</Link<Route>>
                            { " " }<StatusBadge status={a.status} />{ format!(" {}", a.subject) }</li>
                    }) }</ul>
                </section>
            }
        </div>
    }
}
