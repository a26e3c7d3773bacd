//! Summaries: completion of a road map as a whole and by section, district, deputy and
//! Political Council member, and the districts of a year ranked by completion. Every
//! figure is computed from the indicators when asked (DECISIONS.md 8), by one GROUP BY
//! query; Rust only adds up its groups (a handful of rows per section × district ×
//! person × status × due day), never the indicators themselves. The due day is a group
//! key so that whether a group is overdue is decided by `domain::indicator::is_overdue`
//! itself, not by a copy of it in SQL.

use std::collections::BTreeMap;

use baqylau_wire::roadmaps::{DistrictRanking, IndicatorStatus, Summary, SummaryGroup, Tally};
use baqylau_wire::stats::RoadmapsOverview;
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Double, Integer, Nullable, Text};

use super::model;
use crate::auth::{self, Caller, Permission};
use crate::db::schema::{deputies, roadmap_sections, territories};
use crate::db::{compat, DbConn};
use crate::domain::indicator;
use crate::error::{ApiError, ApiResult};
use crate::kit::clock::Clock;

/// Characters of a district's materialised path: `/` + region KATO + `/` + district
/// KATO + `/` (KATO codes are 9 digits). An indicator's path cut to this length names
/// its district (or city of regional significance); a region-level one keeps its own.
const DISTRICT_PATH_LEN: i32 = 21;

/// One group of the aggregate query.
#[derive(Debug, Clone, QueryableByName)]
pub struct GroupRow {
    #[diesel(sql_type = BigInt)]
    pub section_id: i64,
    #[diesel(sql_type = Text)]
    pub district: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub deputy_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub cm_deputy: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub cm_user: Option<i64>,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = BigInt)]
    pub n: i64,
    #[diesel(sql_type = Double)]
    pub weight: f64,
    #[diesel(sql_type = BigInt)]
    pub weighted: i64,
    #[diesel(sql_type = Date)]
    pub due_on: NaiveDate,
}

/// A group with its status, and how many of its indicators are overdue (all or none).
type Group = (GroupRow, IndicatorStatus, i64);

/// Counts being added up, before the percentages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Acc {
    planned: i64,
    done: i64,
    in_progress: i64,
    overdue: i64,
    cancelled: i64,
    weight_planned: f64,
    weight_done: f64,
    weighted: i64,
}

impl Acc {
    fn add(&mut self, status: IndicatorStatus, n: i64, weight: f64, weighted: i64, overdue: i64) {
        self.overdue += overdue;
        if status == IndicatorStatus::Cancelled {
            self.cancelled += n;
            return;
        }
        self.planned += n;
        self.weight_planned += weight;
        self.weighted += weighted;
        match status {
            IndicatorStatus::Done => {
                self.done += n;
                self.weight_done += weight;
            }
            IndicatorStatus::InProgress => self.in_progress += n,
            _ => {}
        }
    }

    pub fn tally(&self) -> Tally {
        Tally {
            planned: self.planned,
            done: self.done,
            in_progress: self.in_progress,
            overdue: self.overdue,
            cancelled: self.cancelled,
            percent: percent(self.done as f64, self.planned as f64),
            weighted_percent: (self.weighted > 0)
                .then(|| percent(self.weight_done, self.weight_planned)),
        }
    }
}

/// `part / whole × 100`, one decimal (914 planned, 888 done → 97.2); 0 for nothing.
pub fn percent(part: f64, whole: f64) -> f64 {
    if whole <= 0.0 {
        return 0.0;
    }
    (part / whole * 1000.0).round() / 10.0
}

/// Which indicators a summary covers.
enum Over {
    Roadmap(i64),
    Year(i32),
}

