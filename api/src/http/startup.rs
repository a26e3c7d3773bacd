//! Builds the application: binds the listener itself (port 0 in tests), wires shared
//! state, middleware, the API, the docs and the dashboard.

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use actix_files::Files;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{fn_service, Server, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{web, App, HttpMessage, HttpResponse, HttpServer};
use tracing_actix_web::{RequestId, TracingLogger};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::tokens::TokenKeys;
use crate::config::Settings;
use crate::config::JSON_LIMIT_BYTES;
use crate::db::Db;
use crate::error::{problem, problem_response, ApiError, PROBLEM_JSON};
use crate::kit::clock::Clock;
use crate::state::AppState;

pub struct Application {
    port: u16,
    server: Server,
    /// The webhook delivery worker; it runs beside the server and stops with it.
    worker: Option<crate::webhooks::worker::Worker>,
    /// For the audit sealer, which runs beside the server too.
    db: Db,
    /// The ratings snapshot job (`ratings::close::run`), when this process runs one.
    snapshots: Option<crate::ratings::close::Job>,
}

impl Application {
    /// Opens the database, applies migrations, binds the listener and prepares the server.
    pub fn build(settings: Settings) -> anyhow::Result<Application> {
        let db = Db::connect(settings.database.target()?, settings.database.pool_size)?;
        let applied = db.migrate()?;
        if !applied.is_empty() {
            tracing::info!(count = applied.len(), "applied migrations");
        }
        let mut conn = db
            .get()
            .map_err(|_| anyhow::anyhow!("database unavailable"))?;
        let loaded = crate::reference::load::load(&mut conn)?;
        drop(conn);
        if loaded != crate::reference::load::Loaded::default() {
            tracing::info!(?loaded, "loaded reference data");
        }
        let listener = TcpListener::bind(settings.bind)?;
        Self::build_with(settings, db, listener)
    }

    /// Like [`Application::build`], with a database and listener made by the caller.
    pub fn build_with(
        settings: Settings,
        db: Db,
        listener: TcpListener,
    ) -> anyhow::Result<Application> {
        Self::build_with_clock(settings, db, listener, Clock::system())
    }

    /// Like [`Application::build_with`], on a clock of the caller's (tests fix it).
    pub fn build_with_clock(
        settings: Settings,
        db: Db,
        listener: TcpListener,
        clock: Clock,
    ) -> anyhow::Result<Application> {
        let port = listener.local_addr()?.port();
        let secret = crate::auth::tokens::secret(&settings, &db)?;
        let tokens = TokenKeys::from_settings(&settings, &secret);
        let cursors = crate::kit::list::CursorKey::new(secret.as_bytes());
        let worker = match settings.webhooks.webhook_worker {
            true => Some(crate::webhooks::worker::Worker::new(
                db.clone(),
                (&settings.webhooks).into(),
                clock.clone(),
            )?),
            false => None,
        };
        let snapshots = settings
            .snapshots
            .rating_snapshots
            .then(|| crate::ratings::close::Job {
                db: db.clone(),
                clock: clock.clone(),
                cfg: settings.rating,
                every: std::time::Duration::from_secs(
                    settings.snapshots.rating_snapshot_every_secs.max(1),
                ),
            });
        let calendar = crate::reference::calendar::load(&db)?;
        let state = web::Data::new(AppState {
            db: db.clone(),
            settings: Arc::new(settings.clone()),
            tokens,
            cursors,
            calendar,
            metrics: crate::telemetry::metrics::Metrics::new(db.pool_waits())?,
            clock,
        });
        // Checked here, once, rather than in each worker's app factory: the warning is
        // for the person starting the server, not one per worker thread.
        let static_dir = settings
            .static_dir
            .is_dir()
            .then(|| settings.static_dir.clone());
        if static_dir.is_none() {
            tracing::warn!(
                dir = %settings.static_dir.display(),
                "dashboard not built; run `cargo xtask frontend` (the API works without it)"
            );
        }
        let mut server = HttpServer::new(move || build_app(state.clone(), static_dir.as_deref()))
            .listen(listener)?
            .shutdown_timeout(10);
        if let Some(workers) = settings.workers {
            server = server.workers(workers.max(1));
        }
        Ok(Application {
            port,
            server: server.run(),
            worker,
            db,
            snapshots,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGTERM or SIGINT, then finishes in-flight requests (graceful shutdown
    /// is actix-web's signal handling).
    /// The webhook worker runs until the server stops; dropping it mid-delivery loses
    /// nothing (its leases expire and another round delivers).
    /// So does the audit sealer (`audit::reveal`): what it has not sealed stays pending in
    /// the database for the next round of any process. And so does the ratings snapshot
    /// job: a month it has not stored is stored by the next round of any process.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let webhooks = async {
            match self.worker {
                Some(worker) => worker.run().await,
                None => std::future::pending().await,
            }
        };
        let snapshots = async {
            match self.snapshots {
                Some(job) => job.run().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            result = self.server => result,
            () = webhooks => Ok(()),
            () = snapshots => Ok(()),
            () = crate::audit::reveal::run_sealer(self.db) => Ok(()),
        }
    }

    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }
}

fn build_app(
    state: web::Data<AppState>,
    static_dir: Option<&Path>,
) -> App<
    impl actix_web::dev::ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, spec) =
        crate::http::openapi::register(App::new().into_utoipa_app()).split_for_parts();
    let spec = crate::http::openapi::complete(spec);
    let cors = cors(&state.settings.cors_origins);
    let routes = web::Data::new(crate::http::openapi::RouteTable::from_spec(&spec));
    let app = app
        .app_data(state)
        .app_data(routes)
        .app_data(web::PayloadConfig::new(JSON_LIMIT_BYTES))
        .app_data(
            web::QueryConfig::default()
                .error_handler(|err, _req| crate::extract::query_error(err).into()),
        )
        // A path segment of the wrong type (`/appeals/export` read as `/appeals/{id}`)
        // is a bare 404, so that `problem_for_bare_errors` can tell it from a 405 when a
        // more literal route has that path with other methods.
        .app_data(
            web::PathConfig::default()
                .error_handler(|_err, _req| actix_web::error::ErrorNotFound("not found")),
        )
        .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", spec))
        .service(web::redirect("/api/docs", "/api/docs/"));
    let app = match static_dir {
        Some(dir) => app
            .service(crate::http::assets::resource(dir))
            .service(dashboard(dir)),
        // Nothing to serve files from: every unmatched request gets the fallback, which
        // explains that the dashboard is not built.
        None => app.default_service(fn_service(|req: ServiceRequest| async move {
            let (req, _) = req.into_parts();
            let response = crate::http::assets::spa_fallback(&req, None).await;
            Ok::<_, actix_web::Error>(ServiceResponse::new(req, response))
        })),
    };
    // CORS innermost: a preflight it refuses is a bare 400, which the error handler
    // outside turns into a problem like every other.
    app.wrap(cors)
        .wrap(actix_web::middleware::from_fn(refuse_nul_in_query))
        .wrap(ErrorHandlers::new().default_handler(problem_for_bare_errors))
        // Outside the error handler, which rewrites bodies and would otherwise keep a
        // `Content-Encoding` header over a body it replaced. actix-http flushes the
        // encoder whenever the producer pauses, so a streamed body (the CSV export)
        // still goes out chunk by chunk rather than once complete. The dashboard's wasm
        // is the main beneficiary.
        .wrap(actix_web::middleware::Compress::default())
        .wrap(actix_web::middleware::from_fn(no_store_by_default))
        .wrap(actix_web::middleware::from_fn(
            crate::http::security_headers::policies,
        ))
        // Baseline browser hardening for the dashboard and the API alike.
        .wrap(
            actix_web::middleware::DefaultHeaders::new()
                .add(("X-Content-Type-Options", "nosniff"))
                .add(("X-Frame-Options", "DENY"))
                .add(("Referrer-Policy", "no-referrer")),
        )
        .wrap(actix_web::middleware::from_fn(
            crate::routes::metrics::record,
        ))
        .wrap(actix_web::middleware::from_fn(request_id_header))
        .wrap(TracingLogger::<crate::telemetry::RequestSpan>::new())
}

/// Cross-origin calls from the browser pages of the configured origins only
/// (`BAQYLAU_CORS_ORIGINS`); with none configured the layer is off and browsers keep the
/// API to the dashboard's own origin. Credentials are bearer tokens and API keys in
/// headers, never cookies, so none are allowed; what a client reads back (`ETag` for
/// `If-Match`, `Location`, `Retry-After`, the request id) is exposed.
fn cors(
    origins: &crate::config::CorsOrigins,
) -> actix_web::middleware::Condition<actix_cors::Cors> {
    use actix_web::http::{header, Method};
    let cors = origins
        .0
        .iter()
        .fold(actix_cors::Cors::default(), |cors, origin| {
            cors.allowed_origin(origin)
        });
    let cors = cors
        .allowed_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
            header::IF_MATCH,
            header::HeaderName::from_static("idempotency-key"),
            header::HeaderName::from_static("x-api-key"),
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            header::RETRY_AFTER,
            header::HeaderName::from_static("x-request-id"),
        ])
        .max_age(3600)
        // A simple request from another origin is answered as without CORS (no allow
        // header, so its browser keeps the answer from the page): a server that sends
        // `Origin` still gets its answer.
        .block_on_origin_mismatch(false);
    actix_web::middleware::Condition::new(!origins.0.is_empty(), cors)
}

