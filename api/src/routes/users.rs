//! Users: staff, deputies and viewers (admin only, except reading oneself).

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use baqylau_wire::auth::{CreateUser, Role, UpdateUser, UserView};
use baqylau_wire::common::Page;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::audit::{self, Actor};
use crate::auth::{self, password, tokens, Caller, Permission};
use crate::db::schema::{deputies, territories, users};
use crate::db::{compat, DbConn};
use crate::error::{ApiError, ApiResult, FieldError, Problem};
use crate::extract::{
    decode_cursor, encode_cursor, etag, if_match_version, page_limit, paginate, Body,
};
use crate::startup::AppState;
use crate::validate;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_users)
        .service(create)
        .service(get_user)
        .service(update);
}

/// The columns of a user the API shows (never the password hash).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub territory_id: Option<i64>,
    pub deputy_id: Option<i64>,
    pub active: bool,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
    pub version: i64,
}

pub fn user_view(row: UserRow) -> Result<UserView, ApiError> {
    Ok(UserView {
        role: crate::db::enum_column("users", "role", &row.role)?,
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        territory_id: row.territory_id,
        deputy_id: row.deputy_id,
        active: row.active,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
        version: row.version,
    })
}

pub fn find_user(conn: &mut DbConn, id: i64) -> Result<Option<UserView>, ApiError> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first::<UserRow>(conn)
        .optional()?
        .map(user_view)
        .transpose()
}

/// A validated new user.
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub password: String,
    pub role: String,
    pub territory_id: Option<i64>,
    pub deputy_id: Option<i64>,
    pub active: bool,
}

/// The audit snapshot of a user: the password hash is never part of it.
#[derive(serde::Serialize)]
struct Snapshot<'a> {
    email: &'a str,
    display_name: &'a str,
    role: &'a str,
    territory_id: Option<i64>,
    deputy_id: Option<i64>,
    active: bool,
    password: Option<&'a str>,
}

fn snapshot(user: &UserView, password_marker: Option<&'static str>) -> serde_json::Value {
    serde_json::to_value(Snapshot {
        email: &user.email,
        display_name: &user.display_name,
        role: user.role.as_str(),
        territory_id: user.territory_id,
        deputy_id: user.deputy_id,
        active: user.active,
        password: password_marker,
    })
    .unwrap_or_default()
}

fn check_password(pass: &str, errors: &mut Vec<FieldError>) {
    if let Err(message) = password::check_strength(pass) {
        errors.push(FieldError::new("password", "length", message));
    }
}

fn check_role(role: &str, errors: &mut Vec<FieldError>) -> Option<Role> {
    let parsed = Role::parse(role);
    if parsed.is_none() {
        errors.push(FieldError::new(
            "role",
            "one_of",
            format!("must be one of {}", Role::choices()),
        ));
    }
    parsed
}

/// A deputy record a user may be linked to: it exists, lies inside the caller's subtree
/// (a bound admin must not reach another district's deputy and, through the link, the
/// appeals assigned to them), and is not linked to another user.
fn check_deputy(
    conn: &mut DbConn,
    caller: Option<&Caller>,
    id: Option<i64>,
    user_id: Option<i64>,
    errors: &mut Vec<FieldError>,
) -> ApiResult<()> {
    let Some(id) = id else { return Ok(()) };
    let path: Option<String> = deputies::table
        .find(id)
        .filter(deputies::deleted_at.is_null())
        .select(deputies::territory_path)
        .first(conn)
        .optional()?;
    match path {
        None => errors.push(FieldError::new("deputy_id", "unknown", "no such deputy")),
        Some(p) if caller.is_some_and(|c| !c.covers_path(&p)) => errors.push(FieldError::new(
            "deputy_id",
            "out_of_scope",
            "the deputy belongs to a maslikhat outside your territory",
        )),
        Some(_) => deputy_free(conn, id, user_id)?,
    }
    Ok(())
}

