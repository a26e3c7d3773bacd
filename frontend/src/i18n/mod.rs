//! Interface texts in Kazakh, Russian and English.
//!
//! Each capability has its own file (`appeals.rs`, `auth.rs`, ...) declaring its texts
//! with [`texts!`], every one as `[kk, ru, en]` side by side, so a text missing a language
//! does not compile, and a new capability adds one file and its `mod` line here. Labels of
//! wire enums (statuses, channels, levels, roles) are exhaustive `match`es in those files.
//!
//! The language is chosen with the switcher in the header, starts from the browser's
//! `navigator.language`, and is remembered in `localStorage`.

/// Declares one capability's texts and `Lang::$accessor()`, which gives them in one
/// language:
///
/// ```ignore
/// texts! {
///     pub struct Deputies, Lang::deputies {
///         deputies_title: ["Депутаттар", "Депутаты", "Deputies"],
///     }
/// }
/// ```
///
/// It also writes a unit test that no text is blank.
macro_rules! texts {
    (
        $(#[$meta:meta])*
        pub struct $name:ident, Lang::$accessor:ident {
            $( $field:ident: [$kk:expr, $ru:expr, $en:expr $(,)?] ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, PartialEq, Eq)]
        pub struct $name {
            /// The language these are in, for the labels of enum values.
            pub lang: $crate::i18n::Lang,
            $( pub $field: &'static str, )*
        }

        impl $crate::i18n::Lang {
            pub fn $accessor(self) -> &'static $name {
                use $crate::i18n::Lang;
                const KK: $name = $name { lang: Lang::Kk, $( $field: $kk, )* };
                const RU: $name = $name { lang: Lang::Ru, $( $field: $ru, )* };
                const EN: $name = $name { lang: Lang::En, $( $field: $en, )* };
                match self {
                    Lang::Kk => &KK,
                    Lang::Ru => &RU,
                    Lang::En => &EN,
                }
            }
        }

        #[cfg(test)]
        #[test]
        fn every_text_is_filled_in() {
            for lang in $crate::i18n::Lang::ALL {
                let texts = lang.$accessor();
                $( assert!(
                    !texts.$field.trim().is_empty(),
                    "{lang:?}: {} is blank",
                    stringify!($field)
                ); )*
            }
        }
    };
}

mod appeals;
mod auth;
mod common;
mod dashboard;
mod deputies;
pub mod problems;
mod receptions;
#[cfg(test)]
mod server_codes;
mod territories;

use baqylau_wire::reference::{AppealCategory, Territory};
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

    /// A reference name in this language. Kazakh and English names are not filled in
    /// for every row (many okrugs have only a Russian one), so Russian is the fallback.
    pub fn pick<'a>(self, kk: Option<&'a str>, ru: &'a str, en: Option<&'a str>) -> &'a str {
        let own = match self {
            Lang::Kk => kk,
            Lang::Ru => None,
            Lang::En => en,
        };
        own.filter(|name| !name.trim().is_empty()).unwrap_or(ru)
    }

    pub fn territory_name(self, t: &Territory) -> &str {
        self.pick(t.name_kk.as_deref(), &t.name_ru, t.name_en.as_deref())
    }

    pub fn category_name(self, c: &AppealCategory) -> &str {
        self.pick(Some(&c.name_kk), &c.name_ru, Some(&c.name_en))
    }

    /// One of a text's translations, given as `[kk, ru, en]`.
    pub fn text(self, [kk, ru, en]: [&'static str; 3]) -> &'static str {
        match self {
            Lang::Kk => kk,
            Lang::Ru => ru,
            Lang::En => en,
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
            document.set_title(lang.common().app_name);
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

#[cfg(test)]
mod tests {
    use baqylau_wire::auth::Role;
    use baqylau_wire::reference::TerritoryLevel;

    use super::*;
    use crate::appeal::{Channel, Language, Status};

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
        let kk = Lang::Kk.auth();
        assert_eq!(kk.sign_in, "Кіру");
        assert_eq!(kk.sign_out, "Шығу");
        assert_eq!(kk.password, "Құпиясөз");
        assert_eq!(kk.email, "Электрондық пошта");
        assert_eq!(Lang::Kk.common().app_name, "Бақылау");
    }

    #[test]
    fn every_role_has_a_name() {
        for lang in Lang::ALL {
            for role in Role::ALL {
                assert!(!lang.auth().role(role).is_empty());
            }
        }
    }

    #[test]
    fn every_value_has_its_own_name() {
        fn distinct(names: Vec<&str>) -> usize {
            let mut names = names;
            names.sort_unstable();
            names.dedup();
            names.len()
        }
        for lang in Lang::ALL {
            let s = lang.appeals();
            let statuses = Status::ALL.map(|st| s.status(st));
            assert_eq!(
                distinct(statuses.to_vec()),
                Status::ALL.len(),
                "{lang:?}: {statuses:?}"
            );
            let channels = Channel::ALL.map(|c| s.channel(c));
            assert_eq!(
                distinct(channels.to_vec()),
                Channel::ALL.len(),
                "{lang:?}: {channels:?}"
            );
            let languages = Language::ALL.map(|l| s.appeal_language(l));
            assert_eq!(
                distinct(languages.to_vec()),
                Language::ALL.len(),
                "{lang:?}"
            );
            let levels = TerritoryLevel::ALL.map(|l| lang.territories().level(l));
            assert_eq!(
                distinct(levels.to_vec()),
                TerritoryLevel::ALL.len(),
                "{lang:?}: {levels:?}"
            );
            for status in Status::ALL {
                assert_ne!(s.status(status), status.as_str(), "{lang:?}");
            }
            for channel in Channel::ALL {
                assert_ne!(s.channel(channel), channel.as_str(), "{lang:?}");
            }
        }
    }

    #[test]
    fn the_agreed_status_names_are_used() {
        let kk = Lang::Kk.appeals();
        let names: Vec<&str> = Status::ALL.iter().map(|st| kk.status(*st)).collect();
        assert_eq!(
            names,
            [
                "Тіркелді",
                "Бақылауға алынды",
                "Тағайындалды",
                "Орындалуда",
                "Шешілді",
                "Түсіндірілді",
                "Қабылданбады",
                "Жолданды",
                "Қайта ашылды"
            ]
        );
        assert_eq!(
            Lang::Ru.appeals().status(Status::UnderControl),
            "Взято на контроль"
        );
    }

    #[test]
    fn names_fall_back_to_russian() {
        assert_eq!(
            Lang::Kk.pick(Some("Байзақ ауданы"), "Байзакский район", None),
            "Байзақ ауданы"
        );
        assert_eq!(
            Lang::Kk.pick(None, "Сарыкемерский с.о.", None),
            "Сарыкемерский с.о."
        );
        assert_eq!(Lang::En.pick(Some("Тараз"), "Тараз", Some(" ")), "Тараз");
        assert_eq!(Lang::En.pick(None, "г. Тараз", Some("Taraz")), "Taraz");
    }
}
