//! The deputies pages: the registry, one deputy, okrug coverage, ratings and recall
//! risk, with the tabs and the few pieces they share.

pub mod coverage;
pub mod detail;
pub mod list;
pub mod rating;
pub mod ratings;

use baqylau_wire::deputies::MandateStatus;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::format;
use crate::hooks::use_fetch;
use crate::i18n::{use_lang, Lang};
use crate::route::Route;

/// Today on the Kazakhstan clock. From the browser's `Date.now()`: chrono's own clock is
/// not available in wasm32-unknown-unknown.
pub fn today() -> NaiveDate {
    let now =
        DateTime::<Utc>::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default();
    format::local_date(now)
}

/// `YYYY-MM` of the month before `day`'s: the last finished month, whose ratings are
/// final (the running one changes until its end).
pub fn previous_month(day: NaiveDate) -> String {
    let first = day.with_day(1).unwrap_or(day);
    let last_of_previous = first.pred_opt().unwrap_or(first);
    format!(
        "{:04}-{:02}",
        last_of_previous.year(),
        last_of_previous.month()
    )
}

/// `2026-10` as "2026 ж. қазан", "октябрь 2026", "October 2026"; anything else as is.
pub fn period_label(period: &str, lang: Lang) -> String {
    let parsed = period
        .split_once('-')
        .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?)))
        .filter(|(_, m)| (1..=12).contains(m));
    let Some((year, month)) = parsed else {
        return period.to_owned();
    };
    let name = lang.deputies().month_name(month);
    match lang {
        Lang::Kk => format!("{year} ж. {name}"),
        Lang::Ru | Lang::En => format!("{name} {year}"),
    }
}

/// A score or points with at most two decimals, as the API rounds them.
pub fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

#[derive(Properties, PartialEq)]
pub struct MandateBadgeProps {
    pub status: MandateStatus,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
}

/// A mandate status in the interface language; `data-status` keeps the API name.
#[function_component]
pub fn MandateBadge(props: &MandateBadgeProps) -> Html {
    let lang = *use_lang();
    html! {
        <span class={classes!("badge", format!("mandate-{}", props.status))}
              data-status={props.status.as_str()} data-testid={props.testid.clone()}>
            { lang.deputies().status_name(props.status) }
        </span>
    }
}

#[derive(Properties, PartialEq)]
pub struct TerritoryNameProps {
    pub id: i64,
}

/// A territory's name in the interface language, looked up by id.
#[function_component]
pub fn TerritoryName(props: &TerritoryNameProps) -> Html {
    let lang = *use_lang();
    let territory = use_fetch(props.id, |c, id| async move {
        api::reference::territory(&c, id).await
    });
    match territory.get().value() {
        Some(t) => html! { { lang.territory_name(t) } },
        // Not found or not readable: the id is still something to go on.
        None if territory.get().error().is_some() => html! { { format!("#{}", props.id) } },
        None => html! { <span class="muted">{ "…" }</span> },
    }
}

/// The three deputies pages, as tabs above each.
#[function_component]
pub fn DeputiesTabs() -> Html {
    let lang = *use_lang();
    let route = use_route::<Route>();
    let tab = |to: Route, testid: &'static str, label: &'static str| {
        let current = (route.as_ref() == Some(&to)).then_some("current");
        html! {
            <Link<Route> {to} classes={classes!("tab", current)}>
                <span data-testid={testid}>{ label }</span>
            </Link<Route>>
        }
    };
    let t = lang.deputies();
    html! {
        <nav class="tabs" aria-label={t.nav_deputies}>
            { tab(Route::Deputies, "tab-registry", t.tab_registry) }
            { tab(Route::DeputyCoverage, "tab-coverage", t.tab_coverage) }
            { tab(Route::DeputyRatings, "tab-ratings", t.tab_ratings) }
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_previous_month_crosses_the_year() {
        assert_eq!(previous_month(day(2026, 1, 15)), "2025-12");
        assert_eq!(previous_month(day(2026, 3, 1)), "2026-02");
        assert_eq!(previous_month(day(2026, 11, 30)), "2026-10");
    }

    #[test]
    fn months_are_named_in_each_language() {
        assert_eq!(period_label("2026-10", Lang::Kk), "2026 ж. қазан");
        assert_eq!(period_label("2026-10", Lang::Ru), "октябрь 2026");
        assert_eq!(period_label("2026-01", Lang::En), "January 2026");
        assert_eq!(period_label("2026-13", Lang::En), "2026-13");
        assert_eq!(period_label("soon", Lang::En), "soon");
    }

    #[test]
    fn numbers_keep_at_most_two_decimals() {
        assert_eq!(number(12.5), "12.5");
        assert_eq!(number(-3.0), "-3");
        assert_eq!(number(0.333), "0.33");
        assert_eq!(number(-0.001), "0");
    }
}
