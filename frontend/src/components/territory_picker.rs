//! Choosing where an appeal's problem is: region → district or city → okrug → settlement,
//! one `<select>` per level, each listing the children of the choice above it
//! (`GET /api/v1/territories?parent_id=…`).

use std::rc::Rc;

use baqylau_wire::reference::Territory;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::api::reference::{self, TerritoryScope};
use crate::components::error_message::ErrorMessage;
use crate::components::territory_search::TerritorySearch;
use crate::hooks::use_fetch;
use crate::i18n::{use_lang, Lang};

#[derive(Properties, PartialEq)]
pub struct TerritoryPickerProps {
    /// The first `<select>`'s id, for the field's label.
    pub id: AttrValue,
    /// The subtree the person works in (`None`: everywhere). The picker starts below it,
    /// since the API refuses appeals outside it anyway.
    pub root: Option<i64>,
    /// The deepest territory chosen (or `root` when nothing is), on every change.
    pub onchange: Callback<Option<i64>>,
    #[prop_or_default]
    pub invalid: bool,
}

#[derive(Clone, PartialEq)]
struct Level {
    options: Vec<Territory>,
    selected: Option<i64>,
}

#[derive(Clone, PartialEq)]
struct Picker {
    root: Option<i64>,
    levels: Vec<Level>,
}

enum PickerAction {
    /// Start again below `root`.
    Reset(Option<i64>),
    /// The children of `parent` (`None`: the regions) arrived.
    Loaded {
        parent: Option<i64>,
        options: Vec<Territory>,
    },
    Select {
        depth: usize,
        id: Option<i64>,
    },
}

impl Picker {
    /// The territory whose children the next level would list.
    fn tip(&self) -> Option<i64> {
        match self.levels.last() {
            None => self.root,
            Some(level) => level.selected,
        }
    }

    /// What to list for the next level: nothing when the last level has no choice yet.
    fn wanted(&self) -> Option<TerritoryScope> {
        match (self.levels.is_empty(), self.tip()) {
            (_, Some(id)) => Some(TerritoryScope::ChildrenOf(id)),
            (true, None) => Some(TerritoryScope::Regions),
            (false, None) => None,
        }
    }
}

impl Reducible for Picker {
    type Action = PickerAction;

    fn reduce(self: Rc<Self>, action: PickerAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            PickerAction::Reset(root) => {
                next = Picker {
                    root,
                    levels: Vec::new(),
                };
            }
            PickerAction::Loaded { parent, options } => {
                // A late answer for a choice already changed is dropped; so is an empty
                // one (the bottom of the tree).
                let expected = parent == next.tip() && (parent.is_some() || next.levels.is_empty());
                if !expected || options.is_empty() {
                    return self;
                }
                next.levels.push(Level {
                    options,
                    selected: None,
                });
            }
            PickerAction::Select { depth, id } => {
                if depth >= next.levels.len() {
                    return self;
                }
                next.levels.truncate(depth + 1);
                next.levels[depth].selected = id;
            }
        }
        Rc::new(next)
    }
}

