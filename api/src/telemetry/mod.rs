//! Structured logs with `tracing`: one line per finished request with its id, method,
//! path (never the query string, which may carry search terms or secrets — `code=`,
//! `api_key=`, `token=`), status and time. Secrets that travel in the path itself are
//! replaced before the path is logged ([`loggable_path`]).

/// Work waiting in the database (webhook backlog, overdue appeals), read at scrape time.
pub mod backlog;
/// Prometheus metrics of requests, the pool and the backlog.
pub mod metrics;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::HttpMessage;
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::EnvFilter;

/// Root span of a request; see the module docs for what it leaves out.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(|id| id.to_string())
            .unwrap_or_default();
        tracing::info_span!(
            "request",
            request_id = %request_id,
            method = %request.method(),
            path = %loggable_path(request.path()),
            status = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(
        span: Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        let status = match outcome {
            Ok(response) => response.status().as_u16(),
            Err(error) => error.as_response_error().status_code().as_u16(),
        };
        span.record("status", status);
    }
}

/// Path segments that are followed by a secret: `/api/v1/feedback/<token>` (a citizen's
/// one-time link; the database keeps only its hash, and so must the log).
const SECRET_AFTER: &[&str] = &["feedback"];

/// What is kept of the secret in a logged path.
pub const REDACTED: &str = "[redacted]";

/// `path` with every secret segment replaced by [`REDACTED`].
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    let segments: Vec<&str> = path.split('/').collect();
    let secret =
        |i: usize| i > 0 && SECRET_AFTER.contains(&segments[i - 1]) && !segments[i].is_empty();
    if !(0..segments.len()).any(secret) {
        return path.into();
    }
    segments
        .iter()
        .enumerate()
        .map(|(i, s)| if secret(i) { REDACTED } else { s })
        .collect::<Vec<_>>()
        .join("/")
        .into()
}

/// Installs the global subscriber: human-readable by default, JSON lines with
/// `BAQYLAU_LOG_FORMAT=json`; level from `RUST_LOG` (default `info`). Colours only on a
/// terminal (and never with `NO_COLOR`): in a file, a pipe or a log collector escape
/// codes are noise that breaks grep and parsers.
pub fn init() {
    use std::io::IsTerminal;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("BAQYLAU_LOG_FORMAT").is_ok_and(|v| v == "json");
    let colour = !json
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(FmtSpan::CLOSE)
        .with_target(false)
        .with_ansi(colour);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn secrets_in_paths_are_redacted_and_nothing_else_changes() {
        assert_eq!(
            loggable_path("/api/v1/feedback/AbC-12_xyz"),
            "/api/v1/feedback/[redacted]"
        );
        assert_eq!(
            loggable_path("/api/v1/feedback/AbC-12_xyz/"),
            "/api/v1/feedback/[redacted]/"
        );
        assert_eq!(
            loggable_path("//feedback/tok%20en"),
            "//feedback/[redacted]"
        );
        for kept in [
            "/api/v1/appeals/7/feedback-link",
            "/api/v1/feedback/",
            "/api/v1/feedback",
            "/api/v1/appeals?cursor=abc",
            "/",
            "",
        ] {
            assert_eq!(loggable_path(kept), kept);
        }
    }
}
