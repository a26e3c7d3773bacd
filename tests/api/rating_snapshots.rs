//! A month's ratings are stored when it closes — by the job every process runs and by
//! `baqylau ratings snapshot` — exactly once per deputy, however many closers run.

use std::process::Command;

use baqylau::db::schema::rating_snapshots;
use baqylau::db::DbTarget;
use baqylau::kit::clock::Clock;
use baqylau::ratings::period::Period;
use diesel::prelude::*;
use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

async fn staff(app: &TestApp) -> Auth {
    app.create_user("baizak@s.kz", "district_staff", Some(kato::BAIZAK), None);
    app.bearer("baizak@s.kz").await
}

async fn deputy(app: &TestApp, auth: &Auth, name: &str) -> i64 {
    let res = app
        .post(
            "/api/v1/deputies",
            auth,
            json!({"full_name": name, "level": "district", "maslikhat_territory_id": app.territory(kato::BAIZAK)}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()["id"].as_i64().unwrap()
}

/// Stored snapshots of `month`, per deputy.
fn stored(app: &TestApp, month: &str) -> Vec<(i64, i64)> {
    rating_snapshots::table
        .filter(rating_snapshots::period.eq(month))
        .group_by(rating_snapshots::deputy_id)
        .select((rating_snapshots::deputy_id, diesel::dsl::count_star()))
        .order(rating_snapshots::deputy_id.asc())
        .load(&mut *app.conn())
        .unwrap()
}

fn last_month() -> String {
    Period::of(Clock::system().today()).previous().label()
}

both_backends! {
    async fn the_job_stores_the_closed_month_once(app) {
        let app = respawn_with(app, |s| {
            s.snapshots.rating_snapshots = true;
            s.snapshots.rating_snapshot_every_secs = 1;
        })
        .await;
        let one = deputy(&app, &staff(&app).await, "Бірінші депутат").await;
        let month = last_month();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while stored(&app, &month).is_empty() {
            assert!(std::time::Instant::now() < deadline, "the job stored nothing for {month}");
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        // More rounds change nothing.
        tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
        assert_eq!(stored(&app, &month), vec![(one, 1)]);
    }

    async fn concurrent_closers_store_each_deputy_once(app) {
        let auth = staff(&app).await;
        let (one, two) = (deputy(&app, &auth, "Бірінші").await, deputy(&app, &auth, "Екінші").await);
        let period = Period::parse("month", "2026-09", &mut Vec::new()).unwrap();
        let clock = Clock::system();
        let written: Vec<usize> = std::thread::scope(|s| {
            let closers: Vec<_> = (0..3)
                .map(|_| {
                    s.spawn(|| {
                        let mut conn = app.conn();
                        baqylau::ratings::close::close_month(&mut conn, &clock, &Default::default(), period).unwrap()
                    })
                })
                .collect();
            closers.into_iter().map(|c| c.join().unwrap()).collect()
        });
        assert_eq!(written.iter().sum::<usize>(), 2, "{written:?}");
        assert_eq!(stored(&app, "2026-09"), vec![(one, 1), (two, 1)]);
        // A running month is not closed.
        let running = Period::of(clock.today());
        let err = baqylau::ratings::close::close_month(&mut app.conn(), &clock, &Default::default(), running).unwrap_err();
        assert!(matches!(err, baqylau::error::ApiError::Validation(_)), "{err:?}");
    }

    async fn the_command_stores_a_month_once(app) {
        let one = deputy(&app, &staff(&app).await, "Бірінші депутат").await;
        let url = match app.db.target() {
            DbTarget::Sqlite(p) => format!("sqlite://{}", p.display()),
            DbTarget::Postgres(u) => u.clone(),
        };
        let run = |month: Option<&str>| {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_baqylau"));
            cmd.env_remove("DATABASE_URL").args(["ratings", "snapshot", "--database-url", &url]);
            if let Some(m) = month {
                cmd.args(["--month", m]);
            }
            cmd.output().unwrap()
        };
        for expected in ["stored 1 ", "stored 0 "] {
            let out = run(Some("2026-09"));
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            assert!(stdout.contains(expected), "{stdout}");
        }
        assert_eq!(stored(&app, "2026-09"), vec![(one, 1)]);
        // Without --month it closes the month before today's.
        assert!(run(None).status.success());
        assert_eq!(stored(&app, &last_month()), vec![(one, 1)]);
        for bad in ["2099-01", "sept"] {
            let out = run(Some(bad));
            assert!(!out.status.success(), "{bad} accepted");
            assert!(String::from_utf8_lossy(&out.stderr).contains("--month"));
        }
    }
}
