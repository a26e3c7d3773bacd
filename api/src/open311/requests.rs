//! Service requests: posting one (an appeal registered through `appeals::register`) and
//! reading them publicly, without personal data.

use std::collections::HashMap;

use baqylau_wire::appeals::{CitizenInput, CreateAppeal};
use baqylau_wire::open311::{RequestCreated, ServiceRequest};
use baqylau_wire::time::almaty;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;

use super::text::{guess_language, subject_of};
use super::Open311Failure;
use crate::appeals::register;
use crate::auth::Caller;
use crate::db::schema::{appeal_categories, appeals, territories};
use crate::db::DbConn;
use crate::domain::appeal::{Channel, Status};
use crate::domain::calendar::WorkingCalendar;
use crate::kit::clock::Clock;
use crate::kit::idempotent::Request;
use crate::kit::list::params::moment;
use crate::kit::op::Cx;

/// GeoReport v2's limit on a description.
pub const DESCRIPTION_MAX: usize = 4000;
/// The widest date range a list may ask for, and the default one.
pub const RANGE_DAYS: i64 = 90;
/// The most requests one list returns.
pub const LIST_MAX: i64 = 1000;

/// A posted form: every field by name (`attribute[CODE]` included). A field sent twice
/// is refused rather than silently picked.
pub struct Form(HashMap<String, String>);

impl Form {
    pub fn parse(body: &[u8]) -> Result<Form, Open311Failure> {
        let mut fields = HashMap::new();
        for (name, value) in url::form_urlencoded::parse(body) {
            if value.contains('\0') || name.contains('\0') {
                return Err(Open311Failure::bad(format!(
                    "{name}: must not contain NUL characters"
                )));
            }
            if fields.insert(name.to_string(), value.to_string()).is_some() {
                return Err(Open311Failure::bad(format!("{name}: sent more than once")));
            }
        }
        Ok(Form(fields))
    }

    /// A field's value, trimmed; `None` when absent or blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
    }

    /// The form as JSON, for the `Idempotency-Key` fingerprint.
    fn fingerprint(&self) -> String {
        let sorted: std::collections::BTreeMap<_, _> = self.0.iter().collect();
        crate::kit::idempotent::store::request_hash(
            &serde_json::to_value(sorted).unwrap_or_default(),
        )
    }
}

/// A territory named by `address_id` (its KATO code) or by `address_string` (its name in
/// kk, ru or en, exactly, ignoring case): `Ok(None)` when neither is given.
fn locate(conn: &mut DbConn, form: &Form, errors: &mut Vec<String>) -> QueryResult<Option<i64>> {
    if let Some(code) = form.get("address_id") {
        let id: Option<i64> = territories::table
            .filter(territories::kato_code.eq(code))
            .filter(territories::deleted_at.is_null())
            .select(territories::id)
            .first(conn)
            .optional()?;
        if id.is_none() {
            errors.push(format!(
                "address_id: {code:?} is not a KATO code of a known territory"
            ));
        }
        return Ok(id);
    }
    if let Some(name) = form.get("address_string") {
        let wanted = name.to_lowercase();
        let all: Vec<(i64, Option<String>, String, Option<String>)> = territories::table
            .filter(territories::deleted_at.is_null())
            .select((
                territories::id,
                territories::name_kk,
                territories::name_ru,
                territories::name_en,
            ))
            .load(conn)?;
        let found: Vec<i64> = all
            .into_iter()
            .filter(|(_, kk, ru, en)| {
                [kk.as_deref(), Some(ru.as_str()), en.as_deref()]
                    .into_iter()
                    .flatten()
                    .any(|n| n.to_lowercase() == wanted)
            })
            .map(|t| t.0)
            .collect();
        return Ok(match found.as_slice() {
            [one] => Some(*one),
            [] => {
                errors.push(format!(
                    "address_string: {name:?} names no known settlement, okrug or district; send address_id (a KATO code)"
                ));
                None
            }
            _ => {
                errors.push(format!(
                    "address_string: {name:?} names several territories; send address_id (a KATO code)"
                ));
                None
            }
        });
    }
    if form.get("lat").is_some() || form.get("long").is_some() {
        errors.push(
            "lat/long: Baqylau's territories carry no coordinates, so a point cannot be placed; send address_id (a KATO code) or address_string"
                .to_owned(),
        );
    } else {
        errors.push("a location is required: address_id (a KATO code), address_string, or lat/long with one of them".to_owned());
    }
    Ok(None)
}

