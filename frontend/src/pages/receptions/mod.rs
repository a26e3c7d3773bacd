//! Mobile receptions: the list (soonest and latest) and the month calendar, planning
//! one, one reception with its participants, agenda and moves, its report, and the
//! places nobody visited lately.

pub mod calendar;
pub mod capture;
pub mod coverage;
pub mod detail;
pub mod list;
pub mod moves;
pub mod plan;
