//! List latency: sequential `GET /api/v1/appeals` requests after one warm-up.

use std::time::{Duration, Instant};

use anyhow::{anyhow, ensure};
use serde_json::Value;

/// Timed requests per list case (after one warm-up).
pub const SAMPLES: usize = 30;

/// Follows `next_cursor` to the start of page `page` of the default list.
pub async fn walk_to_page(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    page: usize,
) -> anyhow::Result<String> {
    let mut cursor: Option<String> = None;
    for n in 1..page {
        let mut req = client
            .get(format!("{base}/api/v1/appeals"))
            .bearer_auth(token);
        if let Some(c) = &cursor {
            req = req.query(&[("cursor", c)]);
        }
        let body: Value = req.send().await?.error_for_status()?.json().await?;
        cursor = Some(
            body["next_cursor"]
                .as_str()
                .ok_or_else(|| anyhow!("the list ended at page {n}"))?
                .to_owned(),
        );
    }
    cursor.ok_or_else(|| anyhow!("page {page} needs at least one cursor"))
}

/// Query parameters of a request.
pub type Params = Vec<(&'static str, String)>;

pub struct Latency {
    pub median: Duration,
    pub p95: Duration,
    pub max: Duration,
    pub items: usize,
    pub total: Option<i64>,
}

pub async fn latency(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    params: &[(&str, String)],
) -> anyhow::Result<Latency> {
    let url = format!("{base}/api/v1/appeals");
    let mut times = Vec::with_capacity(SAMPLES);
    let mut last = Value::Null;
    for i in 0..=SAMPLES {
        let started = Instant::now();
        let res = client
            .get(&url)
            .query(params)
            .bearer_auth(token)
            .send()
            .await?;
        let status = res.status();
        let body = res.bytes().await?;
        let took = started.elapsed();
        ensure!(
            status == 200,
            "GET {url} {params:?}: {status} {}",
            String::from_utf8_lossy(&body)
        );
        if i > 0 {
            times.push(took);
        }
        if i == SAMPLES {
            last = serde_json::from_slice(&body)?;
        }
    }
    times.sort();
    let rank = |q: f64| times[((q * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
    Ok(Latency {
        median: rank(0.5),
        p95: rank(0.95),
        max: times[times.len() - 1],
        items: last["items"].as_array().map_or(0, Vec::len),
        total: last["total"].as_i64(),
    })
}
