//! The reception page's moves: one button per status the server allows, and the small
//! form each needs — held (residents heard, the report), postponed (new dates if known,
//! the reason), cancelled (the reason), planned again (the dates).

use std::rc::Rc;

use baqylau_wire::receptions::{Reception, ReceptionReport, ReceptionStatus, ReceptionTransition};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError};
use crate::components::error_message::FormProblem;
use crate::components::field::{value_of, Field};
use crate::format;
use crate::i18n::use_lang;
use crate::route::Route;
use crate::session::use_api;
use crate::typed;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Input {
    Start,
    End,
    Comment,
    Heard,
    Summary,
    Issues,
}

/// What the person types to go with a move.
#[derive(Clone, Default, PartialEq)]
struct Move {
    to: Option<ReceptionStatus>,
    start: String,
    end: String,
    comment: String,
    heard: String,
    summary: String,
    issues: String,
}

enum Edit {
    /// Open the form for a move, with the dates it starts from.
    Open(ReceptionStatus, String, String),
    Close,
    Set(Input, String),
}

impl Reducible for Move {
    type Action = Edit;

    fn reduce(self: Rc<Self>, edit: Edit) -> Rc<Self> {
        let mut m = (*self).clone();
        match edit {
            Edit::Open(to, start, end) => {
                m = Move {
                    to: Some(to),
                    start,
                    end,
                    ..Move::default()
                }
            }
            Edit::Close => m = Move::default(),
            Edit::Set(input, v) => {
                *match input {
                    Input::Start => &mut m.start,
                    Input::End => &mut m.end,
                    Input::Comment => &mut m.comment,
                    Input::Heard => &mut m.heard,
                    Input::Summary => &mut m.summary,
                    Input::Issues => &mut m.issues,
                } = v
            }
        }
        Rc::new(m)
    }
}

