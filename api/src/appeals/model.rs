//! Appeals in the database: rows, the scoped query, registration numbers, views.

use baqylau_wire::appeals::{Appeal, Citizen};
use baqylau_wire::personal::{Disclosure, PersonalEmail, PersonalIin, PersonalPhone};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::auth::{Caller, Permission};
use crate::db::schema::{appeal_citizens, appeals, reg_counters, territories};
use crate::db::{
    compat, AppealsChannel, AppealsLanguage, AppealsStatus, DbConn, EnumText, MultiBackend,
};
use crate::domain::appeal::{is_overdue, Channel, Language, Lifecycle, Status};
use crate::domain::iin::Iin;
use crate::domain::phone::Phone;
use crate::error::{ApiError, ApiResult};

/// An appeals row, in table order.
#[derive(Debug, Clone, Queryable)]
pub struct AppealRow {
    pub id: i64,
    pub reg_number: String,
    #[diesel(deserialize_as = EnumText<AppealsStatus>)]
    pub status: Status,
    #[diesel(deserialize_as = EnumText<AppealsChannel>)]
    pub channel: Channel,
    pub category_code: String,
    pub territory_id: i64,
    pub territory_path: String,
    pub reception_id: Option<i64>,
    pub anonymous: bool,
    pub threat_report: bool,
    pub subject: String,
    pub description: String,
    #[diesel(deserialize_as = EnumText<AppealsLanguage>)]
    pub language: Language,
    pub search_text: String,
    pub received_at: NaiveDateTime,
    pub registered_on: NaiveDate,
    pub due_on: NaiveDate,
    pub extended_due_on: Option<NaiveDate>,
    pub extension_reason: Option<String>,
    pub deputy_id: Option<i64>,
    pub assigned_body: Option<String>,
    pub resolution: Option<String>,
    pub resolved_at: Option<NaiveDateTime>,
    pub forwarded_to: Option<String>,
    pub forwarded_on: Option<NaiveDate>,
    pub created_by_user_id: Option<i64>,
    pub created_by_key_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    pub version: i64,
}

#[derive(Debug, Clone, Default, Queryable)]
pub struct CitizenRow {
    pub appeal_id: i64,
    pub full_name: Option<String>,
    pub iin: Option<Iin>,
    pub phone: Option<Phone>,
    pub email: Option<String>,
    pub address: Option<String>,
}

impl CitizenRow {
    pub fn has_personal_data(&self) -> bool {
        self.iin.is_some() || self.phone.is_some() || self.email.is_some()
    }
}

pub type Joined = (AppealRow, Option<CitizenRow>);

pub type Boxed = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::Select<
        diesel::dsl::LeftJoin<appeals::table, appeal_citizens::table>,
        (
            <appeals::table as Table>::AllColumns,
            diesel::dsl::Nullable<<appeal_citizens::table as Table>::AllColumns>,
        ),
    >,
    MultiBackend,
>;

/// Appeals the caller may reach: their territory subtree (the one scoping mechanism,
/// `within_scope!`), and for a deputy also the appeals assigned to them wherever they
/// are. Deleted appeals are left out unless `with_deleted`.
pub fn scoped(caller: &Caller, with_deleted: bool) -> Boxed {
    let mut query = appeals::table
        .left_join(appeal_citizens::table)
        .select((
            appeals::all_columns,
            appeal_citizens::all_columns.nullable(),
        ))
        .into_boxed();
    if !with_deleted {
        query = query.filter(appeals::deleted_at.is_null());
    }
    crate::within_reach!(query, appeals::territory_path, appeals::deputy_id, caller)
}

