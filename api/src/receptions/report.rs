//! The report of a reception: who took part, residents heard, the appeals taken on site
//! and how they fare — counts per status, the resolved share, the overdue ones. The
//! appeals themselves export through the appeals' own table (`export_pages`).

use baqylau_wire::appeals::Status;
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
use crate::kit::export::Lang;

/// The report (every figure derived from the appeals as they are now).
pub fn report(
    conn: &mut DbConn,
    caller: &Caller,
    id: i64,
    today: NaiveDate,
) -> ApiResult<ReceptionSummary> {
    caller.authorize(Permission::ReceptionsRead)?;
    let row = model::load(conn, caller, id)?;
    let reception = model::view(conn, &row, caller.allows(Permission::ReceptionsWrite))?;
    // Every appeal of the reception, whatever the caller's own territory: the report is
    // the reception's, and lists show no personal data.
    let taken: Vec<crate::appeals::model::Joined> =
        crate::appeals::model::scoped(&Caller::system("reception report"), false)
            .filter(appeals::reception_id.eq(id))
            .order(appeals::id.asc())
            .load(conn)?;
    let mut by_status: Vec<StatusCount> = Vec::new();
    for (a, _) in &taken {
        match by_status.iter_mut().find(|c| c.status == a.status) {
            Some(c) => c.count += 1,
            None => by_status.push(StatusCount {
                status: a.status,
                count: 1,
            }),
        }
    }
    by_status.sort_by_key(|c| Status::ALL.iter().position(|s| *s == c.status));
    let total = taken.len() as i64;
    let resolved = taken
        .iter()
        .filter(|(a, _)| a.status == Status::Resolved)
        .count() as f64;
    let resolved_share = if total == 0 {
        0.0
    } else {
        (resolved * 1000.0 / total as f64).round() / 10.0
    };
    let overdue = taken
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
    })
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