impl Move {
    /// Only what the target takes; blank fields are left out for the server to judge.
    fn to_request(&self, to: ReceptionStatus) -> ReceptionTransition {
        let dated = matches!(to, ReceptionStatus::Postponed | ReceptionStatus::Planned);
        let held = to == ReceptionStatus::Held;
        ReceptionTransition {
            to: to.as_str().to_owned(),
            comment: typed::optional(&self.comment),
            planned_start: dated
                .then(|| format::from_local_input(&self.start))
                .flatten(),
            planned_end: dated.then(|| format::from_local_input(&self.end)).flatten(),
            // A count that is not a number is sent as none: the server says it is required.
            residents_heard: held.then(|| self.heard.trim().parse().ok()).flatten(),
            report: held.then(|| ReceptionReport {
                summary: typed::optional(&self.summary),
                issues_raised: typed::lines(&self.issues),
            }),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct MovesProps {
    pub reception: Rc<Reception>,
    /// The reception as the server returned it after a move.
    pub on_updated: Callback<Reception>,
    /// "Reload" after someone else changed it (412).
    pub on_reload: Callback<()>,
}

#[function_component]
pub fn ReceptionMoves(props: &MovesProps) -> Html {
    let api = use_api();
    let lang = *use_lang();
    let (t, d) = (lang.receptions(), lang.dashboard());
    let moving = use_reducer(Move::default);
    let busy = use_state(|| false);
    let error = use_state(|| None::<ApiError>);
    let r = &*props.reception;
    if r.allowed_transitions.is_empty() {
        return html! {};
    }
    let on_open = |to: ReceptionStatus| {
        let (moving, error) = (moving.dispatcher(), error.clone());
        // Planning again starts from the dates it has; postponing from none.
        let (start, end) = match to {
            ReceptionStatus::Planned => (
                format::local_input(r.planned_start),
                format::local_input(r.planned_end),
            ),
            _ => (String::new(), String::new()),
        };
        Callback::from(move |_: MouseEvent| {
            error.set(None);
            moving.dispatch(Edit::Open(to, start.clone(), end.clone()));
        })
    };
    let on_close = {
        let (moving, error) = (moving.dispatcher(), error.clone());
        Callback::from(move |_: MouseEvent| {
            error.set(None);
            moving.dispatch(Edit::Close);
        })
    };
    let on_reload = {
        let (on_reload, moving, error) =
            (props.on_reload.clone(), moving.dispatcher(), error.clone());
        Callback::from(move |_: MouseEvent| {
            moving.dispatch(Edit::Close);
            error.set(None);
            on_reload.emit(());
        })
    };
    let on_input = |input: Input| {
        let moving = moving.dispatcher();
        Callback::from(move |e: InputEvent| {
            let v = value_of(&e);
            moving.dispatch(Edit::Set(input, v));
        })
    };
    let on_text = |input: Input| {
        let moving = moving.dispatcher();
        Callback::from(move |e: InputEvent| {
            let v = value_of(&e);
            moving.dispatch(Edit::Set(input, v));
        })
    };
    let on_submit = {
        let (api, on_updated) = (api.clone(), props.on_updated.clone());
        let (moving, busy, error) = (moving.clone(), busy.clone(), error.clone());
        let (id, version) = (r.id, r.version);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(to) = moving.to else { return };
            let body = moving.to_request(to);
            let (moving, on_updated) = (moving.dispatcher(), on_updated.clone());
            let call = move |c| {
                let body = body.clone();
                async move { api::receptions::transition(&c, id, version, &body).await }
            };
            api.submit(&busy, &error, call, move |updated| {
                moving.dispatch(Edit::Close);
                on_updated.emit(updated);
            });
        })
    };

    let errors_of = |f: &str| {
        error
            .as_ref()
            .map_or_else(Vec::new, |e| e.field_messages(f, lang))
    };
    // The fields the open form shows errors next to; the rest go in the box below it
    // (a reception held too early is refused on `planned_start`, which that form lacks).
    let shown: &'static [&'static str] = match moving.to {
        Some(ReceptionStatus::Held) => &["residents_heard", "report.summary"],
        Some(ReceptionStatus::Postponed) => &["planned_start", "planned_end", "comment"],
        Some(ReceptionStatus::Cancelled) => &["comment"],
        Some(ReceptionStatus::Planned) => &["planned_start", "planned_end"],
        None => &[],
    };
    let problem = match &*error {
        None => html! {},
        Some(err) => html! {
            <>
                <FormProblem error={err.clone()} {shown} />
                if err.status() == Some(412) {
                    <button type="button" class="button" data-testid="reload-reception" onclick={on_reload}>
                        { lang.common().reload }
                    </button>
                }
            </>
        },
    };
    let dates = |required: bool| {
        html! {
            <div class="form-grid">
                <Field id="move-start" name="planned_start" label={format!("{} ({})", t.starts, t.local_time)}
                       {required} errors={errors_of("planned_start")}>
                    <input id="move-start" type="datetime-local" data-testid="move-start"
                           value={moving.start.clone()} oninput={on_input(Input::Start)} />
                </Field>
                <Field id="move-end" name="planned_end" label={format!("{} ({})", t.ends, t.local_time)}
                       {required} errors={errors_of("planned_end")}>
                    <input id="move-end" type="datetime-local" data-testid="move-end"
                           value={moving.end.clone()} oninput={on_input(Input::End)} />
                </Field>
            </div>
        }
    };
    let reason = |required: bool| {
        html! {
            <Field id="move-comment" name="comment" label={t.reason} {required} errors={errors_of("comment")}>
                <textarea id="move-comment" rows="2" data-testid="move-comment"
                          value={moving.comment.clone()} oninput={on_text(Input::Comment)} />
            </Field>
        }
    };
    // The server refuses a report of a visit that has not begun; say so before it does.
    let not_started = crate::workdays::now() < r.planned_start;
    let form = match moving.to {
        None => html! {},
        Some(to) => {
            let fields = match to {
                ReceptionStatus::Held => html! {
                    <>
                        if not_started {
                            <p class="notice" data-testid="move-not-started">
                                { crate::i18n::problems::field(lang, "held_before_start").unwrap_or_default() }
                            </p>
                        }
                        <p class="muted" data-testid="move-participants">
                            { format!("{}: {}", t.participants_count, r.participants.len()) }{ " · " }
                            <Link<Route> to={Route::Capture { id: r.id }}>{ t.appeals_on_site }</Link<Route>>
                        </p>
                        <Field id="move-heard" name="residents_heard" label={d.residents_heard} required=true
                               errors={errors_of("residents_heard")}>
                            <input id="move-heard" type="number" min="0" inputmode="numeric" data-testid="move-heard"
                                   value={moving.heard.clone()} oninput={on_input(Input::Heard)} />
                        </Field>
                        <Field id="move-summary" name="report.summary" label={t.summary} required=true
                               errors={errors_of("report.summary")}>
                            <textarea id="move-summary" rows="3" data-testid="move-summary"
                                      value={moving.summary.clone()} oninput={on_text(Input::Summary)} />
                        </Field>
                        <Field id="move-issues" name="report.issues_raised" label={t.issues_hint}>
                            <textarea id="move-issues" rows="3" data-testid="move-issues"
                                      value={moving.issues.clone()} oninput={on_text(Input::Issues)} />
                        </Field>
                    </>
                },
                ReceptionStatus::Postponed => html! {
                    <>
                        <p class="muted">{ t.new_dates_optional }</p>
                        { dates(false) }
                        { reason(true) }
                    </>
                },
                ReceptionStatus::Cancelled => reason(true),
                ReceptionStatus::Planned => dates(true),
            };
            // A postponement or a cancellation is explained: the reason is what the
            // organiser and the residents are told.
            let needs_reason =
                matches!(to, ReceptionStatus::Postponed | ReceptionStatus::Cancelled);
            let unexplained = needs_reason && moving.comment.trim().is_empty();
            let too_early = to == ReceptionStatus::Held && not_started;
            let ready = !unexplained && !too_early;
            html! {
                <form class="transition-form" data-testid="move-form" novalidate=true onsubmit={on_submit}>
                    { fields }
                    { problem }
                    <div class="actions">
                        <button type="submit" class="button" data-testid="move-confirm" disabled={*busy || !ready}>
                            { if *busy { lang.common().saving } else { lang.common().confirm } }
                        </button>
                        <button type="button" class="button ghost" data-testid="move-cancel" onclick={on_close}>
                            { lang.common().cancel }
                        </button>
                    </div>
                </form>
            }
        }
    };
    html! {
        <section class="card" data-testid="reception-moves">
            <div class="transition-buttons">
                { for r.allowed_transitions.iter().map(|&to| html! {
                    <button type="button" data-testid={format!("move-{}", to.as_str())}
                            class={classes!("button", (moving.to == Some(to)).then_some("active"))}
                            onclick={on_open(to)}>
                        { t.move_to(to) }
                    </button>
                }) }
            </div>
            { form }
        </section>
    }
}
