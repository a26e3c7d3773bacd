//! Bulk import of a road map's indicators from a spreadsheet: the template (the
//! export kit's `Table`, so headers come in kk/ru/en like every other file) and the
//! import itself — every row checked, every problem reported at once as
//! `rows[<index>].<field>` (index from 0, the first row under the header), and all rows
//! written in one transaction or none.

use std::collections::BTreeMap;

use baqylau_wire::roadmaps::CreateIndicator;
use chrono::NaiveDate;
use diesel::prelude::*;

use super::indicators::{self, NewIndicator};
use super::model;
use super::plan::{self, TITLE_MAX};
use crate::auth::{Caller, Permission};
use crate::db::schema::{roadmap_sections, territories};
use crate::db::DbConn;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::kit::clock::Clock;
use crate::kit::export::{Cell, Column, Pages, Table};
use crate::kit::validate;
use crate::kit::write;

pub use super::sheet::MAX_ROWS;

/// The template's one example row.
pub struct Example;

/// The columns of the template and of an import, in this order; an import recognises
/// a header in any of the three languages.
pub static TEMPLATE: Table<Example> = Table {
    name: "roadmap-import",
    sheet: "indicators",
    columns: &[
        Column::field("section", |_| Cell::text("Экономика")),
        Column::field("title", |_| {
            Cell::text("Открытие онкологического центра на 200 коек")
        }),
        Column::field("kind", |_| Cell::text("event")),
        Column::field("territory_kato", |_| Cell::text("313600000")),
        Column::field("due_on", |_| {
            Cell::Date(NaiveDate::from_ymd_opt(2021, 12, 31).unwrap_or_default())
        }),
        Column::field("unit", |_| Cell::Empty),
        Column::field("baseline", |_| Cell::Empty),
        Column::field("target", |_| Cell::Empty),
        Column::field("weight", |_| Cell::text("1")),
        Column::field("deputy_id", |_| Cell::Empty),
        Column::field("council_member_id", |_| Cell::Empty),
    ],
};

/// One example row, then the end.
pub struct ExamplePages(bool);

impl ExamplePages {
    pub fn new() -> ExamplePages {
        ExamplePages(false)
    }
}

impl Default for ExamplePages {
    fn default() -> Self {
        Self::new()
    }
}

impl Pages for ExamplePages {
    type Row = Example;

    fn next_page(&mut self, _conn: &mut DbConn) -> ApiResult<Vec<Example>> {
        let first = !self.0;
        self.0 = true;
        Ok(if first { vec![Example] } else { Vec::new() })
    }
}

/// What an import did.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(example = json!({"indicators": 48, "sections_created": 3}))]
pub struct Imported {
    pub indicators: usize,
    pub sections_created: usize,
}

fn number(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> Option<f64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    // Spreadsheets in Kazakhstan write decimal commas.
    match raw.replace(',', ".").parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        _ => {
            errors.push(FieldError::new(field, "invalid", "must be a number"));
            None
        }
    }
}

fn id(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<i64>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            errors.push(FieldError::new(
                field,
                "invalid",
                "must be a positive integer",
            ));
            None
        }
    }
}

/// An uploaded file.
pub enum Upload {
    /// CSV text, comma or semicolon separated, an optional BOM.
    Csv(String),
    /// An XLSX workbook; its first sheet is read, within the limits of
    /// [`super::sheet`].
    Xlsx(Vec<u8>),
}

/// Reads an upload into rows keyed by the template's column names.
pub fn read(upload: &Upload) -> ApiResult<Vec<BTreeMap<&'static str, String>>> {
    let table = match upload {
        Upload::Csv(text) => csv_table(text)?,
        Upload::Xlsx(bytes) => super::sheet::first_sheet(bytes)?,
    };
    keyed(table)
}

fn unreadable(what: &str, e: impl std::fmt::Display) -> ApiError {
    ApiError::validation("body", what, &format!("not readable as {what}: {e}"))
}

fn csv_table(text: &str) -> ApiResult<Vec<Vec<String>>> {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            r.map(|r| r.iter().map(str::to_owned).collect())
                .map_err(|e| unreadable("csv", e))
        })
        .collect()
}

