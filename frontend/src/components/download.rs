//! Export buttons: the file is fetched with the person's token (a plain link would carry
//! none), shown as in progress while the server builds it, then saved by the browser.

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::ApiError;
use crate::components::error_message::ErrorMessage;
use crate::i18n::use_lang;
use crate::session::use_api;

#[derive(Properties, PartialEq)]
pub struct DownloadProps {
    /// The export's path without `format` (the current filters may be in its query).
    pub path: String,
    /// The file name without extension.
    pub name: String,
}

#[derive(Clone, PartialEq)]
enum State {
    Idle,
    Working(&'static str),
    Done(usize),
    Failed(ApiError),
}

/// `path` with `format=<format>` added to its query.
pub fn with_format(path: &str, format: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}format={format}")
}

#[function_component]
pub fn DownloadButtons(props: &DownloadProps) -> Html {
    let lang = *use_lang();
    let api = use_api();
    let state = use_state(|| State::Idle);
    let start = |format: &'static str| {
        let (api, state) = (api.clone(), state.clone());
        let (path, name) = (with_format(&props.path, format), props.name.clone());
        Callback::from(move |_: MouseEvent| {
            if matches!(*state, State::Working(_)) {
                return;
            }
            state.set(State::Working(format));
            let (api, state, path, name) = (api.clone(), state.clone(), path.clone(), name.clone());
            spawn_local(async move {
                let code = lang.code();
                match api
                    .call(|c| {
                        let p = path.clone();
                        async move { c.download(&p, code).await }
                    })
                    .await
                {
                    Ok(bytes) => {
                        save(&bytes, &format!("{name}.{format}"), mime(format));
                        state.set(State::Done(bytes.len()));
                    }
                    Err(err) => state.set(State::Failed(err)),
                }
            });
        })
    };
    let busy = matches!(*state, State::Working(_));
    html! {
        <div class="downloads" data-testid="export">
            <button type="button" class="button secondary-dark" data-testid="export-xlsx"
                    disabled={busy} onclick={start("xlsx")}>{ "XLSX" }</button>
            <button type="button" class="button secondary-dark" data-testid="export-csv"
                    disabled={busy} onclick={start("csv")}>{ "CSV" }</button>
            { match &*state {
                State::Idle => html! {},
                State::Working(_) => html! {
                    <span class="export-progress" data-testid="export-progress" aria-live="polite">
                        <progress /> { lang.common().loading }
                    </span>
                },
                State::Done(n) => html! {
                    <span class="muted" data-testid="export-done" data-bytes={n.to_string()}>
                        { format!("✓ {} KB", n.div_ceil(1024)) }
                    </span>
                },
                State::Failed(err) => html! { <ErrorMessage error={err.clone()} /> },
            } }
        </div>
    }
}

fn mime(format: &str) -> &'static str {
    match format {
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "text/csv",
    }
}

/// Hands `bytes` to the browser as a download named `file`.
fn save(bytes: &[u8], file: &str, mime: &str) {
    use wasm_bindgen::JsCast;
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let link = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(a) = link {
        a.set_href(&url);
        a.set_download(file);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

#[cfg(test)]
mod tests {
    use super::with_format;

    #[test]
    fn the_format_joins_the_filters() {
        assert_eq!(with_format("/a", "csv"), "/a?format=csv");
        assert_eq!(
            with_format("/a?status=x", "xlsx"),
            "/a?status=x&format=xlsx"
        );
    }
}
