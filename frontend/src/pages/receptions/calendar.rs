//! `/receptions/calendar`: one month of receptions, a week to a row on a wide screen and
//! the days that have any, one under another, on a phone.

use baqylau_wire::receptions::Reception;
use chrono::{Datelike, Months, NaiveDate};
use yew::prelude::*;
use yew_router::prelude::*;

use super::list::ReceptionBadge;
use crate::api;
use crate::components::error_message::ErrorMessage;
use crate::format;
use crate::hooks::{use_fetch, Fetch};
use crate::i18n::use_lang;
use crate::route::Route;

/// The first of the month `date` is in.
fn first_of(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// The days shown for the month starting `first`: whole weeks, Monday first, with the
/// neighbouring months' days as padding (`None`).
fn grid(first: NaiveDate) -> Vec<Option<NaiveDate>> {
    let next = first + Months::new(1);
    let lead = first.weekday().num_days_from_monday() as usize;
    let mut days: Vec<Option<NaiveDate>> = vec![None; lead];
    days.extend(first.iter_days().take_while(|d| *d < next).map(Some));
    while !days.len().is_multiple_of(7) {
        days.push(None);
    }
    days
}

#[function_component]
pub fn ReceptionCalendar() -> Html {
    let lang = *use_lang();
    let (t, d) = (lang.receptions(), lang.dashboard());
    let month = use_state(|| first_of(crate::workdays::today()));
    let receptions = use_fetch(*month, |c, first: NaiveDate| async move {
        let last = (first + Months::new(1)).pred_opt().unwrap_or(first);
        api::receptions::between(&c, &first.to_string(), &last.to_string()).await
    });
    let step = |forward: bool| {
        let month = month.clone();
        Callback::from(move |_: MouseEvent| {
            let m = *month;
            let to = if forward {
                m.checked_add_months(Months::new(1))
            } else {
                m.checked_sub_months(Months::new(1))
            };
            month.set(to.unwrap_or(m));
        })
    };
    let all: Vec<Reception> = match receptions.get() {
        Fetch::Loaded(all) => all.to_vec(),
        _ => Vec::new(),
    };
    let on_day = |day: NaiveDate| -> Vec<&Reception> {
        all.iter()
            .filter(|r| format::local_date(r.planned_start) == day)
            .collect()
    };
    let title = format!(
        "{} {}",
        lang.deputies().month_name(month.month()),
        month.year()
    );
    html! {
        <div class="page reception-calendar">
            <div class="page-title">
                <h1>{ t.calendar }</h1>
                <Link<Route> to={Route::Receptions} classes="button secondary-dark">{ t.list }</Link<Route>>
            </div>
            <section class="card">
                <div class="calendar-nav">
                    <button type="button" class="button ghost" aria-label={t.previous_month}
                            data-testid="calendar-previous" onclick={step(false)}>{ "‹" }</button>
                    <h2 data-testid="calendar-month">{ title }</h2>
                    <button type="button" class="button ghost" aria-label={t.next_month}
                            data-testid="calendar-next" onclick={step(true)}>{ "›" }</button>
                </div>
                if let Fetch::Failed(err) = receptions.get() { <ErrorMessage error={err.clone()} /> }
                if matches!(receptions.get(), Fetch::Loading) { <p class="muted">{ lang.common().loading }</p> }
                if matches!(receptions.get(), Fetch::Loaded(_)) && all.is_empty() {
                    <p class="muted" data-testid="calendar-empty">{ t.none_this_month }</p>
                }
                <div class="calendar" data-testid="calendar">
                    { for t.weekdays.split(' ').map(|w| html! { <div class="calendar-weekday" aria-hidden="true">{ w }</div> }) }
                    { for grid(*month).into_iter().map(|day| match day {
                        None => html! { <div class="calendar-day pad" aria-hidden="true"></div> },
                        Some(day) => {
                            let here = on_day(day);
                            html! {
                                <div class={classes!("calendar-day", here.is_empty().then_some("empty"))}>
                                    <span class="calendar-date">{ format::date(day, lang) }</span>
                                    { for here.into_iter().map(|r| html! {
                                        <Link<Route> to={Route::Reception { id: r.id }} classes="calendar-item">
                                            <span data-testid="calendar-item">
                                                { format::local_datetime_hm(r.planned_start) }{ " " }{ &r.title }
                                            </span>
                                            <ReceptionBadge status={r.status} />
                                        </Link<Route>>
                                    }) }
                                </div>
                            }
                        }
                    }) }
                </div>
                <p class="muted">{ d.when }{ ": " }{ t.local_time }</p>
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_whole_weeks_from_monday() {
        // December 2026 starts on a Tuesday and ends on a Thursday.
        let first = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let days = grid(first);
        assert_eq!(days.len(), 35);
        assert_eq!(days[0], None);
        assert_eq!(days[1], Some(first));
        assert_eq!(days[31], NaiveDate::from_ymd_opt(2026, 12, 31));
        assert_eq!(days.iter().flatten().count(), 31);
        assert_eq!(
            first_of(NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()).day(),
            1
        );
    }
}