/// 409 `deputy_taken` when another user is already linked to the deputy record.
fn deputy_free(conn: &mut DbConn, deputy_id: i64, user_id: Option<i64>) -> ApiResult<()> {
    let holder: Option<i64> = users::table
        .filter(users::deputy_id.eq(deputy_id))
        .select(users::id)
        .first(conn)
        .optional()?;
    match holder {
        Some(other) if Some(other) != user_id => Err(deputy_taken()),
        _ => Ok(()),
    }
}

fn deputy_taken() -> ApiError {
    ApiError::conflict(
        "deputy_taken",
        "another user is already linked to this deputy record",
    )
}

fn email_taken() -> ApiError {
    ApiError::conflict("email_taken", "a user with this email already exists")
}

/// A unique violation that slipped past the checks (a concurrent write) names its column.
fn unique_conflict(e: diesel::result::Error) -> ApiError {
    if compat::violates_unique(&e, "deputy_id") {
        deputy_taken()
    } else if compat::violates_unique(&e, "email") {
        email_taken()
    } else {
        e.into()
    }
}

/// A deputy account acts within its okrug: without a territory it would register
/// appeals anywhere.
fn check_deputy_territory(
    role: Option<Role>,
    territory_id: Option<i64>,
    errors: &mut Vec<FieldError>,
) {
    if role == Some(Role::Deputy) && territory_id.is_none() {
        errors.push(FieldError::new(
            "territory_id",
            "required",
            "a deputy user must be bound to a territory",
        ));
    }
}

