//! Signed-in callers that several capabilities' tests start from. A fixture that two
//! test files need lives here, once; one only a capability uses stays in its folder's
//! `mod.rs`.

use crate::helpers::{kato, Auth, TestApp};

/// District staff of Baizak (the district most fixtures are in).
pub async fn baizak_staff(app: &TestApp) -> Auth {
    app.create_user("baizak@d.kz", "district_staff", Some(kato::BAIZAK), None);
    app.bearer("baizak@d.kz").await
}

/// Regional staff of Zhambyl: sees and organises the whole region.
pub async fn zhambyl_staff(app: &TestApp) -> Auth {
    app.create_user("zhambyl@d.kz", "regional_staff", Some(kato::ZHAMBYL), None);
    app.bearer("zhambyl@d.kz").await
}

/// An administrator bound to no territory.
pub async fn admin(app: &TestApp) -> Auth {
    app.create_user("root@test.kz", "admin", None, None);
    app.bearer("root@test.kz").await
}
