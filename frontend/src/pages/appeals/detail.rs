//! `/appeals/{id}`: one appeal, its history, and the moves its status allows.

use baqylau_wire::appeals::Appeal;
use yew::prelude::*;
use yew_router::prelude::*;

use super::card::{AppealCard, CitizenCard};
use super::history::HistoryTimeline;
use super::transition::TransitionPanel;
use crate::api;
use crate::components::error_message::ErrorMessage;
use crate::hooks::{use_categories, use_fetch, Fetch};
use crate::i18n::use_lang;
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct AppealPageProps {
    pub id: i64,
}

#[function_component]
pub fn AppealPage(props: &AppealPageProps) -> Html {
    let lang = *use_lang();
    let categories = use_categories();
    let appeal = use_fetch(
        props.id,
        |c, id| async move { api::appeals::get(&c, id).await },
    );
    // Every page of it: an appeal's history is short, and it reads as one story.
    let history = use_fetch(props.id, |c, id| async move {
        api::appeals::full_history(&c, id).await
    });

    let back = html! {
        <Link<Route> to={Route::Appeals} classes="back-link">{ lang.appeals().back_to_appeals }</Link<Route>>
    };
    let current = match appeal.get() {
        Fetch::Loading => {
            return html! {
                <div class="page appeal-page">{ back }<p class="muted">{ lang.common().loading }</p></div>
            }
        }
        Fetch::Failed(err) => {
            return html! {
                <div class="page appeal-page">{ back }<ErrorMessage error={err.clone()} /></div>
            }
        }
        Fetch::Loaded(a) => a.clone(),
    };

    let on_updated = {
        let (appeal, history) = (appeal.clone(), history.clone());
        Callback::from(move |updated: Appeal| {
            appeal.set(updated);
            history.reload();
        })
    };
    let on_reload = {
        let (appeal, history) = (appeal.clone(), history.clone());
        Callback::from(move |_: ()| {
            appeal.reload();
            history.reload();
        })
    };

    let id = current.id;
    html! {
        <div class="page appeal-page">
            { back }
            <AppealCard appeal={current.clone()} categories={categories.get().value().cloned()} />
            <CitizenCard appeal={current.clone()} />
            // Keyed by appeal: a half-filled move must not follow the person to another one.
            <TransitionPanel key={id} appeal={current} {on_updated} {on_reload} />
            <HistoryTimeline history={history.get().clone()} />
        </div>
    }
}
