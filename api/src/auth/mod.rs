//! Who is calling and what they may do.
//!
//! Every protected handler takes a [`Caller`]: the extractor resolves a person (bearer
//! JWT) or an integration (`X-API-Key`) and loads their role, scopes and territory
//! subtree. Handlers then ask [`Caller::authorize`] for a [`Permission`] (403 when
//! missing) and scope their queries with [`Caller::path_bounds`] — objects outside the
//! subtree answer 404, so their existence is not revealed (OWASP API1:2023, BOLA).

pub mod keys;
pub mod password;
mod scope;
pub mod throttle;
pub mod tokens;

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use baqylau_wire::auth::{ActorKind, Role, Scope};
use diesel::prelude::*;
use tracing_actix_web::RequestId;

use crate::db::compat;
use crate::db::schema::{api_keys, territories, users};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::startup::AppState;

pub use scope::{check_territory, territory_path};

/// Scopes an API key may carry: the wire enum's spellings, in declaration order.
pub const KEY_SCOPES: &[&str] = &Scope::NAMES;

/// What an operation needs. One table decides for people (by role) and for keys (by
/// scope); the OpenAPI security requirements of each operation mirror it, and the access
/// matrix test checks the two agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Territories, categories, the calendar: every signed-in caller.
    ReferenceRead,
    ReferenceWrite,
    AppealsRead,
    AppealsWrite,
    /// Removing an appeal registered by mistake (a soft delete, kept for sync).
    AppealsDelete,
    UsersManage,
    KeysManage,
    AuditRead,
}

/// How API keys relate to a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRule {
    /// Keys may never do this (managing people and keys, reading the audit trail).
    Never,
    /// Any valid key.
    Any,
    /// Keys carrying this scope.
    Scope(Scope),
}

impl Permission {
    pub fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Permission::ReferenceRead | Permission::AppealsRead => {
                &[Admin, RegionalStaff, DistrictStaff, Deputy, Viewer]
            }
            Permission::AppealsWrite => &[Admin, RegionalStaff, DistrictStaff, Deputy],
            Permission::ReferenceWrite
            | Permission::AppealsDelete
            | Permission::UsersManage
            | Permission::KeysManage
            | Permission::AuditRead => &[Admin],
        }
    }

    pub fn key_rule(self) -> KeyRule {
        match self {
            Permission::ReferenceRead => KeyRule::Any,
            Permission::AppealsRead => KeyRule::Scope(Scope::AppealsRead),
            Permission::AppealsWrite => KeyRule::Scope(Scope::AppealsWrite),
            Permission::ReferenceWrite
            | Permission::AppealsDelete
            | Permission::UsersManage
            | Permission::KeysManage
            | Permission::AuditRead => KeyRule::Never,
        }
    }
}

/// A person or an integration.
#[derive(Debug, Clone)]
pub enum Principal {
    User {
        id: i64,
        role: Role,
        email: String,
    },
    ApiKey {
        id: i64,
        name: String,
        scopes: Vec<Scope>,
    },
    /// The command line, the demo seed, tests: not bound, allowed everything, audited
    /// under its label.
    System {
        label: String,
    },
}

/// The root of a caller's territory subtree.
#[derive(Debug, Clone)]
pub struct TerritoryScope {
    pub id: i64,
    pub path: String,
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    /// `None`: the whole country.
    pub territory: Option<TerritoryScope>,
    /// The deputy record of a deputy user.
    pub deputy_id: Option<i64>,
    pub request_id: Option<String>,
}

impl Caller {
    /// Operations run outside HTTP (the command line, the seed, tests) act as this.
    pub fn system(label: &str) -> Caller {
        Caller {
            principal: Principal::System {
                label: label.to_owned(),
            },
            territory: None,
            deputy_id: None,
            request_id: None,
        }
    }

    pub fn role(&self) -> Option<Role> {
        match &self.principal {
            Principal::User { role, .. } => Some(*role),
            _ => None,
        }
    }

    pub fn user_id(&self) -> Option<i64> {
        match &self.principal {
            Principal::User { id, .. } => Some(*id),
            _ => None,
        }
    }

    pub fn key_id(&self) -> Option<i64> {
        match &self.principal {
            Principal::ApiKey { id, .. } => Some(*id),
            _ => None,
        }
    }

    pub fn allows(&self, permission: Permission) -> bool {
        match &self.principal {
            Principal::User { role, .. } => permission.roles().contains(role),
            Principal::ApiKey { scopes, .. } => match permission.key_rule() {
                KeyRule::Never => false,
                KeyRule::Any => true,
                KeyRule::Scope(scope) => scopes.contains(&scope),
            },
            Principal::System { .. } => true,
        }
    }

