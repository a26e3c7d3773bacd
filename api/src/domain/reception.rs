//! The mobile reception's lifecycle graph: a rule of this server, like the appeal's.

use baqylau_wire::receptions::ReceptionStatus;

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

/// Appeals can be taken on site only at a reception that is (or is about to be) held.
pub fn takes_appeals(status: ReceptionStatus) -> bool {
    matches!(status, ReceptionStatus::Planned | ReceptionStatus::Held)
}

/// Whether a reception in this status occupies its participants' time: a cancelled one
/// frees them.
pub fn books_participants(status: ReceptionStatus) -> bool {
    status != ReceptionStatus::Cancelled
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReceptionStatus::*;

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
}
