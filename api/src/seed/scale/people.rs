//! Deputies of the district and city maslikhats (and a few regional ones), each assigned
//! to a rural okrug or town of their district, as the party's deputies are.

use std::collections::HashMap;

use chrono::{Duration as Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;

use super::places::Places;
use super::texts::person;
use crate::db::schema::{assignments, deputies};
use crate::db::DbConn;

/// The deputies made, by the district (index in `Places::all`) they serve.
#[derive(Default)]
pub struct Deputies {
    pub by_district: HashMap<usize, Vec<(i64, String)>>,
    pub count: usize,
    pub assignments: usize,
}

impl Deputies {
    /// A deputy of this district, if it has any.
    pub fn pick(&self, rng: &mut StdRng, district: usize) -> Option<i64> {
        self.by_district
            .get(&district)
            .and_then(|d| d.choose(rng))
            .map(|d| d.0)
    }

    pub fn named(&self, rng: &mut StdRng, district: usize) -> Option<&(i64, String)> {
        self.by_district.get(&district).and_then(|d| d.choose(rng))
    }
}

/// Makes `count` deputies with one current assignment each (ids from 1: the database is
/// empty), spread over the districts by their weight.
pub fn make(
    conn: &mut DbConn,
    rng: &mut StdRng,
    places: &Places,
    count: usize,
    now: NaiveDateTime,
) -> anyhow::Result<Deputies> {
    let districts = places.districts();
    let regions = places.regions();
    let mut made = Deputies::default();
    if districts.is_empty() {
        return Ok(made);
    }
    let mut rows = Vec::with_capacity(count);
    let mut assigned = Vec::with_capacity(count);
    for n in 0..count {
        let id = n as i64 + 1;
        // One in twenty sits in a regional maslikhat.
        let regional = !regions.is_empty() && n % 20 == 19;
        let seat = if regional {
            regions[n % regions.len()]
        } else {
            // A place drawn by weight, so that big districts have more deputies.
            places.all[places.pick(rng)].district
        };
        let place = &places.all[seat];
        let level = match (regional, place.level.as_str()) {
            (true, _) => "regional",
            (false, "city") => "city",
            _ => "district",
        };
        let (kazakh, woman) = (rng.gen_bool(0.7), rng.gen_bool(0.35));
        let name = person(rng, kazakh, woman);
        let elected = NaiveDate::from_ymd_opt(2023, 3, 19).unwrap_or_default();
        let (status, since, reason) = match rng.gen_range(0..100) {
            0..=1 => (
                "ended",
                Some(elected + Days::days(rng.gen_range(100..900))),
                Some("Өз еркімен өкілеттігін тоқтатты"),
            ),
            2 => (
                "suspended",
                Some(elected + Days::days(rng.gen_range(100..900))),
                Some("Уақытша тоқтатылды"),
            ),
            _ => ("active", None, None),
        };
        rows.push((
            deputies::id.eq(id),
            deputies::full_name.eq(name.clone()),
            deputies::level.eq(level),
            deputies::maslikhat_territory_id.eq(place.id),
            deputies::territory_path.eq(place.path.clone()),
            deputies::okrug.eq(Some(format!("№ {} сайлау округі", n % 40 + 1))),
            deputies::mandate_status.eq(status),
            deputies::mandate_status_since.eq(since),
            deputies::mandate_reason.eq(reason),
            deputies::created_at.eq(now),
            deputies::updated_at.eq(now),
            deputies::version.eq(1_i64),
        ));
        // Assigned to a village or town of the district, or to the district itself.
        let below = places.below(seat);
        let post = below.choose(rng).copied().unwrap_or(seat);
        let post = &places.all[post];
        assigned.push((
            assignments::id.eq(id),
            assignments::deputy_id.eq(id),
            assignments::territory_id.eq(post.id),
            assignments::territory_path.eq(post.path.clone()),
            assignments::starts_on.eq(elected + Days::days(rng.gen_range(0..60))),
            assignments::created_at.eq(now),
            assignments::updated_at.eq(now),
            assignments::version.eq(1_i64),
        ));
        if status == "active" {
            made.by_district.entry(seat).or_default().push((id, name));
        }
    }
    for part in rows.chunks(2_000) {
        let part = part.to_vec();
        crate::with_backend_connection!(&mut *conn, |c| diesel::insert_into(deputies::table)
            .values(part)
            .execute(c))?;
    }
    for part in assigned.chunks(3_000) {
        let part = part.to_vec();
        crate::with_backend_connection!(&mut *conn, |c| diesel::insert_into(assignments::table)
            .values(part)
            .execute(c))?;
    }
    made.count = rows.len();
    made.assignments = assigned.len();
    Ok(made)
}
