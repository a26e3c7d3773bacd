//! Users — staff, deputies and viewers: the row model, queries and operations. The HTTP
//! handlers (`routes::users`), the command line and the seed all call these.
//!
//! Scope rules (README, "How access works"): a territory-bound caller creates, moves and
//! links users only inside its own subtree; nobody can widen their own reach; a deputy
//! account is bound to a territory and to one deputy record.

use baqylau_wire::auth::{Role, UpdateUser, UserSort, UserView};
use diesel::prelude::*;

use crate::audit;
use crate::auth::password::NewPassword;
use crate::auth::{self, tokens, Caller, Permission};
use crate::db::schema::{deputies, territories, users};
use crate::db::{compat, DbConn};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::clock::Clock;
use crate::kit::list::{self, Position, Slice};
use crate::kit::validate;
use crate::kit::write::{self, Change, Expected, Versioned as _};

mod enrol;

pub use enrol::{create, CheckedUser, Enrol};

crate::versioned!(UserRows, users, "user");

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

pub fn view(row: UserRow) -> ApiResult<UserView> {
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

/// One user by id, without scoping (for the signed-in person and after a change).
pub fn find(conn: &mut DbConn, id: i64) -> ApiResult<Option<UserView>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first::<UserRow>(conn)
        .optional()?
        .map(view)
        .transpose()
}

/// A new user, as typed. The password arrives checked and hashed.
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub password: NewPassword,
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

fn snapshot<'a>(user: &'a UserView, password_marker: Option<&'static str>) -> Snapshot<'a> {
    Snapshot {
        email: &user.email,
        display_name: &user.display_name,
        role: user.role.as_str(),
        territory_id: user.territory_id,
        deputy_id: user.deputy_id,
        active: user.active,
        password: password_marker,
    }
}

fn check_password(password: &NewPassword, errors: &mut Vec<FieldError>) -> Option<String> {
    match password.hash() {
        Ok(hash) => Some(hash.to_owned()),
        Err(message) => {
            errors.push(FieldError::new("password", "length", message));
            None
        }
    }
}

