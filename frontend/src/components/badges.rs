use yew::prelude::*;

use crate::appeal::Status;
use crate::i18n::use_lang;

#[derive(Properties, PartialEq)]
pub struct StatusBadgeProps {
    pub status: Status,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
}

/// An appeal status in the interface language; `data-status` keeps the API name for
/// tests and styles.
#[function_component]
pub fn StatusBadge(props: &StatusBadgeProps) -> Html {
    let lang = *use_lang();
    html! {
        <span class={classes!("badge", format!("status-{}", props.status))}
              data-status={props.status.as_str()} data-testid={props.testid.clone()}>
            { lang.appeals().status(props.status) }
        </span>
    }
}

/// "Overdue": open and past the deadline in force, as the server derived it.
#[function_component]
pub fn OverdueBadge() -> Html {
    let lang = *use_lang();
    html! {
        <span class="badge overdue" data-testid="overdue-badge">{ lang.appeals().overdue }</span>
    }
}
