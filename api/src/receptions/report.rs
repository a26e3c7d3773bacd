//! The report of a reception or session: who took part, residents heard, the appeals
//! taken and how they fare — counts per status, the resolved share, the overdue ones —
//! and for a dialogue platform its agenda and protocol: topics, proposals per outcome,
//! and the appeals that follow proposals taken under control. The appeals export
//! through the appeals' own table (`export_pages`), the protocol through its own
//! (`protocol_pages`).

use baqylau_wire::appeals::Status;
use baqylau_wire::dialogue::{OutcomeCount, ProposalOutcome};
use baqylau_wire::personal::Disclosure;
use baqylau_wire::receptions::{ReceptionSummary, StatusCount};
use chrono::NaiveDate;
use diesel::prelude::*;

use super::model;
use crate::appeals::export::AppealPages;
use crate::appeals::query::Filter;
use crate::auth::{Caller, Permission};
use crate::db::schema::appeals;
use crate::db::DbConn;
use crate::domain::appeal::is_overdue;
use crate::error::ApiResult;
use crate::kit::export::{Cell, Column, Lang, Loaded, Table};

/// The report (every figure derived from the appeals as they are now).
pub fn report(
    conn: &mut DbConn,
    caller: &Caller,
    id: i64,
    today: NaiveDate,
) -> ApiResult<ReceptionSummary> {
    caller.authorize(Permission::ReceptionsRead)?;
    let row = model::load(conn, caller, id)?;
    let reception = model::view(conn, &row, model::writable(caller, &row))?;
    // The figures are the reception's: every appeal taken there counts, wherever it
    // sits, and only statuses and dates are read for them. The appeals themselves (the
    // overdue list, with names and addresses) are read through the caller's own scope:
    // an appeal of a neighbouring district taken at a regional reception is theirs to
    // see, not ours (`GET /appeals/{id}` would answer 404).
    let taken: Vec<(i64, Status)> = appeals::table
        .filter(appeals::reception_id.eq(id))
        .filter(appeals::deleted_at.is_null())
        .order(appeals::id.asc())
        .select((appeals::id, appeals::status))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .map(|(id, status)| Ok((id, crate::db::enum_column("appeals", "status", &status)?)))
        .collect::<QueryResult<_>>()?;
    let visible: Vec<crate::appeals::model::Joined> = crate::appeals::model::scoped(caller, false)
        .filter(appeals::reception_id.eq(id))
        .order(appeals::id.asc())
        .load(conn)?;
    let by_status = status_counts(taken.iter().map(|a| a.1));
    let topics = super::agenda::topics(conn, id)?.len() as i64;
    let protocol = super::proposals::all(conn, id)?;
    let proposals_by_outcome = ProposalOutcome::ALL
        .into_iter()
        .map(|outcome| OutcomeCount {
            outcome,
            count: protocol.iter().filter(|p| p.outcome == outcome).count() as i64,
        })
        .filter(|c| c.count > 0)
        .collect();
    let followed: Vec<Status> = taken
        .iter()
        .filter(|a| protocol.iter().any(|p| p.appeal_id == Some(a.0)))
        .map(|a| a.1)
        .collect();
    let total = taken.len() as i64;
    let resolved = taken.iter().filter(|a| a.1 == Status::Resolved).count() as f64;
    let resolved_share = if total == 0 {
        0.0
    } else {
        (resolved * 1000.0 / total as f64).round() / 10.0
    };
    let overdue = visible
        .iter()
        .filter(|(a, _)| is_overdue(a.status, a.due_on, a.extended_due_on, today))
        .map(|j| crate::appeals::model::view(j, Disclosure::Masked, false, today))
        .collect();
    Ok(ReceptionSummary {
        reception,
        appeals_taken: total,
        by_status,
        resolved_share,
        overdue,
        topics,
        proposals: protocol.len() as i64,
        proposals_by_outcome,
        appeals_from_proposals: followed.len() as i64,
        proposal_appeals_by_status: status_counts(followed.into_iter()),
    })
}

/// Counts per status, in the statuses' order; statuses with none are left out.
fn status_counts(statuses: impl Iterator<Item = Status>) -> Vec<StatusCount> {
    let mut counts: Vec<StatusCount> = Vec::new();
    for status in statuses {
        match counts.iter_mut().find(|c| c.status == status) {
            Some(c) => c.count += 1,
            None => counts.push(StatusCount { status, count: 1 }),
        }
    }
    counts.sort_by_key(|c| Status::ALL.iter().position(|s| *s == c.status));
    counts
}

