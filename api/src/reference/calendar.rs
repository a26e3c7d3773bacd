//! The working-day calendar as stored: the days off of a year (`GET /calendar`), and the
//! [`WorkingCalendar`] that appeal deadlines are counted with. The database rows are the
//! truth, so a year's decree added there is honoured without a new release.

use std::ops::RangeInclusive;

use baqylau_wire::reference::CalendarDay;
use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use crate::auth::{Caller, Permission};
use crate::db::schema::calendar_days;
use crate::db::{Db, DbConn};
use crate::domain::calendar::{DayKind, WorkingCalendar};
use crate::error::{ApiError, ApiResult};

/// The years a client may ask for (and that dates are bounded to, see `domain::dates`).
pub const YEARS: RangeInclusive<i32> = 2000..=2100;

/// The columns of a calendar day the API shows.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = calendar_days)]
pub struct DayRow {
    pub day: NaiveDate,
    pub kind: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub note: Option<String>,
}

pub fn view(row: DayRow) -> ApiResult<CalendarDay> {
    Ok(CalendarDay {
        date: row.day,
        kind: crate::db::enum_column("calendar_days", "kind", &row.kind)?,
        name_kk: row.name_kk,
        name_ru: row.name_ru,
        name_en: row.name_en,
        note: row.note,
    })
}

/// The listed days of `year` (weekday days off: holidays, transfers), by date.
pub fn year(conn: &mut DbConn, caller: &Caller, year: i32) -> ApiResult<Vec<CalendarDay>> {
    caller.authorize(Permission::ReferenceRead)?;
    let bounds = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    );
    let (true, Some(from), Some(to)) = (YEARS.contains(&year), bounds.0, bounds.1) else {
        return Err(ApiError::validation(
            "year",
            "range",
            "must be between 2000 and 2100",
        ));
    };
    calendar_days::table
        .filter(calendar_days::day.between(from, to))
        .order(calendar_days::day.asc())
        .select(DayRow::as_select())
        .load(conn)?
        .into_iter()
        .map(view)
        .collect()
}

/// The working-day calendar from the stored rows, covering the years from the first
/// listed day off to the last.
pub fn working(conn: &mut DbConn) -> QueryResult<WorkingCalendar> {
    let days: Vec<(NaiveDate, String)> = calendar_days::table
        .select((calendar_days::day, calendar_days::kind))
        .order(calendar_days::day.asc())
        .load(conn)?;
    let mut off = Vec::with_capacity(days.len());
    for (day, kind) in &days {
        let kind: DayKind = crate::db::enum_column("calendar_days", "kind", kind)?;
        if kind != DayKind::WorkingDay {
            off.push(*day);
        }
    }
    let years = match (off.first(), off.last()) {
        (Some(first), Some(last)) => first.year_ce().1 as i32..=last.year_ce().1 as i32,
        // No rows: no year is covered (an empty range).
        _ => RangeInclusive::new(1, 0),
    };
    Ok(WorkingCalendar::new(off, years))
}

/// Reads the calendar at startup.
pub fn load(db: &Db) -> anyhow::Result<WorkingCalendar> {
    let mut conn = db
        .get()
        .map_err(|_| anyhow::anyhow!("database unavailable"))?;
    Ok(working(&mut conn)?)
}
