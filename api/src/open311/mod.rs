//! Open311 GeoReport v2 over Baqylau's appeals (README, "Open311").
//!
//! - Services are the active appeal categories (`group` = the category group).
//! - A posted request is an ordinary appeal, registered through
//!   `appeals::register` as the API key that posted it (its scope and territory apply),
//!   on channel `online` unless `attribute[CHANNEL]` names another; it is numbered,
//!   given its legal deadline, audited and published to webhooks like any other.
//! - Location: Baqylau's territories are KATO units without coordinates, so a request
//!   is placed by `address_id` (a KATO code) or by `address_string` naming a settlement,
//!   okrug or district exactly. `lat`/`long` alone cannot be placed and get a 400 that
//!   says so; sent with an address they are ignored.
//! - Public reads never show names, phones, emails, IINs or the citizen's own text;
//!   threat reports and removed appeals are not listed at all.
//! - Statuses fold into `open`/`closed`; `status_notes` carries Baqylau's status, and
//!   `expected_datetime` is the legal deadline (18:00 Kazakhstan time that day).
//! - Errors are GeoReport v2 arrays `[{"code": 400, "description": "…"}]`.

pub mod requests;
mod text;

use baqylau_wire::open311::{
    AttributeDatatype, AttributeValue, Open311Error, Service, ServiceAttribute, ServiceDefinition,
};
use diesel::prelude::*;

use crate::db::schema::appeal_categories;
use crate::db::DbConn;
use crate::domain::appeal::{Channel, Language, Status};
use crate::error::ApiError;
use crate::reference::categories::CategoryRow;

/// What an Open311 operation answers when it fails: the status and the array's items.
#[derive(Debug)]
pub struct Open311Failure {
    pub status: u16,
    pub errors: Vec<Open311Error>,
}

impl Open311Failure {
    pub fn new(status: u16, description: impl Into<String>) -> Open311Failure {
        Open311Failure {
            status,
            errors: vec![Open311Error {
                code: status,
                description: description.into(),
            }],
        }
    }

    pub fn bad(description: impl Into<String>) -> Open311Failure {
        Open311Failure::new(400, description)
    }
}

/// Field names of Baqylau's appeal checks, as Open311 names them.
fn open311_field(field: &str) -> &str {
    match field {
        "category" => "service_code",
        "territory_id" => "address_id",
        "citizen" | "citizen.full_name" => "first_name/last_name",
        "citizen.iin" => "attribute[IIN]",
        "citizen.phone" => "phone",
        "citizen.email" => "email",
        "citizen.address" => "address_string",
        "channel" => "attribute[CHANNEL]",
        "language" => "attribute[LANGUAGE]",
        "subject" | "description" => "description",
        other => other,
    }
}

impl From<ApiError> for Open311Failure {
    fn from(error: ApiError) -> Open311Failure {
        match error {
            ApiError::Validation(errors) => Open311Failure {
                status: 400,
                errors: errors
                    .into_iter()
                    .map(|e| Open311Error {
                        code: 400,
                        description: format!("{}: {}", open311_field(&e.field), e.message),
                    })
                    .collect(),
            },
            ApiError::BadRequest { detail, .. } => Open311Failure::bad(detail),
            ApiError::Unauthorized(_) | ApiError::Forbidden(_) => Open311Failure::new(
                403,
                "api_key is missing, invalid, revoked or lacks the appeals:write scope",
            ),
            ApiError::NotFound => Open311Failure::new(404, "no such service request"),
            ApiError::Unavailable => {
                Open311Failure::new(503, "the database is unavailable; retry later")
            }
            other => {
                let status = other.status();
                if status >= 500 {
                    tracing::error!(error = ?other, "open311 request failed");
                    Open311Failure::new(500, "an internal error occurred; it has been logged")
                } else {
                    Open311Failure::new(status, other.to_string())
                }
            }
        }
    }
}

impl From<diesel::result::Error> for Open311Failure {
    fn from(error: diesel::result::Error) -> Open311Failure {
        ApiError::from(error).into()
    }
}

