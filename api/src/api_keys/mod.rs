//! API keys for integrations: the row model, queries and operations. The HTTP handlers
//! (`routes::api_keys`) and `GET /me` call these.
//!
//! Scope rules (README, "How access works"): a territory-bound admin manages only the keys
//! of its subtree, and a key it creates is bound to its own territory unless it names one
//! inside it — a bound admin can never mint a nationwide key. Keys outside the caller's
//! subtree answer 404, so their existence is not revealed.

use baqylau_wire::auth::{ApiKeyView, CreatedApiKey, Scope};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit;
use crate::auth::{self, keys, Caller, Permission};
use crate::db::schema::{api_keys, territories};
use crate::db::DbConn;
use crate::error::{ApiError, ApiResult};
use crate::kit::clock::Clock;
use crate::kit::list::{PageRequest, Slice};
use crate::kit::validate;
use crate::kit::write::{self, Change};

/// The entity name in audit rows. Keys have no `updated_at`, so they take no optimistic
/// lock: the only change after creation is revocation, which is idempotent.
const ENTITY: &str = "api_key";

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

/// A new key, as typed.
pub struct NewKey {
    pub name: String,
    pub scopes: Vec<String>,
    pub territory_id: Option<i64>,
}

/// Creates a key after checking every field (every problem at once, 422). The answer
/// carries the secret: the only time it exists outside the caller's hands is here.
pub fn create(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    input: NewKey,
) -> ApiResult<CreatedApiKey> {
    caller.authorize(Permission::KeysManage)?;
    let mut errors = Vec::new();
    let name = validate::required_text("name", &input.name, 200, &mut errors);
    let scopes = validate::enum_set("scopes", &input.scopes, "scope", Scope::as_str, &mut errors);
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
    write::write(conn, &caller.audit_actor(), clock, |tx| {
        let now = tx.now();
        let id: i64 = diesel::insert_into(api_keys::table)
            .values((
                api_keys::name.eq(&name),
                api_keys::prefix.eq(&prefix),
                api_keys::secret_hash.eq(&hash),
                api_keys::scopes.eq(scopes.join(" ")),
                api_keys::territory_id.eq(territory_id),
                api_keys::created_by.eq(caller.user_id()),
                api_keys::created_at.eq(now),
            ))
            .returning(api_keys::id)
            .get_result(tx.conn())?;
        let key = find(tx.conn(), id)?.ok_or(ApiError::NotFound)?;
        tx.record(Change {
            entity: ENTITY,
            id,
            action: "create",
            event: None,
            audit: audit::diff(None, Some(&key), &[]),
        })?;
        Ok(CreatedApiKey { key, secret })
    })
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
        // The `revoked_at IS NULL` guard makes the check and the change one step: of two
        // concurrent revocations only one changes the row and writes the audit row.
        let changed = diesel::update(
            api_keys::table
                .filter(api_keys::id.eq(id))
                .filter(api_keys::revoked_at.is_null()),
        )
        .set((
            api_keys::revoked_at.eq(tx.now()),
            api_keys::version.eq(api_keys::version + 1),
        ))
        .execute(tx.conn())?;
        if changed == 0 {
            return Ok(());
        }
        let after = find(tx.conn(), id)?.ok_or(ApiError::NotFound)?;
        tx.record(Change {
            entity: ENTITY,
            id,
            action: "revoke",
            event: None,
            audit: audit::diff(Some(&before), Some(&after), &[]),
        })
    })
}
