//! `GET /appeals/export?format=csv|xlsx`: the list's filters and masking, as a
//! [`kit::export`](crate::kit::export) table — the columns are data, the streaming,
//! languages and formula neutralising are the kit's.

use std::collections::HashMap;

use actix_web::{get, web, HttpRequest, HttpResponse};
use baqylau_wire::appeals::Appeal;
use chrono::NaiveDate;
use diesel::prelude::*;

use super::query::{self, AppealQuery, Cursor, Sort};
use super::model::{self, Joined};
use crate::auth::{Caller, Permission};
use crate::db::schema::{appeal_categories, territories};
use crate::db::DbConn;
use crate::error::{ApiResult, Problem};
use crate::kit::export::{respond, Cell, Column, FileFormat, Lang, Pages, Table};
use crate::startup::AppState;

/// Rows read per page (and per connection checkout).
const PAGE: i64 = 500;

/// An appeal as exported: masked like the list, with its names in the file's language.
pub struct Row {
    appeal: Appeal,
    kato: String,
    territory: String,
    category: String,
}

/// The spreadsheet of appeals.
pub static TABLE: Table<Row> = Table {
    name: "appeals",
    sheet: "Appeals",
    columns: &[
        Column {
            headers: [
                "Тіркеу нөмірі",
                "Регистрационный номер",
                "Registration number",
            ],
            cell: |r| Cell::text(&r.appeal.reg_number),
        },
        Column {
            headers: ["Мәртебесі", "Статус", "Status"],
            cell: |r| Cell::text(r.appeal.status.as_str()),
        },
        Column {
            headers: ["Арна", "Канал", "Channel"],
            cell: |r| Cell::text(r.appeal.channel.as_str()),
        },
        Column {
            headers: ["Санат", "Категория", "Category"],
            cell: |r| Cell::text(&r.category),
        },
        Column {
            headers: ["Аумақ (КАТО)", "Территория (КАТО)", "Territory (KATO)"],
            cell: |r| Cell::text(&r.kato),
        },
        Column {
            headers: ["Аумақ", "Территория", "Territory"],
            cell: |r| Cell::text(&r.territory),
        },
        Column {
            headers: ["Түскен уақыты", "Дата поступления", "Received at"],
            cell: |r| Cell::Time(r.appeal.received_at),
        },
        Column {
            headers: ["Тіркелген күні", "Дата регистрации", "Registered on"],
            cell: |r| Cell::Date(r.appeal.registered_on),
        },
        Column {
            headers: ["Мерзімі", "Срок", "Due on"],
            cell: |r| Cell::Date(r.appeal.due_on),
        },
        Column {
            headers: ["Ұзартылған мерзімі", "Продлённый срок", "Extended due on"],
            cell: |r| r.appeal.extended_due_on.map_or(Cell::Empty, Cell::Date),
        },
        Column {
            headers: ["Мерзімі өткен", "Просрочено", "Overdue"],
            cell: |r| Cell::Bool(r.appeal.overdue),
        },
        Column {
            headers: ["Өтініш беруші", "Заявитель", "Citizen"],
            cell: |r| Cell::opt_text(r.appeal.citizen.full_name.as_deref()),
        },
        Column {
            headers: ["ЖСН", "ИИН", "IIN"],
            cell: |r| Cell::opt_text(r.appeal.citizen.iin.as_deref()),
        },
        Column {
            headers: ["Телефон", "Телефон", "Phone"],
            cell: |r| Cell::opt_text(r.appeal.citizen.phone.as_deref()),
        },
        Column {
            headers: ["Тақырыбы", "Тема", "Subject"],
            cell: |r| Cell::text(&r.appeal.subject),
        },
        Column {
            headers: ["Мазмұны", "Содержание", "Description"],
            cell: |r| Cell::text(&r.appeal.description),
        },
        Column {
            headers: ["Депутат (id)", "Депутат (id)", "Deputy (id)"],
            cell: |r| r.appeal.deputy_id.map_or(Cell::Empty, Cell::Int),
        },
        Column {
            headers: ["Орындаушы орган", "Исполнитель", "Assigned body"],
            cell: |r| Cell::opt_text(r.appeal.assigned_body.as_deref()),
        },
        Column {
            headers: ["Шешімі", "Решение", "Resolution"],
            cell: |r| Cell::opt_text(r.appeal.resolution.as_deref()),
        },
        Column {
            headers: ["Шешілген уақыты", "Дата решения", "Resolved at"],
            cell: |r| r.appeal.resolved_at.map_or(Cell::Empty, Cell::Time),
        },
    ],
};

