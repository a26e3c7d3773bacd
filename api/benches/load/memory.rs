//! Resident memory of the whole process (server and client together).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// This process's resident set in KiB, from /proc/self/status (Linux).
pub fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Samples VmRSS every 5 ms on a thread of its own and keeps the peak.
pub struct RssSampler {
    pub baseline: u64,
    pub peak: Arc<AtomicU64>,
    pub stop: Arc<AtomicBool>,
    pub thread: std::thread::JoinHandle<()>,
}

impl RssSampler {
    pub fn start() -> RssSampler {
        let baseline = rss_kib().unwrap_or(0);
        let peak = Arc::new(AtomicU64::new(baseline));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (peak, stop) = (peak.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if let Some(now) = rss_kib() {
                        peak.fetch_max(now, Ordering::Relaxed);
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
            })
        };
        RssSampler {
            baseline,
            peak,
            stop,
            thread,
        }
    }

    /// (baseline, peak) in KiB.
    pub fn stop(self) -> (u64, u64) {
        if let Some(now) = rss_kib() {
            self.peak.fetch_max(now, Ordering::Relaxed);
        }
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
        (self.baseline, self.peak.load(Ordering::Relaxed))
    }
}
