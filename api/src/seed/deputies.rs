//! Demo deputies: one for every rural okrug of Zhambyl region except a few deliberate
//! gaps (which `GET /assignments/coverage` shows), the previous month's ratings with some
//! deputies at recall risk, and a few people in the cadre reserve — all through the
//! deputies, appeals, ratings and reserve operations, in few transactions.

use baqylau_wire::appeals::{CitizenInput, CreateAppeal, TransitionRequest};
use baqylau_wire::deputies::{CreateAssignment, CreateDeputy};
use baqylau_wire::reserve::CreateCandidate;
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use diesel::prelude::*;

use crate::auth::Caller;
use crate::config::RatingConfig;
use crate::db::schema::territories;
use crate::db::DbConn;
use crate::deputies::{assignments, registry};
use crate::domain::calendar::WorkingCalendar;
use crate::kit::clock::Clock;
use crate::kit::create::{create, request, Create as _};
use crate::kit::list::PageRequest;
use crate::kit::op::{Cx, Edit};
use crate::ratings::period::Period;
use crate::ratings::snapshots::{self, ListRequest};

/// Every `GAP_EVERY`-th rural okrug (from the `GAP_OFFSET`-th) is deliberately left
/// without a deputy; towns and city territories all have one.
pub const GAP_EVERY: usize = 40;
const GAP_OFFSET: usize = 17;

/// Assignments of the demo start on this day.
const TERM_START: (i32, u32, u32) = (2025, 1, 1);

const SURNAMES: [&str; 10] = [
    "Әбілов",
    "Бекова",
    "Дүйсенов",
    "Ермекова",
    "Жұмабаев",
    "Қасымова",
    "Мұратов",
    "Нұрланова",
    "Оспанов",
    "Сейітова",
];
const NAMES: [&str; 10] = [
    "Ерлан",
    "Айгүл",
    "Бауыржан",
    "Гүлнар",
    "Данияр",
    "Жанар",
    "Марат",
    "Сәуле",
    "Талғат",
    "Әсел",
];

fn fail(what: &str) -> impl Fn(crate::error::ApiError) -> anyhow::Error + '_ {
    move |e| anyhow::anyhow!("demo deputies, {what}: {e:?}")
}

/// The territories of Zhambyl region a deputy answers for (rural okrugs, towns, city
/// territories): (id, kato, parent id, is a rural okrug).
fn okrugs(conn: &mut DbConn) -> anyhow::Result<Vec<(i64, String, i64, bool)>> {
    let levels = assignments::ASSIGNABLE.map(|l| l.as_str());
    let rows: Vec<(i64, String, Option<i64>, String)> = territories::table
        .filter(territories::path.like("/310000000/%"))
        .filter(territories::level.eq_any(levels))
        .filter(territories::deleted_at.is_null())
        .order(territories::kato_code.asc())
        .select((
            territories::id,
            territories::kato_code,
            territories::parent_id,
            territories::level,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, kato, parent, level)| (id, kato, parent.unwrap_or(id), level == "rural_okrug"))
        .collect())
}

/// Deputies and assignments for the okrugs; the demo deputy answers for its own okrug.
/// Returns (deputy, okrug) of the new okrug deputies, in okrug order.
pub fn demo(
    conn: &mut DbConn,
    system: &Caller,
    demo_deputy: (i64, i64),
) -> anyhow::Result<Vec<(i64, i64)>> {
    let clock = Clock::system();
    let start = NaiveDate::from_ymd_opt(TERM_START.0, TERM_START.1, TERM_START.2);
    let okrugs = okrugs(conn)?;
    let mut new = Vec::new();
    let mut rural = 0;
    for (i, (okrug, kato, district, is_rural)) in okrugs.iter().enumerate() {
        if *is_rural {
            rural += 1;
            if rural % GAP_EVERY == GAP_OFFSET {
                continue;
            }
        }
        if *okrug == demo_deputy.1 {
            continue;
        }
        let body = CreateDeputy {
            full_name: format!("{} {}", SURNAMES[i % 10], NAMES[(i / 10) % 10]),
            // Taraz (3110…) has a city maslikhat; the districts have their own.
            level: if kato.starts_with("3110") {
                "city"
            } else {
                "district"
            }
            .into(),
            maslikhat_territory_id: Some(*district),
            okrug: Some(format!("№ {} сайлау округі ({kato})", i % 25 + 1)),
            phone: Some(format!(
                "+7 701 {:03} {:02} {:02}",
                100 + i,
                i % 90 + 10,
                i % 80 + 10
            )),
            ..CreateDeputy::default()
        };
        let checked = registry::Register
            .check(&mut Cx::new(conn, system, &clock), &body)
            .map_err(fail("check"))?;
        new.push((*okrug, checked));
    }
    crate::kit::write::write(conn, &system.audit_actor(), &clock, |tx| {
        let mut ids = Vec::with_capacity(new.len());
        for (okrug, deputy) in &new {
            ids.push((*okrug, registry::Register.insert(tx, system, deputy)?));
        }
        Ok(ids)
    })
    .map_err(fail("deputies"))
    .and_then(|ids| {
        let mut bindings = Vec::new();
        for (okrug, deputy) in ids.iter().copied().chain([(demo_deputy.1, demo_deputy.0)]) {
            let body = CreateAssignment {
                deputy_id: Some(deputy),
                territory_id: Some(okrug),
                starts_on: start,
                ends_on: None,
            };
            bindings.push(
                assignments::Bind
                    .check(&mut Cx::new(conn, system, &clock), &body)
                    .map_err(fail("bind"))?,
            );
        }
        crate::kit::write::write(conn, &system.audit_actor(), &clock, |tx| {
            for b in &bindings {
                assignments::Bind.insert(tx, system, b)?;
            }
            Ok(())
        })
        .map_err(fail("assignments"))?;
        Ok(ids.into_iter().map(|(o, d)| (d, o)).collect())
    })
}

