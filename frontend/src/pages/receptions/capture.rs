//! Taking appeals on site, with or without signal. Once opened online, the page keeps
//! what it needs (the reception, its places, the categories) in the browser; the service
//! worker (`static/sw.js`) keeps the dashboard itself, so a reload without signal still
//! opens it. Appeals typed here wait in IndexedDB ([`crate::offline`]) and go to the
//! server one by one as soon as the connection is back; one the server refuses stays
//! with its reason, to be corrected or deleted, and never holds up the others.

use crate::components::field::value_of;
use baqylau_wire::appeals::{CitizenInput, CreateAppeal};
use baqylau_wire::receptions::Reception;
use baqylau_wire::reference::{AppealCategory, Territory};
use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ApiError, Client};
use crate::components::error_message::ErrorMessage;
use crate::hooks::{use_fetch, Fetch};
use crate::i18n::use_lang;
use crate::offline;
use crate::session::use_api;

/// What the form needs, kept for use without signal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldKit {
    pub reception: Reception,
    pub places: Vec<Territory>,
    pub categories: Vec<AppealCategory>,
}

fn storage_key(id: i64) -> String {
    format!("baqylau.field.{id}")
}

/// From the server when it answers (and kept), else the kept copy.
async fn field_kit(c: Client, id: i64) -> Result<FieldKit, ApiError> {
    let online = async {
        let reception = api::receptions::get(&c, id).await?;
        let mut places = Vec::new();
        for place in &reception.settlement_ids {
            places.push(api::reference::territory(&c, *place).await?);
        }
        let categories = api::reference::appeal_categories(&c).await?;
        Ok::<_, ApiError>(FieldKit {
            reception,
            places,
            categories,
        })
    };
    match online.await {
        Ok(kit) => {
            let _ = LocalStorage::set(storage_key(id), &kit);
            Ok(kit)
        }
        Err(ApiError::Network(reason)) => {
            LocalStorage::get(storage_key(id)).map_err(|_| ApiError::Network(reason))
        }
        Err(err) => Err(err),
    }
}

#[derive(Clone, Default, PartialEq)]
struct Draft {
    place: Option<i64>,
    category: String,
    full_name: String,
    phone: String,
    subject: String,
    description: String,
    language: String,
}

impl Draft {
    /// A kept appeal back in the form, to be corrected.
    fn of(appeal: &CreateAppeal) -> Draft {
        let citizen = appeal.citizen.clone().unwrap_or_default();
        Draft {
            place: appeal.territory_id,
            category: appeal.category.clone(),
            full_name: citizen.full_name.unwrap_or_default(),
            phone: citizen.phone.unwrap_or_default(),
            subject: appeal.subject.clone(),
            description: appeal.description.clone(),
            language: appeal.language.clone(),
        }
    }

    fn appeal(&self, kit: &FieldKit) -> CreateAppeal {
        CreateAppeal {
            channel: "mobile_reception".into(),
            category: self.category.clone(),
            territory_id: self
                .place
                .or_else(|| kit.reception.settlement_ids.first().copied()),
            citizen: Some(CitizenInput {
                full_name: Some(self.full_name.trim().to_owned()).filter(|s| !s.is_empty()),
                phone: Some(self.phone.trim().to_owned()).filter(|s| !s.is_empty()),
                ..CitizenInput::default()
            }),
            subject: self.subject.trim().to_owned(),
            description: self.description.trim().to_owned(),
            language: self.language.clone(),
            ..CreateAppeal::default()
        }
    }
}

#[derive(Clone, PartialEq)]
enum Sync {
    Idle,
    Sending,
    Done(offline::Round),
    Failed(ApiError),
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: i64,
}

