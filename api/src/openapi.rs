//! The OpenAPI root and the one place where routes are registered. Routes go through
//! utoipa-actix-web, so a handler without `#[utoipa::path]` cannot be mounted and the
//! spec cannot miss an endpoint.

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
    modifiers(&Security),
    tags(
        (name = "meta", description = "Health, readiness and the API description"),
        (name = "auth", description = "Sign-in, token refresh and the signed-in caller"),
        (name = "users", description = "Staff and deputies' accounts (admin)"),
        (name = "api-keys", description = "Keys for integrations (admin)"),
        (name = "reference", description = "Territories, appeal categories, the working-day calendar"),
        (name = "appeals", description = "Citizens' appeals under party control"),
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
}
