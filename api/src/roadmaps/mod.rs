//! Road maps and indicators: the election programme, measured. Road maps (regional or
//! territorial, per year) hold sections (a Bureau member each), which hold indicators
//! (a Political Council member and a responsible deputy each); progress updates move an
//! indicator's actual value and status, and summaries are computed from the indicators
//! by SQL aggregates whenever they are asked for (DECISIONS.md 8). The HTTP handlers are
//! in `routes::roadmaps`; the seed and the tests call these operations directly.

pub mod import;
pub mod indicators;
pub mod model;
pub mod plan;
pub mod progress;
pub mod query;
pub mod sheet;
pub mod summary;

/// Idempotency kinds and history entities.
pub const ROADMAP: &str = "roadmap";
pub const SECTION: &str = "roadmap_section";
pub const INDICATOR: &str = "indicator";
pub const PROGRESS: &str = "indicator_progress";

crate::versioned!(RoadmapRows, roadmaps, "roadmap");
crate::versioned!(SectionRows, roadmap_sections, "roadmap_section");
crate::versioned!(IndicatorRows, indicators, "indicator",
    publishes { "progress" => IndicatorProgress },
    territory territory_path,
    facts indicator_facts);

/// What an indicator's webhook event tells: where it sits, who answers for it, its
/// kind, status and due date — not its title or the progress comment.
fn indicator_facts(
    conn: &mut crate::db::DbConn,
    id: i64,
) -> diesel::QueryResult<serde_json::Value> {
    use crate::db::schema::indicators as i;
    use chrono::NaiveDate;
    use diesel::prelude::*;
    let row = i::table
        .find(id)
        .select((
            (i::roadmap_id, i::section_id, i::territory_id, i::deputy_id),
            (i::kind, i::status, i::due_on),
        ))
        .first::<((i64, i64, i64, Option<i64>), (String, String, NaiveDate))>(conn)
        .optional()?;
    Ok(match row {
        Some((ids, (kind, status, due_on))) => serde_json::json!({
            "roadmap_id": ids.0,
            "section_id": ids.1,
            "territory_id": ids.2,
            "deputy_id": ids.3,
            "kind": kind,
            "status": status,
            "due_on": due_on,
        }),
        None => serde_json::json!({}),
    })
}
