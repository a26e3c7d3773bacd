//! `Idempotency-Key` for every creation: one extractor that reads the key and the JSON
//! body once (and hashes it), and one function that runs a creation at most once per
//! (caller, key) — replaying the first result, refusing the key with another body, and
//! settling the race of two concurrent first attempts (DECISIONS.md 5).

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use crate::auth::Caller;
use crate::db::DbConn;
use crate::error::{ApiError, ApiResult};
use crate::extract::{idempotency_key, parse_json, Body};
use crate::kit::actor::Actor;
use crate::kit::clock::Clock;
use crate::kit::write::{self, Tx};

/// The stored records behind the keys.
pub mod store;

use store::Lookup;

/// A creation request: the optional key, the body's hash and the parsed body. Errors
/// wait until [`Idempotent::parse`], so that 401/403 come before any body problem.
pub struct Idempotent<T> {
    parsed: Result<(Option<String>, String, T), ApiError>,
}

impl<T> Idempotent<T> {
    /// `(key, hash, body)`, or the problem the request had (400, 413, 415, 422).
    pub fn parse(self) -> Result<Request<T>, ApiError> {
        self.parsed
            .map(|(key, hash, body)| Request { key, hash, body })
    }
}

/// A parsed creation request.
pub struct Request<T> {
    pub key: Option<String>,
    pub hash: String,
    pub body: T,
}

impl<T: DeserializeOwned + 'static> FromRequest for Idempotent<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let key = idempotency_key(req);
        let body = Body::<serde_json::Value>::from_request(req, payload);
        Box::pin(async move {
            let body = body.await?;
            let parsed = (|| {
                let key = key?;
                let value = body.parse()?;
                let hash = store::request_hash(&value);
                // Parsed from the value already read, so field errors name their path.
                let typed = parse_json::<T>(value.to_string().as_bytes())?;
                Ok((key, hash, typed))
            })();
            Ok(Idempotent { parsed })
        })
    }
}

/// How a creation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Created {
    pub id: i64,
    /// True when an earlier request with the same key created it.
    pub replayed: bool,
}

/// Runs a creation at most once per (caller, key, body). `check` validates the body
/// outside the write lock (every problem at once, 422) unless the key replays; `create`
/// then writes in one transaction, together with the key record. `kind` names what is
/// created (`appeal`, `reception_batch`, ...), so a key cannot replay another kind.
/// What `check` made comes back when this request created the resource (`None` on a
/// replay), for what exists only at creation, such as a secret.
pub fn create_once<T, P>(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    request: &Request<T>,
    kind: &str,
    check: impl Fn(&mut DbConn, &T) -> ApiResult<P>,
    create: impl Fn(&mut Tx<'_>, &P) -> ApiResult<i64>,
) -> ApiResult<(Created, Option<P>)> {
    let actor: Actor = caller.audit_actor();
    let attempt = |conn: &mut DbConn| -> ApiResult<(Created, Option<P>)> {
        let namespace = caller.idempotency_namespace();
        let claim = request.key.as_deref().map(|key| store::Claim {
            caller: &namespace,
            key,
            hash: &request.hash,
            kind,
        });
        if let Some(claim) = &claim {
            // Unlocked first look: a replay needs no write lock.
            if let Some(done) = previous(conn, clock.now_stored(), claim)? {
                return Ok((done, None));
            }
        }
        let checked = check(conn, &request.body)?;
        let created = write::write(conn, &actor, clock, |tx| {
            if let Some(claim) = &claim {
                // Looked up again under the write lock: the first look was unlocked.
                let now = tx.now();
                if let Some(done) = previous(tx.conn(), now, claim)? {
                    return Ok(done);
                }
            }
            let id = create(tx, &checked)?;
            if let Some(claim) = &claim {
                let now = tx.now();
                store::store(tx.conn(), now, claim, id)?;
            }
            Ok(Created {
                id,
                replayed: false,
            })
        })?;
        Ok((created, (!created.replayed).then_some(checked)))
    };
    match attempt(conn) {
        // A concurrent request with the same key committed first: answer as it did.
        Err(ApiError::Conflict { code, .. }) if code == store::RACE => attempt(conn),
        other => other,
    }
}

fn previous(
    conn: &mut DbConn,
    now: chrono::NaiveDateTime,
    claim: &store::Claim<'_>,
) -> ApiResult<Option<Created>> {
    match store::lookup(conn, now, claim)? {
        Lookup::Replay { resource_id, .. } => Ok(Some(Created {
            id: resource_id,
            replayed: true,
        })),
        Lookup::Conflict => Err(store::conflict()),
        Lookup::Fresh => Ok(None),
    }
}
