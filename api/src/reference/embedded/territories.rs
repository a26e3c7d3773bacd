//! Territories from `territories.json` (regions, districts, cities and their
//! subdivisions, with Kazakh and English names) and the KATO CSV (every settlement).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{ReferenceError, KATO_CSV, TERRITORIES_JSON};

/// Level of a territory in the KATO hierarchy: text in the database (DECISIONS.md 9),
/// declared once in the wire types.
pub use baqylau_wire::reference::TerritoryLevel;

/// One territory to insert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TerritorySeed {
    /// 9-digit KATO code.
    pub kato_code: String,
    /// `None` only for regions.
    pub parent_kato: Option<String>,
    pub level: TerritoryLevel,
    /// Known for regions, districts and cities only: `territories.json` has no Kazakh names
    /// below district level and the KATO CSV is Russian-only.
    pub name_kk: Option<String>,
    /// Russian display name: the common form where `territories.json` gives one (`г. Тараз`
    /// for `Тараз Г.А.`, `Байдибекский район` for `район Байдибека`), else the KATO name.
    pub name_ru: String,
    /// The Russian name exactly as in KATO, kept so the display name can change without
    /// losing the classifier's spelling (e.g. for matching a newer KATO export).
    pub name_ru_kato: String,
    /// Unofficial transliteration; regions, districts and cities only.
    pub name_en: Option<String>,
}

#[derive(Deserialize)]
struct TerritoriesFile {
    regions: Vec<JsonRegion>,
    // `related` (Shymkent, a city of republican significance since 2018 and not part of
    // Turkistan region) is deliberately not read.
}

#[derive(Deserialize)]
struct JsonRegion {
    kato: String,
    name_ru_kato: String,
    name_kk: Option<String>,
    name_en_unofficial: Option<String>,
    #[serde(default)]
    districts: Vec<JsonUnit>,
    #[serde(default)]
    cities_of_regional_significance: Vec<JsonUnit>,
}

#[derive(Deserialize)]
struct JsonUnit {
    kato: String,
    name_ru_kato: String,
    name_ru_common: Option<String>,
    name_kk: Option<String>,
    name_en_unofficial: Option<String>,
    #[serde(default)]
    subdivisions: Vec<JsonSubdivision>,
}

#[derive(Deserialize)]
struct JsonSubdivision {
    kato: String,
    name_ru_kato: String,
    name_kk: Option<String>,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Deserialize)]
struct KatoRow {
    kato_code: String,
    parent_kato_code: String,
    name_ru: String,
}

/// Maps every `type` that occurs under `subdivisions` in `territories.json`. An unknown type
/// is an error rather than a guess, so a new data file cannot silently misfile units.
fn subdivision_level(kind: &str) -> Option<TerritoryLevel> {
    Some(match kind {
        // 321 сельские округа.
        "rural_okrug" => TerritoryLevel::RuralOkrug,
        // Сельские (с.а.) and поселковые (п.а.) администрации: the same tier as an okrug
        // (an akim of the lowest level) under another name, each with one settlement.
        "village_administration (сельская администрация)"
        | "settlement_administration (поселковая администрация)" => {
            TerritoryLevel::RuralOkrug
        }
        // Города районного значения (KATO EF = 20) and Шуская городская администрация
        // (EF = 21, the akimat of the town of Shu, whose only KATO child is г.Шу).
        "city_of_district_significance" | "city_administration" => TerritoryLevel::Town,
        // The city proper inside a city of regional significance.
        "city" => TerritoryLevel::CityTerritory,
        _ => return None,
    })
}

fn check_code(code: &str) -> Result<(), ReferenceError> {
    if code.len() == 9 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ReferenceError::BadCode(code.to_owned()))
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// All territories of Zhambyl and Turkistan regions, parents before children.
///
/// * Regions, their districts (`district`) and cities of regional significance (`city`), and
///   the cities' and districts' subdivisions come from `territories.json`, which carries the
///   Kazakh and English names.
/// * Everything else in the KATO CSV becomes a `settlement` under its KATO parent. That
///   includes 335 objects whose parent is itself a settlement (KATO codes like 314033103
///   under с.Айшабиби 314033100: hamlets, stations, shepherds' houses attached to a
///   village). They are real addresses an appeal can come from, so they are kept rather than
///   dropped, with the settlement as parent; a materialised path handles any depth.
/// * A CSV row whose parent is neither in the JSON nor in the CSV is an error, so a broken
///   file cannot lose rows silently.
///
/// Order: depth-first from each region, children by KATO code, so a single pass can insert
/// each row after its parent and the output reads like the classifier.
pub fn territories() -> Result<Vec<TerritorySeed>, ReferenceError> {
    territories_from(TERRITORIES_JSON, KATO_CSV)
}

