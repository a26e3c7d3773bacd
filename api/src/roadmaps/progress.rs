//! Progress updates: each is kept, and the indicator's actual value and status follow
//! from the latest one, in the same transaction (DECISIONS.md 8).

use baqylau_wire::roadmaps::{CreateProgress, IndicatorKind, IndicatorStatus, Progress};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::json;

use super::model::{self, IndicatorRow};
use super::{IndicatorRows, PROGRESS};
use crate::auth::{Caller, Permission};
use crate::db::schema::{indicator_progress, indicators};
use crate::db::DbConn;
use crate::domain::{dates, indicator};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::clock::Clock;
use crate::kit::idempotent::{self, Created, Request};
use crate::kit::list::{PageRequest, Slice};
use crate::kit::validate;
use crate::kit::write::{Change, Event, Versioned as _};

const COMMENT_MAX: usize = 2000;
const URL_MAX: usize = 2000;
const URLS_MAX: usize = 20;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = indicator_progress)]
pub struct ProgressRow {
    pub id: i64,
    pub indicator_id: i64,
    pub on: NaiveDate,
    pub done: Option<bool>,
    pub value: Option<f64>,
    pub comment: Option<String>,
    pub evidence_urls: String,
    pub actor_label: String,
    pub at: NaiveDateTime,
}

fn view(r: ProgressRow) -> Progress {
    Progress {
        id: r.id,
        indicator_id: r.indicator_id,
        date: r.on,
        done: r.done,
        value: r.value,
        comment: r.comment,
        // Written by this module from a Vec<String>; anything else is not a URL list.
        evidence_urls: serde_json::from_str(&r.evidence_urls).unwrap_or_default(),
        actor_label: r.actor_label,
        at: r.at.and_utc(),
    }
}

/// The status and actual value an update leads to: an event is done or not done; a
/// quantitative indicator takes the value reached and is done once it meets the target.
pub fn outcome(
    kind: IndicatorKind,
    target: Option<f64>,
    done: Option<bool>,
    value: Option<f64>,
    errors: &mut Vec<FieldError>,
) -> Option<(IndicatorStatus, Option<f64>)> {
    match kind {
        IndicatorKind::Event => {
            if value.is_some() {
                errors.push(FieldError::new(
                    "value",
                    "not_allowed",
                    "an event is reported with done",
                ));
            }
            match done {
                Some(true) => Some((IndicatorStatus::Done, None)),
                Some(false) => Some((IndicatorStatus::NotDone, None)),
                None => {
                    errors.push(FieldError::new(
                        "done",
                        "required",
                        "an event is reported with done: true or false",
                    ));
                    None
                }
            }
        }
        IndicatorKind::Quantitative => {
            if done.is_some() {
                errors.push(FieldError::new(
                    "done",
                    "not_allowed",
                    "a quantitative indicator is reported with value",
                ));
            }
            match value {
                Some(v) if !v.is_finite() => {
                    errors.push(FieldError::new(
                        "value",
                        "invalid",
                        "must be a finite number",
                    ));
                    None
                }
                Some(v) => {
                    let reached = target.is_some_and(|t| v >= t);
                    let status = if reached {
                        IndicatorStatus::Done
                    } else {
                        IndicatorStatus::InProgress
                    };
                    Some((status, Some(v)))
                }
                None => {
                    errors.push(FieldError::new(
                        "value",
                        "required",
                        "a quantitative indicator is reported with value",
                    ));
                    None
                }
            }
        }
    }
}

struct Checked {
    on: NaiveDate,
    comment: Option<String>,
    urls: String,
    status: IndicatorStatus,
    actual: Option<f64>,
}

fn check(row: &IndicatorRow, today: NaiveDate, b: &CreateProgress) -> ApiResult<Checked> {
    let mut errors = Vec::new();
    if row.status == IndicatorStatus::Cancelled {
        return Err(ApiError::conflict(
            "cancelled",
            "a cancelled indicator takes no progress",
        ));
    }
    let on = b.date.unwrap_or(today);
    if dates::check_date("date", on, &mut errors).is_some() && !indicator::reportable_on(on, today)
    {
        errors.push(FieldError::new(
            "date",
            "date_in_future",
            format!("must not be after today ({today})"),
        ));
    }
    let comment =
        validate::optional_text("comment", b.comment.as_deref(), COMMENT_MAX, &mut errors);
    if b.evidence_urls.len() > URLS_MAX {
        errors.push(FieldError::new(
            "evidence_urls",
            "too_many",
            format!("at most {URLS_MAX}"),
        ));
    }
    for (i, u) in b.evidence_urls.iter().enumerate() {
        let ok = (u.starts_with("https://") || u.starts_with("http://"))
            && u.len() <= URL_MAX
            && !u.chars().any(char::is_whitespace);
        if !ok {
            errors.push(FieldError::new(
                format!("evidence_urls[{i}]"),
                "url",
                "must be an http(s) URL",
            ));
        }
    }
    let result = outcome(row.kind, row.target, b.done, b.value, &mut errors);
    match result {
        Some((status, actual)) if errors.is_empty() => Ok(Checked {
            on,
            comment,
            urls: serde_json::to_string(&b.evidence_urls).unwrap_or_else(|_| "[]".into()),
            status,
            actual: actual.or(row.actual),
        }),
        _ => Err(ApiError::Validation(errors)),
    }
}

