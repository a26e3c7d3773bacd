//! The cases of issue 18, generated from the spec like the rest of the matrix:
//!
//! - "visible but not organised by me": every write of receptions (and dialogue
//!   platforms: agenda, proposals), road maps and indicators, sent by each caller inside
//!   Baizak to what the region organises there. Reading is allowed (the reception visits
//!   Sarykemer; the regional road map is read downwards); writing is 403, or — for a
//!   creation naming the region as the parent — 403 or 422 `out_of_scope`.
//! - "a reference to an out-of-scope deputy": every field of a request body that names
//!   a deputy (`deputy_id`, `*_member_id`, also inside arrays), set to a Kordai deputy
//!   whom Baizak cannot reach, by a Baizak caller: 422 `out_of_scope` on that field.
//!
//! A new write route under these paths, or a new body field naming a deputy, is covered
//! the moment it is in the spec.

use reqwest::Method;
use serde_json::{json, Value};

use super::callers::Caller;
use super::fixtures::{Fixtures, Regional};
use super::{concrete_path, permitted, rule};
use crate::helpers::*;

/// Capabilities whose objects are visible beyond the territory that organises them.
pub const ORGANISED: &[&str] = &[
    "/api/v1/receptions",
    "/api/v1/roadmaps",
    "/api/v1/indicators",
];

/// Writes there that a caller who only sees the object may still make, and why.
pub const VISITORS_MAY: &[(&str, &str, &str)] = &[
    (
        "post",
        "/api/v1/receptions/{id}/appeals",
        "appeals taken on site are the caller's own, each inside their territory",
    ),
    (
        "post",
        "/api/v1/indicators/{id}/progress",
        "a district reports progress on the regional plan in its territory, a deputy on their indicators",
    ),
];

/// Whether `method template` changes an object of an organised capability (other than
/// the writes visitors may make).
pub fn organised_write(method: &str, template: &str) -> bool {
    let method = method.to_lowercase();
    matches!(method.as_str(), "post" | "put" | "patch" | "delete")
        && ORGANISED.iter().any(|p| template.starts_with(p))
        && !VISITORS_MAY
            .iter()
            .any(|(m, t, _)| *m == method && *t == template)
}

/// The regional object a template reaches, or `None` for a collection.
fn regional_path(template: &str, r: &Regional) -> Option<String> {
    let id = if template.starts_with("/api/v1/receptions/{id}") {
        r.reception
    } else if template.starts_with("/api/v1/roadmaps/{id}") {
        r.roadmap
    } else if template.starts_with("/api/v1/indicators/{id}") {
        r.indicator
    } else {
        return None;
    };
    Some(
        template
            .replace("{id}", &id.to_string())
            .replace("{pid}", &r.proposal.to_string()),
    )
}

fn has_error(res: &Response, field: Option<&str>, code: &str) -> bool {
    let body: Value = serde_json::from_str(&res.text).unwrap_or_default();
    res.status == 422
        && body["errors"].as_array().is_some_and(|errors| {
            errors
                .iter()
                .any(|e| e["code"] == code && field.is_none_or(|f| e["field"] == f))
        })
}

fn short(res: &Response) -> String {
    format!(
        "{} {}",
        res.status,
        res.text.chars().take(200).collect::<String>()
    )
}

/// Every write of the organised capabilities, as each caller inside Baizak, against
/// what the region organises. Returns the number of checks made.
pub async fn visible_but_not_organised(
    app: &TestApp,
    spec: &Value,
    callers: &[Caller],
    f: &Fixtures,
    failures: &mut Vec<String>,
) -> usize {
    let r = &f.regional;
    let inside: Vec<&Caller> = callers
        .iter()
        .filter(|c| {
            c.path
                .as_deref()
                .is_some_and(|p| p.starts_with(&f.baizak_path))
        })
        .collect();
    let mut checks = 0;
    // The premise: each of them reads the region's objects.
    for caller in &inside {
        for path in [
            format!("/api/v1/receptions/{}", r.reception),
            format!("/api/v1/roadmaps/{}", r.roadmap),
            format!("/api/v1/indicators/{}", r.indicator),
        ] {
            let res = app.get(&path, &caller.auth).await;
            if res.status != 200 {
                failures.push(format!(
                    "GET {path} as {}: the region's object must be visible: {}",
                    caller.name,
                    short(&res)
                ));
            }
        }
    }
    let parent = json!({"territory_id": r.territory, "roadmap_id": r.roadmap, "section_id": r.section,
        "settlement_ids": [app.territory(kato::SARYKEMER)], "title": "Бөтен", "due_on": "2026-12-31"});
    // Deletions last: a deletion that wrongly succeeds must not hide the other failures.
    let mut ops: Vec<(&String, &String, &Value)> = spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(t, item)| {
            item.as_object()
                .unwrap()
                .iter()
                .map(move |(m, op)| (t, m, op))
        })
        .collect();
    ops.sort_by_key(|(_, m, _)| *m == "delete");
    for (template, method, op) in ops {
        {
            if !ORGANISED.iter().any(|p| template.starts_with(p)) {
                continue;
            }
            let Some(rule) = rule(op) else { continue };
            let visitor_may = !organised_write(method, template);
            if visitor_may
                && !VISITORS_MAY
                    .iter()
                    .any(|(m, t, _)| m == method && t == template)
            {
                continue; // a read
            }
            let (path, body) = match regional_path(template, r) {
                Some(path) => (path, json!({})),
                None => (template.clone(), parent.clone()),
            };
            let verb = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            for caller in inside.iter().filter(|c| permitted(&rule, c) == Some(true)) {
                assert!(!caller.covers(&r.path));
                let body = (verb != Method::DELETE).then(|| body.clone());
                let res = app
                    .request(
                        verb.clone(),
                        &path,
                        &caller.auth,
                        body,
                        &[("If-Match", "*")],
                    )
                    .await;
                let ok = if visitor_may {
                    !matches!(res.status.as_u16(), 401 | 403 | 404) && res.status.as_u16() < 500
                } else if template.contains('{') {
                    res.status == 403 && res.text.contains("\"code\":\"forbidden\"")
                } else {
                    res.status == 403 || has_error(&res, None, "out_of_scope")
                };
                if !ok {
                    let expected = if visitor_may { "allowed" } else { "refused" };
                    failures.push(format!("{method} {template} on the region's object as {}: expected {expected}, got {}", caller.name, short(&res)));
                }
                checks += 1;
            }
        }
    }
    assert!(
        checks >= 30,
        "only {checks} visible-but-not-organised checks ran"
    );
    checks
}