pub fn check_role(role: &str, errors: &mut Vec<FieldError>) -> Option<Role> {
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
    caller: &Caller,
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
        Some(p) if !caller.covers_path(&p) => errors.push(FieldError::new(
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
fn check_deputy_links(
    role: Option<Role>,
    territory_id: Option<i64>,
    deputy_id: Option<i64>,
    errors: &mut Vec<FieldError>,
) {
    if role != Some(Role::Deputy) {
        return;
    }
    if territory_id.is_none() {
        errors.push(FieldError::new(
            "territory_id",
            "required",
            "a deputy user must be bound to a territory",
        ));
    }
    if deputy_id.is_none() {
        errors.push(FieldError::new(
            "deputy_id",
            "required",
            "a deputy user must be linked to a deputy record",
        ));
    }
}

/// Which users a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub role: Option<Role>,
    pub active: Option<bool>,
}

/// The users of a list, with their territory joined for the scope.
pub type UserQuery = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::Select<
        diesel::dsl::LeftJoin<users::table, territories::table>,
        diesel::dsl::AsSelect<UserRow, crate::db::MultiBackend>,
    >,
    crate::db::MultiBackend,
>;

crate::sort_order! {
    UserSort, UserQuery, users, UserRow, |r| r;
    Newest => id desc,
    CreatedAt | CreatedAtDesc => created_at,
    UpdatedAt | UpdatedAtDesc => updated_at,
    DisplayName | DisplayNameDesc => display_name,
    Email | EmailDesc => email,
}

pub type ListRequest = list::Request<Filter, UserSort>;

/// Users of the caller's subtree, in the requested order (newest first by default).
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    req: &ListRequest,
) -> ApiResult<Slice<UserView, Position>> {
    caller.authorize(Permission::UsersManage)?;
    let filter = &req.filter;
    let filtered = || -> ApiResult<UserQuery> {
        let mut query = users::table
            .left_join(territories::table)
            .select(UserRow::as_select())
            .into_boxed();
        query = crate::within_scope!(query, territories::path, caller);
        if let Some(role) = filter.role {
            query = query.filter(users::role.eq(role.as_str()));
        }
        if let Some(active) = filter.active {
            query = query.filter(users::active.eq(active));
        }
        Ok(query)
    };
    crate::collect!(conn, req, UserRow, filtered()).try_map(view)
}

/// A user the caller may see: anyone themselves; otherwise the caller needs the
/// permission (403) and the user must be inside the caller's subtree (404).
pub fn visible(conn: &mut DbConn, caller: &Caller, id: i64) -> ApiResult<UserView> {
    if caller.user_id() != Some(id) {
        caller.authorize(Permission::UsersManage)?;
    }
    let user = find(conn, id)?.ok_or(ApiError::NotFound)?;
    if caller.user_id() == Some(id) {
        return Ok(user);
    }
    let in_scope = caller.covers(auth::territory_path(conn, user.territory_id)?.as_deref());
    if !in_scope {
        return Err(ApiError::NotFound);
    }
    Ok(user)
}

/// Changes a user. A new password or deactivation signs the user out everywhere.
pub fn update(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    id: i64,
    expected: Expected,
    patch: UpdateUser,
    password: Option<NewPassword>,
) -> ApiResult<UserView> {
    caller.authorize(Permission::UsersManage)?;
    let before = visible(conn, caller, id)?;
    // Nationwide reach is wider than any bound caller's own: refused, so that a bound
    // admin can neither unbind itself nor anyone else.
    if patch.territory_id == Some(None) && caller.territory.is_some() {
        return Err(ApiError::Forbidden(
            "a territory-bound admin cannot remove a user's territory binding".to_owned(),
        ));
    }
    let expected = expected.resolve(before.version)?;
    let mut errors = Vec::new();
    let display_name = patch
        .display_name
        .as_deref()
        .map(|name| validate::required_text("display_name", name, 200, &mut errors));
    let new_hash = password.map(|p| check_password(&p, &mut errors));
    let role = patch.role.as_deref().map(|r| check_role(r, &mut errors));
    if let Some(Some(tid)) = patch.territory_id {
        auth::check_territory(conn, caller, "territory_id", tid, &mut errors)?;
    }
    if let Some(did) = patch.deputy_id {
        check_deputy(conn, caller, did, Some(id), &mut errors)?;
    }
    let final_role = role.flatten().unwrap_or(before.role);
    let final_deputy = patch.deputy_id.unwrap_or(before.deputy_id);
    let final_territory = patch.territory_id.unwrap_or(before.territory_id);
    check_deputy_links(Some(final_role), final_territory, final_deputy, &mut errors);
    if caller.user_id() == Some(id)
        && (patch.active == Some(false) || role.flatten().is_some_and(|r| r != Role::Admin))
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
    let new_hash = new_hash.flatten();
    write::write(conn, &caller.audit_actor(), clock, |tx| {
        tx.bump::<UserRows>(id, expected)?;
        diesel::update(users::table.find(id))
            .set((
                users::display_name.eq(display_name.as_deref().unwrap_or(&before.display_name)),
                users::role.eq(final_role.as_str()),
                users::territory_id.eq(final_territory),
                users::deputy_id.eq(final_deputy),
                users::active.eq(patch.active.unwrap_or(before.active)),
            ))
            .execute(tx.conn())
            .map_err(unique_conflict)?;
        if let Some(hash) = &new_hash {
            diesel::update(users::table.find(id))
                .set(users::password_hash.eq(hash))
                .execute(tx.conn())?;
        }
        let after = find(tx.conn(), id)?.ok_or(ApiError::NotFound)?;
        if new_hash.is_some() || !after.active {
            tokens::revoke_all_for_user(tx.conn(), id)?;
        }
        let changes = audit::diff(
            Some(&snapshot(&before, None)),
            Some(&snapshot(&after, new_hash.as_ref().map(|_| "changed"))),
            &["password"],
        );
        tx.record(Change::unlogged(UserRows::ENTITY, id, "update", changes))?;
        Ok(after)
    })
}
