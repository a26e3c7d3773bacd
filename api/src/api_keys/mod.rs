//! API keys for integrations: the row model, queries and operations. The HTTP handlers
//! (`routes::api_keys`) and `GET /me` call these.
//!
//! Scope rules (README, "How access works"): a territory-bound admin manages only the keys
//! of its subtree, and a key it creates is bound to its own territory unless it names one
//! inside it — a bound admin can never mint a nationwide key. Keys outside the caller's
//! subtree answer 404, so their existence is not revealed.

use baqylau_wire::auth::{ApiKeyView, CreateApiKey, CreatedApiKey, Scope};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit;
use crate::auth::{self, keys, Caller, Permission};
use crate::db::schema::{api_keys, territories};
use crate::db::DbConn;
use crate::error::{ApiError, ApiResult};
use crate::kit::clock::Clock;
use crate::kit::create::{Create, Made};
use crate::kit::list::{PageRequest, Slice};
use crate::kit::op::Cx;
use crate::kit::validate;
use crate::kit::write::{self, Change, Tx, Versioned as _};

// Keys have no `updated_at`: their version moves (on revocation, the only change after
// creation) without a stamp.
crate::versioned!(ApiKeyRows, api_keys, "api_key", unstamped);

/// The columns of a key the API shows (never the secret's hash).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_keys)]
pub struct KeyRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub scopes: String,
    pub territory_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn view(row: KeyRow) -> ApiResult<ApiKeyView> {
    Ok(ApiKeyView {
        id: row.id,
        name: row.name,
        prefix: row.prefix,
        scopes: row
            .scopes
            .split_whitespace()
            .map(|s| crate::db::enum_column("api_keys", "scopes", s))
            .collect::<QueryResult<_>>()?,
        territory_id: row.territory_id,
        created_by: row.created_by,
        created_at: row.created_at.and_utc(),
        last_used_at: row.last_used_at.map(|t| t.and_utc()),
        revoked_at: row.revoked_at.map(|t| t.and_utc()),
    })
}

/// One key by id, without scoping (for the calling key itself and after a change).
pub fn find(conn: &mut DbConn, id: i64) -> ApiResult<Option<ApiKeyView>> {
    api_keys::table
        .find(id)
        .select(KeyRow::as_select())
        .first::<KeyRow>(conn)
        .optional()?
        .map(view)
        .transpose()
}

/// A key the caller may manage: it exists and lies inside the caller's subtree (404
/// otherwise; a nationwide key is outside every bound caller's subtree).
fn visible(conn: &mut DbConn, caller: &Caller, id: i64) -> ApiResult<ApiKeyView> {
    let key = find(conn, id)?.ok_or(ApiError::NotFound)?;
    if !caller.covers(auth::territory_path(conn, key.territory_id)?.as_deref()) {
        return Err(ApiError::NotFound);
    }
    Ok(key)
}

/// Creating a key (`POST /api-keys`). The answer carries the secret, made in
/// [`Create::check`] and stored only as a hash: a replay of the same `Idempotency-Key`
/// answers the same key with `secret` empty, because the secret no longer exists
/// anywhere but in the first answer.
pub struct Mint;

/// A key ready to be stored, with its secret.
pub struct NewKey {
    name: String,
    scopes: Vec<&'static str>,
    territory_id: Option<i64>,
    secret: String,
    prefix: String,
    hash: String,
}

crate::creation!(Mint: CreateApiKey => NewKey => CreatedApiKey,
    kind ApiKeyRows::ENTITY.name, needs KeysManage);

impl Create for Mint {
    fn check(&self, cx: &mut Cx, input: &CreateApiKey) -> ApiResult<NewKey> {
        let (conn, caller, _) = cx.parts();
        let mut errors = Vec::new();
        let name = validate::required_text("name", &input.name, 200, &mut errors);
        let scopes =
            validate::enum_set("scopes", &input.scopes, "scope", Scope::as_str, &mut errors);
        let territory_id = match input.territory_id {
            Some(tid) => {
                auth::check_territory(conn, caller, "territory_id", tid, &mut errors)?;
                Some(tid)
            }
            // A territory-bound admin's keys are bound to the same territory.
            None => caller.territory.as_ref().map(|t| t.id),
        };
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let (secret, prefix, hash) = keys::generate();
        Ok(NewKey {
            name,
            scopes,
            territory_id,
            secret,
            prefix,
            hash,
        })
    }

