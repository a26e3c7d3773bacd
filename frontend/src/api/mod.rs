//! Talking to the Baqylau API.
//!
//! All traffic goes through [`Client::request`]: it adds `Authorization: Bearer` when the
//! client carries a token and turns RFC 9457 problems into [`ApiError`]. The functions in
//! the submodules are one per endpoint and only name the method, path and types.
//!
//! Paths are relative (`/api/v1/...`): the dashboard is served by the API itself, so the
//! same build works on every host without a base URL baked in at compile time.

pub mod appeals;
pub mod auth;
pub mod deputies;
pub mod meta;
mod problem;
mod query;
pub mod receptions;
pub mod reference;
pub mod roadmaps;
pub mod stats;
mod tolerant;

use std::rc::Rc;

use gloo_net::http::{Method, RequestBuilder};
use serde::{de::DeserializeOwned, Serialize};

pub use problem::ApiError;
pub use query::Query;

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
    /// `headers` are the few an endpoint needs beyond the usual ones, such as `If-Match`
    /// or `Idempotency-Key`; most calls pass `&[]`.
    ///
    /// An empty success body (`204 No Content`) reads as JSON `null`, so `R = ()` fits
    /// endpoints that return nothing.
    pub async fn request<B, R>(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
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
        for (name, value) in headers {
            builder = builder.header(name, value);
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

impl Client {
    /// POSTs a file's bytes as `content_type` (an import) and reads the answer as `R`.
    pub async fn upload<R: DeserializeOwned>(
        &self,
        path: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<R, ApiError> {
        let mut builder = RequestBuilder::new(path)
            .method(Method::POST)
            .header("Accept", "application/json, application/problem+json")
            .header("Content-Type", content_type);
        if let Some(token) = &self.access_token {
            builder = builder.header("Authorization", &format!("Bearer {token}"));
        }
        let response = builder
            .body(js_sys::Uint8Array::from(bytes))
            .map_err(|e| ApiError::Network(e.to_string()))?
            .send()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        let content_type = response.headers().get("content-type").unwrap_or_default();
        let text = response
            .text()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        if response.ok() {
            problem::decode_success(&text)
        } else {
            Err(ApiError::from_response(
                response.status(),
                &content_type,
                &text,
            ))
        }
    }

    /// GETs a file (an export) as bytes, in `lang` for its header row.
    pub async fn download(&self, path: &str, lang: &str) -> Result<Vec<u8>, ApiError> {
        let mut builder = RequestBuilder::new(path).header("Accept-Language", lang);
        if let Some(token) = &self.access_token {
            builder = builder.header("Authorization", &format!("Bearer {token}"));
        }
        let response = builder
            .send()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        if response.ok() {
            return response
                .binary()
                .await
                .map_err(|e| ApiError::Network(e.to_string()));
        }
        let content_type = response.headers().get("content-type").unwrap_or_default();
        let text = response.text().await.unwrap_or_default();
        Err(ApiError::from_response(
            response.status(),
            &content_type,
            &text,
        ))
    }
}

/// A fresh `Idempotency-Key`: a random UUID (version 4) from the browser's
/// `crypto.getRandomValues`, which, unlike `crypto.randomUUID`, also works on a server
/// reached over plain HTTP inside an office network.
pub fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    let filled = crypto.is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // No Web Crypto at all: Math.random is weaker, but a key only has to differ
        // between two forms of the same person.
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    uuid_v4(bytes)
}

fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_look_like_uuids() {
        assert_eq!(uuid_v4([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
    }
}
