//! Checking what a client sends about an appeal. Every problem is collected, so a
//! response lists all bad fields at once.

use baqylau_wire::appeals::{CitizenInput, CreateAppeal};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::{self, Caller};
use crate::db::schema::appeal_categories;
use crate::db::DbConn;
use crate::domain::appeal::{Channel, Language};
use crate::domain::iin::Iin;
use crate::domain::phone::Phone;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::validate;

pub const SUBJECT_MAX: usize = 300;
pub const DESCRIPTION_MAX: usize = 10_000;
pub const NAME_MAX: usize = 300;
pub const ADDRESS_MAX: usize = 500;
pub const TEXT_MAX: usize = 10_000;

fn earliest_receipt() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2000, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
}

/// A citizen after checking: IIN and phone in canonical form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CleanCitizen {
    pub full_name: Option<String>,
    pub iin: Option<Iin>,
    pub phone: Option<Phone>,
    pub email: Option<String>,
    pub address: Option<String>,
}

/// An appeal ready to be stored.
#[derive(Debug, Clone)]
pub struct NewAppeal {
    pub channel: Channel,
    pub category: String,
    pub territory_id: i64,
    pub territory_path: String,
    pub reception_id: Option<i64>,
    pub anonymous: bool,
    pub threat_report: bool,
    pub citizen: CleanCitizen,
    pub subject: String,
    pub description: String,
    pub language: Language,
    pub received_at: NaiveDateTime,
}