/// Creates a user after checking every field; used by the API and the CLI.
/// `caller` scopes the territory a user may be placed in; the command line passes `None`.
pub fn create_user(
    conn: &mut DbConn,
    caller: Option<&Caller>,
    actor: &Actor,
    input: NewUser,
) -> ApiResult<UserView> {
    let email = input.email.trim().to_lowercase();
    let mut errors = Vec::new();
    validate::email("email", &email, &mut errors);
    validate::required_text("display_name", &input.display_name, 200, &mut errors);
    check_password(&input.password, &mut errors);
    let role = check_role(&input.role, &mut errors);
    // A territory-bound caller's users land inside its subtree: with no territory named,
    // at the caller's own (as its API keys do). Nobody bound can create a nationwide user.
    let territory_id = input
        .territory_id
        .or_else(|| caller.and_then(|c| c.territory.as_ref().map(|t| t.id)));
    if let Some(tid) = territory_id {
        auth::check_territory(conn, caller, "territory_id", tid, &mut errors)?;
    }
    check_deputy_territory(role, territory_id, &mut errors);
    check_deputy(conn, caller, input.deputy_id, None, &mut errors)?;
    if role == Some(Role::Deputy) && input.deputy_id.is_none() {
        errors.push(FieldError::new(
            "deputy_id",
            "required",
            "a deputy user must be linked to a deputy record",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let role = role.unwrap_or(Role::Viewer);
    let hash = password::hash(&input.password)?;
    compat::write_transaction(conn, |conn| {
        let taken: Option<i64> = users::table
            .filter(users::email.eq(&email))
            .select(users::id)
            .first(conn)
            .optional()?;
        if taken.is_some() {
            return Err(email_taken());
        }
        if let Some(deputy_id) = input.deputy_id {
            deputy_free(conn, deputy_id, None)?;
        }
        let now = compat::now();
        let id: i64 = diesel::insert_into(users::table)
            .values((
                users::email.eq(&email),
                users::display_name.eq(input.display_name.trim()),
                users::password_hash.eq(&hash),
                users::role.eq(role.as_str()),
                users::territory_id.eq(territory_id),
                users::deputy_id.eq(input.deputy_id),
                users::active.eq(input.active),
                users::created_at.eq(now),
                users::updated_at.eq(now),
            ))
            .returning(users::id)
            .get_result(conn)
            .map_err(unique_conflict)?;
        let user = find_user(conn, id)?.ok_or(ApiError::NotFound)?;
        audit::record(
            conn,
            actor,
            "user",
            id,
            "create",
            audit::diff(None, Some(&snapshot(&user, Some("set"))), &["password"]),
        )?;
        Ok(user)
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Page size, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Only this role.
    #[param(value_type = Option<Role>)]
    pub role: Option<String>,
    /// Only active (`true`) or inactive (`false`) users.
    pub active: Option<bool>,
    /// Add the number of matching users as `total`.
    pub include_total: Option<bool>,
}

/// Lists users, newest first. A territory-bound admin sees the users of their subtree.
#[utoipa::path(
    tag = "users",
    params(UserQuery),
    responses((status = 200, body = Page<UserView>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = ["admin"]))
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<UserQuery>,
) -> ApiResult<web::Json<Page<UserView>>> {
    caller.authorize(Permission::UsersManage)?;
    let q = query.into_inner();
    let mut errors = Vec::new();
    let limit = page_limit(q.limit, &mut errors);
    let after = decode_cursor(q.cursor.as_deref(), &mut errors);
    if let Some(role) = &q.role {
        check_role(role, &mut errors);
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let page = state
        .db
        .run(move |conn| {
            let filtered = || {
                let mut query = users::table.left_join(territories::table).into_boxed();
                query = crate::within_scope!(query, territories::path, caller);
                if let Some(role) = &q.role {
                    query = query.filter(users::role.eq(role.clone()));
                }
                if let Some(active) = q.active {
                    query = query.filter(users::active.eq(active));
                }
                query
            };
            let mut query = filtered();
            if let Some(after) = after {
                query = query.filter(users::id.lt(after));
            }
            let rows: Vec<UserRow> = query
                .order(users::id.desc())
                .limit(limit + 1)
                .select(UserRow::as_select())
                .load(conn)?;
            let total = if q.include_total == Some(true) {
                Some(filtered().count().get_result::<i64>(conn)?)
            } else {
                None
            };
            page_of(rows, limit, total)
        })
        .await?;
    Ok(web::Json(page))
}

fn page_of(rows: Vec<UserRow>, limit: i64, total: Option<i64>) -> ApiResult<Page<UserView>> {
    let (rows, next_cursor) = paginate(rows, limit, |r| encode_cursor(r.id));
    Ok(Page {
        items: rows.into_iter().map(user_view).collect::<Result<_, _>>()?,
        next_cursor,
        total,
    })
}

/// Creates a user (email unique; password at least 12 characters).
#[utoipa::path(
    tag = "users",
    request_body = CreateUser,
    responses(
        (status = 201, body = UserView, headers(("Location" = String), ("ETag" = String))),
        (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "Email already used"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["admin"]))
)]
#[post("/users")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Body<CreateUser>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::UsersManage)?;
    let body = body.parse()?;
    let user = state
        .db
        .run(move |conn| {
            create_user(
                conn,
                Some(&caller),
                &caller.audit_actor(),
                NewUser {
                    email: body.email,
                    display_name: body.display_name,
                    password: body.password,
                    role: body.role,
                    territory_id: body.territory_id,
                    deputy_id: body.deputy_id,
                    active: body.active,
                },
            )
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/users/{}", user.id)))
        .insert_header(("ETag", etag(user.version)))
        .json(user))
}

/// Loads a user the caller may see: anyone themselves; otherwise the caller needs
/// the permission (403) and the user must be inside the caller's subtree (404).
fn visible_user(conn: &mut DbConn, caller: &Caller, id: i64) -> ApiResult<UserView> {
    if caller.user_id() != Some(id) {
        caller.authorize(Permission::UsersManage)?;
    }
    let user = find_user(conn, id)?.ok_or(ApiError::NotFound)?;
    if caller.user_id() == Some(id) {
        return Ok(user);
    }
    let in_scope = caller.covers(auth::territory_path(conn, user.territory_id)?.as_deref());
    if !in_scope {
        return Err(ApiError::NotFound);
    }
    Ok(user)
}

/// One user, with `ETag`. Admins read the users of their subtree; every signed-in
/// person may also read their own record here (the same as `GET /me`), whatever the
/// role — the security requirement below is what reading *other* users needs.
#[utoipa::path(
    tag = "users",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = UserView, headers(("ETag" = String))), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = ["admin"]))
)]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    if caller.key_id().is_some() {
        caller.authorize(Permission::UsersManage)?;
    }
    let id = id.into_inner();
    let user = state
        .db
        .run(move |conn| visible_user(conn, &caller, id))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("ETag", etag(user.version)))
        .json(user))
}