/// One line of the protocol as exported.
pub struct ProtocolLine {
    number: i64,
    topic: Option<String>,
    text: String,
    author: Option<String>,
    outcome: ProposalOutcome,
    outcome_note: Option<String>,
    reg_number: Option<String>,
    appeal_status: Option<Status>,
}

/// The protocol's spreadsheet: one line per proposal, with the appeal that follows it.
pub static PROTOCOL: Table<ProtocolLine> = Table {
    name: "protocol",
    sheet: "Protocol",
    columns: &[
        Column {
            headers: ["№", "№", "No."],
            cell: |l| Cell::Int(l.number),
        },
        Column {
            headers: ["Тақырып", "Тема", "Topic"],
            cell: |l| Cell::opt_text(l.topic.as_deref()),
        },
        Column {
            headers: ["Ұсыныс", "Предложение", "Proposal"],
            cell: |l| Cell::text(l.text.clone()),
        },
        Column {
            headers: ["Авторы", "Автор", "Author"],
            cell: |l| Cell::opt_text(l.author.as_deref()),
        },
        Column {
            headers: ["Нәтижесі", "Результат", "Outcome"],
            cell: |l| Cell::text(l.outcome.as_str()),
        },
        Column {
            headers: ["Ескертпе", "Примечание", "Note"],
            cell: |l| Cell::opt_text(l.outcome_note.as_deref()),
        },
        Column {
            headers: ["Өтініш нөмірі", "Номер обращения", "Appeal number"],
            cell: |l| Cell::opt_text(l.reg_number.as_deref()),
        },
        Column {
            headers: ["Өтініш мәртебесі", "Статус обращения", "Appeal status"],
            cell: |l| Cell::opt_text(l.appeal_status.map(Status::as_str)),
        },
    ],
};

/// The protocol of a session the caller can see, for `kit::export` (a protocol is
/// bounded, `PROPOSALS_MAX`, so it is read at once).
pub fn protocol_pages(
    conn: &mut DbConn,
    caller: &Caller,
    id: i64,
) -> ApiResult<Loaded<ProtocolLine>> {
    caller.authorize(Permission::ReceptionsRead)?;
    model::load(conn, caller, id)?;
    let topics = super::agenda::topics(conn, id)?;
    let protocol = super::proposals::all(conn, id)?;
    let linked: Vec<i64> = protocol.iter().filter_map(|p| p.appeal_id).collect();
    let appeals: Vec<(i64, String, String)> = appeals::table
        .filter(appeals::id.eq_any(&linked))
        // As in the report: an appeal removed since is no longer counted or shown.
        .filter(appeals::deleted_at.is_null())
        .select((appeals::id, appeals::reg_number, appeals::status))
        .load(conn)?;
    let lines = protocol
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let appeal = appeals.iter().find(|a| Some(a.0) == p.appeal_id);
            let appeal_status = match appeal {
                Some(a) => Some(crate::db::enum_column::<Status>("appeals", "status", &a.2)?),
                None => None,
            };
            Ok(ProtocolLine {
                number: i as i64 + 1,
                topic: topics
                    .iter()
                    .find(|t| Some(t.id) == p.topic_id)
                    .map(|t| format!("{}. {}", t.position, t.title)),
                text: p.text,
                author: p.author,
                outcome: p.outcome,
                outcome_note: p.outcome_note,
                reg_number: appeal.map(|a| a.1.clone()),
                appeal_status,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Loaded::new(lines))
}

/// The appeals taken at a reception the caller can see, for `kit::export`: the appeals'
/// spreadsheet, limited to this reception and masked as lists are.
pub fn export_pages(
    conn: &mut DbConn,
    caller: Caller,
    id: i64,
    lang: Lang,
    today: NaiveDate,
) -> ApiResult<AppealPages> {
    caller.authorize(Permission::ReceptionsRead)?;
    model::load(conn, &caller, id)?;
    let filter = Filter {
        reception_id: Some(id),
        ..Filter::default()
    };
    AppealPages::new(caller, filter, lang, today).checked(conn)
}
