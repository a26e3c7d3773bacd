//! Appeal categories from `appeal_categories.json`.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{ReferenceError, CATEGORIES_JSON};

/// One appeal category (`api/data/appeal_categories.json`). The names are an unofficial
/// compiled translation, to be reviewed by a native speaker before they are shown as final.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategorySeed {
    /// Stable upper-case code, e.g. `UTIL_WATER`.
    pub code: String,
    /// Grouping for reports, e.g. `utilities`, `social`.
    pub group: String,
    #[serde(rename = "kk")]
    pub name_kk: String,
    #[serde(rename = "ru")]
    pub name_ru: String,
    #[serde(rename = "en")]
    pub name_en: String,
}

#[derive(Deserialize)]
struct CategoriesFile {
    categories: Vec<CategorySeed>,
}

/// The appeal categories in file order, checked for unique codes and non-empty names.
pub fn categories() -> Result<Vec<CategorySeed>, ReferenceError> {
    categories_from(CATEGORIES_JSON)
}

fn categories_from(json: &str) -> Result<Vec<CategorySeed>, ReferenceError> {
    let file: CategoriesFile =
        serde_json::from_str(json).map_err(|source| ReferenceError::Json {
            file: "appeal_categories.json",
            source,
        })?;
    let mut seen = BTreeSet::new();
    for c in &file.categories {
        for (field, value) in [
            ("code", &c.code),
            ("group", &c.group),
            ("kk", &c.name_kk),
            ("ru", &c.name_ru),
            ("en", &c.name_en),
        ] {
            if value.trim().is_empty() {
                return Err(ReferenceError::EmptyCategoryField {
                    code: c.code.clone(),
                    field,
                });
            }
        }
        if !seen.insert(c.code.as_str()) {
            return Err(ReferenceError::DuplicateCategory(c.code.clone()));
        }
    }
    Ok(file.categories)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_five_categories_with_unique_codes() {
        let cats = categories().expect("embedded categories parse");
        assert_eq!(cats.len(), 35);
        let codes: BTreeSet<_> = cats.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes.len(), 35);
        assert!(cats
            .iter()
            .all(|c| c.code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')));
        let water = &cats[0];
        assert_eq!(water.code, "UTIL_WATER");
        assert_eq!(water.group, "utilities");
        assert_eq!(water.name_en, "Drinking water supply and sewerage");
        assert!(cats.iter().any(|c| c.code == "OTHER"));
    }

    #[test]
    fn duplicate_categories_are_errors() {
        let json = r#"{"categories":[{"code":"A","group":"g","kk":"a","ru":"a","en":"a"},
            {"code":"A","group":"g","kk":"b","ru":"b","en":"b"}]}"#;
        assert!(
            matches!(categories_from(json), Err(ReferenceError::DuplicateCategory(c)) if c == "A")
        );
        let empty = r#"{"categories":[{"code":"A","group":"g","kk":"","ru":"a","en":"a"}]}"#;
        assert!(matches!(
            categories_from(empty),
            Err(ReferenceError::EmptyCategoryField { field: "kk", .. })
        ));
    }
}