/// Names for codes and ids, loaded once per export.
struct Names {
    territories: HashMap<i64, (String, String)>,
    categories: HashMap<String, String>,
}

impl Names {
    fn load(conn: &mut DbConn, lang: Lang) -> QueryResult<Names> {
        let territories = territories::table
            .select((
                territories::id,
                territories::kato_code,
                territories::name_kk,
                territories::name_ru,
            ))
            .load::<(i64, String, Option<String>, String)>(conn)?
            .into_iter()
            .map(|(id, kato, kk, ru)| {
                let name = match lang {
                    Lang::Kk => kk.unwrap_or(ru),
                    _ => ru,
                };
                (id, (kato, name))
            })
            .collect();
        let categories = appeal_categories::table
            .select((
                appeal_categories::code,
                appeal_categories::name_kk,
                appeal_categories::name_ru,
                appeal_categories::name_en,
            ))
            .load::<(String, String, String, String)>(conn)?
            .into_iter()
            .map(|(code, kk, ru, en)| {
                let name = match lang {
                    Lang::Kk => kk,
                    Lang::Ru => ru,
                    Lang::En => en,
                };
                (code, name)
            })
            .collect();
        Ok(Names {
            territories,
            categories,
        })
    }

    fn territory(&self, id: i64) -> (String, String) {
        self.territories.get(&id).cloned().unwrap_or_default()
    }

    fn category(&self, code: &str) -> String {
        self.categories
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_owned())
    }
}

/// Every appeal the list would show, newest first, a page at a time.
struct AppealPages {
    caller: Caller,
    filter: query::Filter,
    lang: Lang,
    today: NaiveDate,
    names: Option<Names>,
    after: Option<i64>,
    done: bool,
}

impl Pages for AppealPages {
    type Row = Row;

    fn next_page(&mut self, conn: &mut DbConn) -> ApiResult<Vec<Row>> {
        if self.done {
            return Ok(Vec::new());
        }
        if self.names.is_none() {
            self.names = Some(Names::load(conn, self.lang)?);
        }
        let rows: Vec<Joined> = query::ordered(
            query::filtered(conn, &self.caller, &self.filter)?,
            Sort::Newest,
            self.after.map(Cursor::Id).as_ref(),
        )
        .limit(PAGE)
        .load(conn)?;
        self.done = (rows.len() as i64) < PAGE;
        self.after = rows.last().map(|r| r.0.id);
        let names = self.names.as_ref().expect("loaded above");
        Ok(rows
            .iter()
            .map(|joined| {
                let appeal = model::view(joined, false, false, self.today);
                let (kato, territory) = names.territory(appeal.territory_id);
                let category = names.category(&appeal.category);
                Row {
                    appeal,
                    kato,
                    territory,
                    category,
                }
            })
            .collect())
    }
}

/// Exports the appeals the list would show, with the same filters and masking, as CSV
/// (UTF-8 with BOM) or XLSX (typed columns: dates as dates), headers in the language of
/// `Accept-Language` (kk, ru or en).
#[utoipa::path(
    tag = "appeals",
    params(AppealQuery, ("Accept-Language" = Option<String>, Header, description = "kk, ru or en: the language of the header row")),
    responses(
        (status = 200, description = "The file", content(
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )),
        (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(
        ("bearer" = ["admin", "regional_staff", "district_staff", "deputy", "viewer"]),
        ("api_key" = ["appeals:read"])
    )
)]
#[get("/appeals/export")]
pub async fn export(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    query: crate::extract::Query<AppealQuery>,
) -> ApiResult<HttpResponse> {
    caller.authorize(Permission::AppealsRead)?;
    let query = query.into_inner();
    let format = FileFormat::parse(query.format.as_deref())?;
    let parsed = query.parse(true)?;
    let lang = Lang::of(&req);
    // Problems with the filters are answered before the first byte is sent.
    let (c, f) = (caller.clone(), parsed.filter.clone());
    state
        .db
        .run(move |conn| query::filtered(conn, &c, &f).map(|_| ()))
        .await?;
    let today = state.clock.today();
    let pages = AppealPages {
        caller,
        filter: parsed.filter,
        lang,
        today,
        names: None,
        after: None,
        done: false,
    };
    Ok(respond(
        state.db.clone(),
        &TABLE,
        pages,
        format,
        lang,
        today,
    ))
}
