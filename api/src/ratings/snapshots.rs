//! Ratings as read: the stored snapshot of a finished month, or a fresh computation
//! (never stored by a read: `close` stores a month once it is over); the ranked list,
//! the recall-risk list, and the explicit, audited recompute.

use std::collections::{HashMap, HashSet};

use baqylau_wire::deputies::MandateStatus;
use baqylau_wire::ratings::{
    Rating, RatingChange, RatingComponent, RecomputeRatings, RecomputeResult,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::formula::{self, Measures};
use super::period::Period;
use super::SnapshotRows;
use super::{close, compute};
use crate::auth::{self, Caller, Permission};
use crate::config::RatingConfig;
use crate::db::schema::{deputies, rating_snapshots};
use crate::db::{DbConn, DeputiesMandateStatus, EnumText};
use crate::deputies::model;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::clock::Clock;
use crate::kit::list::{PageRequest, Slice};
use crate::kit::validate;
use crate::kit::write::{self, Change, Versioned as _};

#[derive(Debug, Clone, Queryable)]
struct SnapshotRow {
    id: i64,
    deputy_id: i64,
    period: String,
    score: f64,
    components: String,
    computed_at: NaiveDateTime,
    _created_at: NaiveDateTime,
    _updated_at: NaiveDateTime,
    version: i64,
}

/// A deputy being rated.
#[derive(Debug, Clone, Queryable)]
struct Who {
    id: i64,
    full_name: String,
    #[diesel(deserialize_as = EnumText<DeputiesMandateStatus>)]
    status: MandateStatus,
}

/// What the ratings list and the recall-risk list are ordered and paged by.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RankKey {
    pub score: f64,
    pub deputy_id: i64,
}

fn components_of(row: &SnapshotRow) -> ApiResult<Vec<RatingComponent>> {
    serde_json::from_str(&row.components)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("rating_snapshots.components: {e}")))
}

fn stored(
    conn: &mut DbConn,
    period: &Period,
    ids: Option<&[i64]>,
) -> QueryResult<HashMap<i64, SnapshotRow>> {
    let mut q = rating_snapshots::table
        .filter(rating_snapshots::period.eq(period.label()))
        .into_boxed();
    if let Some(ids) = ids {
        q = q.filter(rating_snapshots::deputy_id.eq_any(ids.to_vec()));
    }
    let rows: Vec<SnapshotRow> = q.load(conn)?;
    Ok(rows.into_iter().map(|r| (r.deputy_id, r)).collect())
}

/// Ratings of `who` for `period`: stored ones as stored, the rest computed with one set
/// of aggregate queries. A read never stores: a finished month without its snapshot yet
/// (the closing job has not run) is computed as the job will store it.
fn ratings(
    conn: &mut DbConn,
    clock: &Clock,
    cfg: &RatingConfig,
    period: Period,
    who: Vec<Who>,
    one: Option<i64>,
) -> ApiResult<Vec<Rating>> {
    let today = clock.today();
    let ids: Vec<i64> = who.iter().map(|w| w.id).collect();
    let snaps = match period.is_over(today) {
        true => stored(conn, &period, one.map(|_| ids.as_slice()))?,
        false => HashMap::new(),
    };
    let mut fresh: HashMap<i64, (f64, Vec<RatingComponent>)> = HashMap::new();
    if who.iter().any(|w| !snaps.contains_key(&w.id)) {
        let measures = compute::measure(conn, period, today, one)?;
        for w in who.iter().filter(|w| !snaps.contains_key(&w.id)) {
            let m = measures.get(&w.id).copied().unwrap_or_default();
            fresh.insert(w.id, formula::score(&m, cfg));
        }
    }
    let now = clock.now();
    who.into_iter()
        .map(|w| {
            let (score, components, snapshot, at) = match snaps.get(&w.id) {
                Some(s) => (s.score, components_of(s)?, true, s.computed_at.and_utc()),
                None => {
                    let (score, parts) = fresh.remove(&w.id).unwrap_or_default();
                    (score, parts, false, now)
                }
            };
            Ok(Rating {
                deputy_id: w.id,
                full_name: w.full_name,
                mandate_status: w.status,
                period: period.label(),
                score,
                components,
                snapshot,
                computed_at: at,
            })
        })
        .collect()
}

