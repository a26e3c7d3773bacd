//! Demo data: staff of Zhambyl region and Baizak district, a deputy, appeals on the
//! topics the branch actually hears, and mobile receptions — all through the same code
//! as the API. `scale` generates data in bulk for measurements.

mod deputies;
mod dialogue;
mod receptions;
pub mod scale;

use baqylau_wire::appeals::{CitizenInput, CreateAppeal, TransitionRequest};
use baqylau_wire::auth::Role;
use diesel::prelude::*;

use crate::appeals;
use crate::auth::password::NewPassword;
use crate::auth::{Caller, Principal};
use crate::config::DatabaseArgs;
use crate::db::schema::{territories, users};
use crate::db::{compat, DbConn};
use crate::domain::calendar::WorkingCalendar;
use crate::kit::clock::Clock;
use crate::kit::idempotent::Request;
use crate::kit::op::{Cx, Edit};
use crate::kit::write::Expected;
use crate::users::NewUser;

/// Password of every demo account. Printed by `baqylau seed --demo`.
pub const DEMO_PASSWORD: &str = "baqylau-demo-2026";
pub const DEMO_ADMIN: &str = "admin@baqylau.kz";

pub fn run_demo(args: &DatabaseArgs) -> anyhow::Result<()> {
    let db = crate::cli::open_db(args)?;
    let mut conn = db
        .get()
        .map_err(|_| anyhow::anyhow!("database unavailable"))?;
    let created = demo(&mut conn)?;
    if created {
        println!("demo data loaded");
    } else {
        println!("demo data already present");
    }
    println!("sign in as {DEMO_ADMIN} / {DEMO_PASSWORD} (also: zhambyl@, baizak@, deputy@, viewer@baqylau.kz)");
    Ok(())
}

fn territory_id(conn: &mut DbConn, kato: &str) -> anyhow::Result<i64> {
    Ok(territories::table
        .filter(territories::kato_code.eq(kato))
        .select(territories::id)
        .first(conn)?)
}

/// Loads the demo once; returns false when it was already there.
pub fn demo(conn: &mut DbConn) -> anyhow::Result<bool> {
    let present: Option<i64> = users::table
        .filter(users::email.eq(DEMO_ADMIN))
        .select(users::id)
        .first(conn)
        .optional()?;
    if present.is_some() {
        return Ok(false);
    }
    let system = Caller::system("baqylau seed --demo");
    let zhambyl = territory_id(conn, "310000000")?;
    let baizak = territory_id(conn, "313600000")?;
    let sarykemer = territory_id(conn, "313630000")?;
    let deputy_id = demo_deputy(
        conn,
        &system,
        "Асқаров Ерлан Бекұлы",
        baizak,
        Some("№ 7 Сарыкемер сайлау округі"),
    )?;
    let people = [
        (DEMO_ADMIN, "Әкімші (демо)", "admin", None, None),
        (
            "zhambyl@baqylau.kz",
            "Жамбыл облыстық филиалы",
            "regional_staff",
            Some(zhambyl),
            None,
        ),
        (
            "baizak@baqylau.kz",
            "Байзақ аудандық филиалы",
            "district_staff",
            Some(baizak),
            None,
        ),
        (
            "deputy@baqylau.kz",
            "Асқаров Ерлан",
            "deputy",
            Some(sarykemer),
            Some(deputy_id),
        ),
        (
            "viewer@baqylau.kz",
            "Бақылаушы",
            "viewer",
            Some(zhambyl),
            None,
        ),
    ];
    for (email, name, role, territory_id, deputy_id) in people {
        crate::users::create(
            conn,
            &system,
            &Clock::system(),
            NewUser {
                email: email.to_owned(),
                display_name: name.to_owned(),
                password: NewPassword::prepare(DEMO_PASSWORD)?,
                role: role.to_owned(),
                territory_id,
                deputy_id,
                active: true,
            },
        )
        .map_err(|e| anyhow::anyhow!("demo user {email}: {e}"))?;
    }
    let admin_id: i64 = users::table
        .filter(users::email.eq(DEMO_ADMIN))
        .select(users::id)
        .first(conn)?;
    let calendar = crate::reference::calendar::working(conn)?;
    demo_appeals(conn, &calendar, admin_id, deputy_id)?;
    receptions::demo(conn, &calendar, &admin(admin_id), deputy_id)?;
    dialogue::demo(conn, &calendar, &admin(admin_id))?;
    demo_roadmap(conn, &system, deputy_id)?;
    let okrug_deputies = deputies::demo(conn, &system, (deputy_id, sarykemer))?;
    let rated: Vec<(i64, i64)> = okrug_deputies.iter().copied().step_by(12).collect();
    deputies::ratings(conn, &admin(admin_id), &calendar, &rated)?;
    deputies::reserve(conn, &admin(admin_id), baizak, zhambyl)?;
    Ok(true)
}

