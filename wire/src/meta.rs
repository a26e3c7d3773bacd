//! Health and readiness bodies.

use serde::{Deserialize, Serialize};

use crate::enums::text_enum;

text_enum! {
    /// The outcome of a health or readiness check.
    pub enum HealthStatus {
        /// The check passed.
        Ok = "ok",
        /// The check failed (readiness: the database is unreachable).
        Unavailable = "unavailable",
    }
}

/// Body of `GET /healthz` and `GET /readyz`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"status": "ok", "database": "postgres", "version": "0.1.0"})))]
pub struct Health {
    pub status: HealthStatus,
    /// The storage backend in use: `sqlite` or `postgres` (readiness only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// Server version.
    pub version: String,
}
