//! Appeal categories: reference data every signed-in caller reads. They are loaded from
//! the embedded list (`refdata`) and retired by clearing `active`, never deleted, so that
//! old appeals keep their category.

use baqylau_wire::reference::AppealCategory;
use diesel::prelude::*;

use crate::auth::{Caller, Permission};
use crate::db::schema::appeal_categories;
use crate::db::DbConn;
use crate::error::ApiResult;

/// The columns of a category the API shows.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = appeal_categories)]
pub struct CategoryRow {
    pub code: String,
    pub group_code: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
}

pub fn view(row: CategoryRow) -> AppealCategory {
    AppealCategory {
        code: row.code,
        group: row.group_code,
        name_kk: row.name_kk,
        name_ru: row.name_ru,
        name_en: row.name_en,
    }
}

/// The active categories in their display order: a short fixed list, never paged.
pub fn list(conn: &mut DbConn, caller: &Caller) -> ApiResult<Vec<AppealCategory>> {
    caller.authorize(Permission::ReferenceRead)?;
    let rows: Vec<CategoryRow> = appeal_categories::table
        .filter(appeal_categories::active.eq(true))
        .order(appeal_categories::position.asc())
        .select(CategoryRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(view).collect())
}
