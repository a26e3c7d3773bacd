use yew::prelude::*;
use yew_router::prelude::*;

use crate::i18n::use_strings;
use crate::route::Route;

#[function_component]
pub fn NotFound() -> Html {
    let strings = use_strings();
    html! {
        <div class="page not-found">
            <section class="card" data-testid="not-found">
                <h1>{ strings.not_found_title }</h1>
                <p>{ strings.not_found_text }</p>
                <Link<Route> to={Route::Home} classes="button">{ strings.back_home }</Link<Route>>
            </section>
        </div>
    }
}
