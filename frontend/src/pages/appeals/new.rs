//! `/appeals/new`: registering an appeal as office staff take it down.

use std::rc::Rc;

use baqylau_wire::appeals::{CitizenInput, CreateAppeal};
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError};
use crate::appeal::{Channel, Language};
use crate::components::error_message::{ErrorMessage, FormProblem};
use crate::components::field::{value_of, Field};
use crate::components::require_auth::{use_user, WritersOnly};
use crate::components::territory_picker::TerritoryPicker;
use crate::hooks::use_categories;
use crate::i18n::{use_lang, Lang};
use crate::route::Route;
use crate::session::use_api;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Input {
    Channel,
    Category,
    FullName,
    Iin,
    Phone,
    Subject,
    Description,
    Language,
}

/// The form as typed. A reducer rather than one state per field: two quick inputs in a
/// row must not overwrite each other with a stale copy.
#[derive(Clone, Default, PartialEq)]
struct Draft {
    channel: String,
    category: String,
    territory_id: Option<i64>,
    full_name: String,
    iin: String,
    phone: String,
    subject: String,
    description: String,
    language: String,
}

enum Edit {
    Set(Input, String),
    Territory(Option<i64>),
}

impl Reducible for Draft {
    type Action = Edit;

    fn reduce(self: Rc<Self>, edit: Edit) -> Rc<Self> {
        let mut d = (*self).clone();
        match edit {
            Edit::Territory(id) => d.territory_id = id,
            Edit::Set(input, value) => {
                let slot = match input {
                    Input::Channel => &mut d.channel,
                    Input::Category => &mut d.category,
                    Input::FullName => &mut d.full_name,
                    Input::Iin => &mut d.iin,
                    Input::Phone => &mut d.phone,
                    Input::Subject => &mut d.subject,
                    Input::Description => &mut d.description,
                    Input::Language => &mut d.language,
                };
                *slot = value;
            }
        }
        Rc::new(d)
    }
}

impl Draft {
    /// The request body. Blank optional fields are left out rather than sent empty; the
    /// server checks everything else and lists every problem at once.
    fn to_request(&self) -> CreateAppeal {
        let opt = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        CreateAppeal {
            channel: self.channel.clone(),
            category: self.category.clone(),
            territory_id: self.territory_id,
            citizen: Some(CitizenInput {
                full_name: opt(&self.full_name),
                iin: opt(&self.iin),
                phone: opt(&self.phone),
                email: None,
                address: None,
            }),
            subject: self.subject.trim().to_owned(),
            description: self.description.trim().to_owned(),
            language: self.language.clone(),
            ..CreateAppeal::default()
        }
    }
}

/// The fields this form shows errors next to, by their API names.
const FIELDS: &[&str] = &[
    "channel",
    "category",
    "territory_id",
    "citizen.full_name",
    "citizen.iin",
    "citizen.phone",
    "subject",
    "description",
    "language",
];

/// The registration form, for those who may register.
#[function_component]
pub fn NewAppealPage() -> Html {
    html! { <WritersOnly><NewAppeal /></WritersOnly> }
}

