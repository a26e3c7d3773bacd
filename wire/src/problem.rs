//! RFC 9457 problem details: the body of every Baqylau error, read by the dashboard and
//! written by the API from the same types.

use serde::{Deserialize, Serialize};

/// One bad field of a request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "field": "citizen.iin",
    "code": "iin_checksum",
    "message": "the IIN check digit does not match"
})))]
pub struct FieldError {
    /// The field, dotted for nested ones (`citizen.iin`).
    pub field: String,
    /// A stable machine code (`required`, `length`, `iin_checksum`, ...).
    pub code: String,
    pub message: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// An RFC 9457 problem document. The API always sends every required member; the
/// dashboard reads sparser bodies (a proxy's) leniently.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "type": "https://baqylau.kz/problems/validation_failed",
    "title": "Unprocessable Entity",
    "status": 422,
    "detail": "1 field failed validation",
    "code": "validation_failed",
    "errors": [{"field": "citizen.iin", "code": "iin_checksum", "message": "the IIN check digit does not match"}]
})))]
pub struct Problem {
    /// A URI naming the problem type; ends in `code`.
    #[serde(rename = "type", default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub type_: String,
    pub title: String,
    pub status: u16,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub detail: String,
    /// Stable machine code, e.g. `validation_failed`, `not_found`, `invalid_transition`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub code: String,
    /// Every bad field, for `validation_failed`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For `invalid_transition`: the statuses reachable from the current one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
}
