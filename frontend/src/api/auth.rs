//! `/api/v1/auth/*` and `/api/v1/me`.

use baqylau_wire::auth::{LoginRequest, Me, RefreshRequest, TokenResponse};
use gloo_net::http::Method;

use super::{ApiError, Client};

/// `POST /api/v1/auth/login`
pub async fn login(client: &Client, body: &LoginRequest) -> Result<TokenResponse, ApiError> {
    client
        .request(Method::POST, "/api/v1/auth/login", &[], Some(body))
        .await
}

/// `POST /api/v1/auth/refresh`: a new pair for a single-use refresh token.
pub async fn refresh(client: &Client, body: &RefreshRequest) -> Result<TokenResponse, ApiError> {
    client
        .request(Method::POST, "/api/v1/auth/refresh", &[], Some(body))
        .await
}

/// `POST /api/v1/auth/logout`: revokes the refresh token server-side.
pub async fn logout(client: &Client, body: &RefreshRequest) -> Result<(), ApiError> {
    // Whatever the server answers on success (204 or a small body) is of no interest.
    client
        .request::<_, serde_json::Value>(Method::POST, "/api/v1/auth/logout", &[], Some(body))
        .await
        .map(drop)
}

/// `GET /api/v1/me`: the caller, a person (`user`) or an integration (`api_key`).
pub async fn me(client: &Client) -> Result<Me, ApiError> {
    client
        .request::<(), _>(Method::GET, "/api/v1/me", &[], None)
        .await
}
