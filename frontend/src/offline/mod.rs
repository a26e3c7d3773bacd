//! Field mode: appeals written down at a reception without signal wait in the browser
//! (IndexedDB) and go to the server as one batch when the connection returns.
//!
//! Never lost: a record is stored before the form is cleared and removed only after the
//! server confirmed the batch. Never twice: before a batch is sent, its records are
//! marked with the batch's `Idempotency-Key` (stored with them), and until the server
//! answers, every retry — after a reload too — sends the same records under the same key,
//! which the server answers with the appeals it registered the first time.

mod idb;

use baqylau_wire::appeals::CreateAppeal;
use baqylau_wire::receptions::{CaptureAppeals, CapturedAppeals};
use gloo_net::http::Method;
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

use crate::api::{new_idempotency_key, ApiError, Client};

/// One appeal waiting to be sent.
#[derive(Clone, Debug)]
pub struct Waiting {
    pub id: f64,
    pub reception_id: i64,
    /// Set once the appeal is part of a batch on its way.
    pub batch_key: Option<String>,
    pub appeal: CreateAppeal,
}

fn js_error(e: JsValue) -> ApiError {
    ApiError::Network(format!("IndexedDB: {e:?}"))
}

fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

fn record(w: &Waiting, with_id: bool) -> Result<JsValue, ApiError> {
    let o = Object::new();
    let body = serde_json::to_string(&w.appeal).map_err(|e| ApiError::Decode(e.to_string()))?;
    let set = |k: &str, v: JsValue| Reflect::set(&o, &JsValue::from_str(k), &v).map_err(js_error);
    if with_id {
        set("id", JsValue::from_f64(w.id))?;
    }
    set("reception_id", JsValue::from_f64(w.reception_id as f64))?;
    set(
        "batch_key",
        w.batch_key
            .as_deref()
            .map_or(JsValue::NULL, JsValue::from_str),
    )?;
    set("body", JsValue::from_str(&body))?;
    Ok(o.into())
}

fn read(o: &JsValue) -> Option<Waiting> {
    Some(Waiting {
        id: get(o, "id").as_f64()?,
        reception_id: get(o, "reception_id").as_f64()? as i64,
        batch_key: get(o, "batch_key").as_string(),
        appeal: serde_json::from_str(&get(o, "body").as_string()?).ok()?,
    })
}

/// Keeps `appeal` for `reception_id` until it is sent.
pub async fn keep(reception_id: i64, appeal: CreateAppeal) -> Result<(), ApiError> {
    let db = idb::open().await.map_err(js_error)?;
    let w = Waiting {
        id: 0.0,
        reception_id,
        batch_key: None,
        appeal,
    };
    idb::put(&db, &record(&w, false)?).await.map_err(js_error)?;
    Ok(())
}

/// The appeals of a reception waiting to be sent, oldest first.
pub async fn waiting(reception_id: i64) -> Result<Vec<Waiting>, ApiError> {
    let db = idb::open().await.map_err(js_error)?;
    let mut list: Vec<Waiting> = idb::all(&db)
        .await
        .map_err(js_error)?
        .iter()
        .filter_map(read)
        .filter(|w| w.reception_id == reception_id)
        .collect();
    list.sort_by(|a, b| a.id.total_cmp(&b.id));
    Ok(list)
}

/// Which records go in the next batch and under which key: a batch already on its way
/// (marked, unconfirmed) is sent again as it was; otherwise everything waiting, under a
/// fresh key.
pub fn next_batch(
    waiting: &[Waiting],
    fresh_key: impl FnOnce() -> String,
) -> (String, Vec<Waiting>) {
    if let Some(key) = waiting.iter().find_map(|w| w.batch_key.clone()) {
        let batch = waiting
            .iter()
            .filter(|w| w.batch_key.as_deref() == Some(key.as_str()))
            .cloned()
            .collect();
        return (key, batch);
    }
    let key = fresh_key();
    let batch = waiting
        .iter()
        .map(|w| Waiting {
            batch_key: Some(key.clone()),
            ..w.clone()
        })
        .collect();
    (key, batch)
}

/// Sends what waits for `reception_id` (one batch); returns how many the server took.
pub async fn send(client: &Client, reception_id: i64) -> Result<usize, ApiError> {
    let all = waiting(reception_id).await?;
    if all.is_empty() {
        return Ok(0);
    }
    let (key, batch) = next_batch(&all, new_idempotency_key);
    let db = idb::open().await.map_err(js_error)?;
    // The key is stored before anything leaves, so a reload mid-flight sends the same.
    for w in batch
        .iter()
        .filter(|w| all.iter().any(|a| a.id == w.id && a.batch_key.is_none()))
    {
        idb::put(&db, &record(w, true)?).await.map_err(js_error)?;
    }
    let body = CaptureAppeals {
        appeals: batch.iter().map(|w| w.appeal.clone()).collect(),
    };
    let taken: CapturedAppeals = client
        .request(
            Method::POST,
            &format!("/api/v1/receptions/{reception_id}/appeals"),
            &[("Idempotency-Key", &key)],
            Some(&body),
        )
        .await?;
    let ids: Vec<f64> = batch.iter().map(|w| w.id).collect();
    idb::delete(&db, &ids).await.map_err(js_error)?;
    Ok(taken.items.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(id: f64, key: Option<&str>) -> Waiting {
        Waiting {
            id,
            reception_id: 1,
            batch_key: key.map(str::to_owned),
            appeal: CreateAppeal::default(),
        }
    }

    #[test]
    fn a_batch_on_its_way_is_sent_again_as_it_was() {
        let (key, batch) = next_batch(
            &[w(1.0, Some("k1")), w(2.0, Some("k1")), w(3.0, None)],
            || "new".into(),
        );
        assert_eq!(key, "k1");
        assert_eq!(batch.iter().map(|w| w.id).collect::<Vec<_>>(), [1.0, 2.0]);
    }

    #[test]
    fn otherwise_everything_waiting_goes_under_a_fresh_key() {
        let (key, batch) = next_batch(&[w(1.0, None), w(2.0, None)], || "new".into());
        assert_eq!(key, "new");
        assert!(batch.iter().all(|w| w.batch_key.as_deref() == Some("new")));
    }
}
