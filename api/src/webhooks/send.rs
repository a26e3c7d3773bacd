//! The HTTP side of a delivery: the clients (rustls, verified certificates, no
//! redirects, no proxies, timeouts) and what an attempt came to.
//!
//! The destination guard (`domain::destination`): the worker vets each URL before
//! sending; a name is then resolved by the guarded client's own resolver, which refuses
//! the whole destination if any address is not public and otherwise hands exactly those
//! addresses to the connector — the name is resolved once, so a DNS answer that
//! changes between the check and the connection (rebinding) cannot slip through.
//! Allow-listed hosts use a client with the ordinary resolver.
//!
//! Trusted roots: the platform's store (`rustls-native-certs`), the public web roots
//! (`webpki-roots`, so public receivers keep working when `SSL_CERT_FILE` replaces the
//! platform store for `rustls-native-certs`), and the PEM file named by
//! `SSL_CERT_FILE` (`WebhookArgs::webhook_ca_file`), loaded here explicitly so that an
//! office's own CA is trusted whatever the platform's store holds. Verification is never
//! turned off: there is no setting for it.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::domain::destination::{refusal, Vetted};

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

/// The destination guard refused an address a name resolved to.
#[derive(Debug)]
pub struct DestinationRefused(pub String);

impl std::fmt::Display for DestinationRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "destination not allowed: {}", self.0)
    }
}

impl std::error::Error for DestinationRefused {}

/// Every address `host` resolves to, when all of them are public.
pub async fn resolve_public(
    host: &str,
) -> Result<Vec<SocketAddr>, Box<dyn std::error::Error + Send + Sync>> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, 0)).await?.collect();
    for addr in &addrs {
        if let Some(why) = refusal(addr.ip()) {
            return Err(Box::new(DestinationRefused(format!(
                "{host} resolves to {}, a {why} address",
                addr.ip()
            ))));
        }
    }
    Ok(addrs)
}

/// The guarded client's resolver ([`resolve_public`]).
struct GuardedResolver;

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs = resolve_public(&host).await?;
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// The two clients: guarded for vetted public destinations, open for allow-listed ones.
pub struct Clients {
    guarded: reqwest::Client,
    open: reqwest::Client,
}

impl Clients {
    pub fn new(config: &ClientConfig) -> anyhow::Result<Clients> {
        Ok(Clients {
            guarded: client_builder(config)?
                .dns_resolver(Arc::new(GuardedResolver))
                .build()?,
            open: client_builder(config)?.build()?,
        })
    }

    /// The client for a destination `domain::destination::vet` let through.
    pub fn for_destination(&self, vetted: Vetted) -> &reqwest::Client {
        match vetted {
            Vetted::AllowListed => &self.open,
            Vetted::PublicAddress | Vetted::Name => &self.guarded,
        }
    }
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
        if let Some(refused) = next.downcast_ref::<DestinationRefused>() {
            return refused.to_string();
        }
        cause = next;
    }
    if error.is_connect() {
        format!("could not connect: {cause}")
    } else {
        format!("request failed: {cause}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_name_that_resolves_to_loopback_is_refused() {
        let error = resolve_public("localhost").await.unwrap_err();
        assert!(error.to_string().contains("loopback"), "{error}");
    }
}