/// Territories collected by code, with the parent → children links for ordering.
#[derive(Default)]
struct Tree {
    seeds: BTreeMap<String, TerritorySeed>,
    children: BTreeMap<String, BTreeSet<String>>,
    roots: BTreeSet<String>,
}

impl Tree {
    fn add(&mut self, seed: TerritorySeed) -> Result<(), ReferenceError> {
        check_code(&seed.kato_code)?;
        if self.seeds.contains_key(&seed.kato_code) {
            return Err(ReferenceError::Duplicate(seed.kato_code));
        }
        let code = seed.kato_code.clone();
        match &seed.parent_kato {
            Some(parent) => self
                .children
                .entry(parent.clone())
                .or_default()
                .insert(code.clone()),
            None => self.roots.insert(code.clone()),
        };
        self.seeds.insert(code, seed);
        Ok(())
    }

    /// Depth-first from the roots, children by code. A unit not reached has a parent outside
    /// the set (or a cycle, which KATO codes cannot form): that is an error.
    fn into_ordered(mut self) -> Result<Vec<TerritorySeed>, ReferenceError> {
        let mut ordered = Vec::with_capacity(self.seeds.len());
        let mut stack: Vec<String> = self.roots.iter().rev().cloned().collect();
        while let Some(code) = stack.pop() {
            if let Some(kids) = self.children.get(&code) {
                stack.extend(kids.iter().rev().cloned());
            }
            if let Some(seed) = self.seeds.remove(&code) {
                ordered.push(seed);
            }
        }
        match self.seeds.into_values().next() {
            Some(orphan) => Err(ReferenceError::MissingParent {
                parent: orphan.parent_kato.unwrap_or_default(),
                kato: orphan.kato_code,
            }),
            None => Ok(ordered),
        }
    }
}