/// Reports progress on an indicator (at most once per `Idempotency-Key`).
pub fn report(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    indicator_id: i64,
    request: &Request<CreateProgress>,
) -> ApiResult<(Progress, Created)> {
    caller.authorize(Permission::ProgressReport)?;
    let row = model::load_indicator(conn, caller, indicator_id)?;
    if caller.is_deputy() && (caller.deputy_id.is_none() || row.deputy_id != caller.deputy_id) {
        return Err(ApiError::Forbidden(
            "a deputy reports progress only on the indicators they answer for".to_owned(),
        ));
    }
    let today = clock.today();
    let (created, _) = idempotent::create_once(
        conn,
        caller,
        clock,
        request,
        PROGRESS,
        |_, b| check(&row, today, b),
        |tx, c| {
            // Re-read under the write lock: another update may have landed since.
            let current = model::reload_indicator(tx.conn(), indicator_id)?;
            tx.bump::<IndicatorRows>(indicator_id, current.version)?;
            diesel::update(indicators::table.find(indicator_id))
                .set((
                    indicators::status.eq(c.status.as_str()),
                    indicators::actual.eq(c.actual),
                ))
                .execute(tx.conn())?;
            let now = tx.now();
            let label = tx.actor().label.clone();
            let id: i64 = diesel::insert_into(indicator_progress::table)
                .values((
                    indicator_progress::indicator_id.eq(indicator_id),
                    indicator_progress::on.eq(c.on),
                    indicator_progress::done.eq(request.body.done),
                    indicator_progress::value.eq(request.body.value),
                    indicator_progress::comment.eq(&c.comment),
                    indicator_progress::evidence_urls.eq(&c.urls),
                    indicator_progress::actor_label.eq(label),
                    indicator_progress::at.eq(now),
                ))
                .returning(indicator_progress::id)
                .get_result(tx.conn())?;
            tx.record(Change {
                entity: IndicatorRows::ENTITY,
                id: indicator_id,
                action: "progress",
                event: Some(Event {
                    action: "progress",
                    from_status: Some(current.status.as_str()),
                    to_status: Some(c.status.as_str()),
                    comment: c.comment.as_deref(),
                    details: json!({"progress_id": id, "done": request.body.done, "value": request.body.value}),
                }),
                audit: json!({"progress_id": id, "status": [current.status, c.status], "actual": [current.actual, c.actual]}),
            })?;
            Ok(id)
        },
    )?;
    let row: ProgressRow = indicator_progress::table
        .find(created.id)
        .select(ProgressRow::as_select())
        .first(conn)?;
    Ok((view(row), created))
}

/// The progress updates of an indicator, oldest first.
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    indicator_id: i64,
    page: &PageRequest<i64>,
) -> ApiResult<Slice<Progress, i64>> {
    caller.authorize(Permission::RoadmapsRead)?;
    model::load_indicator(conn, caller, indicator_id)?;
    let updates = || -> ApiResult<_> {
        Ok(indicator_progress::table
            .filter(indicator_progress::indicator_id.eq(indicator_id))
            .select(ProgressRow::as_select())
            .into_boxed())
    };
    let slice = crate::collect_by_id!(
        conn,
        page,
        ProgressRow,
        indicator_progress::id,
        asc,
        updates()
    );
    Ok(slice.map(view))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_and_quantities_move_as_reported() {
        let mut e = Vec::new();
        let ev = IndicatorKind::Event;
        assert_eq!(
            outcome(ev, None, Some(true), None, &mut e),
            Some((IndicatorStatus::Done, None))
        );
        assert_eq!(
            outcome(ev, None, Some(false), None, &mut e),
            Some((IndicatorStatus::NotDone, None))
        );
        let q = IndicatorKind::Quantitative;
        assert_eq!(
            outcome(q, Some(10.0), None, Some(4.0), &mut e),
            Some((IndicatorStatus::InProgress, Some(4.0)))
        );
        assert_eq!(
            outcome(q, Some(10.0), None, Some(10.0), &mut e),
            Some((IndicatorStatus::Done, Some(10.0)))
        );
        assert!(e.is_empty());
        assert_eq!(outcome(q, Some(1.0), Some(true), None, &mut e), None);
        assert_eq!(e.len(), 2, "{e:?}");
    }
}
