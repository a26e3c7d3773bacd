//! Demo sessions of the other dialogue platforms (DOMAIN.md): «Парасат» debate clubs and
//! a territorial public council in Zhambyl districts, each with its agenda, a protocol of
//! proposals, and some proposals taken under party control as appeals — made through
//! the receptions' own operations, as the API would.

use baqylau_wire::dialogue::{
    CreateProposal, ReplaceAgenda, TakeUnderControl, TopicInput, UpdateProposal,
};
use baqylau_wire::receptions::{CreateReception, ReceptionReport, ReceptionTransition};
use chrono::Duration;

use super::territory_id;
use crate::auth::Caller;
use crate::db::DbConn;
use crate::domain::calendar::WorkingCalendar;
use crate::kit::clock::Clock;
use crate::kit::create::{create, request};
use crate::kit::op::{Cx, Edit};
use crate::kit::write::Expected;
use crate::receptions::{self, agenda, proposals, take};

/// What becomes of a demo proposal: left open, decided, or taken under control in a
/// category and okrug.
enum Fate {
    Open,
    Decided(&'static str, &'static str),
    Control(&'static str, &'static str),
}

/// A proposal: the topic's index on the agenda, the author, the text, its fate.
type DemoProposal = (usize, &'static str, &'static str, Fate);

struct DemoSession {
    kind: &'static str,
    district: &'static str,
    title: &'static str,
    days_from_now: i64,
    topics: &'static [&'static str],
    proposals: &'static [DemoProposal],
    residents: i64,
    summary: &'static str,
}

const DEMO_SESSIONS: &[DemoSession] = &[
    DemoSession {
        kind: "debate_club",
        district: "313600000",
        title: "«Парасат» пікірсайыс клубы: Байзақ ауданы",
        days_from_now: -28,
        topics: &[
            "Ауыз су және жер телімдері",
            "Жайылымдарды қайтару",
            "Заңсыз құм-қиыршықтас карьерлері",
        ],
        proposals: &[
            (
                0,
                "Әбдіқадыров Серік",
                "Сарыкемер ауылының жаңа шағын ауданына ауыз су құбырын тарту.",
                Fate::Control("UTIL_WATER", "313630000"),
            ),
            (
                1,
                "Жастар қанаты",
                "Пайдаланылмай жатқан жайылымдарды ауыл шаруашылығы айналымына қайтару.",
                Fate::Control("PASTURE", "313631000"),
            ),
            (
                2,
                "Нұрғалиева Әсел",
                "Өзен жағасындағы заңсыз карьерлерді тексеруге жұртшылық тобын құру.",
                Fate::Decided("accepted", "Аудан әкімдігі топ құруға келісті"),
            ),
            (
                0,
                "Омарова Дина",
                "Жер телімдерін кезекпен беру тізімін ашық жариялау.",
                Fate::Open,
            ),
        ],
        residents: 45,
        summary: "Пікірсайысқа 45 адам қатысты; екі ұсыныс партиялық бақылауға алынды.",
    },
    DemoSession {
        kind: "debate_club",
        district: "315400000",
        title: "«Парасат» пікірсайыс клубы: Меркі ауданы",
        days_from_now: -12,
        topics: &["Коммуналдық қызметтер: су, электр, газ", "Ауыл жолдары"],
        proposals: &[
            (
                0,
                "Сейітов Арман",
                "Меркі ауылындағы электр желісінің тозған бөлігін ауыстыру.",
                Fate::Control("UTIL_POWER", "315430000"),
            ),
            (
                1,
                "Ермекова Сәуле",
                "Аудан орталығына апаратын жолды жөндеу кестесін жариялау.",
                Fate::Decided("implemented", "Кесте аудан сайтында жарияланды"),
            ),
            (
                0,
                "Қалиев Бекзат",
                "Газ тарифін есептеуді түсіндіретін кездесу өткізу.",
                Fate::Decided("rejected", "Тариф мәселесі облыс деңгейінде шешіледі"),
            ),
        ],
        residents: 38,
        summary: "Коммуналдық қызметтер мен жол мәселелері талқыланды.",
    },
    DemoSession {
        kind: "public_council",
        district: "314000000",
        title: "Жамбыл ауданының қоғамдық кеңесінің отырысы",
        days_from_now: -7,
        topics: &["Мектепке дейінгі білім беру", "Ауылдағы медициналық көмек"],
        proposals: &[
            (
                0,
                "Қоғамдық кеңес мүшесі Айтбаева Р.",
                "Аса ауылында жаңа балабақша салуды 2027 жылғы бюджетке енгізу.",
                Fate::Control("PRESCHOOL", "314030000"),
            ),
            (
                1,
                "Қоғамдық кеңес мүшесі Төлеуов Қ.",
                "Айша бибі ауылындағы медпунктке тұрақты фельдшер бекіту.",
                Fate::Open,
            ),
        ],
        residents: 21,
        summary: "Кеңес екі мәселені қарап, балабақша құрылысын бақылауға алды.",
    },
];