/// Rows under the header row, keyed by the template's column names.
fn keyed(table: Vec<Vec<String>>) -> ApiResult<Vec<BTreeMap<&'static str, String>>> {
    let mut records = table.into_iter();
    let headers = records.next().unwrap_or_default();
    let mut index = Vec::new();
    let mut errors = Vec::new();
    for col in TEMPLATE.columns {
        let name = col.headers[2];
        match headers.iter().position(|h| col.headers.contains(&h.trim())) {
            Some(i) => index.push((name, i)),
            None => errors.push(FieldError::new(
                format!("columns.{name}"),
                "required",
                "the header row lacks this column (see /roadmaps/import/template)",
            )),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let mut rows = Vec::new();
    for record in records {
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push(
            index
                .iter()
                .map(|(name, i)| (*name, record.get(*i).cloned().unwrap_or_default()))
                .collect(),
        );
        if rows.len() > MAX_ROWS {
            return Err(ApiError::validation(
                "rows",
                "too_many",
                &format!("at most {MAX_ROWS} rows"),
            ));
        }
    }
    if rows.is_empty() {
        return Err(ApiError::validation(
            "rows",
            "required",
            "no rows under the header",
        ));
    }
    Ok(rows)
}

/// Imports the rows of a file (`upload`, or the problem reading it) into road map
/// `roadmap_id`: sections named in the file are found by
/// title or created; every row is checked and every problem reported at once (422);
/// nothing is written unless every row is good.
pub fn import(
    conn: &mut DbConn,
    caller: &Caller,
    clock: &Clock,
    roadmap_id: i64,
    upload: ApiResult<Upload>,
) -> ApiResult<Imported> {
    caller.authorize(Permission::RoadmapsWrite)?;
    // The road map first: outside the caller's reach it is 404 whatever the body says.
    let roadmap = model::load_roadmap_for_change(conn, caller, roadmap_id)?;
    let rows = read(&upload?)?;
    let existing: BTreeMap<String, i64> = roadmap_sections::table
        .filter(roadmap_sections::roadmap_id.eq(roadmap_id))
        .select((roadmap_sections::title, roadmap_sections::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let katos: Vec<String> = rows
        .iter()
        .map(|r| r["territory_kato"].trim().to_owned())
        .collect();
    let territory_ids: BTreeMap<String, i64> = territories::table
        .filter(territories::kato_code.eq_any(&katos))
        .filter(territories::deleted_at.is_null())
        .select((territories::kato_code, territories::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let mut errors = Vec::new();
    // (section title, checked indicator)
    let mut checked: Vec<(String, NewIndicator)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let p = format!("rows[{i}].");
        let f = |n: &str| format!("{p}{n}");
        let section =
            validate::required_text(&f("section"), &row["section"], TITLE_MAX, &mut errors);
        let kato = row["territory_kato"].trim();
        let territory_id = match territory_ids.get(kato) {
            Some(t) => *t,
            None => {
                errors.push(FieldError::new(
                    f("territory_kato"),
                    "unknown",
                    "no such KATO code",
                ));
                0
            }
        };
        let due_raw = row["due_on"].trim();
        let due_on = if due_raw.is_empty() {
            None
        } else {
            match NaiveDate::parse_from_str(due_raw, "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(due_raw, "%d.%m.%Y"))
            {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push(FieldError::new(
                        f("due_on"),
                        "date",
                        "must be a date, YYYY-MM-DD or DD.MM.YYYY",
                    ));
                    continue;
                }
            }
        };
        let body = CreateIndicator {
            roadmap_id,
            section_id: 0,
            title: row["title"].clone(),
            territory_id,
            kind: row["kind"].trim().to_owned(),
            unit: Some(row["unit"].clone()),
            baseline: number(&f("baseline"), &row["baseline"], &mut errors),
            target: number(&f("target"), &row["target"], &mut errors),
            due_on,
            council_member_id: id(
                &f("council_member_id"),
                &row["council_member_id"],
                &mut errors,
            ),
            council_member_user_id: None,
            deputy_id: id(&f("deputy_id"), &row["deputy_id"], &mut errors),
            weight: number(&f("weight"), &row["weight"], &mut errors),
        };
        if territory_id == 0 {
            continue;
        }
        let mut row_errors = Vec::new();
        if let Some(new) = indicators::check(conn, caller, &roadmap, &body, &p, &mut row_errors)? {
            checked.push((section, new));
        }
        // A missing due_on is reported by the check; an unreadable one was reported above.
        errors.extend(row_errors);
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    write::write(conn, &caller.audit_actor(), clock, |tx| {
        let mut sections = existing.clone();
        let mut created = 0;
        let mut batch = Vec::with_capacity(checked.len());
        for (title, mut new) in checked.clone() {
            let section_id = match sections.get(&title) {
                Some(s) => *s,
                None => {
                    let s = plan::insert_section(tx, roadmap_id, None, &title, None, None)?;
                    sections.insert(title, s);
                    created += 1;
                    s
                }
            };
            new.section_id = section_id;
            batch.push(new);
        }
        indicators::insert(tx, &batch)?;
        Ok(Imported {
            indicators: batch.len(),
            sections_created: created,
        })
    })
}
