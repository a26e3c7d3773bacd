//! `/appeals/{id}`: one appeal, its history, and the moves its status allows.

use std::rc::Rc;

use baqylau_wire::appeals::{Appeal, AppealEvent, TransitionRequest};
use baqylau_wire::reference::{AppealCategory, Territory};
use web_sys::HtmlTextAreaElement;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError};
use crate::appeal::{Requirement, Requires, Status};
use crate::components::badges::{OverdueBadge, StatusBadge};
use crate::components::error_message::ErrorMessage;
use crate::components::field::Field;
use crate::format;
use crate::hooks::use_categories;
use crate::i18n::{use_lang, Lang, Strings};
use crate::route::Route;
use crate::session::{use_api, Api};

#[derive(Properties, PartialEq)]
pub struct AppealPageProps {
    pub id: i64,
}

type Loaded<T> = Option<Result<T, ApiError>>;

fn load_appeal(api: Api, id: i64, appeal: UseStateHandle<Loaded<Appeal>>) {
    spawn_local(async move {
        let result = api
            .call(|c| async move { api::appeals::get(&c, id).await })
            .await;
        appeal.set(Some(result));
    });
}

fn load_history(api: Api, id: i64, history: UseStateHandle<Loaded<Vec<AppealEvent>>>) {
    spawn_local(async move {
        let mut events = Vec::new();
        let mut cursor: Option<String> = None;
        let result = loop {
            let page = api
                .call(|c| {
                    let cursor = cursor.clone();
                    async move { api::appeals::history(&c, id, cursor.as_deref()).await }
                })
                .await;
            match page {
                Ok(page) => {
                    events.extend(page.items);
                    match page.next_cursor {
                        Some(next) => cursor = Some(next),
                        None => break Ok(events),
                    }
                }
                Err(err) => break Err(err),
            }
        };
        history.set(Some(result));
    });
}

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

fn textarea_value(e: InputEvent) -> String {
    let el: HtmlTextAreaElement = e.target_unchecked_into();
    el.value()
}

/// One `<dt>`/`<dd>` pair, left out when there is nothing to say.
fn row(label: &str, value: Option<String>, testid: &'static str) -> Html {
    match value.filter(|v| !v.trim().is_empty()) {
        Some(value) => html! {
            <>
                <dt>{ label }</dt>
                <dd data-testid={testid}>{ value }</dd>
            </>
        },
        None => html! {},
    }
}

fn appeal_card(
    a: &Appeal,
    categories: Option<&[AppealCategory]>,
    territory: Option<&Territory>,
    lang: Lang,
) -> Html {
    let strings = lang.strings();
    let category = categories
        .and_then(|all| all.iter().find(|c| c.code == a.category))
        .map_or(a.category.clone(), |c| lang.category_name(c).to_owned());
    let territory = territory.map_or_else(
        || format!("№ {}", a.territory_id),
        |t| lang.territory_name(t).to_owned(),
    );
    let date = |d: chrono::NaiveDate| format::date(d, lang);
    html! {
        <section class="card" data-testid="appeal">
            <div class="appeal-head">
                <h1 data-testid="appeal-reg-number">{ &a.reg_number }</h1>
                <StatusBadge status={a.status} testid="appeal-status" />
                if a.overdue { <OverdueBadge /> }
            </div>
            <h2 data-testid="appeal-subject">{ &a.subject }</h2>
            <p class="description" lang={a.language.as_str()}>{ &a.description }</p>
            <dl>
                { row(strings.channel, Some(strings.channel(a.channel).to_owned()), "appeal-channel") }
                { row(strings.category, Some(category), "appeal-category") }
                { row(strings.territory, Some(territory), "appeal-territory") }
                { row(strings.appeal_language, Some(strings.appeal_language(a.language).to_owned()), "appeal-language") }
                { row(strings.received, Some(format::date_time(a.received_at, lang)), "appeal-received") }
                { row(strings.registered_on, Some(date(a.registered_on)), "appeal-registered-on") }
                { row(strings.deadline, Some(date(a.due_on)), "appeal-due-on") }
                { row(strings.extended_deadline, a.extended_due_on.map(date), "appeal-extended-due-on") }
                { row(strings.extension_reason, a.extension_reason.clone(), "appeal-extension-reason") }
                { row(strings.responsible_body, a.assigned_body.clone(), "appeal-assigned-body") }
                { row(strings.deputy, a.deputy_id.map(|d| format!("№ {d}")), "appeal-deputy") }
                { row(strings.forwarded_to, a.forwarded_to.clone(), "appeal-forwarded-to") }
                { row(strings.forwarded_on, a.forwarded_on.map(date), "appeal-forwarded-on") }
                { row(strings.resolution, a.resolution.clone(), "appeal-resolution") }
                { row(strings.resolved_at, a.resolved_at.map(|t| format::date_time(t, lang)), "appeal-resolved-at") }
            </dl>
        </section>
    }
}

