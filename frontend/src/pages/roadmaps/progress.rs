//! Recording progress on an indicator (`POST /indicators/{id}/progress`): done or not
//! for an event, the value reached for a quantitative one, with a comment and links to
//! the evidence. What the server finds wrong is shown next to the field it concerns.

use baqylau_wire::roadmaps::{CreateProgress, IndicatorKind, Progress};
use chrono::NaiveDate;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::error_message::ErrorMessage;
use crate::components::field::{value_of, Field};
use crate::i18n::use_lang;
use crate::session::use_api;

/// The fields shown next to their errors; any other complaint goes in the summary.
const FIELDS: [&str; 5] = ["date", "done", "value", "comment", "evidence_urls"];

#[derive(Clone, Default, PartialEq)]
struct Draft {
    date: String,
    done: String,
    value: String,
    comment: String,
    evidence: String,
}

impl Draft {
    /// The request as typed. A value that is not a number is sent as none, so that the
    /// server names the field (a quantitative indicator needs a value).
    fn to_request(&self) -> CreateProgress {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        CreateProgress {
            date: self.date.parse::<NaiveDate>().ok(),
            done: match self.done.as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            value: self.value.trim().replace(',', ".").parse::<f64>().ok(),
            comment: text(&self.comment),
            evidence_urls: crate::typed::lines(&self.evidence),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ProgressProps {
    /// The indicator's id.
    pub id: i64,
    /// Whether it is reported as done or not, or by the value reached.
    pub kind: IndicatorKind,
    pub onsaved: Callback<Progress>,
}

#[function_component]
pub fn ProgressForm(props: &ProgressProps) -> Html {
    let lang = *use_lang();
    let t = lang.dashboard();
    let api = use_api();
    let draft = use_state(Draft::default);
    let key = use_state(api::new_idempotency_key);
    let busy = use_state(|| false);
    let error = use_state(|| None::<ApiError>);
    let edit = |set: fn(&mut Draft, String)| {
        let draft = draft.clone();
        move |value: String| {
            let mut next = (*draft).clone();
            set(&mut next, value);
            draft.set(next);
        }
    };
    let on_input = |set: fn(&mut Draft, String)| {
        let edit = edit(set);
        Callback::from(move |e: InputEvent| edit(value_of(&e)))
    };
    let on_text = |set: fn(&mut Draft, String)| {
        let edit = edit(set);
        Callback::from(move |e: InputEvent| edit(value_of(&e)))
    };
    let on_done = {
        let edit = edit(|d, v| d.done = v);
        Callback::from(move |e: Event| edit(value_of(&e)))
    };
    let onsubmit = {
        let (api, draft, key, busy, error) = (
            api.clone(),
            draft.clone(),
            key.clone(),
            busy.clone(),
            error.clone(),
        );
        let (id, onsaved) = (props.id, props.onsaved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            let (body, k) = (draft.to_request(), (*key).clone());
            let (api, busy, error, key, onsaved) = (
                api.clone(),
                busy.clone(),
                error.clone(),
                key.clone(),
                onsaved.clone(),
            );
            spawn_local(async move {
                let result = api
                    .call(|c| {
                        let (body, k) = (body.clone(), k.clone());
                        async move { api::roadmaps::report_progress(&c, id, &body, &k).await }
                    })
                    .await;
                busy.set(false);
                match result {
                    Ok(progress) => {
                        error.set(None);
                        // The next report is a new one, not a retry of this one.
                        key.set(api::new_idempotency_key());
                        onsaved.emit(progress);
                    }
                    Err(err) => error.set(Some(err)),
                }
            });
        })
    };
    let errors_of = |field: &str| -> Vec<String> {
        let mut all = error
            .as_ref()
            .map(|e| e.field_messages(field, lang))
            .unwrap_or_default();
        if field == "evidence_urls" {
            // One complaint per bad link: `evidence_urls[1]`.
            for i in 0..20 {
                let name = format!("evidence_urls[{i}]");
                all.extend(
                    error
                        .as_ref()
                        .map(|e| e.field_messages(&name, lang))
                        .unwrap_or_default(),
                );
            }
        }
        all
    };
    let invalid = |field: &str| (!errors_of(field).is_empty()).then_some("true");
    let summary = match &*error {
        None => html! {},
        Some(err) if err.problem().is_some_and(|p| p.code == "validation_failed") => {
            let shown: Vec<String> = FIELDS
                .iter()
                .map(|f| f.to_string())
                .chain((0..20).map(|i| format!("evidence_urls[{i}]")))
                .collect();
            let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
            let rest = err.without_fields(&shown);
            html! {
                <>
                    <div class="error" role="alert" data-testid="progress-invalid">
                        <p>{ lang.common().fix_fields }</p>
                    </div>
                    if rest.problem().is_some_and(|p| !p.errors.is_empty()) {
                        <ErrorMessage error={rest} />
                    }
                </>
            }
        }
        Some(err) => html! { <ErrorMessage error={err.clone()} /> },
    };
    let id = props.id;
    let input_id = |name: &str| format!("progress-{id}-{name}");

    html! {
        <form class="progress-form" data-testid="progress-form" novalidate=true {onsubmit}>
            { summary }
            <div class="form-grid">
                <Field id={input_id("date")} name="date" label={t.progress_date} errors={errors_of("date")}>
                    // Progress is what was done: the server refuses a later day.
                    <input id={input_id("date")} type="date" data-testid="progress-date"
                           max={crate::workdays::today().to_string()}
                           aria-invalid={invalid("date")} value={draft.date.clone()}
                           oninput={on_input(|d, v| d.date = v)} />
                </Field>
                if props.kind == IndicatorKind::Event {
                    <Field id={input_id("done")} name="done" label={t.progress_done} errors={errors_of("done")}>
                        <select id={input_id("done")} data-testid="progress-done"
                                aria-invalid={invalid("done")} onchange={on_done}>
                            <option value="" selected={draft.done.is_empty()}>{ lang.common().choose }</option>
                            <option value="true" selected={draft.done == "true"}>{ t.progress_yes }</option>
                            <option value="false" selected={draft.done == "false"}>{ t.progress_no }</option>
                        </select>
                    </Field>
                } else {
                    <Field id={input_id("value")} name="value" label={t.progress_value} errors={errors_of("value")}>
                        <input id={input_id("value")} type="text" inputmode="decimal" data-testid="progress-value"
                               aria-invalid={invalid("value")} value={draft.value.clone()}
                               oninput={on_input(|d, v| d.value = v)} />
                    </Field>
                }
            </div>
            <Field id={input_id("comment")} name="comment" label={t.progress_comment} errors={errors_of("comment")}>
                <textarea id={input_id("comment")} data-testid="progress-comment" rows="2"
                          aria-invalid={invalid("comment")} value={draft.comment.clone()}
                          oninput={on_text(|d, v| d.comment = v)} />
            </Field>
            <Field id={input_id("evidence")} name="evidence_urls" label={t.progress_evidence}
                   errors={errors_of("evidence_urls")}>
                <textarea id={input_id("evidence")} data-testid="progress-evidence" rows="2"
                          aria-invalid={invalid("evidence_urls")} value={draft.evidence.clone()}
                          oninput={on_text(|d, v| d.evidence = v)} />
            </Field>
            <button type="submit" class="button" data-testid="progress-submit" disabled={*busy}>
                { t.progress_save }
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_is_what_was_typed() {
        let draft = Draft {
            date: "2026-11-20".into(),
            done: String::new(),
            value: " 12,5 ".into(),
            comment: "  ".into(),
            evidence: "https://a.kz/1\n\n  https://a.kz/2  \n".into(),
        };
        let r = draft.to_request();
        assert_eq!(r.date, NaiveDate::from_ymd_opt(2026, 11, 20));
        assert_eq!((r.done, r.value, r.comment), (None, Some(12.5), None));
        assert_eq!(r.evidence_urls, ["https://a.kz/1", "https://a.kz/2"]);
    }
}
