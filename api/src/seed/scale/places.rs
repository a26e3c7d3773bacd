//! Where generated rows are: every territory of the loaded regions, weighted so that
//! cities and big districts hear more appeals than a village okrug, as they do.

use std::collections::HashMap;

use anyhow::ensure;
use diesel::prelude::*;
use rand::distributions::WeightedIndex;
use rand::rngs::StdRng;
use rand::Rng;

use crate::appeals::model;
use crate::db::schema::territories;
use crate::db::DbConn;

/// A territory appeals, receptions and indicators can be placed in.
pub struct Place {
    pub id: i64,
    pub level: String,
    pub path: String,
    pub name_ru: String,
    /// The registration-number code of its region (`model::region_code`).
    pub region_code: String,
    /// Index in [`Places::all`] of its district or city of regional significance, or of
    /// itself when it is one (a region points at itself).
    pub district: usize,
}

pub struct Places {
    pub all: Vec<Place>,
    weights: WeightedIndex<u32>,
}

impl Places {
    /// Every territory of the regions, each weighted by its level and the size of its
    /// district; `rng` spreads the districts' sizes (some are big, some small).
    pub fn load(conn: &mut DbConn, rng: &mut StdRng) -> anyhow::Result<Places> {
        let rows: Vec<(i64, String, String, String)> = territories::table
            .filter(territories::deleted_at.is_null())
            .order(territories::path)
            .select((
                territories::id,
                territories::level,
                territories::path,
                territories::name_ru,
            ))
            .load(conn)?;
        ensure!(
            !rows.is_empty(),
            "no territories loaded: run `baqylau migrate`"
        );
        let mut codes: HashMap<String, String> = HashMap::new();
        let mut by_path: HashMap<String, usize> = HashMap::new();
        let mut all = Vec::with_capacity(rows.len());
        for (id, level, path, name_ru) in rows {
            let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            let region_kato = segments.first().copied().unwrap_or_default().to_owned();
            let region_code = match codes.get(&region_kato) {
                Some(code) => code.clone(),
                None => {
                    let code = model::region_code(conn, &path)?;
                    codes.insert(region_kato, code.clone());
                    code
                }
            };
            // Ordered by path, a territory's district comes before it.
            let district_path = match segments.len() {
                0 | 1 => path.clone(),
                _ => format!("/{}/{}/", segments[0], segments[1]),
            };
            let district = by_path.get(&district_path).copied().unwrap_or(all.len());
            by_path.insert(path.clone(), all.len());
            all.push(Place {
                id,
                level,
                path,
                name_ru,
                region_code,
                district,
            });
        }
        // A district's size: cities of regional significance are the biggest.
        let size: Vec<u32> = all
            .iter()
            .map(|p| match p.level.as_str() {
                "city" => rng.gen_range(12..=20),
                "district" => rng.gen_range(1..=6),
                _ => 1,
            })
            .collect();
        let weight: Vec<u32> = all
            .iter()
            .map(|p| {
                let own = match p.level.as_str() {
                    "region" => 20,
                    "city" => 60,
                    "district" => 10,
                    _ => 3,
                };
                own * size[p.district]
            })
            .collect();
        let weights = WeightedIndex::new(&weight)?;
        Ok(Places { all, weights })
    }

    /// A territory drawn by weight.
    pub fn pick(&self, rng: &mut StdRng) -> usize {
        rng.sample(&self.weights)
    }

    /// Indexes of the districts and cities of regional significance.
    pub fn districts(&self) -> Vec<usize> {
        (0..self.all.len())
            .filter(|&i| matches!(self.all[i].level.as_str(), "district" | "city"))
            .collect()
    }

    /// Indexes of the regions.
    pub fn regions(&self) -> Vec<usize> {
        (0..self.all.len())
            .filter(|&i| self.all[i].level == "region")
            .collect()
    }

    /// Indexes of the territories below district level inside `district`.
    pub fn below(&self, district: usize) -> Vec<usize> {
        (0..self.all.len())
            .filter(|&i| i != district && self.all[i].district == district)
            .collect()
    }
}