/// The citizen exactly as the server sent it: masked for most roles. Nothing is
/// unmasked or guessed here.
fn citizen_card(a: &Appeal, strings: &Strings) -> Html {
    let c = &a.citizen;
    let has_personal = c.iin.is_some() || c.phone.is_some() || c.email.is_some();
    html! {
        <section class="card" data-testid="appeal-citizen">
            <h2>{ strings.applicant }</h2>
            if a.anonymous {
                <p data-testid="citizen-anonymous">{ strings.anonymous }</p>
            }
            <dl>
                { row(strings.full_name, c.full_name.clone(), "citizen-full-name") }
                { row(strings.iin, c.iin.clone(), "citizen-iin") }
                { row(strings.phone, c.phone.clone(), "citizen-phone") }
                { row(strings.email, c.email.clone(), "citizen-email") }
                { row(strings.address, c.address.clone(), "citizen-address") }
            </dl>
            if has_personal && !a.personal_data_revealed {
                <p class="muted" data-testid="citizen-masked">{ strings.personal_data_masked }</p>
            }
        </section>
    }
}

fn history_card(history: &Loaded<Vec<AppealEvent>>, lang: Lang) -> Html {
    let strings = lang.strings();
    let body = match history {
        None => html! { <p class="muted">{ strings.loading }</p> },
        Some(Err(err)) => html! { <ErrorMessage error={err.clone()} /> },
        Some(Ok(events)) if events.is_empty() => {
            html! { <p class="muted">{ strings.no_history }</p> }
        }
        Some(Ok(events)) => html! {
            <ol class="history">
                { for events.iter().map(|e| {
                    let detail = |key: &str| e.details.get(key).and_then(|v| v.as_str()).map(str::to_owned);
                    html! {
                        <li key={e.id} data-testid="history-entry" data-action={e.action.clone()}>
                            <div class="history-head">
                                <time datetime={e.at.to_rfc3339()}>{ format::date_time(e.at, lang) }</time>
                                <span class="muted">{ &e.actor_label }</span>
                            </div>
                            <div class="history-what">
                                <strong>{ strings.event(&e.action) }</strong>
                                if let Some(from) = e.from_status {
                                    { " " }<StatusBadge status={from} />{ " → " }
                                }
                                if let Some(to) = e.to_status {
                                    if e.from_status.is_none() { { " " } }
                                    <StatusBadge status={to} />
                                }
                            </div>
                            <dl class="history-details">
                                { row(strings.responsible_body, detail("assigned_body"), "history-assigned-body") }
                                { row(strings.forwarded_to, detail("forwarded_to"), "history-forwarded-to") }
                                { row(strings.resolution, detail("resolution"), "history-resolution") }
                                { row(strings.comment, e.comment.clone(), "history-comment") }
                            </dl>
                        </li>
                    }
                }) }
            </ol>
        },
    };
    html! {
        <section class="card" data-testid="appeal-history">
            <h2>{ strings.history }</h2>
            { body }
        </section>
    }
}

