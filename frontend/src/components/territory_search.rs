//! Finding a territory by name: the box above the territory picker's cascade, for the
//! village whose district nobody remembers. `GET /territories?q=` searches the whole
//! classifier (reference data), so the answers are narrowed to the person's subtree
//! here, by KATO code, as the API would refuse anything outside it anyway.

use crate::components::field::value_of;
use baqylau_wire::reference::{Territory, TerritoryLevel};
use yew::prelude::*;

use crate::api::reference;
use crate::components::error_message::ErrorMessage;
use crate::hooks::use_fetch;
use crate::i18n::use_lang;

/// The KATO digits a territory of `level` shares with everything under it
/// (`AB CD EF GHI`: region, district or city, okrug or town, settlement).
fn kato_prefix(t: &Territory) -> &str {
    let len = match t.level {
        TerritoryLevel::Region => 2,
        TerritoryLevel::District | TerritoryLevel::City => 4,
        TerritoryLevel::RuralOkrug | TerritoryLevel::Town | TerritoryLevel::CityTerritory => 6,
        TerritoryLevel::Settlement => 9,
    };
    t.kato_code.get(..len).unwrap_or(&t.kato_code)
}

/// `found` without what lies outside `root` (everything when there is no root).
pub fn within(root: Option<&Territory>, found: Vec<Territory>) -> Vec<Territory> {
    match root {
        None => found,
        Some(root) => {
            let prefix = kato_prefix(root);
            found
                .into_iter()
                .filter(|t| t.kato_code.starts_with(prefix))
                .collect()
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct TerritorySearchProps {
    /// The person's subtree, loaded by the picker.
    pub root: Option<Territory>,
    /// Whether the picker has a root at all (its territory may still be loading).
    pub scoped: bool,
    pub onchange: Callback<Option<i64>>,
}

/// The shortest search worth sending: one letter matches half the classifier.
const MIN_CHARS: usize = 2;

#[function_component]
pub fn TerritorySearch(props: &TerritorySearchProps) -> Html {
    let lang = *use_lang();
    let draft = use_state(String::new);
    let query = use_state(String::new);
    let chosen = use_state(|| None::<Territory>);
    let found = use_fetch((*query).clone(), |c, q| async move {
        if q.chars().count() < MIN_CHARS {
            return Ok(Vec::new());
        }
        reference::search_territories(&c, &q).await
    });
    let on_input = {
        let (draft, query) = (draft.clone(), query.clone());
        Callback::from(move |e: InputEvent| {
            let value = value_of(&e);
            query.set(value.trim().to_owned());
            draft.set(value);
        })
    };
    let pick = |t: Territory| {
        let (chosen, onchange, draft, query) = (
            chosen.clone(),
            props.onchange.clone(),
            draft.clone(),
            query.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            onchange.emit(Some(t.id));
            chosen.set(Some(t.clone()));
            draft.set(String::new());
            query.set(String::new());
        })
    };
    // Until the person's own territory is known, nothing can be said to lie within it.
    let results = match (props.scoped, &props.root, found.get().value()) {
        (true, None, _) | (_, _, None) => Vec::new(),
        (_, root, Some(all)) => within(root.as_ref(), all.as_ref().clone()),
    };

    html! {
        <div class="territory-search">
            <input type="search" data-testid="territory-search" placeholder={lang.territories().search_hint}
                   value={(*draft).clone()} oninput={on_input} />
            if !results.is_empty() {
                <ul class="territory-results" data-testid="territory-results">
                    { for results.into_iter().take(20).map(|t| html! {
                        <li>
                            <button type="button" class="link" data-testid="territory-result"
                                    data-id={t.id.to_string()} onclick={pick(t.clone())}>
                                { lang.territory_name(&t) }
                                <span class="muted">{ " · " }{ lang.territories().level(t.level) }</span>
                            </button>
                        </li>
                    }) }
                </ul>
            } else if query.chars().count() >= MIN_CHARS && found.get().value().is_some() {
                <p class="muted" data-testid="territory-none">{ lang.territories().none_found }</p>
            }
            if let Some(t) = &*chosen {
                <p data-testid="territory-chosen">{ lang.territory_name(t) }</p>
            }
            if let Some(err) = found.get().error() {
                <ErrorMessage error={err.clone()} />
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn territory(id: i64, level: &str, kato: &str) -> Territory {
        serde_json::from_value(serde_json::json!({
            "id": id, "parent_id": null, "level": level, "kato_code": kato,
            "name_kk": null, "name_ru": format!("Т{id}"), "name_en": null,
            "updated_at": "2026-01-01T00:00:00Z", "version": 1
        }))
        .unwrap()
    }

    #[test]
    fn answers_outside_the_persons_district_are_left_out() {
        let district = territory(1, "district", "314000000");
        let found = vec![
            territory(2, "rural_okrug", "314030000"),
            territory(3, "rural_okrug", "315030000"),
            territory(4, "settlement", "314030100"),
        ];
        let ids = |v: Vec<Territory>| v.into_iter().map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(ids(within(Some(&district), found.clone())), [2, 4]);
        assert_eq!(ids(within(None, found)), [2, 3, 4]);
    }
}
