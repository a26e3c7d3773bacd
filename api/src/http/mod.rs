//! Everything about serving HTTP that is not a handler: the server's assembly, the
//! dashboard's assets, security headers and the OpenAPI document.

/// The dashboard's precompressed, revalidated assets.
pub mod assets;
/// The OpenAPI root and route registration.
pub mod openapi;
/// Content-Security-Policy and Permissions-Policy for the dashboard and the docs.
pub mod security_headers;
/// Application assembly: listener, middleware, routes.
pub mod startup;

/// The test that keeps HTTP types out of capabilities.
#[cfg(test)]
mod edge;
