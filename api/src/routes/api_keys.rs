//! API keys for integrations (admin only). The secret is shown once, at creation.

use actix_web::{delete, get, post, web, HttpResponse};
use baqylau_wire::auth::{ApiKeyView, CreateApiKey, CreatedApiKey, Scope};
use baqylau_wire::common::Page;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::audit;
use crate::auth::{self, keys, Caller, Permission};
use crate::db::schema::{api_keys, territories};
use crate::db::{compat, DbConn};
use crate::error::{ApiError, ApiResult, FieldError, Problem};
use crate::extract::{decode_cursor, encode_cursor, page_limit, paginate, Body};
use crate::state::AppState;
use crate::validate;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_keys).service(create).service(revoke);
}

/// The columns of a key the API shows (never the secret's hash).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_keys)]
struct KeyRow {
    id: i64,
    name: String,
    prefix: String,
    scopes: String,
    territory_id: Option<i64>,
    created_by: Option<i64>,
    created_at: NaiveDateTime,
    last_used_at: Option<NaiveDateTime>,
    revoked_at: Option<NaiveDateTime>,
}

fn view(row: KeyRow) -> QueryResult<ApiKeyView> {
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

pub fn find_key(conn: &mut DbConn, id: i64) -> ApiResult<ApiKeyView> {
    Ok(view(
        api_keys::table
            .find(id)
            .select(KeyRow::as_select())
            .first(conn)?,
    )?)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KeyQuery {
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// Include revoked keys (default false).
    pub include_revoked: Option<bool>,
}

/// Lists API keys, newest first (without secrets).
#[utoipa::path(
    tag = "api-keys",
    params(KeyQuery),
    responses((status = 200, body = Page<ApiKeyView>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = ["admin"]))
)]
#[get("/api-keys")]
pub async fn list_keys(
    state: web::Data<AppState>,
    caller: Caller,
    query: crate::extract::Query<KeyQuery>,
) -> ApiResult<web::Json<Page<ApiKeyView>>> {
    caller.authorize(Permission::KeysManage)?;
    let q = query.into_inner();
    let mut errors = Vec::new();
    let limit = page_limit(q.limit, &mut errors);
    let after = decode_cursor(q.cursor.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let page = state
        .db
        .run(move |conn| {
            let mut query = api_keys::table.left_join(territories::table).into_boxed();
            query = crate::within_scope!(query, territories::path, caller);
            if q.include_revoked != Some(true) {
                query = query.filter(api_keys::revoked_at.is_null());
            }
            if let Some(after) = after {
                query = query.filter(api_keys::id.lt(after));
            }
            let rows: Vec<KeyRow> = query
                .order(api_keys::id.desc())
                .limit(limit + 1)
                .select(KeyRow::as_select())
                .load(conn)?;
            let (rows, next_cursor) = paginate(rows, limit, |r| encode_cursor(r.id));
            Ok(Page {
                next_cursor,
                items: rows.into_iter().map(view).collect::<QueryResult<_>>()?,
                total: None,
            })
        })
        .await?;
    Ok(web::Json(page))
}

/// Creates a key. The response carries the secret — the only time it is shown.
#[utoipa::path(
    tag = "api-keys",
    operation_id = "create_key",
    request_body = CreateApiKey,
    responses((status = 201, body = CreatedApiKey), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = ["admin"]))
)]
#[post("/api-keys")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Body<CreateApiKey>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::KeysManage)?;
    let body = body.parse()?;
    let mut errors = Vec::new();
    let name = validate::required_text("name", &body.name, 200, &mut errors);
    if body.scopes.is_empty() {
        errors.push(FieldError::new(
            "scopes",
            "required",
            "name at least one scope",
        ));
    }
    let mut scopes = Vec::new();
    for (i, scope) in body.scopes.iter().enumerate() {
        match Scope::parse(scope) {
            Some(scope) => scopes.push(scope.as_str()),
            None => errors.push(FieldError::new(
                format!("scopes[{i}]"),
                "one_of",
                format!("unknown scope; known: {}", Scope::choices()),
            )),
        }
    }
    scopes.sort();
    scopes.dedup();
    let created = state
        .db
        .run(move |conn| {
            let territory_id = match body.territory_id {
                Some(tid) => {
                    auth::check_territory(conn, &caller, "territory_id", tid, &mut errors)?;
                    Some(tid)
                }
                // A territory-bound admin's keys are bound to the same territory.
                None => caller.territory.as_ref().map(|t| t.id),
            };
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            let (secret, prefix, hash) = keys::generate();
            compat::write_transaction(conn, |conn| {
                let id: i64 = diesel::insert_into(api_keys::table)
                    .values((
                        api_keys::name.eq(&name),
                        api_keys::prefix.eq(&prefix),
                        api_keys::secret_hash.eq(&hash),
                        api_keys::scopes.eq(scopes.join(" ")),
                        api_keys::territory_id.eq(territory_id),
                        api_keys::created_by.eq(caller.user_id()),
                        api_keys::created_at.eq(compat::now()),
                    ))
                    .returning(api_keys::id)
                    .get_result(conn)?;
                let key = find_key(conn, id)?;
                audit::record(
                    conn,
                    &caller.audit_actor(),
                    "api_key",
                    id,
                    "create",
                    audit::diff(None, Some(&key), &[]),
                )?;
                Ok(CreatedApiKey { key, secret })
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/api-keys/{}", created.key.id)))
        .json(created))
}

/// Revokes a key at once. Revoking twice is harmless.
#[utoipa::path(
    tag = "api-keys",
    params(("id" = i64, Path, description = "API key id")),
    responses((status = 204), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = ["admin"]))
)]
#[delete("/api-keys/{id}")]
pub async fn revoke(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::KeysManage)?;
    let id = id.into_inner();
    state
        .db
        .run(move |conn| {
            compat::write_transaction(conn, |conn| {
                let before = find_key(conn, id)?;
                if !caller.covers(auth::territory_path(conn, before.territory_id)?.as_deref()) {
                    return Err(ApiError::NotFound);
                }
                if before.revoked_at.is_some() {
                    return Ok(());
                }
                diesel::update(api_keys::table.find(id))
                    .set((
                        api_keys::revoked_at.eq(compat::now()),
                        api_keys::version.eq(api_keys::version + 1),
                    ))
                    .execute(conn)?;
                let after = find_key(conn, id)?;
                audit::record(
                    conn,
                    &caller.audit_actor(),
                    "api_key",
                    id,
                    "revoke",
                    audit::diff(Some(&before), Some(&after), &[]),
                )?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
