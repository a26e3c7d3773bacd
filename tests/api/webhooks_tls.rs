//! HTTPS webhooks: a receiver whose certificate comes from a private CA (an office's
//! own) is trusted when the server is given that CA (`SSL_CERT_FILE`), and refused —
//! the attempt recorded as failed — when it is not.

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::*;
use crate::webhooks::{appeal_body, fast, receive, Receiver, SECRET};

/// A private CA and a certificate it issued for 127.0.0.1 and localhost.
pub struct Pki {
    pub ca_pem: String,
    pub leaf_der: Vec<u8>,
    pub leaf_key_der: Vec<u8>,
    /// The same certificate and key as PEM files want them (a PostgreSQL server's).
    pub leaf_pem: String,
    pub leaf_key_pem: String,
}

pub fn pki() -> Pki {
    pki_named("Baqylau test office CA")
}

/// A new CA, named `ca_name`, each call: a second call gives a CA that did not issue the
/// first's certificate, even under the same name.
pub fn pki_named(ca_name: &str) -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, ca_name);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &ca_cert, &ca_key)
        .unwrap();
    Pki {
        ca_pem: ca_cert.pem(),
        leaf_der: leaf.der().to_vec(),
        leaf_key_der: leaf_key.serialize_der(),
        leaf_pem: leaf.pem(),
        leaf_key_pem: leaf_key.serialize_pem(),
    }
}

/// An HTTPS receiver on 127.0.0.1 presenting the CA's certificate; its URL.
async fn start_tls_receiver(pki: &Pki) -> (String, web::Data<Receiver>) {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    let tls = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(
        vec![CertificateDer::from(pki.leaf_der.clone())],
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.leaf_key_der.clone())),
    )
    .unwrap();
    let rx = Receiver::new(0, 0);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let data = rx.clone();
    let server = actix_web::HttpServer::new(move || {
        actix_web::App::new()
            .app_data(data.clone())
            .route("/hook", web::post().to(receive))
    })
    .workers(1)
    .listen_rustls_0_23(listener, tls)
    .unwrap()
    .run();
    tokio::spawn(server);
    (format!("https://127.0.0.1:{port}/hook"), rx)
}

/// Registers a webhook for `appeal.created` at `url` and creates one appeal; the
/// webhook's id and the admin who did it.
async fn hook_and_appeal(app: &TestApp, url: &str) -> (i64, Auth) {
    app.create_user("admin@w.kz", "admin", None, None);
    let admin = app.bearer("admin@w.kz").await;
    let res = app
        .post(
            "/api/v1/webhooks",
            &admin,
            json!({"url": url, "secret": SECRET, "event_types": ["appeal.created"]}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let hook = res.json()["id"].as_i64().unwrap();
    let res = app
        .post("/api/v1/appeals", &admin, appeal_body(app, "Су"))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    (hook, admin)
}

/// The first attempt recorded for the webhook's only delivery, once there is one.
pub async fn first_attempt(app: &TestApp, admin: &Auth, hook: i64) -> Value {
    for _ in 0..400 {
        let page = app
            .get(&format!("/api/v1/webhooks/{hook}/deliveries"), admin)
            .await
            .json();
        let attempt = &page["items"][0]["attempts"][0];
        // An attempt is on record as "no outcome" from the moment it is claimed.
        let outcome = attempt["error"]
            .as_str()
            .is_none_or(|e| !e.starts_with("no outcome recorded"));
        if attempt.is_object() && outcome {
            return attempt.clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no attempt recorded for webhook {hook}");
}

both_backends! {
    async fn an_https_receiver_of_a_private_ca_is_trusted_only_with_that_ca(app) {
        let pki = pki();
        let ca_dir = tempfile::tempdir().unwrap();
        let ca_file = ca_dir.path().join("office-ca.pem");
        std::fs::write(&ca_file, &pki.ca_pem).unwrap();
        let (url, rx) = start_tls_receiver(&pki).await;

        // Given the CA (as `SSL_CERT_FILE` would name it): delivered and signed.
        let ca = ca_file.clone();
        let app = respawn_with(app, move |s| {
            fast(s);
            s.webhooks.webhook_ca_file = Some(ca);
        })
        .await;
        let (hook, admin) = hook_and_appeal(&app, &url).await;
        let attempt = first_attempt(&app, &admin, hook).await;
        assert_eq!(attempt["succeeded"], true, "{attempt}");
        assert_eq!(attempt["status_code"], 200, "{attempt}");
        let log = rx.log.lock().unwrap().clone();
        assert_eq!(log.len(), 1, "{log:?}");
        let now = chrono::Utc::now().timestamp();
        assert!(baqylau::webhooks::sign::verify(SECRET.as_bytes(), log[0].timestamp, &log[0].body, &log[0].signature, now, 300));
        assert_eq!(log[0].event_header, "appeal.created");

        // Without it the certificate does not verify: nothing reaches the receiver and
        // the attempt is recorded as failed, with the reason.
        let app = respawn_with(app, fast).await;
        let (hook, admin) = hook_and_appeal(&app, &url).await;
        let attempt = first_attempt(&app, &admin, hook).await;
        assert_eq!(attempt["succeeded"], false, "{attempt}");
        assert_eq!(attempt["status_code"], Value::Null, "{attempt}");
        let error = attempt["error"].as_str().unwrap();
        assert!(error.contains("certificate"), "{error}");
        assert_eq!(rx.log.lock().unwrap().len(), 1, "the receiver got nothing more");
    }

    async fn a_ca_file_that_cannot_be_read_stops_the_start(app) {
        let backend = app.backend;
        drop(app);
        let dir = tempfile::tempdir().unwrap();
        let (target, _guard, static_dir) = fresh_database(backend).unwrap();
        let mut settings = settings(&target, static_dir.path().to_owned());
        settings.webhooks.webhook_ca_file = Some(dir.path().join("missing.pem"));
        let db = baqylau::db::Db::connect(target, 2).unwrap();
        db.migrate().unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let error = baqylau::http::startup::Application::build_with(settings, db, listener)
            .err()
            .expect("a CA file that cannot be read is a startup error");
        assert!(error.to_string().contains("SSL_CERT_FILE"), "{error}");
    }
}
