//! Demo mobile receptions in the five districts the branch visits (DOMAIN.md): held ones
//! with their reports and appeals taken on site, and one still planned — made through
//! the receptions' own operations.

use baqylau_wire::appeals::{CitizenInput, CreateAppeal};
use baqylau_wire::receptions::{
    CaptureAppeals, CreateReception, ParticipantInput, ReceptionReport, ReceptionTransition,
};
use chrono::Duration;

use super::territory_id;
use crate::auth::Caller;
use crate::db::DbConn;
use crate::domain::calendar::WorkingCalendar;
use crate::kit::clock::Clock;
use crate::kit::create::create;
use crate::kit::idempotent::Request;
use crate::kit::op::{Cx, Edit};
use crate::receptions;

/// One demo reception: the district, the okrugs visited, when (days from today), and for
/// a held one its residents, report and the appeals taken: (okrug, citizen, subject, text).
struct DemoReception {
    district: &'static str,
    title: &'static str,
    okrugs: &'static [&'static str],
    days_from_now: i64,
    held: Option<(i64, &'static str, &'static [&'static str])>,
    appeals: &'static [(
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    )],
}

const DEMO_RECEPTIONS: &[DemoReception] = &[
    DemoReception {
        district: "313600000",
        title: "Байзақ ауданы: Сарыкемер мен Бәйтерекке көшпелі қабылдау",
        okrugs: &["313630000", "313631000"],
        days_from_now: -21,
        held: Some((
            64,
            "Тұрғындар ауыз су, газ және жол мәселелерін көтерді.",
            &["Ауыз су құбыры", "Газдандыру", "Аудандық жол"],
        )),
        appeals: &[
            (
                "313630000",
                "Омаров Нұрлан",
                "UTIL_WATER",
                "Ауыз су",
                "Сарыкемер ауылында ауыз су құбыры тозған, су үзіліп тұрады.",
            ),
            (
                "313631000",
                "Жақсылықова Гүлмира",
                "UTIL_GAS",
                "Газ",
                "Бәйтерек ауылының жаңа көшелері әлі газдандырылмаған.",
            ),
        ],
    },
    DemoReception {
        district: "314000000",
        title: "Жамбыл ауданы: Аса және Айша бибі округтеріне көшпелі қабылдау",
        okrugs: &["314030000", "314033000"],
        days_from_now: -35,
        held: Some((
            51,
            "Жер телімдері мен мектеп жөндеуі туралы өтініштер қабылданды.",
            &["Жер телімдері", "Мектеп жөндеуі"],
        )),
        appeals: &[(
            "314030000",
            "Сейітқұлов Бауыржан",
            "ROADS",
            "Жол",
            "Аса ауылындағы негізгі көшенің асфальты бұзылған.",
        )],
    },
    DemoReception {
        district: "314200000",
        title: "Жуалы ауданы: Б. Момышұлы округіне көшпелі қабылдау",
        okrugs: &["314230000"],
        days_from_now: -50,
        held: Some((
            38,
            "Электр желісінің тозуы және жайылым мәселесі айтылды.",
            &["Электр желісі", "Жайылым"],
        )),
        appeals: &[(
            "314230000",
            "Нұрланова Айгерім",
            "UTIL_POWER",
            "Электр",
            "Кешке қарай кернеу төмендеп, тұрмыстық техника істен шығады.",
        )],
    },
    DemoReception {
        district: "314800000",
        title: "Қордай ауданы: Қордай мен Алға округтеріне көшпелі қабылдау",
        okrugs: &["314830000", "314832000"],
        days_from_now: -14,
        held: Some((
            72,
            "Медициналық пункт пен ауыз су туралы өтініштер бақылауға алынды.",
            &["Медпункт", "Ауыз су"],
        )),
        appeals: &[(
            "314830000",
            "Исаев Марат",
            "HEALTH",
            "Медпункт",
            "Ауылдағы медициналық пунктте дәрігер жоқ, аптасына бір рет келеді.",
        )],
    },
    DemoReception {
        district: "315600000",
        title: "Мойынқұм ауданы: Мойынқұм және Біназар округтеріне көшпелі қабылдау",
        okrugs: &["315630000", "315634000"],
        days_from_now: 10,
        held: None,
        appeals: &[],
    },
];

