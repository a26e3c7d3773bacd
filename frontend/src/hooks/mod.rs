//! Hooks shared by pages: loading what a page shows, with one way of saying "loading",
//! "failed" and "here it is".

mod fetch;
mod paged;

use baqylau_wire::reference::AppealCategory;
use yew::prelude::*;

use crate::api;
pub use fetch::{use_fetch, Fetch, FetchHandle};
pub use paged::use_paged;

/// The appeal categories, loaded once per page.
#[hook]
pub fn use_categories() -> FetchHandle<Vec<AppealCategory>> {
    use_fetch((), |c, ()| async move {
        api::reference::appeal_categories(&c).await
    })
}
