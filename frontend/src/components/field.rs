use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The value of the form control an event came from: an input, a text area or a
/// select (an `InputEvent` passes as `&e` too). Empty for anything else.
pub fn value_of(e: &Event) -> String {
    let Some(target) = e.target() else {
        return String::new();
    };
    if let Some(input) = target.dyn_ref::<HtmlInputElement>() {
        input.value()
    } else if let Some(area) = target.dyn_ref::<HtmlTextAreaElement>() {
        area.value()
    } else if let Some(select) = target.dyn_ref::<HtmlSelectElement>() {
        select.value()
    } else {
        String::new()
    }
}

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    /// The input's `id`, which the label points to.
    pub id: AttrValue,
    pub label: AttrValue,
    #[prop_or_default]
    pub required: bool,
    /// The API's name of the field (`citizen.iin`): `data-testid="error-citizen.iin"`.
    pub name: AttrValue,
    /// What the server said is wrong with it.
    #[prop_or_default]
    pub errors: Vec<String>,
    pub children: Html,
}

/// A labelled form control with the server's complaints about it right underneath.
#[function_component]
pub fn Field(props: &FieldProps) -> Html {
    let invalid = !props.errors.is_empty();
    html! {
        <div class={classes!("field", invalid.then_some("invalid"))}>
            <label for={props.id.clone()}>
                { &props.label }
                if props.required {
                    <span class="required" aria-hidden="true">{ " *" }</span>
                }
            </label>
            { props.children.clone() }
            if invalid {
                <ul class="field-errors" role="alert" id={format!("{}-errors", props.id)}
                    data-testid={format!("error-{}", props.name)}>
                    { for props.errors.iter().map(|e| html! { <li>{ e }</li> }) }
                </ul>
            }
        </div>
    }
}