/// A district deputy registered through the deputies operation, as the seed.
fn demo_deputy(
    conn: &mut DbConn,
    system: &Caller,
    name: &str,
    maslikhat: i64,
    okrug: Option<&str>,
) -> anyhow::Result<i64> {
    let body = baqylau_wire::deputies::CreateDeputy {
        full_name: name.to_owned(),
        level: "district".into(),
        maslikhat_territory_id: Some(maslikhat),
        okrug: okrug.map(str::to_owned),
        ..Default::default()
    };
    let request = Request {
        key: None,
        hash: String::new(),
        body,
    };
    let (deputy, _) = crate::deputies::create(conn, system, &Clock::system(), &request)
        .map_err(|e| anyhow::anyhow!("demo deputy {name}: {e:?}"))?;
    Ok(deputy.id)
}

/// Zhambyl's districts (and Taraz), by KATO code, for the demo road map.
const ZHAMBYL_DISTRICTS: [&str; 11] = [
    "311000000",
    "313600000",
    "314000000",
    "314200000",
    "314800000",
    "315000000",
    "315400000",
    "315600000",
    "316000000",
    "316200000",
    "316600000",
];

pub(crate) const DEMO_SECTIONS: [&str; 4] = [
    "Экономика және жұмыспен қамту",
    "Әлеуметтік сала: білім, денсаулық",
    "Инфрақұрылым және ауыл (Ауыл — Ел бесігі)",
    "Қоғамдық қауіпсіздік және экология",
];

pub(crate) const DEMO_EVENTS: [&str; 6] = [
    "Мектеп салу",
    "Ауыз су құбырын жүргізу",
    "Жол жөндеу",
    "Жаңа жұмыс орындарын ашу",
    "Спорт алаңын салу",
    "Көше жарығын орнату",
];

