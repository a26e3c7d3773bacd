//! Health and readiness bodies.

use serde::{Deserialize, Serialize};

/// Body of `GET /healthz` and `GET /readyz`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok` when the check passed, `unavailable` otherwise.
    pub status: String,
    /// The storage backend in use: `sqlite` or `postgres` (readiness only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// Server version.
    pub version: String,
}
