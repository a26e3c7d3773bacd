//! Creating a user: checked in full, with a password prepared off the database thread,
//! at most once per `Idempotency-Key`.

use baqylau_wire::auth::{CreateUser, Role, UserView};
use diesel::prelude::*;

use super::{
    check_deputy, check_deputy_links, check_password, check_role, deputy_free, email_taken, find,
    snapshot, unique_conflict, visible, NewUser, UserRows,
};
use crate::audit;
use crate::auth::password::NewPassword;
use crate::auth::{self, Caller};
use crate::db::schema::users;
use crate::db::DbConn;
use crate::error::{ApiError, ApiResult};
use crate::kit::clock::Clock;
use crate::kit::create::{self, Create, Made};
use crate::kit::op::Cx;
use crate::kit::validate;
use crate::kit::write::{Change, Tx, Versioned as _};

/// Creating a user (`POST /users`) with a password prepared (checked and hashed) off the
/// database thread. The body's own `password` is read only there.
pub struct Enrol {
    pub password: NewPassword,
}

/// A user ready to be stored.
pub struct CheckedUser {
    email: String,
    display_name: String,
    hash: String,
    role: Role,
    territory_id: Option<i64>,
    deputy_id: Option<i64>,
    active: bool,
}

crate::creation!(Enrol: CreateUser => CheckedUser => UserView,
    kind UserRows::ENTITY.name, needs UsersManage);

impl Create for Enrol {
    fn check(&self, cx: &mut Cx, body: &CreateUser) -> ApiResult<CheckedUser> {
        let (conn, caller, _) = cx.parts();
        check_new(conn, caller, body, &self.password)
    }

    fn insert(&self, tx: &mut Tx<'_>, _: &Caller, new: &CheckedUser) -> ApiResult<i64> {
        insert(tx, new)
    }

    fn view(&self, cx: &mut Cx, id: i64, _: Option<&CheckedUser>) -> ApiResult<Made<UserView>> {
        let (conn, caller, _) = cx.parts();
        let user = visible(conn, caller, id)?;
        let location = format!("/api/v1/users/{id}");
        Ok(Made::versioned(user.clone(), user.version, location))
    }
}

/// Creates a user in code (the command line, tests), as `POST /users` does.
pub fn create(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    input: NewUser,
) -> ApiResult<UserView> {
    let body = CreateUser {
        email: input.email,
        display_name: input.display_name,
        // Already prepared: `Enrol` carries it.
        password: String::new(),
        role: input.role,
        territory_id: input.territory_id,
        deputy_id: input.deputy_id,
        active: input.active,
    };
    let op = Enrol {
        password: input.password,
    };
    create::create(
        &op,
        &mut Cx::new(conn, caller, clock),
        &create::request(body),
    )
    .map(|made| made.view)
}

/// Checks every field of a new user (every problem at once, 422).
fn check_new(
    conn: &mut DbConn,
    caller: &Caller,
    input: &CreateUser,
    password: &NewPassword,
) -> ApiResult<CheckedUser> {
    let email = input.email.trim().to_lowercase();
    let mut errors = Vec::new();
    validate::email("email", &email, &mut errors);
    validate::required_text("display_name", &input.display_name, 200, &mut errors);
    let hash = check_password(password, &mut errors);
    let role = check_role(&input.role, &mut errors);
    // A territory-bound caller's users land inside its subtree: with no territory named,
    // at the caller's own (as its API keys do). Nobody bound can create a nationwide user.
    let territory_id = input
        .territory_id
        .or_else(|| caller.territory.as_ref().map(|t| t.id));
    if let Some(tid) = territory_id {
        auth::check_territory(conn, caller, "territory_id", tid, &mut errors)?;
    }
    check_deputy(conn, caller, input.deputy_id, None, &mut errors)?;
    check_deputy_links(role, territory_id, input.deputy_id, &mut errors);
    let (Some(role), Some(hash), true) = (role, hash, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    Ok(CheckedUser {
        email,
        display_name: input.display_name.trim().to_owned(),
        hash,
        role,
        territory_id,
        deputy_id: input.deputy_id,
        active: input.active,
    })
}

fn insert(tx: &mut Tx<'_>, new: &CheckedUser) -> ApiResult<i64> {
    let CheckedUser {
        email,
        display_name,
        hash,
        role,
        territory_id,
        ..
    } = new;
    let taken: Option<i64> = users::table
        .filter(users::email.eq(&email))
        .select(users::id)
        .first(tx.conn())
        .optional()?;
    if taken.is_some() {
        return Err(email_taken());
    }
    if let Some(deputy_id) = new.deputy_id {
        deputy_free(tx.conn(), deputy_id, None)?;
    }
    let now = tx.now();
    let id: i64 = diesel::insert_into(users::table)
        .values((
            users::email.eq(email),
            users::display_name.eq(display_name),
            users::password_hash.eq(hash),
            users::role.eq(role.as_str()),
            users::territory_id.eq(territory_id),
            users::deputy_id.eq(new.deputy_id),
            users::active.eq(new.active),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .returning(users::id)
        .get_result(tx.conn())
        .map_err(unique_conflict)?;
    let user = find(tx.conn(), id)?.ok_or(ApiError::NotFound)?;
    tx.record(Change::unlogged(
        UserRows::ENTITY,
        id,
        "create",
        audit::diff(None, Some(&snapshot(&user, Some("set"))), &["password"]),
    ))?;
    Ok(id)
}
