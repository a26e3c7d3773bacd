//! Sign-in, tokens and the signed-in user.

use serde::{Deserialize, Serialize};

use crate::enums::text_enum;

text_enum! {
    /// The orders of `GET /users`: a key ascending, or descending with `-`.
    pub enum UserSort {
        /// Newest first (the default).
        Newest = "newest",
        CreatedAt = "created_at", CreatedAtDesc = "-created_at",
        UpdatedAt = "updated_at", UpdatedAtDesc = "-updated_at",
        DisplayName = "display_name", DisplayNameDesc = "-display_name",
        Email = "email", EmailDesc = "-email",
    }
}

text_enum! {
    /// A role decides what a person may do; the territory binding decides where.
    pub enum Role {
        /// Everything, everywhere; manages users and API keys.
        Admin = "admin",
        /// Regional branch office staff.
        RegionalStaff = "regional_staff",
        /// District branch office staff: only their district's subtree.
        DistrictStaff = "district_staff",
        /// A deputy: sees appeals assigned to them and their okrugs.
        Deputy = "deputy",
        /// Read-only access.
        Viewer = "viewer",
    }
}

text_enum! {
    /// What an API key may do, area by area; keys never manage people, keys or the audit
    /// trail, whatever their scopes.
    pub enum Scope {
        /// Read appeals (personal data masked).
        AppealsRead = "appeals:read",
        /// Register, edit and move appeals.
        AppealsWrite = "appeals:write",
        /// Read mobile receptions.
        ReceptionsRead = "receptions:read",
        /// Plan and report mobile receptions.
        ReceptionsWrite = "receptions:write",
        /// Read road maps and their indicators.
        RoadmapsRead = "roadmaps:read",
        /// Edit road maps and report indicator progress.
        RoadmapsWrite = "roadmaps:write",
        /// Read the deputies registry.
        DeputiesRead = "deputies:read",
        /// Edit the deputies registry.
        DeputiesWrite = "deputies:write",
        /// Read `GET /metrics` (a Prometheus scraper).
        MetricsRead = "metrics:read",
    }
}

text_enum! {
    /// Who is calling: a person or an integration.
    pub enum CallerKind {
        /// A person signed in with a bearer token.
        User = "user",
        /// An integration presenting `X-API-Key`.
        ApiKey = "api_key",
    }
}

text_enum! {
    /// Who made a change, in the audit trail and in histories.
    pub enum ActorKind {
        /// A person.
        User = "user",
        /// An integration's API key.
        ApiKey = "api_key",
        /// The server itself or its command line (seeding, bootstrap, jobs).
        System = "system",
    }
}

/// `POST /api/v1/auth/login`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"email": "admin@baqylau.kz", "password": "baqylau-demo-2026"})))]
pub struct LoginRequest {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 320)))]
    pub email: String,
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 1024)))]
    pub password: String,
}

/// `POST /api/v1/auth/refresh` and `POST /api/v1/auth/logout`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"refresh_token": "rt_9c4f2b7e1a0d4c8f9b3e6a5d2c1f0e7b"})))]
pub struct RefreshRequest {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 512)))]
    pub refresh_token: String,
}

/// A fresh access token and its single-use refresh token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "access_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI1IiwiZXhwIjoxNzcwMDk1NjAwfQ.mS2v0kq3N7yVb1dX",
    "refresh_token": "rt_9c4f2b7e1a0d4c8f9b3e6a5d2c1f0e7b",
    "token_type": "Bearer",
    "expires_in": 900,
    "user": crate::common::example_of::<UserView>()
})))]
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
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 5,
    "email": "d.nurlanov@baqylau.kz",
    "display_name": "Нұрланов Данияр",
    "role": "district_staff",
    "territory_id": 14,
    "deputy_id": null,
    "active": true,
    "created_at": "2026-01-12T03:00:00Z",
    "updated_at": "2026-01-12T03:00:00Z",
    "version": 1
})))]
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
#[cfg_attr(feature = "openapi", schema(example = json!({
    "email": "d.nurlanov@baqylau.kz",
    "display_name": "Нұрланов Данияр",
    "password": "Taraz-2026-qauipsiz",
    "role": "district_staff",
    "territory_id": 14,
    "deputy_id": null,
    "active": true
})))]
pub struct CreateUser {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = Email, max_length = 320))]
    pub email: String,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub display_name: String,
    /// At least 12 characters; never returned.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_length = 12, max_length = 256))]
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
#[cfg_attr(feature = "openapi", schema(example = json!({"display_name": "Нұрланов Данияр Ерланұлы", "role": "regional_staff", "territory_id": null})))]
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
#[cfg_attr(feature = "openapi", schema(example = json!({
    "kind": "user",
    "user": crate::common::example_of::<UserView>(),
    "api_key": null,
    "territory_id": 14
})))]
pub struct Me {
    pub kind: CallerKind,
    pub user: Option<UserView>,
    pub api_key: Option<ApiKeyView>,
    /// The root of the caller's territory subtree; `null` means everywhere.
    pub territory_id: Option<i64>,
}

/// An API key as listed; the secret is never shown again after creation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 4,
    "name": "Open311 portal of Baizak district",
    "prefix": "3f9a1c07b2e4",
    "scopes": ["appeals:read", "appeals:write"],
    "territory_id": 14,
    "created_by": 1,
    "created_at": "2026-01-20T06:30:00Z",
    "last_used_at": "2026-02-03T09:12:44Z",
    "revoked_at": null
})))]
pub struct ApiKeyView {
    pub id: i64,
    pub name: String,
    /// The public part of the key (`bq_<prefix>_...`), to recognise it.
    pub prefix: String,
    pub scopes: Vec<Scope>,
    pub territory_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// `POST /api/v1/api-keys`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "name": "Open311 portal of Baizak district",
    "scopes": ["appeals:read", "appeals:write"],
    "territory_id": null
})))]
pub struct CreateApiKey {
    #[serde(default)]
    pub name: String,
    /// At least one; an unknown scope is reported by its index (`scopes[2]`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Scope>))]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub territory_id: Option<i64>,
}

/// The created key, with its secret: shown this once, stored only as a hash.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "id": 4,
    "name": "Open311 portal of Baizak district",
    "prefix": "3f9a1c07b2e4",
    "scopes": ["appeals:read", "appeals:write"],
    "territory_id": 14,
    "created_by": 1,
    "created_at": "2026-01-20T06:30:00Z",
    "last_used_at": null,
    "revoked_at": null,
    "secret": "bq_3f9a1c07b2e4_Q7pX2mVb9LkR4tZy8WcN1sHd6FjA3uEo"
})))]
pub struct CreatedApiKey {
    #[serde(flatten)]
    pub key: ApiKeyView,
    /// The full key for the `X-API-Key` header; empty when a retry with the same
    /// `Idempotency-Key` replays the creation (the secret is stored only as a hash).
    pub secret: String,
}