/// The previous month's ratings: some deputies closed appeals on time, some let a
/// deadline pass (below the recall threshold). Appeals are registered and moved with the
/// clock set to their days, then the month's snapshots are stored by reading it.
pub fn ratings(
    conn: &mut DbConn,
    admin: &Caller,
    calendar: &WorkingCalendar,
    deputies: &[(i64, i64)],
) -> anyhow::Result<()> {
    let month = Period::of(
        Clock::system().today() - Duration::days(Clock::system().today().day0() as i64 + 1),
    );
    let at = |d: NaiveDate, h: u32| {
        Clock::fixed(Utc.from_utc_datetime(&d.and_hms_opt(h, 0, 0).unwrap_or_default()))
    };
    let received = month.first - Duration::days(5);
    for (n, (deputy, okrug)) in deputies.iter().enumerate() {
        // Every fourth deputy leaves an appeal open past its deadline.
        let good = n % 4 != 3;
        let body = CreateAppeal {
            channel: "mobile_reception".into(),
            category: "ROADS".into(),
            territory_id: Some(*okrug),
            citizen: Some(CitizenInput {
                full_name: Some("Тұрғын (демо)".into()),
                ..CitizenInput::default()
            }),
            subject: "Ауыл көшесін жөндеу".into(),
            description: "Ауылдың орталық көшесі жөндеуді қажет етеді.".into(),
            language: "kk".into(),
            received_at: Some(at(received, 4).now().to_rfc3339()),
            ..CreateAppeal::default()
        };
        let clock = at(received, 5);
        let op = crate::appeals::Register {
            calendar: calendar.clone(),
        };
        let appeal = create(&op, &mut Cx::new(conn, admin, &clock), &request(body))
            .map_err(fail("appeal"))?
            .view;
        let mut steps = vec![
            ("under_control", clock.clone()),
            ("assigned", at(received + Duration::days(1), 5)),
        ];
        if good {
            steps.push(("in_progress", at(month.first + Duration::days(2), 5)));
            steps.push(("resolved", at(month.first + Duration::days(3), 5)));
        }
        for (version, (to, clock)) in (1..).zip(steps) {
            let t = TransitionRequest {
                to: to.into(),
                deputy_id: (to == "assigned").then_some(*deputy),
                resolution: (to == "resolved").then(|| "Көше жөнделді".to_owned()),
                ..TransitionRequest::default()
            };
            crate::appeals::transition(
                &mut Cx::new(conn, admin, &clock),
                Edit::of(appeal.id, version, t),
            )
            .map_err(fail("appeal transition"))?;
        }
    }
    // Reading the finished month stores its snapshots.
    let all = ListRequest {
        period: Some(month.label()),
        territory_id: None,
        page: PageRequest {
            limit: 1,
            after: None,
            include_total: false,
        },
    };
    snapshots::list(
        conn,
        admin,
        &Clock::system(),
        &RatingConfig::default(),
        &all,
        false,
    )
    .map_err(fail("ratings"))?;
    Ok(())
}

/// A few people in the cadre reserve.
pub fn reserve(conn: &mut DbConn, admin: &Caller, baizak: i64, zhambyl: i64) -> anyhow::Result<()> {
    let people = [
        (
            "Серікбаев Нұржан",
            baizak,
            Some("880412300200"),
            "candidate",
        ),
        ("Әлімова Дана", baizak, None, "approved"),
        (
            "Төлегенов Асқар",
            zhambyl,
            Some("920302401256"),
            "appointed",
        ),
        ("Ибраева Меруерт", zhambyl, None, "withdrawn"),
    ];
    for (i, (name, territory, iin, status)) in people.into_iter().enumerate() {
        let body = CreateCandidate {
            full_name: name.into(),
            territory_id: Some(territory),
            iin: iin.map(str::to_owned),
            phone: Some(format!("+7 702 555 {:02} {:02}", 10 + i, 20 + i)),
            position: Some("Мәслихат депутаттығына үміткер".into()),
            status: Some(status.into()),
            ..CreateCandidate::default()
        };
        create(
            &crate::reserve::Enlist,
            &mut Cx::new(conn, admin, &Clock::system()),
            &request(body),
        )
        .map_err(fail("reserve"))?;
    }
    Ok(())
}
