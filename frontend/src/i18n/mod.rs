//! Interface strings in Kazakh, Russian and English.
//!
//! Every language is one `Strings` value, so a missing translation is a compile error
//! rather than an empty label. The choice is made with the switcher in the header, starts
//! from the browser's `navigator.language`, and is remembered in `localStorage`.

mod en;
mod kk;
mod ru;

use baqylau_wire::auth::Role;
use baqylau_wire::reference::{AppealCategory, Territory, TerritoryLevel};
use gloo_storage::{LocalStorage, Storage};
use yew::prelude::*;

use crate::appeal::{Channel, Language, Status};

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
    pub nav_appeals: &'static str,
    pub nav_new_appeal: &'static str,
    pub appeals_title: &'static str,
    pub reg_number: &'static str,
    pub status: &'static str,
    pub category: &'static str,
    pub channel: &'static str,
    pub received: &'static str,
    pub registered_on: &'static str,
    pub deadline: &'static str,
    pub extended_deadline: &'static str,
    pub extension_reason: &'static str,
    pub subject: &'static str,
    pub description: &'static str,
    pub appeal_language: &'static str,
    pub overdue: &'static str,
    pub overdue_only: &'static str,
    pub search: &'static str,
    pub search_hint: &'static str,
    pub find: &'static str,
    pub all_statuses: &'static str,
    pub all_categories: &'static str,
    pub clear_filters: &'static str,
    pub found: &'static str,
    pub shown: &'static str,
    pub more: &'static str,
    pub loading: &'static str,
    pub no_appeals: &'static str,
    pub new_appeal_title: &'static str,
    pub choose: &'static str,
    pub not_specified: &'static str,
    pub applicant: &'static str,
    pub full_name: &'static str,
    pub iin: &'static str,
    pub phone: &'static str,
    pub address: &'static str,
    pub required_note: &'static str,
    pub register: &'static str,
    pub registering: &'static str,
    pub fix_fields: &'static str,
    pub anonymous: &'static str,
    pub personal_data_masked: &'static str,
    pub history: &'static str,
    pub no_history: &'static str,
    pub responsible_body: &'static str,
    pub deputy: &'static str,
    pub resolution: &'static str,
    pub resolved_at: &'static str,
    pub forwarded_to: &'static str,
    pub forwarded_on: &'static str,
    pub comment: &'static str,
    pub change_status: &'static str,
    pub confirm: &'static str,
    pub cancel: &'static str,
    pub saving: &'static str,
    pub stale_appeal: &'static str,
    pub reload: &'static str,
    pub transition_not_allowed: &'static str,
    pub back_to_appeals: &'static str,
    pub event_created: &'static str,
    pub event_transition: &'static str,
    pub event_updated: &'static str,
    pub event_extended: &'static str,
    pub event_deleted: &'static str,
    pub level_region: &'static str,
    pub level_district: &'static str,
    pub level_city: &'static str,
    pub level_rural_okrug: &'static str,
    pub level_town: &'static str,
    pub level_city_territory: &'static str,
    pub level_settlement: &'static str,
    pub lang_kk: &'static str,
    pub lang_ru: &'static str,
    pub status_registered: &'static str,
    pub status_under_control: &'static str,
    pub status_assigned: &'static str,
    pub status_in_progress: &'static str,
    pub status_resolved: &'static str,
    pub status_explained: &'static str,
    pub status_rejected: &'static str,
    pub status_forwarded: &'static str,
    pub status_reopened: &'static str,
    pub to_under_control: &'static str,
    pub to_assigned: &'static str,
    pub to_in_progress: &'static str,
    pub to_resolved: &'static str,
    pub to_explained: &'static str,
    pub to_rejected: &'static str,
    pub to_forwarded: &'static str,
    pub to_reopened: &'static str,
    pub channel_reception_room: &'static str,
    pub channel_mobile_reception: &'static str,
    pub channel_business_reception: &'static str,
    pub channel_debate_club: &'static str,
    pub channel_public_council: &'static str,
    pub channel_online: &'static str,
    pub channel_phone: &'static str,
    pub channel_letter: &'static str,
    pub channel_state_portal: &'static str,
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

    /// An appeal status. Every `match` below is exhaustive over a wire enum, so a value
    /// added to the API does not compile until it is translated.
    pub fn status(&self, status: Status) -> &'static str {
        match status {
            Status::Registered => self.status_registered,
            Status::UnderControl => self.status_under_control,
            Status::Assigned => self.status_assigned,
            Status::InProgress => self.status_in_progress,
            Status::Resolved => self.status_resolved,
            Status::Explained => self.status_explained,
            Status::Rejected => self.status_rejected,
            Status::Forwarded => self.status_forwarded,
            Status::Reopened => self.status_reopened,
        }
    }

    /// The button that moves an appeal to `to`, as a verb ("Take under control").
    pub fn move_to(&self, to: Status) -> &'static str {
        match to {
            Status::Registered => self.status_registered,
            Status::UnderControl => self.to_under_control,
            Status::Assigned => self.to_assigned,
            Status::InProgress => self.to_in_progress,
            Status::Resolved => self.to_resolved,
            Status::Explained => self.to_explained,
            Status::Rejected => self.to_rejected,
            Status::Forwarded => self.to_forwarded,
            Status::Reopened => self.to_reopened,
        }
    }

    pub fn channel(&self, channel: Channel) -> &'static str {
        match channel {
            Channel::ReceptionRoom => self.channel_reception_room,
            Channel::MobileReception => self.channel_mobile_reception,
            Channel::BusinessReception => self.channel_business_reception,
            Channel::DebateClub => self.channel_debate_club,
            Channel::PublicCouncil => self.channel_public_council,
            Channel::Online => self.channel_online,
            Channel::Phone => self.channel_phone,
            Channel::Letter => self.channel_letter,
            Channel::StatePortal => self.channel_state_portal,
        }
    }

    /// The language a citizen wrote in.
    pub fn appeal_language(&self, language: Language) -> &'static str {
        match language {
            Language::Kazakh => self.lang_kk,
            Language::Russian => self.lang_ru,
        }
    }

    pub fn territory_level(&self, level: TerritoryLevel) -> &'static str {
        match level {
            TerritoryLevel::Region => self.level_region,
            TerritoryLevel::District => self.level_district,
            TerritoryLevel::City => self.level_city,
            TerritoryLevel::RuralOkrug => self.level_rural_okrug,
            TerritoryLevel::Town => self.level_town,
            TerritoryLevel::CityTerritory => self.level_city_territory,
            TerritoryLevel::Settlement => self.level_settlement,
        }
    }

    /// What an entry of an appeal's history records.
    pub fn event<'a>(&self, action: &'a str) -> &'a str {
        match action {
            "created" => self.event_created,
            "transition" => self.event_transition,
            "updated" => self.event_updated,
            "extended" => self.event_extended,
            "deleted" => self.event_deleted,
            other => other,
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

    #[test]
    fn every_value_has_its_own_name() {
        fn distinct(names: Vec<&str>) -> usize {
            let mut names = names;
            names.sort_unstable();
            names.dedup();
            names.len()
        }
        for lang in Lang::ALL {
            let s = lang.strings();
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
            let levels = TerritoryLevel::ALL.map(|l| s.territory_level(l));
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
        let kk = Lang::Kk.strings();
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
            Lang::Ru.strings().status(Status::UnderControl),
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