/// The grouped counts of the indicators `over` covers, inside the caller's subtree
/// (and `within`, a territory path, when given).
fn groups(
    conn: &mut DbConn,
    caller: &Caller,
    over: Over,
    within: Option<String>,
    today: NaiveDate,
) -> ApiResult<Vec<Group>> {
    // Missing weights count as 1, so that weighting a few indicators does not drop the
    // rest from the weighted figure.
    let mut sql = format!(
        "SELECT i.section_id AS section_id, SUBSTR(i.territory_path, 1, {DISTRICT_PATH_LEN}) AS district, \
         i.deputy_id AS deputy_id, i.council_member_deputy_id AS cm_deputy, \
         i.council_member_user_id AS cm_user, i.status AS status, \
         CAST(COUNT(*) AS BIGINT) AS n, \
         CAST(SUM(COALESCE(i.weight, 1.0)) AS DOUBLE PRECISION) AS weight, \
         CAST(COUNT(i.weight) AS BIGINT) AS weighted, i.due_on AS due_on \
         FROM indicators i WHERE i.deleted_at IS NULL AND "
    );
    sql.push_str(match over {
        Over::Roadmap(_) => "i.roadmap_id = $1",
        Over::Year(_) => {
            "i.roadmap_id IN (SELECT r.id FROM roadmaps r WHERE r.deleted_at IS NULL \
             AND r.year_from <= $1 AND r.year_to >= $1)"
        }
    });
    let mut bounds = Vec::new();
    for (lower, upper) in caller
        .path_bounds()
        .into_iter()
        .chain(within.map(|p| (p.clone(), compat::path_upper_bound(&p))))
    {
        let n = 2 + 2 * bounds.len();
        sql.push_str(&format!(
            " AND i.territory_path >= ${n} AND i.territory_path < ${}",
            n + 1
        ));
        bounds.push((lower, upper));
    }
    sql.push_str(&format!(
        " GROUP BY i.section_id, SUBSTR(i.territory_path, 1, {DISTRICT_PATH_LEN}), i.deputy_id, \
         i.council_member_deputy_id, i.council_member_user_id, i.status, i.due_on"
    ));
    let sql = compat::numbered_placeholders(conn, &sql);
    let query = diesel::sql_query(sql).into_boxed();
    let mut query = match over {
        Over::Roadmap(id) => query.bind::<BigInt, _>(id),
        Over::Year(y) => query.bind::<Integer, _>(y),
    };
    for (lower, upper) in bounds {
        query = query.bind::<Text, _>(lower).bind::<Text, _>(upper);
    }
    let rows: Vec<GroupRow> = query.load(conn)?;
    rows.into_iter()
        .map(|r| {
            let status = crate::db::enum_column("indicators", "status", &r.status)?;
            let overdue = match indicator::is_overdue(status, r.due_on, today) {
                true => r.n,
                false => 0,
            };
            Ok((r, status, overdue))
        })
        .collect()
}

fn fold<K: Ord>(rows: &[Group], key: impl Fn(&GroupRow) -> K) -> BTreeMap<K, Acc> {
    let mut out: BTreeMap<K, Acc> = BTreeMap::new();
    for (r, status, overdue) in rows {
        out.entry(key(r))
            .or_default()
            .add(*status, r.n, r.weight, r.weighted, *overdue);
    }
    out
}

/// District paths → (territory id, Russian name).
fn districts(
    conn: &mut DbConn,
    paths: Vec<String>,
) -> QueryResult<BTreeMap<String, (i64, String)>> {
    let rows: Vec<(String, i64, String)> = territories::table
        .filter(territories::path.eq_any(paths))
        .select((territories::path, territories::id, territories::name_ru))
        .load(conn)?;
    Ok(rows.into_iter().map(|(p, id, n)| (p, (id, n))).collect())
}

