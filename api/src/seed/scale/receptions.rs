//! Mobile receptions in villages, each with the appeals heard on site (`appeals.rs` opens
//! one as it walks through time and sends the next few appeals there).

use chrono::{Duration as Days, NaiveDateTime, Timelike};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::Rng;

use super::people::Deputies;
use super::places::Places;
use crate::db::schema::{reception_participants, reception_settlements, receptions};
use crate::db::DbConn;

pub struct NewReception {
    pub id: i64,
    /// The village (index in `Places::all`) it is held in.
    pub place: usize,
    pub start: NaiveDateTime,
    /// The deputy who hears residents, when the district has one.
    pub deputy: Option<(i64, String)>,
    /// How many appeals were registered on site.
    pub appeals: usize,
}

impl NewReception {
    /// A reception opening at the hour `at` falls in.
    pub fn open(
        rng: &mut StdRng,
        places: &Places,
        deputies: &Deputies,
        id: i64,
        place: usize,
        at: NaiveDateTime,
    ) -> NewReception {
        let start = at
            .with_minute(0)
            .and_then(|t| t.with_second(0))
            .and_then(|t| t.with_nanosecond(0))
            .unwrap_or(at);
        NewReception {
            id,
            place,
            start,
            deputy: deputies.named(rng, places.all[place].district).cloned(),
            appeals: 1,
        }
    }
}

/// Writes receptions held (ids as given), their village and participants.
pub fn insert(
    conn: &mut DbConn,
    rng: &mut StdRng,
    places: &Places,
    made: &[NewReception],
) -> anyhow::Result<()> {
    if made.is_empty() {
        return Ok(());
    }
    let mut rows = Vec::with_capacity(made.len());
    let mut settlements = Vec::with_capacity(made.len());
    let mut participants = Vec::with_capacity(made.len() * 2);
    for r in made {
        let village = &places.all[r.place];
        let district = &places.all[village.district];
        let end = r.start + Days::hours(3);
        rows.push((
            receptions::id.eq(r.id),
            receptions::title.eq(format!("Көшпелі қабылдау: {}", village.name_ru)),
            receptions::level.eq("district"),
            receptions::territory_id.eq(district.id),
            receptions::territory_path.eq(district.path.clone()),
            receptions::planned_start.eq(r.start),
            receptions::planned_end.eq(end),
            receptions::venue.eq(Some("Ауылдық мәдениет үйі")),
            receptions::status.eq("held"),
            receptions::residents_heard.eq(Some(r.appeals as i64 * 2 + rng.gen_range(0..15))),
            receptions::report_summary.eq(Some(
                "Тұрғындар ауыз су, жол және жайылым мәселелерін көтерді",
            )),
            receptions::created_at.eq(r.start - Days::days(7)),
            receptions::updated_at.eq(end),
            receptions::version.eq(3_i64),
            receptions::kind.eq("mobile_reception"),
        ));
        settlements.push((
            reception_settlements::reception_id.eq(r.id),
            reception_settlements::territory_id.eq(village.id),
            reception_settlements::territory_path.eq(village.path.clone()),
        ));
        participants.push((
            reception_participants::id.eq(r.id * 2 - 1),
            reception_participants::reception_id.eq(r.id),
            reception_participants::deputy_id.eq(None::<i64>),
            reception_participants::full_name.eq("Аудандық филиал төрағасы".to_owned()),
            reception_participants::role.eq("political_council"),
            reception_participants::planned_start.eq(r.start),
            reception_participants::planned_end.eq(end),
        ));
        if let Some((deputy, name)) = &r.deputy {
            participants.push((
                reception_participants::id.eq(r.id * 2),
                reception_participants::reception_id.eq(r.id),
                reception_participants::deputy_id.eq(Some(*deputy)),
                reception_participants::full_name.eq(name.clone()),
                reception_participants::role.eq("deputy"),
                reception_participants::planned_start.eq(r.start),
                reception_participants::planned_end.eq(end),
            ));
        }
    }
    crate::with_backend_connection!(&mut *conn, |c| diesel::insert_into(receptions::table)
        .values(rows)
        .execute(c))?;
    crate::with_backend_connection!(&mut *conn, |c| diesel::insert_into(
        reception_settlements::table
    )
    .values(settlements)
    .execute(c))?;
    crate::with_backend_connection!(&mut *conn, |c| diesel::insert_into(
        reception_participants::table
    )
    .values(participants)
    .execute(c))?;
    Ok(())
}