/// One appeal the caller may reach, or 404.
pub fn load(conn: &mut DbConn, caller: &Caller, id: i64) -> ApiResult<Joined> {
    scoped(caller, false)
        .filter(appeals::id.eq(id))
        .first::<Joined>(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// Whether this caller sees this appeal's personal data in full: admins and regional
/// staff, and the deputy it is assigned to. Everyone else, and every view built without
/// asking, gets it masked (`baqylau_wire::personal`).
pub fn disclosure(caller: &Caller, row: &AppealRow) -> Disclosure {
    Disclosure::full_if(
        caller.sees_personal_data()
            || (caller.is_deputy()
                && caller.deputy_id.is_some()
                && row.deputy_id == caller.deputy_id),
    )
}

pub fn citizen_view(citizen: Option<&CitizenRow>, disclosure: Disclosure) -> Citizen {
    let c = citizen.cloned().unwrap_or_default();
    Citizen {
        full_name: c.full_name,
        iin: c
            .iin
            .map(|v| PersonalIin::new(v.as_str()).disclosed(disclosure)),
        phone: c
            .phone
            .map(|v| PersonalPhone::new(v.as_str()).disclosed(disclosure)),
        email: c.email.map(|v| PersonalEmail::new(v).disclosed(disclosure)),
        address: c.address,
    }
}

/// An appeal as the caller sees it right after writing it: personal data as their role
/// discloses it.
pub fn view_for(caller: &Caller, joined: &Joined, today: NaiveDate) -> Appeal {
    let disclosure = disclosure(caller, &joined.0);
    view(
        joined,
        disclosure,
        caller.allows(Permission::AppealsWrite),
        today,
    )
}

/// The appeal as a caller sees it: `disclosure` decides whether personal data is shown in
/// full, `can_write` lists the moves the caller could make.
pub fn view(joined: &Joined, disclosure: Disclosure, can_write: bool, today: NaiveDate) -> Appeal {
    let (row, citizen) = joined;
    let status = row.status;
    Appeal {
        id: row.id,
        reg_number: row.reg_number.clone(),
        status,
        channel: row.channel,
        category: row.category_code.clone(),
        territory_id: row.territory_id,
        reception_id: row.reception_id,
        anonymous: row.anonymous,
        threat_report: row.threat_report,
        citizen: citizen_view(citizen.as_ref(), disclosure),
        personal_data_revealed: disclosure.is_full(),
        subject: row.subject.clone(),
        description: row.description.clone(),
        language: row.language,
        received_at: row.received_at.and_utc(),
        registered_on: row.registered_on,
        due_on: row.due_on,
        extended_due_on: row.extended_due_on,
        extension_reason: row.extension_reason.clone(),
        deputy_id: row.deputy_id,
        assigned_body: row.assigned_body.clone(),
        resolution: row.resolution.clone(),
        resolved_at: row.resolved_at.map(|t| t.and_utc()),
        forwarded_to: row.forwarded_to.clone(),
        forwarded_on: row.forwarded_on,
        overdue: is_overdue(status, row.due_on, row.extended_due_on, today),
        allowed_transitions: if can_write && row.deleted_at.is_none() {
            status.next().to_vec()
        } else {
            Vec::new()
        },
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
        version: row.version,
        deleted: row.deleted_at.is_some(),
    }
}

/// The text the full-text index covers, without personal data: lower-cased with Unicode
/// rules (so Kazakh letters fold the same on both backends) and reduced to words
/// separated by single spaces, so that both backends' tokenisers see the same words
/// (PostgreSQL would otherwise read `-2026` in `ZHA-2026-000001` as a signed number).
pub fn search_text(reg_number: &str, subject: &str, description: &str) -> String {
    format!("{reg_number} {subject} {description}")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The region's short code for registration numbers: the `short_code` of the region at
/// the root of the territory's path, or its KATO code when it has none.
pub fn region_code(conn: &mut DbConn, territory_path: &str) -> QueryResult<String> {
    let region_kato = territory_path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default();
    let short: Option<Option<String>> = territories::table
        .filter(territories::kato_code.eq(region_kato))
        .select(territories::short_code)
        .first(conn)
        .optional()?;
    Ok(short.flatten().unwrap_or_else(|| region_kato.to_owned()))
}

/// The next number of the (region, year) counter, in the caller's transaction. The row
/// lock (PostgreSQL) or the write lock (SQLite) is held until commit, so numbers are
/// unique and gap-free even across processes (DECISIONS.md 3).
pub fn next_reg_seq(conn: &mut DbConn, region: &str, year: i32) -> QueryResult<i64> {
    compat::ensure_counter(conn, region, year)?;
    diesel::update(
        reg_counters::table
            .filter(reg_counters::region_code.eq(region))
            .filter(reg_counters::year.eq(year)),
    )
    .set(reg_counters::last_value.eq(reg_counters::last_value + 1))
    .returning(reg_counters::last_value)
    .get_result(conn)
}

/// What the audit trail keeps of an appeal; personal data is named but redacted.
#[derive(serde::Serialize)]
pub struct Snapshot {
    pub status: Status,
    pub channel: Channel,
    pub category: String,
    pub territory_id: i64,
    pub subject: String,
    pub description: String,
    pub language: Language,
    pub citizen_full_name: Option<String>,
    pub citizen_iin: Option<Iin>,
    pub citizen_phone: Option<Phone>,
    pub citizen_email: Option<String>,
    pub citizen_address: Option<String>,
    pub due_on: NaiveDate,
    pub extended_due_on: Option<NaiveDate>,
    pub extension_reason: Option<String>,
    pub deputy_id: Option<i64>,
    pub assigned_body: Option<String>,
    pub resolution: Option<String>,
    pub forwarded_to: Option<String>,
    pub deleted: bool,
}

pub const PERSONAL_FIELDS: &[&str] = &[
    "citizen_full_name",
    "citizen_iin",
    "citizen_phone",
    "citizen_email",
    "citizen_address",
];

pub fn snapshot(joined: &Joined) -> Snapshot {
    let (r, c) = joined;
    let c = c.clone().unwrap_or_default();
    Snapshot {
        status: r.status,
        channel: r.channel,
        category: r.category_code.clone(),
        territory_id: r.territory_id,
        subject: r.subject.clone(),
        description: r.description.clone(),
        language: r.language,
        citizen_full_name: c.full_name,
        citizen_iin: c.iin,
        citizen_phone: c.phone,
        citizen_email: c.email,
        citizen_address: c.address,
        due_on: r.due_on,
        extended_due_on: r.extended_due_on,
        extension_reason: r.extension_reason.clone(),
        deputy_id: r.deputy_id,
        assigned_body: r.assigned_body.clone(),
        resolution: r.resolution.clone(),
        forwarded_to: r.forwarded_to.clone(),
        deleted: r.deleted_at.is_some(),
    }
}

/// Re-reads an appeal after a change, without scoping (the caller was checked before).
pub fn reload(conn: &mut DbConn, id: i64) -> QueryResult<Joined> {
    appeals::table
        .left_join(appeal_citizens::table)
        .filter(appeals::id.eq(id))
        .select((
            appeals::all_columns,
            appeal_citizens::all_columns.nullable(),
        ))
        .first(conn)
}
