//! Deputies: the registry (maslikhat level, okrug, party roles, mandate), their
//! assignments to territories over time, and coverage of the territories that need one.
//! Ratings are in [`crate::ratings`], the cadre reserve in [`crate::reserve`].
//!
//! Scope: a deputy record belongs to its maslikhat's territory. A caller reaches a
//! deputy whose maslikhat lies in their subtree, or who is assigned to a territory in it
//! (a regional deputy answering for a Baizak okrug is visible to Baizak's staff), and a
//! deputy reaches their own record. Changing a record needs the maslikhat in the
//! caller's subtree. Assignments belong to the assigned territory.

pub mod assignments;
pub mod coverage;
pub mod model;
pub mod query;
pub mod registry;

pub use registry::{create, get, update};

/// The entity names in history rows, audit rows and idempotency records.
pub const KIND: &str = "deputy";
pub const ASSIGNMENT_KIND: &str = "assignment";

crate::versioned!(DeputyRows, deputies, "deputy");
crate::versioned!(AssignmentRows, assignments, "assignment");
