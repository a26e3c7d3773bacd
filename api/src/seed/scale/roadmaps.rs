//! Each region's yearly road map of the party programme: sections, indicators placed in
//! its districts (events and figures) with a responsible deputy, and progress reports.

use chrono::{Datelike, Duration as Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::Rng;

use super::people::Deputies;
use super::places::Places;
use crate::db::schema::{indicator_progress, indicators, roadmap_sections, roadmaps};
use crate::db::DbConn;
// The demo road map's sections and events (`seed::demo_roadmap`).
use crate::seed::{DEMO_EVENTS as EVENTS, DEMO_SECTIONS as SECTIONS};

const FIGURES: [(&str, &str); 3] = [
    ("Газдандырылған елді мекендер үлесі", "%"),
    ("Жөнделген жолдар", "км"),
    ("Ашылған жұмыс орындары", "орын"),
];

#[derive(Default)]
pub struct Made {
    pub roadmaps: usize,
    pub indicators: usize,
    pub progress: usize,
}

/// A road map per region and year in `years`, `per_map` indicators each.
pub fn make(
    conn: &mut DbConn,
    rng: &mut StdRng,
    places: &Places,
    deputies: &Deputies,
    years: std::ops::RangeInclusive<i32>,
    per_map: usize,
    now: NaiveDateTime,
) -> anyhow::Result<Made> {
    let today = now.date();
    let districts = places.districts();
    let mut made = Made::default();
    let (mut maps, mut sections, mut items, mut reports) = (vec![], vec![], vec![], vec![]);
    for region in places.regions() {
        let region = &places.all[region];
        let own: Vec<usize> = districts
            .iter()
            .copied()
            .filter(|&d| places.all[d].path.starts_with(&region.path))
            .collect();
        for year in years.clone() {
            made.roadmaps += 1;
            let map = made.roadmaps as i64;
            let opened = at(year, 1, 20);
            let past = year < today.year();
            maps.push((
                roadmaps::id.eq(map),
                roadmaps::title_kk.eq(format!(
                    "«Amanat» бағдарламасын іске асыру жол картасы, {year}"
                )),
                roadmaps::title_ru.eq(format!(
                    "Дорожная карта реализации программы «Amanat», {year}"
                )),
                roadmaps::kind.eq("regional"),
                roadmaps::territory_id.eq(region.id),
                roadmaps::territory_path.eq(region.path.clone()),
                roadmaps::year_from.eq(year),
                roadmaps::year_to.eq(year),
                roadmaps::status.eq(if past { "closed" } else { "approved" }),
                roadmaps::created_at.eq(opened),
                roadmaps::updated_at.eq(if past { at(year + 1, 1, 15) } else { opened }),
                roadmaps::version.eq(if past { 3_i64 } else { 2 }),
            ));
            for (n, title) in SECTIONS.iter().enumerate() {
                sections.push((
                    roadmap_sections::id.eq((map - 1) * SECTIONS.len() as i64 + n as i64 + 1),
                    roadmap_sections::roadmap_id.eq(map),
                    roadmap_sections::position.eq(n as i32 + 1),
                    roadmap_sections::title.eq(*title),
                    roadmap_sections::created_at.eq(opened),
                    roadmap_sections::updated_at.eq(opened),
                    roadmap_sections::version.eq(1_i64),
                ));
            }
            if own.is_empty() {
                continue;
            }
            for k in 0..per_map {
                made.indicators += 1;
                let id = made.indicators as i64;
                let district = own[rng.gen_range(0..own.len())];
                let place = &places.all[district];
                let section = (map - 1) * SECTIONS.len() as i64 + (k % SECTIONS.len()) as i64 + 1;
                let due = NaiveDate::from_ymd_opt(year, rng.gen_range(3..=12), 25)
                    .unwrap_or(opened.date());
                let figure = rng.gen_bool(0.25).then(|| FIGURES[k % FIGURES.len()]);
                let target = figure.map(|_| f64::from(rng.gen_range(5..100)));
                let reported = due <= today && rng.gen_bool(0.97);
                let done = reported && rng.gen_bool(0.95);
                let status = match (due <= today, reported, done) {
                    (_, true, true) => "done",
                    (true, _, _) if past => "not_done",
                    (_, true, false) => "in_progress",
                    _ => "planned",
                };
                let actual = match (target, reported) {
                    (Some(t), true) => Some(if done { t } else { (t * 0.6).round() }),
                    _ => None,
                };
                let reported_at = due.and_hms_opt(6, 0, 0).unwrap_or(opened);
                items.push((
                    indicators::id.eq(id),
                    indicators::roadmap_id.eq(map),
                    indicators::section_id.eq(section),
                    indicators::title.eq(match figure {
                        Some((title, _)) => title.to_owned(),
                        None => format!("{} №{}", EVENTS[k % EVENTS.len()], k + 1),
                    }),
                    indicators::territory_id.eq(place.id),
                    indicators::territory_path.eq(place.path.clone()),
                    indicators::kind.eq(if figure.is_some() {
                        "quantitative"
                    } else {
                        "event"
                    }),
                    indicators::unit.eq(figure.map(|f| f.1)),
                    indicators::target.eq(target),
                    indicators::actual.eq(actual),
                    indicators::due_on.eq(due),
                    indicators::deputy_id.eq(deputies.pick(rng, district)),
                    (
                        indicators::status.eq(status),
                        indicators::created_at.eq(opened),
                        indicators::updated_at.eq(if reported { reported_at } else { opened }),
                        indicators::version.eq(if reported { 2_i64 } else { 1 }),
                    ),
                ));
                if reported {
                    made.progress += 1;
                    reports.push((
                        indicator_progress::id.eq(made.progress as i64),
                        indicator_progress::indicator_id.eq(id),
                        indicator_progress::on.eq(due),
                        indicator_progress::done.eq(figure.is_none().then_some(done)),
                        indicator_progress::value.eq(actual),
                        indicator_progress::comment
                            .eq((!done).then_some("Мердігер мерзімін кешіктірді")),
                        indicator_progress::evidence_urls.eq("[]"),
                        indicator_progress::actor_label.eq("Аудандық филиал"),
                        indicator_progress::at.eq(reported_at + Days::hours(2)),
                    ));
                }
            }
        }
    }
    crate::with_backend_connection!(&mut *conn, |c| diesel::insert_into(roadmaps::table)
        .values(maps)
        .execute(c))?;
    crate::with_backend_connection!(&mut *conn, |c| diesel::insert_into(roadmap_sections::table)
        .values(sections)
        .execute(c))?;
    for part in items.chunks(1_500) {
        let part = part.to_vec();
        crate::with_backend_connection!(&mut *conn, |c| diesel::insert_into(indicators::table)
            .values(part)
            .execute(c))?;
    }
    for part in reports.chunks(3_000) {
        let part = part.to_vec();
        crate::with_backend_connection!(&mut *conn, |c| diesel::insert_into(
            indicator_progress::table
        )
        .values(part)
        .execute(c))?;
    }
    Ok(made)
}

fn at(year: i32, month: u32, day: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(year, month, day)
        .and_then(|d| d.and_hms_opt(4, 0, 0))
        .unwrap_or_default()
}
