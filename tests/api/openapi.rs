//! The committed OpenAPI document matches the code.

#[test]
fn committed_openapi_matches_the_code() {
    let generated = baqylau::http::startup::openapi_spec()
        .to_pretty_json()
        .unwrap()
        + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    if std::env::var("BAQYLAU_UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date; regenerate it with:\n\n    cargo run -q -p baqylau-api --bin baqylau -- openapi > openapi/openapi.json\n"
    );
}

#[test]
fn every_operation_documents_its_errors_and_security() {
    let spec: serde_json::Value =
        serde_json::from_str(&baqylau::http::startup::openapi_spec().to_json().unwrap()).unwrap();
    let public = [
        "/healthz",
        "/readyz",
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
        // A citizen's one-time feedback link: the token is the credential.
        "/api/v1/feedback/{token}",
    ];
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let secured = op
                .get("security")
                .and_then(|s| s.as_array())
                .is_some_and(|s| !s.is_empty());
            // Open311 is public by its specification; its POST carries the key in the form.
            let is_public = public.contains(&path.as_str()) || path.starts_with("/open311/");
            assert_eq!(
                secured, !is_public,
                "{method} {path}: security requirements must list roles/scopes unless public"
            );
            if secured {
                assert!(
                    op["responses"]["401"].is_object(),
                    "{method} {path} documents 401"
                );
            }
            // A key reused with another body is answered 409 `idempotency_key_reused`.
            let keyed = op["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["name"] == "Idempotency-Key"));
            if keyed {
                assert!(
                    op["responses"]["409"].is_object(),
                    "{method} {path} takes Idempotency-Key and documents 409"
                );
            }
        }
    }
}

#[test]
fn operation_ids_are_unique() {
    let spec: serde_json::Value =
        serde_json::from_str(&baqylau::http::startup::openapi_spec().to_json().unwrap()).unwrap();
    let mut seen = std::collections::HashMap::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            if let Some(other) = seen.insert(id.to_owned(), format!("{method} {path}")) {
                panic!("operationId {id:?} is used by {other} and {method} {path}");
            }
        }
    }
}

/// Fields and parameters with these names hold one of a fixed set of values, so the spec
/// must say which (an `enum`, directly, through `$ref`, or in `items`): generated clients
/// then get types, and fuzzers stay inside the contract.
const ENUMERATED: &[&str] = &[
    "status",
    "channel",
    "role",
    "level",
    "kind",
    "language",
    "mandate_status",
    "actor_kind",
    "scopes",
    "format",
    "sort",
];

/// Enumerated only as a body field: the transition target. (The audit trail's `to`
/// query parameter is a time.)
const ENUMERATED_FIELDS_ONLY: &[&str] = &["to"];

/// (schema, property) pairs that share a name with an enumerated field but are not one.
const NOT_ENUMERATED: &[(&str, &str)] = &[
    // RFC 9457: the HTTP status code, a number.
    ("Problem", "status"),
    // A party role's end date (API.md: `{role, from, to}`).
    ("PartyRole", "to"),
    ("PartyRoleInput", "to"),
];

fn has_enum(spec: &serde_json::Value, schema: &serde_json::Value) -> bool {
    if schema.get("enum").is_some() {
        return true;
    }
    if let Some(reference) = schema.get("$ref").and_then(|r| r.as_str()) {
        let name = reference.trim_start_matches("#/components/schemas/");
        return has_enum(spec, &spec["components"]["schemas"][name]);
    }
    if let Some(items) = schema.get("items") {
        return has_enum(spec, items);
    }
    for combinator in ["oneOf", "anyOf", "allOf"] {
        if let Some(alternatives) = schema.get(combinator).and_then(|a| a.as_array()) {
            // `null` beside the enum is how an optional field is written.
            return alternatives
                .iter()
                .filter(|a| a.get("type").and_then(|t| t.as_str()) != Some("null"))
                .all(|a| has_enum(spec, a));
        }
    }
    false
}

/// Every property, anywhere in `value`, named in `names` and lacking an enum, as
/// `context.property`.
fn unenumerated_properties(
    spec: &serde_json::Value,
    context: &str,
    value: &serde_json::Value,
    out: &mut Vec<String>,
) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(properties) = map.get("properties").and_then(|p| p.as_object()) {
                for (name, schema) in properties {
                    let named = ENUMERATED.contains(&name.as_str())
                        || ENUMERATED_FIELDS_ONLY.contains(&name.as_str());
                    let exempt = NOT_ENUMERATED.contains(&(context, name.as_str()));
                    if named && !exempt && !has_enum(spec, schema) {
                        out.push(format!("{context}.{name}"));
                    }
                }
            }
            for child in map.values() {
                unenumerated_properties(spec, context, child, out);
            }
        }
        serde_json::Value::Array(items) => {
            for child in items {
                unenumerated_properties(spec, context, child, out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_enumerated_field_and_parameter_lists_its_values() {
    let spec: serde_json::Value =
        serde_json::from_str(&baqylau::http::startup::openapi_spec().to_json().unwrap()).unwrap();
    let mut missing = Vec::new();
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        unenumerated_properties(&spec, name, schema, &mut missing);
    }
    let mut parameters = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let context = format!("{method} {path}");
            unenumerated_properties(&spec, &context, op, &mut missing);
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                if ENUMERATED.contains(&name) {
                    parameters += 1;
                    if !has_enum(&spec, &p["schema"]) {
                        missing.push(format!("{context} ?{name}"));
                    }
                }
            }
        }
    }
    assert!(
        parameters >= 8,
        "expected the enumerated query parameters, saw {parameters}"
    );
    assert!(
        missing.is_empty(),
        "these fields and parameters have no enum in the spec: {missing:#?}"
    );
}