fn deputy_names(conn: &mut DbConn, ids: Vec<i64>) -> QueryResult<BTreeMap<i64, String>> {
    Ok(deputies::table
        .filter(deputies::id.eq_any(ids))
        .select((deputies::id, deputies::full_name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

/// All rows as one group.
fn total(rows: &[Group]) -> Acc {
    fold(rows, |_| ()).remove(&()).unwrap_or_default()
}

/// The `sections` in the order given, each with its completion from `folded` (by section
/// id); a section with no indicators in the rows has an empty tally.
fn by_section(folded: &BTreeMap<i64, Acc>, sections: Vec<(i64, String)>) -> Vec<SummaryGroup> {
    sections
        .into_iter()
        .map(|(sid, title)| {
            let acc = folded.get(&sid).cloned().unwrap_or_default();
            group(Some(sid), Some(title), &acc)
        })
        .collect()
}

fn group(id: Option<i64>, name: Option<String>, acc: &Acc) -> SummaryGroup {
    SummaryGroup {
        id,
        user_id: None,
        name,
        tally: acc.tally(),
    }
}

fn by_district(conn: &mut DbConn, rows: &[Group]) -> QueryResult<Vec<SummaryGroup>> {
    let folded = fold(rows, |r| r.district.clone());
    let names = districts(conn, folded.keys().cloned().collect())?;
    Ok(folded
        .iter()
        .map(|(path, acc)| {
            let t = names.get(path);
            group(t.map(|t| t.0), t.map(|t| t.1.clone()), acc)
        })
        .collect())
}

/// The completion of one road map (within the caller's subtree): overall and by
/// section, district, responsible deputy and Political Council member.
pub fn roadmap(conn: &mut DbConn, caller: &Caller, clock: &Clock, id: i64) -> ApiResult<Summary> {
    caller.authorize(Permission::RoadmapsRead)?;
    model::load_roadmap(conn, caller, id)?;
    let rows = groups(conn, caller, Over::Roadmap(id), None, clock.today())?;
    let total = total(&rows);
    let sections: Vec<(i64, String)> = roadmap_sections::table
        .filter(roadmap_sections::roadmap_id.eq(id))
        .order((roadmap_sections::position.asc(), roadmap_sections::id.asc()))
        .select((roadmap_sections::id, roadmap_sections::title))
        .load(conn)?;
    let by_section = by_section(&fold(&rows, |r| r.section_id), sections);
    let by_territory = by_district(conn, &rows)?;
    let by_deputy_acc = fold(&rows, |r| r.deputy_id);
    let by_council_acc = fold(&rows, |r| (r.cm_deputy, r.cm_user));
    let names = deputy_names(
        conn,
        by_deputy_acc
            .keys()
            .flatten()
            .chain(by_council_acc.keys().filter_map(|k| k.0.as_ref()))
            .copied()
            .collect(),
    )?;
    let by_deputy = by_deputy_acc
        .iter()
        .map(|(d, acc)| group(*d, d.and_then(|d| names.get(&d).cloned()), acc))
        .collect();
    let by_council_member = by_council_acc
        .iter()
        .map(|((d, u), acc)| SummaryGroup {
            user_id: *u,
            ..group(*d, d.and_then(|d| names.get(&d).cloned()), acc)
        })
        .collect();
    Ok(Summary {
        roadmap_id: id,
        tally: total.tally(),
        by_section,
        by_territory,
        by_deputy,
        by_council_member,
    })
}

/// The districts of the caller's subtree (or of `territory_id`'s) ranked by completion
/// over every road map covering `year`, best first.
pub fn ranking(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    year: i32,
    territory_id: Option<i64>,
) -> ApiResult<DistrictRanking> {
    caller.authorize(Permission::RoadmapsRead)?;
    let within = match territory_id {
        None => None,
        Some(t) => match auth::live_territory_path(conn, t)? {
            Some(p) => Some(p),
            None => {
                return Err(ApiError::validation(
                    "territory_id",
                    "unknown",
                    "no such territory",
                ))
            }
        },
    };
    let rows = groups(conn, caller, Over::Year(year), within, clock.today())?;
    let total = total(&rows);
    let mut districts = by_district(conn, &rows)?;
    districts.sort_by(|a, b| {
        b.tally
            .percent
            .total_cmp(&a.tally.percent)
            .then(b.tally.planned.cmp(&a.tally.planned))
            .then(a.id.cmp(&b.id))
    });
    Ok(DistrictRanking {
        year,
        tally: total.tally(),
        districts,
    })
}

/// Completion over every road map covering `year` inside the caller's subtree (and
/// `within`, a territory path): overall, by section and by district, for the overview.
/// The same single GROUP BY as the other summaries.
pub fn year_overview(
    conn: &mut DbConn,
    caller: &Caller,
    today: NaiveDate,
    year: i32,
    within: Option<String>,
) -> ApiResult<RoadmapsOverview> {
    caller.authorize(Permission::RoadmapsRead)?;
    let rows = groups(conn, caller, Over::Year(year), within, today)?;
    let total = total(&rows);
    let by_section_acc = fold(&rows, |r| r.section_id);
    let sections: Vec<(i64, String)> = roadmap_sections::table
        .filter(roadmap_sections::id.eq_any(by_section_acc.keys().copied().collect::<Vec<_>>()))
        .order((
            roadmap_sections::roadmap_id.asc(),
            roadmap_sections::position.asc(),
            roadmap_sections::id.asc(),
        ))
        .select((roadmap_sections::id, roadmap_sections::title))
        .load(conn)?;
    let by_section = by_section(&by_section_acc, sections);
    let mut by_territory = by_district(conn, &rows)?;
    by_territory.sort_by(|a, b| b.tally.percent.total_cmp(&a.tally.percent));
    Ok(RoadmapsOverview {
        year,
        tally: total.tally(),
        by_section,
        by_territory,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_has_one_decimal() {
        assert_eq!(percent(888.0, 914.0), 97.2);
        assert_eq!(percent(0.0, 0.0), 0.0);
        assert_eq!(percent(1.0, 3.0), 33.3);
    }

    #[test]
    fn cancelled_leaves_the_denominator_and_weights_count() {
        let mut acc = Acc::default();
        acc.add(IndicatorStatus::Done, 2, 5.0, 1, 0);
        acc.add(IndicatorStatus::Planned, 1, 1.0, 0, 1);
        acc.add(IndicatorStatus::Cancelled, 3, 3.0, 0, 0);
        let t = acc.tally();
        assert_eq!((t.planned, t.done, t.cancelled, t.overdue), (3, 2, 3, 1));
        assert_eq!(t.percent, 66.7);
        assert_eq!(t.weighted_percent, Some(83.3));
    }
}