/// The dashboard: static files with SPA fallback. `/api/*` never falls back to HTML.
fn dashboard(static_dir: &Path) -> Files {
    let index = static_dir.join("index.html");
    Files::new("/", static_dir)
        .index_file("index.html")
        .default_handler(fn_service(move |req: ServiceRequest| {
            let index = index.clone();
            async move {
                let (req, _) = req.into_parts();
                let response = crate::http::assets::spa_fallback(&req, Some(&index)).await;
                Ok(ServiceResponse::new(req, response))
            }
        }))
}

/// `/api/v1` answers carry personal data (appeals, users, the caller) or secrets (a new
/// API key): no cache may keep them unless a handler says otherwise.
async fn no_store_by_default(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let api = req.path().starts_with("/api/v1/");
    let mut res = next.call(req).await?;
    if !res.headers().contains_key(header::CACHE_CONTROL) {
        // The dashboard and the docs: kept, but revalidated (ETag, Last-Modified → 304),
        // so a new build is picked up at once and an unchanged one is not sent again.
        let value = if api { "no-store" } else { "no-cache" };
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    Ok(res)
}

/// PostgreSQL cannot hold NUL in text and no person types one, so a query parameter
/// carrying `%00` is refused here, for every route, before it can reach a query (bodies
/// get the same check in `extract::Body`).
async fn refuse_nul_in_query(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, BoxBody>>, actix_web::Error> {
    // Open311 answers in its own error format and checks its parameters itself.
    if req.path().starts_with("/open311/") {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let bad = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(name, value)| name.contains('\0') || value.contains('\0'))
        .map(|(name, _)| name.into_owned());
    match bad {
        Some(field) => {
            let error = ApiError::validation(
                &field,
                "invalid_characters",
                "must not contain NUL characters",
            );
            let (req, _) = req.into_parts();
            let response = actix_web::ResponseError::error_response(&error).map_into_right_body();
            Ok(ServiceResponse::new(req, response))
        }
        None => Ok(next.call(req).await?.map_into_left_body()),
    }
}

/// Echoes the request id (from tracing-actix-web) so clients can quote it.
async fn request_id_header(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req.extensions().get::<RequestId>().map(|id| id.to_string());
    let mut res = next.call(req).await?;
    if let Some(id) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        res.headers_mut()
            .insert(HeaderName::from_static("x-request-id"), id);
    }
    Ok(res)
}

/// Safety net: any error response that is not already problem+json (actix's own 404,
/// 405, 413, ...) is rewritten into one, so clients never see a bare text body.
fn problem_for_bare_errors<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let already_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON));
    let status = res.status();
    if already_problem || !(status.is_client_error() || status.is_server_error()) {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    if res.request().path().starts_with("/open311/") {
        return Ok(ErrorHandlerResponse::Response(open311_error(res)));
    }
    let (status, allow) = match (
        status,
        res.request()
            .app_data::<web::Data<crate::http::openapi::RouteTable>>(),
    ) {
        // actix answers 405 itself when a path has routes for other methods, and the
        // dashboard fallback answers 404; both get the documented methods in `Allow`.
        (StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED, Some(routes)) => {
            match routes.methods_for(res.request().path()) {
                Some(methods) if !methods.contains(res.request().method()) => (
                    StatusCode::METHOD_NOT_ALLOWED,
                    Some(
                        methods
                            .iter()
                            .map(|m| m.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                ),
                _ => (status, None),
            }
        }
        _ => (status, None),
    };
    let code = match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::BAD_REQUEST => "bad_request",
        s if s.is_server_error() => "internal_error",
        _ => "error",
    };
    let detail = status.canonical_reason().unwrap_or("error").to_lowercase();
    let (req, old) = res.into_parts();
    let mut response = problem_response(status, &problem(status, code, detail, Vec::new(), None));
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
    if let Some(allow) = allow.and_then(|a| HeaderValue::from_str(&a).ok()) {
        response.headers_mut().insert(header::ALLOW, allow);
    }
    let response: HttpResponse<EitherBody<B, BoxBody>> = response.map_into_right_body();
    Ok(ErrorHandlerResponse::Response(ServiceResponse::new(
        req, response,
    )))
}

/// Open311 errors stay GeoReport arrays: the handlers' own are kept, and actix's bare
/// ones (404, 405, 413, ...) become one.
fn open311_error<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> ServiceResponse<EitherBody<B, BoxBody>> {
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return res.map_into_left_body();
    }
    let status = res.status();
    let description = status.canonical_reason().unwrap_or("error").to_lowercase();
    let (req, _) = res.into_parts();
    let response = HttpResponse::build(status)
        .json([baqylau_wire::open311::Open311Error {
            code: status.as_u16(),
            description,
        }])
        .map_into_right_body();
    ServiceResponse::new(req, response)
}

/// The OpenAPI document of this build.
pub fn openapi_spec() -> utoipa::openapi::OpenApi {
    crate::http::openapi::complete(
        crate::http::openapi::register(App::new().into_utoipa_app())
            .split_for_parts()
            .1,
    )
}