/// Open or closed, and the note that says more.
pub fn status(status: Status) -> (baqylau_wire::open311::RequestStatus, String) {
    use baqylau_wire::open311::RequestStatus::{Closed, Open};
    let (open, note) = match status {
        Status::Registered => (Open, "registered, awaiting review"),
        Status::UnderControl => (Open, "taken under party control"),
        Status::Assigned => (Open, "assigned to a deputy or a body"),
        Status::InProgress => (Open, "being worked on"),
        Status::Reopened => (Open, "reopened after an answer"),
        Status::Resolved => (Closed, "resolved"),
        Status::Explained => (Closed, "answered with an explanation"),
        Status::Rejected => (Closed, "rejected"),
        Status::Forwarded => (Closed, "forwarded to the competent body"),
    };
    (open, format!("{}: {note}", status.as_str()))
}

fn active_categories(conn: &mut DbConn) -> QueryResult<Vec<CategoryRow>> {
    appeal_categories::table
        .filter(appeal_categories::active.eq(true))
        .order(appeal_categories::position.asc())
        .select(CategoryRow::as_select())
        .load(conn)
}

fn service(row: CategoryRow) -> Service {
    let keywords = std::iter::once(row.group_code.clone())
        .chain(
            row.name_en
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.len() > 3)
                .map(str::to_lowercase),
        )
        .collect::<Vec<_>>()
        .join(", ");
    Service {
        service_code: row.code,
        service_name: row.name_ru,
        description: format!("{} / {}", row.name_kk, row.name_en),
        metadata: true,
        kind: "realtime".to_owned(),
        keywords,
        group: row.group_code,
    }
}

/// `services.json`: every active category.
pub fn services(conn: &mut DbConn) -> Result<Vec<Service>, Open311Failure> {
    Ok(active_categories(conn)?.into_iter().map(service).collect())
}

/// The attributes every service takes: the citizen's IIN, the language, the channel.
fn attributes() -> Vec<ServiceAttribute> {
    let list = |values: Vec<(&str, &str)>| {
        Some(
            values
                .into_iter()
                .map(|(key, name)| AttributeValue {
                    key: key.to_owned(),
                    name: name.to_owned(),
                })
                .collect(),
        )
    };
    vec![
        ServiceAttribute {
            variable: true,
            code: "IIN".to_owned(),
            datatype: AttributeDatatype::String,
            required: false,
            datatype_description: Some("12 digits with a valid check digit".to_owned()),
            order: 1,
            description: "The citizen's individual identification number (ЖСН / ИИН)".to_owned(),
            values: None,
        },
        ServiceAttribute {
            variable: true,
            code: "LANGUAGE".to_owned(),
            datatype: AttributeDatatype::SingleValueList,
            required: false,
            datatype_description: None,
            order: 2,
            description: "The language of the appeal; guessed from the description when absent"
                .to_owned(),
            values: list(vec![
                (Language::Kazakh.as_str(), "Қазақ тілі"),
                (Language::Russian.as_str(), "Русский язык"),
            ]),
        },
        ServiceAttribute {
            variable: true,
            code: "CHANNEL".to_owned(),
            datatype: AttributeDatatype::SingleValueList,
            required: false,
            datatype_description: None,
            order: 3,
            description: "How the appeal reached the integration; online when absent".to_owned(),
            values: list(
                [
                    Channel::Online,
                    Channel::Phone,
                    Channel::Letter,
                    Channel::StatePortal,
                ]
                .iter()
                .map(|c| (c.as_str(), c.as_str()))
                .collect(),
            ),
        },
    ]
}

/// `services/{code}.json`: 404 for an unknown or retired category.
pub fn definition(conn: &mut DbConn, code: &str) -> Result<ServiceDefinition, Open311Failure> {
    let found: Option<bool> = appeal_categories::table
        .find(code)
        .select(appeal_categories::active)
        .first(conn)
        .optional()?;
    match found {
        Some(true) => Ok(ServiceDefinition {
            service_code: code.to_owned(),
            attributes: attributes(),
        }),
        _ => Err(Open311Failure::new(404, format!("no service {code:?}"))),
    }
}