#[function_component]
pub fn AppealPage(props: &AppealPageProps) -> Html {
    let id = props.id;
    let api = use_api();
    let lang = *use_lang();
    let strings = lang.strings();
    let categories = use_categories();
    let appeal = use_state(|| None::<Result<Appeal, ApiError>>);
    let history = use_state(|| None::<Result<Vec<AppealEvent>, ApiError>>);
    let territory = use_state(|| None::<Territory>);
    let moving = use_reducer(Move::default);
    let busy = use_state(|| false);
    let move_error = use_state(|| None::<ApiError>);

    let reload = {
        let (api, appeal, history) = (api.clone(), appeal.clone(), history.clone());
        let (moving, move_error) = (moving.dispatcher(), move_error.clone());
        Callback::from(move |_: ()| {
            moving.dispatch(MoveEdit::Close);
            move_error.set(None);
            load_appeal(api.clone(), id, appeal.clone());
            load_history(api.clone(), id, history.clone());
        })
    };
    {
        let (reload, appeal, history) = (reload.clone(), appeal.clone(), history.clone());
        let signed_in = api.user().is_some();
        use_effect_with((id, signed_in), move |(_, signed_in)| {
            appeal.set(None);
            history.set(None);
            if *signed_in {
                reload.emit(());
            }
        });
    }
    {
        // The territory's name, once the appeal says which one it is.
        let (api, territory) = (api.clone(), territory.clone());
        let territory_id = appeal
            .as_ref()
            .and_then(|a| a.as_ref().ok())
            .map(|a| a.territory_id);
        use_effect_with(territory_id, move |territory_id| {
            if let Some(tid) = *territory_id {
                spawn_local(async move {
                    if let Ok(t) = api
                        .call(|c| async move { api::reference::territory(&c, tid).await })
                        .await
                    {
                        territory.set(Some(t));
                    }
                });
            }
        });
    }

    if api.user().is_none() {
        return html! { <Redirect<Route> to={Route::Login} /> };
    }

    let back = html! {
        <Link<Route> to={Route::Appeals} classes="back-link">{ strings.back_to_appeals }</Link<Route>>
    };
    let current = match &*appeal {
        None => {
            return html! {
                <div class="page appeal-page">{ back }<p class="muted">{ strings.loading }</p></div>
            }
        }
        Some(Err(err)) => {
            return html! {
                <div class="page appeal-page">{ back }<ErrorMessage error={err.clone()} /></div>
            }
        }
        Some(Ok(a)) => a.clone(),
    };

    let category_list: Option<&[AppealCategory]> = match &categories {
        Some(Ok(all)) => Some(all.as_slice()),
        _ => None,
    };

    // The server lists the moves this caller may make now; the graph lives there only.
    let targets: Vec<Status> = current.allowed_transitions.clone();

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
        Callback::from(move |e: InputEvent| moving.dispatch(edit(textarea_value(e))))
    };
    let on_submit = {
        let (api, appeal, history) = (api.clone(), appeal.clone(), history.clone());
        let (moving, busy, move_error) = (moving.clone(), busy.clone(), move_error.clone());
        let version = current.version;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(to) = moving.to else { return };
            if *busy {
                return;
            }
            busy.set(true);
            let body = moving.to_request(to);
            let (api, appeal, history) = (api.clone(), appeal.clone(), history.clone());
            let (moving, busy, move_error) =
                (moving.dispatcher(), busy.clone(), move_error.clone());
            spawn_local(async move {
                let result = api
                    .call(|c| {
                        let body = body.clone();
                        async move { api::appeals::transition(&c, id, version, &body).await }
                    })
                    .await;
                busy.set(false);
                match result {
                    Ok(updated) => {
                        move_error.set(None);
                        moving.dispatch(MoveEdit::Close);
                        appeal.set(Some(Ok(updated)));
                        load_history(api, id, history);
                    }
                    Err(err) => move_error.set(Some(err)),
                }
            });
        })
    };

    let field_errors = |field: &str| -> Vec<String> {
        move_error
            .as_ref()
            .map(|e| e.field_messages(field))
            .unwrap_or_default()
    };
    let move_error_box = match &*move_error {
        None => html! {},
        Some(err) if err.status() == Some(412) => html! {
            <div class="error" role="alert" data-testid="stale-appeal">
                <p>{ strings.stale_appeal }</p>
                <button type="button" class="button" data-testid="reload-appeal"
                        onclick={reload.reform(|_: MouseEvent| ())}>
                    { strings.reload }
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
                        .map(|s| Status::parse(s).map_or(s.as_str(), |st| strings.status(st)))
                        .collect()
                })
                .unwrap_or_default();
            html! {
                <div class="error" role="alert" data-testid="transition-conflict">
                    if !allowed.is_empty() {
                        <p>{ strings.transition_not_allowed }{ " " }{ allowed.join(", ") }</p>
                    }
                    <p class="muted">{ err.message(strings) }</p>
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
                    <p>{ strings.status }{ ": " }<StatusBadge status={current.status} />
                       { " → " }<StatusBadge status={to} /></p>
                    if needs == Requirement::Resolution {
                        { text_field("move-resolution", "resolution", strings.resolution, &moving.resolution,
                                     MoveEdit::Resolution, true, field_errors("resolution")) }
                    }
                    if needs == Requirement::ForwardedTo {
                        { text_field("move-forwarded-to", "forwarded_to", strings.forwarded_to, &moving.forwarded_to,
                                     MoveEdit::ForwardedTo, true, field_errors("forwarded_to")) }
                    }
                    if needs == Requirement::AssignedBody {
                        { text_field("move-assigned-body", "assigned_body", strings.responsible_body,
                                     &moving.assigned_body, MoveEdit::AssignedBody, true, assigned_errors) }
                    }
                    { text_field("move-comment", "comment", strings.comment, &moving.comment,
                                 MoveEdit::Comment, needs == Requirement::Comment, field_errors("comment")) }
                    { move_error_box.clone() }
                    <div class="actions">
                        <button type="submit" class="button" data-testid="transition-confirm" disabled={*busy}>
                            { if *busy { strings.saving } else { strings.confirm } }
                        </button>
                        <button type="button" class="button ghost" data-testid="transition-cancel"
                                onclick={on_cancel}>
                            { strings.cancel }
                        </button>
                    </div>
                </form>
            }
        }
    };

    html! {
        <div class="page appeal-page">
            { back }
            { appeal_card(&current, category_list, territory.as_ref(), lang) }
            { citizen_card(&current, strings) }
            if !targets.is_empty() {
                <section class="card" data-testid="appeal-actions">
                    <h2>{ strings.change_status }</h2>
                    <div class="transition-buttons">
                        { for targets.iter().map(|to| html! {
                            <button type="button"
                                    class={classes!("button", (moving.to == Some(*to)).then_some("active"))}
                                    data-testid={format!("transition-{}", to.as_str())}
                                    onclick={on_open(*to)}>
                                { strings.move_to(*to) }
                            </button>
                        }) }
                    </div>
                    { move_form }
                    if moving.to.is_none() { { move_error_box } }
                </section>
            }
            { history_card(&history, lang) }
        </div>
    }
}