fn trimmed(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Citizens write in Kazakh or Russian, both in Cyrillic.
pub fn check_cyrillic(field: &str, value: &str, errors: &mut Vec<FieldError>) {
    let has_cyrillic = value.chars().any(|c| matches!(c, '\u{0400}'..='\u{04FF}'));
    if !value.trim().is_empty() && !has_cyrillic {
        errors.push(FieldError::new(
            field,
            "not_cyrillic",
            "must be written in Kazakh or Russian (Cyrillic)",
        ));
    }
}

pub fn check_citizen(
    input: &CitizenInput,
    prefix: &str,
    errors: &mut Vec<FieldError>,
) -> CleanCitizen {
    let field = |name: &str| format!("{prefix}.{name}");
    let full_name = validate::optional_text(
        &field("full_name"),
        input.full_name.as_deref(),
        NAME_MAX,
        errors,
    );
    let iin = trimmed(input.iin.as_deref()).and_then(|raw| match Iin::parse(&raw) {
        Ok(iin) => Some(iin),
        Err(e) => {
            errors.push(FieldError::new(field("iin"), e.code(), e.to_string()));
            None
        }
    });
    let phone = trimmed(input.phone.as_deref()).and_then(|raw| match Phone::parse(&raw) {
        Ok(p) => Some(p),
        Err(e) => {
            errors.push(FieldError::new(field("phone"), e.code(), e.to_string()));
            None
        }
    });
    let email = trimmed(input.email.as_deref()).map(|e| e.to_lowercase());
    if let Some(e) = &email {
        validate::email(&field("email"), e, errors);
    }
    let address = validate::optional_text(
        &field("address"),
        input.address.as_deref(),
        ADDRESS_MAX,
        errors,
    );
    CleanCitizen {
        full_name,
        iin,
        phone,
        email,
        address,
    }
}

pub fn check_category(
    conn: &mut DbConn,
    code: &str,
    errors: &mut Vec<FieldError>,
) -> QueryResult<()> {
    if code.trim().is_empty() {
        errors.push(FieldError::new("category", "required", "is required"));
        return Ok(());
    }
    let found: Option<bool> = appeal_categories::table
        .find(code)
        .select(appeal_categories::active)
        .first(conn)
        .optional()?;
    if found != Some(true) {
        errors.push(FieldError::new(
            "category",
            "unknown",
            "no such category; see GET /api/v1/appeal-categories",
        ));
    }
    Ok(())
}

/// A required territory inside the caller's subtree (see [`auth::check_territory`]).
pub fn check_territory(
    conn: &mut DbConn,
    caller: &Caller,
    id: Option<i64>,
    errors: &mut Vec<FieldError>,
) -> QueryResult<Option<String>> {
    match id {
        Some(id) => auth::check_territory(conn, caller, "territory_id", id, errors),
        None => {
            errors.push(FieldError::new("territory_id", "required", "is required"));
            Ok(None)
        }
    }
}

/// Checks a new appeal completely; returns every problem or the clean appeal.
pub fn check_new(
    conn: &mut DbConn,
    caller: &Caller,
    input: &CreateAppeal,
    now: NaiveDateTime,
) -> ApiResult<NewAppeal> {
    let mut errors = Vec::new();
    let channel = Channel::parse(&input.channel);
    if channel.is_none() {
        errors.push(FieldError::new(
            "channel",
            "one_of",
            format!("must be one of {}", Channel::choices()),
        ));
    }
    check_category(conn, &input.category, &mut errors)?;
    let path = check_territory(conn, caller, input.territory_id, &mut errors)?;
    if let Some(reception) = input.reception_id {
        // No foreign key backs appeals.reception_id (SQLite cannot add one to an existing
        // table), so the reference is checked here: a reception the caller can see.
        match crate::receptions::model::load(conn, caller, reception) {
            Ok(_) => {}
            Err(ApiError::NotFound) => errors.push(FieldError::new(
                "reception_id",
                "unknown",
                "no such reception",
            )),
            Err(e) => return Err(e),
        }
    }
    // APPK art. 63: anonymous appeals are not considered, except reports of a threat to
    // state or public security or of an offence.
    if input.anonymous && !input.threat_report {
        errors.push(FieldError::new(
            "anonymous",
            "anonymous_not_allowed",
            "an anonymous appeal is accepted only when it reports a threat or an offence (threat_report: true)",
        ));
    }
    let citizen = match (&input.citizen, input.anonymous) {
        (Some(c), _) => check_citizen(c, "citizen", &mut errors),
        (None, _) => CleanCitizen::default(),
    };
    if !input.anonymous && citizen.full_name.is_none() {
        errors.push(FieldError::new(
            "citizen.full_name",
            "required",
            "the citizen's name is required unless the appeal is anonymous",
        ));
    }
    let subject = validate::required_text("subject", &input.subject, SUBJECT_MAX, &mut errors);
    let description = validate::required_text(
        "description",
        &input.description,
        DESCRIPTION_MAX,
        &mut errors,
    );
    check_cyrillic("description", &description, &mut errors);
    let language = Language::parse(&input.language);
    if language.is_none() {
        errors.push(FieldError::new(
            "language",
            "one_of",
            format!("must be one of {}", Language::choices()),
        ));
    }
    let received_at = match input.received_at.as_deref() {
        None => now,
        Some(raw) => match chrono::DateTime::parse_from_rfc3339(raw) {
            Ok(t) if t.naive_utc() > now + chrono::Duration::minutes(5) => {
                errors.push(FieldError::new(
                    "received_at",
                    "in_future",
                    "cannot be in the future",
                ));
                now
            }
            // Older paper records can be entered, but not dates that are plainly typos.
            Ok(t) if t.naive_utc() < earliest_receipt() => {
                errors.push(FieldError::new(
                    "received_at",
                    "too_old",
                    "cannot be before 2000-01-01",
                ));
                now
            }
            Ok(t) => crate::db::compat::truncate_micros(t.naive_utc()),
            Err(_) => {
                errors.push(FieldError::new(
                    "received_at",
                    "timestamp",
                    "must be an RFC 3339 timestamp, e.g. 2026-03-21T09:30:00Z",
                ));
                now
            }
        },
    };
    let (Some(channel), Some(language), true) = (channel, language, errors.is_empty()) else {
        return Err(validate::refusal(errors));
    };
    Ok(NewAppeal {
        channel,
        category: input.category.clone(),
        territory_id: input.territory_id.unwrap_or_default(),
        territory_path: path.unwrap_or_default(),
        reception_id: input.reception_id,
        anonymous: input.anonymous,
        threat_report: input.threat_report,
        citizen,
        subject,
        description,
        language,
        received_at,
    })
}
