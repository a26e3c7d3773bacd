//! The appeals pages: the list, registration, one appeal.

pub mod detail;
pub mod list;
pub mod new;
