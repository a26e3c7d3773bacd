use yew::prelude::*;
use yew_router::prelude::*;

use crate::i18n::use_lang;
use crate::route::Route;

#[function_component]
pub fn NotFound() -> Html {
    let lang = *use_lang();
    html! {
        <div class="page not-found">
            <section class="card" data-testid="not-found">
                <h1>{ lang.common().not_found_title }</h1>
                <p>{ lang.common().not_found_text }</p>
                <Link<Route> to={Route::Home} classes="button">{ lang.common().back_home }</Link<Route>>
            </section>
        </div>
    }
}
