//! Reference data: the lists every capability reads (territories, appeal categories, the
//! working-day calendar), as embedded in the binary and as stored in the database.

/// The stored working-day calendar: a year's days off, the calendar deadlines count with.
pub mod calendar;
/// Appeal categories as stored (what `GET /categories` lists).
pub mod categories;
/// The reference data embedded in the binary, parsed into seed structs.
pub mod embedded;
/// Loading the embedded reference data into the database.
pub mod load;
