//! Who is calling and what they may do.
//!
//! Every protected handler takes a [`Caller`]: the extractor resolves a person (bearer
//! JWT) or an integration (`X-API-Key`) and loads their role, scopes and territory
//! subtree. Handlers then ask [`Caller::authorize`] for a [`Permission`] (403 when
//! missing) and scope their queries with [`Caller::path_bounds`] — objects outside the
//! subtree answer 404, so their existence is not revealed (OWASP API1:2023, BOLA).

mod extractor;
pub mod keys;
pub mod password;
mod permission;
mod scope;
#[cfg(test)]
mod system_callers;
pub mod throttle;
pub mod tokens;

pub use permission::{KeyRule, Permission};

use actix_web::HttpRequest;
use baqylau_wire::auth::{ActorKind, Role, Scope};

use crate::db::compat;
use crate::error::ApiError;

pub use extractor::key_caller;
pub use scope::{
    check_deputy, check_organiser, check_territory, deputies_within, live_territory_path, subtree,
    territory_path,
};

/// Scopes an API key may carry: the wire enum's spellings, in declaration order.
pub const KEY_SCOPES: &[&str] = &Scope::NAMES;

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

    /// This caller confined to one territory of its subtree (checked by the caller with
    /// `check_territory`), for views of a single district: every scoped query then
    /// reads that subtree only. A deputy's own assignments elsewhere are left out too.
    pub fn narrowed(&self, id: i64, path: String) -> Caller {
        Caller {
            territory: Some(TerritoryScope { id, path }),
            deputy_id: None,
            ..self.clone()
        }
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
    pub fn audit_actor(&self) -> crate::kit::actor::Actor {
        match &self.principal {
            Principal::User { id, email, .. } => crate::kit::actor::Actor {
                kind: ActorKind::User.as_str(),
                id: Some(*id),
                label: email.clone(),
                request_id: self.request_id.clone(),
            },
            Principal::ApiKey { id, name, .. } => crate::kit::actor::Actor {
                kind: ActorKind::ApiKey.as_str(),
                id: Some(*id),
                label: name.clone(),
                request_id: self.request_id.clone(),
            },
            Principal::System { label } => crate::kit::actor::Actor::system(label),
        }
    }
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