    /// 403 unless the caller holds `permission`.
    pub fn authorize(&self, permission: Permission) -> Result<(), ApiError> {
        if self.allows(permission) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(match &self.principal {
                Principal::User { role, .. } => {
                    format!("the role {} may not do this", role.as_str())
                }
                Principal::ApiKey { .. } => match permission.key_rule() {
                    KeyRule::Scope(scope) => format!("this API key lacks the scope {scope}"),
                    _ => "API keys may not do this".to_owned(),
                },
                Principal::System { .. } => unreachable!("the system is allowed everything"),
            }))
        }
    }

    /// `[lower, upper)` bounds on a materialised-path column for the caller's subtree;
    /// `None` when the caller is not bound to a territory.
    pub fn path_bounds(&self) -> Option<(String, String)> {
        self.territory
            .as_ref()
            .map(|t| (t.path.clone(), compat::path_upper_bound(&t.path)))
    }

    /// Whether a territorial object with this path is inside the caller's subtree.
    pub fn covers_path(&self, path: &str) -> bool {
        match &self.territory {
            None => true,
            Some(scope) => path.starts_with(&scope.path),
        }
    }

    /// Whether an object attached to `path` is inside the caller's subtree; an object
    /// attached to no territory (`None`) only for callers bound to none.
    pub fn covers(&self, path: Option<&str>) -> bool {
        match (&self.territory, path) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(_), Some(p)) => self.covers_path(p),
        }
    }

    /// Whether the caller is a deputy (their reach extends to appeals assigned to them).
    pub fn is_deputy(&self) -> bool {
        self.role() == Some(Role::Deputy)
    }

    /// Whether the caller may see citizens' personal data unmasked in general
    /// (a deputy only on appeals assigned to them; that check is per object).
    pub fn sees_personal_data(&self) -> bool {
        matches!(self.role(), Some(Role::Admin | Role::RegionalStaff))
            || matches!(self.principal, Principal::System { .. })
    }

    /// The namespace of this caller's idempotency keys.
    pub fn idempotency_namespace(&self) -> String {
        match &self.principal {
            Principal::User { id, .. } => format!("user:{id}"),
            Principal::ApiKey { id, .. } => format!("key:{id}"),
            Principal::System { label } => format!("system:{label}"),
        }
    }

    /// How the audit trail names this caller.
    pub fn audit_actor(&self) -> crate::audit::Actor {
        match &self.principal {
            Principal::User { id, email, .. } => crate::audit::Actor {
                kind: ActorKind::User.as_str(),
                id: Some(*id),
                label: email.clone(),
                request_id: self.request_id.clone(),
            },
            Principal::ApiKey { id, name, .. } => crate::audit::Actor {
                kind: ActorKind::ApiKey.as_str(),
                id: Some(*id),
                label: name.clone(),
                request_id: self.request_id.clone(),
            },
            Principal::System { label } => crate::audit::Actor::system(label),
        }
    }
}

enum Credentials {
    Bearer(String),
    ApiKey(String),
}

/// The one credential a request carries. Two of them (a bearer token and a key, or
/// either header twice) are 401 rather than one silently ignored: a client that sends a
/// stale or wrong key next to a valid token would otherwise never learn that the key is
/// bad, and which identity acts would depend on header precedence (API.md, "Auth").
fn credentials(req: &HttpRequest) -> Result<Credentials, ApiError> {
    let headers = req.headers();
    let bearer = headers
        .get_all(actix_web::http::header::AUTHORIZATION)
        .count();
    let keys = headers.get_all("X-API-Key").count();
    if bearer + keys > 1 {
        return Err(ApiError::Unauthorized(
            "send one credential: Authorization: Bearer or X-API-Key, not both".to_owned(),
        ));
    }
    if let Some(value) = headers.get(actix_web::http::header::AUTHORIZATION) {
        let value = value
            .to_str()
            .map_err(|_| ApiError::Unauthorized("malformed Authorization header".to_owned()))?;
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::Unauthorized("use Authorization: Bearer <token>".to_owned())
            })?;
        return Ok(Credentials::Bearer(token.to_owned()));
    }
    if let Some(value) = headers.get("X-API-Key") {
        let key = value
            .to_str()
            .map_err(|_| ApiError::Unauthorized("malformed X-API-Key header".to_owned()))?;
        return Ok(Credentials::ApiKey(key.trim().to_owned()));
    }
    Err(ApiError::Unauthorized(
        "sign in (Authorization: Bearer) or send X-API-Key".to_owned(),
    ))
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let creds = credentials(req);
        let request_id = req.extensions().get::<RequestId>().map(|id| id.to_string());
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no app state")))?;
            let creds = creds?;
            let mut caller = match creds {
                Credentials::Bearer(token) => {
                    let claims = state.tokens.verify_access(&token)?;
                    let user_id: i64 = claims.sub.parse().map_err(|_| {
                        ApiError::Unauthorized("the access token is invalid".to_owned())
                    })?;
                    state
                        .db
                        .run(move |conn| load_user_caller(conn, user_id))
                        .await?
                }
                Credentials::ApiKey(key) => {
                    state
                        .db
                        .run(move |conn| load_key_caller(conn, &key))
                        .await?
                }
            };
            caller.request_id = request_id;
            Ok(caller)
        })
    }
}

