//! Every `code` the server can send — a problem's or a field error's — has a text in
//! each language here. The codes are read from the server's sources, the way they are
//! written there: `FieldError::new(field, "code", ..)`, `ApiError::validation(field,
//! "code", ..)`, `ApiError::conflict("code", ..)`, `bad_request("code", ..)`,
//! `code: "code"`, the `code()` of a domain error (`Self::X => "code"`) and a constant
//! named in one of those. A new code without a translation fails this test, so a Kazakh
//! or Russian user never reads the server's English.

use std::collections::BTreeSet;
use std::path::Path;

use regex::Regex;

use super::problems::{field, problem};
use super::Lang;

/// Codes the server uses between its own parts and never sends.
const INTERNAL: &[&str] = &["idempotency_race", "rating_snapshot_race"];

fn sources(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("the server's sources are beside the dashboard's") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(std::fs::read_to_string(&path).expect("a readable source file"));
        }
    }
}

fn server_codes() -> BTreeSet<String> {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../api/src"),
        &mut files,
    );
    let arg = r#"(?:"([a-z_0-9]+)"|([A-Z][A-Z_0-9]+))"#;
    let patterns: Vec<Regex> = [
        format!(r"FieldError::new\(\s*[^;]*?,\s*{arg}\s*,"),
        format!(r"ApiError::validation\(\s*[^;]*?,\s*{arg}\s*,"),
        format!(r"(?:conflict|bad_request)\(\s*{arg}"),
        format!(r"\bcode:\s*{arg}"),
    ]
    .iter()
    .map(|p| Regex::new(p).expect("a valid pattern"))
    .collect();
    let domain_code = Regex::new(r#"Self::\w+\s*=>\s*"([a-z_0-9]+)""#).expect("a valid pattern");
    let code_fn = Regex::new(r"fn code\((?:&)?self\) -> &'static str \{").expect("valid");
    let constant = Regex::new(r#"const ([A-Z][A-Z_0-9]+): &str = "([a-z_0-9]+)";"#).expect("valid");
    let constants: Vec<(String, String)> = files
        .iter()
        .flat_map(|f| {
            constant
                .captures_iter(f)
                .map(|c| (c[1].to_owned(), c[2].to_owned()))
        })
        .collect();
    let mut codes = BTreeSet::new();
    for file in &files {
        for pattern in &patterns {
            for c in pattern.captures_iter(file) {
                if let Some(code) = c.get(1) {
                    codes.insert(code.as_str().to_owned());
                } else if let Some(name) = c.get(2) {
                    codes.extend(
                        constants
                            .iter()
                            .filter(|(n, _)| n == name.as_str())
                            .map(|(_, v)| v.clone()),
                    );
                }
            }
        }
        // A domain error's `code()`: the match of a `fn code`.
        for at in code_fn.find_iter(file) {
            let body = &file[at.end()..];
            let end = ["\n    }\n", "\n}\n"]
                .iter()
                .filter_map(|close| body.find(close))
                .min()
                .unwrap_or(body.len());
            codes.extend(
                domain_code
                    .captures_iter(&body[..end])
                    .map(|c| c[1].to_owned()),
            );
        }
    }
    codes.retain(|c| !INTERNAL.contains(&c.as_str()));
    codes
}

#[test]
fn every_code_the_server_sends_is_translated_into_every_language() {
    let codes = server_codes();
    // The scan itself must see the codes, or this test would pass on nothing.
    for expected in [
        "required",
        "phone_format",
        "iin_checksum",
        "email_taken",
        "sheet_too_large",
    ] {
        assert!(
            codes.contains(expected),
            "the scan missed {expected}: {codes:?}"
        );
    }
    let mut missing = Vec::new();
    for code in &codes {
        for lang in Lang::ALL {
            let text = field(lang, code).or_else(|| problem(lang, code));
            if text.is_none_or(|t| t.trim().is_empty()) {
                missing.push(format!("{code} ({lang:?})"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "no translation for: {}",
        missing.join(", ")
    );
}
