//! Deterministic, varied appeals: where, what, who, and how far each has gone, with the
//! history a real one would have. Numbered as `appeals::register` numbers them.

use std::collections::HashMap;

use chrono::{Datelike, Duration as Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;
use serde_json::json;

use super::people::Deputies;
use super::places::Places;
use super::receptions::NewReception;
use super::texts::*;
use crate::appeals::model;
use crate::db::schema::{appeal_citizens, appeals};
use crate::domain::appeal::{self as rules, Channel, Lifecycle, Status};
use crate::domain::calendar::WorkingCalendar;
use crate::domain::iin::Iin;
use crate::domain::phone::Phone;

/// One appeal in every ~`RECEPTION_EVERY` opens a mobile reception at its place; the
/// next few are heard there (on-site appeals).
const RECEPTION_EVERY: u32 = 300;

/// One generated appeal: its row, its citizen and its history.
pub struct NewAppeal {
    pub row: AppealValues,
    pub citizen: CitizenValues,
    pub history: Vec<Event>,
}

/// An appeals row as generated, every column given (the ids too: the table is empty).
#[derive(Insertable)]
#[diesel(table_name = appeals)]
// Absent values are bound as NULL like any other, so a batch is one statement on SQLite.
#[diesel(treat_none_as_default_value = false)]
pub struct AppealValues {
    pub id: i64,
    pub reg_number: String,
    pub status: &'static str,
    pub channel: &'static str,
    #[diesel(column_name = category_code)]
    pub category: String,
    pub territory_id: i64,
    pub territory_path: String,
    pub reception_id: Option<i64>,
    pub anonymous: bool,
    pub threat_report: bool,
    pub subject: String,
    pub description: String,
    pub language: &'static str,
    pub search_text: String,
    pub received_at: NaiveDateTime,
    pub registered_on: NaiveDate,
    pub due_on: NaiveDate,
    pub extended_due_on: Option<NaiveDate>,
    pub extension_reason: Option<&'static str>,
    pub deputy_id: Option<i64>,
    pub assigned_body: Option<&'static str>,
    pub resolution: Option<&'static str>,
    pub resolved_at: Option<NaiveDateTime>,
    pub forwarded_to: Option<&'static str>,
    pub forwarded_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

/// The appeal's citizen as generated: IIN and phone already in their canonical text
/// (the bulk insert binds on the backend's own connection, which has no `Iin`/`Phone`).
#[derive(Insertable)]
#[diesel(table_name = appeal_citizens)]
#[diesel(treat_none_as_default_value = false)]
pub struct CitizenValues {
    pub appeal_id: i64,
    pub full_name: Option<String>,
    pub iin: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

/// One history entry, as `kit::write` records a registration or a transition.
pub struct Event {
    pub at: NaiveDateTime,
    pub action: &'static str,
    pub from_status: Option<&'static str>,
    pub to_status: &'static str,
    pub comment: Option<&'static str>,
    pub details: String,
}

/// The reception whose on-site appeals are being generated.
struct OnSite {
    id: i64,
    place: usize,
    start: NaiveDateTime,
    heard: usize,
    left: usize,
}

/// Appeals oldest first: ids grow with the receipt time, as in real use.
pub struct Generator<'a> {
    pub rng: StdRng,
    pub places: &'a Places,
    pub deputies: &'a Deputies,
    pub calendar: &'a WorkingCalendar,
    pub categories: Vec<String>,
    /// Last registration number per (region code, year).
    pub seqs: HashMap<(String, i32), i64>,
    pub start: NaiveDateTime,
    pub step_secs: i64,
    pub now: NaiveDateTime,
    on_site: Option<OnSite>,
    /// Receptions opened so far (their ids are 1..=this).
    pub reception_count: i64,
    /// Receptions opened since the caller last took them.
    pub receptions: Vec<NewReception>,
}

impl<'a> Generator<'a> {
    pub fn new(
        rng: StdRng,
        places: &'a Places,
        deputies: &'a Deputies,
        calendar: &'a WorkingCalendar,
        categories: Vec<String>,
        (start, now): (NaiveDateTime, NaiveDateTime),
        count: usize,
    ) -> Self {
        let span = (now - start).num_seconds().max(count as i64);
        Generator {
            rng,
            places,
            deputies,
            calendar,
            categories,
            seqs: HashMap::new(),
            start,
            step_secs: span / count.max(1) as i64,
            now,
            on_site: None,
            reception_count: 0,
            receptions: Vec::new(),
        }
    }

    /// Where and when appeal `i` was received, and the reception it was heard at.
    fn origin(&mut self, i: usize) -> (usize, NaiveDateTime, Option<i64>) {
        let on_time = self.start
            + Days::seconds(
                self.step_secs * i as i64 + self.rng.gen_range(0..self.step_secs.max(1)),
            );
        if let Some(site) = self.on_site.as_mut().filter(|s| s.left > 0) {
            site.left -= 1;
            site.heard += 1;
            let at = site.start + Days::minutes(7 * site.heard as i64);
            return (site.place, at.min(self.now), Some(site.id));
        }
        if let Some(site) = self.on_site.take() {
            if let Some(r) = self.receptions.iter_mut().find(|r| r.id == site.id) {
                r.appeals = site.heard;
            }
        }
        let place = self.places.pick(&mut self.rng);
        let village = matches!(
            self.places.all[place].level.as_str(),
            "rural_okrug" | "settlement" | "town"
        );
        if village && self.rng.gen_ratio(1, RECEPTION_EVERY) {
            self.reception_count += 1;
            let reception = NewReception::open(
                &mut self.rng,
                self.places,
                self.deputies,
                self.reception_count,
                place,
                on_time,
            );
            self.on_site = Some(OnSite {
                id: reception.id,
                place,
                start: reception.start,
                heard: 1,
                left: self.rng.gen_range(2..=11),
            });
            let at = reception.start + Days::minutes(7);
            self.receptions.push(reception);
            return (place, at.min(self.now), self.on_site.as_ref().map(|s| s.id));
        }
        (place, on_time, None)
    }

    pub fn appeal(&mut self, i: usize, id: i64) -> NewAppeal {
        let (place, received_at, reception_id) = self.origin(i);
        let place = &self.places.all[place];
        let rng = &mut self.rng;
        let age_days = (self.now - received_at).num_days();
        let (registered_on, due_on) = rules::deadlines(self.calendar, received_at);

        let topic = &TOPICS[rng.gen_range(0..TOPICS.len())];
        let category = if rng.gen_bool(0.2) || !self.categories.iter().any(|c| c == topic.category)
        {
            self.categories[rng.gen_range(0..self.categories.len())].clone()
        } else {
            topic.category.to_owned()
        };
        let kazakh = rng.gen_bool(0.65);
        let p = if kazakh {
            *KK_PLACES.choose(rng).unwrap_or(&"Ақсу")
        } else {
            place
                .name_ru
                .trim_start_matches("с.о.")
                .trim_start_matches("ст.")
                .trim_start_matches("с.")
                .trim()
        };
        let (subject, description) = topic.told(rng, kazakh, p);
        let language = if kazakh { "kk" } else { "ru" };

        // Older appeals are mostly closed; a few are stuck and overdue.
        let status = final_status(age_days, rng.gen_range(0..100));
        let path = path_to(status);
        let created_at = (received_at + Days::minutes(rng.gen_range(1..180))).min(self.now);
        let handled_at = (received_at + Days::days(rng.gen_range(2..=25)))
            .min(self.now)
            .max(created_at);
        let deputy_id = path
            .contains(&Status::Assigned)
            .then(|| self.deputies.pick(rng, place.district))
            .flatten()
            .filter(|_| rng.gen_bool(0.4));
        let assigned_body = (path.contains(&Status::Assigned) && deputy_id.is_none())
            .then(|| *BODIES.choose(rng).unwrap_or(&BODIES[0]));
        let resolution = match path.iter().find(|s| s.needs_resolution()) {
            Some(Status::Explained) => EXPLAINED.choose(rng).copied(),
            Some(Status::Rejected) => REJECTED.choose(rng).copied(),
            Some(_) => RESOLVED.choose(rng).copied(),
            None => None,
        };
        let forwarded_to = path
            .contains(&Status::Forwarded)
            .then(|| FORWARDED_TO.choose(rng).copied())
            .flatten();

        let region = place.region_code.clone();
        let year = registered_on.year();
        let seq = self.seqs.entry((region.clone(), year)).or_insert(0);
        *seq += 1;
        let reg_number = rules::reg_number(&region, year, *seq);

        // The history: registration, then each move spread up to the last handling.
        let mut history = vec![Event {
            at: created_at,
            action: "created",
            from_status: None,
            to_status: Status::Registered.as_str(),
            comment: None,
            details: json!({ "reg_number": reg_number }).to_string(),
        }];
        let (mut resolved_at, mut forwarded_on) = (None, None);
        let mut from = Status::Registered;
        let steps = path.len() as i32;
        for (k, to) in (1..).zip(path.iter().copied()) {
            let at = created_at + (handled_at - created_at) * k / steps.max(1);
            if to.needs_resolution() {
                resolved_at = Some(at);
            } else if to == Status::Reopened {
                resolved_at = None;
            }
            if to == Status::Forwarded {
                forwarded_on = Some(rules::local_date(at));
            }
            let assigning = to == Status::Assigned;
            history.push(Event {
                at,
                action: "transition",
                from_status: Some(from.as_str()),
                to_status: to.as_str(),
                comment: (to == Status::Reopened).then_some(REOPENED),
                details: json!({
                    "deputy_id": deputy_id.filter(|_| assigning),
                    "assigned_body": assigned_body.filter(|_| assigning),
                    "resolution": resolution.filter(|_| to.needs_resolution()),
                    "forwarded_to": forwarded_to.filter(|_| to == Status::Forwarded),
                })
                .to_string(),
            });
            from = to;
        }
        let updated_at = history.last().map_or(created_at, |e| e.at);
        let extended = age_days > 21 && status != Status::Registered && rng.gen_bool(0.04);
        let extended_due_on = extended
            .then(|| (due_on + Days::days(20)).min(rules::extension_limit(received_at)))
            .filter(|d| *d > due_on);

        let anonymous = rng.gen_bool(0.04);
        let (full_name, iin, phone, email, address) = if anonymous {
            (None, None, None, None, None)
        } else {
            let woman = rng.gen_bool(0.5);
            let name = person(rng, kazakh, woman);
            let iin = rng.gen_bool(0.7).then(|| iin(rng, woman)).flatten();
            let phone = rng.gen_bool(0.8).then(|| phone(rng)).flatten();
            let email = rng.gen_bool(0.15).then(|| format!("citizen{id}@mail.kz"));
            let address = rng.gen_bool(0.5).then(|| {
                format!(
                    "{}, {} көшесі, {}",
                    place.name_ru,
                    STREETS.choose(rng).copied().unwrap_or("Абай"),
                    rng.gen_range(1..120)
                )
            });
            (Some(name), iin, phone, email, address)
        };
        let threat_report = anonymous && rng.gen_bool(0.5);
        let channel = match reception_id {
            Some(_) => Channel::MobileReception.as_str(),
            None => Channel::ALL[rng.gen_range(0..Channel::ALL.len())].as_str(),
        };
        let search_text = model::search_text(&reg_number, &subject, &description);
        NewAppeal {
            row: AppealValues {
                id,
                reg_number,
                status: status.as_str(),
                channel,
                category,
                territory_id: place.id,
                territory_path: place.path.clone(),
                reception_id,
                anonymous,
                threat_report,
                subject,
                description,
                language,
                search_text,
                received_at,
                registered_on,
                due_on,
                extended_due_on,
                extension_reason: extended_due_on
                    .map(|_| "Қосымша тексеру қажет (ӘРПК 76-бабы 2-тармағы)"),
                deputy_id,
                assigned_body,
                resolution,
                resolved_at,
                forwarded_to,
                forwarded_on,
                created_at,
                updated_at,
                version: 1 + path.len() as i64,
            },
            citizen: CitizenValues {
                appeal_id: id,
                full_name,
                iin,
                phone,
                email,
                address,
            },
            history,
        }
    }

    /// Closes the reception still taking appeals, if any.
    pub fn finish(&mut self) {
        if let Some(site) = self.on_site.take() {
            if let Some(r) = self.receptions.iter_mut().find(|r| r.id == site.id) {
                r.appeals = site.heard;
            }
        }
    }
}

const REOPENED: &str = "Өтініш иесі шешіммен келіспейді, қайта қарау сұралды";

/// Where an appeal of this age has got to; `roll` is uniform in 0..100. Each table
/// gives a status with the roll it goes up to: younger appeals are mostly still open,
/// those past the 15-working-day deadline mostly answered.
fn final_status(age_days: i64, roll: u32) -> Status {
    use Status::*;
    let table: &[(u32, Status)] = match age_days {
        d if d < 5 => &[(50, Registered), (80, UnderControl), (100, Assigned)],
        d if d < 25 => &[
            (5, Registered),
            (20, UnderControl),
            (50, Assigned),
            (85, InProgress),
            (95, Resolved),
            (100, Explained),
        ],
        _ => &[
            (45, Resolved),
            (65, Explained),
            (73, Rejected),
            (83, Forwarded),
            (91, InProgress),
            (94, Assigned),
            (97, Reopened),
            (100, UnderControl),
        ],
    };
    table
        .iter()
        .find(|(upto, _)| roll < *upto)
        .map_or(UnderControl, |(_, status)| *status)
}

/// The moves from `registered` to `status` along the lifecycle graph
/// (`domain::appeal::Status::targets`).
fn path_to(status: Status) -> &'static [Status] {
    use Status::*;
    match status {
        Registered => &[],
        UnderControl => &[UnderControl],
        Assigned => &[UnderControl, Assigned],
        InProgress => &[UnderControl, Assigned, InProgress],
        Resolved => &[UnderControl, Assigned, InProgress, Resolved],
        Explained => &[UnderControl, Assigned, InProgress, Explained],
        Rejected => &[UnderControl, Rejected],
        Forwarded => &[UnderControl, Forwarded],
        Reopened => &[UnderControl, Assigned, InProgress, Resolved, Reopened],
    }
}

/// An IIN with a real birth date, century digit and check digit (`domain::iin`), as the
/// column reads it back.
fn iin(rng: &mut StdRng, woman: bool) -> Option<String> {
    let year = rng.gen_range(1940..2008);
    let born = NaiveDate::from_ymd_opt(year, rng.gen_range(1..13), rng.gen_range(1..29))?;
    let century = match (year >= 2000, woman) {
        (false, false) => 3,
        (false, true) => 4,
        (true, false) => 5,
        (true, true) => 6,
    };
    // One serial in eleven has no valid check digit; the next one has.
    let serial = rng.gen_range(0..9_990);
    (0..10).find_map(|k| {
        let first = format!("{}{century}{:04}", born.format("%y%m%d"), serial + k);
        (0..10)
            .map(|d| format!("{first}{d}"))
            .find(|c| Iin::parse(c).is_ok())
    })
}

fn phone(rng: &mut StdRng) -> Option<String> {
    let operator = [700, 701, 702, 705, 707, 747, 771, 775, 777, 778]
        .choose(rng)
        .copied()
        .unwrap_or(701);
    let raw = format!("+7{operator}{:07}", rng.gen_range(0..10_000_000));
    Phone::parse(&raw).ok().map(|p| p.as_str().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_history_follows_the_lifecycle_graph() {
        for status in Status::ALL {
            let mut from = Status::Registered;
            for &to in path_to(status) {
                assert!(from.can_move_to(to), "{from:?} → {to:?}");
                from = to;
            }
            assert_eq!(from, status);
        }
    }

    #[test]
    fn generated_iins_and_phones_read_back() {
        use rand::SeedableRng;
        let mut rng = StdRng::seed_from_u64(7);
        for n in 0..500 {
            let iin = iin(&mut rng, n % 2 == 0).expect("an IIN");
            assert!(Iin::parse(&iin).is_ok(), "{iin}");
            let phone = phone(&mut rng).expect("a phone");
            assert!(Phone::parse(&phone).is_ok(), "{phone}");
        }
    }
}