/// Plans, fills and (where the demo says so) holds each reception as the demo admin.
pub fn demo(
    conn: &mut DbConn,
    calendar: &WorkingCalendar,
    admin: &Caller,
    deputy_id: i64,
) -> anyhow::Result<()> {
    let clock = Clock::system();
    let today_10 = clock
        .now()
        .date_naive()
        .and_hms_opt(4, 0, 0)
        .unwrap_or_default();
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e| anyhow::anyhow!("demo reception {what}: {e:?}")
    };
    for demo in DEMO_RECEPTIONS {
        let start = today_10 + Duration::days(demo.days_from_now);
        let mut participants = vec![ParticipantInput {
            full_name: "Әкімдік өкілі".to_owned(),
            position: Some("Аудан әкімінің орынбасары".to_owned()),
            role: "official".to_owned(),
            ..Default::default()
        }];
        if demo.district == "313600000" {
            participants.push(ParticipantInput {
                deputy_id: Some(deputy_id),
                full_name: "Асқаров Ерлан Бекұлы".to_owned(),
                position: Some("Байзақ аудандық мәслихатының депутаты".to_owned()),
                role: "deputy".to_owned(),
            });
        }
        let body = CreateReception {
            kind: None,
            title: demo.title.to_owned(),
            level: "district".to_owned(),
            territory_id: Some(territory_id(conn, demo.district)?),
            settlement_ids: demo
                .okrugs
                .iter()
                .map(|k| territory_id(conn, k))
                .collect::<anyhow::Result<_>>()?,
            planned_start: Some(start.and_utc().to_rfc3339()),
            planned_end: Some((start + Duration::hours(5)).and_utc().to_rfc3339()),
            venue: Some("Ауылдық мәдениет үйі".to_owned()),
            participants,
        };
        let request = Request {
            key: None,
            hash: String::new(),
            body,
        };
        let reception = create(
            &receptions::plan::Plan,
            &mut Cx::new(conn, admin, &clock),
            &request,
        )
        .map_err(fail(demo.title))?
        .view;
        if !demo.appeals.is_empty() {
            let mut appeals = Vec::new();
            for (okrug, name, category, subject, text) in demo.appeals {
                appeals.push(CreateAppeal {
                    category: (*category).to_owned(),
                    territory_id: Some(territory_id(conn, okrug)?),
                    citizen: Some(CitizenInput {
                        full_name: Some((*name).to_owned()),
                        ..Default::default()
                    }),
                    subject: (*subject).to_owned(),
                    description: (*text).to_owned(),
                    language: "kk".to_owned(),
                    received_at: Some(start.and_utc().to_rfc3339()),
                    ..Default::default()
                });
            }
            let request = Request {
                key: None,
                hash: String::new(),
                body: CaptureAppeals { appeals },
            };
            receptions::capture(conn, admin, &clock, calendar, reception.id, &request)
                .map_err(fail(demo.title))?;
        }
        if let Some((residents, summary, issues)) = demo.held {
            let held = ReceptionTransition {
                to: "held".to_owned(),
                residents_heard: Some(residents),
                report: Some(ReceptionReport {
                    summary: Some(summary.to_owned()),
                    issues_raised: issues.iter().map(|s| (*s).to_owned()).collect(),
                }),
                ..Default::default()
            };
            receptions::transition(
                &mut Cx::new(conn, admin, &clock),
                Edit::of(reception.id, reception.version, held),
            )
            .map_err(fail(demo.title))?;
        }
    }
    Ok(())
}
