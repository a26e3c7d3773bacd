//! The OpenAPI root and the one place where routes are registered. Routes go through
//! utoipa-actix-web, so a handler without `#[utoipa::path]` cannot be mounted and the
//! spec cannot miss an endpoint.

use crate::auth::{KeyRule, Permission};
use crate::extract::{IdempotencyKey, IfMatch};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::{scope, UtoipaApp};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Baqylau API",
        description = "Appeals under party control, mobile receptions, road maps and deputies \
                       of a regional party branch. Errors are RFC 9457 problem+json with a stable `code`. \
                       Security requirements list the roles (bearer) or the scope (API key) an operation needs.",
        version = "1.0.0"
    ),
    // Paths are absolute (`/api/v1/...`), so the one server is the host itself.
    servers((url = "/", description = "This server")),
    modifiers(&Security),
    // The enums query parameters name with `value_type`: utoipa collects schemas only
    // from bodies, so these are listed or the parameters would `$ref` nothing.
    components(schemas(
        baqylau_wire::appeals::Status,
        baqylau_wire::appeals::Channel,
        baqylau_wire::appeals::AppealSort,
        baqylau_wire::deputies::DeputySort,
        baqylau_wire::receptions::ReceptionSort,
        baqylau_wire::roadmaps::IndicatorSort,
        baqylau_wire::roadmaps::RoadmapSort,
        baqylau_wire::auth::UserSort,
        baqylau_wire::appeals::ExportFormat,
        baqylau_wire::receptions::ReceptionStatus,
        baqylau_wire::receptions::ReceptionKind,
        baqylau_wire::receptions::ReportSheet,
        baqylau_wire::auth::Role,
        baqylau_wire::auth::ActorKind,
        baqylau_wire::reference::TerritoryLevel,
        baqylau_wire::deputies::MaslikhatLevel,
        baqylau_wire::deputies::MandateStatus,
        baqylau_wire::reserve::CandidateStatus,
    )),
    tags(
        (name = "meta", description = "Health, readiness and the API description"),
        (name = "auth", description = "Sign-in, token refresh and the signed-in caller"),
        (name = "users", description = "Staff and deputies' accounts (admin)"),
        (name = "api-keys", description = "Keys for integrations (admin)"),
        (name = "reference", description = "Territories, appeal categories, the working-day calendar"),
        (name = "appeals", description = "Citizens' appeals under party control"),
        (name = "receptions", description = "Mobile public receptions and the other dialogue platforms (debate clubs, public councils, business receptions, control commission meetings): plans, sessions, appeals taken on site, reports"),
        (name = "dialogue", description = "Agendas and protocols of dialogue-platform sessions; proposals taken under party control as appeals"),
        (name = "deputies", description = "The deputies registry, assignments to territories, who answered for a territory on a day, coverage gaps"),
        (name = "ratings", description = "Deputies' monthly ratings from measured work: the published formula, stored snapshots, the audited recompute, the recall-risk list, and citizens' one-time feedback links"),
        (name = "reserve", description = "The party's cadre reserve (private persons: IIN and phone masked for most callers)"),
        (name = "open311", description = "Open311 GeoReport v2: appeal categories as services, appeals as service requests (errors are GeoReport arrays, not problem+json)"),
        (name = "webhooks", description = "Signed event deliveries to integrations' URLs (admin)"),
        (name = "stats", description = "Figures for the office dashboard, aggregated in the database"),
        (name = "audit", description = "The tamper-evident audit trail (admin)"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-API-Key"))),
        );
    }
}

/// Mounts every documented route on `app`.
pub fn register<T>(app: UtoipaApp<T>) -> UtoipaApp<T>
where
    T: actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Error = actix_web::Error,
        InitError = (),
    >,
{
    app.openapi(ApiDoc::openapi())
        .configure(crate::routes::meta::configure)
        .service(scope::scope("/api/v1").configure(crate::routes::configure))
        .service(scope::scope("/open311/v2").configure(crate::routes::open311::configure))
}

/// The operations that never touch the database, so never answer 503: liveness, and
/// GeoReport discovery (a constant).
const WITHOUT_DATABASE: &[&str] = &["/healthz", "/open311/v2/discovery.json"];

