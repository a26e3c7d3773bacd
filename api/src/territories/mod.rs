//! Territories (KATO): the row model, reading one, and the admin's changes. Lists live in
//! [`list`]. The HTTP handlers (`routes::territories`) call these.
//!
//! Territories are reference data: every signed-in caller reads the whole classifier.
//! Changing it is an admin's job, and a territory-bound admin changes only its subtree.

pub mod list;

use baqylau_wire::reference::{CreateTerritory, Territory, TerritoryLevel, UpdateTerritory};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit;
use crate::auth::{self, Caller, Permission};
use crate::db::schema::territories;
use crate::db::{compat, DbConn};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::create::{Create, Made};
use crate::kit::op::{Cx, Edit};
use crate::kit::validate;
use crate::kit::write::{self, Change, Tx, Versioned as _};

crate::versioned!(TerritoryRows, territories, "territory");

/// The columns of a territory the API shows.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = territories)]
pub struct TerritoryRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub level: String,
    pub kato_code: String,
    pub name_kk: Option<String>,
    pub name_ru: String,
    pub name_en: Option<String>,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    pub version: i64,
}

pub fn view(row: TerritoryRow) -> ApiResult<Territory> {
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

/// One live (not deleted) territory by id, without scoping.
pub fn find(conn: &mut DbConn, id: i64) -> ApiResult<Option<Territory>> {
    territories::table
        .find(id)
        .filter(territories::deleted_at.is_null())
        .select(TerritoryRow::as_select())
        .first::<TerritoryRow>(conn)
        .optional()?
        .map(view)
        .transpose()
}

/// One territory for any signed-in caller (404 when there is none).
pub fn get(conn: &mut DbConn, caller: &Caller, id: i64) -> ApiResult<Territory> {
    caller.authorize(Permission::ReferenceRead)?;
    find(conn, id)?.ok_or(ApiError::NotFound)
}

/// Territory names: any name given must be 1–200 characters.
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

fn kato_code_taken(e: diesel::result::Error) -> ApiError {
    if compat::is_unique_violation(&e) {
        ApiError::conflict("kato_code_taken", "a territory with this KATO code exists")
    } else {
        e.into()
    }
}

/// The materialised path a new territory hangs from, or the reason (recorded in
/// `errors`) why it may not be created there.
fn parent_path(
    conn: &mut DbConn,
    caller: &Caller,
    input: &CreateTerritory,
    errors: &mut Vec<FieldError>,
) -> ApiResult<Option<String>> {
    Ok(match input.parent_id {
        None if input.level != TerritoryLevel::Region.as_str() => {
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
        Some(pid) => auth::check_territory(conn, caller, "parent_id", pid, errors)?,
    })
}

/// Adding a territory under a parent inside the caller's subtree (`POST /territories`).
/// The KATO code is unique (409).
pub struct Add;

/// A territory ready to be stored: the body and its materialised path.
pub struct NewTerritory {
    input: CreateTerritory,
    path: String,
}

crate::creation!(Add: CreateTerritory => NewTerritory => Territory,
    kind TerritoryRows::ENTITY.name, needs ReferenceWrite);

impl Create for Add {
    fn check(&self, cx: &mut Cx, input: &CreateTerritory) -> ApiResult<NewTerritory> {
        let (conn, caller, _) = cx.parts();
        let mut errors = Vec::new();
        if TerritoryLevel::parse(&input.level).is_none() {
            errors.push(FieldError::new(
                "level",
                "one_of",
                "unknown territory level",
            ));
        }
        if input.kato_code.len() != 9 || !input.kato_code.bytes().all(|b| b.is_ascii_digit()) {
            errors.push(FieldError::new("kato_code", "format", "must be 9 digits"));
        }
        check_names(
            Some(&input.name_ru),
            input.name_kk.as_deref(),
            input.name_en.as_deref(),
            &mut errors,
        );
        let parent_path = parent_path(conn, caller, input, &mut errors)?;
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let path = format!("{}{}/", parent_path.unwrap_or_default(), input.kato_code);
        Ok(NewTerritory {
            input: input.clone(),
            path,
        })
    }

    fn insert(&self, tx: &mut Tx<'_>, _: &Caller, new: &NewTerritory) -> ApiResult<i64> {
        let (input, path) = (&new.input, &new.path);
        let now = tx.now();
        let id: i64 = diesel::insert_into(territories::table)
            .values((
                territories::parent_id.eq(input.parent_id),
                territories::level.eq(&input.level),
                territories::kato_code.eq(&input.kato_code),
                territories::name_kk.eq(input.name_kk.as_deref().map(str::trim)),
                territories::name_ru.eq(input.name_ru.trim()),
                territories::name_en.eq(input.name_en.as_deref().map(str::trim)),
                territories::path.eq(path),
                territories::created_at.eq(now),
                territories::updated_at.eq(now),
            ))
            .returning(territories::id)
            .get_result(tx.conn())
            .map_err(kato_code_taken)?;
        let territory = find(tx.conn(), id)?.ok_or(ApiError::NotFound)?;
        tx.record(Change::unlogged(
            TerritoryRows::ENTITY,
            id,
            "create",
            audit::diff(None, Some(&territory), &[]),
        ))?;
        Ok(id)
    }

    fn view(&self, cx: &mut Cx, id: i64, _: Option<&NewTerritory>) -> ApiResult<Made<Territory>> {
        let (conn, _, _) = cx.parts();
        // Territories are reference data every caller reads.
        let territory = find(conn, id)?.ok_or(ApiError::NotFound)?;
        let location = format!("/api/v1/territories/{id}");
        Ok(Made::versioned(
            territory.clone(),
            territory.version,
            location,
        ))
    }
}

/// Renames a territory (names only: moving one would move every path beneath it).
///
/// Answers in the order 404 (missing or outside the caller's subtree), 428 (no
/// `If-Match`), 422 (bad names), 412 (another change won).
pub fn update(cx: &mut Cx, edit: Edit<UpdateTerritory>) -> ApiResult<Territory> {
    let (conn, caller, clock) = cx.parts();
    let Edit { id, expected, body } = edit;
    caller.authorize(Permission::ReferenceWrite)?;
    let path = crate::auth::live_territory_path(conn, id)?;
    if !path.is_some_and(|p| caller.covers_path(&p)) {
        return Err(ApiError::NotFound);
    }
    expected.stated()?;
    let patch = body?;
    let mut errors = Vec::new();
    check_names(
        patch.name_ru.as_deref(),
        patch.name_kk.clone().flatten().as_deref(),
        patch.name_en.clone().flatten().as_deref(),
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let before = find(conn, id)?.ok_or(ApiError::NotFound)?;
    let expected = expected.resolve(before.version)?;
    write::write(conn, &caller.audit_actor(), clock, |tx| {
        // The bump succeeds only at `expected`, so `before` is still the row it changes.
        tx.bump::<TerritoryRows>(id, expected)?;
        diesel::update(territories::table.find(id))
            .set((
                territories::name_ru.eq(patch
                    .name_ru
                    .as_deref()
                    .map(str::trim)
                    .unwrap_or(&before.name_ru)),
                territories::name_kk.eq(patch.name_kk.clone().unwrap_or(before.name_kk.clone())),
                territories::name_en.eq(patch.name_en.clone().unwrap_or(before.name_en.clone())),
            ))
            .execute(tx.conn())?;
        let after = find(tx.conn(), id)?.ok_or(ApiError::NotFound)?;
        tx.record(Change::unlogged(
            TerritoryRows::ENTITY,
            id,
            "update",
            audit::diff(Some(&before), Some(&after), &[]),
        ))?;
        Ok(after)
    })
}
