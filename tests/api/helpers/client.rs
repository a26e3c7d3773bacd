//! Requests to the app under test: how they authenticate, what comes back, and the
//! direct database shortcuts (users, deputies, territories) the tests arrange data with.

use diesel::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::{TestApp, PASSWORD};

/// How a test request authenticates.
#[derive(Debug, Clone)]
pub enum Auth {
    None,
    Bearer(String),
    Key(String),
}

pub struct Response {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Response {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// Asserts a problem+json body with this status and code; returns the body.
    #[track_caller]
    pub fn problem(&self, status: u16, code: &str) -> Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
        assert!(
            self.header("content-type")
                .is_some_and(|c| c.starts_with("application/problem+json")),
            "content-type {:?}",
            self.header("content-type")
        );
        let body = self.json();
        assert_eq!(body["code"], code, "body: {}", self.text);
        assert_eq!(body["status"], status);
        body
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        auth: &Auth,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Response {
        let mut req = self.client.request(method, self.url(path));
        req = match auth {
            Auth::None => req,
            Auth::Bearer(t) => req.bearer_auth(t),
            Auth::Key(k) => req.header("X-API-Key", k),
        };
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.expect("request");
        Response {
            status: res.status(),
            headers: res.headers().clone(),
            text: res.text().await.unwrap_or_default(),
        }
    }

    pub async fn get(&self, path: &str, auth: &Auth) -> Response {
        self.request(Method::GET, path, auth, None, &[]).await
    }

    pub async fn post(&self, path: &str, auth: &Auth, body: Value) -> Response {
        self.request(Method::POST, path, auth, Some(body), &[])
            .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post(
            "/api/v1/auth/login",
            &Auth::None,
            json!({"email": email, "password": password}),
        )
        .await
    }

    /// Signs in and returns a bearer credential.
    pub async fn bearer(&self, email: &str) -> Auth {
        let res = self.login(email, PASSWORD).await;
        assert_eq!(res.status, 200, "{}", res.text);
        Auth::Bearer(res.json()["access_token"].as_str().unwrap().to_owned())
    }

    pub fn conn(&self) -> baqylau::db::PooledConn {
        self.db.get().expect("connection")
    }

    /// Moves pending reads of personal data into the audit chain now, as the server's
    /// sealer does every second (`audit::reveal`); the number moved.
    pub fn seal_audit(&self) -> usize {
        baqylau::audit::reveal::seal_all(&mut self.conn()).expect("seal")
    }

    pub fn territory(&self, kato: &str) -> i64 {
        use baqylau::db::schema::territories;
        territories::table
            .filter(territories::kato_code.eq(kato))
            .select(territories::id)
            .first(&mut *self.conn())
            .unwrap_or_else(|e| panic!("territory {kato}: {e}"))
    }

    /// Creates a user directly (as the command line would).
    pub fn create_user(
        &self,
        email: &str,
        role: &str,
        territory: Option<&str>,
        deputy_id: Option<i64>,
    ) -> i64 {
        let territory_id = territory.map(|k| self.territory(k));
        let mut conn = self.conn();
        baqylau::users::create(
            &mut conn,
            &baqylau::auth::Caller::system("test"),
            &baqylau::kit::clock::Clock::system(),
            baqylau::users::NewUser {
                email: email.to_owned(),
                display_name: email.to_owned(),
                password: baqylau::auth::password::NewPassword::prepare(PASSWORD).unwrap(),
                role: role.to_owned(),
                territory_id,
                deputy_id,
                active: true,
            },
        )
        .unwrap_or_else(|e| panic!("create user {email}: {e:?}"))
        .id
    }

    /// Creates a deputy record in the district maslikhat of `kato`, through the same
    /// operation `POST /deputies` runs (as the system).
    pub fn create_deputy(&self, name: &str, kato: &str) -> i64 {
        let maslikhat = self.territory(kato);
        let mut conn = self.conn();
        let request = baqylau::kit::idempotent::Request {
            key: None,
            hash: String::new(),
            body: baqylau_wire::deputies::CreateDeputy {
                full_name: name.to_owned(),
                level: "district".to_owned(),
                maslikhat_territory_id: Some(maslikhat),
                ..Default::default()
            },
        };
        baqylau::deputies::create(
            &mut conn,
            &baqylau::auth::Caller::system("test"),
            &baqylau::kit::clock::Clock::system(),
            &request,
        )
        .unwrap_or_else(|e| panic!("create deputy {name}: {e:?}"))
        .0
        .id
    }
}
