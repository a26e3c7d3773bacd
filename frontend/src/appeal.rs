//! The appeal's vocabulary as the API spells it: statuses, the lifecycle graph, channels.
//!
//! `baqylau-wire` carries these as plain strings. The lifecycle graph is not repeated
//! here: each appeal lists the statuses its reader may move it to
//! (`allowed_transitions`), and the server decides.

/// Where an appeal stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    Registered,
    UnderControl,
    Assigned,
    InProgress,
    Resolved,
    Explained,
    Rejected,
    Forwarded,
    Reopened,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::Registered,
        Status::UnderControl,
        Status::Assigned,
        Status::InProgress,
        Status::Resolved,
        Status::Explained,
        Status::Rejected,
        Status::Forwarded,
        Status::Reopened,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Registered => "registered",
            Status::UnderControl => "under_control",
            Status::Assigned => "assigned",
            Status::InProgress => "in_progress",
            Status::Resolved => "resolved",
            Status::Explained => "explained",
            Status::Rejected => "rejected",
            Status::Forwarded => "forwarded",
            Status::Reopened => "reopened",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.as_str() == s)
    }

    /// The lifecycle graph: outcomes (resolved, explained, rejected, forwarded) close an
    /// appeal, `reopened` takes a closed one back into work.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            Status::Resolved | Status::Explained | Status::Rejected | Status::Forwarded
        )
    }

    /// What a move to this status must carry besides an optional comment.
    pub fn requirement(self) -> Requirement {
        match self {
            Status::Resolved | Status::Explained | Status::Rejected => Requirement::Resolution,
            Status::Forwarded => Requirement::ForwardedTo,
            Status::Assigned => Requirement::AssignedBody,
            Status::Reopened => Requirement::Comment,
            Status::Registered | Status::UnderControl | Status::InProgress => Requirement::None,
        }
    }
}

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

/// How an appeal reached the party.
pub const CHANNELS: [&str; 9] = [
    "reception_room",
    "mobile_reception",
    "business_reception",
    "debate_club",
    "public_council",
    "online",
    "phone",
    "letter",
    "state_portal",
];

/// The languages a citizen may write in.
pub const LANGUAGES: [&str; 2] = ["kk", "ru"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("closed"), None);
    }

    #[test]
    fn every_target_with_a_written_outcome_requires_it() {
        assert_eq!(Status::Resolved.requirement(), Requirement::Resolution);
        assert_eq!(Status::Rejected.requirement(), Requirement::Resolution);
        assert_eq!(Status::Forwarded.requirement(), Requirement::ForwardedTo);
        assert_eq!(Status::Reopened.requirement(), Requirement::Comment);
        assert_eq!(Status::UnderControl.requirement(), Requirement::None);
    }
}
