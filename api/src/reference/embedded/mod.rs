//! Reference data embedded in the binary: territories (KATO) and appeal categories.
//!
//! Parsed into plain seed structs; inserting them is `refdata`'s job. The sources and
//! their reliability are described in `shared/data/README.md` and in the `_meta` block of
//! each JSON file. The days-off table is parsed by `domain::calendar`.

mod categories;
mod territories;

pub use categories::{categories, CategorySeed};
pub use territories::{territories, TerritoryLevel, TerritorySeed};

/// Zhambyl and Turkistan regions down to rural okrugs, with Kazakh and English names where
/// known (`api/data/territories.json`).
pub const TERRITORIES_JSON: &str = include_str!("../../../data/territories.json");
/// Every KATO object of the two regions down to settlements, Russian names
/// (`kato_code,parent_kato_code,name_ru`).
pub const KATO_CSV: &str = include_str!("../../../data/kato_zhambyl_turkistan_ru.csv");
/// The 35 appeal categories with kk/ru/en names.
pub const CATEGORIES_JSON: &str = include_str!("../../../data/appeal_categories.json");

/// Malformed embedded reference data.
#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("{file}: {source}")]
    Json {
        file: &'static str,
        source: serde_json::Error,
    },
    #[error("{file}: {source}")]
    Csv {
        file: &'static str,
        source: csv::Error,
    },
    #[error("territory {kato}: unknown subdivision type {kind:?}")]
    UnknownType { kato: String, kind: String },
    #[error("territory code {0:?} is not 9 digits")]
    BadCode(String),
    #[error("territory {0} appears twice")]
    Duplicate(String),
    #[error("territory {kato}: parent {parent:?} is not among the territories")]
    MissingParent { kato: String, parent: String },
    #[error("appeal category {0} appears twice")]
    DuplicateCategory(String),
    #[error("appeal category {code}: empty {field}")]
    EmptyCategoryField { code: String, field: &'static str },
}
