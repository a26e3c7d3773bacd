//! Open311 GeoReport v2 (`/open311/v2/`): the shapes the specification defines, as
//! Baqylau fills them. Field names are the specification's, not Baqylau's.

use serde::{Deserialize, Serialize};

use crate::enums::text_enum;

text_enum! {
    /// A request's status in GeoReport v2: Baqylau's lifecycle folded into two values;
    /// the detailed status is in `status_notes`.
    pub enum RequestStatus {
        Open = "open",
        Closed = "closed",
    }
}

text_enum! {
    /// The type of an attribute's value (GeoReport v2 service definitions).
    pub enum AttributeDatatype {
        String = "string",
        Number = "number",
        Datetime = "datetime",
        Text = "text",
        SingleValueList = "singlevaluelist",
        MultiValueList = "multivaluelist",
    }
}

/// An error as GeoReport v2 writes it; responses carry an array of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"code": 400, "description": "service_code: no such service"})))]
pub struct Open311Error {
    /// The HTTP status.
    pub code: u16,
    pub description: String,
}

/// One endpoint in the discovery document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "specification": "http://wiki.open311.org/GeoReport_v2",
    "url": "https://baqylau.kz/open311/v2",
    "changeset": "2026-12-01T00:00:00Z",
    "type": "production",
    "formats": ["application/json"]
})))]
pub struct DiscoveryEndpoint {
    pub specification: String,
    pub url: String,
    pub changeset: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub formats: Vec<String>,
}

/// `GET /open311/v2/discovery.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "changeset": "2026-12-01T00:00:00Z",
    "contact": "The regional branch's Baqylau administrator",
    "key_service": "An administrator issues an API key with the appeals:write scope (POST /api/v1/api-keys); the key's territory bounds where it may file requests",
    "endpoints": [
        {
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": "https://baqylau.kz/open311/v2",
            "changeset": "2026-12-01T00:00:00Z",
            "type": "production",
            "formats": ["application/json"]
        }
    ]
})))]
pub struct Discovery {
    pub changeset: String,
    pub contact: String,
    pub key_service: String,
    pub endpoints: Vec<DiscoveryEndpoint>,
}

/// A service: an appeal category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "service_code": "UTIL_WATER",
    "service_name": "Водоснабжение и водоотведение (питьевая вода)",
    "description": "Drinking water supply and sewerage",
    "metadata": true,
    "type": "realtime",
    "keywords": "utilities, water",
    "group": "utilities"
})))]
pub struct Service {
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    /// Whether `services/{service_code}.json` lists attributes.
    pub metadata: bool,
    /// Always `realtime`: an appeal is registered when it is posted.
    #[serde(rename = "type")]
    pub kind: String,
    pub keywords: String,
    pub group: String,
}

/// One allowed value of a list attribute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"key": "kk", "name": "Қазақ тілі"})))]
pub struct AttributeValue {
    pub key: String,
    pub name: String,
}

/// A field a service accepts beyond the standard ones, sent as `attribute[CODE]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "variable": true,
    "code": "LANGUAGE",
    "datatype": "singlevaluelist",
    "required": false,
    "datatype_description": null,
    "order": 2,
    "description": "The language of the appeal; guessed from the description when absent",
    "values": [{"key": "kk", "name": "Қазақ тілі"}, {"key": "ru", "name": "Русский язык"}]
})))]
pub struct ServiceAttribute {
    /// True: the client supplies a value (false would be an informational text).
    pub variable: bool,
    pub code: String,
    pub datatype: AttributeDatatype,
    pub required: bool,
    pub datatype_description: Option<String>,
    pub order: i32,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<AttributeValue>>,
}

/// `GET /open311/v2/services/{service_code}.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "service_code": "ROADS",
    "attributes": [
        {
            "variable": true,
            "code": "IIN",
            "datatype": "string",
            "required": false,
            "datatype_description": "12 digits with a valid check digit",
            "order": 1,
            "description": "The citizen's individual identification number (ЖСН / ИИН)"
        },
        {
            "variable": true,
            "code": "LANGUAGE",
            "datatype": "singlevaluelist",
            "required": false,
            "datatype_description": null,
            "order": 2,
            "description": "The language of the appeal; guessed from the description when absent",
            "values": [{"key": "kk", "name": "Қазақ тілі"}, {"key": "ru", "name": "Русский язык"}]
        }
    ]
})))]
pub struct ServiceDefinition {
    pub service_code: String,
    pub attributes: Vec<ServiceAttribute>,
}

