//! Shapes shared by every collection.

use serde::{Deserialize, Serialize};

/// A page of a collection: `items`, the cursor of the next page (`null` at the end),
/// and `total` when `include_total=true` was asked.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = page_example::<T>))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
}

/// A page holding the item type's own example, so each `Page_<T>` in the spec shows a
/// real row rather than a placeholder.
#[cfg(feature = "openapi")]
fn page_example<T: utoipa::PartialSchema>() -> serde_json::Value {
    let item = example_of::<T>();
    serde_json::json!({
        "items": [item],
        "next_cursor": "1.eyJpZCI6MTIzfQ.hM3pZb9xQ2rT5vWk",
        "total": 128
    })
}

/// A type's own schema example, so that a body holding an `Appeal` shows the same appeal
/// as `Appeal` does instead of a second copy that could drift. `null` when it has none
/// (which the spec test then reports).
#[cfg(feature = "openapi")]
pub(crate) fn example_of<T: utoipa::PartialSchema>() -> serde_json::Value {
    serde_json::to_value(T::schema())
        .ok()
        .and_then(|schema| schema.get("example").cloned())
        .unwrap_or(serde_json::Value::Null)
}