/// `POST requests.json`: registers the appeal as `caller` (the API key). Open311 field
/// problems are found first; then Baqylau's own appeal checks run, and every problem
/// of either is listed.
pub fn create(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    calendar: &WorkingCalendar,
    form: &Form,
    idempotency_key: Option<String>,
) -> Result<RequestCreated, Open311Failure> {
    let mut errors = Vec::new();
    let service_code = form.get("service_code").unwrap_or_default().to_owned();
    if service_code.is_empty() {
        errors.push("service_code: is required".to_owned());
    }
    for coordinate in ["lat", "long"] {
        if let Some(v) = form.get(coordinate) {
            if v.parse::<f64>().ok().filter(|x| x.is_finite()).is_none() {
                errors.push(format!("{coordinate}: not a number"));
            }
        }
    }
    let description = form.get("description").unwrap_or_default().to_owned();
    if description.chars().count() > DESCRIPTION_MAX {
        errors.push(format!("description: at most {DESCRIPTION_MAX} characters"));
    }
    if let Some(url) = form.get("media_url") {
        if url::Url::parse(url).is_err() {
            errors.push("media_url: not a URL".to_owned());
        }
    }
    let territory_id = locate(conn, form, &mut errors)?;
    if !errors.is_empty() {
        return Err(Open311Failure {
            status: 400,
            errors: errors
                .into_iter()
                .map(|description| baqylau_wire::open311::Open311Error {
                    code: 400,
                    description,
                })
                .collect(),
        });
    }
    let full_name = [form.get("last_name"), form.get("first_name")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let citizen = CitizenInput {
        full_name: (!full_name.is_empty()).then_some(full_name),
        iin: form.get("attribute[IIN]").map(str::to_owned),
        phone: form.get("phone").map(str::to_owned),
        email: form.get("email").map(str::to_owned),
        address: form.get("address_string").map(str::to_owned),
    };
    let body = CreateAppeal {
        channel: form
            .get("attribute[CHANNEL]")
            .unwrap_or(Channel::Online.as_str())
            .to_owned(),
        category: service_code,
        territory_id,
        reception_id: None,
        anonymous: false,
        threat_report: false,
        citizen: Some(citizen),
        subject: subject_of(&description),
        language: form
            .get("attribute[LANGUAGE]")
            .unwrap_or(guess_language(&description))
            .to_owned(),
        description,
        received_at: None,
    };
    let request = Request {
        key: idempotency_key,
        hash: form.fingerprint(),
        body,
    };
    let op = register::Register::on(calendar);
    let appeal = crate::kit::create::create(&op, &mut Cx::new(conn, caller, clock), &request)?.view;
    Ok(RequestCreated {
        service_request_id: appeal.id.to_string(),
        service_notice: Some(format!(
            "Registered as {}; the answer is due by {}.",
            appeal.reg_number, appeal.due_on
        )),
        account_id: None,
    })
}

/// The filters of `GET requests.json`, as sent.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Comma-separated ids; when given, every other filter is ignored.
    pub service_request_id: Option<String>,
    /// Comma-separated service codes.
    pub service_code: Option<String>,
    /// ISO 8601 date-time (or date); with `end_date`, at most 90 days apart.
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    /// `open`, `closed` or `open,closed`.
    #[param(value_type = Option<Vec<baqylau_wire::open311::RequestStatus>>, style = Form, explode = false)]
    pub status: Option<String>,
    /// Accepted and ignored: Baqylau serves one jurisdiction.
    pub jurisdiction_id: Option<String>,
}