#[test]
fn spec_enums_are_spelled_as_the_rust_enums() {
    use baqylau_wire::appeals::{AppealSort, Channel, ExportFormat, Language, Status};
    use baqylau_wire::auth::{ActorKind, CallerKind, Role, Scope};
    use baqylau_wire::meta::HealthStatus;
    use baqylau_wire::reference::{DayKind, TerritoryLevel};

    let spec: serde_json::Value =
        serde_json::from_str(&baqylau::http::startup::openapi_spec().to_json().unwrap()).unwrap();
    let expected: &[(&str, &[&str])] = &[
        ("Status", &Status::NAMES),
        ("Channel", &Channel::NAMES),
        ("Language", &Language::NAMES),
        ("AppealSort", &AppealSort::NAMES),
        ("ExportFormat", &ExportFormat::NAMES),
        ("Role", &Role::NAMES),
        ("Scope", &Scope::NAMES),
        ("CallerKind", &CallerKind::NAMES),
        ("ActorKind", &ActorKind::NAMES),
        ("TerritoryLevel", &TerritoryLevel::NAMES),
        ("DayKind", &DayKind::NAMES),
        ("HealthStatus", &HealthStatus::NAMES),
    ];
    for (name, names) in expected {
        let listed: Vec<&str> = spec["components"]["schemas"][name]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} is not an enum schema"))
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(listed, *names, "{name}");
    }
}

/// Access rules live in one place: every secured operation names its `Permission` and
/// its security requirements are exactly the ones generated from it.
#[test]
fn every_secured_operation_declares_its_permission() {
    let spec: serde_json::Value =
        serde_json::from_str(&baqylau::http::startup::openapi_spec().to_json().unwrap()).unwrap();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let security = &op["security"];
            if security.as_array().is_none_or(|s| s.is_empty()) {
                assert!(
                    op.get("x-permission").is_none(),
                    "{method} {path}: public with a permission"
                );
                continue;
            }
            let name = op["x-permission"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has security but no x-permission"));
            let permission = baqylau::auth::Permission::from_name(name)
                .unwrap_or_else(|| panic!("{method} {path}: unknown permission {name}"));
            let generated =
                serde_json::to_value(baqylau::http::openapi::security_for(permission)).unwrap();
            assert_eq!(security, &generated, "{method} {path}");
        }
    }
}

/// Integrators read the contract before they call it: every schema, and every JSON body
/// that is not simply a schema (or a list of one), shows a realistic value.
#[test]
fn every_schema_carries_an_example() {
    let spec: serde_json::Value =
        serde_json::from_str(&baqylau::http::startup::openapi_spec().to_json().unwrap()).unwrap();
    let mut missing = Vec::new();
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        if schema.get("example").is_none() {
            missing.push(name.clone());
        }
    }
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let request = op["requestBody"]["content"]
                .as_object()
                .into_iter()
                .flatten();
            let responses = op["responses"].as_object().into_iter().flatten();
            let bodies =
                request
                    .map(|(ct, c)| (format!("request {ct}"), c))
                    .chain(responses.flat_map(|(status, r)| {
                        let content = r["content"].as_object().into_iter().flatten();
                        content.map(move |(ct, c)| (format!("{status} {ct}"), c))
                    }));
            for (body, content) in bodies {
                let schema = &content["schema"];
                let named = schema.get("$ref").is_some() || schema["items"].get("$ref").is_some();
                // CSV and XLSX bodies are files; their columns are documented in prose.
                let json = body.contains("json");
                if json && !named && schema.get("example").is_none() {
                    missing.push(format!("{method} {path} {body}"));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "give these an example (`#[schema(example = json!({{..}}))]` on the type): {missing:#?}"
    );
}

