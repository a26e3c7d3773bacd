//! The overview: how appeals, road maps and receptions stand in the person's territory
//! (or a territory inside it chosen with the picker), from `GET /stats/overview`.

use crate::components::field::value_of;
use baqylau_wire::appeals::Status;
use baqylau_wire::reference::AppealCategory;
use baqylau_wire::stats::{
    AppealsOverview, Overview, RecallRiskOverview, ReceptionsOverview, RoadmapsOverview,
};
use chrono::Datelike;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::charts::{Bar, BarChart, ProgressBar};
use crate::components::error_message::ErrorMessage;
use crate::components::territory_picker::TerritoryPicker;
use crate::format;
use crate::hooks::{use_categories, use_fetch, Fetch};
use crate::i18n::{use_lang, Lang};
use crate::route::Route;
use crate::session::use_session;

/// The CSS class that colours a status the way its badge does.
fn status_class(s: Status) -> &'static str {
    match s {
        Status::Resolved | Status::Explained => "ok",
        Status::Rejected | Status::Forwarded => "closed",
        Status::Reopened => "warn",
        _ => "open",
    }
}

fn appeals_part(a: &AppealsOverview, categories: &[AppealCategory], lang: Lang) -> Html {
    let t = lang.dashboard();
    let status_bars: Vec<Bar> = a
        .by_status
        .iter()
        .map(|c| Bar {
            label: lang.appeals().status(c.status).to_owned(),
            value: c.count,
            class: Some(status_class(c.status)),
        })
        .collect();
    let category_bars: Vec<Bar> = a
        .by_category
        .iter()
        .take(10)
        .map(|c| Bar {
            label: categories
                .iter()
                .find(|k| k.code == c.category_code)
                .map_or(c.category_code.clone(), |k| {
                    lang.category_name(k).to_owned()
                }),
            value: c.count,
            class: None,
        })
        .collect();
    let channel_bars: Vec<Bar> = a
        .by_channel
        .iter()
        .map(|c| Bar {
            label: lang.appeals().channel(c.channel).to_owned(),
            value: c.count,
            class: None,
        })
        .collect();
    let median = a
        .median_days_to_resolution
        .map_or_else(|| "—".to_owned(), |m| format!("{m:.1}"));
    html! {
        <>
            <div class="kpis">
                <div class="kpi card"><span class="kpi-value" data-testid="kpi-received">{ a.received }</span>
                    <span class="kpi-label">{ t.received }</span></div>
                <Link<Route> to={Route::Appeals} classes="kpi card danger">
                    <span class="kpi-value" data-testid="kpi-overdue">{ a.overdue }</span>
                    <span class="kpi-label">{ t.overdue_now }</span>
                </Link<Route>>
                <div class="kpi card"><span class="kpi-value" data-testid="kpi-median">{ median }</span>
                    <span class="kpi-label">{ t.median_days }</span></div>
                <div class="kpi card"><span class="kpi-value">{ a.resolved }</span>
                    <span class="kpi-label">{ t.resolved_in_period }</span></div>
            </div>
            if let Some(o) = &a.oldest_overdue {
                <p class="card notice" data-testid="oldest-overdue">
                    { t.oldest_overdue }{ ": " }
                    <Link<Route> to={Route::Appeal { id: o.id }}>{ &o.reg_number }</Link<Route>>
                    { format!(" — {} · {} {}", o.subject, o.days_overdue, t.days_overdue) }
                </p>
            }
            <div class="charts">
                <section class="card"><h2>{ t.by_status }</h2>
                    { chart_or_empty(status_bars, t.by_status, "chart-status", lang) }</section>
                <section class="card"><h2>{ t.by_category }</h2>
                    { chart_or_empty(category_bars, t.by_category, "chart-category", lang) }</section>
                <section class="card"><h2>{ t.by_channel }</h2>
                    { chart_or_empty(channel_bars, t.by_channel, "chart-channel", lang) }</section>
            </div>
        </>
    }
}

fn chart_or_empty(bars: Vec<Bar>, title: &'static str, testid: &'static str, lang: Lang) -> Html {
    if bars.is_empty() {
        html! { <p class="muted">{ lang.dashboard().no_data }</p> }
    } else {
        html! { <BarChart {bars} title={title} testid={testid} /> }
    }
}

/// "914 planned / 888 done — 97.2%" with a bar, then a bar per section and district.
pub fn completion_line(planned: i64, done: i64, percent: f64, lang: Lang) -> String {
    let t = lang.dashboard();
    format!(
        "{planned} {} / {done} {} — {percent:.1}%",
        t.planned, t.done
    )
}

