//! Export: wall time, time to first byte, bytes, rows and peak memory of a streamed
//! CSV or XLSX export.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure};

use crate::memory::RssSampler;

pub struct Export {
    pub rows: u64,
    pub bytes: u64,
    pub wall: Duration,
    pub first_byte: Duration,
    pub rss_baseline: u64,
    pub rss_peak: u64,
}

/// Streams an export, chunk by chunk, counting bytes and (CSV) records — or (XLSX)
/// writing it to `sink` on disk, to be counted afterwards — while sampling RSS.
pub async fn export(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    format: &str,
    params: &[(&str, String)],
    sink: Option<&Path>,
) -> anyhow::Result<Export> {
    let mut file = sink.map(std::fs::File::create).transpose()?;
    let sampler = RssSampler::start();
    let started = Instant::now();
    let mut res = client
        .get(format!("{base}/api/v1/appeals/export"))
        .query(&[("format", format)])
        .query(params)
        .bearer_auth(token)
        .send()
        .await?;
    if res.status() != 200 {
        let status = res.status();
        bail!("export {format}: {status} {}", res.text().await?);
    }
    let mut first_byte = None;
    let mut bytes = 0u64;
    let mut records = CsvRecords::default();
    while let Some(chunk) = res.chunk().await? {
        first_byte.get_or_insert_with(|| started.elapsed());
        bytes += chunk.len() as u64;
        match file.as_mut() {
            Some(f) => f.write_all(&chunk)?,
            None => records.feed(&chunk),
        }
    }
    let wall = started.elapsed();
    let (rss_baseline, rss_peak) = sampler.stop();
    if let Some(f) = file.as_mut() {
        f.flush()?;
    }
    Ok(Export {
        // The header row is not an appeal.
        rows: records.ended.saturating_sub(1),
        bytes,
        wall,
        first_byte: first_byte.unwrap_or(wall),
        rss_baseline,
        rss_peak,
    })
}

/// Counts CSV records across chunk boundaries: line ends outside quoted fields.
#[derive(Default)]
pub struct CsvRecords {
    pub in_quotes: bool,
    pub ended: u64,
}

impl CsvRecords {
    fn feed(&mut self, chunk: &[u8]) {
        for &b in chunk {
            match b {
                b'"' => self.in_quotes = !self.in_quotes,
                b'\n' if !self.in_quotes => self.ended += 1,
                _ => {}
            }
        }
    }
}

/// Data rows of the "Appeals" sheet, read cell by cell (the header is row 0).
pub fn xlsx_rows(path: &Path) -> anyhow::Result<u64> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path)?;
    let names = book.sheet_names();
    ensure!(names.iter().any(|n| n == "Appeals"), "sheets: {names:?}");
    let mut cells = book.worksheet_cells_reader("Appeals")?;
    let mut last_row = 0u32;
    while let Some(cell) = cells.next_cell()? {
        last_row = last_row.max(cell.get_position().0);
    }
    Ok(u64::from(last_row))
}
