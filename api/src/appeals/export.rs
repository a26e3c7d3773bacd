//! The appeals spreadsheet (`GET /appeals/export`): the list's filters and masking, as a
//! [`kit::export`](crate::kit::export) table — the columns are data, the streaming,
//! languages and formula neutralising are the kit's.

use std::collections::HashMap;

use baqylau_wire::appeals::{Appeal, AppealSort};
use baqylau_wire::personal::Disclosure;
use chrono::NaiveDate;
use diesel::prelude::*;

use super::model::{self, Joined};
use super::query;
use crate::auth::{Caller, Permission};
use crate::db::schema::{appeal_categories, territories};
use crate::db::DbConn;
use crate::error::ApiResult;
use crate::kit::export::{Cell, Column, Lang, Pages, Table};
use crate::kit::list::{Order, Position};

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
            cell: |r| Cell::personal(r.appeal.citizen.iin.as_ref()),
        },
        Column {
            headers: ["Телефон", "Телефон", "Phone"],
            cell: |r| Cell::personal(r.appeal.citizen.phone.as_ref()),
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

/// Every appeal the list would show, in the list's order (newest first unless asked),
/// a page at a time.
pub struct AppealPages {
    caller: Caller,
    filter: query::Filter,
    order: Order<AppealSort>,
    lang: Lang,
    today: NaiveDate,
    names: Option<Names>,
    after: Option<Position>,
    done: bool,
}

impl AppealPages {
    pub fn new(caller: Caller, filter: query::Filter, lang: Lang, today: NaiveDate) -> AppealPages {
        AppealPages {
            caller,
            filter,
            order: Order::Sorted(AppealSort::Newest),
            lang,
            today,
            names: None,
            after: None,
            done: false,
        }
    }

    /// The rows in `order` instead of newest first.
    pub fn in_order(self, order: Order<AppealSort>) -> AppealPages {
        AppealPages { order, ..self }
    }

    /// Checks the filters against the database (an unknown territory is 422) before the
    /// first byte of the file is sent.
    pub fn checked(self, conn: &mut DbConn) -> ApiResult<AppealPages> {
        self.caller.authorize(Permission::AppealsRead)?;
        query::filtered(conn, &self.caller, &self.filter, self.today)?;
        Ok(self)
    }
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
        let filtered = query::filtered(conn, &self.caller, &self.filter, self.today)?;
        let rows: Vec<Joined> = self
            .order
            .apply(filtered, self.after.as_ref())?
            .limit(PAGE)
            .load(conn)?;
        self.done = (rows.len() as i64) < PAGE;
        self.after = rows.last().map(|r| self.order.position(r));
        let names = self.names.as_ref().expect("loaded above");
        Ok(rows
            .iter()
            .map(|joined| {
                let appeal = model::view(joined, Disclosure::Masked, false, self.today);
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
