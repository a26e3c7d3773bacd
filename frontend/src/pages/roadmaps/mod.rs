//! Road maps: the list, and one road map as a tree of sections and indicators with its
//! completion by section, district and deputy.

pub mod list;
pub mod summary;
