//! Mobile receptions: the list (soonest and latest), one reception with its
//! participants, its report, and the places nobody visited lately.

pub mod capture;
pub mod coverage;
pub mod detail;
pub mod list;