fn territory_scope(
    conn: &mut DbConn,
    territory_id: Option<i64>,
) -> Result<Option<TerritoryScope>, ApiError> {
    let Some(id) = territory_id else {
        return Ok(None);
    };
    let path: String = territories::table
        .find(id)
        .select(territories::path)
        .first(conn)?;
    Ok(Some(TerritoryScope { id, path }))
}

/// The user is re-read on every request, so deactivation and role changes take effect
/// at once rather than when the access token expires.
fn load_user_caller(conn: &mut DbConn, user_id: i64) -> Result<Caller, ApiError> {
    let row: Option<(String, String, Option<i64>, Option<i64>, bool)> = users::table
        .find(user_id)
        .select((
            users::email,
            users::role,
            users::territory_id,
            users::deputy_id,
            users::active,
        ))
        .first(conn)
        .optional()?;
    let unauthorized =
        || ApiError::Unauthorized("the access token is invalid or expired".to_owned());
    let (email, role, territory_id, deputy_id, active) = row.ok_or_else(unauthorized)?;
    if !active {
        return Err(unauthorized());
    }
    // An unknown role is the database disagreeing with this build: a logged 500, not
    // a 401 that would send the person back to a sign-in that cannot help.
    let role: Role = crate::db::enum_column("users", "role", &role)?;
    if role == Role::Deputy && territory_id.is_none() {
        // Accounts made before the rule: unbound, a deputy would register appeals anywhere.
        return Err(ApiError::Forbidden(
            "a deputy account must be bound to a territory; ask an administrator".to_owned(),
        ));
    }
    Ok(Caller {
        principal: Principal::User {
            id: user_id,
            role,
            email,
        },
        territory: territory_scope(conn, territory_id)?,
        deputy_id,
        request_id: None,
    })
}

fn load_key_caller(conn: &mut DbConn, presented: &str) -> Result<Caller, ApiError> {
    let invalid = || ApiError::Unauthorized("the API key is invalid or revoked".to_owned());
    let (prefix, _) = keys::split(presented).ok_or_else(invalid)?;
    let row: Option<(
        i64,
        String,
        String,
        String,
        Option<i64>,
        Option<chrono::NaiveDateTime>,
        Option<chrono::NaiveDateTime>,
    )> = api_keys::table
        .filter(api_keys::prefix.eq(prefix))
        .select((
            api_keys::id,
            api_keys::name,
            api_keys::secret_hash,
            api_keys::scopes,
            api_keys::territory_id,
            api_keys::revoked_at,
            api_keys::last_used_at,
        ))
        .first(conn)
        .optional()?;
    let (id, name, secret_hash, scopes, territory_id, revoked_at, last_used_at) =
        row.ok_or_else(invalid)?;
    if revoked_at.is_some() || !keys::matches(presented, &secret_hash) {
        return Err(invalid());
    }
    let now = compat::now();
    // Record use at most once a minute: a write per request would serialise readers.
    if last_used_at.is_none_or(|t| now - t > chrono::Duration::seconds(60)) {
        diesel::update(api_keys::table.find(id))
            .set(api_keys::last_used_at.eq(now))
            .execute(conn)?;
    }
    Ok(Caller {
        principal: Principal::ApiKey {
            id,
            name,
            scopes: scopes
                .split_whitespace()
                .map(|s| crate::db::enum_column("api_keys", "scopes", s))
                .collect::<QueryResult<_>>()?,
        },
        territory: territory_scope(conn, territory_id)?,
        deputy_id: None,
        request_id: None,
    })
}

/// The client address used for sign-in throttling: the socket peer, or the right-most
/// `X-Forwarded-For` hop that is not one of the proxies the operator configured
/// ([`throttle::client_address`]). Only `X-Forwarded-For` is read: accepting `Forwarded`
/// as well would let a client send whichever header the operator's proxy does not
/// rewrite, and choose its own address again.
pub fn client_ip(
    req: &HttpRequest,
    proxies: &crate::config::TrustedProxies,
) -> Option<std::net::IpAddr> {
    let peer = req.peer_addr()?.ip();
    // Repeated header lines form one list, in order (RFC 9110 section 5.3).
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|hop| !hop.is_empty())
        .collect();
    Some(throttle::client_address(peer, &forwarded, proxies))
}