fn territories_from(json: &str, kato_csv: &str) -> Result<Vec<TerritorySeed>, ReferenceError> {
    let file: TerritoriesFile =
        serde_json::from_str(json).map_err(|source| ReferenceError::Json {
            file: "territories.json",
            source,
        })?;
    let mut tree = Tree::default();

    for region in file.regions {
        tree.add(TerritorySeed {
            kato_code: region.kato.clone(),
            parent_kato: None,
            level: TerritoryLevel::Region,
            name_kk: non_empty(region.name_kk),
            name_ru: region.name_ru_kato.clone(),
            name_ru_kato: region.name_ru_kato,
            name_en: non_empty(region.name_en_unofficial),
        })?;
        let districts = region
            .districts
            .into_iter()
            .map(|u| (TerritoryLevel::District, u));
        let cities = region.cities_of_regional_significance.into_iter();
        for (level, unit) in districts.chain(cities.map(|u| (TerritoryLevel::City, u))) {
            tree.add(TerritorySeed {
                kato_code: unit.kato.clone(),
                parent_kato: Some(region.kato.clone()),
                level,
                name_kk: non_empty(unit.name_kk),
                name_ru: non_empty(unit.name_ru_common)
                    .unwrap_or_else(|| unit.name_ru_kato.clone()),
                name_ru_kato: unit.name_ru_kato,
                name_en: non_empty(unit.name_en_unofficial),
            })?;
            for sub in unit.subdivisions {
                let Some(level) = subdivision_level(&sub.kind) else {
                    return Err(ReferenceError::UnknownType {
                        kato: sub.kato,
                        kind: sub.kind,
                    });
                };
                tree.add(TerritorySeed {
                    kato_code: sub.kato.clone(),
                    parent_kato: Some(unit.kato.clone()),
                    level,
                    name_kk: non_empty(sub.name_kk),
                    name_ru: sub.name_ru_kato.clone(),
                    name_ru_kato: sub.name_ru_kato,
                    name_en: None,
                })?;
            }
        }
    }

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(kato_csv.as_bytes());
    for row in reader.deserialize::<KatoRow>() {
        let row = row.map_err(|source| ReferenceError::Csv {
            file: "kato_zhambyl_turkistan_ru.csv",
            source,
        })?;
        if tree.seeds.contains_key(&row.kato_code) {
            // Already in the JSON, which has the richer names (the KATO names agree).
            continue;
        }
        if row.parent_kato_code.is_empty() {
            // A region the JSON does not describe.
            return Err(ReferenceError::MissingParent {
                kato: row.kato_code,
                parent: String::new(),
            });
        }
        tree.add(TerritorySeed {
            kato_code: row.kato_code,
            parent_kato: Some(row.parent_kato_code),
            level: TerritoryLevel::Settlement,
            name_kk: None,
            name_ru: row.name_ru.clone(),
            name_ru_kato: row.name_ru,
            name_en: None,
        })?;
    }

    tree.into_ordered()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn all() -> Vec<TerritorySeed> {
        territories().expect("embedded territories parse")
    }

    fn by_code(seeds: &[TerritorySeed]) -> HashMap<&str, &TerritorySeed> {
        seeds.iter().map(|s| (s.kato_code.as_str(), s)).collect()
    }

    #[test]
    fn counts_per_level() {
        // Counted independently with python3 from the two files: 2 regions; 24 districts
        // (10 + 14); 4 cities (Taraz; Turkistan, Arys, Kentau); 321 rural okrugs + 6 с.а. +
        // 3 п.а.; 6 cities of district significance + Шуская г.а.; 4 city territories;
        // 1,124 settlements under JSON units + 335 under other settlements.
        let seeds = all();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for s in &seeds {
            *counts.entry(s.level.as_str()).or_default() += 1;
        }
        let expected: BTreeMap<&str, usize> = [
            ("region", 2),
            ("district", 24),
            ("city", 4),
            ("rural_okrug", 330),
            ("town", 7),
            ("city_territory", 4),
            ("settlement", 1459),
        ]
        .into_iter()
        .collect();
        assert_eq!(counts, expected);
        // Every KATO row is accounted for exactly once.
        assert_eq!(seeds.len(), KATO_CSV.lines().count() - 1);
        assert_eq!(seeds.len(), 1830);
    }

    #[test]
    fn every_parent_exists_and_comes_first() {
        let seeds = all();
        let mut position = HashMap::new();
        for (i, s) in seeds.iter().enumerate() {
            assert!(
                position.insert(s.kato_code.as_str(), i).is_none(),
                "{} twice",
                s.kato_code
            );
        }
        for (i, s) in seeds.iter().enumerate() {
            match &s.parent_kato {
                None => assert_eq!(s.level, TerritoryLevel::Region, "{}", s.kato_code),
                Some(p) => {
                    let at = *position
                        .get(p.as_str())
                        .unwrap_or_else(|| panic!("{}: no {p}", s.kato_code));
                    assert!(at < i, "{} before its parent {p}", s.kato_code);
                }
            }
        }
    }

    #[test]
    fn levels_nest_sensibly() {
        use TerritoryLevel::*;
        let seeds = all();
        let codes = by_code(&seeds);
        for s in &seeds {
            let parent = s.parent_kato.as_deref().map(|p| codes[p].level);
            let ok = match s.level {
                Region => parent.is_none(),
                District | City => parent == Some(Region),
                RuralOkrug | Town => matches!(parent, Some(District | City)),
                CityTerritory => parent == Some(City),
                Settlement => matches!(parent, Some(RuralOkrug | Town | Settlement)),
            };
            assert!(ok, "{} ({:?}) under {:?}", s.kato_code, s.level, parent);
            // KATO codes extend their parent's code.
            if let Some(p) = &s.parent_kato {
                assert!(s.kato_code > *p, "{} <= {p}", s.kato_code);
            }
        }
    }

    #[test]
    fn regions_and_names() {
        let seeds = all();
        let codes = by_code(&seeds);
        let regions: Vec<_> = seeds
            .iter()
            .filter(|s| s.level == TerritoryLevel::Region)
            .map(|s| s.kato_code.as_str())
            .collect();
        assert_eq!(regions, ["310000000", "610000000"]);
        assert!(
            !codes.contains_key("790000000"),
            "Shymkent is not part of Turkistan region"
        );

        let zhambyl = codes["310000000"];
        assert_eq!(zhambyl.name_kk.as_deref(), Some("Жамбыл облысы"));
        assert_eq!(zhambyl.name_ru, "Жамбылская область");
        assert_eq!(zhambyl.name_en.as_deref(), Some("Zhambyl region"));

        let taraz = codes["311000000"];
        assert_eq!(taraz.level, TerritoryLevel::City);
        assert_eq!(taraz.name_ru, "г. Тараз");
        assert_eq!(taraz.name_ru_kato, "Тараз Г.А.");
        assert_eq!(taraz.name_kk.as_deref(), Some("Тараз қаласы"));
        assert_eq!(codes["311010000"].level, TerritoryLevel::CityTerritory);

        let baizak = codes["313600000"];
        assert_eq!(baizak.level, TerritoryLevel::District);
        assert_eq!(baizak.name_kk.as_deref(), Some("Байзақ ауданы"));

        // The cross-check cited in territories.json ("Б.Момышулы с.о. = 314230100") is in
        // fact the code of the okrug's village; the okrug itself is 314230000.
        let okrug = codes["314230000"];
        assert_eq!(okrug.level, TerritoryLevel::RuralOkrug);
        assert_eq!(okrug.parent_kato.as_deref(), Some("314200000"));
        assert_eq!(codes["314230100"].level, TerritoryLevel::Settlement);
        assert_eq!(codes["314230100"].name_ru, "с.им.Б.Момышулы");

        assert_eq!(codes["316621000"].level, TerritoryLevel::Town); // Шуская г.а.
        assert_eq!(codes["316020100"].level, TerritoryLevel::Town); // г.Жанатас
        assert_eq!(codes["614430000"].level, TerritoryLevel::RuralOkrug); // Мырзакентская п.а.
        assert_eq!(codes["315632000"].level, TerritoryLevel::RuralOkrug); // Акбакайская с.а.

        // A village under an okrug, and a hamlet under that village.
        assert_eq!(codes["314033100"].name_ru, "с.Айшабиби");
        assert_eq!(codes["314033100"].parent_kato.as_deref(), Some("314033000"));
        assert_eq!(codes["314033103"].level, TerritoryLevel::Settlement);
        assert_eq!(codes["314033103"].parent_kato.as_deref(), Some("314033100"));

        for s in &seeds {
            assert!(
                !s.name_ru.is_empty() && !s.name_ru_kato.is_empty(),
                "{}",
                s.kato_code
            );
            if matches!(
                s.level,
                TerritoryLevel::Region | TerritoryLevel::District | TerritoryLevel::City
            ) {
                assert!(
                    s.name_kk.is_some() && s.name_en.is_some(),
                    "{}",
                    s.kato_code
                );
            }
        }
    }

    #[test]
    fn every_row_matches_its_kato_row() {
        // The KATO CSV has no quoted fields (no commas in names), so a plain split is enough.
        let kato: HashMap<&str, (&str, &str)> = KATO_CSV
            .lines()
            .skip(1)
            .map(|line| {
                let mut f = line.splitn(3, ',');
                (f.next().unwrap(), (f.next().unwrap(), f.next().unwrap()))
            })
            .collect();
        for s in all() {
            let (parent, name) = kato[s.kato_code.as_str()];
            assert_eq!(
                s.parent_kato.as_deref().unwrap_or(""),
                parent,
                "{}",
                s.kato_code
            );
            assert_eq!(s.name_ru_kato, name, "{}", s.kato_code);
        }
    }

    #[test]
    fn level_round_trips() {
        for level in TerritoryLevel::ALL {
            assert_eq!(TerritoryLevel::parse(level.as_str()), Some(level));
            let json = serde_json::to_string(&level).unwrap();
            assert_eq!(json, format!("\"{}\"", level.as_str()));
        }
        assert_eq!(TerritoryLevel::parse("okrug"), None);
    }

    #[test]
    fn orphans_and_unknown_types_are_errors() {
        let json = r#"{"regions":[{"kato":"310000000","name_ru_kato":"Ж","name_kk":null,
            "name_en_unofficial":null,"districts":[],"cities_of_regional_significance":[]}]}"#;
        let orphan = "kato_code,parent_kato_code,name_ru\n310000000,,Ж\n313633100,313633000,с.X\n";
        assert!(matches!(
            territories_from(json, orphan),
            Err(ReferenceError::MissingParent { kato, .. }) if kato == "313633100"
        ));
        let other_region = "kato_code,parent_kato_code,name_ru\n790000000,,г.Шымкент\n";
        assert!(matches!(
            territories_from(json, other_region),
            Err(ReferenceError::MissingParent { .. })
        ));
        let bad_type = r#"{"regions":[{"kato":"310000000","name_ru_kato":"Ж","name_kk":null,
            "name_en_unofficial":null,"cities_of_regional_significance":[],"districts":[{
            "kato":"313600000","name_ru_kato":"Б","name_ru_common":null,"name_kk":null,
            "name_en_unofficial":null,"subdivisions":[{"kato":"313633000","name_ru_kato":"X",
            "name_kk":null,"type":"hamlet"}]}]}]}"#;
        assert!(matches!(
            territories_from(bad_type, "kato_code,parent_kato_code,name_ru\n"),
            Err(ReferenceError::UnknownType { .. })
        ));
    }
}
