//! Deputies' ratings from measured work, monthly snapshots, the recall-risk list, and
//! citizens' one-time feedback links.
//!
//! A month's rating is computed from the data (`compute`, SQL aggregates grouped by
//! deputy). While the month runs it is computed on every read. The first read after the
//! month is over stores it (`rating_snapshots`), and from then on the stored value is the
//! answer: a later correction of an appeal or an indicator does not rewrite a published
//! month. Only `POST /ratings/recompute` — explicit, permission `ratings.recompute`,
//! audited score by score — changes a stored month.

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