/// `start_date`/`end_date` through the kit's one parser (RFC 3339, or a bare date as that
/// day in Asia/Almaty; years 2000–2100), answered in Open311's own error format.
fn parse_instant(field: &str, raw: &str) -> Result<NaiveDateTime, Open311Failure> {
    moment(field, Some(raw), &mut Vec::new()).ok_or_else(|| {
        Open311Failure::bad(format!(
            "{field}: {raw:?} is not an ISO 8601 date-time such as 2026-11-30T09:00:00+05:00"
        ))
    })
}

/// The appeal columns a public request shows (no citizen columns at all; the fifth is
/// the territory's path, from which the responsible agency is named).
type Row = (
    i64,
    String,
    String,
    String,
    String,
    NaiveDateTime,
    NaiveDateTime,
    NaiveDate,
    Option<NaiveDate>,
    String,
    String,
    String,
);

fn local(t: NaiveDateTime) -> DateTime<FixedOffset> {
    t.and_utc().with_timezone(&almaty())
}

/// The KATO code of the territory whose akimat answers for a request: the district or
/// city above the appeal's territory (the second code of its path), or the region itself
/// for a regional appeal.
fn agency_code(path: &str) -> Option<&str> {
    let mut codes = path.split('/').filter(|c| !c.is_empty());
    let region = codes.next();
    codes.next().or(region)
}

/// The public requests of `rows`. `agency_responsible` comes from the reference data —
/// the responsible district's or city's name — never from `assigned_body`, which staff
/// type freely and which names people ("Аким … Ахметов Б.").
fn views(conn: &mut DbConn, rows: Vec<Row>) -> Result<Vec<ServiceRequest>, Open311Failure> {
    let codes: Vec<&str> = rows.iter().filter_map(|r| agency_code(&r.4)).collect();
    let names: HashMap<String, String> = territories::table
        .filter(territories::kato_code.eq_any(&codes))
        .select((territories::kato_code, territories::name_ru))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    rows.into_iter()
        .map(|row| {
            let agency = agency_code(&row.4).and_then(|c| names.get(c)).cloned();
            view(row, agency)
        })
        .collect()
}

fn view(row: Row, agency: Option<String>) -> Result<ServiceRequest, Open311Failure> {
    let status: Status = crate::db::enum_column("appeals", "status", &row.2)?;
    let (state, notes) = super::status(status);
    let due = row.8.unwrap_or(row.7);
    let end_of_day = NaiveTime::from_hms_opt(18, 0, 0).unwrap_or(NaiveTime::MIN);
    let expected = due
        .and_time(end_of_day)
        .and_local_timezone(almaty())
        .single()
        .unwrap_or_else(|| local(due.and_time(NaiveTime::MIN)));
    Ok(ServiceRequest {
        service_request_id: row.0.to_string(),
        status: state,
        status_notes: notes,
        service_name: row.11,
        service_code: row.3,
        description: None,
        agency_responsible: agency,
        service_notice: Some(format!("Registered as {}", row.1)),
        requested_datetime: local(row.5),
        updated_datetime: local(row.6),
        expected_datetime: expected,
        address: Some(row.10),
        address_id: Some(row.9),
        zipcode: None,
        lat: None,
        long: None,
        media_url: None,
    })
}

macro_rules! public_requests {
    () => {
        appeals::table
            .inner_join(territories::table)
            .inner_join(appeal_categories::table)
            .filter(appeals::deleted_at.is_null())
            .filter(appeals::threat_report.eq(false))
            .select((
                appeals::id,
                appeals::reg_number,
                appeals::status,
                appeals::category_code,
                territories::path,
                appeals::received_at,
                appeals::updated_at,
                appeals::due_on,
                appeals::extended_due_on,
                territories::kato_code,
                territories::name_ru,
                appeal_categories::name_ru,
            ))
    };
}

