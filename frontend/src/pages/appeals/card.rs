//! The appeal page's cards: the appeal and its applicant.

use std::rc::Rc;

use baqylau_wire::appeals::Appeal;
use baqylau_wire::reference::AppealCategory;
use yew::prelude::*;

use crate::components::badges::{OverdueBadge, StatusBadge};
use crate::components::names::{DeputyName, TerritoryName};
use crate::format;
use crate::i18n::use_lang;

/// One `<dt>`/`<dd>` pair, left out when there is nothing to say.
pub(super) fn row(label: &str, value: Option<String>, testid: &'static str) -> Html {
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

#[derive(Properties, PartialEq)]
pub struct AppealCardProps {
    pub appeal: Rc<Appeal>,
    /// `None` until they arrive: the code is shown meanwhile.
    #[prop_or_default]
    pub categories: Option<Rc<Vec<AppealCategory>>>,
}

/// The appeal itself: what, where, when, and where it stands.
#[function_component]
pub fn AppealCard(props: &AppealCardProps) -> Html {
    let lang = *use_lang();
    let a = &*props.appeal;
    let categories = props.categories.as_deref().map(Vec::as_slice);
    let category = categories
        .and_then(|all| all.iter().find(|c| c.code == a.category))
        .map_or(a.category.clone(), |c| lang.category_name(c).to_owned());
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
                { row(lang.appeals().channel, Some(lang.appeals().channel(a.channel).to_owned()), "appeal-channel") }
                { row(lang.appeals().category, Some(category), "appeal-category") }
                <dt>{ lang.territories().territory }</dt>
                <dd data-testid="appeal-territory"><TerritoryName id={a.territory_id} /></dd>
                { row(lang.appeals().appeal_language, Some(lang.appeals().appeal_language(a.language).to_owned()), "appeal-language") }
                { row(lang.appeals().received, Some(format::date_time(a.received_at, lang)), "appeal-received") }
                { row(lang.appeals().registered_on, Some(date(a.registered_on)), "appeal-registered-on") }
                { row(lang.appeals().deadline, Some(date(a.due_on)), "appeal-due-on") }
                { row(lang.appeals().extended_deadline, a.extended_due_on.map(date), "appeal-extended-due-on") }
                { row(lang.appeals().extension_reason, a.extension_reason.clone(), "appeal-extension-reason") }
                { row(lang.appeals().responsible_body, a.assigned_body.clone(), "appeal-assigned-body") }
                if let Some(deputy) = a.deputy_id {
                    <dt>{ lang.appeals().deputy }</dt>
                    <dd data-testid="appeal-deputy"><DeputyName id={deputy} /></dd>
                }
                { row(lang.appeals().forwarded_to, a.forwarded_to.clone(), "appeal-forwarded-to") }
                { row(lang.appeals().forwarded_on, a.forwarded_on.map(date), "appeal-forwarded-on") }
                { row(lang.appeals().resolution, a.resolution.clone(), "appeal-resolution") }
                { row(lang.appeals().resolved_at, a.resolved_at.map(|t| format::date_time(t, lang)), "appeal-resolved-at") }
            </dl>
        </section>
    }
}

/// The citizen exactly as the server sent it: masked for most roles. Nothing is
/// unmasked or guessed here.
#[derive(Properties, PartialEq)]
pub struct CitizenCardProps {
    pub appeal: Rc<Appeal>,
}

#[function_component]
pub fn CitizenCard(props: &CitizenCardProps) -> Html {
    let lang = *use_lang();
    let a = &*props.appeal;
    let c = &a.citizen;
    let has_personal = c.iin.is_some() || c.phone.is_some() || c.email.is_some();
    html! {
        <section class="card" data-testid="appeal-citizen">
            <h2>{ lang.appeals().applicant }</h2>
            if a.anonymous {
                <p data-testid="citizen-anonymous">{ lang.appeals().anonymous }</p>
            }
            <dl>
                { row(lang.appeals().full_name, c.full_name.clone(), "citizen-full-name") }
                { row(lang.appeals().iin, c.iin.as_ref().map(|v| v.shown().into_owned()), "citizen-iin") }
                { row(lang.appeals().phone, c.phone.as_ref().map(|v| v.shown().into_owned()), "citizen-phone") }
                { row(lang.auth().email, c.email.as_ref().map(|v| v.shown().into_owned()), "citizen-email") }
                { row(lang.appeals().address, c.address.clone(), "citizen-address") }
            </dl>
            if has_personal && !a.personal_data_revealed {
                <p class="muted" data-testid="citizen-masked">{ lang.appeals().personal_data_masked }</p>
            }
        </section>
    }
}