/// Plans each session, sets its agenda, records its protocol, decides or takes the
/// proposals under control, and holds it — as the demo admin.
pub fn demo(conn: &mut DbConn, calendar: &WorkingCalendar, admin: &Caller) -> anyhow::Result<()> {
    let clock = Clock::system();
    let today = clock
        .now()
        .date_naive()
        .and_hms_opt(5, 0, 0)
        .unwrap_or_default();
    for demo in DEMO_SESSIONS {
        let fail = |e| anyhow::anyhow!("demo session {}: {e:?}", demo.title);
        let start = today + Duration::days(demo.days_from_now);
        let body = CreateReception {
            kind: Some(demo.kind.to_owned()),
            title: demo.title.to_owned(),
            level: "district".to_owned(),
            territory_id: Some(territory_id(conn, demo.district)?),
            planned_start: Some(start.and_utc().to_rfc3339()),
            planned_end: Some((start + Duration::hours(3)).and_utc().to_rfc3339()),
            venue: Some("Аудандық мәдениет үйі".to_owned()),
            ..Default::default()
        };
        let session = create(
            &receptions::plan::Plan,
            &mut Cx::new(conn, admin, &clock),
            &request(body),
        )
        .map_err(fail)?
        .view;
        let topics = ReplaceAgenda {
            topics: demo
                .topics
                .iter()
                .map(|t| TopicInput {
                    title: (*t).to_owned(),
                    ..Default::default()
                })
                .collect(),
        };
        let (agenda, version) = agenda::replace(
            &mut Cx::new(conn, admin, &clock),
            Edit::of(session.id, session.version, topics),
        )
        .map_err(fail)?;
        for (topic, author, text, fate) in demo.proposals {
            let body = CreateProposal {
                topic_id: Some(agenda.topics[*topic].id),
                text: (*text).to_owned(),
                author: Some((*author).to_owned()),
            };
            let (proposal, _) =
                proposals::create(conn, admin, &clock, session.id, &request(body)).map_err(fail)?;
            match fate {
                Fate::Open => {}
                Fate::Decided(outcome, note) => {
                    let patch = UpdateProposal {
                        outcome: Some((*outcome).to_owned()),
                        outcome_note: Some((*note).to_owned()),
                        ..Default::default()
                    };
                    proposals::update(
                        conn,
                        admin,
                        &clock,
                        session.id,
                        proposal.id,
                        Expected::version(proposal.version),
                        Ok(patch),
                    )
                    .map_err(fail)?;
                }
                Fate::Control(category, okrug) => {
                    let body = TakeUnderControl {
                        category: (*category).to_owned(),
                        territory_id: Some(territory_id(conn, okrug)?),
                        language: "kk".to_owned(),
                        ..Default::default()
                    };
                    take::take(
                        conn,
                        admin,
                        &clock,
                        calendar,
                        session.id,
                        proposal.id,
                        &request(body),
                    )
                    .map_err(fail)?;
                }
            }
        }
        let held = ReceptionTransition {
            to: "held".to_owned(),
            residents_heard: Some(demo.residents),
            report: Some(ReceptionReport {
                summary: Some(demo.summary.to_owned()),
                issues_raised: demo.topics.iter().map(|t| (*t).to_owned()).collect(),
            }),
            ..Default::default()
        };
        receptions::transition(
            &mut Cx::new(conn, admin, &clock),
            Edit::of(session.id, version, held),
        )
        .map_err(fail)?;
    }
    Ok(())
}
