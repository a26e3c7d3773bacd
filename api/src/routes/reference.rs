//! Territories (KATO), appeal categories and the working-day calendar.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use baqylau_wire::common::Page;
use baqylau_wire::reference::{
    AppealCategory, CalendarDay, CreateTerritory, Territory, UpdateTerritory,
};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::audit;
use crate::auth::{self, Caller, Permission};
use crate::db::schema::{appeal_categories, calendar_days, territories};
use crate::db::{compat, DbConn};
use crate::error::{ApiError, ApiResult, FieldError, Problem};
use crate::extract::{
    decode_key_cursor, decode_sync_cursor, encode_key_cursor, encode_sync_cursor, etag, if_match,
    page_limit, paginate, parse_timestamp, Body, Query,
};
use crate::reference::TerritoryLevel;
use crate::state::AppState;
use crate::validate;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_territories)
        .service(get_territory)
        .service(children)
        .service(create_territory)
        .service(update_territory)
        .service(categories)
        .service(calendar);
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = territories)]
struct TerritoryRow {
    id: i64,
    parent_id: Option<i64>,
    level: String,
    kato_code: String,
    name_kk: Option<String>,
    name_ru: String,
    name_en: Option<String>,
    updated_at: NaiveDateTime,
    deleted_at: Option<NaiveDateTime>,
    version: i64,
}

fn view(row: TerritoryRow) -> QueryResult<Territory> {
    Ok(Territory {
        id: row.id,
        parent_id: row.parent_id,
        level: crate::db::enum_column("territories", "level", &row.level)?,
        kato_code: row.kato_code,
        name_kk: row.name_kk,
        name_ru: row.name_ru,
        name_en: row.name_en,
        updated_at: row.updated_at.and_utc(),
        version: row.version,
        deleted: row.deleted_at.is_some(),
    })
}

