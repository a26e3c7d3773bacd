//! The crate's own source, read by the tests that keep an architecture rule no type can
//! (`auth/system_callers.rs`, `http/edge.rs`): each names what a line may not contain and
//! which files are exempt, and this walks `api/src` for them the same way.

use std::path::{Path, PathBuf};

/// Every line of code (its `//` comment cut off) in the Rust files of `api/src` that
/// `offends`, as `path:line: text`; `exempt` is asked with each file's path relative to
/// `api/src`, `/`-separated, and skips the file when it answers true.
pub fn offending_lines(
    exempt: impl Fn(&str) -> bool,
    offends: impl Fn(&str) -> bool,
) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut offenders = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if exempt(&relative) {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("read a source file");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if offends(code) {
                offenders.push(format!("{relative}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    offenders
}

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
