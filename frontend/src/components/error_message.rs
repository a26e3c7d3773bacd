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

#[derive(Properties, PartialEq)]
pub struct FormProblemProps {
    pub error: ApiError,
    /// The fields the form shows errors next to, by their API names.
    pub shown: &'static [&'static str],
}

/// Under a form: for a 422, "fix the marked fields" and whatever is wrong that no field
/// of the form shows; any other problem whole.
#[function_component]
pub fn FormProblem(props: &FormProblemProps) -> Html {
    let lang = *use_lang();
    let err = &props.error;
    if err.problem().is_none_or(|p| p.code != "validation_failed") {
        return html! { <ErrorMessage error={err.clone()} /> };
    }
    let rest = err.without_fields(props.shown);
    let has_rest = rest.problem().is_some_and(|p| !p.errors.is_empty());
    html! {
        <>
            <div class="error" role="alert" data-testid="form-invalid">
                <p>{ lang.common().fix_fields }</p>
            </div>
            if has_rest {
                <ErrorMessage error={rest} />
            }
        </>
    }
}