fn find(conn: &mut DbConn, id: i64) -> ApiResult<Territory> {
    Ok(view(
        territories::table
            .find(id)
            .filter(territories::deleted_at.is_null())
            .select(TerritoryRow::as_select())
            .first(conn)?,
    )?)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TerritoryQuery {
    /// Direct children of this territory.
    pub parent_id: Option<i64>,
    #[param(value_type = Option<TerritoryLevel>)]
    pub level: Option<String>,
    /// Part of a name (Kazakh or Russian) or the start of a KATO code.
    pub q: Option<String>,
    /// Sync mode: rows changed since this time, oldest first, tombstones included.
    pub updated_since: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    pub include_total: Option<bool>,
}

/// Lists territories: by KATO code, or in sync mode by change time. Reference data:
/// every signed-in caller reads the whole classifier.
#[utoipa::path(
    tag = "reference",
    params(TerritoryQuery),
    responses((status = 200, body = Page<Territory>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")),
    security(
        ("bearer" = ["admin", "regional_staff", "district_staff", "deputy", "viewer"]),
        ("api_key" = [])
    )
)]
#[get("/territories")]
pub async fn list_territories(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<TerritoryQuery>,
) -> ApiResult<web::Json<Page<Territory>>> {
    caller.authorize(Permission::ReferenceRead)?;
    let q = query.into_inner();
    let mut errors = Vec::new();
    let limit = page_limit(q.limit, &mut errors);
    let since = parse_timestamp("updated_since", q.updated_since.as_deref(), &mut errors);
    let sync = q.updated_since.is_some();
    let (after_id, after_sync) = if sync {
        (None, decode_sync_cursor(q.cursor.as_deref(), &mut errors))
    } else {
        (decode_key_cursor(q.cursor.as_deref(), &mut errors), None)
    };
    if let Some(level) = &q.level {
        if TerritoryLevel::parse(level).is_none() {
            errors.push(FieldError::new(
                "level",
                "one_of",
                format!("must be one of {}", TerritoryLevel::choices()),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let page = state
        .db
        .run(move |conn| {
            let filtered = || {
                let mut query = territories::table.into_boxed();
                if !sync {
                    query = query.filter(territories::deleted_at.is_null());
                }
                if let Some(since) = since {
                    query = query.filter(territories::updated_at.ge(since));
                }
                if let Some(parent) = q.parent_id {
                    query = query.filter(territories::parent_id.eq(parent));
                }
                if let Some(level) = &q.level {
                    query = query.filter(territories::level.eq(level.clone()));
                }
                if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    // SQLite's LIKE folds ASCII case only, so try the usual spellings of a
                    // Cyrillic name: as typed, lower case, and capitalised.
                    let lower = text.to_lowercase();
                    let capital: String = lower
                        .chars()
                        .enumerate()
                        .map(|(i, c)| {
                            if i == 0 {
                                c.to_uppercase().next().unwrap_or(c)
                            } else {
                                c
                            }
                        })
                        .collect();
                    let mut cond = Box::new(territories::kato_code.like(format!("{text}%")))
                        as Box<
                            dyn BoxableExpression<
                                territories::table,
                                crate::db::MultiBackend,
                                SqlType = diesel::sql_types::Bool,
                            >,
                        >;
                    for variant in [text.to_owned(), lower, capital] {
                        let pattern = format!("%{variant}%");
                        cond = Box::new(
                            cond.or(territories::name_ru.like(pattern.clone()))
                                .or(territories::name_kk.like(pattern).assume_not_null()),
                        );
                    }
                    query = query.filter(cond);
                }
                query
            };
            let mut query = filtered();
            if let Some((t, id)) = after_sync {
                query = query.filter(
                    territories::updated_at
                        .gt(t)
                        .or(territories::updated_at.eq(t).and(territories::id.gt(id))),
                );
            }
            if let Some(kato) = after_id {
                query = query.filter(territories::kato_code.gt(kato));
            }
            let query = if sync {
                query.order((territories::updated_at.asc(), territories::id.asc()))
            } else {
                query.order(territories::kato_code.asc())
            };
            let rows: Vec<TerritoryRow> = query
                .limit(limit + 1)
                .select(TerritoryRow::as_select())
                .load(conn)?;
            let (rows, next_cursor) = paginate(rows, limit, |last| {
                if sync {
                    encode_sync_cursor(last.updated_at, last.id)
                } else {
                    encode_key_cursor(&last.kato_code)
                }
            });
            let total = if q.include_total == Some(true) {
                Some(filtered().count().get_result::<i64>(conn)?)
            } else {
                None
            };
            Ok(Page {
                items: rows.into_iter().map(view).collect::<QueryResult<_>>()?,
                next_cursor,
                total,
            })
        })
        .await?;
    Ok(web::Json(page))
}

/// One territory, with `ETag`.
#[utoipa::path(
    tag = "reference",
    params(("id" = i64, Path, description = "Territory id")),
    responses((status = 200, body = Territory), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(
        ("bearer" = ["admin", "regional_staff", "district_staff", "deputy", "viewer"]),
        ("api_key" = [])
    )
)]
#[get("/territories/{id}")]
pub async fn get_territory(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::ReferenceRead)?;
    let id = id.into_inner();
    let t = state.db.run(move |conn| find(conn, id)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("ETag", etag(t.version)))
        .json(t))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChildrenQuery {
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    pub include_total: Option<bool>,
}

/// The direct children of a territory, by KATO code, a page at a time.
///
/// A list like every other (`{items, next_cursor}`): a city can have more children than
/// one page.
#[utoipa::path(
    tag = "reference",
    params(("id" = i64, Path, description = "Territory id"), ChildrenQuery),
    responses((status = 200, body = Page<Territory>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")),
    security(
        ("bearer" = ["admin", "regional_staff", "district_staff", "deputy", "viewer"]),
        ("api_key" = [])
    )
)]
#[get("/territories/{id}/children")]
pub async fn children(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    query: Query<ChildrenQuery>,
) -> ApiResult<web::Json<Page<Territory>>> {
    caller.authorize(Permission::ReferenceRead)?;
    let id = id.into_inner();
    let q = query.into_inner();
    let mut errors = Vec::new();
    let limit = page_limit(q.limit, &mut errors);
    let after = decode_key_cursor(q.cursor.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let page = state
        .db
        .run(move |conn| {
            find(conn, id)?;
            let filtered = || {
                territories::table
                    .filter(territories::parent_id.eq(id))
                    .filter(territories::deleted_at.is_null())
                    .into_boxed()
            };
            let mut query = filtered();
            if let Some(kato) = after {
                query = query.filter(territories::kato_code.gt(kato));
            }
            let rows: Vec<TerritoryRow> = query
                .order(territories::kato_code.asc())
                .limit(limit + 1)
                .select(TerritoryRow::as_select())
                .load(conn)?;
            let (rows, next_cursor) =
                paginate(rows, limit, |last| encode_key_cursor(&last.kato_code));
            let total = if q.include_total == Some(true) {
                Some(filtered().count().get_result::<i64>(conn)?)
            } else {
                None
            };
            Ok(Page {
                items: rows.into_iter().map(view).collect::<QueryResult<_>>()?,
                next_cursor,
                total,
            })
        })
        .await?;
    Ok(web::Json(page))
}

/// Territory names: Russian required on creation; any name given must be 1–200 characters.
fn check_names(
    name_ru: Option<&str>,
    name_kk: Option<&str>,
    name_en: Option<&str>,
    errors: &mut Vec<FieldError>,
) {
    for (field, value) in [
        ("name_ru", name_ru),
        ("name_kk", name_kk),
        ("name_en", name_en),
    ] {
        if let Some(v) = value {
            validate::required_text(field, v, 200, errors);
        }
    }
}

/// Adds a territory under a parent (admin). The KATO code is unique.
#[utoipa::path(
    tag = "reference",
    request_body = CreateTerritory,
    responses((status = 201, body = Territory), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")),
    security(("bearer" = ["admin"]))
)]
#[post("/territories")]
pub async fn create_territory(
    state: web::Data<AppState>,
    caller: Caller,
    body: Body<CreateTerritory>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::ReferenceWrite)?;
    let body = body.parse()?;
    let mut errors = Vec::new();
    if TerritoryLevel::parse(&body.level).is_none() {
        errors.push(FieldError::new(
            "level",
            "one_of",
            "unknown territory level",
        ));
    }
    if body.kato_code.len() != 9 || !body.kato_code.bytes().all(|b| b.is_ascii_digit()) {
        errors.push(FieldError::new("kato_code", "format", "must be 9 digits"));
    }
    check_names(
        Some(&body.name_ru),
        body.name_kk.as_deref(),
        body.name_en.as_deref(),
        &mut errors,
    );
    let created = state
        .db
        .run(move |conn| {
            let parent_path = match body.parent_id {
                None if body.level != "region" => {
                    errors.push(FieldError::new(
                        "parent_id",
                        "required",
                        "only a region has no parent",
                    ));
                    None
                }
                // A new region sits at the root, which only unbound admins cover.
                None if !caller.covers_path("/") => {
                    errors.push(FieldError::new(
                        "parent_id",
                        "out_of_scope",
                        "outside your territory",
                    ));
                    None
                }
                None => Some("/".to_owned()),
                Some(pid) => auth::check_territory(conn, &caller, "parent_id", pid, &mut errors)?,
            };
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            let path = format!("{}{}/", parent_path.unwrap_or_default(), body.kato_code);
            compat::write_transaction(conn, |conn| {
                let now = compat::now();
                let id: i64 = diesel::insert_into(territories::table)
                    .values((
                        territories::parent_id.eq(body.parent_id),
                        territories::level.eq(&body.level),
                        territories::kato_code.eq(&body.kato_code),
                        territories::name_kk.eq(body.name_kk.as_deref().map(str::trim)),
                        territories::name_ru.eq(body.name_ru.trim()),
                        territories::name_en.eq(body.name_en.as_deref().map(str::trim)),
                        territories::path.eq(&path),
                        territories::created_at.eq(now),
                        territories::updated_at.eq(now),
                    ))
                    .returning(territories::id)
                    .get_result(conn)
                    .map_err(|e| {
                        if compat::is_unique_violation(&e) {
                            ApiError::conflict(
                                "kato_code_taken",
                                "a territory with this KATO code exists",
                            )
                        } else {
                            e.into()
                        }
                    })?;
                let t = find(conn, id)?;
                audit::record(
                    conn,
                    &caller.audit_actor(),
                    "territory",
                    id,
                    "create",
                    audit::diff(None, Some(&t), &[]),
                )?;
                Ok(t)
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/territories/{}", created.id)))
        .insert_header(("ETag", etag(created.version)))
        .json(created))
}

/// Renames a territory (admin, `If-Match`).
#[utoipa::path(
    tag = "reference",
    params(("id" = i64, Path, description = "Territory id")),
    request_body = UpdateTerritory,
    responses(
        (status = 200, body = Territory), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 412, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 428, body = Problem, content_type = "application/problem+json")
    ),
    security(("bearer" = ["admin"]))
)]
#[patch("/territories/{id}")]
pub async fn update_territory(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: web::Path<i64>,
    body: Body<UpdateTerritory>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::ReferenceWrite)?;
    let id = id.into_inner();
    let patch = body.parse()?;
    let condition = if_match(&req);
    let mut errors = Vec::new();
    check_names(
        patch.name_ru.as_deref(),
        patch.name_kk.clone().flatten().as_deref(),
        patch.name_en.clone().flatten().as_deref(),
        &mut errors,
    );
    let updated = state
        .db
        .run(move |conn| {
            let path: String = territories::table
                .find(id)
                .filter(territories::deleted_at.is_null())
                .select(territories::path)
                .first(conn)?;
            if !caller.covers_path(&path) {
                return Err(ApiError::NotFound);
            }
            let condition = condition?;
            if !errors.is_empty() {
                return Err(ApiError::Validation(errors));
            }
            compat::write_transaction(conn, |conn| {
                let before = find(conn, id)?;
                let expected = condition.expected_version(before.version)?;
                let changed = diesel::update(
                    territories::table
                        .filter(territories::id.eq(id))
                        .filter(territories::version.eq(expected)),
                )
                .set((
                    territories::name_ru.eq(patch
                        .name_ru
                        .as_deref()
                        .map(str::trim)
                        .unwrap_or(&before.name_ru)),
                    territories::name_kk
                        .eq(patch.name_kk.clone().unwrap_or(before.name_kk.clone())),
                    territories::name_en
                        .eq(patch.name_en.clone().unwrap_or(before.name_en.clone())),
                    territories::updated_at.eq(compat::now()),
                    territories::version.eq(territories::version + 1),
                ))
                .execute(conn)?;
                if changed == 0 {
                    return Err(ApiError::PreconditionFailed);
                }
                let after = find(conn, id)?;
                audit::record(
                    conn,
                    &caller.audit_actor(),
                    "territory",
                    id,
                    "update",
                    audit::diff(Some(&before), Some(&after), &[]),
                )?;
                Ok(after)
            })
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("ETag", etag(updated.version)))
        .json(updated))
}

