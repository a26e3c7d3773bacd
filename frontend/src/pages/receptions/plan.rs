//! `/receptions/new`: planning a reception — its kind, the organiser and the places
//! visited (picked from the territory tree), when, where, the agenda and the deputies
//! who answer for the first place.

use std::rc::Rc;

use baqylau_wire::dialogue::{ReplaceAgenda, TopicInput};
use baqylau_wire::receptions::{CreateReception, ParticipantInput, ReceptionKind, ReceptionLevel};
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError};
use crate::components::error_message::{ErrorMessage, FormProblem};
use crate::components::field::{value_of, Field};
use crate::components::names::TerritoryName;
use crate::components::require_auth::{use_user, WritersOnly};
use crate::components::territory_picker::TerritoryPicker;
use crate::format;
use crate::hooks::use_fetch;
use crate::i18n::use_lang;
use crate::route::Route;
use crate::session::use_api;
use crate::typed;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Input {
    Kind,
    Title,
    Level,
    Start,
    End,
    Venue,
    Agenda,
}

/// The form as typed (a reducer: two quick inputs must not overwrite each other).
#[derive(Clone, PartialEq)]
struct Draft {
    kind: String,
    title: String,
    level: String,
    organiser: Option<i64>,
    /// The place the picker shows, not yet added.
    picked: Option<i64>,
    places: Vec<i64>,
    start: String,
    end: String,
    venue: String,
    agenda: String,
    deputies: Vec<(i64, String)>,
}

enum Edit {
    Set(Input, String),
    Organiser(Option<i64>),
    Pick(Option<i64>),
    AddPlace,
    RemovePlace(i64),
    Deputy(i64, String, bool),
}

impl Reducible for Draft {
    type Action = Edit;

    fn reduce(self: Rc<Self>, edit: Edit) -> Rc<Self> {
        let mut d = (*self).clone();
        match edit {
            Edit::Set(input, value) => {
                *match input {
                    Input::Kind => &mut d.kind,
                    Input::Title => &mut d.title,
                    Input::Level => &mut d.level,
                    Input::Start => &mut d.start,
                    Input::End => &mut d.end,
                    Input::Venue => &mut d.venue,
                    Input::Agenda => &mut d.agenda,
                } = value
            }
            Edit::Organiser(id) => d.organiser = id,
            Edit::Pick(id) => d.picked = id,
            Edit::AddPlace => {
                if let Some(id) = d.picked.filter(|id| !d.places.contains(id)) {
                    d.places.push(id);
                }
            }
            Edit::RemovePlace(id) => {
                // The deputies offered are the first place's: another first, another choice.
                if d.places.first() == Some(&id) {
                    d.deputies.clear();
                }
                d.places.retain(|p| *p != id);
            }
            Edit::Deputy(id, name, on) => {
                d.deputies.retain(|(d, _)| *d != id);
                if on {
                    d.deputies.push((id, name));
                }
            }
        }
        Rc::new(d)
    }
}

impl Draft {
    fn to_request(&self) -> CreateReception {
        CreateReception {
            kind: typed::optional(&self.kind),
            title: self.title.trim().to_owned(),
            level: self.level.clone(),
            territory_id: self.organiser,
            settlement_ids: self.places.clone(),
            planned_start: format::from_local_input(&self.start),
            planned_end: format::from_local_input(&self.end),
            venue: typed::optional(&self.venue),
            participants: self
                .deputies
                .iter()
                .map(|(id, name)| ParticipantInput {
                    deputy_id: Some(*id),
                    full_name: name.clone(),
                    position: None,
                    role: "deputy".to_owned(),
                })
                .collect(),
        }
    }

    fn agenda(&self) -> ReplaceAgenda {
        ReplaceAgenda {
            topics: typed::lines(&self.agenda)
                .into_iter()
                .map(|title| TopicInput {
                    title,
                    ..TopicInput::default()
                })
                .collect(),
        }
    }
}

/// The fields this form shows errors next to, by their API names.
const FIELDS: &[&str] = &[
    "kind",
    "title",
    "level",
    "territory_id",
    "settlement_ids",
    "planned_start",
    "planned_end",
    "venue",
];

/// The planning form, for those who may plan.
#[function_component]
pub fn PlanReceptionPage() -> Html {
    html! { <WritersOnly><PlanReception /></WritersOnly> }
}

