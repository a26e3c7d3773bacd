//! One road map: its completion ("914 planned / 888 done — 97.2%"), the tree of
//! sections with their indicators, and the completion by district and deputy.

use baqylau_wire::roadmaps::{Indicator, Roadmap, Summary, SummaryGroup};
use yew::prelude::*;

use crate::api::{self, ApiError, Client};
use crate::components::charts::ProgressBar;
use crate::components::error_message::ErrorMessage;
use crate::format;
use crate::hooks::{use_fetch, Fetch};
use crate::i18n::{use_lang, Lang};
use crate::pages::overview::completion_line;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: i64,
}

/// Everything the page shows, in one fetch.
struct Loaded {
    roadmap: Roadmap,
    summary: Summary,
    indicators: Vec<Indicator>,
}

async fn load(c: Client, id: i64) -> Result<Loaded, ApiError> {
    let roadmap = api::roadmaps::get(&c, id).await?;
    let summary = api::roadmaps::summary(&c, id).await?;
    let mut indicators = Vec::new();
    let mut cursor: Option<String> = None;
    // A road map has hundreds of indicators, not millions; stop at a few pages anyway.
    for _ in 0..20 {
        let page = api::roadmaps::indicators(&c, id, cursor.as_deref()).await?;
        indicators.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    Ok(Loaded {
        roadmap,
        summary,
        indicators,
    })
}

fn group_rows(groups: &[SummaryGroup], testid: &'static str) -> Html {
    html! {
        <table class="progress-table" data-testid={testid}><tbody>
            { for groups.iter().map(|g| html! {
                <tr>
                    <td>{ g.name.clone().unwrap_or_else(|| "—".into()) }</td>
                    <td class="nowrap">{ format!("{} / {}", g.tally.done, g.tally.planned) }</td>
                    <td class="wide"><ProgressBar percent={g.tally.percent} /></td>
                </tr>
            }) }
        </tbody></table>
    }
}

fn indicator_row(i: &Indicator, lang: Lang) -> Html {
    let t = lang.dashboard();
    let percent = match (i.actual, i.target) {
        (Some(a), Some(target)) if target > 0.0 => (a / target * 100.0).min(100.0),
        _ if i.status == baqylau_wire::roadmaps::IndicatorStatus::Done => 100.0,
        _ => 0.0,
    };
    html! {
        <tr class={classes!(i.overdue.then_some("overdue"))} data-testid="indicator-row">
            <td>{ &i.title }</td>
            <td>{ t.indicator_status(i.status) }</td>
            <td class="nowrap">{ format::date(i.due_on, lang) }</td>
            <td class="nowrap">{ match (i.actual, i.target) {
                (_, Some(target)) => format!("{} / {} {}", i.actual.unwrap_or(0.0), target, i.unit.clone().unwrap_or_default()),
                _ => String::new(),
            } }</td>
            <td class="wide"><ProgressBar {percent} /></td>
        </tr>
    }
}

#[function_component]
pub fn RoadmapPage(props: &Props) -> Html {
    let lang = *use_lang();
    let t = lang.dashboard();
    let data = use_fetch(props.id, load);
    let d = match data.get() {
        Fetch::Loading => return html! { <p class="muted">{ lang.common().loading }</p> },
        Fetch::Failed(err) => return html! { <ErrorMessage error={err.clone()} /> },
        Fetch::Loaded(d) => d.clone(),
    };
    let s = &d.summary;
    let title = lang
        .pick(Some(&d.roadmap.title_kk), &d.roadmap.title_ru, None)
        .to_owned();
    html! {
        <div class="page roadmap" data-testid="roadmap-summary">
            <div class="page-title"><h1>{ title }</h1></div>
            <section class="card">
                <h2>{ t.summary_title }</h2>
                <p class="big" data-testid="summary-line">{ completion_line(s.tally.planned, s.tally.done, s.tally.percent, lang) }</p>
                <ProgressBar percent={s.tally.percent} />
                <p class="muted">
                    { format!("{}: {} · {}: {} · {}: {}", t.in_progress_n, s.tally.in_progress, t.overdue_n, s.tally.overdue, t.cancelled_n, s.tally.cancelled) }
                </p>
            </section>
            <section class="card">
                <h2>{ t.by_section }</h2>
                { for s.by_section.iter().map(|g| {
                    let items: Vec<&Indicator> = d.indicators.iter().filter(|i| Some(i.section_id) == g.id).collect();
                    html! {
                        <details class="section" open={true}>
                            <summary>
                                <strong>{ g.name.clone().unwrap_or_default() }</strong>
                                { format!(" — {} / {}", g.tally.done, g.tally.planned) }
                                <ProgressBar percent={g.tally.percent} />
                            </summary>
                            <table class="indicators"><thead><tr>
                                <th>{ t.indicators }</th><th>{ t.status }</th><th>{ t.due }</th>
                                <th>{ format!("{} / {}", t.actual, t.target) }</th><th></th>
                            </tr></thead>
                            <tbody>{ for items.into_iter().map(|i| indicator_row(i, lang)) }</tbody></table>
                        </details>
                    }
                }) }
            </section>
            <div class="charts">
                <section class="card"><h2>{ t.by_district }</h2>{ group_rows(&s.by_territory, "summary-districts") }</section>
                <section class="card"><h2>{ t.by_deputy }</h2>{ group_rows(&s.by_deputy, "summary-deputies") }</section>
            </div>
        </div>
    }
}
