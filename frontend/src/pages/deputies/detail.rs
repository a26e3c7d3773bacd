//! `/deputies/{id}`: one deputy — profile, party roles, mandate — the okrugs they
//! answered for over time, and their rating for a chosen month.

use baqylau_wire::deputies::{Assignment, Deputy};
use yew::prelude::*;
use yew_router::prelude::*;

use super::rating::DeputyRating;
use super::{today, MandateBadge, TerritoryName};
use crate::api;
use crate::components::error_message::ErrorMessage;
use crate::format;
use crate::hooks::{use_fetch, Fetch};
use crate::i18n::{use_lang, Lang};
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct DeputyPageProps {
    pub id: i64,
}

#[function_component]
pub fn DeputyPage(props: &DeputyPageProps) -> Html {
    let lang = *use_lang();
    let deputy = use_fetch(props.id, |c, id| async move {
        api::deputies::deputy(&c, id).await
    });
    let assignments = use_fetch(props.id, |c, id| async move {
        api::deputies::assignments(&c, id).await
    });

    let back = html! {
        <Link<Route> to={Route::Deputies} classes="back-link">{ lang.deputies().back_to_registry }</Link<Route>>
    };
    let current = match deputy.get() {
        Fetch::Loading => {
            return html! {
                <div class="page deputy-page">{ back }<p class="muted">{ lang.common().loading }</p></div>
            }
        }
        Fetch::Failed(err) => {
            return html! {
                <div class="page deputy-page">{ back }<ErrorMessage error={err.clone()} /></div>
            }
        }
        Fetch::Loaded(d) => d.clone(),
    };

    html! {
        <div class="page deputy-page">
            { back }
            <DeputyCard deputy={(*current).clone()} />
            <AssignmentsTable assignments={assignments.get().clone()} />
            // Keyed by deputy: the chosen month does not follow the person to another one.
            <DeputyRating key={current.id} deputy_id={current.id} />
        </div>
    }
}

/// "since 01.02.2026": Kazakh puts the word after the date ("01.02.2026 бастап").
fn since_date(date: String, lang: Lang) -> String {
    let since = lang.deputies().since;
    match lang {
        Lang::Kk => format!("{date} {since}"),
        Lang::Ru | Lang::En => format!("{since} {date}"),
    }
}

#[derive(Properties, PartialEq)]
struct DeputyCardProps {
    deputy: Deputy,
}

#[function_component]
fn DeputyCard(props: &DeputyCardProps) -> Html {
    let lang = *use_lang();
    let t = lang.deputies();
    let d = &props.deputy;
    let contact = |value: &Option<String>| value.clone().unwrap_or_else(|| "—".to_owned());
    html! {
        <section class="card deputy-card" data-testid="deputy-card">
            <h1 data-testid="deputy-name">{ &d.full_name }</h1>
            <dl>
                <dt>{ t.mandate_status }</dt>
                <dd data-testid="deputy-mandate">
                    <MandateBadge status={d.mandate_status} testid="deputy-mandate-status" />
                    if let Some(since) = d.mandate_status_since {
                        { " " }<span class="muted">{ since_date(format::date(since, lang), lang) }</span>
                    }
                    if let Some(reason) = &d.mandate_reason {
                        <div class="muted">{ t.mandate_reason }{ ": " }{ reason }</div>
                    }
                </dd>
                <dt>{ t.level }</dt>
                <dd data-testid="deputy-level">{ t.level_name(d.level) }</dd>
                <dt>{ t.maslikhat_territory }</dt>
                <dd data-testid="deputy-maslikhat"><TerritoryName id={d.maslikhat_territory_id} /></dd>
                <dt>{ t.electoral_okrug }</dt>
                <dd>{ d.okrug.as_deref().unwrap_or("—") }</dd>
                <dt>{ t.phone }</dt>
                <dd>{ contact(&d.phone) }</dd>
                <dt>{ t.email }</dt>
                <dd>{ contact(&d.email) }</dd>
                <dt>{ t.party_roles }</dt>
                <dd data-testid="deputy-party-roles">
                    if d.party_roles.is_empty() {
                        <span class="muted">{ t.no_party_roles }</span>
                    } else {
                        <ul class="plain">
                            { for d.party_roles.iter().map(|r| html! {
                                <li>
                                    { t.party_role(r.role) }{ ": " }
                                    { format::date(r.from, lang) }{ " — " }
                                    { r.to.map_or_else(|| t.open_ended.to_owned(), |to| format::date(to, lang)) }
                                </li>
                            }) }
                        </ul>
                    }
                </dd>
            </dl>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct AssignmentsTableProps {
    assignments: Fetch<Vec<Assignment>>,
}

/// The okrugs over time, newest first; the ones in force today are marked.
#[function_component]
fn AssignmentsTable(props: &AssignmentsTableProps) -> Html {
    let lang = *use_lang();
    let t = lang.deputies();
    let body = match &props.assignments {
        Fetch::Loading => html! { <p class="muted">{ lang.common().loading }</p> },
        Fetch::Failed(err) => html! { <ErrorMessage error={err.clone()} /> },
        Fetch::Loaded(all) if all.is_empty() => {
            html! { <p class="muted" data-testid="assignments-empty">{ t.no_assignments }</p> }
        }
        Fetch::Loaded(all) => {
            let today = today();
            let mut rows: Vec<&Assignment> = all.iter().collect();
            rows.sort_by(|a, b| b.starts_on.cmp(&a.starts_on).then(b.id.cmp(&a.id)));
            html! {
                <div class="table-wrap">
                    <table data-testid="assignments-table">
                        <thead>
                            <tr>
                                <th>{ t.okrug }</th>
                                <th>{ t.starts_on }</th>
                                <th>{ t.ends_on }</th>
                                <th>{ t.end_reason }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for rows.into_iter().map(|a| {
                                let in_force = a.starts_on <= today && a.ends_on.is_none_or(|end| end >= today);
                                html! {
                                    <tr key={a.id} data-testid="assignment-row" data-territory-id={a.territory_id.to_string()}
                                        class={classes!(in_force.then_some("in-force"))}>
                                        <td>
                                            <TerritoryName id={a.territory_id} />
                                            if in_force {
                                                { " " }<span class="badge in-force" data-testid="assignment-current">{ t.current }</span>
                                            }
                                        </td>
                                        <td class="nowrap" data-testid="assignment-starts-on">{ format::date(a.starts_on, lang) }</td>
                                        <td class="nowrap" data-testid="assignment-ends-on">
                                            { a.ends_on.map_or_else(|| t.open_ended.to_owned(), |d| format::date(d, lang)) }
                                        </td>
                                        <td>{ a.end_reason.as_deref().unwrap_or("") }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        }
    };
    html! {
        <section class="card" data-testid="deputy-assignments">
            <h2>{ t.okrugs_title }</h2>
            { body }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_follows_each_language() {
        assert_eq!(
            since_date("01.02.2026".into(), Lang::Kk),
            "01.02.2026 бастап"
        );
        assert_eq!(since_date("01.02.2026".into(), Lang::Ru), "с 01.02.2026");
        assert_eq!(
            since_date("2026-02-01".into(), Lang::En),
            "since 2026-02-01"
        );
    }
}
