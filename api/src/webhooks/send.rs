//! The HTTP side of a delivery: the client (rustls, verified certificates, no redirects,
//! no proxies, timeouts) and what an attempt came to.
//!
//! Trusted roots: the platform's store (`rustls-native-certs`), the public web roots
//! (`webpki-roots`, so public receivers keep working when `SSL_CERT_FILE` replaces the
//! platform store for `rustls-native-certs`), and the PEM file named by
//! `SSL_CERT_FILE` (`WebhookArgs::webhook_ca_file`), loaded here explicitly so that an
//! office's own CA is trusted whatever the platform's store holds. Verification is never
//! turned off: there is no setting for it.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context as _;

/// What one attempt came to.
pub struct Outcome {
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i64,
    pub succeeded: bool,
}

impl Outcome {
    /// An attempt that failed before anything was sent.
    pub fn refused(error: String) -> Outcome {
        Outcome {
            status_code: None,
            error: Some(error),
            duration_ms: 0,
            succeeded: false,
        }
    }
}

/// How the client connects.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The whole delivery: connect, send, answer.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Extra trusted CAs (PEM), the file named by `SSL_CERT_FILE`.
    pub ca_file: Option<std::path::PathBuf>,
}

/// The extra roots of `path`: every certificate of a PEM bundle. An unreadable file or
/// one without a certificate stops the start: deliveries would otherwise fail, one by
/// one, for a reason nobody is told.
fn extra_roots(path: &Path) -> anyhow::Result<Vec<reqwest::Certificate>> {
    let pem = std::fs::read(path)
        .with_context(|| format!("SSL_CERT_FILE {}: cannot read", path.display()))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem)
        .with_context(|| format!("SSL_CERT_FILE {}: not a PEM bundle", path.display()))?;
    anyhow::ensure!(
        !certs.is_empty(),
        "SSL_CERT_FILE {}: no certificate in it",
        path.display()
    );
    Ok(certs)
}

/// The common part of every webhook client.
pub fn client_builder(config: &ClientConfig) -> anyhow::Result<reqwest::ClientBuilder> {
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_native_certs(true)
        .tls_built_in_webpki_certs(true)
        .timeout(config.timeout)
        .connect_timeout(config.connect_timeout.min(config.timeout))
        .redirect(reqwest::redirect::Policy::none())
        // A proxy from the environment would be asked to connect instead, out of the
        // destination guard's sight.
        .no_proxy()
        .user_agent(concat!("Baqylau-Webhooks/", env!("CARGO_PKG_VERSION")));
    if let Some(path) = &config.ca_file {
        for cert in extra_roots(path)? {
            builder = builder.add_root_certificate(cert);
        }
    }
    Ok(builder)
}

/// POSTs `body` with `headers` and says what came of it. Anything but a 2xx fails.
pub async fn post(
    client: &reqwest::Client,
    timeout: Duration,
    url: &str,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
) -> Outcome {
    let started = Instant::now();
    let result = client.post(url).headers(headers).body(body).send().await;
    let duration_ms = started.elapsed().as_millis() as i64;
    match result {
        Ok(response) => {
            let status = response.status();
            Outcome {
                status_code: Some(i32::from(status.as_u16())),
                error: (!status.is_success()).then(|| format!("HTTP {}", status.as_u16())),
                duration_ms,
                succeeded: status.is_success(),
            }
        }
        Err(error) => Outcome {
            status_code: None,
            error: Some(describe(&error, timeout)),
            duration_ms,
            succeeded: false,
        },
    }
}

/// An admin-readable reason: a timeout, or the innermost cause of a failed connection
/// (a refused port, an unknown name, a certificate that does not verify, a destination
/// the guard refused).
fn describe(error: &reqwest::Error, timeout: Duration) -> String {
    if error.is_timeout() {
        return format!("no answer within {} ms", timeout.as_millis());
    }
    let mut cause: &dyn std::error::Error = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    if error.is_connect() {
        format!("could not connect: {cause}")
    } else {
        format!("request failed: {cause}")
    }
}
