//! Pieces shared by several pages.

pub mod error_message;
pub mod header;
pub mod lang_switcher;
pub mod server_status;