/// An example that does not fit its own schema teaches integrators the wrong thing, so
/// each one is checked against the schema it illustrates: types, required and known
/// fields, enum values, lengths, dates, and IINs with a valid check digit.
#[test]
fn examples_match_their_schemas() {
    let spec: serde_json::Value =
        serde_json::from_str(&baqylau::http::startup::openapi_spec().to_json().unwrap()).unwrap();
    let mut errors = Vec::new();
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        if let Some(example) = schema.get("example") {
            conform(&spec, schema, example, name, &mut errors);
        }
    }
    assert!(
        errors.is_empty(),
        "examples that break their schema: {errors:#?}"
    );
}

fn resolve<'a>(
    spec: &'a serde_json::Value,
    schema: &'a serde_json::Value,
) -> &'a serde_json::Value {
    match schema.get("$ref").and_then(|r| r.as_str()) {
        Some(r) => resolve(
            spec,
            &spec["components"]["schemas"][r.rsplit('/').next().unwrap()],
        ),
        None => schema,
    }
}

/// The property names an object schema declares, through `$ref` and `allOf` (a
/// `#[serde(flatten)]` field), so a misspelt field in an example is caught.
fn declared(spec: &serde_json::Value, schema: &serde_json::Value, out: &mut Vec<String>) {
    let schema = resolve(spec, schema);
    if let Some(properties) = schema["properties"].as_object() {
        out.extend(properties.keys().cloned());
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        declared(spec, part, out);
    }
}

fn conform(
    spec: &serde_json::Value,
    schema: &serde_json::Value,
    value: &serde_json::Value,
    at: &str,
    errors: &mut Vec<String>,
) {
    use serde_json::Value;
    let schema = resolve(spec, schema);
    for part in schema["allOf"].as_array().into_iter().flatten() {
        conform_inner(spec, part, value, at, errors);
    }
    if let Some(alternatives) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        let fits = alternatives.iter().any(|a| {
            let mut tried = Vec::new();
            conform(spec, a, value, at, &mut tried);
            tried.is_empty()
        });
        if !fits {
            errors.push(format!("{at}: {value} fits none of the alternatives"));
        }
    }
    conform_inner(spec, schema, value, at, errors);
    if let Value::Object(fields) = value {
        let mut known = Vec::new();
        declared(spec, schema, &mut known);
        if !known.is_empty() {
            for name in fields.keys().filter(|n| !known.contains(n)) {
                errors.push(format!("{at}.{name}: not a field of the schema"));
            }
        }
    }
}

/// The checks of one schema object, without the unknown-field check (an `allOf` part
/// sees only some of the fields).
fn conform_inner(
    spec: &serde_json::Value,
    schema: &serde_json::Value,
    value: &serde_json::Value,
    at: &str,
    errors: &mut Vec<String>,
) {
    use serde_json::Value;
    let schema = resolve(spec, schema);
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(|t| t.as_str()).collect(),
        _ => Vec::new(),
    };
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let type_fits = types.is_empty()
        || types.contains(&kind)
        || (kind == "integer" && types.contains(&"number"));
    if !type_fits {
        errors.push(format!(
            "{at}: {value} is {kind}, the schema says {types:?}"
        ));
        return;
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !value.is_null() && !allowed.contains(value) {
            errors.push(format!("{at}: {value} is not one of {allowed:?}"));
        }
    }
    match value {
        Value::String(s) => {
            let length = s.chars().count() as u64;
            if schema["minLength"].as_u64().is_some_and(|min| length < min)
                || schema["maxLength"].as_u64().is_some_and(|max| length > max)
            {
                errors.push(format!("{at}: {s:?} breaks the length bounds"));
            }
            let parses = match schema["format"].as_str() {
                Some("date") => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
                Some("date-time") => chrono::DateTime::parse_from_rfc3339(s).is_ok(),
                _ => true,
            };
            if !parses {
                errors.push(format!("{at}: {s:?} is not a {}", schema["format"]));
            }
            // A full IIN in an example must be one the API accepts; masked ones are shown.
            let iin = at.ends_with(".iin") && !s.contains('*');
            if iin && baqylau::domain::iin::Iin::parse(s).is_err() {
                errors.push(format!("{at}: {s:?} is not a valid IIN"));
            }
        }
        Value::Number(n) => {
            let n = n.as_f64().unwrap();
            if schema["minimum"].as_f64().is_some_and(|min| n < min)
                || schema["maximum"].as_f64().is_some_and(|max| n > max)
            {
                errors.push(format!("{at}: {n} is out of bounds"));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                conform(spec, &schema["items"], item, &format!("{at}[{i}]"), errors);
            }
        }
        Value::Object(fields) => {
            for required in schema["required"].as_array().into_iter().flatten() {
                if !fields.contains_key(required.as_str().unwrap()) {
                    errors.push(format!("{at}: lacks the required {required}"));
                }
            }
            let properties = schema["properties"].as_object();
            for (name, field) in fields {
                if let Some(property) = properties.and_then(|p| p.get(name)) {
                    conform(spec, property, field, &format!("{at}.{name}"), errors);
                }
            }
        }
        _ => {}
    }
}
