//! Deputies' ratings from measured work, monthly snapshots, the recall-risk list, and
//! citizens' one-time feedback links.
//!
//! A month's rating is computed from the data (`compute`, SQL aggregates grouped by
//! deputy). While the month runs it is computed on every read. Once the month is over,
//! `close` stores it (`rating_snapshots`) — the background job in every process, or
//! `baqylau ratings snapshot` — and from then on the stored value is the answer: a later
//! correction of an appeal or an indicator does not rewrite a published month. Reads
//! never store; until the month is stored they compute it as `close` will. Only `POST
//! /ratings/recompute` — explicit, permission `ratings.recompute`, audited score by score
//! — changes a stored month.

pub mod close;
pub mod compute;
pub mod feedback;
pub mod formula;
pub mod period;
pub mod snapshots;

pub use formula::formula;

/// The entity names in audit rows.
pub const SNAPSHOT_KIND: &str = "rating";
pub const FEEDBACK_KIND: &str = "feedback_link";

crate::versioned!(SnapshotRows, rating_snapshots, "rating");
