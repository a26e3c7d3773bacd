//! The capability kit: what every capability (appeals, users, receptions, road maps,
//! deputies, ...) is built from, so that none writes its own paging, clock or cursor.
//! See ARCHITECTURE.md.

pub mod clock;
pub mod export;
pub mod history;
pub mod idempotent;
pub mod outbox;
pub mod page;
pub mod params;
pub mod respond;
pub mod sync;
pub mod write;
