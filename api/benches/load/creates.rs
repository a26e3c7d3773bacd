//! Write throughput: many clients registering appeals at once, next to the same server's
//! rate for a request that touches no table (`GET /healthz`). Every create takes the
//! region's registration counter and appends to the audit chain; the gap between the two
//! rates is what those shared rows cost.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::ensure;
use serde_json::json;

/// How long each measured burst runs.
const BURST: Duration = Duration::from_secs(5);

pub struct Rate {
    pub requests: usize,
    pub per_sec: f64,
    pub median: Duration,
    pub p95: Duration,
}

/// `clients` concurrent loops of `POST /api/v1/appeals` for [`BURST`]; every answer must
/// be 201, so a fast failure cannot pass for throughput.
pub async fn creates(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    territory_id: i64,
    clients: usize,
) -> anyhow::Result<Rate> {
    burst(clients, |n| {
        let request = client
            .post(format!("{base}/api/v1/appeals"))
            .bearer_auth(token)
            .header(
                "Idempotency-Key",
                format!("bench-create-{n}-{}", std::process::id()),
            )
            .json(&json!({
                "channel": "online",
                "category": "UTIL_WATER",
                "territory_id": territory_id,
                "subject": "Ауыз су жоқ",
                "description": "Ауылда үш күннен бері ауыз су жоқ, шара қолдануды сұраймыз.",
                "language": "kk",
                "citizen": {"full_name": "Бенч Тексеруші", "phone": "+77012345678"}
            }));
        async move {
            let res = request.send().await?;
            let status = res.status();
            let body = res.text().await?;
            ensure!(status == 201, "POST /appeals: {status} {body}");
            Ok(())
        }
    })
    .await
}

/// The same for `GET /healthz`: the server's rate when no row is shared.
pub async fn trivial(client: &reqwest::Client, base: &str, clients: usize) -> anyhow::Result<Rate> {
    burst(clients, |_| {
        let request = client.get(format!("{base}/healthz"));
        async move {
            let res = request.send().await?;
            ensure!(res.status() == 200, "GET /healthz: {}", res.status());
            res.bytes().await?;
            Ok(())
        }
    })
    .await
}

/// `clients` loops, each sending its next request when the previous one is answered.
async fn burst<F, Fut>(clients: usize, make: F) -> anyhow::Result<Rate>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let counter = AtomicUsize::new(0);
    let (counter, make) = (&counter, &make);
    let started = Instant::now();
    let mut loops = Vec::with_capacity(clients);
    for _ in 0..clients {
        loops.push(async move {
            let mut times = Vec::new();
            while started.elapsed() < BURST {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let t = Instant::now();
                make(n).await?;
                times.push(t.elapsed());
            }
            anyhow::Ok(times)
        });
    }
    let mut times: Vec<Duration> = futures_util::future::try_join_all(loops)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let wall = started.elapsed();
    ensure!(!times.is_empty(), "no request finished in {BURST:?}");
    times.sort();
    let rank = |q: f64| times[((q * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
    Ok(Rate {
        requests: times.len(),
        per_sec: times.len() as f64 / wall.as_secs_f64(),
        median: rank(0.5),
        p95: rank(0.95),
    })
}