/// The 2021 regional road map of Zhambyl as reported: 914 events planned across the
/// region's districts, 888 done (97.2%). Built through the road-map operations: the map,
/// then its sections and indicators in one write, then each event reported done.
fn demo_roadmap(conn: &mut DbConn, system: &Caller, baizak_deputy: i64) -> anyhow::Result<()> {
    use crate::roadmaps::{indicators, model, plan, progress};
    use baqylau_wire::roadmaps::{CreateIndicator, CreateProgress, CreateRoadmap, UpdateRoadmap};

    let clock = Clock::system();
    let fail =
        |what: &str, e: crate::error::ApiError| anyhow::anyhow!("demo road map, {what}: {e}");
    let zhambyl = territory_id(conn, "310000000")?;
    let roadmap = crate::kit::create::create(
        &plan::Draft,
        &mut Cx::new(conn, system, &clock),
        &Request {
            key: None,
            hash: String::new(),
            body: CreateRoadmap {
                title_kk: "«Amanat» сайлауалды бағдарламасын іске асыру жол картасы, 2021".into(),
                title_ru: "Дорожная карта реализации предвыборной программы «Amanat», 2021".into(),
                kind: "regional".into(),
                territory_id: zhambyl,
                year_from: 2021,
                year_to: None,
                programme_ref: Some(
                    "Сайлауалды бағдарлама «Өзгерістер жолы: әркімге лайықты өмір!»".into(),
                ),
            },
        },
    )
    .map_err(|e| fail("create", e))?
    .view;
    // A responsible deputy in each district (Baizak's is the demo deputy).
    let mut district_deputies = Vec::new();
    for kato in ZHAMBYL_DISTRICTS {
        if kato == "313600000" {
            district_deputies.push((kato, baizak_deputy));
            continue;
        }
        let district = territory_id(conn, kato)?;
        let name = format!("Жауапты депутат ({kato})");
        district_deputies.push((kato, demo_deputy(conn, system, &name, district, None)?));
    }
    let row = model::load_roadmap(conn, system, roadmap.id).map_err(|e| fail("load", e))?;
    let mut errors = Vec::new();
    let mut planned = Vec::new();
    for i in 0..914usize {
        let (kato, deputy) = district_deputies[i % ZHAMBYL_DISTRICTS.len()];
        let body = CreateIndicator {
            roadmap_id: roadmap.id,
            title: format!("{} №{}", DEMO_EVENTS[i % DEMO_EVENTS.len()], i + 1),
            territory_id: territory_id(conn, kato)?,
            kind: "event".into(),
            due_on: chrono::NaiveDate::from_ymd_opt(2021, 1 + (i % 12) as u32, 28),
            deputy_id: Some(deputy),
            ..CreateIndicator::default()
        };
        if let Some(new) = indicators::check(conn, system, &row, &body, "", &mut errors)
            .map_err(|e| fail("check", e))?
        {
            planned.push((i % DEMO_SECTIONS.len(), new));
        }
    }
    anyhow::ensure!(errors.is_empty(), "demo road map: {errors:?}");
    let ids = crate::kit::write::write(conn, &system.audit_actor(), &clock, |tx| {
        let mut sections = Vec::new();
        for (n, title) in DEMO_SECTIONS.iter().enumerate() {
            sections.push(plan::insert_section(
                tx,
                roadmap.id,
                Some(n as i32 + 1),
                title,
                None,
                None,
            )?);
        }
        let batch: Vec<_> = planned
            .into_iter()
            .map(|(s, mut new)| {
                new.section_id = sections[s];
                new
            })
            .collect();
        indicators::insert(tx, &batch)
    })
    .map_err(|e| fail("indicators", e))?;
    // 26 events were not done by the year's end; the other 888 were.
    for (i, id) in ids.iter().enumerate() {
        let done = i % 35 != 34;
        let request = Request {
            key: None,
            hash: String::new(),
            body: CreateProgress {
                date: chrono::NaiveDate::from_ymd_opt(2021, 12, 25),
                done: Some(done),
                ..CreateProgress::default()
            },
        };
        progress::report(conn, system, &clock, *id, &request).map_err(|e| fail("progress", e))?;
    }
    for status in ["approved", "closed"] {
        let current = model::load_roadmap(conn, system, roadmap.id).map_err(|e| fail("load", e))?;
        let expected = Expected::version(current.version);
        let patch = UpdateRoadmap {
            status: Some(status.into()),
            ..UpdateRoadmap::default()
        };
        plan::update(
            &mut Cx::new(conn, system, &clock),
            Edit {
                id: roadmap.id,
                expected,
                body: Ok(patch),
            },
        )
        .map_err(|e| fail(status, e))?;
    }
    Ok(())
}

