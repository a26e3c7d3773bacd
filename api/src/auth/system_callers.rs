//! The system caller sees and may do everything. An operation that serves a person and
//! reads as the system on their behalf shows them what their own scope hides (issue 18:
//! the reception report listed another district's appeals). So `Caller::system(..)` is
//! constructed only where no person or key is served: the command line, the demo seed,
//! and background workers. Tests outside `src/` may use it freely.

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

#[test]
fn only_the_cli_the_seed_and_workers_act_as_the_system() {
    let needle = ["Caller", "::system("].concat();
    let offenders = crate::kit::source::offending_lines(
        |file| ALLOWED.iter().any(|(allowed, _)| file.starts_with(allowed)),
        |code| code.contains(&needle),
    );
    assert!(
        offenders.is_empty(),
        "the system caller is built while serving a person (read through the caller's own \
         scope instead, or add the file to ALLOWED with the reason):\n{}",
        offenders.join("\n")
    );
}
