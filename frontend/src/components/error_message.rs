use yew::prelude::*;

use crate::api::ApiError;
use crate::i18n::use_lang;

#[derive(Properties, PartialEq)]
pub struct ErrorMessageProps {
    pub error: ApiError,
}

/// An API error as a person reads it, announced to screen readers.
#[function_component]
pub fn ErrorMessage(props: &ErrorMessageProps) -> Html {
    let lang = *use_lang();
    let message = props.error.message(lang);
    html! {
        <div class="error" role="alert" data-testid="error">
            { for message.lines().map(|line| html! { <p>{ line }</p> }) }
        </div>
    }
}
