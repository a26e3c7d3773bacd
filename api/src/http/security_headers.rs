//! Browser hardening headers beyond the baseline in `startup` (`nosniff`, `DENY`,
//! `no-referrer`): a Content-Security-Policy and a Permissions-Policy on every answer.
//!
//! The dashboard's policy allows code from this origin only: its scripts are files
//! (`boot.js` starts the module; no inline script), the wasm module needs
//! `'wasm-unsafe-eval'` to be compiled, and nothing sets an inline style. The API docs
//! (Swagger UI) are files too, but Swagger UI sets inline styles and uses `data:`
//! images, so its pages allow those and nothing more. Nothing may frame either
//! (`frame-ancestors 'none'`, clickjacking), and `object-src`/`base-uri` are closed.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue, CONTENT_SECURITY_POLICY};

/// Every answer outside the API docs: the dashboard, its files, the API's JSON.
pub const APP_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
     worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// `/api/docs/`: Swagger UI's inline styles and `data:` images, its scripts as files.
pub const DOCS_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// Powerful features neither page uses, refused to the page and to anything it embeds.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), camera=(), geolocation=(), \
     gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), \
     browsing-topics=()";

/// Adds the two policies to every response.
pub async fn policies(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let docs = req.path() == "/api/docs" || req.path().starts_with("/api/docs/");
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    let csp = if docs { DOCS_POLICY } else { APP_POLICY };
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp));
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static(PERMISSIONS_POLICY),
    );
    Ok(res)
}
