//! A deputy's rating for a chosen month: the score and its components (name, value,
//! weight, points) as a table and as bars.

use baqylau_wire::ratings::{Rating, RatingComponent};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{number, period_label, previous_month, today};
use crate::api;
use crate::components::error_message::ErrorMessage;
use crate::format;
use crate::hooks::{use_fetch, Fetch};
use crate::i18n::use_lang;

#[derive(Properties, PartialEq)]
pub struct DeputyRatingProps {
    pub deputy_id: i64,
}

#[function_component]
pub fn DeputyRating(props: &DeputyRatingProps) -> Html {
    let lang = *use_lang();
    let t = lang.deputies();
    // The last finished month: its rating is final, the running month's still moves.
    let period = use_state(|| previous_month(today()));
    let rating = use_fetch(
        (props.deputy_id, (*period).clone()),
        |c, (id, period)| async move { api::deputies::rating(&c, id, &period).await },
    );
    let on_month = {
        let period = period.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            // An emptied month box keeps the month shown rather than asking for none.
            if !input.value().is_empty() {
                period.set(input.value());
            }
        })
    };
    let body = match rating.get() {
        Fetch::Loading => html! { <p class="muted">{ lang.common().loading }</p> },
        Fetch::Failed(err) => html! { <ErrorMessage error={err.clone()} /> },
        Fetch::Loaded(r) => html! { <RatingDetails rating={(**r).clone()} /> },
    };
    html! {
        <section class="card deputy-rating" data-testid="deputy-rating">
            <div class="section-title">
                <h2>{ t.rating_title }{ ": " }{ period_label(&period, lang) }</h2>
                <label class="filter">
                    <span>{ t.month }</span>
                    <input type="month" data-testid="rating-month" value={(*period).clone()}
                           onchange={on_month} />
                </label>
            </div>
            { body }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RatingDetailsProps {
    rating: Rating,
}

#[function_component]
fn RatingDetails(props: &RatingDetailsProps) -> Html {
    let lang = *use_lang();
    let t = lang.deputies();
    let r = &props.rating;
    html! {
        <>
            <p class="score-line">
                { t.score }{ ": " }<strong class="score" data-testid="rating-score">{ number(r.score) }</strong>
                { " · " }
                <span class="muted" data-testid="rating-source">
                    { if r.snapshot { t.snapshot } else { t.running } }
                    { " " }{ t.computed_at }{ ": " }{ format::date_time(r.computed_at, lang) }
                </span>
            </p>
            if r.components.is_empty() {
                <p class="muted">{ t.no_components }</p>
            } else {
                <ComponentsTable components={r.components.clone()} />
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct ComponentsTableProps {
    pub components: Vec<RatingComponent>,
}

/// The width of a component's bar, in percent of the largest (by absolute points).
pub fn bar_width(points: f64, components: &[RatingComponent]) -> f64 {
    let largest = components
        .iter()
        .map(|c| c.points.abs())
        .fold(0.0_f64, f64::max);
    if largest > 0.0 && points != 0.0 {
        // A sliver at least, so that a small part still shows as a bar.
        (points.abs() / largest * 100.0).clamp(1.0, 100.0)
    } else {
        0.0
    }
}

/// `points = value × weight` per component, with a bar for the points: to the right
/// when they add to the score, red when they take from it.
#[function_component]
pub fn ComponentsTable(props: &ComponentsTableProps) -> Html {
    let lang = *use_lang();
    let t = lang.deputies();
    let all = &props.components;
    html! {
        <div class="table-wrap">
            <table class="rating-components" data-testid="rating-components">
                <thead>
                    <tr>
                        <th>{ t.component }</th>
                        <th class="num">{ t.value }</th>
                        <th class="num">{ t.weight }</th>
                        <th class="num">{ t.points }</th>
                        <th class="bar-cell" aria-hidden="true"></th>
                    </tr>
                </thead>
                <tbody>
                    { for all.iter().map(|c| {
                        let width = bar_width(c.points, all);
                        let sign = if c.points < 0.0 { "negative" } else { "positive" };
                        html! {
                            <tr key={c.name.clone()} data-testid="rating-component" data-name={c.name.clone()}>
                                <td>{ t.component(&c.name) }</td>
                                <td class="num">{ number(c.value) }</td>
                                <td class="num">{ number(c.weight) }</td>
                                <td class="num" data-testid="component-points">{ number(c.points) }</td>
                                <td class="bar-cell" aria-hidden="true">
                                    // An SVG's own width attribute rather than an inline
                                    // style, which the Content-Security-Policy refuses.
                                    <svg class="bar-track" data-testid="component-bar"
                                         viewBox="0 0 100 1" preserveAspectRatio="none">
                                        <rect class={classes!("bar", sign)}
                                              width={format!("{width:.1}")} height="1" />
                                    </svg>
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn component(points: f64) -> RatingComponent {
        RatingComponent {
            name: "x".into(),
            value: 1.0,
            weight: points,
            points,
        }
    }

    #[test]
    fn bars_are_relative_to_the_largest_points_either_side() {
        let all = [component(10.0), component(-5.0), component(0.0)];
        assert_eq!(bar_width(10.0, &all), 100.0);
        assert_eq!(bar_width(-5.0, &all), 50.0);
        assert_eq!(bar_width(0.0, &all), 0.0);
        assert_eq!(bar_width(0.0, &[component(0.0)]), 0.0);
        assert_eq!(bar_width(0.01, &[component(0.01), component(100.0)]), 1.0);
    }
}
