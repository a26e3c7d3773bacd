//! The appeals pages: the list, registration, one appeal.

mod card;
pub mod detail;
mod filters;
mod history;
pub mod list;
pub mod new;
mod transition;
