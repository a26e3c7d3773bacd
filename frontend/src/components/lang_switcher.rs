use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::{use_lang, Lang};

#[function_component]
pub fn LangSwitcher() -> Html {
    let lang = use_lang();
    let onchange = {
        let lang = lang.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(chosen) = Lang::from_tag(&select.value()) {
                lang.set(chosen);
            }
        })
    };
    html! {
        <label class="lang-switcher">
            <span class="visually-hidden">{ lang.common().language }</span>
            <select data-testid="lang-switcher" aria-label={lang.common().language} {onchange}>
                { for Lang::ALL.into_iter().map(|l| html! {
                    <option value={l.code()} selected={l == *lang} lang={l.code()}>
                        { l.native_name() }
                    </option>
                }) }
            </select>
        </label>
    }
}
