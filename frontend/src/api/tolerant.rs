//! Lists that survive a newer server.
//!
//! The server is strict about its enums and may gain a value (a status, a channel, a
//! kind) before the dashboard in an office's browser is updated. Were a list decoded in
//! one piece, one row with that value would fail the whole page. Lists are therefore
//! decoded row by row: a row this build cannot read is left out and counted, and the
//! rest are shown. The wire enums stay strict, so the server and the API tests still
//! refuse unknown values.

use baqylau_wire::common::Page;
use gloo_net::http::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use super::{ApiError, Client};

/// `GET url`: a page of a list, decoded row by row.
pub async fn get_page<T: DeserializeOwned>(
    client: &Client,
    url: &str,
) -> Result<Page<T>, ApiError> {
    client
        .request::<(), Page<Row<T>>>(Method::GET, url, &[], None)
        .await
        .map(readable)
}

/// Every page of a list, each decoded row by row: for the short ones a page shows
/// whole (a deputy's assignments, the recall-risk list, a month of receptions).
/// `url_of` gives the URL of the page after `cursor` (`None`: the first).
pub async fn all_pages<T: DeserializeOwned>(
    client: &Client,
    url_of: impl Fn(Option<&str>) -> String,
) -> Result<Vec<T>, ApiError> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page: Page<T> = get_page(client, &url_of(cursor.as_deref())).await?;
        all.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(all),
        }
    }
}

/// One row of a list: decoded, or why it could not be.
pub struct Row<T>(pub Result<T, String>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Row<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // The row is taken whole first, so that a bad field fails only this row.
        let value = serde_json::Value::deserialize(d)?;
        Ok(Row(serde_json::from_value(value).map_err(|e| e.to_string())))
    }
}

/// The rows that could be read; the others are reported on the console with the reason
/// (the person sees the rest of the list).
pub fn readable<T>(page: Page<Row<T>>) -> Page<T> {
    let mut items = Vec::with_capacity(page.items.len());
    for Row(row) in page.items {
        match row {
            Ok(item) => items.push(item),
            Err(reason) => skipped(&reason),
        }
    }
    Page {
        items,
        next_cursor: page.next_cursor,
        total: page.total,
    }
}

#[cfg(target_arch = "wasm32")]
fn skipped(reason: &str) {
    web_sys::console::warn_1(
        &format!("a row this version of the dashboard cannot read was left out: {reason}").into(),
    );
}

#[cfg(not(target_arch = "wasm32"))]
fn skipped(_reason: &str) {}

#[cfg(test)]
mod tests {
    use super::*;
    use baqylau_wire::appeals::Status;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Item {
        id: i64,
        status: Status,
    }

    #[test]
    fn a_row_with_a_value_from_a_newer_server_is_left_out_not_the_page() {
        let json = r#"{"items": [
            {"id": 1, "status": "registered"},
            {"id": 2, "status": "archived_by_a_newer_server"},
            {"id": 3, "status": "resolved"}
        ], "next_cursor": "abc", "total": 3}"#;
        // Strict decoding refuses the whole page...
        assert!(serde_json::from_str::<Page<Item>>(json).is_err());
        // ...row by row, the rows that can be read are kept.
        let page = readable(serde_json::from_str::<Page<Row<Item>>>(json).unwrap());
        assert_eq!(
            page.items,
            [
                Item {
                    id: 1,
                    status: Status::Registered
                },
                Item {
                    id: 3,
                    status: Status::Resolved
                },
            ]
        );
        assert_eq!(page.next_cursor.as_deref(), Some("abc"));
        assert_eq!(page.total, Some(3));
    }

    #[test]
    fn a_page_that_is_not_a_page_still_fails() {
        assert!(serde_json::from_str::<Page<Row<Item>>>(r#"{"items": 5}"#).is_err());
    }
}
