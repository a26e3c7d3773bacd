//! The system caller sees and may do everything. An operation that serves a person and
//! reads as the system on their behalf shows them what their own scope hides (issue 18:
//! the reception report listed another district's appeals). So `Caller::system(..)` is
//! constructed only where no person or key is served: the command line, the demo seed,
//! and background workers. Tests outside `src/` may use it freely.

use std::path::{Path, PathBuf};

/// Files (relative to `api/src`) that may build the system caller, and why.
const ALLOWED: &[(&str, &str)] = &[
    (
        "cli.rs",
        "the command line acts for the operator at the console",
    ),
    ("seed/", "the demo seed runs before anyone signs in"),
    (
        "webhooks/worker.rs",
        "the delivery worker serves no request",
    ),
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
fn only_the_cli_the_seed_and_workers_act_as_the_system() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let needle = ["Caller", "::system("].concat();
    let mut offenders = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if ALLOWED
            .iter()
            .any(|(allowed, _)| relative.starts_with(allowed))
        {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("read a source file");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if code.contains(&needle) {
                offenders.push(format!("{relative}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "the system caller is built while serving a person (read through the caller's own \
         scope instead, or add the file to ALLOWED with the reason):\n{}",
        offenders.join("\n")
    );
}
