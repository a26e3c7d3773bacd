//! Deputies in the database: rows, the scoped query, and the view.

use std::collections::HashMap;

use baqylau_wire::deputies::{Deputy, MandateStatus, MaslikhatLevel, PartyRole, PartyRoleKind};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::auth::Caller;
use crate::db::schema::{deputies, deputy_party_roles, users};
use crate::db::{
    DbConn, DeputiesLevel, DeputiesMandateStatus, EnumText, MultiBackend, PartyRolesRole,
};
use crate::domain::phone::Phone;
use crate::error::{ApiError, ApiResult};

/// A deputies row, in table order.
#[derive(Debug, Clone, Queryable)]
pub struct DeputyRow {
    pub id: i64,
    pub full_name: String,
    #[diesel(deserialize_as = EnumText<DeputiesLevel>)]
    pub level: MaslikhatLevel,
    pub maslikhat_territory_id: i64,
    pub territory_path: String,
    pub okrug: Option<String>,
    pub phone: Option<Phone>,
    pub email: Option<String>,
    #[diesel(deserialize_as = EnumText<DeputiesMandateStatus>)]
    pub mandate_status: MandateStatus,
    pub mandate_status_since: Option<NaiveDate>,
    pub mandate_reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    pub version: i64,
}

#[derive(Debug, Clone, Queryable)]
pub struct RoleRow {
    pub id: i64,
    pub deputy_id: i64,
    #[diesel(deserialize_as = EnumText<PartyRolesRole>)]
    pub role: PartyRoleKind,
    pub from_on: NaiveDate,
    pub to_on: Option<NaiveDate>,
}

pub type Boxed = deputies::BoxedQuery<'static, MultiBackend>;

/// Deputies the caller may reach (see the module documentation of `deputies`; the rule
/// is `auth::deputies_within`, shared with the check of deputies named in bodies).
pub fn scoped(caller: &Caller, with_deleted: bool) -> Boxed {
    let query = crate::auth::deputies_within(caller);
    match with_deleted {
        true => query,
        false => query.filter(deputies::deleted_at.is_null()),
    }
}

/// One deputy the caller may reach, or 404.
pub fn load(conn: &mut DbConn, caller: &Caller, id: i64) -> ApiResult<DeputyRow> {
    scoped(caller, false)
        .filter(deputies::id.eq(id))
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// Re-reads a deputy after a change, without scoping (the caller was checked before).
pub fn reload(conn: &mut DbConn, id: i64) -> QueryResult<DeputyRow> {
    deputies::table.find(id).first(conn)
}

/// The party roles of these deputies, by deputy.
fn roles(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, Vec<PartyRole>>> {
    let rows: Vec<RoleRow> = deputy_party_roles::table
        .filter(deputy_party_roles::deputy_id.eq_any(ids))
        .order((
            deputy_party_roles::from_on.asc(),
            deputy_party_roles::id.asc(),
        ))
        .load(conn)?;
    let mut out: HashMap<i64, Vec<PartyRole>> = HashMap::new();
    for r in rows {
        out.entry(r.deputy_id).or_default().push(PartyRole {
            role: r.role,
            from: r.from_on,
            to: r.to_on,
        });
    }
    Ok(out)
}

/// The user accounts linked to these deputies, by deputy.
fn linked_users(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, i64>> {
    let rows: Vec<(Option<i64>, i64)> = users::table
        .filter(users::deputy_id.eq_any(ids))
        .select((users::deputy_id, users::id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(d, u)| d.map(|d| (d, u)))
        .collect())
}

/// The views of several deputies, with two queries whatever their number.
pub fn views(conn: &mut DbConn, rows: Vec<DeputyRow>) -> ApiResult<Vec<Deputy>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut roles = roles(conn, &ids)?;
    let users = linked_users(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|r| Deputy {
            party_roles: roles.remove(&r.id).unwrap_or_default(),
            user_id: users.get(&r.id).copied(),
            id: r.id,
            full_name: r.full_name,
            level: r.level,
            maslikhat_territory_id: r.maslikhat_territory_id,
            okrug: r.okrug,
            phone: r.phone.map(|p| p.as_str().to_owned()),
            email: r.email,
            mandate_status: r.mandate_status,
            mandate_status_since: r.mandate_status_since,
            mandate_reason: r.mandate_reason,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
            version: r.version,
            deleted: r.deleted_at.is_some(),
        })
        .collect())
}

pub fn view(conn: &mut DbConn, row: DeputyRow) -> ApiResult<Deputy> {
    views(conn, vec![row])?
        .pop()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("deputy view lost its row")))
}

/// What the audit trail keeps of a deputy (the official contact is not personal data
/// of a private person; it is public to staff).
#[derive(serde::Serialize)]
pub struct Snapshot {
    pub full_name: String,
    pub level: MaslikhatLevel,
    pub maslikhat_territory_id: i64,
    pub okrug: Option<String>,
    pub phone: Option<Phone>,
    pub email: Option<String>,
    pub mandate_status: MandateStatus,
    pub mandate_status_since: Option<NaiveDate>,
    pub mandate_reason: Option<String>,
    pub party_roles: Vec<PartyRole>,
}

pub fn snapshot(conn: &mut DbConn, r: &DeputyRow) -> QueryResult<Snapshot> {
    let party_roles = roles(conn, &[r.id])?.remove(&r.id).unwrap_or_default();
    Ok(Snapshot {
        full_name: r.full_name.clone(),
        level: r.level,
        maslikhat_territory_id: r.maslikhat_territory_id,
        okrug: r.okrug.clone(),
        phone: r.phone.clone(),
        email: r.email.clone(),
        mandate_status: r.mandate_status,
        mandate_status_since: r.mandate_status_since,
        mandate_reason: r.mandate_reason.clone(),
        party_roles,
    })
}
