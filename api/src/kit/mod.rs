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
pub mod outbox;
pub mod page;
pub mod params;
pub mod respond;
pub mod sync;
/// Field checks that record every bad field and carry on.
pub mod validate;
pub mod write;