    fn insert(&self, tx: &mut Tx<'_>, caller: &Caller, new: &NewKey) -> ApiResult<i64> {
        let now = tx.now();
        let id: i64 = diesel::insert_into(api_keys::table)
            .values((
                api_keys::name.eq(&new.name),
                api_keys::prefix.eq(&new.prefix),
                api_keys::secret_hash.eq(&new.hash),
                api_keys::scopes.eq(new.scopes.join(" ")),
                api_keys::territory_id.eq(new.territory_id),
                api_keys::created_by.eq(caller.user_id()),
                api_keys::created_at.eq(now),
            ))
            .returning(api_keys::id)
            .get_result(tx.conn())?;
        let key = find(tx.conn(), id)?.ok_or(ApiError::NotFound)?;
        tx.record(Change::unlogged(
            ApiKeyRows::ENTITY,
            id,
            "create",
            audit::diff(None, Some(&key), &[]),
        ))?;
        Ok(id)
    }

    fn view(&self, cx: &mut Cx, id: i64, fresh: Option<&NewKey>) -> ApiResult<Made<CreatedApiKey>> {
        let (conn, caller, _) = cx.parts();
        let key = visible(conn, caller, id)?;
        let secret = fresh.map(|new| new.secret.clone()).unwrap_or_default();
        // No ETag: a key has no representation of its own to fetch or change
        // conditionally.
        let location = format!("/api/v1/api-keys/{id}");
        Ok(Made::unversioned(CreatedApiKey { key, secret }, location))
    }
}

/// Which keys a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub include_revoked: bool,
}

/// Keys of the caller's subtree, newest first (the key is the id).
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    filter: &Filter,
    page: &PageRequest<i64>,
) -> ApiResult<Slice<ApiKeyView, i64>> {
    caller.authorize(Permission::KeysManage)?;
    let filtered = || -> ApiResult<_> {
        let query = api_keys::table
            .left_join(territories::table)
            .select(KeyRow::as_select())
            .into_boxed();
        let mut query = crate::within_scope!(query, territories::path, caller);
        if !filter.include_revoked {
            query = query.filter(api_keys::revoked_at.is_null());
        }
        Ok(query)
    };
    crate::collect_by_id!(conn, page, KeyRow, api_keys::id, desc, filtered()).try_map(view)
}

/// Revokes a key at once. Revoking a revoked key changes nothing and audits nothing, so
/// a retried or concurrent revocation is harmless.
pub fn revoke(conn: &mut DbConn, caller: &Caller, clock: &Clock, id: i64) -> ApiResult<()> {
    caller.authorize(Permission::KeysManage)?;
    visible(conn, caller, id)?;
    write::write(conn, &caller.audit_actor(), clock, |tx| {
        let before = find(tx.conn(), id)?.ok_or(ApiError::NotFound)?;
        if before.revoked_at.is_some() {
            return Ok(());
        }
        let version: i64 = api_keys::table
            .find(id)
            .select(api_keys::version)
            .first(tx.conn())?;
        // Of two concurrent revocations only one moves the version; the other finds the
        // key revoked by then and changes nothing, audits nothing.
        match tx.bump::<ApiKeyRows>(id, version) {
            Err(ApiError::PreconditionFailed) => return Ok(()),
            moved => moved?,
        };
        diesel::update(api_keys::table.find(id))
            .set(api_keys::revoked_at.eq(tx.now()))
            .execute(tx.conn())?;
        let after = find(tx.conn(), id)?.ok_or(ApiError::NotFound)?;
        tx.record(Change::unlogged(
            ApiKeyRows::ENTITY,
            id,
            "revoke",
            audit::diff(Some(&before), Some(&after), &[]),
        ))
    })
}
