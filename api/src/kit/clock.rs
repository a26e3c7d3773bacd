//! The application's clock. Production reads the system clock; tests and the demo seed
//! fix it, so that "today", deadlines and `overdue` can be checked on known dates.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// A source of the current instant, shared by every worker.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock({})", self.now())
    }
}

impl Default for Clock {
    fn default() -> Clock {
        Clock::system()
    }
}

impl Clock {
    pub fn system() -> Clock {
        Clock(Arc::new(Utc::now))
    }

    /// Always `at`.
    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock(Arc::new(move || at))
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }

    /// Now as stored: naive UTC, whole microseconds (both backends keep microseconds, so a
    /// value read back compares equal to the one written).
    pub fn now_stored(&self) -> NaiveDateTime {
        crate::db::compat::truncate_micros(self.now().naive_utc())
    }

    /// Today's date in Kazakhstan.
    pub fn today(&self) -> NaiveDate {
        baqylau_wire::time::local_date(self.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_decides_the_local_date() {
        let at = DateTime::parse_from_rfc3339("2026-12-31T20:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let clock = Clock::fixed(at);
        assert_eq!(clock.today().to_string(), "2027-01-01");
        assert_eq!(clock.now(), at);
    }
}
