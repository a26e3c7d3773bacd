//! Open311 GeoReport v2 at `/open311/v2/` (JSON): thin handlers over
//! [`crate::open311`]. Errors are GeoReport v2 arrays, never problem+json: this is a
//! foreign contract, kept as its specification writes it.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use baqylau_wire::open311::{
    CreateRequestForm, Discovery, DiscoveryEndpoint, Open311Error, RequestCreated, Service,
    ServiceDefinition, ServiceRequest,
};
use serde::Serialize;

use crate::open311::requests::{self, Form, ListQuery};
use crate::open311::{self as geo, Open311Failure};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(discovery)
        .service(services)
        .service(service_definition)
        .service(create_request)
        .service(list_requests)
        .service(get_request);
}

/// When this endpoint's contract last changed (the discovery `changeset`).
const CHANGESET: &str = "2026-12-01T00:00:00Z";

fn answer<T: Serialize>(result: Result<T, Open311Failure>, ok: StatusCode) -> HttpResponse {
    match result {
        Ok(body) => HttpResponse::build(ok).json(body),
        Err(failure) => failure_response(failure),
    }
}

pub fn failure_response(failure: Open311Failure) -> HttpResponse {
    let status = StatusCode::from_u16(failure.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    HttpResponse::build(status).json(failure.errors)
}

async fn blocking<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&mut crate::db::DbConn) -> Result<T, Open311Failure> + Send + 'static,
) -> Result<T, Open311Failure> {
    let db = state.db.clone();
    match web::block(move || {
        let mut conn = db.get().map_err(Open311Failure::from)?;
        work(&mut conn)
    })
    .await
    {
        Ok(result) => result,
        Err(_) => Err(Open311Failure::new(
            500,
            "an internal error occurred; it has been logged",
        )),
    }
}

/// The discovery document: where this endpoint is, what it speaks, how to get a key.
#[utoipa::path(
    tag = "open311",
    operation_id = "open311_discovery",
    responses((status = 200, body = Discovery))
)]
#[get("/discovery.json")]
pub async fn discovery(req: HttpRequest) -> HttpResponse {
    let info = req.connection_info();
    let url = format!("{}://{}/open311/v2", info.scheme(), info.host());
    HttpResponse::Ok().json(Discovery {
        changeset: CHANGESET.to_owned(),
        contact: "The regional branch's Baqylau administrator".to_owned(),
        key_service: "An administrator issues an API key with the appeals:write scope (POST /api/v1/api-keys); the key's territory bounds where it may file requests".to_owned(),
        endpoints: vec![DiscoveryEndpoint {
            specification: "http://wiki.open311.org/GeoReport_v2".to_owned(),
            url,
            changeset: CHANGESET.to_owned(),
            kind: "production".to_owned(),
            formats: vec!["application/json".to_owned()],
        }],
    })
}

/// Services: the active appeal categories.
#[utoipa::path(
    tag = "open311",
    operation_id = "open311_services",
    responses(
        (status = 200, body = Vec<Service>)
    )
)]
#[get("/services.json")]
pub async fn services(state: web::Data<AppState>) -> HttpResponse {
    answer(blocking(&state, geo::services).await, StatusCode::OK)
}

/// A service's attributes (`attribute[IIN]`, `attribute[LANGUAGE]`, `attribute[CHANNEL]`).
#[utoipa::path(
    tag = "open311",
    operation_id = "open311_service_definition",
    params(("service_code" = String, Path, description = "A service code from services.json")),
    responses(
        (status = 200, body = ServiceDefinition)
    )
)]
#[get("/services/{service_code}.json")]
pub async fn service_definition(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> HttpResponse {
    let code = code.into_inner();
    answer(
        blocking(&state, move |conn| geo::definition(conn, &code)).await,
        StatusCode::OK,
    )
}

/// Files a service request: an appeal, registered as the API key in `api_key` (it needs
/// the `appeals:write` scope; the appeal must lie in the key's territory). Form-encoded,
/// as GeoReport v2 has it; `Idempotency-Key` is honoured as on `POST /api/v1/appeals`.
#[utoipa::path(
    tag = "open311",
    operation_id = "open311_create_request",
    request_body(content = CreateRequestForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 201, body = Vec<RequestCreated>),
        (status = 400, body = Vec<Open311Error>, description = "A missing or invalid field; every one is listed"),
        (status = 403, body = Vec<Open311Error>, description = "api_key missing, invalid, revoked or without appeals:write")
    )
)]
#[post("/requests.json")]
pub async fn create_request(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    let form = match Form::parse(&body) {
        Ok(form) => form,
        Err(failure) => return failure_response(failure),
    };
    let Some(key) = form.get("api_key").map(str::to_owned) else {
        return failure_response(Open311Failure::new(403, "api_key is required"));
    };
    let idempotency_key = match crate::extract::idempotency_key(&req) {
        Ok(key) => key,
        Err(e) => return failure_response(e.into()),
    };
    let st = state.clone();
    let result = blocking(&state, move |conn| {
        let caller = crate::auth::key_caller(conn, &key)
            .map_err(|_| Open311Failure::new(403, "api_key is invalid or revoked"))?;
        requests::create(
            conn,
            &caller,
            &st.clock,
            &st.calendar,
            &form,
            idempotency_key,
        )
        .map(|created| vec![created])
    })
    .await;
    answer(result, StatusCode::CREATED)
}

/// Service requests, newest first: by id (`service_request_id`, which overrides every
/// other filter), or by service, status and date (the last 90 days by default, at most
/// 90 days, at most 1000 requests). No personal data.
#[utoipa::path(
    tag = "open311",
    operation_id = "open311_list_requests",
    params(ListQuery),
    responses(
        (status = 200, body = Vec<ServiceRequest>),
        (status = 400, body = Vec<Open311Error>, description = "A malformed parameter or a range over 90 days")
    )
)]
#[get("/requests.json")]
pub async fn list_requests(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let query: ListQuery = match serde_urlencoded::from_str(req.query_string()) {
        Ok(q) => q,
        Err(e) => return failure_response(Open311Failure::bad(format!("query: {e}"))),
    };
    let st = state.clone();
    answer(
        blocking(&state, move |conn| requests::list(conn, &st.clock, &query)).await,
        StatusCode::OK,
    )
}

/// One service request, as a one-item array.
#[utoipa::path(
    tag = "open311",
    operation_id = "open311_get_request",
    params(("service_request_id" = String, Path, description = "The id POST requests.json returned")),
    responses(
        (status = 200, body = Vec<ServiceRequest>)
    )
)]
#[get("/requests/{service_request_id}.json")]
pub async fn get_request(state: web::Data<AppState>, id: web::Path<String>) -> HttpResponse {
    let id = id.into_inner();
    answer(
        blocking(&state, move |conn| requests::one(conn, &id)).await,
        StatusCode::OK,
    )
}
