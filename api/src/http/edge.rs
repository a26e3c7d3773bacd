//! HTTP stays at the edge: handlers (`routes/`) and request plumbing (`extract/`, `http/`)
//! turn requests into typed input — `If-Match` into a `kit::write::Expected`, bodies into
//! wire types — and capabilities never see a request. So the seed, the command line, the
//! workers and the tests call the very operations the handlers call, and an operation
//! cannot grow a dependency on a header by accident.

use std::path::{Path, PathBuf};

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

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read api/src") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn capabilities_import_no_http_types() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    // Built from parts so that this file does not match itself.
    let needles = [["actix", "_web"].concat(), ["crate::", "extract"].concat()];
    let mut offenders = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // Top-level files (lib.rs, error.rs, ...) are not capabilities.
        if !relative.contains('/') || EDGE.iter().any(|(edge, _)| relative.starts_with(edge)) {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("read a source file");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if needles.iter().any(|needle| code.contains(needle.as_str())) {
                offenders.push(format!("{relative}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "a capability imports HTTP types (take typed input such as `kit::write::Expected` \
         and convert the request in the handler):\n{}",
        offenders.join("\n")
    );
}