/// "District / City": the kinds of territory a level offers.
fn level_label(options: &[Territory], lang: Lang) -> String {
    let mut kinds: Vec<&str> = Vec::new();
    for t in options {
        let kind = lang.territories().level(t.level);
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    kinds.join(" / ")
}

fn sorted_by_name(mut options: Vec<Territory>, lang: Lang) -> Vec<Territory> {
    options.sort_by_cached_key(|t| lang.territory_name(t).to_lowercase());
    options
}

#[function_component]
pub fn TerritoryPicker(props: &TerritoryPickerProps) -> Html {
    let lang = *use_lang();
    let picker = {
        let root = props.root;
        use_reducer(move || Picker {
            root,
            levels: Vec::new(),
        })
    };
    // Only a caption: without it the picker still works.
    let root_territory = use_fetch(props.root, |c, root| async move {
        match root {
            Some(id) => reference::territory(&c, id).await.map(Some),
            None => Ok(None),
        }
    });
    // The next level's options, whenever the choice above it (or the root) changes.
    let children = use_fetch((props.root, picker.wanted()), |c, (_, wanted)| async move {
        match wanted {
            Some(scope) => Ok(Some((scope, reference::territories(&c, scope).await?))),
            None => Ok(None),
        }
    });
    {
        let picker = picker.dispatcher();
        use_effect_with(children.get().clone(), move |children| {
            if let Some((scope, options)) = children.value().and_then(|v| v.as_ref().clone()) {
                let parent = match scope {
                    TerritoryScope::Regions => None,
                    TerritoryScope::ChildrenOf(id) => Some(id),
                };
                picker.dispatch(PickerAction::Loaded { parent, options });
            }
        });
    }
    {
        let reset = picker.dispatcher();
        use_effect_with(props.root, move |root| {
            reset.dispatch(PickerAction::Reset(*root))
        });
    }
    let on_select = |depth: usize| {
        let (picker, onchange) = (picker.clone(), props.onchange.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let id = select.value().parse::<i64>().ok();
            let above = match depth {
                0 => picker.root,
                _ => picker.levels[depth - 1].selected,
            };
            picker.dispatch(PickerAction::Select { depth, id });
            onchange.emit(id.or(above));
        })
    };
    let root_territory = root_territory
        .get()
        .value()
        .and_then(|t| t.as_ref().clone());

    html! {
        <div class={classes!("territory-picker", props.invalid.then_some("invalid"))}
             data-testid="territory-picker">
            if let Some(root) = &root_territory {
                <p class="muted" data-testid="territory-root">{ lang.territory_name(root) }</p>
            }
            <TerritorySearch root={root_territory.clone()} scoped={props.root.is_some()}
                             onchange={props.onchange.clone()} />
            { for picker.levels.iter().enumerate().map(|(depth, level)| {
                let id = if depth == 0 { props.id.to_string() } else { format!("{}-{depth}", props.id) };
                let options = sorted_by_name(level.options.clone(), lang);
                let empty = if depth == 0 && picker.root.is_none() { lang.common().choose } else { lang.common().not_specified };
                html! {
                    <label class="territory-level" for={id.clone()}>
                        <span class="muted">{ level_label(&level.options, lang) }</span>
                        <select {id} data-testid={format!("territory-level-{depth}")}
                                aria-invalid={props.invalid.then_some("true")}
                                onchange={on_select(depth)}>
                            <option value="" selected={level.selected.is_none()}>{ empty }</option>
                            { for options.iter().map(|t| html! {
                                <option value={t.id.to_string()} selected={level.selected == Some(t.id)}>
                                    { lang.territory_name(t) }
                                </option>
                            }) }
                        </select>
                    </label>
                }
            }) }
            if let Some(err) = children.get().error() {
                <ErrorMessage error={err.clone()} />
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn territory(id: i64, level: &str) -> Territory {
        serde_json::from_value(serde_json::json!({
            "id": id, "parent_id": null, "level": level, "kato_code": format!("{id:09}"),
            "name_kk": null, "name_ru": format!("Т{id}"), "name_en": null,
            "updated_at": "2026-01-01T00:00:00Z", "version": 1
        }))
        .unwrap()
    }

    fn loaded(parent: Option<i64>, ids: &[i64]) -> PickerAction {
        PickerAction::Loaded {
            parent,
            options: ids.iter().map(|&id| territory(id, "district")).collect(),
        }
    }

    #[test]
    fn each_choice_opens_the_level_below_and_late_answers_are_dropped() {
        let p = Rc::new(Picker {
            root: None,
            levels: Vec::new(),
        })
        .reduce(loaded(None, &[1, 578]))
        .reduce(PickerAction::Select {
            depth: 0,
            id: Some(1),
        })
        // The person changes their mind before Zhambyl's districts arrive.
        .reduce(PickerAction::Select {
            depth: 0,
            id: Some(578),
        })
        .reduce(loaded(Some(1), &[4, 66]))
        .reduce(loaded(Some(578), &[600]));
        assert_eq!(p.levels.len(), 2);
        assert_eq!(p.levels[1].options[0].id, 600);

        // Choosing higher up again closes the levels below.
        let p = p
            .reduce(PickerAction::Select {
                depth: 1,
                id: Some(600),
            })
            .reduce(loaded(Some(600), &[601]))
            .reduce(PickerAction::Select { depth: 0, id: None });
        assert_eq!(p.levels.len(), 1);
        assert_eq!(p.tip(), None);
        // Nothing below an unchosen level, and nothing below the bottom of the tree.
        let p = p
            .reduce(loaded(Some(578), &[600]))
            .reduce(loaded(None, &[]));
        assert_eq!(p.levels.len(), 1);
    }

    #[test]
    fn a_bound_person_starts_below_their_territory() {
        let p = Rc::new(Picker {
            root: Some(4),
            levels: Vec::new(),
        })
        .reduce(loaded(None, &[1, 578]))
        .reduce(loaded(Some(4), &[5, 7]));
        assert_eq!(p.levels.len(), 1);
        assert_eq!(p.levels[0].options[0].id, 5);
        assert_eq!(p.tip(), None);
    }

    #[test]
    fn the_next_level_is_asked_for_only_below_a_choice() {
        let p = Rc::new(Picker {
            root: None,
            levels: Vec::new(),
        });
        assert_eq!(p.wanted(), Some(TerritoryScope::Regions));
        let p = p.reduce(loaded(None, &[1, 578]));
        assert_eq!(p.wanted(), None);
        let p = p.reduce(PickerAction::Select {
            depth: 0,
            id: Some(578),
        });
        assert_eq!(p.wanted(), Some(TerritoryScope::ChildrenOf(578)));
        let bound = Rc::new(Picker {
            root: Some(4),
            levels: Vec::new(),
        });
        assert_eq!(bound.wanted(), Some(TerritoryScope::ChildrenOf(4)));
    }
}
