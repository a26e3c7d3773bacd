//! Loads the embedded reference data (territories, appeal categories, days off) into the
//! database. The calendar is read back by `crate::reference::calendar`.
//!
//! Loading is idempotent and additive: rows already present (by KATO code, category code,
//! date) are left alone, so edits made through the API survive a restart.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::schema::{appeal_categories, calendar_days, territories};
use crate::db::{compat, DbConn};
use crate::domain::calendar::{parse_days_off, DAYS_OFF_CSV};
use crate::reference::embedded as reference;

/// Region codes used in registration numbers (`ZHA-2026-000123`).
pub const REGION_SHORT_CODES: &[(&str, &str)] = &[("310000000", "ZHA"), ("610000000", "TUR")];

/// Counts of rows inserted by [`load`].
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Loaded {
    pub territories: usize,
    pub categories: usize,
    pub calendar_days: usize,
}

pub fn load(conn: &mut DbConn) -> anyhow::Result<Loaded> {
    compat::write_transaction(conn, |conn| {
        Ok(Loaded {
            territories: load_territories(conn)?,
            categories: load_categories(conn)?,
            calendar_days: load_calendar_days(conn)?,
        })
    })
}

fn load_territories(conn: &mut DbConn) -> anyhow::Result<usize> {
    let existing: Vec<(i64, String, String)> = territories::table
        .select((territories::id, territories::kato_code, territories::path))
        .load(conn)?;
    let mut known: HashMap<String, (i64, String)> = existing
        .into_iter()
        .map(|(id, kato, path)| (kato, (id, path)))
        .collect();
    let short_codes: HashMap<&str, &str> = REGION_SHORT_CODES.iter().copied().collect();
    let now = compat::now();
    let mut inserted = 0;
    // Seeds come parents first, so each parent's id and path are known in time.
    for seed in reference::territories()? {
        if known.contains_key(&seed.kato_code) {
            continue;
        }
        let (parent_id, parent_path) = match &seed.parent_kato {
            Some(parent) => {
                let (id, path) = known.get(parent).ok_or_else(|| {
                    anyhow::anyhow!("territory {} has no parent row", seed.kato_code)
                })?;
                (Some(*id), path.clone())
            }
            None => (None, "/".to_owned()),
        };
        let path = format!("{parent_path}{}/", seed.kato_code);
        let id: i64 = diesel::insert_into(territories::table)
            .values((
                territories::parent_id.eq(parent_id),
                territories::level.eq(seed.level.as_str()),
                territories::kato_code.eq(&seed.kato_code),
                territories::short_code.eq(short_codes.get(seed.kato_code.as_str()).copied()),
                territories::name_kk.eq(&seed.name_kk),
                territories::name_ru.eq(&seed.name_ru),
                territories::name_en.eq(&seed.name_en),
                territories::path.eq(&path),
                territories::created_at.eq(now),
                territories::updated_at.eq(now),
            ))
            .returning(territories::id)
            .get_result(conn)?;
        known.insert(seed.kato_code.clone(), (id, path));
        inserted += 1;
    }
    Ok(inserted)
}

fn load_categories(conn: &mut DbConn) -> anyhow::Result<usize> {
    let existing: HashSet<String> = appeal_categories::table
        .select(appeal_categories::code)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let mut inserted = 0;
    for (position, c) in reference::categories()?.into_iter().enumerate() {
        if existing.contains(&c.code) {
            continue;
        }
        diesel::insert_into(appeal_categories::table)
            .values((
                appeal_categories::code.eq(&c.code),
                appeal_categories::group_code.eq(&c.group),
                appeal_categories::name_kk.eq(&c.name_kk),
                appeal_categories::name_ru.eq(&c.name_ru),
                appeal_categories::name_en.eq(&c.name_en),
                appeal_categories::position.eq(position as i32),
                appeal_categories::active.eq(true),
            ))
            .execute(conn)?;
        inserted += 1;
    }
    Ok(inserted)
}

fn load_calendar_days(conn: &mut DbConn) -> anyhow::Result<usize> {
    let existing: HashSet<NaiveDate> = calendar_days::table
        .select(calendar_days::day)
        .load::<NaiveDate>(conn)?
        .into_iter()
        .collect();
    let mut inserted = 0;
    for d in parse_days_off(DAYS_OFF_CSV)? {
        if existing.contains(&d.date) {
            continue;
        }
        diesel::insert_into(calendar_days::table)
            .values((
                calendar_days::day.eq(d.date),
                calendar_days::kind.eq(d.kind.as_str()),
                calendar_days::name_kk.eq(&d.name_kk),
                calendar_days::name_ru.eq(&d.name_ru),
                calendar_days::name_en.eq(&d.name_en),
                calendar_days::note.eq(&d.note),
            ))
            .execute(conn)?;
        inserted += 1;
    }
    Ok(inserted)
}