#[function_component]
fn NewAppeal() -> Html {
    let api = use_api();
    let user = use_user();
    let lang = *use_lang();
    let navigator = use_navigator();
    let categories = use_categories();
    // Staff bound to a territory register inside it; with no finer choice, it is theirs.
    let own_territory = user.territory_id;
    let draft = use_reducer(move || Draft {
        territory_id: own_territory,
        // The citizen most likely writes in the language the office works in.
        language: match lang {
            Lang::Kk => "kk".to_owned(),
            Lang::Ru => "ru".to_owned(),
            Lang::En => String::new(),
        },
        ..Draft::default()
    });
    // One key for the life of this form: a double click, or a retry after a lost answer,
    // returns the appeal registered the first time instead of registering it again.
    let idempotency_key = use_state(api::new_idempotency_key);
    let busy = use_state(|| false);
    let error = use_state(|| None::<ApiError>);

    let set = |input: Input| {
        let draft = draft.dispatcher();
        move |value: String| draft.dispatch(Edit::Set(input, value))
    };
    let on_input = |input: Input| {
        let set = set(input);
        Callback::from(move |e: InputEvent| {
            set(value_of(&e));
        })
    };
    let on_select = |input: Input| {
        let set = set(input);
        Callback::from(move |e: Event| {
            set(value_of(&e));
        })
    };
    let on_description = {
        let set = set(Input::Description);
        Callback::from(move |e: InputEvent| {
            set(value_of(&e));
        })
    };
    let on_territory = {
        let draft = draft.dispatcher();
        Callback::from(move |id: Option<i64>| draft.dispatch(Edit::Territory(id)))
    };

    let onsubmit = {
        let (api, draft, key) = (api.clone(), draft.clone(), idempotency_key.clone());
        let (busy, error, navigator) = (busy.clone(), error.clone(), navigator.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            let body = draft.to_request();
            let key = (*key).clone();
            let (api, busy, error, navigator) =
                (api.clone(), busy.clone(), error.clone(), navigator.clone());
            spawn_local(async move {
                let result = api
                    .call(|c| {
                        let (body, key) = (body.clone(), key.clone());
                        async move { api::appeals::create(&c, &body, &key).await }
                    })
                    .await;
                busy.set(false);
                match result {
                    Ok(appeal) => {
                        error.set(None);
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Appeal { id: appeal.id });
                        }
                    }
                    Err(err) => error.set(Some(err)),
                }
            });
        })
    };

    let errors_of = |field: &str| -> Vec<String> {
        error
            .as_ref()
            .map(|e| e.field_messages(field, lang))
            .unwrap_or_default()
    };
    let invalid = |field: &str| (!errors_of(field).is_empty()).then_some("true");

    let category_options = match categories.get().value() {
        Some(all) => html! {
            { for all.iter().map(|c| html! {
                <option value={c.code.clone()} selected={draft.category == c.code}>
                    { lang.category_name(c) }
                </option>
            }) }
        },
        None => html! {},
    };

    let summary = match &*error {
        None => html! {},
        Some(err) => html! { <FormProblem error={err.clone()} shown={FIELDS} /> },
    };

    html! {
        <div class="page new-appeal">
            <form class="card form" data-testid="new-appeal-form" novalidate=true {onsubmit}>
                <h1>{ lang.appeals().new_appeal_title }</h1>
                <p class="muted">{ lang.common().required_note }</p>

                <div class="form-grid">
                    <Field id="appeal-channel" name="channel" label={lang.appeals().channel} required=true
                           errors={errors_of("channel")}>
                        <select id="appeal-channel" data-testid="field-channel"
                                aria-invalid={invalid("channel")} onchange={on_select(Input::Channel)}>
                            <option value="" selected={draft.channel.is_empty()}>{ lang.common().choose }</option>
                            { for Channel::ALL.into_iter().map(|c| html! {
                                <option value={c.as_str()} selected={draft.channel == c.as_str()}>{ lang.appeals().channel(c) }</option>
                            }) }
                        </select>
                    </Field>
                    <Field id="appeal-category" name="category" label={lang.appeals().category} required=true
                           errors={errors_of("category")}>
                        <select id="appeal-category" data-testid="field-category"
                                aria-invalid={invalid("category")} onchange={on_select(Input::Category)}>
                            <option value="" selected={draft.category.is_empty()}>{ lang.common().choose }</option>
                            { category_options }
                        </select>
                    </Field>
                </div>

                <Field id="appeal-territory" name="territory_id" label={lang.territories().territory} required=true
                       errors={errors_of("territory_id")}>
                    <TerritoryPicker id="appeal-territory" root={user.territory_id}
                                     onchange={on_territory} invalid={invalid("territory_id").is_some()} />
                </Field>

                <fieldset class="applicant">
                    <legend>{ lang.appeals().applicant }</legend>
                    <Field id="citizen-full-name" name="citizen.full_name" label={lang.appeals().full_name}
                           required=true errors={errors_of("citizen.full_name")}>
                        <input id="citizen-full-name" type="text" autocomplete="off"
                               data-testid="field-full-name" aria-invalid={invalid("citizen.full_name")}
                               value={draft.full_name.clone()} oninput={on_input(Input::FullName)} />
                    </Field>
                    <div class="form-grid">
                        <Field id="citizen-iin" name="citizen.iin" label={lang.appeals().iin}
                               errors={errors_of("citizen.iin")}>
                            <input id="citizen-iin" type="text" inputmode="numeric" maxlength="12"
                                   autocomplete="off" data-testid="field-iin"
                                   aria-invalid={invalid("citizen.iin")}
                                   value={draft.iin.clone()} oninput={on_input(Input::Iin)} />
                        </Field>
                        <Field id="citizen-phone" name="citizen.phone" label={lang.appeals().phone}
                               errors={errors_of("citizen.phone")}>
                            <input id="citizen-phone" type="tel" autocomplete="off" placeholder="+7 701 234 56 78"
                                   data-testid="field-phone" aria-invalid={invalid("citizen.phone")}
                                   value={draft.phone.clone()} oninput={on_input(Input::Phone)} />
                        </Field>
                    </div>
                </fieldset>

                <Field id="appeal-subject" name="subject" label={lang.appeals().subject} required=true
                       errors={errors_of("subject")}>
                    <input id="appeal-subject" type="text" maxlength="300" data-testid="field-subject"
                           aria-invalid={invalid("subject")}
                           value={draft.subject.clone()} oninput={on_input(Input::Subject)} />
                </Field>
                <Field id="appeal-description" name="description" label={lang.appeals().description} required=true
                       errors={errors_of("description")}>
                    <textarea id="appeal-description" rows="6" data-testid="field-description"
                              aria-invalid={invalid("description")}
                              value={draft.description.clone()} oninput={on_description} />
                </Field>
                <Field id="appeal-language" name="language" label={lang.appeals().appeal_language} required=true
                       errors={errors_of("language")}>
                    <select id="appeal-language" data-testid="field-language"
                            aria-invalid={invalid("language")} onchange={on_select(Input::Language)}>
                        <option value="" selected={draft.language.is_empty()}>{ lang.common().choose }</option>
                        { for Language::ALL.into_iter().map(|l| html! {
                            <option value={l.as_str()} selected={draft.language == l.as_str()}>{ lang.appeals().appeal_language(l) }</option>
                        }) }
                    </select>
                </Field>

                { summary }
                if let Some(err) = categories.get().error() {
                    <ErrorMessage error={err.clone()} />
                }
                <div class="actions">
                    <button type="submit" class="button" data-testid="submit-appeal" disabled={*busy}>
                        { if *busy { lang.appeals().registering } else { lang.appeals().register } }
                    </button>
                    <Link<Route> to={Route::Appeals} classes="button ghost">{ lang.common().cancel }</Link<Route>>
                </div>
            </form>
        </div>
    }
}
