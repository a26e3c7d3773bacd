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
crate::versioned!(IndicatorRows, indicators, "indicator");
