//! `baqylau seed --scale`: the requested appeals with registration numbers as the server
//! gives them, counters that match, and the server numbering on after them.

use std::collections::{BTreeMap, BTreeSet};

use baqylau::db::schema::{appeals, reg_counters};
use baqylau::seed::scale::{self, Options};
use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use serde_json::json;

use crate::appeals::{count, create, move_to};
use crate::both_backends;
use crate::fixtures::admin;
use crate::helpers::*;

const APPEALS: usize = 2_000;

fn seed(app: &TestApp) -> anyhow::Result<scale::Report> {
    let mut conn = app.conn();
    scale::load(
        &mut conn,
        Options {
            appeals: APPEALS,
            seed: 7,
        },
    )
}

/// Registration numbers by (region, year) as sequence numbers, checked against the
/// registration day of each appeal.
fn numbers(app: &TestApp) -> BTreeMap<(String, i32), BTreeSet<i64>> {
    let rows: Vec<(String, NaiveDate)> = appeals::table
        .select((appeals::reg_number, appeals::registered_on))
        .load(&mut *app.conn())
        .unwrap();
    let mut by_counter: BTreeMap<(String, i32), BTreeSet<i64>> = BTreeMap::new();
    for (number, registered_on) in rows {
        let parts: Vec<&str> = number.split('-').collect();
        assert_eq!(parts.len(), 3, "{number}");
        let year: i32 = parts[1].parse().unwrap();
        assert_eq!(year, registered_on.year(), "{number} on {registered_on}");
        assert_eq!(parts[2].len(), 6, "{number}");
        let fresh = by_counter
            .entry((parts[0].to_owned(), year))
            .or_default()
            .insert(parts[2].parse().unwrap());
        assert!(fresh, "{number} twice");
    }
    by_counter
}

both_backends! {
    async fn scale_seed_numbers_as_the_server_does_and_creates_continue(app) {
        let report = seed(&app).unwrap();
        assert_eq!(report.appeals, APPEALS);
        assert_eq!(count(&app, "appeals"), APPEALS as i64);
        assert_eq!(count(&app, "appeal_citizens"), APPEALS as i64);
        assert!(count(&app, "history") > APPEALS as i64);
        assert!(count(&app, "assignments") >= 10);
        assert!(count(&app, "indicator_progress") > 0);
        let on_site: i64 = appeals::table
            .filter(appeals::reception_id.is_not_null())
            .count()
            .get_result(&mut *app.conn())
            .unwrap();
        assert!(on_site > 0 && count(&app, "receptions") > 0);

        // Gap-free from 1 in each (region, year), and each counter at the last number.
        let by_counter = numbers(&app);
        let counters: BTreeMap<(String, i32), i64> = reg_counters::table
            .select((reg_counters::region_code, reg_counters::year, reg_counters::last_value))
            .load::<(String, i32, i64)>(&mut *app.conn())
            .unwrap()
            .into_iter()
            .map(|(region, year, last)| ((region, year), last))
            .collect();
        assert_eq!(counters.len(), by_counter.len());
        for (key, seqs) in &by_counter {
            let n = seqs.len() as i64;
            assert_eq!(seqs.iter().copied().collect::<Vec<_>>(), (1..=n).collect::<Vec<_>>(), "{key:?}");
            assert_eq!(counters.get(key), Some(&n), "{key:?}");
        }

        // A second load refuses: the database is no longer empty.
        assert!(seed(&app).is_err());
        assert_eq!(count(&app, "appeals"), APPEALS as i64);

        // The server reads what was seeded, and numbers on after it.
        let auth = admin(&app).await;
        let page = app.get("/api/v1/appeals?include_total=true", &auth).await;
        assert_eq!(page.status, 200, "{}", page.text);
        assert_eq!(page.json()["total"], json!(APPEALS));
        let seeded = app.get("/api/v1/appeals/1", &auth).await;
        assert_eq!(seeded.status, 200, "{}", seeded.text);
        for n in 1..=3 {
            let made = create(&app, &auth, json!({})).await;
            assert_eq!(made["id"], json!(APPEALS as i64 + n));
            let number = made["reg_number"].as_str().unwrap().to_owned();
            let year: i32 = number.split('-').nth(1).unwrap().parse().unwrap();
            let last = counters.get(&("ZHA".to_owned(), year)).copied().unwrap_or(0);
            assert_eq!(number, format!("ZHA-{year}-{:06}", last + n));
            let moved = move_to(&app, &auth, &made, json!({"to": "under_control"})).await;
            assert_eq!(moved, 200);
        }
        // Still unique and gap-free, now with the server's own.
        let after = numbers(&app);
        for (key, seqs) in &after {
            let n = seqs.len() as i64;
            assert_eq!(seqs.iter().copied().collect::<Vec<_>>(), (1..=n).collect::<Vec<_>>(), "{key:?}");
        }
    }
}
