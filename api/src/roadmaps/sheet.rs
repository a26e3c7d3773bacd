//! Reading the first sheet of an uploaded XLSX workbook without trusting its size.
//!
//! A workbook is a zip of XML: a 2 KB file can declare a sheet of `A1:XFD1048576` (17
//! billion cells), and a reader that materialises the declared range allocates for
//! every one of them and takes the process down. So the sheet is streamed cell by cell
//! (calamine's `worksheet_cells_reader`): its declared extent (`<dimension>`) is checked
//! before any cell is read, every cell's position is checked as it arrives (a sheet need
//! not declare its extent, or may lie), and so is the number of cells read (a sheet may
//! repeat one cell a million times). Only a sheet within the limits becomes a table.

use std::collections::BTreeMap;

use calamine::{Data, Reader};
use chrono::NaiveDate;

use crate::error::{ApiError, ApiResult};

/// Most rows one import takes; a road map has about a thousand indicators. Declared
/// here, beside the sheet's own limits, so that the reader depends on nothing above it.
pub const MAX_ROWS: usize = 5000;

/// The last row a sheet may reach (0-based): the header, [`MAX_ROWS`] rows, and room
/// for a few title lines above the header.
pub const MAX_SHEET_ROW: u32 = MAX_ROWS as u32 + 100;
/// Columns a sheet may use: the template has 11, a sheet may carry notes beside them.
pub const MAX_SHEET_COLUMNS: u32 = 64;
/// Cells read before giving up; every cell of a full sheet, once.
const MAX_CELLS: u64 = (MAX_SHEET_ROW as u64 + 1) * MAX_SHEET_COLUMNS as u64;

/// The stable code of a sheet over the limits (422, field `body`).
pub const TOO_LARGE: &str = "sheet_too_large";

fn too_large() -> ApiError {
    ApiError::validation(
        "body",
        TOO_LARGE,
        &format!(
            "the sheet must fit within {} rows and {MAX_SHEET_COLUMNS} columns",
            MAX_SHEET_ROW + 1
        ),
    )
}

fn unreadable(e: impl std::fmt::Display) -> ApiError {
    ApiError::validation("body", "xlsx", &format!("not readable as xlsx: {e}"))
}

fn within(row: u32, col: u32) -> bool {
    row <= MAX_SHEET_ROW && col < MAX_SHEET_COLUMNS
}

/// The first sheet as text, from its first non-empty row and column to its last (as a
/// spreadsheet shows it): dates as `YYYY-MM-DD`, whole numbers without a decimal point
/// (a KATO code typed as a number stays a code). 422 `sheet_too_large` beyond the limits.
pub fn first_sheet(bytes: &[u8]) -> ApiResult<Vec<Vec<String>>> {
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let name = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| unreadable("no worksheet"))?;
    let mut reader = book.worksheet_cells_reader(&name).map_err(unreadable)?;
    // A missing `<dimension>` reads as A1:A1; the cells are checked below either way.
    let declared = reader.dimensions();
    if !within(declared.end.0, declared.end.1) {
        return Err(too_large());
    }
    let mut cells: BTreeMap<(u32, u32), String> = BTreeMap::new();
    let mut read = 0u64;
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        read += 1;
        let (row, col) = cell.get_position();
        if !within(row, col) || read > MAX_CELLS {
            return Err(too_large());
        }
        let text = text(Data::from(cell.get_value().clone()));
        if text.is_empty() {
            cells.remove(&(row, col));
        } else {
            cells.insert((row, col), text);
        }
    }
    let Some(first_row) = cells.keys().map(|(r, _)| *r).min() else {
        return Ok(Vec::new());
    };
    let last_row = cells.keys().map(|(r, _)| *r).max().unwrap_or(first_row);
    let first_col = cells.keys().map(|(_, c)| *c).min().unwrap_or(0);
    let last_col = cells.keys().map(|(_, c)| *c).max().unwrap_or(first_col);
    Ok((first_row..=last_row)
        .map(|r| {
            (first_col..=last_col)
                .map(|c| cells.remove(&(r, c)).unwrap_or_default())
                .collect()
        })
        .collect())
}

fn text(cell: Data) -> String {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) => s,
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        Data::DateTime(d) => {
            (epoch + chrono::Days::new(d.as_f64().floor().max(0.0) as u64)).to_string()
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(write: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        write(wb.add_worksheet());
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn a_sheet_reads_from_its_first_used_cell() {
        let bytes = book(|ws| {
            ws.write_string(2, 1, "section").unwrap();
            ws.write_string(2, 3, "kind").unwrap();
            ws.write_number(3, 1, 313600000.0).unwrap();
        });
        assert_eq!(
            first_sheet(&bytes).unwrap(),
            vec![
                vec!["section".to_owned(), String::new(), "kind".to_owned()],
                vec!["313600000".to_owned(), String::new(), String::new()],
            ]
        );
    }

    #[test]
    fn a_cell_beyond_the_limits_is_refused_before_the_sheet_is_built() {
        for (row, col) in [
            (1_048_575, 16_383),
            (MAX_SHEET_ROW + 1, 0),
            (0, MAX_SHEET_COLUMNS as u16 as u32),
        ] {
            let bytes = book(|ws| {
                ws.write_string(0, 0, "section").unwrap();
                ws.write_string(row, col as u16, "x").unwrap();
            });
            let err = first_sheet(&bytes).unwrap_err();
            assert!(
                matches!(&err, ApiError::Validation(e) if e[0].code == TOO_LARGE),
                "{row},{col}: {err:?}"
            );
        }
        let bytes = book(|ws| {
            ws.write_string(MAX_SHEET_ROW, MAX_SHEET_COLUMNS as u16 - 1, "x")
                .unwrap();
        });
        assert_eq!(first_sheet(&bytes).unwrap(), vec![vec!["x".to_owned()]]);
    }
}
