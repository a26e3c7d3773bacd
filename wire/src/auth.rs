//! Sign-in, tokens and the signed-in user.

use serde::{Deserialize, Serialize};
use validator::Validate;

/// A role decides what a person may do; the territory binding decides where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, everywhere; manages users and API keys.
    Admin,
    /// Regional branch office staff.
    RegionalStaff,
    /// District branch office staff: only their district's subtree.
    DistrictStaff,
    /// A deputy: sees appeals assigned to them and their okrugs.
    Deputy,
    /// Read-only access.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::RegionalStaff,
        Role::DistrictStaff,
        Role::Deputy,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::RegionalStaff => "regional_staff",
            Role::DistrictStaff => "district_staff",
            Role::Deputy => "deputy",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// `POST /api/v1/auth/login`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    #[validate(length(min = 1, max = 320))]
    pub email: String,
    #[validate(length(min = 1, max = 1024))]
    pub password: String,
}

/// `POST /api/v1/auth/refresh` and `POST /api/v1/auth/logout`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    #[validate(length(min = 1, max = 512))]
    pub refresh_token: String,
}

/// A fresh access token and its single-use refresh token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// Short-lived JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// Opaque, single-use; exchange it at `/auth/refresh` for a new pair.
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until `access_token` expires.
    pub expires_in: i64,
    pub user: UserView,
}

/// A user as the API shows it. The password is never returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// The root of the territory subtree this user works in; `null` means everywhere.
    pub territory_id: Option<i64>,
    /// The deputy record of a user who is a deputy.
    pub deputy_id: Option<i64>,
    pub active: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i64,
}

/// `POST /api/v1/users`. Enumerated fields are strings here so that every bad field can
/// be reported at once (422 lists them all) rather than failing on the first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateUser {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub display_name: String,
    /// At least 12 characters; never returned.
    #[serde(default)]
    pub password: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Role))]
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub territory_id: Option<i64>,
    #[serde(default)]
    pub deputy_id: Option<i64>,
    #[serde(default = "default_true")]
    pub active: bool,
}

fn default_true() -> bool {
    true
}

/// `PATCH /api/v1/users/{id}` (with `If-Match`). Absent fields are left unchanged;
/// `territory_id` and `deputy_id` may be set to `null` to clear them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateUser {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Role>))]
    pub role: Option<String>,
    #[serde(default, deserialize_with = "crate::nullable::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub territory_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::nullable::double_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub deputy_id: Option<Option<i64>>,
    #[serde(default)]
    pub active: Option<bool>,
    /// A new password (at least 12 characters); signs the user out everywhere.
    #[serde(default)]
    pub password: Option<String>,
}

/// `GET /api/v1/me`: the caller, person or integration.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// `user` or `api_key`.
    pub kind: String,
    pub user: Option<UserView>,
    pub api_key: Option<ApiKeyView>,
    /// The root of the caller's territory subtree; `null` means everywhere.
    pub territory_id: Option<i64>,
}

/// An API key as listed; the secret is never shown again after creation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyView {
    pub id: i64,
    pub name: String,
    /// The public part of the key (`bq_<prefix>_...`), to recognise it.
    pub prefix: String,
    pub scopes: Vec<String>,
    pub territory_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// `POST /api/v1/api-keys`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateApiKey {
    #[serde(default)]
    pub name: String,
    /// e.g. `appeals:read`, `appeals:write`, `receptions:read`, `roadmaps:read`, `deputies:read`.
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub territory_id: Option<i64>,
}

/// The created key, with its secret: shown this once, stored only as a hash.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub key: ApiKeyView,
    /// The full key for the `X-API-Key` header.
    pub secret: String,
}