fn period_or_current(
    raw: Option<&str>,
    clock: &Clock,
    errors: &mut Vec<FieldError>,
) -> Option<Period> {
    match raw {
        None => Some(Period::of(clock.today())),
        Some(r) => Period::parse("period", r, errors),
    }
}

/// `GET /deputies/{id}/rating?period=`.
pub fn of_deputy(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    cfg: &RatingConfig,
    id: i64,
    period: Option<&str>,
) -> ApiResult<Rating> {
    caller.authorize(Permission::DeputiesRead)?;
    let mut errors = Vec::new();
    let period = period_or_current(period, clock, &mut errors);
    let row = model::load(conn, caller, id)?;
    let Some(period) = period.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let who = vec![Who {
        id: row.id,
        full_name: row.full_name,
        status: row.mandate_status,
    }];
    ratings(conn, clock, cfg, period, who, Some(id))?
        .pop()
        .ok_or(ApiError::NotFound)
}

/// Which deputies a list covers: those in the caller's reach (and `territory_id`'s
/// subtree, by maslikhat or assignment).
fn rated(conn: &mut DbConn, caller: &Caller, territory: Option<i64>) -> ApiResult<Vec<Who>> {
    let mut q = model::scoped(caller, false);
    if let Some(t) = territory {
        let (path, upper) = crate::auth::subtree(conn, "territory_id", t)?;
        let assigned = crate::db::schema::assignments::table
            .filter(crate::db::schema::assignments::territory_path.ge(path.clone()))
            .filter(crate::db::schema::assignments::territory_path.lt(upper.clone()))
            .select(crate::db::schema::assignments::deputy_id);
        q = q.filter(
            deputies::territory_path
                .ge(path)
                .and(deputies::territory_path.lt(upper))
                .or(deputies::id.eq_any(assigned)),
        );
    }
    Ok(
        q.select((deputies::id, deputies::full_name, deputies::mandate_status))
            .load(conn)?,
    )
}

/// The parsed query of the ratings lists.
pub struct ListRequest {
    pub period: Option<String>,
    pub territory_id: Option<i64>,
    pub page: PageRequest<RankKey>,
}

/// `GET /ratings` (highest first) or the recall-risk list (`risk`: active deputies below
/// the threshold, lowest first).
pub fn list(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    cfg: &RatingConfig,
    request: &ListRequest,
    risk: bool,
) -> ApiResult<Slice<Rating, RankKey>> {
    caller.authorize(Permission::DeputiesRead)?;
    let mut errors = Vec::new();
    let period = period_or_current(request.period.as_deref(), clock, &mut errors);
    let Some(period) = period.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let who = rated(conn, caller, request.territory_id)?;
    let mut all = ratings(conn, clock, cfg, period, who, None)?;
    if risk {
        all.retain(|r| r.mandate_status == MandateStatus::Active && r.score < cfg.recall_threshold);
        all.sort_by(|a, b| {
            a.score
                .total_cmp(&b.score)
                .then(a.deputy_id.cmp(&b.deputy_id))
        });
    } else {
        all.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.deputy_id.cmp(&b.deputy_id))
        });
    }
    let total = all.len() as i64;
    // Keyset position in the list's own order: the rows after the cursor's (score, id).
    let after = request.page.after;
    let rows: Vec<Rating> = all
        .into_iter()
        .filter(|r| match after {
            None => true,
            Some(k) if risk => (r.score, r.deputy_id) > (k.score, k.deputy_id),
            Some(k) => r.score < k.score || (r.score == k.score && r.deputy_id > k.deputy_id),
        })
        .take(request.page.limit as usize + 1)
        .collect();
    Ok(Slice::from_rows(
        rows,
        request.page.limit,
        request.page.include_total.then_some(total),
        |r| RankKey {
            score: r.score,
            deputy_id: r.deputy_id,
        },
    ))
}

