//! Names in place of ids: a territory or a deputy shown by its name in the person's
//! language. Until (or unless) the name arrives, the number stands in for it, so a slow
//! link never leaves a blank.

use yew::prelude::*;

use crate::api;
use crate::hooks::use_fetch;
use crate::i18n::use_lang;

#[derive(Properties, PartialEq)]
pub struct NameProps {
    pub id: i64,
}

/// A territory's name.
#[function_component]
pub fn TerritoryName(props: &NameProps) -> Html {
    let lang = *use_lang();
    let territory = use_fetch(props.id, |c, id| async move {
        api::reference::territory(&c, id).await
    });
    let text = territory.get().value().map_or_else(
        || format!("№ {}", props.id),
        |t| lang.territory_name(t).to_owned(),
    );
    html! { <>{ text }</> }
}

/// A deputy's full name.
#[function_component]
pub fn DeputyName(props: &NameProps) -> Html {
    let deputy = use_fetch(props.id, |c, id| async move {
        api::deputies::deputy(&c, id).await
    });
    let text = deputy
        .get()
        .value()
        .map_or_else(|| format!("№ {}", props.id), |d| d.full_name.clone());
    html! { <>{ text }</> }
}
