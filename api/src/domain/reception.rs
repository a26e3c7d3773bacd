//! The mobile reception's lifecycle graph: a rule of this server, like the appeal's.

use baqylau_wire::appeals::Channel;
use baqylau_wire::dialogue::ProposalOutcome;
use baqylau_wire::receptions::{ReceptionKind, ReceptionStatus};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::SelectableExpression;

use super::{spellings, Predicate};
use crate::db::schema::receptions;

/// The statuses a reception in `from` may move to. A held or cancelled reception is
/// final; a postponed one is planned again (with new dates) or cancelled.
pub fn next(from: ReceptionStatus) -> &'static [ReceptionStatus] {
    use ReceptionStatus::*;
    match from {
        Planned => &[Held, Postponed, Cancelled],
        Postponed => &[Planned, Cancelled],
        Held | Cancelled => &[],
    }
}

pub fn can_move(from: ReceptionStatus, to: ReceptionStatus) -> bool {
    next(from).contains(&to)
}

/// Whether a reception planned to start at `planned_start` can be recorded as held at
/// `now` (both UTC): not before it starts — a report of a visit that has not begun is a
/// mistake (a wrong date, or the wrong reception), and the rating would credit it early.
pub fn can_be_held_at(planned_start: NaiveDateTime, now: NaiveDateTime) -> bool {
    now >= planned_start
}

/// Appeals can be taken on site only at a reception that is (or is about to be) held.
pub fn takes_appeals(status: ReceptionStatus) -> bool {
    matches!(status, ReceptionStatus::Planned | ReceptionStatus::Held)
}

/// Whether a reception in this status occupies its participants' time: a cancelled one
/// frees them.
pub fn books_participants(status: ReceptionStatus) -> bool {
    status != ReceptionStatus::Cancelled
}

/// [`books_participants`] in SQL.
pub fn books_participants_sql<QS: 'static>() -> Predicate<QS>
where
    receptions::status: SelectableExpression<QS>,
{
    let booking = spellings(
        ReceptionStatus::ALL,
        books_participants,
        ReceptionStatus::as_str,
    );
    Box::new(receptions::status.eq_any(booking))
}

/// Whether a reception took place: what the ratings credit its participants for, the
/// overview counts and the coverage map shows as visited.
pub fn was_held(status: ReceptionStatus) -> bool {
    status == ReceptionStatus::Held
}

/// [`was_held`] in SQL.
pub fn was_held_sql<QS: 'static>() -> Predicate<QS>
where
    receptions::status: SelectableExpression<QS>,
{
    let held = spellings(ReceptionStatus::ALL, was_held, ReceptionStatus::as_str);
    Box::new(receptions::status.eq_any(held))
}

/// The channel of the appeals taken at an event of this kind — on site or from a
/// proposal taken under control. A control commission meeting has no channel of its own
/// (API.md lists none, and `appeals.channel` cannot gain one without rebuilding the
/// appeals table and its full-text triggers on SQLite): the commission sits at the
/// branch, whose public reception room registers what it takes under control.
pub fn channel(kind: ReceptionKind) -> Channel {
    match kind {
        ReceptionKind::MobileReception => Channel::MobileReception,
        ReceptionKind::DebateClub => Channel::DebateClub,
        ReceptionKind::PublicCouncil => Channel::PublicCouncil,
        ReceptionKind::BusinessReception => Channel::BusinessReception,
        ReceptionKind::ControlCommission => Channel::ReceptionRoom,
    }
}

/// Whether a proposal's outcome may be set by hand: not once it is under control (the
/// appeal decides its fate), and never to `under_control` (only taking it does that).
pub fn outcome_settable(from: ProposalOutcome, to: ProposalOutcome) -> bool {
    from != ProposalOutcome::UnderControl && to != ProposalOutcome::UnderControl
}

/// Whether a proposal may still be taken under control: open or accepted, not yet taken.
pub fn takeable(outcome: ProposalOutcome) -> bool {
    matches!(outcome, ProposalOutcome::Open | ProposalOutcome::Accepted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReceptionStatus::*;

    #[test]
    fn every_kind_has_a_channel_and_the_platforms_their_own() {
        for (kind, expected) in [
            (ReceptionKind::DebateClub, Channel::DebateClub),
            (ReceptionKind::PublicCouncil, Channel::PublicCouncil),
            (ReceptionKind::BusinessReception, Channel::BusinessReception),
            (ReceptionKind::MobileReception, Channel::MobileReception),
            (ReceptionKind::ControlCommission, Channel::ReceptionRoom),
        ] {
            assert_eq!(channel(kind), expected, "{kind:?}");
        }
        assert!(!outcome_settable(
            ProposalOutcome::UnderControl,
            ProposalOutcome::Implemented
        ));
        assert!(!outcome_settable(
            ProposalOutcome::Open,
            ProposalOutcome::UnderControl
        ));
        assert!(outcome_settable(
            ProposalOutcome::Open,
            ProposalOutcome::Rejected
        ));
        assert!(takeable(ProposalOutcome::Accepted) && !takeable(ProposalOutcome::Rejected));
    }

    #[test]
    fn the_graph_is_the_documented_one() {
        assert!(
            can_move(Planned, Held) && can_move(Planned, Postponed) && can_move(Planned, Cancelled)
        );
        assert!(can_move(Postponed, Planned) && can_move(Postponed, Cancelled));
        assert!(
            !can_move(Postponed, Held) && !can_move(Held, Planned) && !can_move(Cancelled, Planned)
        );
        assert!(takes_appeals(Held) && !takes_appeals(Cancelled) && !takes_appeals(Postponed));
    }

    #[test]
    fn a_reception_is_held_from_its_start_on() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        let start = at("2026-12-10 04:00:00");
        assert!(!can_be_held_at(start, at("2026-12-10 03:59:59")));
        assert!(can_be_held_at(start, start));
        assert!(can_be_held_at(start, at("2026-12-11 00:00:00")));
    }
}