fn roadmaps_part(r: &RoadmapsOverview, lang: Lang) -> Html {
    let t = lang.dashboard();
    let rows = |groups: &[baqylau_wire::roadmaps::SummaryGroup]| {
        groups
            .iter()
            .map(|g| {
                html! {
                    <tr>
                        <td>{ g.name.clone().unwrap_or_else(|| "—".into()) }</td>
                        <td class="nowrap">{ format!("{} / {}", g.tally.done, g.tally.planned) }</td>
                        <td class="wide"><ProgressBar percent={g.tally.percent} /></td>
                    </tr>
                }
            })
            .collect::<Html>()
    };
    html! {
        <section class="card" data-testid="overview-roadmaps">
            <h2>{ t.roadmap_completion }{ format!(" {}", r.year) }</h2>
            <p class="big" data-testid="roadmap-line">
                { completion_line(r.tally.planned, r.tally.done, r.tally.percent, lang) }
            </p>
            <ProgressBar percent={r.tally.percent} />
            if !r.by_section.is_empty() {
                <h3>{ t.by_section }</h3>
                <table class="progress-table"><tbody>{ rows(&r.by_section) }</tbody></table>
            }
            if !r.by_territory.is_empty() {
                <h3>{ t.by_district }</h3>
                <table class="progress-table"><tbody>{ rows(&r.by_territory) }</tbody></table>
            }
        </section>
    }
}

fn receptions_part(r: &ReceptionsOverview, lang: Lang) -> Html {
    let t = lang.dashboard();
    html! {
        <section class="card" data-testid="overview-receptions">
            <h2>{ t.upcoming_receptions }</h2>
            if r.upcoming.is_empty() {
                <p class="muted">{ t.none_planned }</p>
            } else {
                <ul class="upcoming">
                    { for r.upcoming.iter().map(|u| html! {
                        <li>
                            <span class="nowrap">{ format::date_time(u.planned_start, lang) }</span>{ " · " }
                            <Link<Route> to={Route::Reception { id: u.id }}>{ &u.title }</Link<Route>>
                            if let Some(v) = &u.venue { <span class="muted">{ format!(" · {v}") }</span> }
                        </li>
                    }) }
                </ul>
            }
            <p class="muted">{ t.held_in_period }{ ": " }{ r.held }</p>
        </section>
    }
}

/// The last finished month's lowest-rated deputies of active mandate.
fn recall_risk_part(r: &RecallRiskOverview, lang: Lang) -> Html {
    let t = lang.dashboard();
    html! {
        <section class="card" data-testid="overview-recall-risk">
            <h2>{ t.recall_risk }{ " · " }{ &r.period }</h2>
            <p class="muted">
                { t.recall_threshold }{ ": " }{ r.threshold }{ " · " }{ t.deputies_below }{ ": " }{ r.total }
            </p>
            if r.deputies.is_empty() {
                <p class="muted">{ t.recall_risk_none }</p>
            } else {
                <table class="table">
                    <tbody>
                        { for r.deputies.iter().map(|d| html! {
                            <tr>
                                <td>{ &d.full_name }</td>
                                <td class="num warn">{ format!("{:.2}", d.score) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
        </section>
    }
}

#[function_component]
pub fn OverviewPage() -> Html {
    let lang = *use_lang();
    let t = lang.dashboard();
    let session = use_session();
    let root = session.user().and_then(|u| u.territory_id);
    let territory = use_state(|| None::<i64>);
    let year = use_state(|| None::<i32>);
    let overview = use_fetch((*territory, *year), |c, (t, y)| async move {
        api::stats::overview(&c, t, y).await
    });
    let on_year = {
        let year = year.clone();
        Callback::from(move |e: Event| {
            let v = value_of(&e);
            year.set(v.parse().ok());
        })
    };
    let categories = use_categories();
    let on_territory = {
        let territory = territory.clone();
        // The picker reports `root` when nothing below it is chosen: that is "everywhere".
        Callback::from(move |t: Option<i64>| territory.set(t.filter(|t| Some(*t) != root)))
    };
    let body = match overview.get() {
        Fetch::Loading => html! { <p class="muted">{ lang.common().loading }</p> },
        Fetch::Failed(err) => html! { <ErrorMessage error={err.clone()} /> },
        Fetch::Loaded(o) => {
            let o: &Overview = o;
            let cats = categories
                .get()
                .value()
                .map(|c| c.as_slice())
                .unwrap_or_default();
            html! {
                <>
                    <p class="muted" data-testid="overview-period">
                        { t.period }{ ": " }{ format::date(o.period_from, lang) }{ " — " }{ format::date(o.period_to, lang) }
                    </p>
                    { appeals_part(&o.appeals, cats, lang) }
                    <div class="charts">
                        if let Some(r) = &o.roadmaps {
                            <div>
                                <label class="filter"><span>{ t.roadmap_year }</span>
                                    <select data-testid="overview-year" onchange={on_year.clone()}>
                                        { for (r.year.min(o.as_of.year()) - 6..=o.as_of.year()).rev().map(|y| html! {
                                            <option value={y.to_string()} selected={y == r.year}>{ y }</option>
                                        }) }
                                    </select>
                                </label>
                                { roadmaps_part(r, lang) }
                            </div>
                        }
                        if let Some(r) = &o.receptions { { receptions_part(r, lang) } }
                        if let Some(r) = &o.recall_risk { { recall_risk_part(r, lang) } }
                    </div>
                </>
            }
        }
    };
    html! {
        <div class="page overview" data-testid="overview">
            <div class="page-title">
                <h1>{ t.overview_title }</h1>
                <div class="filter">
                    <label for="overview-territory">{ lang.territories().territory }</label>
                    <TerritoryPicker id="overview-territory" {root} onchange={on_territory} />
                </div>
            </div>
            { body }
        </div>
    }
}
