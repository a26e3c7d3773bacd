//! Each domain rule with a SQL form (`domain::*::*_sql`) picks the very rows its Rust form
//! holds for — and `not(..)` of it the others — on the same data, on both backends.

use std::collections::BTreeSet;

use baqylau::db::schema::{appeals, indicators, receptions};
use baqylau::domain::{appeal, indicator, reception};
use baqylau_wire::appeals::Status;
use baqylau_wire::receptions::ReceptionStatus;
use baqylau_wire::roadmaps::IndicatorStatus;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::not;
use diesel::prelude::*;
use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// The ids among `ids` the predicate holds for, and those its negation holds for.
macro_rules! split {
    ($app:expr, $table:ident, $ids:expr, $predicate:expr) => {{
        let ids: Vec<i64> = $ids.to_vec();
        let yes: BTreeSet<i64> = $table::table
            .filter($table::id.eq_any(ids.clone()))
            .filter($predicate)
            .select($table::id)
            .load::<i64>(&mut *$app.conn())
            .unwrap()
            .into_iter()
            .collect();
        let no: BTreeSet<i64> = $table::table
            .filter($table::id.eq_any(ids))
            .filter(not($predicate))
            .select($table::id)
            .load::<i64>(&mut *$app.conn())
            .unwrap()
            .into_iter()
            .collect();
        (yes, no)
    }};
}

/// Asserts that SQL's split of `ids` is the Rust rule's.
fn agree(what: &str, ids: &[i64], sql: (BTreeSet<i64>, BTreeSet<i64>), rust: impl Fn(i64) -> bool) {
    let yes: BTreeSet<i64> = ids.iter().copied().filter(|id| rust(*id)).collect();
    let no: BTreeSet<i64> = ids.iter().copied().filter(|id| !rust(*id)).collect();
    assert_eq!(sql, (yes, no), "{what}: SQL (holds, does not) vs Rust");
}

async fn staff(app: &TestApp) -> Auth {
    app.create_user("baizak@r.kz", "district_staff", Some(kato::BAIZAK), None);
    app.bearer("baizak@r.kz").await
}

/// (due_on, extended_due_on, resolved_at UTC): around the day boundary in Almaty (UTC+5),
/// extensions later and earlier than the first deadline, open and closed.
const APPEALS: [(&str, Option<&str>, Option<&str>); 7] = [
    ("2026-09-10", None, None),
    ("2026-09-10", None, Some("2026-09-10 18:30")),
    ("2026-09-10", None, Some("2026-09-10 19:30")),
    ("2026-09-10", Some("2026-09-20"), Some("2026-09-15 04:00")),
    ("2026-09-25", Some("2026-10-05"), None),
    ("2026-09-30", Some("2026-09-28"), Some("2026-10-01 04:00")),
    ("2026-08-31", None, Some("2026-09-01 04:00")),
];

const TODAYS: [&str; 7] = [
    "2026-09-09",
    "2026-09-10",
    "2026-09-11",
    "2026-09-21",
    "2026-09-29",
    "2026-10-01",
    "2026-10-06",
];

