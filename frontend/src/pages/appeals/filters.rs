//! The appeals list's filters: one control per filter of `GET /appeals`.

use crate::components::field::value_of;
use baqylau_wire::reference::AppealCategory;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::appeals::AppealFilter;
use crate::appeal::{Channel, Status};
use crate::components::require_auth::use_user;
use crate::components::territory_picker::TerritoryPicker;
use crate::i18n::use_lang;

#[derive(Properties, PartialEq)]
pub struct FiltersProps {
    pub filter: AppealFilter,
    pub categories: Option<Vec<AppealCategory>>,
    /// The next filter (the list puts it in the URL).
    pub apply: Callback<AppealFilter>,
}

/// Which field a control sets.
#[derive(Clone, Copy)]
enum Field {
    Status,
    Category,
    Channel,
    Deputy,
    Reception,
    From,
    To,
}

fn set(filter: &AppealFilter, field: Field, value: Option<String>) -> AppealFilter {
    let id = || value.as_deref().and_then(|v| v.trim().parse::<i64>().ok());
    let mut next = filter.clone();
    match field {
        Field::Status => next.status = value,
        Field::Category => next.category = value,
        Field::Channel => next.channel = value,
        Field::Deputy => next.deputy_id = id(),
        Field::Reception => next.reception_id = id(),
        Field::From => next.received_from = value,
        Field::To => next.received_to = value,
    }
    next
}

#[function_component]
pub fn AppealFilters(props: &FiltersProps) -> Html {
    let lang = *use_lang();
    let user = use_user();
    let filter = &props.filter;
    let q_draft = use_state(|| filter.q.clone().unwrap_or_default());
    {
        let q_draft = q_draft.clone();
        use_effect_with(filter.clone(), move |filter| {
            // Back and forward change the URL, not the box: keep them in step.
            q_draft.set(filter.q.clone().unwrap_or_default());
        });
    }

    let on_select = |field: Field| {
        let (apply, filter) = (props.apply.clone(), filter.clone());
        Callback::from(move |e: Event| {
            let value = Some(value_of(&e)).filter(|v| !v.is_empty());
            apply.emit(set(&filter, field, value))
        })
    };
    // Dates and ids apply when the control is left (`change`), not on every keystroke.
    let on_input = |field: Field| {
        let (apply, filter) = (props.apply.clone(), filter.clone());
        Callback::from(move |e: Event| {
            let value = Some(value_of(&e)).filter(|v| !v.trim().is_empty());
            apply.emit(set(&filter, field, value))
        })
    };
    let on_territory = {
        let (apply, filter, root) = (props.apply.clone(), filter.clone(), user.territory_id);
        // The person's own territory is what the API shows anyway: no filter.
        Callback::from(move |t: Option<i64>| {
            let territory_id = t.filter(|t| Some(*t) != root);
            if territory_id != filter.territory_id {
                apply.emit(AppealFilter {
                    territory_id,
                    ..filter.clone()
                })
            }
        })
    };
    let on_overdue = {
        let (apply, filter) = (props.apply.clone(), filter.clone());
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
            q_draft.set(value_of(&e));
        })
    };
    let on_search = {
        let (apply, filter, q_draft) = (props.apply.clone(), filter.clone(), q_draft.clone());
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
        let apply = props.apply.clone();
        Callback::from(move |_: MouseEvent| apply.emit(AppealFilter::default()))
    };
    let id_value = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();

    html! {
        <form class="card filters" data-testid="appeal-filters" onsubmit={on_search}>
            <label class="filter">
                <span>{ lang.appeals().status }</span>
                <select data-testid="filter-status" onchange={on_select(Field::Status)}>
                    <option value="" selected={filter.status.is_none()}>{ lang.appeals().all_statuses }</option>
                    { for Status::ALL.into_iter().map(|s| html! {
                        <option value={s.as_str()} selected={filter.status.as_deref() == Some(s.as_str())}>
                            { lang.appeals().status(s) }
                        </option>
                    }) }
                </select>
            </label>
            <label class="filter">
                <span>{ lang.appeals().category }</span>
                <select data-testid="filter-category" onchange={on_select(Field::Category)}>
                    <option value="" selected={filter.category.is_none()}>{ lang.appeals().all_categories }</option>
                    { for props.categories.iter().flatten().map(|c| html! {
                        <option value={c.code.clone()} selected={filter.category.as_deref() == Some(c.code.as_str())}>
                            { lang.category_name(c) }
                        </option>
                    }) }
                </select>
            </label>
            <label class="filter">
                <span>{ lang.appeals().channel }</span>
                <select data-testid="filter-channel" onchange={on_select(Field::Channel)}>
                    <option value="" selected={filter.channel.is_none()}>{ lang.appeals().all_channels }</option>
                    { for Channel::ALL.into_iter().map(|c| html! {
                        <option value={c.as_str()} selected={filter.channel.as_deref() == Some(c.as_str())}>
                            { lang.appeals().channel(c) }
                        </option>
                    }) }
                </select>
            </label>
            <div class="filter territory" data-testid="filter-territory">
                <label for="filter-territory">{ lang.territories().territory }</label>
                // Remounted when cleared, so that its selects start over with the filter.
                <TerritoryPicker key={filter.territory_id.is_some().to_string()} id="filter-territory"
                                 root={user.territory_id} onchange={on_territory} />
            </div>
            <label class="filter">
                <span>{ lang.appeals().received_from }</span>
                <input type="date" data-testid="filter-received-from" onchange={on_input(Field::From)}
                       value={filter.received_from.clone().unwrap_or_default()} />
            </label>
            <label class="filter">
                <span>{ lang.appeals().received_to }</span>
                <input type="date" data-testid="filter-received-to" onchange={on_input(Field::To)}
                       value={filter.received_to.clone().unwrap_or_default()} />
            </label>
            <label class="filter narrow">
                <span>{ lang.appeals().deputy_id }</span>
                <input type="number" min="1" data-testid="filter-deputy" onchange={on_input(Field::Deputy)}
                       value={id_value(filter.deputy_id)} />
            </label>
            <label class="filter narrow">
                <span>{ lang.appeals().reception_id }</span>
                <input type="number" min="1" data-testid="filter-reception" onchange={on_input(Field::Reception)}
                       value={id_value(filter.reception_id)} />
            </label>
            <label class="filter checkbox">
                <input type="checkbox" data-testid="filter-overdue" checked={filter.overdue}
                       onchange={on_overdue} />
                <span>{ lang.appeals().overdue_only }</span>
            </label>
            <div class="filter search">
                <label for="appeal-q">{ lang.common().search }</label>
                <div class="search-row">
                    <input id="appeal-q" type="search" data-testid="search-q"
                           placeholder={lang.appeals().search_hint} value={(*q_draft).clone()}
                           oninput={on_q_input} />
                    <button type="submit" class="button" data-testid="search-submit">{ lang.common().find }</button>
                </div>
            </div>
            if *filter != AppealFilter::default() {
                <button type="button" class="button ghost" data-testid="filters-clear" onclick={on_clear}>
                    { lang.common().clear_filters }
                </button>
            }
        </form>
    }
}