/// The fields of a JSON body schema that name a deputy, as `field` or `list[].field`.
fn deputy_fields(spec: &Value, schema: &Value, prefix: &str, depth: usize, out: &mut Vec<String>) {
    let resolve = |s: &Value| -> Value {
        match s["$ref"].as_str() {
            Some(r) => {
                spec["components"]["schemas"][r.trim_start_matches("#/components/schemas/")].clone()
            }
            None => s.clone(),
        }
    };
    let schema = resolve(schema);
    let Some(props) = schema["properties"].as_object() else {
        return;
    };
    for (name, prop) in props {
        if name == "deputy_id" || name.ends_with("_member_id") {
            out.push(format!("{prefix}{name}"));
        } else if depth < 2 && prop["type"] == "array" {
            deputy_fields(
                spec,
                &prop["items"],
                &format!("{prefix}{name}[]."),
                depth + 1,
                out,
            );
        } else if depth < 2 {
            deputy_fields(spec, prop, &format!("{prefix}{name}."), depth + 1, out);
        }
    }
}

/// A body naming `deputy` in `field` (`participants[].deputy_id` puts it in a list item),
/// with what the operations need to reach their check of it.
fn body_naming(f: &Fixtures, field: &str, deputy: i64) -> Value {
    let mut body = json!({"to": "assigned", "roadmap_id": f.roadmap.map(|r| r.0), "section_id": f.roadmap.map(|r| r.2),
        "role": "deputy", "period": "2026-01", "email": "named-deputy@m.kz", "display_name": "Депутат",
        "password": PASSWORD, "title": "Атау", "kind": "event", "due_on": "2026-12-31", "starts_on": "2026-01-01"});
    match field.split_once("[].") {
        Some((list, inner)) => {
            body[list] = json!([{inner: deputy, "full_name": "Бөтен депутат", "role": "deputy"}]);
        }
        None => body[field] = json!(deputy),
    }
    body
}

/// Every body field that names a deputy, set to Kordai's deputy by a Baizak caller
/// allowed the operation. Returns the number of checks made.
pub async fn out_of_scope_deputies(
    app: &TestApp,
    spec: &Value,
    callers: &[Caller],
    f: &Fixtures,
    failures: &mut Vec<String>,
) -> usize {
    let baizak: Vec<&Caller> = ["district_staff", "admin bound to Baizak"]
        .iter()
        .map(|n| callers.iter().find(|c| c.name == *n).unwrap())
        .collect();
    let mut checks = 0;
    for (template, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(schema) = op["requestBody"]["content"]
                .get("application/json")
                .map(|c| &c["schema"])
            else {
                continue;
            };
            let mut fields = Vec::new();
            deputy_fields(spec, schema, "", 0, &mut fields);
            let Some(rule) = rule(op) else { continue };
            let Some(caller) = baizak.iter().find(|c| permitted(&rule, c) == Some(true)) else {
                failures.push(format!(
                    "{method} {template}: no Baizak caller may call it to check {fields:?}"
                ));
                continue;
            };
            let Some(path) = concrete_path(template, f) else {
                continue;
            };
            let verb = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            for field in fields {
                let body = body_naming(f, &field, f.kordai_deputy);
                let res = app
                    .request(
                        verb.clone(),
                        &path,
                        &caller.auth,
                        Some(body),
                        &[("If-Match", "*")],
                    )
                    .await;
                let named = field.replace("[].", "[0].");
                if !has_error(&res, Some(&named), "out_of_scope") {
                    failures.push(format!("{method} {template} naming Kordai's deputy in {named} as {}: expected 422 out_of_scope, got {}", caller.name, short(&res)));
                }
                checks += 1;
            }
        }
    }
    assert!(
        checks >= 10,
        "only {checks} deputy fields found in the spec"
    );
    checks
}
