//! Interface strings in Kazakh, Russian and English.
//!
//! Every language is one `Strings` value, so a missing translation is a compile error
//! rather than an empty label. The choice is made with the switcher in the header, starts
//! from the browser's `navigator.language`, and is remembered in `localStorage`.

mod en;
mod kk;
mod ru;

use baqylau_wire::auth::Role;
use gloo_storage::{LocalStorage, Storage};
use yew::prelude::*;

const STORAGE_KEY: &str = "baqylau.lang";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Kk,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    /// The BCP 47 code, as used in `<html lang>` and in storage.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// The language's name in itself, as a switcher shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Kk => "Қазақша",
            Lang::Ru => "Русский",
            Lang::En => "English",
        }
    }

    /// Reads a BCP 47 tag such as `kk`, `ru-RU` or `en-GB`; only the primary subtag counts.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.trim().to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The language for a browser whose preferred language is `tag`. Kazakh, the state
    /// language, is the fallback for anything the dashboard is not translated into.
    pub fn for_browser(tag: Option<&str>) -> Lang {
        tag.and_then(Lang::from_tag).unwrap_or(Lang::Kk)
    }

    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::Kk => &kk::STRINGS,
            Lang::Ru => &ru::STRINGS,
            Lang::En => &en::STRINGS,
        }
    }
}

/// All text the dashboard shows, in one language.
#[derive(Debug, PartialEq, Eq)]
pub struct Strings {
    pub app_name: &'static str,
    pub tagline: &'static str,
    pub language: &'static str,
    pub home: &'static str,
    pub welcome: &'static str,
    pub please_sign_in: &'static str,
    pub sign_in: &'static str,
    pub sign_in_title: &'static str,
    pub sign_in_hint: &'static str,
    pub signing_in: &'static str,
    pub sign_out: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub user: &'static str,
    pub role: &'static str,
    pub territory: &'static str,
    pub all_territories: &'static str,
    pub server_status: &'static str,
    pub checking: &'static str,
    pub ready: &'static str,
    pub unavailable: &'static str,
    pub database: &'static str,
    pub version: &'static str,
    pub api_docs: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub back_home: &'static str,
    pub network_error: &'static str,
    pub unexpected_error: &'static str,
    pub session_expired: &'static str,
    pub role_admin: &'static str,
    pub role_regional_staff: &'static str,
    pub role_district_staff: &'static str,
    pub role_deputy: &'static str,
    pub role_viewer: &'static str,
}

impl Strings {
    pub fn role(&self, role: Role) -> &'static str {
        match role {
            Role::Admin => self.role_admin,
            Role::RegionalStaff => self.role_regional_staff,
            Role::DistrictStaff => self.role_district_staff,
            Role::Deputy => self.role_deputy,
            Role::Viewer => self.role_viewer,
        }
    }
}

/// The language in force, shared through context. Setting it re-renders every user.
pub type LangHandle = UseStateHandle<Lang>;

#[derive(Properties, PartialEq)]
pub struct LangProviderProps {
    pub children: Html,
}

fn initial_lang() -> Lang {
    // A stored choice that is missing or unreadable simply means "not chosen yet".
    let stored: Option<String> = LocalStorage::get(STORAGE_KEY).ok();
    stored
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or_else(|| {
            let browser = web_sys::window().and_then(|w| w.navigator().language());
            Lang::for_browser(browser.as_deref())
        })
}

#[function_component]
pub fn LangProvider(props: &LangProviderProps) -> Html {
    let lang = use_state(initial_lang);
    use_effect_with(*lang, |lang| {
        if let Err(err) = LocalStorage::set(STORAGE_KEY, lang.code()) {
            web_sys::console::warn_1(&format!("cannot remember the language: {err}").into());
        }
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = document.document_element() {
                // Screen readers and hyphenation follow <html lang>.
                let _ = root.set_attribute("lang", lang.code());
            }
            document.set_title(lang.strings().app_name);
        }
    });
    html! {
        <ContextProvider<LangHandle> context={lang}>
            { props.children.clone() }
        </ContextProvider<LangHandle>>
    }
}

/// The language handle; use `.set(..)` to switch.
#[hook]
pub fn use_lang() -> LangHandle {
    use_context::<LangHandle>().expect("use_lang() outside <LangProvider>")
}

/// The strings of the language in force.
#[hook]
pub fn use_strings() -> &'static Strings {
    use_lang().strings()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_tags_pick_the_language() {
        assert_eq!(Lang::for_browser(Some("kk-KZ")), Lang::Kk);
        assert_eq!(Lang::for_browser(Some("ru-RU")), Lang::Ru);
        assert_eq!(Lang::for_browser(Some("RU")), Lang::Ru);
        assert_eq!(Lang::for_browser(Some("en_GB")), Lang::En);
        assert_eq!(Lang::for_browser(Some("de-DE")), Lang::Kk);
        assert_eq!(Lang::for_browser(Some("")), Lang::Kk);
        assert_eq!(Lang::for_browser(None), Lang::Kk);
    }

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.code()), Some(lang));
        }
    }

    #[test]
    fn the_agreed_terms_are_used() {
        let kk = Lang::Kk.strings();
        assert_eq!(kk.sign_in, "Кіру");
        assert_eq!(kk.sign_out, "Шығу");
        assert_eq!(kk.password, "Құпиясөз");
        assert_eq!(kk.email, "Электрондық пошта");
        assert_eq!(kk.app_name, "Бақылау");
    }

    #[test]
    fn every_string_is_filled_in() {
        for lang in Lang::ALL {
            let s = lang.strings();
            // Debug output lists every field; an empty one shows up as `""`.
            let dump = format!("{s:?}");
            assert!(
                !dump.contains("\"\""),
                "{lang:?} has an empty string: {dump}"
            );
            for role in Role::ALL {
                assert!(!s.role(role).is_empty());
            }
        }
    }
}