/// `GET requests.json`.
pub fn list(
    conn: &mut DbConn,
    clock: &Clock,
    q: &ListQuery,
) -> Result<Vec<ServiceRequest>, Open311Failure> {
    let split = |raw: &str| -> Vec<String> {
        raw.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    if let Some(ids) = q.service_request_id.as_deref() {
        let ids: Vec<i64> = split(ids)
            .iter()
            .map(|id| {
                id.parse::<i64>().map_err(|_| {
                    Open311Failure::bad(format!("service_request_id: {id:?} is not a request id"))
                })
            })
            .collect::<Result<_, _>>()?;
        if ids.len() > LIST_MAX as usize {
            return Err(Open311Failure::bad(format!(
                "service_request_id: at most {LIST_MAX} ids"
            )));
        }
        let rows: Vec<Row> = public_requests!()
            .filter(appeals::id.eq_any(&ids))
            .order(appeals::id.desc())
            .load(conn)?;
        return views(conn, rows);
    }
    let now = clock.now_stored();
    let start = q
        .start_date
        .as_deref()
        .map(|s| parse_instant("start_date", s))
        .transpose()?;
    let end = q
        .end_date
        .as_deref()
        .map(|s| parse_instant("end_date", s))
        .transpose()?;
    let range = Duration::days(RANGE_DAYS);
    let (start, end) = match (start, end) {
        (Some(s), Some(e)) => (s, e),
        (Some(s), None) => (s, s + range),
        (None, Some(e)) => (e - range, e),
        (None, None) => (now - range, now),
    };
    if end < start {
        return Err(Open311Failure::bad("end_date: before start_date"));
    }
    if end - start > range {
        return Err(Open311Failure::bad(format!(
            "start_date/end_date: at most {RANGE_DAYS} days apart"
        )));
    }
    let mut query = public_requests!()
        .filter(appeals::received_at.ge(start))
        .filter(appeals::received_at.le(end))
        .into_boxed();
    if let Some(codes) = q.service_code.as_deref() {
        query = query.filter(appeals::category_code.eq_any(split(codes)));
    }
    if let Some(raw) = q.status.as_deref() {
        let mut wanted = Vec::new();
        for s in split(raw) {
            match baqylau_wire::open311::RequestStatus::parse(&s) {
                Some(s) => wanted.push(s),
                None => {
                    return Err(Open311Failure::bad(format!(
                        "status: {s:?} is neither open nor closed"
                    )))
                }
            }
        }
        let statuses: Vec<&str> = Status::ALL
            .into_iter()
            .filter(|s| wanted.contains(&super::status(*s).0))
            .map(Status::as_str)
            .collect();
        query = query.filter(appeals::status.eq_any(statuses));
    }
    let rows: Vec<Row> = query
        .order((appeals::received_at.desc(), appeals::id.desc()))
        .limit(LIST_MAX)
        .load(conn)?;
    views(conn, rows)
}

/// `GET requests/{id}.json`: one request, in an array as the specification has it.
pub fn one(conn: &mut DbConn, id: &str) -> Result<Vec<ServiceRequest>, Open311Failure> {
    let missing = || Open311Failure::new(404, format!("no service request {id:?}"));
    let id: i64 = id.parse().map_err(|_| missing())?;
    let row: Row = public_requests!()
        .filter(appeals::id.eq(id))
        .first(conn)
        .optional()?
        .ok_or_else(missing)?;
    views(conn, vec![row])
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_agency_is_the_district_or_city_above_the_territory() {
        use super::agency_code;
        assert_eq!(
            agency_code("/310000000/313600000/313630100/"),
            Some("313600000")
        );
        assert_eq!(agency_code("/310000000/313600000/"), Some("313600000"));
        assert_eq!(agency_code("/310000000/"), Some("310000000"));
        assert_eq!(agency_code(""), None);
    }
}
