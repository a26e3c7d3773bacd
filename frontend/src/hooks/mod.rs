//! Hooks shared by pages: loading what a page shows, with one way of saying "loading",
//! "failed" and "here it is".

mod fetch;
mod paged;

use baqylau_wire::reference::AppealCategory;
use yew::prelude::*;

use crate::api;
pub use fetch::{use_fetch, Fetch, FetchHandle};
pub use paged::use_paged;

/// The working calendar of this year and the next (a deadline set in December falls in
/// January), loaded once per page.
#[hook]
pub fn use_calendar() -> FetchHandle<crate::workdays::Calendar> {
    use_fetch((), |c, ()| async move {
        let year = chrono::Datelike::year(&crate::workdays::today());
        let mut days = api::reference::calendar(&c, year).await?;
        days.extend(api::reference::calendar(&c, year + 1).await?);
        Ok(crate::workdays::Calendar::new(days))
    })
}

/// The appeal categories, loaded once per page.
#[hook]
pub fn use_categories() -> FetchHandle<Vec<AppealCategory>> {
    use_fetch((), |c, ()| async move {
        api::reference::appeal_categories(&c).await
    })
}