/// Changes a user (`If-Match` required). A new password or deactivation signs the user
/// out everywhere.
#[utoipa::path(
    tag = "users",
    params(("id" = i64, Path, description = "User id")),
    request_body = UpdateUser,
    responses(
        (status = 200, body = UserView, headers(("ETag" = String))),
        (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = ["admin"]))
)]
#[patch("/users/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<i64>,
    body: Body<UpdateUser>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::UsersManage)?;
    let id = id.into_inner();
    let patch = body.parse()?;
    let expected = if_match_version(&req);
    let mut errors = Vec::new();
    if let Some(name) = &patch.display_name {
        validate::required_text("display_name", name, 200, &mut errors);
    }
    if let Some(pass) = &patch.password {
        check_password(pass, &mut errors);
    }
    let role = match &patch.role {
        Some(r) => check_role(r, &mut errors),
        None => None,
    };
    let new_hash = match (&patch.password, errors.is_empty()) {
        (Some(p), true) => Some(password::hash(p)?),
        _ => None,
    };
    let user = state
        .db
        .run(move |conn| {
            let before = visible_user(conn, &caller, id)?;
            // Nationwide reach is wider than any bound caller's own: refused, so that a
            // bound admin can neither unbind itself nor anyone else.
            if patch.territory_id == Some(None) && caller.territory.is_some() {
                return Err(ApiError::Forbidden(
                    "a territory-bound admin cannot remove a user's territory binding".to_owned(),
                ));
            }
            let expected = expected?;
            if let Some(Some(tid)) = patch.territory_id {
                auth::check_territory(conn, Some(&caller), "territory_id", tid, &mut errors)?;
            }
            if let Some(did) = patch.deputy_id {
                check_deputy(conn, Some(&caller), did, Some(id), &mut errors)?;
            }
            let final_role = role.unwrap_or(before.role);
            let final_deputy = patch.deputy_id.unwrap_or(before.deputy_id);
            let final_territory = patch.territory_id.unwrap_or(before.territory_id);
            check_deputy_territory(Some(final_role), final_territory, &mut errors);
            if final_role == Role::Deputy && final_deputy.is_none() {
                errors.push(FieldError::new(
                    "deputy_id",
                    "required",
                    "a deputy user must be linked to a deputy record",
                ));
            }
            if caller.user_id() == Some(id)
                && (patch.active == Some(false) || role.is_some_and(|r| r != Role::Admin))
            {
                errors.push(FieldError::new(
                    "role",
                    "self_lockout",
                    "you cannot demote or deactivate yourself",
                ));
            }
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            compat::write_transaction(conn, |conn| {
                let changed = diesel::update(
                    users::table
                        .filter(users::id.eq(id))
                        .filter(users::version.eq(expected)),
                )
                .set((
                    users::display_name.eq(patch
                        .display_name
                        .as_deref()
                        .map(str::trim)
                        .unwrap_or(&before.display_name)),
                    users::role.eq(final_role.as_str()),
                    users::territory_id.eq(final_territory),
                    users::deputy_id.eq(final_deputy),
                    users::active.eq(patch.active.unwrap_or(before.active)),
                    users::updated_at.eq(compat::now()),
                    users::version.eq(users::version + 1),
                ))
                .execute(conn)
                .map_err(unique_conflict)?;
                if changed == 0 {
                    return Err(ApiError::PreconditionFailed);
                }
                if let Some(hash) = &new_hash {
                    diesel::update(users::table.find(id))
                        .set(users::password_hash.eq(hash))
                        .execute(conn)?;
                }
                let after = find_user(conn, id)?.ok_or(ApiError::NotFound)?;
                if new_hash.is_some() || !after.active {
                    tokens::revoke_all_for_user(conn, id)?;
                }
                let changes = audit::diff(
                    Some(&snapshot(&before, None)),
                    Some(&snapshot(&after, new_hash.as_ref().map(|_| "changed"))),
                    &["password"],
                );
                audit::record(conn, &caller.audit_actor(), "user", id, "update", changes)?;
                Ok(after)
            })
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("ETag", etag(user.version)))
        .json(user))
}
