//! HTTP stays at the edge: handlers (`routes/`) and request plumbing (`extract/`, `http/`)
//! turn requests into typed input — `If-Match` into a `kit::write::Expected`, bodies into
//! wire types — and capabilities never see a request. So the seed, the command line, the
//! workers and the tests call the very operations the handlers call, and an operation
//! cannot grow a dependency on a header by accident.

/// Folders of `api/src` that are not capabilities and may speak HTTP, and why.
const EDGE: &[(&str, &str)] = &[
    ("routes/", "the handlers"),
    ("extract/", "reading requests"),
    (
        "http/",
        "serving: the listener, middleware, assets, the spec",
    ),
    (
        "auth/",
        "the `Caller` extractor reads credentials from the request",
    ),
    (
        "kit/",
        "`Versioned` answers, `Idempotent` reads its header and body",
    ),
    ("telemetry/", "request metrics and logs"),
    ("db/", "the pool's blocking runner"),
];

#[test]
fn capabilities_import_no_http_types() {
    // Built from parts so that this file does not match itself.
    let needles = [["actix", "_web"].concat(), ["crate::", "extract"].concat()];
    let offenders = crate::kit::source::offending_lines(
        // Top-level files (lib.rs, error.rs, ...) are not capabilities.
        |file| !file.contains('/') || EDGE.iter().any(|(edge, _)| file.starts_with(edge)),
        |code| needles.iter().any(|needle| code.contains(needle.as_str())),
    );
    assert!(
        offenders.is_empty(),
        "a capability imports HTTP types (take typed input such as `kit::write::Expected` \
         and convert the request in the handler):\n{}",
        offenders.join("\n")
    );
}
