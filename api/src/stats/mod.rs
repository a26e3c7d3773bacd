//! Statistics across capabilities for the office dashboard. Every figure is an SQL
//! aggregate (COUNT, MIN, GROUP BY) over the caller's scoped rows, so the cost does not
//! grow with work in Rust per appeal: Rust only reads a handful of groups.

pub mod appeals;
pub mod overview;

pub use overview::{overview, OverviewQuery};

use chrono::{NaiveDate, NaiveDateTime};

/// The period as dates and as the stored-time bounds `[start, end)`.
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}