#[function_component]
fn PlanReception() -> Html {
    let api = use_api();
    let user = use_user();
    let lang = *use_lang();
    let (t, d) = (lang.receptions(), lang.dashboard());
    let navigator = use_navigator();
    let root = user.territory_id;
    let draft = use_reducer(move || Draft {
        kind: ReceptionKind::MobileReception.as_str().to_owned(),
        title: String::new(),
        level: ReceptionLevel::District.as_str().to_owned(),
        organiser: root,
        picked: None,
        places: Vec::new(),
        start: String::new(),
        end: String::new(),
        venue: String::new(),
        agenda: String::new(),
        deputies: Vec::new(),
    });
    // One key for the life of the form: a double click plans one reception, not two.
    let key = use_state(api::new_idempotency_key);
    let busy = use_state(|| false);
    let error = use_state(|| None::<ApiError>);
    // Planned, but its agenda was refused: the reception is there to open.
    let planned = use_state(|| None::<i64>);
    let first_place = draft.places.first().copied();
    let responsible = use_fetch(first_place, |c, place| async move {
        match place {
            Some(id) => api::deputies::of_territory(&c, id).await.map(Some),
            None => Ok(None),
        }
    });

    let set = |input: Input| {
        let draft = draft.dispatcher();
        move |value: String| draft.dispatch(Edit::Set(input, value))
    };
    let on_input = |input: Input| {
        let set = set(input);
        Callback::from(move |e: InputEvent| set(value_of(&e)))
    };
    let on_select = |input: Input| {
        let set = set(input);
        Callback::from(move |e: Event| set(value_of(&e)))
    };
    let on_agenda = {
        let set = set(Input::Agenda);
        Callback::from(move |e: InputEvent| set(value_of(&e)))
    };
    let edit = |make: fn(Option<i64>) -> Edit| {
        let draft = draft.dispatcher();
        Callback::from(move |id: Option<i64>| draft.dispatch(make(id)))
    };
    let on_add = {
        let draft = draft.dispatcher();
        Callback::from(move |_: MouseEvent| draft.dispatch(Edit::AddPlace))
    };

    let onsubmit = {
        let (api, draft, key) = (api.clone(), draft.clone(), key.clone());
        let (busy, error, navigator) = (busy.clone(), error.clone(), navigator.clone());
        let planned = planned.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            planned.set(None);
            let (body, agenda, key) = (draft.to_request(), draft.agenda(), (*key).clone());
            let (api, busy, error, navigator) =
                (api.clone(), busy.clone(), error.clone(), navigator.clone());
            let planned = planned.clone();
            spawn_local(async move {
                let made = api
                    .call(|c| {
                        let (body, key) = (body.clone(), key.clone());
                        async move { api::receptions::create(&c, &body, &key).await }
                    })
                    .await;
                let reception = match made {
                    Ok(r) => r,
                    Err(err) => {
                        busy.set(false);
                        return error.set(Some(err));
                    }
                };
                if !agenda.topics.is_empty() {
                    let (id, version) = (reception.id, reception.version);
                    let saved = api
                        .call(|c| {
                            let agenda = agenda.clone();
                            async move { api::receptions::put_agenda(&c, id, version, &agenda).await }
                        })
                        .await;
                    if let Err(err) = saved {
                        // The reception exists: say so, and what went wrong with the rest.
                        busy.set(false);
                        planned.set(Some(id));
                        return error.set(Some(err));
                    }
                }
                busy.set(false);
                if let Some(navigator) = navigator {
                    navigator.push(&Route::Reception { id: reception.id });
                }
            });
        })
    };

    let errors_of = |f: &str| {
        error
            .as_ref()
            .map_or_else(Vec::new, |e| e.field_messages(f, lang))
    };
    let invalid = |field: &str| (!errors_of(field).is_empty()).then_some("true");
    let summary = match (&*error, *planned) {
        (Some(err), Some(id)) => html! {
            <div data-testid="agenda-not-saved">
                <p>{ t.agenda_not_saved }{ " " }
                    <Link<Route> to={Route::Reception { id }}>{ draft.title.clone() }</Link<Route>></p>
                <ErrorMessage error={err.clone()} />
            </div>
        },
        (None, _) => html! {},
        (Some(err), None) => html! { <FormProblem error={err.clone()} shown={FIELDS} /> },
    };
    let deputies = match (first_place, responsible.get().value()) {
        (None, _) => html! { <p class="muted">{ t.deputies_after_place }</p> },
        (Some(_), Some(found)) => match found.as_ref() {
            Some(found) if !found.items.is_empty() => html! {
                <ul class="plain choices" data-testid="plan-deputies">
                    { for found.items.iter().map(|r| {
                        let (id, name) = (r.deputy_id, r.full_name.clone());
                        let checked = draft.deputies.iter().any(|(d, _)| *d == id);
                        let draft = draft.dispatcher();
                        let onchange = Callback::from(move |e: Event| {
                            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                            draft.dispatch(Edit::Deputy(id, name.clone(), on));
                        });
                        html! {
                            <li><label class="check">
                                <input type="checkbox" data-testid="plan-deputy" {checked} {onchange} />
                                { &r.full_name }
                            </label></li>
                        }
                    }) }
                </ul>
            },
            _ => html! { <p class="muted">{ t.no_deputies_here }</p> },
        },
        (Some(_), None) => html! { <p class="muted">{ lang.common().loading }</p> },
    };

    html! {
        <div class="page plan-reception">
            <form class="card form" data-testid="plan-form" novalidate=true {onsubmit}>
                <h1>{ t.plan_title }</h1>
                <p class="muted">{ lang.common().required_note }</p>
                <div class="form-grid">
                    <Field id="plan-kind" name="kind" label={t.kind} required=true errors={errors_of("kind")}>
                        <select id="plan-kind" data-testid="plan-kind" onchange={on_select(Input::Kind)}>
                            { for ReceptionKind::ALL.into_iter().map(|k| html! {
                                <option value={k.as_str()} selected={draft.kind == k.as_str()}>{ t.kind_name(k) }</option>
                            }) }
                        </select>
                    </Field>
                    <Field id="plan-level" name="level" label={d.level} required=true errors={errors_of("level")}>
                        <select id="plan-level" data-testid="plan-level" onchange={on_select(Input::Level)}>
                            { for ReceptionLevel::ALL.into_iter().map(|l| html! {
                                <option value={l.as_str()} selected={draft.level == l.as_str()}>{ d.reception_level(l) }</option>
                            }) }
                        </select>
                    </Field>
                </div>
                <Field id="plan-title" name="title" label={d.title} required=true errors={errors_of("title")}>
                    <input id="plan-title" type="text" maxlength="300" data-testid="plan-title"
                           aria-invalid={invalid("title")} value={draft.title.clone()} oninput={on_input(Input::Title)} />
                </Field>
                <Field id="plan-organiser" name="territory_id" label={t.organiser} required=true errors={errors_of("territory_id")}>
                    <div data-testid="plan-organiser">
                        <TerritoryPicker id="plan-organiser" root={root} onchange={edit(Edit::Organiser)}
                                         invalid={invalid("territory_id").is_some()} />
                    </div>
                </Field>
                <fieldset class="applicant" data-testid="plan-places">
                    <legend>{ t.places }<span class="required" aria-hidden="true">{ " *" }</span></legend>
                    if draft.places.is_empty() {
                        <p class="muted">{ t.no_places }</p>
                    } else {
                        <ul class="plain chips">
                            { for draft.places.iter().map(|&id| {
                                let draft = draft.dispatcher();
                                let onclick = Callback::from(move |_: MouseEvent| draft.dispatch(Edit::RemovePlace(id)));
                                html! {
                                    <li class="chip" data-testid="plan-place">
                                        <TerritoryName {id} />
                                        <button type="button" class="button ghost" aria-label={t.remove} {onclick}>{ "×" }</button>
                                    </li>
                                }
                            }) }
                        </ul>
                    }
                    <Field id="plan-place" name="settlement_ids" label={t.place_to_add} errors={errors_of("settlement_ids")}>
                        <div class="place-picker">
                            <TerritoryPicker id="plan-place" root={draft.organiser.or(root)} onchange={edit(Edit::Pick)} />
                            <button type="button" class="button" data-testid="plan-add-place"
                                    disabled={draft.picked.is_none()} onclick={on_add}>{ t.add_place }</button>
                        </div>
                    </Field>
                </fieldset>
                <div class="form-grid">
                    <Field id="plan-start" name="planned_start" label={format!("{} ({})", t.starts, t.local_time)}
                           required=true errors={errors_of("planned_start")}>
                        <input id="plan-start" type="datetime-local" data-testid="plan-start" aria-invalid={invalid("planned_start")}
                               value={draft.start.clone()} oninput={on_input(Input::Start)} />
                    </Field>
                    <Field id="plan-end" name="planned_end" label={format!("{} ({})", t.ends, t.local_time)}
                           required=true errors={errors_of("planned_end")}>
                        <input id="plan-end" type="datetime-local" data-testid="plan-end" aria-invalid={invalid("planned_end")}
                               value={draft.end.clone()} oninput={on_input(Input::End)} />
                    </Field>
                </div>
                <Field id="plan-venue" name="venue" label={d.venue} errors={errors_of("venue")}>
                    <input id="plan-venue" type="text" data-testid="plan-venue" value={draft.venue.clone()}
                           oninput={on_input(Input::Venue)} />
                </Field>
                <Field id="plan-agenda" name="topics" label={format!("{} ({})", t.agenda, t.agenda_hint)} errors={errors_of("topics")}>
                    <textarea id="plan-agenda" rows="4" data-testid="plan-agenda" value={draft.agenda.clone()} oninput={on_agenda} />
                </Field>
                <fieldset class="applicant">
                    <legend>{ t.deputies }</legend>
                    <p class="muted">{ t.deputies_hint }</p>
                    { deputies }
                </fieldset>
                { summary }
                <div class="actions">
                    <button type="submit" class="button" data-testid="plan-submit" disabled={*busy}>
                        { if *busy { lang.common().saving } else { t.plan_submit } }
                    </button>
                    <Link<Route> to={Route::Receptions} classes="button ghost">{ lang.common().cancel }</Link<Route>>
                </div>
            </form>
        </div>
    }
}
