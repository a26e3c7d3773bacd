//! The access matrix: every protected operation in the OpenAPI document × every kind of
//! caller. Generated from the spec's security requirements, so a new route is covered
//! the moment it exists — and a route whose code disagrees with its documented roles
//! or scope fails here. Also generated: writes to what is visible to the caller but
//! organised elsewhere, and bodies naming a deputy out of the caller's reach
//! (`organiser.rs`).

mod callers;
mod escalate;
mod fixtures;
mod organiser;

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::*;
use callers::{setup, Caller};
use escalate::escalate;
use fixtures::Fixtures;

/// Appears only in data of Baizak district; must never reach a caller from elsewhere.
pub const MARKER: &str = "BAIZAK-ONLY-MARKER";

/// Appears only in data of Kordai district; must never reach a caller bound to Baizak.
pub const KORDAI_MARKER: &str = "KORDAI-ONLY-MARKER";

/// Operations a territory-bound admin is refused even though its role allows them:
/// their rows carry no territory to scope by.
const UNBOUND_ADMIN_ONLY: &[&str] = &["/api/v1/audit"];

/// Object routes whose objects belong to a territory: outsiders get 404 there.
const SCOPED_OBJECTS: &[&str] = &[
    "/api/v1/appeals/{id}",
    "/api/v1/receptions/{id}",
    "/api/v1/roadmaps/{id}",
    "/api/v1/indicators/{id}",
    "/api/v1/deputies/{id}",
    "/api/v1/assignments/{id}",
    "/api/v1/reserve/{id}",
    "/api/v1/territories/{id}/deputies",
];

fn concrete_path(template: &str, f: &Fixtures) -> Option<String> {
    if !template.contains('{') {
        return Some(template.to_owned());
    }
    let id = if template.starts_with("/api/v1/users/{id}") {
        f.target_user
    } else if template.starts_with("/api/v1/api-keys/{id}") {
        f.victim_key
    } else if template.starts_with("/api/v1/territories/{id}") {
        f.territory
    } else if template.starts_with("/api/v1/appeals/{id}") {
        f.appeal?
    } else if template.starts_with("/api/v1/receptions/{id}") {
        f.reception
    } else if template.starts_with("/api/v1/roadmaps/{id}") {
        f.roadmap?.0
    } else if template.starts_with("/api/v1/indicators/{id}") {
        f.roadmap?.1
    } else if template.starts_with("/api/v1/deputies/{id}") {
        f.deputy
    } else if template.starts_with("/api/v1/assignments/{id}") {
        f.assignment
    } else if template.starts_with("/api/v1/reserve/{id}") {
        f.candidate
    } else if template.starts_with("/api/v1/webhooks/{id}") {
        f.webhook
    } else {
        panic!("the access matrix has no fixture for {template}: add one in tests/api/access_matrix/fixtures.rs");
    };
    Some(
        template
            .replace("{id}", &id.to_string())
            .replace("{pid}", &f.proposal.to_string()),
    )
}

struct Rule {
    roles: Vec<String>,
    /// `None`: keys never; `Some(vec![])`: any key; `Some(scopes)`: a key with one of them.
    key_scopes: Option<Vec<String>>,
}

fn rule(op: &Value) -> Option<Rule> {
    let security = op.get("security")?.as_array()?;
    if security.is_empty() {
        return None;
    }
    let mut roles = Vec::new();
    let mut key_scopes = None;
    for requirement in security {
        let names = |v: &Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_owned())
                .collect()
        };
        if let Some(r) = requirement.get("bearer") {
            roles = names(r);
        }
        if let Some(k) = requirement.get("api_key") {
            key_scopes = Some(names(k));
        }
    }
    Some(Rule { roles, key_scopes })
}

fn permitted(rule: &Rule, caller: &Caller) -> Option<bool> {
    match (&caller.auth, caller.role) {
        (Auth::None, _) => None,
        (Auth::Bearer(_), None) | (Auth::Key(_), None) if caller.scopes.is_empty() => None,
        (_, Some(role)) => Some(rule.roles.iter().any(|r| r == role)),
        (_, None) => Some(match &rule.key_scopes {
            None => false,
            Some(scopes) if scopes.is_empty() => true,
            Some(scopes) => scopes.iter().any(|s| caller.scopes.contains(&s.as_str())),
        }),
    }
}

both_backends! {
    async fn every_protected_route_for_every_caller(app) {
        let (callers, fixtures) = setup(&app).await;
        let spec = app.get("/api/openapi.json", &Auth::None).await.json();
        let mut failures = Vec::new();
        let mut checked = organiser::visible_but_not_organised(&app, &spec, &callers, &fixtures, &mut failures).await;
        checked += organiser::out_of_scope_deputies(&app, &spec, &callers, &fixtures, &mut failures).await;
        for (template, item) in spec["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let Some(rule) = rule(op) else { continue };
                let Some(path) = concrete_path(template, &fixtures) else { continue };
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                let body = matches!(method, Method::POST | Method::PUT | Method::PATCH).then(|| json!({}));
                // Destructive calls by permitted callers go last, so that the others still
                // find the fixture in place.
                let mut ordered: Vec<&Caller> = callers.iter().filter(|c| permitted(&rule, c) != Some(true)).collect();
                ordered.extend(callers.iter().filter(|c| permitted(&rule, c) == Some(true)));
                for caller in ordered {
                    let res = app.request(method.clone(), &path, &caller.auth, body.clone(), &[]).await;
                    let status = res.status.as_u16();
                    let scoped = SCOPED_OBJECTS.iter().any(|p| template.starts_with(p));
                    let unbound_only = caller.bound_admin && caller.role.is_some() && UNBOUND_ADMIN_ONLY.contains(&template.as_str());
                    let expected: &str = match permitted(&rule, caller) {
                        None => "401",
                        Some(false) => "403",
                        Some(true) if unbound_only => "403",
                        Some(true) if caller.outsider() && scoped => "404",
                        // The fixtures are Baizak's: the deputy of Sarykemer sees the
                        // reception that visits them, and changes none of it.
                        Some(true) if organiser::organised_write(method.as_str(), template)
                            && template.contains('{') && !caller.covers(&fixtures.baizak_path) => "403",
                        Some(true) => "allowed",
                    };
                    let ok = match expected {
                        "401" => status == 401,
                        "403" => status == 403,
                        "404" => status == 404,
                        _ => !matches!(status, 401 | 403 | 404) && status < 500,
                    };
                    if !ok {
                        failures.push(format!("{method} {template} as {}: expected {expected}, got {status}: {}", caller.name, res.text.chars().take(200).collect::<String>()));
                    }
                    if status >= 400 {
                        let is_problem = res.header("content-type").is_some_and(|c| c.starts_with("application/problem+json"));
                        if !is_problem {
                            failures.push(format!("{method} {template} as {}: {status} without problem+json", caller.name));
                        }
                    }
                    if caller.outsider() && res.text.contains(MARKER) {
                        failures.push(format!("{method} {template} as {}: leaked another district's data", caller.name));
                    }
                    if caller.bound_admin && res.text.contains(KORDAI_MARKER) {
                        failures.push(format!("{method} {template} as {}: leaked another district's data", caller.name));
                    }
                    checked += 1;
                }
            }
        }
        for caller in callers.iter().filter(|c| c.bound_admin) {
            checked += escalate(&app, caller, &fixtures, &mut failures).await;
        }
        println!("access matrix: {checked} checks, {} leaks", failures.len());
        assert!(failures.is_empty(), "{} of {checked} checks failed:\n{}", failures.len(), failures.join("\n"));
        assert!(checked > 150, "only {checked} checks ran");
    }
}
