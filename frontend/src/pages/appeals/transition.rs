//! The appeal page's status moves: one button per move the server allows, and the
//! small form a move needs (a resolution, a body, a comment).

use crate::components::field::value_of;
use std::rc::Rc;

use baqylau_wire::appeals::{Appeal, TransitionRequest};
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::appeal::{Requirement, Requires, Status};
use crate::components::badges::StatusBadge;
use crate::components::error_message::ErrorMessage;
use crate::components::field::Field;
use crate::i18n::use_lang;
use crate::session::use_api;

/// What the person types to go with a status change.
#[derive(Clone, Default, PartialEq)]
struct Move {
    to: Option<Status>,
    comment: String,
    resolution: String,
    forwarded_to: String,
    assigned_body: String,
}

enum MoveEdit {
    Open(Status),
    Close,
    Comment(String),
    Resolution(String),
    ForwardedTo(String),
    AssignedBody(String),
}

impl Reducible for Move {
    type Action = MoveEdit;

    fn reduce(self: Rc<Self>, edit: MoveEdit) -> Rc<Self> {
        let mut m = (*self).clone();
        match edit {
            MoveEdit::Open(to) => {
                m = Move {
                    to: Some(to),
                    ..Move::default()
                }
            }
            MoveEdit::Close => m = Move::default(),
            MoveEdit::Comment(v) => m.comment = v,
            MoveEdit::Resolution(v) => m.resolution = v,
            MoveEdit::ForwardedTo(v) => m.forwarded_to = v,
            MoveEdit::AssignedBody(v) => m.assigned_body = v,
        }
        Rc::new(m)
    }
}

