//! A kept appeal as an IndexedDB record: a plain object, so that a record written by an
//! earlier version of the dashboard (with only a batch key) is still read.

use baqylau_wire::appeals::CreateAppeal;
use baqylau_wire::problem::Problem;
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

use super::{Item, State};
use crate::api::{new_idempotency_key, ApiError};

pub fn js_error(e: JsValue) -> ApiError {
    ApiError::Network(format!("IndexedDB: {e:?}"))
}

fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

/// A new or corrected appeal about to be stored: waiting, under a fresh key.
pub struct Stored(Item);

impl Stored {
    pub fn new(id: Option<f64>, reception_id: i64, appeal: CreateAppeal) -> Stored {
        Stored(Item {
            // IndexedDB numbers a record stored without an id.
            id: id.unwrap_or(f64::NAN),
            reception_id,
            key: new_idempotency_key(),
            batch_key: None,
            appeal,
            state: State::Waiting,
        })
    }

    pub fn into_js(self) -> Result<JsValue, ApiError> {
        write(&self.0)
    }
}

/// The record for `item` (without an `id` when it has none yet).
pub fn write(item: &Item) -> Result<JsValue, ApiError> {
    let o = Object::new();
    let body = serde_json::to_string(&item.appeal).map_err(|e| ApiError::Decode(e.to_string()))?;
    let set = |k: &str, v: JsValue| Reflect::set(&o, &JsValue::from_str(k), &v).map_err(js_error);
    if !item.id.is_nan() {
        set("id", JsValue::from_f64(item.id))?;
    }
    set("reception_id", JsValue::from_f64(item.reception_id as f64))?;
    set("key", JsValue::from_str(&item.key))?;
    let text = |v: &Option<String>| v.as_deref().map_or(JsValue::NULL, JsValue::from_str);
    set("batch_key", text(&item.batch_key))?;
    set("body", JsValue::from_str(&body))?;
    let (state, detail) = match &item.state {
        State::Waiting => ("waiting", None),
        State::Sent { number } => ("sent", Some(number.clone())),
        State::Refused(err) => ("refused", Some(refusal_text(err))),
    };
    set("state", JsValue::from_str(state))?;
    set("detail", text(&detail))?;
    Ok(o.into())
}

/// The record as an item; `None` for one that cannot be read (it is left alone).
pub fn read(o: &JsValue) -> Option<Item> {
    let id = get(o, "id").as_f64()?;
    let batch_key = get(o, "batch_key").as_string();
    let detail = get(o, "detail").as_string().unwrap_or_default();
    let state = match get(o, "state").as_string().as_deref() {
        Some("sent") => State::Sent { number: detail },
        Some("refused") => State::Refused(refusal(&detail)),
        _ => State::Waiting,
    };
    Some(Item {
        id,
        reception_id: get(o, "reception_id").as_f64()? as i64,
        // An earlier version's record has no key of its own: it goes under its batch's.
        key: get(o, "key")
            .as_string()
            .or_else(|| batch_key.clone())
            .unwrap_or_else(new_idempotency_key),
        batch_key,
        appeal: serde_json::from_str(&get(o, "body").as_string()?).ok()?,
        state,
    })
}

/// A refusal as stored: the problem document, or the bare status.
fn refusal_text(err: &ApiError) -> String {
    match err {
        ApiError::Problem(p) => serde_json::to_string(p).unwrap_or_default(),
        other => other.status().unwrap_or(400).to_string(),
    }
}

fn refusal(text: &str) -> ApiError {
    match serde_json::from_str::<Problem>(text) {
        Ok(p) => ApiError::Problem(Box::new(p)),
        Err(_) => ApiError::Status(text.parse().unwrap_or(400)),
    }
}