/// One demo appeal: where, how, what, when, and how far it has gone.
struct DemoAppeal {
    kato: &'static str,
    channel: &'static str,
    category: &'static str,
    citizen: Option<(&'static str, &'static str, &'static str)>,
    subject: &'static str,
    description: &'static str,
    language: &'static str,
    days_ago: i64,
    /// Transitions to apply, in order: (to, text) where text is the comment, the
    /// resolution, the assigned body or the forwarding target as the target needs.
    path: &'static [(&'static str, &'static str)],
}

/// Topics from the branch's own reports: drinking water in Abai village of Keles
/// district, pastures in Tulkibas and Shardara, illegal sand-and-gravel quarries, roads,
/// gas and power in villages reached by mobile receptions.
const DEMO_APPEALS: &[DemoAppeal] = &[
    DemoAppeal { kato: "613930100", channel: "debate_club", category: "UTIL_WATER", citizen: Some(("Әбдірахманов Нұрлан", "850715300122", "+7 701 234 56 78")),
        subject: "Абай ауылында ауыз су жоқ", description: "Абай ауылының тұрғындары жазда ауыз суға қол жеткізе алмайды. Су құбыры тозған, тасымалданған суды сатып алуға мәжбүрміз.", language: "kk", days_ago: 40,
        path: &[("under_control", "«Парасат» пікірталас клубында көтерілді"), ("assigned", "Келес ауданы әкімдігі"), ("in_progress", "Жобалау-сметалық құжаттама әзірленуде")] },
    DemoAppeal { kato: "613930000", channel: "debate_club", category: "LAND_PLOT", citizen: Some(("Жолдасбекова Гүлмира", "920302401256", "87475553311")),
        subject: "Жер телімін беру кезегі", description: "Жеке тұрғын үй салуға жер телімін алу кезегінде 2015 жылдан бері тұрмыз, кезек жылжымайды.", language: "kk", days_ago: 35,
        path: &[("under_control", ""), ("assigned", "Келес ауданының жер қатынастары бөлімі")] },
    DemoAppeal { kato: "616030000", channel: "public_council", category: "PASTURE", citizen: Some(("Тұрсынбаев Ерлан", "", "+7 777 120 45 67")),
        subject: "Жайылымды қайтару", description: "Ауыл маңындағы жайылым жекеменшікке берілген, мал жаятын жер қалмады. Жайылымды ауыл тұрғындарына қайтаруды сұраймыз.", language: "kk", days_ago: 60,
        path: &[("under_control", ""), ("assigned", "Түлкібас ауданы әкімдігі"), ("in_progress", ""), ("resolved", "14 мың гектар жайылым ауыл тұрғындарының пайдалануына қайтарылды")] },
    DemoAppeal { kato: "616433000", channel: "public_council", category: "PASTURE", citizen: Some(("Оспанов Бақытжан", "", "")),
        subject: "Шардара: жайылым мәселесі", description: "Ақшеңгелді ауылдық округінде жайылымдар жеткіліксіз, шаруа қожалықтары мен тұрғындар арасында дау туындап отыр.", language: "kk", days_ago: 12,
        path: &[("under_control", "")] },
    DemoAppeal { kato: "314033000", channel: "mobile_reception", category: "ILLEGAL_MINING", citizen: Some(("Сейітов Марат", "031125500378", "")),
        subject: "Заңсыз құм-қиыршық тас карьері", description: "Айша бибі ауылының жанында рұқсатсыз құм-қиыршық тас өндірілуде, жол бұзылып, шаң көтеріледі.", language: "kk", days_ago: 25,
        path: &[("under_control", ""), ("forwarded", "Жамбыл облысының экология департаменті")] },
    DemoAppeal { kato: "313630000", channel: "mobile_reception", category: "ROADS", citizen: Some(("Иванова Светлана", "", "+7 705 300 20 10")),
        subject: "Ремонт дороги в селе Сарыкемер", description: "Центральная улица села Сарыкемер разбита, после дождей проехать невозможно. Просим включить дорогу в план среднего ремонта.", language: "ru", days_ago: 20,
        path: &[("under_control", ""), ("assigned", "DEPUTY")] },
    DemoAppeal { kato: "313631000", channel: "mobile_reception", category: "UTIL_GAS", citizen: Some(("Қасымов Ақылбек", "880412300200", "")),
        subject: "Байтерек ауылын газдандыру", description: "Байтерек ауылында газ құбыры тартылмаған, қыста көмір бағасы қымбат. Газдандыру жоспарын білгіміз келеді.", language: "kk", days_ago: 18,
        path: &[("under_control", ""), ("assigned", "DEPUTY"), ("in_progress", ""), ("explained", "Ауыл 2027 жылғы газдандыру бағдарламасына енгізілген, тұрғындарға түсіндірілді")] },
    DemoAppeal { kato: "314230000", channel: "reception_room", category: "UTIL_POWER", citizen: Some(("Нұрғалиева Айжан", "", "+7 702 555 44 33")),
        subject: "Электр қуатының жиі өшуі", description: "Бауыржан Момышұлы ауылында күн сайын жарық өшеді, тұрмыстық техника бұзылып жатыр.", language: "kk", days_ago: 9,
        path: &[] },
    DemoAppeal { kato: "315630000", channel: "mobile_reception", category: "HEALTH", citizen: Some(("Ахметов Серік", "", "")),
        subject: "Фельдшерлік-акушерлік пункт", description: "Мойынқұм ауылдық округінде ФАП жабылған, жақын емхана 60 шақырым жерде.", language: "kk", days_ago: 3,
        path: &[] },
    DemoAppeal { kato: "611010000", channel: "business_reception", category: "BUSINESS", citizen: Some(("Байжанов Данияр", "", "+7 771 808 08 08")),
        subject: "Кәсіпкерге тексеру", description: "Шағын кәсіпкерлік нысанына бір айда үш рет тексеру жүргізілді, бұл заңсыз деп санаймыз.", language: "kk", days_ago: 30,
        path: &[("under_control", ""), ("rejected", "Тексерулер заң талаптарына сай жүргізілген, өтініш негізсіз")] },
    DemoAppeal { kato: "311010000", channel: "online", category: "STREET_LIGHT", citizen: Some(("Ким Олег", "", "")),
        subject: "Нет уличного освещения", description: "На улице Абая в Таразе не горят фонари уже месяц, вечером опасно ходить.", language: "ru", days_ago: 6,
        path: &[("under_control", "")] },
    DemoAppeal { kato: "616400000", channel: "phone", category: "FLOOD_EMERGENCY", citizen: None,
        subject: "Су тасқыны қаупі", description: "Шардара су қоймасының бөгетінде жарық пайда болды, тасқын қаупі бар. Аты-жөнімді көрсеткім келмейді.", language: "kk", days_ago: 2,
        path: &[] },
];

/// The demo admin as a caller, so that history and audit name a person.
fn admin(admin_id: i64) -> Caller {
    Caller {
        principal: Principal::User {
            id: admin_id,
            role: Role::Admin,
            email: DEMO_ADMIN.to_owned(),
        },
        territory: None,
        deputy_id: None,
        request_id: None,
    }
}

/// Registers the demo appeals through the same code as the API, as the demo admin.
fn demo_appeals(
    conn: &mut DbConn,
    calendar: &WorkingCalendar,
    admin_id: i64,
    deputy_id: i64,
) -> anyhow::Result<()> {
    let caller = admin(admin_id);
    let now = compat::now();
    for demo in DEMO_APPEALS {
        let non_empty = |v: &str| (!v.is_empty()).then(|| v.to_owned());
        let input = CreateAppeal {
            channel: demo.channel.to_owned(),
            category: demo.category.to_owned(),
            territory_id: Some(territory_id(conn, demo.kato)?),
            reception_id: None,
            anonymous: demo.citizen.is_none(),
            threat_report: demo.citizen.is_none(),
            citizen: demo.citizen.map(|(name, iin, phone)| CitizenInput {
                full_name: Some(name.to_owned()),
                iin: non_empty(iin),
                phone: non_empty(phone),
                email: None,
                address: None,
            }),
            subject: demo.subject.to_owned(),
            description: demo.description.to_owned(),
            language: demo.language.to_owned(),
            received_at: Some(
                (now - chrono::Duration::days(demo.days_ago))
                    .and_utc()
                    .to_rfc3339(),
            ),
        };
        let request = Request {
            key: None,
            hash: String::new(),
            body: input,
        };
        let clock = Clock::system();
        let op = appeals::Register {
            calendar: calendar.clone(),
        };
        let appeal = crate::kit::create::create(&op, &mut Cx::new(conn, &caller, &clock), &request)
            .map_err(|e| anyhow::anyhow!("demo appeal {}: {e:?}", demo.subject))?
            .view;
        let id = appeal.id;
        for (version, (to, text)) in (1..).zip(demo.path.iter()) {
            let text = non_empty(text);
            let mut t = TransitionRequest {
                to: (*to).to_owned(),
                ..Default::default()
            };
            match *to {
                "assigned" if text.as_deref() == Some("DEPUTY") => t.deputy_id = Some(deputy_id),
                "assigned" => t.assigned_body = text,
                "resolved" | "explained" | "rejected" => t.resolution = text,
                "forwarded" => t.forwarded_to = text,
                _ => t.comment = text,
            }
            appeals::transition(
                &mut Cx::new(conn, &caller, &clock),
                Edit::of(id, version, t),
            )
            .map_err(|e| anyhow::anyhow!("demo appeal {} → {to}: {e:?}", demo.subject))?;
        }
    }
    Ok(())
}