/// `POST /ratings/recompute`: recomputes and rewrites the stored month for every deputy
/// in the caller's reach (or one), each changed score audited with before and after.
pub fn recompute(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    cfg: &RatingConfig,
    body: Result<RecomputeRatings, ApiError>,
) -> ApiResult<RecomputeResult> {
    caller.authorize(Permission::RatingsRecompute)?;
    let body = body?;
    let mut errors = Vec::new();
    let period = Period::parse("period", &body.period, &mut errors);
    if period.is_some_and(|p| !p.is_over(clock.today())) {
        errors.push(FieldError::new(
            "period",
            "period_open",
            "the month is not over; its rating is computed on every read",
        ));
    }
    let reason = validate::optional_text("reason", body.reason.as_deref(), 1000, &mut errors);
    let who = match body.deputy_id {
        // `unknown`, or `out_of_scope` for a deputy the caller cannot reach.
        Some(id) => match auth::check_deputy(conn, caller, "deputy_id", Some(id), &mut errors)? {
            true => {
                let d = model::load(conn, caller, id)?;
                vec![Who {
                    id: d.id,
                    full_name: d.full_name,
                    status: d.mandate_status,
                }]
            }
            false => Vec::new(),
        },
        None => rated(conn, caller, None)?,
    };
    let Some(period) = period.filter(|_| errors.is_empty()) else {
        return Err(validate::refusal(errors));
    };
    let measures: HashMap<i64, Measures> =
        compute::measure(conn, period, clock.today(), body.deputy_id)?;
    let ids: Vec<i64> = who.iter().map(|w| w.id).collect();
    let wanted: HashSet<i64> = ids.iter().copied().collect();
    write::write(conn, &caller.audit_actor(), clock, |tx| {
        let mut old = stored(tx.conn(), &period, None)?;
        old.retain(|id, _| wanted.contains(id));
        let mut changed = Vec::new();
        for id in &ids {
            let m = measures.get(id).copied().unwrap_or_default();
            let (score, parts) = formula::score(&m, cfg);
            match old.get(id) {
                // A closer that stored the month meanwhile stored this same score.
                None if !close::insert_if_absent(tx, *id, &period, score, &parts, "recompute")? => {
                }
                None => {
                    changed.push(RatingChange {
                        deputy_id: *id,
                        before: None,
                        after: score,
                    });
                }
                Some(before) => {
                    let before_parts = components_of(before)?;
                    if before.score == score && before_parts == parts {
                        continue;
                    }
                    tx.bump::<SnapshotRows>(before.id, before.version)?;
                    let components = serde_json::to_string(&parts).map_err(|e| {
                        ApiError::Internal(anyhow::anyhow!("rating components: {e}"))
                    })?;
                    let now = tx.now();
                    diesel::update(rating_snapshots::table.find(before.id))
                        .set((
                            rating_snapshots::score.eq(score),
                            rating_snapshots::components.eq(components),
                            rating_snapshots::computed_at.eq(now),
                        ))
                        .execute(tx.conn())?;
                    tx.record(Change {
                        entity: SnapshotRows::ENTITY,
                        id: before.id,
                        action: "recompute",
                        event: None,
                        audit: json!({
                            "deputy_id": id,
                            "period": before.period,
                            "reason": reason,
                            "score": {"from": before.score, "to": score},
                            "components": {"from": before_parts, "to": parts},
                        }),
                    })?;
                    changed.push(RatingChange {
                        deputy_id: *id,
                        before: Some(before.score),
                        after: score,
                    });
                }
            }
        }
        Ok(RecomputeResult {
            period: period.label(),
            recomputed: ids.len() as i64,
            changed,
        })
    })
}