/// Adds the error responses every operation can give, so that no handler repeats them
/// and integrators see them all: bad bodies (400, 413, 415, 422), bad parameters (400, 422),
/// missing or insufficient credentials (401, 403), unknown objects (404) and an
/// unreachable database (503). A handler's own description of a status wins.
pub fn complete(mut spec: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let problem = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(
                crate::error::PROBLEM_JSON,
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build()
    };
    // GeoReport v2 answers every error as an array of `{code, description}`.
    let georeport_errors = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(
                        utoipa::openapi::schema::ArrayBuilder::new()
                            .items(Ref::from_schema_name("Open311Error")),
                    ))
                    .build(),
            )
            .build()
    };
    for (path, item) in spec.paths.paths.iter_mut() {
        // A foreign contract: its handlers document their own GeoReport error arrays.
        if path.starts_with("/open311/") {
            for op in [&mut item.get, &mut item.post].into_iter().flatten() {
                op.security = Some(Vec::new());
                if path.contains('{') {
                    op.responses
                        .responses
                        .entry("404".to_owned())
                        .or_insert_with(|| georeport_errors("No such service or request").into());
                }
                if WITHOUT_DATABASE.contains(&path.as_str()) {
                    continue;
                }
                op.responses
                    .responses
                    .entry("503".to_owned())
                    .or_insert_with(|| georeport_errors("The database is unavailable").into());
            }
            continue;
        }
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for op in operations.into_iter().flatten() {
            match declared_permission(op, path) {
                Some(permission) => op.security = Some(security_for(permission)),
                // Public (sign-in, health): said explicitly, so a reader of the spec never
                // has to guess whether a requirement was forgotten.
                None if op.security.is_none() => op.security = Some(Vec::new()),
                None => {}
            }
            let mut add = |status: &str, description: &str| {
                op.responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| problem(description).into());
            };
            let header = |name: &str| {
                op.parameters
                    .as_ref()
                    .is_some_and(|p| p.iter().any(|p| p.name == name))
            };
            if header(IfMatch::HEADER) {
                add("428", "`If-Match` is missing");
                add(
                    "412",
                    "The object changed since that version, or `If-Match` is malformed",
                );
            }
            if header(IdempotencyKey::HEADER) {
                add(
                    "409",
                    "The `Idempotency-Key` was used before with another body",
                );
            }
            let has_body = op.request_body.is_some();
            let has_params = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            if has_body {
                add("400", "The body is not JSON");
                add("413", "The body is too large");
                add("415", "The body is not application/json");
            }
            if has_params {
                // A cursor is not typed by a person: a broken or forged one is a 400.
                add(
                    "400",
                    "A parameter could not be read at all (e.g. a broken or forged `cursor`)",
                );
            }
            if has_body || has_params {
                add(
                    "422",
                    "Invalid fields or parameters, each listed in `errors`",
                );
            }
            if secured {
                add("401", "No credentials, or invalid or expired ones");
                add("403", "The role or the key's scope does not allow this");
            }
            if path.contains('{') {
                add(
                    "404",
                    "No such object, or one outside the caller's territory",
                );
            }
            if !WITHOUT_DATABASE.contains(&path.as_str()) {
                add("503", "The database is unavailable; retry later");
            }
        }
    }
    spec
}

/// The permission an operation declares with `extensions(("x-permission" = json!(..)))`.
/// A name that is not a [`Permission`] is a programming error, found when the spec is
/// built (at start and by the tests).
fn declared_permission(op: &utoipa::openapi::path::Operation, path: &str) -> Option<Permission> {
    let name = op.extensions.as_ref()?.get("x-permission")?.as_str()?;
    Some(
        Permission::from_name(name)
            .unwrap_or_else(|| panic!("{path}: x-permission {name:?} is not a Permission")),
    )
}

/// The security requirements of an operation, from the one table of roles and key
/// scopes in [`Permission`]: people with one of its roles (bearer JWT), or a key with its
/// scope, any key, or none.
pub fn security_for(permission: Permission) -> Vec<utoipa::openapi::security::SecurityRequirement> {
    use utoipa::openapi::security::SecurityRequirement;
    let roles = permission.roles().iter().map(|r| r.as_str());
    let mut requirements = vec![SecurityRequirement::new("bearer", roles)];
    match permission.key_rule() {
        KeyRule::Never => {}
        KeyRule::Any => {
            requirements.push(SecurityRequirement::new("api_key", Vec::<String>::new()))
        }
        KeyRule::Scope(scope) => {
            requirements.push(SecurityRequirement::new("api_key", [scope.as_str()]))
        }
    }
    requirements
}

/// The methods each documented path answers, to tell 405 from 404.
pub struct RouteTable(Vec<(Vec<String>, Vec<actix_web::http::Method>)>);

impl RouteTable {
    pub fn from_spec(spec: &utoipa::openapi::OpenApi) -> RouteTable {
        let mut routes = Vec::new();
        for (path, item) in &spec.paths.paths {
            let mut methods = Vec::new();
            for (method, op) in [
                (actix_web::http::Method::GET, &item.get),
                (actix_web::http::Method::PUT, &item.put),
                (actix_web::http::Method::POST, &item.post),
                (actix_web::http::Method::DELETE, &item.delete),
                (actix_web::http::Method::PATCH, &item.patch),
            ] {
                if op.is_some() {
                    methods.push(method);
                }
            }
            routes.push((path.split('/').map(str::to_owned).collect(), methods));
        }
        RouteTable(routes)
    }

    /// The methods of the documented path `path` matches, if any (`{x}` matches one
    /// segment). The most literal template wins, as in actix's router: `/appeals/export`
    /// is that path, not `/appeals/{id}` with the id "export".
    pub fn methods_for(&self, path: &str) -> Option<&[actix_web::http::Method]> {
        let segments: Vec<&str> = path.split('/').collect();
        self.0
            .iter()
            .filter(|(template, _)| {
                template.len() == segments.len()
                    && template
                        .iter()
                        .zip(&segments)
                        .all(|(t, s)| t.starts_with('{') || t == s)
            })
            .max_by_key(|(template, _)| template.iter().filter(|t| !t.starts_with('{')).count())
            .map(|(_, methods)| methods.as_slice())
    }
}
