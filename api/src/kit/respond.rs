//! One way to answer with a single versioned resource: the body, its `ETag`, a
//! `Location` when it was just created, and `Cache-Control: no-store` when it shows
//! personal data in full.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, Responder};
use serde::Serialize;

use crate::kit::create::Made;

/// The strong ETag of a version (DECISIONS.md 4: versions, not timestamps).
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// A single resource at a version.
pub struct Versioned<T> {
    body: T,
    /// `None` for a created resource without a version of its own (no `ETag`).
    version: Option<i64>,
    status: StatusCode,
    location: Option<String>,
    private: bool,
}

impl<T: Serialize> Versioned<T> {
    /// 200 with the body and its ETag.
    pub fn ok(body: T, version: i64) -> Versioned<T> {
        Versioned {
            body,
            version: Some(version),
            status: StatusCode::OK,
            location: None,
            private: false,
        }
    }

    /// 201 with `Location: {location}`.
    pub fn created(body: T, version: i64, location: String) -> Versioned<T> {
        Versioned {
            status: StatusCode::CREATED,
            location: Some(location),
            ..Versioned::ok(body, version)
        }
    }

    /// Personal data is shown unmasked: no cache may keep this response.
    pub fn private(mut self, private: bool) -> Versioned<T> {
        self.private = private;
        self
    }
}

/// What an operation gives back for one resource, and how it is answered: the body and
/// its version (and whether personal data is shown in full). Handlers answer any of them
/// with [`Shown::shown`], so none spells out the `ETag` again.
pub trait Shown {
    type Body: Serialize;
    fn shown(self) -> Versioned<Self::Body>;
}

/// Resources that carry their own `version`.
macro_rules! shown_by_version {
    ($($view:ty),* $(,)?) => {$(
        impl Shown for $view {
            type Body = $view;
            fn shown(self) -> Versioned<$view> {
                let version = self.version;
                Versioned::ok(self, version)
            }
        }
    )*};
}

shown_by_version!(
    baqylau_wire::deputies::Deputy,
    baqylau_wire::deputies::Assignment,
    baqylau_wire::dialogue::Proposal,
    baqylau_wire::receptions::Reception,
    baqylau_wire::reference::Territory,
    baqylau_wire::roadmaps::Indicator,
    baqylau_wire::roadmaps::Roadmap,
    baqylau_wire::auth::UserView,
    baqylau_wire::reserve::Candidate,
);

/// An appeal shown with the citizen's personal data in full is never cached.
impl Shown for baqylau_wire::appeals::Appeal {
    type Body = Self;
    fn shown(self) -> Versioned<Self> {
        let (version, private) = (self.version, self.personal_data_revealed);
        Versioned::ok(self, version).private(private)
    }
}

/// A part of a resource (its agenda, its participants) at the resource's version.
impl<T: Serialize> Shown for (T, i64) {
    type Body = T;
    fn shown(self) -> Versioned<T> {
        Versioned::ok(self.0, self.1)
    }
}

/// A resource and whether its personal data is shown in full.
impl<T: Serialize> Shown for (T, bool)
where
    T: Shown<Body = T>,
{
    type Body = T;
    fn shown(self) -> Versioned<T> {
        self.0.shown().private(self.1)
    }
}

/// 201 for a creation, with `Location`, and `ETag` when the resource has a version.
impl<T: Serialize> From<Made<T>> for Versioned<T> {
    fn from(made: Made<T>) -> Versioned<T> {
        Versioned {
            body: made.view,
            version: made.version,
            status: StatusCode::CREATED,
            location: Some(made.location),
            private: made.private,
        }
    }
}

impl<T: Serialize> Responder for Versioned<T> {
    type Body = actix_web::body::BoxBody;

    fn respond_to(self, _req: &HttpRequest) -> HttpResponse {
        let mut res = HttpResponse::build(self.status);
        if let Some(version) = self.version {
            res.insert_header(("ETag", etag(version)));
        }
        if let Some(location) = self.location {
            res.insert_header(("Location", location));
        }
        if self.private {
            res.insert_header(("Cache-Control", "no-store"));
        }
        res.json(self.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_private_resources_carry_every_header() {
        let req = actix_web::test::TestRequest::default().to_http_request();
        let res = Versioned::created(serde_json::json!({"id": 7}), 3, "/api/v1/x/7".into())
            .private(true)
            .respond_to(&req);
        assert_eq!(res.status(), StatusCode::CREATED);
        let h = |n: &str| res.headers().get(n).unwrap().to_str().unwrap().to_owned();
        assert_eq!(h("etag"), "\"3\"");
        assert_eq!(h("location"), "/api/v1/x/7");
        assert_eq!(h("cache-control"), "no-store");
        let plain = Versioned::ok(1, 1).respond_to(&req);
        assert!(plain.headers().get("cache-control").is_none());
    }
}