/// The appeal categories, in their display order.
#[utoipa::path(
    tag = "reference",
    responses((status = 200, body = Vec<AppealCategory>), (status = 401, body = Problem, content_type = "application/problem+json")),
    security(
        ("bearer" = ["admin", "regional_staff", "district_staff", "deputy", "viewer"]),
        ("api_key" = [])
    )
)]
#[get("/appeal-categories")]
pub async fn categories(
    state: web::Data<AppState>,
    caller: Caller,
) -> ApiResult<web::Json<Vec<AppealCategory>>> {
    caller.authorize(Permission::ReferenceRead)?;
    let rows = state
        .db
        .run(|conn| {
            let rows: Vec<(String, String, String, String, String)> = appeal_categories::table
                .filter(appeal_categories::active.eq(true))
                .order(appeal_categories::position.asc())
                .select((
                    appeal_categories::code,
                    appeal_categories::group_code,
                    appeal_categories::name_kk,
                    appeal_categories::name_ru,
                    appeal_categories::name_en,
                ))
                .load(conn)?;
            Ok(rows)
        })
        .await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|(code, group, name_kk, name_ru, name_en)| AppealCategory {
                code,
                group,
                name_kk,
                name_ru,
                name_en,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// The year (default: the current year).
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
}

/// The days off of a year that fall on weekdays (holidays, transfers), from which
/// appeal deadlines are counted.
#[utoipa::path(
    tag = "reference",
    params(CalendarQuery),
    responses((status = 200, body = Vec<CalendarDay>), (status = 401, body = Problem, content_type = "application/problem+json")),
    security(
        ("bearer" = ["admin", "regional_staff", "district_staff", "deputy", "viewer"]),
        ("api_key" = [])
    )
)]
#[get("/calendar")]
pub async fn calendar(
    state: web::Data<AppState>,
    caller: Caller,
    query: Query<CalendarQuery>,
) -> ApiResult<web::Json<Vec<CalendarDay>>> {
    caller.authorize(Permission::ReferenceRead)?;
    use chrono::Datelike;
    let year = query.year.unwrap_or_else(|| chrono::Utc::now().year());
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::validation(
            "year",
            "range",
            "must be between 2000 and 2100",
        ));
    }
    let (Some(from), Some(to)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(ApiError::validation(
            "year",
            "range",
            "is not a calendar year",
        ));
    };
    let rows = state
        .db
        .run(move |conn| {
            let rows: Vec<(NaiveDate, String, String, String, String, Option<String>)> =
                calendar_days::table
                    .filter(calendar_days::day.between(from, to))
                    .order(calendar_days::day.asc())
                    .select((
                        calendar_days::day,
                        calendar_days::kind,
                        calendar_days::name_kk,
                        calendar_days::name_ru,
                        calendar_days::name_en,
                        calendar_days::note,
                    ))
                    .load(conn)?;
            rows.into_iter()
                .map(|(date, kind, name_kk, name_ru, name_en, note)| {
                    Ok(CalendarDay {
                        date,
                        kind: crate::db::enum_column("calendar_days", "kind", &kind)?,
                        name_kk,
                        name_ru,
                        name_en,
                        note,
                    })
                })
                .collect::<ApiResult<Vec<_>>>()
        })
        .await?;
    Ok(web::Json(rows))
}
