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
