//! Shapes shared by every collection.

use serde::{Deserialize, Serialize};

/// A page of a collection: `items`, the cursor of the next page (`null` at the end),
/// and `total` when `include_total=true` was asked.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
}