both_backends! {
    async fn appeal_rules_agree_with_their_sql(app) {
        let auth = staff(&app).await;
        let mut rows = Vec::new();
        for (due, extended, resolved) in APPEALS {
            let res = app
                .post("/api/v1/appeals", &auth, json!({"channel": "reception_room", "category": "UTIL_WATER",
                    "territory_id": app.territory(kato::SARYKEMER), "citizen": {"full_name": "Сейтқали Айгүл"},
                    "subject": "Ауыз су", "description": "Ауылда ауыз су жоқ.", "language": "kk"}))
                .await;
            assert_eq!(res.status, 201, "{}", res.text);
            let id = res.json()["id"].as_i64().unwrap();
            let row = (id, day(due), extended.map(day), resolved.map(at));
            diesel::update(appeals::table.find(id))
                .set((appeals::due_on.eq(row.1), appeals::extended_due_on.eq(row.2), appeals::resolved_at.eq(row.3)))
                .execute(&mut *app.conn())
                .unwrap();
            rows.push(row);
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let row = |id: i64| *rows.iter().find(|r| r.0 == id).unwrap();
        let (first, next) = (day("2026-09-01"), day("2026-10-01"));
        let conn = app.conn();
        agree("deadline_within", &ids, split!(app, appeals, ids, appeal::deadline_within_sql::<appeals::table>(first, next)),
            |id| { let r = row(id); appeal::deadline_within(r.1, r.2, first, next) });
        agree("resolved_by_deadline", &ids, split!(app, appeals, ids, appeal::resolved_by_deadline_sql::<appeals::table>(&conn)),
            |id| { let r = row(id); appeal::resolved_by_deadline(r.3, r.1, r.2) });
        for today in TODAYS.map(day) {
            agree(&format!("missed_deadline on {today}"), &ids,
                split!(app, appeals, ids, appeal::missed_deadline_sql::<appeals::table>(&conn, today)),
                |id| { let r = row(id); appeal::missed_deadline(r.3, r.1, r.2, today) });
        }
        for status in Status::ALL {
            diesel::update(appeals::table.filter(appeals::id.eq_any(ids.clone())))
                .set(appeals::status.eq(status.as_str()))
                .execute(&mut *app.conn())
                .unwrap();
            for today in TODAYS.map(day) {
                agree(&format!("is_overdue {status:?} on {today}"), &ids, split!(app, appeals, ids, appeal::is_overdue_sql::<appeals::table>(today)),
                    |id| { let r = row(id); appeal::is_overdue(status, r.1, r.2, today) });
            }
        }
        // The deadline in force as SQL reads what the Rust form computes.
        let deadlines: Vec<(i64, NaiveDate)> = appeals::table
            .filter(appeals::id.eq_any(ids.clone()))
            .select((appeals::id, appeal::deadline_in_force_sql()))
            .order(appeals::id.asc())
            .load(&mut *app.conn())
            .unwrap();
        let expected: Vec<(i64, NaiveDate)> = rows.iter().map(|r| (r.0, appeal::deadline_in_force(r.1, r.2))).collect();
        assert_eq!(deadlines, expected);
    }

    async fn indicator_and_reception_rules_agree_with_their_sql(app) {
        let auth = staff(&app).await;
        let res = app.post("/api/v1/roadmaps", &auth, json!({"title_kk": "Жол картасы", "title_ru": "Дорожная карта",
            "kind": "territorial", "territory_id": app.territory(kato::BAIZAK), "year": 2026})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let roadmap = res.json()["id"].as_i64().unwrap();
        let res = app.post(&format!("/api/v1/roadmaps/{roadmap}/sections"), &auth, json!({"title": "Бөлім"})).await;
        let section = res.json()["id"].as_i64().unwrap();
        let mut due = Vec::new();
        for on in ["2026-09-10", "2026-09-20"] {
            let res = app.post("/api/v1/indicators", &auth, json!({"roadmap_id": roadmap, "section_id": section,
                "title": format!("Іс-шара {on}"), "territory_id": app.territory(kato::SARYKEMER), "kind": "event", "due_on": on})).await;
            assert_eq!(res.status, 201, "{}", res.text);
            due.push((res.json()["id"].as_i64().unwrap(), day(on)));
        }
        let ids: Vec<i64> = due.iter().map(|d| d.0).collect();
        let due_of = |id: i64| due.iter().find(|d| d.0 == id).unwrap().1;
        for status in IndicatorStatus::ALL {
            diesel::update(indicators::table.filter(indicators::id.eq_any(ids.clone())))
                .set(indicators::status.eq(status.as_str()))
                .execute(&mut *app.conn())
                .unwrap();
            for today in ["2026-09-09", "2026-09-10", "2026-09-11", "2026-09-21"].map(day) {
                agree(&format!("indicator overdue {status:?} on {today}"), &ids,
                    split!(app, indicators, ids, indicator::is_overdue_sql::<indicators::table>(today)),
                    |id| indicator::is_overdue(status, due_of(id), today));
            }
        }

        let res = app.post("/api/v1/receptions", &auth, json!({"title": "Қабылдау", "level": "district",
            "territory_id": app.territory(kato::BAIZAK), "settlement_ids": [app.territory(kato::SARYKEMER)],
            "planned_start": "2026-12-10T04:00:00Z", "planned_end": "2026-12-10T09:00:00Z", "participants": []})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let ids = [res.json()["id"].as_i64().unwrap()];
        for status in ReceptionStatus::ALL {
            diesel::update(receptions::table.find(ids[0]))
                .set(receptions::status.eq(status.as_str()))
                .execute(&mut *app.conn())
                .unwrap();
            agree(&format!("was_held {status:?}"), &ids, split!(app, receptions, ids, reception::was_held_sql::<receptions::table>()),
                |_| reception::was_held(status));
            agree(&format!("books_participants {status:?}"), &ids,
                split!(app, receptions, ids, reception::books_participants_sql::<receptions::table>()),
                |_| reception::books_participants(status));
        }
    }
}

both_backends! {
    async fn iin_and_phone_are_types_down_to_the_column(app) {
        use baqylau::db::schema::appeal_citizens;
        use baqylau::domain::{iin::Iin, phone::Phone};
        let auth = staff(&app).await;
        let res = app
            .post("/api/v1/appeals", &auth, json!({"channel": "reception_room", "category": "UTIL_WATER",
                "territory_id": app.territory(kato::SARYKEMER),
                "citizen": {"full_name": "Сейтқали Айгүл", "iin": "850715300122", "phone": "8 (701) 234-56-78"},
                "subject": "Ауыз су", "description": "Ауылда ауыз су жоқ.", "language": "kk"}))
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
        let id = res.json()["id"].as_i64().unwrap();
        let citizen = || {
            appeal_citizens::table
                .find(id)
                .select((appeal_citizens::iin, appeal_citizens::phone))
                .first::<(Option<Iin>, Option<Phone>)>(&mut *app.conn())
        };
        let (iin, phone) = citizen().unwrap();
        assert_eq!(iin, Some(Iin::parse("850715300122").unwrap()));
        assert_eq!(phone.unwrap().as_str(), "+77012345678", "stored in its canonical form");
        // A stored value that is not an IIN fails the row instead of entering unchecked.
        diesel::update(appeal_citizens::table.find(id))
            .set(appeal_citizens::iin.eq(Iin::parse("920302401256").ok()))
            .execute(&mut *app.conn())
            .unwrap();
        assert_eq!(citizen().unwrap().0.unwrap().as_str(), "920302401256");
        diesel::sql_query("UPDATE appeal_citizens SET iin = '850715300123'")
            .execute(&mut *app.conn())
            .unwrap();
        let err = citizen().unwrap_err();
        assert!(matches!(err, diesel::result::Error::DeserializationError(_)), "{err:?}");
        assert!(!err.to_string().contains("850715300123"), "the value is not in the error: {err}");
    }
}