impl Move {
    /// Only the fields the target takes are sent; blank ones are left out.
    fn to_request(&self, to: Status) -> TransitionRequest {
        let opt = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        let needs = to.requirement();
        TransitionRequest {
            to: to.as_str().to_owned(),
            comment: opt(&self.comment),
            resolution: (needs == Requirement::Resolution)
                .then(|| opt(&self.resolution))
                .flatten(),
            forwarded_to: (needs == Requirement::ForwardedTo)
                .then(|| opt(&self.forwarded_to))
                .flatten(),
            assigned_body: (needs == Requirement::AssignedBody)
                .then(|| opt(&self.assigned_body))
                .flatten(),
            deputy_id: None,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct TransitionPanelProps {
    pub appeal: Rc<Appeal>,
    /// The appeal as the server returned it after a move.
    pub on_updated: Callback<Appeal>,
    /// "Reload" after someone else changed the appeal (412).
    pub on_reload: Callback<()>,
}

#[function_component]
pub fn TransitionPanel(props: &TransitionPanelProps) -> Html {
    let api = use_api();
    let lang = *use_lang();
    let moving = use_reducer(Move::default);
    let busy = use_state(|| false);
    let move_error = use_state(|| None::<ApiError>);
    let current = &*props.appeal;
    // The server lists the moves this caller may make now; the graph lives there only.
    let targets: Vec<Status> = current.allowed_transitions.clone();
    if targets.is_empty() {
        return html! {};
    }
    let reload = {
        let (on_reload, moving, move_error) = (
            props.on_reload.clone(),
            moving.dispatcher(),
            move_error.clone(),
        );
        Callback::from(move |_: ()| {
            moving.dispatch(MoveEdit::Close);
            move_error.set(None);
            on_reload.emit(());
        })
    };

    let on_open = |to: Status| {
        let (moving, move_error) = (moving.dispatcher(), move_error.clone());
        Callback::from(move |_: MouseEvent| {
            move_error.set(None);
            moving.dispatch(MoveEdit::Open(to));
        })
    };
    let on_cancel = {
        let (moving, move_error) = (moving.dispatcher(), move_error.clone());
        Callback::from(move |_: MouseEvent| {
            move_error.set(None);
            moving.dispatch(MoveEdit::Close);
        })
    };
    let on_text = |edit: fn(String) -> MoveEdit| {
        let moving = moving.dispatcher();
        Callback::from(move |e: InputEvent| moving.dispatch(edit(value_of(&e))))
    };
    let on_submit = {
        let (api, on_updated) = (api.clone(), props.on_updated.clone());
        let (moving, busy, move_error) = (moving.clone(), busy.clone(), move_error.clone());
        let (id, version) = (current.id, current.version);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(to) = moving.to else { return };
            let body = moving.to_request(to);
            let (moving, on_updated) = (moving.dispatcher(), on_updated.clone());
            let call = move |c| {
                let body = body.clone();
                async move { api::appeals::transition(&c, id, version, &body).await }
            };
            api.submit(&busy, &move_error, call, move |updated| {
                moving.dispatch(MoveEdit::Close);
                on_updated.emit(updated);
            });
        })
    };

    let field_errors = |field: &str| -> Vec<String> {
        move_error
            .as_ref()
            .map(|e| e.field_messages(field, lang))
            .unwrap_or_default()
    };
    let move_error_box = match &*move_error {
        None => html! {},
        Some(err) if err.status() == Some(412) => html! {
            <div class="error" role="alert" data-testid="stale-appeal">
                <p>{ lang.appeals().stale_appeal }</p>
                <button type="button" class="button" data-testid="reload-appeal"
                        onclick={reload.reform(|_: MouseEvent| ())}>
                    { lang.common().reload }
                </button>
            </div>
        },
        Some(err) if err.status() == Some(409) => {
            let allowed: Vec<&str> = err
                .problem()
                .and_then(|p| p.allowed.as_ref())
                // Problem bodies are loosely typed: a status this build does not know
                // is shown as the API spells it.
                .map(|all| {
                    all.iter()
                        .map(|s| {
                            Status::parse(s).map_or(s.as_str(), |st| lang.appeals().status(st))
                        })
                        .collect()
                })
                .unwrap_or_default();
            html! {
                <div class="error" role="alert" data-testid="transition-conflict">
                    if !allowed.is_empty() {
                        <p>{ lang.appeals().transition_not_allowed }{ " " }{ allowed.join(", ") }</p>
                    }
                    <p class="muted">{ err.message(lang) }</p>
                </div>
            }
        }
        Some(err) => {
            // `deputy_id` is where the API reports "nobody assigned"; the dashboard
            // asks for a body, so it shows that complaint next to the body's field.
            let rest = err.without_fields(&[
                "comment",
                "resolution",
                "forwarded_to",
                "assigned_body",
                "deputy_id",
            ]);
            let is_422 = err.status() == Some(422);
            let has_rest = rest.problem().is_none_or(|p| !p.errors.is_empty());
            html! {
                <>
                    if !is_422 || has_rest {
                        <ErrorMessage error={rest} />
                    }
                </>
            }
        }
    };

    let move_form = match moving.to {
        None => html! {},
        Some(to) => {
            let needs = to.requirement();
            let text_field = |id: &'static str,
                              name: &'static str,
                              label: &'static str,
                              value: &str,
                              edit: fn(String) -> MoveEdit,
                              required: bool,
                              errors: Vec<String>| {
                html! {
                    <Field id={id} name={name} label={label} required={required} errors={errors.clone()}>
                        <textarea id={id} rows="3" data-testid={format!("move-{name}")}
                                  aria-invalid={(!errors.is_empty()).then_some("true")}
                                  value={value.to_owned()} oninput={on_text(edit)} />
                    </Field>
                }
            };
            let mut assigned_errors = field_errors("assigned_body");
            assigned_errors.extend(field_errors("deputy_id"));
            html! {
                <form class="transition-form" data-testid="transition-form" data-to={to.as_str()}
                      novalidate=true onsubmit={on_submit}>
                    <p>{ lang.appeals().status }{ ": " }<StatusBadge status={current.status} />
                       { " → " }<StatusBadge status={to} /></p>
                    if needs == Requirement::Resolution {
                        { text_field("move-resolution", "resolution", lang.appeals().resolution, &moving.resolution,
                                     MoveEdit::Resolution, true, field_errors("resolution")) }
                    }
                    if needs == Requirement::ForwardedTo {
                        { text_field("move-forwarded-to", "forwarded_to", lang.appeals().forwarded_to, &moving.forwarded_to,
                                     MoveEdit::ForwardedTo, true, field_errors("forwarded_to")) }
                    }
                    if needs == Requirement::AssignedBody {
                        { text_field("move-assigned-body", "assigned_body", lang.appeals().responsible_body,
                                     &moving.assigned_body, MoveEdit::AssignedBody, true, assigned_errors) }
                    }
                    { text_field("move-comment", "comment", lang.appeals().comment, &moving.comment,
                                 MoveEdit::Comment, needs == Requirement::Comment, field_errors("comment")) }
                    { move_error_box.clone() }
                    <div class="actions">
                        <button type="submit" class="button" data-testid="transition-confirm" disabled={*busy}>
                            { if *busy { lang.common().saving } else { lang.common().confirm } }
                        </button>
                        <button type="button" class="button ghost" data-testid="transition-cancel"
                                onclick={on_cancel}>
                            { lang.common().cancel }
                        </button>
                    </div>
                </form>
            }
        }
    };

    html! {
        <section class="card" data-testid="appeal-actions">
            <h2>{ lang.appeals().change_status }</h2>
            <div class="transition-buttons">
                { for targets.iter().map(|to| html! {
                    <button type="button"
                            class={classes!("button", (moving.to == Some(*to)).then_some("active"))}
                            data-testid={format!("transition-{}", to.as_str())}
                            onclick={on_open(*to)}>
                        { lang.appeals().move_to(*to) }
                    </button>
                }) }
            </div>
            { move_form }
            if moving.to.is_none() { { move_error_box } }
        </section>
    }
}
