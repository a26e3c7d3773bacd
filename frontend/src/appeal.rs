//! The appeal's vocabulary as the API spells it: the wire crate's enums, so that the
//! dashboard and the server share one list of statuses, channels and languages.
//!
//! The lifecycle graph is not repeated here: each appeal lists the statuses its reader
//! may move it to (`allowed_transitions`), and the server decides. What the dashboard
//! adds is which field a move cannot do without, so that it can ask for it up front.

pub use baqylau_wire::appeals::{Channel, Language, Status};

/// The field a transition cannot do without (the API answers 422 otherwise).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requirement {
    None,
    /// The written answer: resolved, explained, rejected.
    Resolution,
    /// The competent body: forwarded.
    ForwardedTo,
    /// The responsible body: assigned. (The API also accepts a deputy; the dashboard
    /// has no deputies registry to pick one from yet.)
    AssignedBody,
    /// Why: reopened.
    Comment,
}

/// What a move to a status must carry besides an optional comment. A trait because
/// `Status` is the wire crate's; the `match` is exhaustive, so a new status does not
/// compile until it is decided here.
pub trait Requires {
    fn requirement(self) -> Requirement;
}

impl Requires for Status {
    fn requirement(self) -> Requirement {
        match self {
            Status::Resolved | Status::Explained | Status::Rejected => Requirement::Resolution,
            Status::Forwarded => Requirement::ForwardedTo,
            Status::Assigned => Requirement::AssignedBody,
            Status::Reopened => Requirement::Comment,
            Status::Registered | Status::UnderControl | Status::InProgress => Requirement::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_with_a_written_outcome_requires_it() {
        assert_eq!(Status::Resolved.requirement(), Requirement::Resolution);
        assert_eq!(Status::Rejected.requirement(), Requirement::Resolution);
        assert_eq!(Status::Forwarded.requirement(), Requirement::ForwardedTo);
        assert_eq!(Status::Reopened.requirement(), Requirement::Comment);
        assert_eq!(Status::UnderControl.requirement(), Requirement::None);
    }

    #[test]
    fn closed_statuses_are_the_outcomes() {
        let closed: Vec<Status> = Status::ALL.into_iter().filter(|s| s.is_closed()).collect();
        assert_eq!(
            closed,
            [
                Status::Resolved,
                Status::Explained,
                Status::Rejected,
                Status::Forwarded
            ]
        );
    }
}
