//! Just enough IndexedDB (through web-sys, no extra crate) for the field queue: one
//! database, one object store of records with an auto-increment `id`, and put, list and
//! delete as futures.
//!
//! IndexedDB rather than localStorage: it survives a reload and a closed tab like
//! localStorage, but writes are transactional, so a record is either stored whole or not.

use js_sys::{Array, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStoreParameters, IdbRequest, IdbTransactionMode};

const DB: &str = "baqylau";
const VERSION: u32 = 1;
pub const STORE: &str = "field_appeals";

/// Waits for a request's `success` (its `result`) or `error`.
async fn done(request: &IdbRequest) -> Result<JsValue, JsValue> {
    let request = request.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        let ok = request.clone();
        let on_success = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &ok.result().unwrap_or(JsValue::UNDEFINED));
        });
        let failed = request.clone();
        let on_error = Closure::once_into_js(move |_: web_sys::Event| {
            let error = failed
                .error()
                .ok()
                .flatten()
                .map(JsValue::from)
                .unwrap_or(JsValue::NULL);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise).await
}

/// Opens (creating on first use) the database.
pub async fn open() -> Result<IdbDatabase, JsValue> {
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()?
        .ok_or("IndexedDB is not available")?;
    let request = factory.open_with_u32(DB, VERSION)?;
    let upgrade = request.clone();
    let on_upgrade = Closure::once_into_js(move |_: web_sys::Event| {
        if let Ok(result) = upgrade.result() {
            let db: IdbDatabase = result.unchecked_into();
            if !db.object_store_names().contains(STORE) {
                let params = IdbObjectStoreParameters::new();
                params.set_key_path(&JsValue::from_str("id"));
                params.set_auto_increment(true);
                let _ = db.create_object_store_with_optional_parameters(STORE, &params);
            }
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    Ok(done(&request).await?.unchecked_into())
}

fn store(db: &IdbDatabase, mode: IdbTransactionMode) -> Result<web_sys::IdbObjectStore, JsValue> {
    db.transaction_with_str_and_mode(STORE, mode)?
        .object_store(STORE)
}

/// Stores `record` (a new one without `id`, or a changed one with it); returns its id.
pub async fn put(db: &IdbDatabase, record: &JsValue) -> Result<JsValue, JsValue> {
    let request = store(db, IdbTransactionMode::Readwrite)?.put(record)?;
    done(&request).await
}

/// Every record, in `id` order.
pub async fn all(db: &IdbDatabase) -> Result<Vec<JsValue>, JsValue> {
    let request = store(db, IdbTransactionMode::Readonly)?.get_all()?;
    let list: Array = done(&request).await?.unchecked_into();
    Ok(list.iter().collect())
}

/// Removes the records with these ids, in one transaction (all or none).
pub async fn delete(db: &IdbDatabase, ids: &[f64]) -> Result<(), JsValue> {
    let store = store(db, IdbTransactionMode::Readwrite)?;
    let mut last = None;
    for id in ids {
        last = Some(store.delete(&JsValue::from_f64(*id))?);
    }
    if let Some(request) = last {
        done(&request).await?;
    }
    Ok(())
}
