//! Talking to the Baqylau API.
//!
//! All traffic goes through [`Client::request`]: it adds `Authorization: Bearer` when the
//! client carries a token and turns RFC 9457 problems into [`ApiError`]. The functions in
//! the submodules are one per endpoint and only name the method, path and types.
//!
//! Paths are relative (`/api/v1/...`): the dashboard is served by the API itself, so the
//! same build works on every host without a base URL baked in at compile time.

pub mod auth;
pub mod meta;
mod problem;

use std::rc::Rc;

use gloo_net::http::{Method, RequestBuilder};
use serde::{de::DeserializeOwned, Serialize};

pub use problem::ApiError;

/// The API seen as one caller: anonymous, or with the caller's access token.
///
/// Cheap to clone; build one from the session with `Session::client()`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Client {
    access_token: Option<Rc<str>>,
}

impl Client {
    pub fn anonymous() -> Self {
        Self::default()
    }

    pub fn with_token(access_token: &str) -> Self {
        Self {
            access_token: Some(access_token.into()),
        }
    }

    /// Sends `body` (if any) as JSON to `path` and reads the answer as `R`.
    ///
    /// An empty success body (`204 No Content`) reads as JSON `null`, so `R = ()` fits
    /// endpoints that return nothing.
    pub async fn request<B, R>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<R, ApiError>
    where
        B: Serialize + ?Sized,
        R: DeserializeOwned,
    {
        let mut builder = RequestBuilder::new(path)
            .method(method)
            .header("Accept", "application/json, application/problem+json");
        if let Some(token) = &self.access_token {
            builder = builder.header("Authorization", &format!("Bearer {token}"));
        }
        let request = match body {
            Some(body) => builder.json(body),
            None => builder.build(),
        }
        .map_err(|e| ApiError::Network(e.to_string()))?;

        let response = request
            .send()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        let status = response.status();
        let content_type = response.headers().get("content-type").unwrap_or_default();
        let text = response
            .text()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        if response.ok() {
            problem::decode_success(&text)
        } else {
            Err(ApiError::from_response(status, &content_type, &text))
        }
    }
}
