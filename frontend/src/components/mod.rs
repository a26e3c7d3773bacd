//! Pieces shared by several pages.

pub mod badges;
pub mod charts;
pub mod download;
pub mod error_message;
pub mod field;
pub mod header;
pub mod lang_switcher;
pub mod names;
pub mod require_auth;
pub mod server_status;
pub mod territory_picker;
pub mod territory_search;