/// `POST /open311/v2/requests.json`, form-encoded. Attributes come as
/// `attribute[IIN]`, `attribute[LANGUAGE]`, `attribute[CHANNEL]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "api_key": "bq_0123456789ab_secret",
    "service_code": "UTIL_WATER",
    "address_id": "313630000",
    "first_name": "Айгүл",
    "last_name": "Сейтқали",
    "email": "aigul@example.kz",
    "phone": "+77012345678",
    "description": "Ақсу ауылында ауыз су жоқ, құбыр тозған.",
    "attribute[IIN]": "850715300122"
})))]
pub struct CreateRequestForm {
    /// A Baqylau API key with the `appeals:write` scope (403 without one).
    pub api_key: String,
    /// Accepted and ignored: Baqylau serves one jurisdiction.
    pub jurisdiction_id: Option<String>,
    pub service_code: String,
    /// Latitude; accepted only together with `address_id` or `address_string`, since
    /// Baqylau's territories carry no coordinates.
    pub lat: Option<f64>,
    pub long: Option<f64>,
    /// A settlement, okrug or district name as in the territory list (kk, ru or en).
    pub address_string: Option<String>,
    /// The territory's KATO code.
    pub address_id: Option<String>,
    pub email: Option<String>,
    pub device_id: Option<String>,
    pub account_id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    /// At most 4000 characters.
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub description: Option<String>,
    pub media_url: Option<String>,
    /// The citizen's IIN (12 digits).
    #[serde(rename = "attribute[IIN]")]
    pub attribute_iin: Option<String>,
    /// `kk` or `ru`; guessed from the description when absent.
    #[serde(rename = "attribute[LANGUAGE]")]
    pub attribute_language: Option<String>,
    /// How the appeal arrived; `online` when absent.
    #[serde(rename = "attribute[CHANNEL]")]
    pub attribute_channel: Option<String>,
}

/// The answer to a created request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "service_request_id": "1042",
    "service_notice": "Registered as ZHA-2026-000042; the answer is due by 2026-12-21.",
    "account_id": null
})))]
pub struct RequestCreated {
    pub service_request_id: String,
    pub service_notice: Option<String>,
    pub account_id: Option<String>,
}

/// A service request (an appeal) as GeoReport v2 shows it publicly: no names, phones,
/// emails or IINs, and not the citizen's own words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "service_request_id": "1042",
    "status": "open",
    "status_notes": "in_progress: the appeal is being worked on",
    "service_name": "Водоснабжение и водоотведение (питьевая вода)",
    "service_code": "UTIL_WATER",
    "description": null,
    "agency_responsible": null,
    "service_notice": "Registered as ZHA-2026-000042",
    "requested_datetime": "2026-11-30T10:00:00+05:00",
    "updated_datetime": "2026-12-01T09:30:00+05:00",
    "expected_datetime": "2026-12-21T18:00:00+05:00",
    "address": "Сарыкемер с.о.",
    "address_id": "313630000",
    "zipcode": null,
    "lat": null,
    "long": null,
    "media_url": null
})))]
pub struct ServiceRequest {
    pub service_request_id: String,
    pub status: RequestStatus,
    /// Baqylau's own status and what it means.
    pub status_notes: String,
    pub service_name: String,
    pub service_code: String,
    /// Not published: the citizen's words may name people.
    pub description: Option<String>,
    /// The district or city whose akimat answers for the request, by its reference
    /// name; never the free text staff type as the assigned body.
    pub agency_responsible: Option<String>,
    pub service_notice: Option<String>,
    pub requested_datetime: chrono::DateTime<chrono::FixedOffset>,
    pub updated_datetime: chrono::DateTime<chrono::FixedOffset>,
    /// The legal deadline (end of the working day it falls on).
    pub expected_datetime: chrono::DateTime<chrono::FixedOffset>,
    /// The territory's name.
    pub address: Option<String>,
    /// The territory's KATO code.
    pub address_id: Option<String>,
    pub zipcode: Option<String>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub media_url: Option<String>,
}
