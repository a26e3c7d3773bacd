//! Hooks shared by pages.

use std::rc::Rc;

use baqylau_wire::reference::AppealCategory;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::session::use_api;

/// The appeal categories, loaded once per page: `None` while loading.
#[hook]
pub fn use_categories() -> Option<Result<Rc<Vec<AppealCategory>>, ApiError>> {
    let api = use_api();
    let categories = use_state(|| None);
    {
        let categories = categories.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                let result = api
                    .call(|c| async move { api::reference::appeal_categories(&c).await })
                    .await;
                categories.set(Some(result.map(Rc::new)));
            });
        });
    }
    (*categories).clone()
}
