//! The capability kit: what every capability (appeals, users, receptions, road maps,
//! deputies, ...) is built from, so that none writes its own paging, clock or cursor.
//! See ARCHITECTURE.md.

/// Who made a change.
pub mod actor;
pub mod clock;
/// The one shape of a creation.
pub mod create;
pub mod export;
pub mod history;
pub mod idempotent;
/// One way to list: filters, sort keys, cursors, sync mode.
pub mod list;
/// What every operation is given: caller, clock, connection, and for a change its target.
pub mod op;
pub mod outbox;
pub mod respond;
/// The crate's own source, for the tests that keep its architecture rules.
#[cfg(test)]
pub mod source;
/// Field checks that record every bad field and carry on.
pub mod validate;
pub mod write;
