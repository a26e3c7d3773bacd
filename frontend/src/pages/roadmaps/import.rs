//! `/roadmaps/:id/import`: indicators from a CSV or XLSX file with the template's
//! columns. The server takes all rows or none; when some are bad, every problem is
//! listed in a table by row and column, so the file can be fixed in one go.

use baqylau_wire::problem::FieldError;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::roadmaps::Imported;
use crate::api::{self, ApiError};
use crate::components::download::DownloadButtons;
use crate::components::error_message::ErrorMessage;
use crate::i18n::use_lang;
use crate::route::Route;
use crate::session::use_api;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// One problem of the file: the spreadsheet line (the header is line 1), the column,
/// what is wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct RowError {
    pub line: Option<usize>,
    pub column: String,
    pub message: String,
}

/// `rows[3].due_on` → line 5 (row 0 is the line under the header), column `due_on`;
/// an error about the file as a whole has no line.
pub fn row_errors(errors: &[FieldError]) -> Vec<RowError> {
    errors
        .iter()
        .map(|e| {
            let parsed = e.field.strip_prefix("rows[").and_then(|rest| {
                let (index, column) = rest.split_once(']')?;
                Some((index.parse::<usize>().ok()?, column.trim_start_matches('.')))
            });
            match parsed {
                Some((index, column)) => RowError {
                    line: Some(index + 2),
                    column: column.to_owned(),
                    message: e.message.clone(),
                },
                None => RowError {
                    line: None,
                    column: e.field.clone(),
                    message: e.message.clone(),
                },
            }
        })
        .collect()
}

#[derive(Clone, PartialEq)]
enum State {
    Idle,
    Sending,
    Done(Imported),
    Failed(ApiError),
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: i64,
}

#[function_component]
pub fn RoadmapImport(props: &Props) -> Html {
    let lang = *use_lang();
    let t = lang.dashboard();
    let api = use_api();
    let state = use_state(|| State::Idle);
    let input = use_node_ref();
    let id = props.id;
    let onsubmit = {
        let (api, state, input) = (api.clone(), state.clone(), input.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(file) = input
                .cast::<HtmlInputElement>()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0))
            else {
                return;
            };
            if matches!(*state, State::Sending) {
                return;
            }
            state.set(State::Sending);
            let (api, state) = (api.clone(), state.clone());
            spawn_local(async move {
                let ctype = if file.name().to_lowercase().ends_with(".xlsx") {
                    XLSX
                } else {
                    "text/csv"
                };
                let bytes = match JsFuture::from(file.array_buffer()).await {
                    Ok(buf) => js_sys::Uint8Array::new(&buf).to_vec(),
                    Err(err) => {
                        state.set(State::Failed(ApiError::Network(format!("{err:?}"))));
                        return;
                    }
                };
                let result = api
                    .call(|c| {
                        let bytes = bytes.clone();
                        async move { api::roadmaps::import(&c, id, ctype, &bytes).await }
                    })
                    .await;
                state.set(match result {
                    Ok(done) => State::Done(done),
                    Err(err) => State::Failed(err),
                });
            });
        })
    };

    let outcome = match &*state {
        State::Idle => html! {},
        State::Sending => {
            html! { <p class="muted" data-testid="import-sending">{ lang.common().loading }</p> }
        }
        State::Done(done) => html! {
            <p class="notice" role="status" data-testid="import-done">
                { format!("{}: {} · {}: {}", t.import_indicators, done.indicators, t.import_sections, done.sections_created) }
            </p>
        },
        State::Failed(err) => match err.problem().filter(|p| !p.errors.is_empty()) {
            Some(problem) => html! {
                <>
                    <p class="error" role="alert">{ t.import_rejected }</p>
                    <table class="import-errors" data-testid="import-errors">
                        <thead><tr><th>{ t.import_line }</th><th>{ t.import_column }</th><th>{ t.import_problem }</th></tr></thead>
                        <tbody>
                            { for row_errors(&problem.errors).into_iter().map(|r| html! {
                                <tr data-testid="import-error">
                                    <td class="nowrap">{ r.line.map(|l| l.to_string()).unwrap_or_else(|| "—".into()) }</td>
                                    <td><code>{ r.column }</code></td>
                                    <td>{ r.message }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </>
            },
            None => html! { <ErrorMessage error={err.clone()} /> },
        },
    };

    html! {
        <div class="page roadmap-import" data-testid="roadmap-import">
            <div class="page-title">
                <h1>{ t.import_title }</h1>
                <Link<Route> to={Route::Roadmap { id }}>{ t.open_summary }</Link<Route>>
            </div>
            <section class="card">
                <p class="muted">{ t.import_hint }</p>
                <DownloadButtons path="/api/v1/roadmaps/import/template" name="roadmap-template" />
                <form class="form" {onsubmit}>
                    <input type="file" ref={input} accept=".csv,.xlsx,text/csv" data-testid="import-file" />
                    <button type="submit" class="button" data-testid="import-submit"
                            disabled={matches!(*state, State::Sending)}>
                        { t.import_send }
                    </button>
                </form>
                { outcome }
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_errors_name_the_spreadsheet_line_and_column() {
        let errors = [
            FieldError::new("rows[0].due_on", "invalid", "must be a date"),
            FieldError::new("rows[12].target", "invalid", "must be a number"),
            FieldError::new("file", "empty", "no rows"),
        ];
        let rows = row_errors(&errors);
        assert_eq!((rows[0].line, rows[0].column.as_str()), (Some(2), "due_on"));
        assert_eq!(
            (rows[1].line, rows[1].column.as_str()),
            (Some(14), "target")
        );
        assert_eq!((rows[2].line, rows[2].column.as_str()), (None, "file"));
        assert_eq!(rows[1].message, "must be a number");
    }
}
