//! Users: thin HTTP handlers over [`crate::users`] (admin only, except reading oneself).

use actix_web::{get, patch, post, web};
use baqylau_wire::auth::{CreateUser, Role, UpdateUser, UserSort, UserView};
use baqylau_wire::common::Page;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::password::NewPassword;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::{Body, IdempotencyKey, IfMatch, Precondition};
use crate::kit::idempotent::Idempotent;
use crate::kit::list::{Filters, ListParams, ListQuery};
use crate::kit::respond::Versioned;
use crate::routes::page;
use crate::state::AppState;
use crate::users;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_users)
        .service(create)
        .service(get_user)
        .service(update);
}

/// The list's name in its cursors.
const LIST: &str = "users";

/// A password is checked and hashed on a blocking thread before any database work.
async fn prepare_password(plain: String) -> ApiResult<NewPassword> {
    web::block(move || NewPassword::prepare(&plain))
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("hashing task failed: {e}")))?
        .map_err(ApiError::Internal)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Only this role.
    #[param(value_type = Option<Role>)]
    pub role: Option<String>,
    /// Only active (`true`) or inactive (`false`) users.
    pub active: Option<bool>,
    /// The order: `newest` (default) or a key, `-key` for descending.
    #[param(value_type = Option<UserSort>)]
    pub sort: Option<String>,
}

/// Lists users, newest first. A territory-bound admin sees the users of their subtree.
#[utoipa::path(
    tag = "users",
    params(ListParams, UserQuery),
    responses((status = 200, body = Page<UserView>), ),
    extensions(("x-permission" = json!("users.manage")))
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    caller: Caller,
    query: ListQuery<UserQuery>,
) -> ApiResult<web::Json<Page<UserView>>> {
    caller.authorize(crate::auth::Permission::UsersManage)?;
    let request: users::ListRequest = query.sorted(&state.cursors, LIST)?;
    page(&state, request.name(), move |conn| {
        users::list(conn, &caller, &request)
    })
    .await
}

impl Filters for UserQuery {
    type Checked = users::Filter;
    fn check(&self, errors: &mut Vec<crate::error::FieldError>) -> users::Filter {
        users::Filter {
            role: self
                .role
                .as_deref()
                .and_then(|r| users::check_role(r, errors)),
            active: self.active,
        }
    }
    fn sort(&self) -> Option<&str> {
        self.sort.as_deref()
    }
}

/// Creates a user (email unique; password at least 12 characters).
#[utoipa::path(
    tag = "users",
    operation_id = "create_user",
    request_body = CreateUser,
    params(IdempotencyKey),
    responses(
        (status = 201, body = UserView, headers(("Location" = String), ("ETag" = String))),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "Email already used, or the key was reused with another body"),
        ),
    extensions(("x-permission" = json!("users.manage")))
)]
#[post("/users")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Idempotent<CreateUser>,
) -> ApiResult<Versioned<UserView>> {
    caller.authorize(crate::auth::Permission::UsersManage)?;
    let request = body.parse()?;
    // Hashed off the database thread before anything is looked up (a replay does not
    // use it).
    let password = prepare_password(request.body.password.clone()).await?;
    super::create(&state, caller, Ok(request), users::Enrol { password }).await
}

/// One user, with `ETag`. Admins read the users of their subtree; every signed-in
/// person may also read their own record here (the same as `GET /me`), whatever the
/// role — the security requirement below is what reading *other* users needs.
#[utoipa::path(
    tag = "users",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = UserView, headers(("ETag" = String))), ),
    extensions(("x-permission" = json!("users.manage")))
)]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<Versioned<UserView>> {
    if caller.key_id().is_some() {
        caller.authorize(crate::auth::Permission::UsersManage)?;
    }
    let id = id.into_inner();
    let user = state
        .db
        .run(move |conn| users::visible(conn, &caller, id))
        .await?;
    Ok(Versioned::ok(user.clone(), user.version))
}

/// Changes a user (`If-Match` required). A new password or deactivation signs the user
/// out everywhere.
#[utoipa::path(
    tag = "users",
    operation_id = "update_user",
    params(("id" = i64, Path, description = "User id"), IfMatch),
    request_body = UpdateUser,
    responses(
        (status = 200, body = UserView, headers(("ETag" = String))),
    ),
    extensions(("x-permission" = json!("users.manage")))
)]
#[patch("/users/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    precondition: Precondition,
    id: web::Path<i64>,
    body: Body<UpdateUser>,
) -> ApiResult<Versioned<UserView>> {
    caller.authorize(crate::auth::Permission::UsersManage)?;
    let id = id.into_inner();
    let mut patch = body.parse()?;
    let password = match patch.password.take() {
        Some(plain) => Some(prepare_password(plain).await?),
        None => None,
    };
    let if_match = precondition.0;
    let st = state.clone();
    let user = state
        .db
        .run(move |conn| users::update(conn, &caller, &st.clock, id, if_match, patch, password))
        .await?;
    Ok(Versioned::ok(user.clone(), user.version))
}
