//! Cross-origin calls from browsers: only the origins `BAQYLAU_CORS_ORIGINS` names, none
//! by default.

use crate::both_backends;
use crate::helpers::*;

const CRM: &str = "https://crm.example.kz";

fn allowed(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_owned())
}

both_backends! {
    async fn no_origin_is_allowed_by_default(app) {
        let res = app.client.get(app.url("/healthz")).header("Origin", CRM).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(allowed(&res), None);
        let preflight = app
            .client
            .request(reqwest::Method::OPTIONS, app.url("/api/v1/appeals"))
            .header("Origin", CRM)
            .header("Access-Control-Request-Method", "POST")
            .send()
            .await
            .unwrap();
        assert_eq!(allowed(&preflight), None);
    }

    async fn a_configured_origin_may_call_and_read_what_clients_need(app) {
        let app = spawn_app_with(app.backend, |s| {
            s.cors_origins = format!("{CRM}, http://localhost:5173").parse().unwrap();
        })
        .await
        .unwrap();
        let preflight = app
            .client
            .request(reqwest::Method::OPTIONS, app.url("/api/v1/appeals"))
            .header("Origin", CRM)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "authorization, content-type, idempotency-key")
            .send()
            .await
            .unwrap();
        assert!(preflight.status().is_success(), "preflight: {}", preflight.status());
        assert_eq!(allowed(&preflight).as_deref(), Some(CRM));
        let methods = preflight.headers()["access-control-allow-methods"].to_str().unwrap().to_owned();
        assert!(methods.contains("POST") && methods.contains("PATCH"), "{methods}");
        let headers = preflight.headers()["access-control-allow-headers"].to_str().unwrap().to_lowercase();
        assert!(headers.contains("idempotency-key") && headers.contains("authorization"), "{headers}");

        let res = app.client.get(app.url("/healthz")).header("Origin", CRM).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(allowed(&res).as_deref(), Some(CRM));
        let exposed = res.headers()["access-control-expose-headers"].to_str().unwrap().to_lowercase();
        assert!(exposed.contains("etag") && exposed.contains("location"), "{exposed}");
        // Credentials are headers, never cookies: none are allowed.
        assert!(res.headers().get("access-control-allow-credentials").is_none());

        // Another origin is not let in, and a same-origin call (no `Origin`) is unchanged.
        let other = app.client.get(app.url("/healthz")).header("Origin", "https://evil.example").send().await.unwrap();
        assert_eq!(other.status(), 200);
        assert_eq!(allowed(&other), None);
        let refused = app
            .client
            .request(reqwest::Method::OPTIONS, app.url("/api/v1/appeals"))
            .header("Origin", "https://evil.example")
            .header("Access-Control-Request-Method", "POST")
            .send()
            .await
            .unwrap();
        assert_eq!(allowed(&refused), None);
        assert_eq!(refused.status(), 400);
        assert_eq!(
            refused.headers()["content-type"].to_str().unwrap(),
            "application/problem+json",
            "a refused preflight is a problem like any other"
        );
        let plain = app.client.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(plain.status(), 200);
    }
}