#[function_component]
pub fn CapturePage(props: &Props) -> Html {
    let lang = *use_lang();
    let t = lang.dashboard();
    let id = props.id;
    let kit = use_fetch(id, field_kit);
    let api_handle = use_api();
    let draft = use_state(|| Draft {
        language: lang.code().to_owned(),
        ..Draft::default()
    });
    // The refused appeal being corrected in the form, if any.
    let editing = use_state(|| None::<offline::Item>);
    let items = use_state(Vec::<offline::Item>::new);
    let sync = use_state(|| Sync::Idle);
    let refresh = {
        let items = items.clone();
        Callback::from(move |_: ()| {
            let items = items.clone();
            spawn_local(async move {
                if let Ok(list) = offline::items(id).await {
                    items.set(list);
                }
            });
        })
    };
    // One sender at a time (a ref, not state: the `online` listener holds an old render's
    // callback); a second tab sending the same appeals is answered by their keys.
    let in_flight = use_mut_ref(|| false);
    let send = {
        let (api_handle, sync, refresh) = (api_handle.clone(), sync.clone(), refresh.clone());
        Callback::from(move |_: ()| {
            if in_flight.replace(true) {
                return;
            }
            let (api_handle, sync, refresh) = (api_handle.clone(), sync.clone(), refresh.clone());
            let in_flight = in_flight.clone();
            sync.set(Sync::Sending);
            spawn_local(async move {
                let outcome = api_handle
                    .call(|c| async move { offline::send(&c, id).await })
                    .await;
                *in_flight.borrow_mut() = false;
                sync.set(match outcome {
                    Ok(round) => Sync::Done(round),
                    Err(err) => Sync::Failed(err),
                });
                refresh.emit(());
            });
        })
    };
    {
        // On opening, and whenever the browser says the connection is back.
        let (send, refresh) = (send.clone(), refresh.clone());
        use_effect_with(id, move |_| {
            refresh.emit(());
            send.emit(());
            let listener = Closure::<dyn Fn()>::new(move || send.emit(()));
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ =
                    w.add_event_listener_with_callback("online", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback(
                        "online",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }

    let Fetch::Loaded(k) = kit.get() else {
        return match kit.get() {
            Fetch::Failed(err) => html! { <ErrorMessage error={err.clone()} /> },
            _ => html! { <p class="muted">{ lang.common().loading }</p> },
        };
    };
    let k = k.clone();
    let edit = |f: fn(&mut Draft, String)| {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let mut d = (*draft).clone();
            f(&mut d, value_of(&e));
            draft.set(d);
        })
    };
    let type_in = |f: fn(&mut Draft, String)| {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let mut d = (*draft).clone();
            f(&mut d, value_of(&e));
            draft.set(d);
        })
    };
    let on_submit = {
        let (draft, editing, refresh, send, k) = (
            draft.clone(),
            editing.clone(),
            refresh.clone(),
            send.clone(),
            k.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let d = (*draft).clone();
            let appeal = d.appeal(&k);
            let corrected = (*editing).clone();
            let (draft, editing, refresh, send) = (
                draft.clone(),
                editing.clone(),
                refresh.clone(),
                send.clone(),
            );
            spawn_local(async move {
                // Stored first; only then is the form cleared.
                let stored = match &corrected {
                    Some(item) => offline::correct(item, appeal).await,
                    None => offline::keep(id, appeal).await,
                };
                if stored.is_ok() {
                    editing.set(None);
                    draft.set(Draft {
                        language: d.language,
                        place: d.place,
                        category: d.category,
                        ..Draft::default()
                    });
                    refresh.emit(());
                    if web_sys::window().is_some_and(|w| w.navigator().on_line()) {
                        send.emit(());
                    }
                }
            });
        })
    };
    let correct = {
        let (draft, editing) = (draft.clone(), editing.clone());
        Callback::from(move |item: offline::Item| {
            draft.set(Draft::of(&item.appeal));
            editing.set(Some(item));
        })
    };
    let forget = {
        let (refresh, editing) = (refresh.clone(), editing.clone());
        Callback::from(move |ids: Vec<f64>| {
            let (refresh, editing) = (refresh.clone(), editing.clone());
            if editing.as_ref().is_some_and(|e| ids.contains(&e.id)) {
                editing.set(None);
            }
            spawn_local(async move {
                let _ = offline::remove(&ids).await;
                refresh.emit(());
            });
        })
    };
    let online = web_sys::window().is_some_and(|w| w.navigator().on_line());
    let queue = Queue::of(&items);
    html! {
        <div class="page capture" data-testid="capture">
            <div class="page-title">
                <h1>{ t.capture_title }{ ": " }{ &k.reception.title }</h1>
                <span class={classes!("badge", (!online).then_some("overdue"))} data-testid="connection">
                    { if online { t.online } else { t.offline } }
                </span>
            </div>
            <form class="card form" data-testid="capture-form" onsubmit={on_submit}>
                if editing.is_some() {
                    <p class="notice" data-testid="capture-correcting">{ t.correcting }</p>
                }
                <label>{ t.place }
                    <select data-testid="capture-place" onchange={edit(|d, v| d.place = v.parse().ok())}>
                        { for k.places.iter().map(|p| html! {
                            <option value={p.id.to_string()} selected={draft.place == Some(p.id)}>{ lang.territory_name(p) }</option>
                        }) }
                    </select>
                </label>
                <label>{ lang.appeals().category }
                    <select data-testid="capture-category" required=true onchange={edit(|d, v| d.category = v)}>
                        <option value="" selected={draft.category.is_empty()}>{ lang.common().choose }</option>
                        { for k.categories.iter().map(|c| html! {
                            <option value={c.code.clone()} selected={draft.category == c.code}>{ lang.category_name(c) }</option>
                        }) }
                    </select>
                </label>
                <label>{ t.citizen_name }
                    <input data-testid="capture-name" value={draft.full_name.clone()} oninput={type_in(|d, v| d.full_name = v)} /></label>
                <label>{ t.phone }
                    <input data-testid="capture-phone" type="tel" value={draft.phone.clone()} oninput={type_in(|d, v| d.phone = v)} /></label>
                <label>{ lang.appeals().subject }
                    <input data-testid="capture-subject" required=true value={draft.subject.clone()} oninput={type_in(|d, v| d.subject = v)} /></label>
                <label>{ t.description }
                    <input data-testid="capture-description" required=true value={draft.description.clone()} oninput={type_in(|d, v| d.description = v)} /></label>
                <label>{ t.appeal_language }
                    <select data-testid="capture-language" onchange={edit(|d, v| d.language = v)}>
                        <option value="kk" selected={draft.language == "kk"}>{ "Қазақша" }</option>
                        <option value="ru" selected={draft.language == "ru"}>{ "Русский" }</option>
                    </select>
                </label>
                <button type="submit" class="button" data-testid="capture-keep">
                    { if editing.is_some() { t.keep_correction } else { t.keep_appeal } }
                </button>
            </form>
            <section class="card" data-testid="queue">
                <h2>{ t.queue }</h2>
                <p class="queue-counts" data-testid="queue-counts">
                    { format!("{}: {} · {}: {} · {}: {}",
                        t.waiting_to_send, queue.waiting.len(), t.sent, queue.sent.len(),
                        t.refused, queue.refused.len()) }
                </p>
                if !queue.refused.is_empty() {
                    <ul class="queue refused" data-testid="refused">
                        { for queue.refused.iter().map(|(item, err)| {
                            let (fix, drop) = ((*item).clone(), vec![item.id]);
                            html! {
                                <li data-testid="refused-appeal">
                                    <strong>{ &item.appeal.subject }</strong>
                                    <ErrorMessage error={(*err).clone()} />
                                    <div class="actions">
                                        <button type="button" class="button" data-testid="refused-correct"
                                                onclick={correct.reform(move |_: MouseEvent| fix.clone())}>{ t.correct }</button>
                                        <button type="button" class="button secondary-dark" data-testid="refused-delete"
                                                onclick={forget.reform(move |_: MouseEvent| drop.clone())}>{ lang.common().delete }</button>
                                    </div>
                                </li>
                            }
                        }) }
                    </ul>
                }
                <ul class="queue">
                    { for queue.waiting.iter().map(|w| html! {
                        <li data-testid="waiting-appeal">{ &w.appeal.subject }
                            <span class="muted">{ format!(" · {}", t.waiting_to_send) }</span></li>
                    }) }
                </ul>
                <button type="button" class="button secondary-dark" data-testid="send-now"
                        disabled={queue.waiting.is_empty() || matches!(*sync, Sync::Sending)}
                        onclick={send.reform(|_: MouseEvent| ())}>{ t.send_now }</button>
                { match &*sync {
                    Sync::Sending => html! { <p class="muted"><progress />{ " " }{ t.sending }</p> },
                    Sync::Failed(ApiError::Network(_)) => html! { <p class="muted">{ t.will_send_later }</p> },
                    Sync::Failed(err) => html! { <ErrorMessage error={err.clone()} /> },
                    _ => html! {},
                } }
                if !queue.sent.is_empty() {
                    <p data-testid="sent">{ format!("{}: {}", t.sent, queue.sent.len()) }</p>
                    <ul class="queue sent">
                        { for queue.sent.iter().map(|(item, number)| html! {
                            <li data-testid="sent-appeal">{ &item.appeal.subject }
                                <span class="muted">{ format!(" · {number}") }</span></li>
                        }) }
                    </ul>
                    <button type="button" class="button secondary-dark" data-testid="clear-sent"
                            onclick={forget.reform({
                                let ids: Vec<f64> = queue.sent.iter().map(|(i, _)| i.id).collect();
                                move |_: MouseEvent| ids.clone()
                            })}>{ t.clear_sent }</button>
                }
            </section>
        </div>
    }
}

/// The kept appeals by where they stand.
struct Queue<'a> {
    waiting: Vec<&'a offline::Item>,
    refused: Vec<(&'a offline::Item, &'a ApiError)>,
    sent: Vec<(&'a offline::Item, &'a str)>,
}

impl<'a> Queue<'a> {
    fn of(items: &'a [offline::Item]) -> Queue<'a> {
        let mut queue = Queue {
            waiting: Vec::new(),
            refused: Vec::new(),
            sent: Vec::new(),
        };
        for item in items {
            match &item.state {
                offline::State::Waiting => queue.waiting.push(item),
                offline::State::Refused(err) => queue.refused.push((item, err)),
                offline::State::Sent { number } => queue.sent.push((item, number)),
            }
        }
        queue
    }
}
