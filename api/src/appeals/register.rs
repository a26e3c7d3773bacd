//! Registering an appeal: checked in full, numbered gap-free per region and year, with
//! its deadline on the working-day calendar; at most once per `Idempotency-Key`.

use baqylau_wire::appeals::{Appeal, CreateAppeal};
use chrono::Datelike;
use diesel::prelude::*;
use serde_json::json;

use super::model::{self, PERSONAL_FIELDS};
use super::{intake, AppealRows, KIND};
use crate::audit;
use crate::auth::Caller;
use crate::db::schema::{appeal_citizens, appeals};
use crate::domain::appeal::{self as rules, Status};
use crate::domain::calendar::WorkingCalendar;
use crate::error::ApiResult;
use crate::kit::create::{Create, Made};
use crate::kit::op::Cx;
use crate::kit::write::{Change, Tx, Versioned as _};

/// Registering an appeal (`POST /appeals`, Open311, the seed), with its deadline on
/// this working-day calendar. A replay re-reads the appeal through the caller's current
/// scope: someone moved to another district does not get it back.
pub struct Register {
    pub calendar: WorkingCalendar,
}

impl Register {
    pub fn on(calendar: &WorkingCalendar) -> Register {
        Register {
            calendar: calendar.clone(),
        }
    }
}

crate::creation!(Register: CreateAppeal => intake::NewAppeal => Appeal,
    kind KIND, needs AppealsWrite);

impl Create for Register {
    fn check(&self, cx: &mut Cx, body: &CreateAppeal) -> ApiResult<intake::NewAppeal> {
        let (conn, caller, clock) = cx.parts();
        intake::check_new(conn, caller, body, clock.now_stored())
    }

    fn insert(&self, tx: &mut Tx<'_>, caller: &Caller, new: &intake::NewAppeal) -> ApiResult<i64> {
        insert(tx, caller, &self.calendar, new)
    }

    fn view(&self, cx: &mut Cx, id: i64, _: Option<&intake::NewAppeal>) -> ApiResult<Made<Appeal>> {
        let (conn, caller, clock) = cx.parts();
        let joined = model::load(conn, caller, id)?;
        let appeal = model::view_for(caller, &joined, clock.today());
        let (version, private) = (appeal.version, appeal.personal_data_revealed);
        let location = format!("/api/v1/appeals/{id}");
        Ok(Made::versioned(appeal, version, location).private(private))
    }
}

/// Writes a checked appeal inside the caller's transaction (one appeal, or each of an
/// on-site batch). The registration counter (one row per region and year,
/// shared by every writer of that region) is taken as late as the number allows: the
/// appeal is inserted under a provisional number first, then numbered.
pub fn insert(
    tx: &mut Tx<'_>,
    caller: &Caller,
    calendar: &WorkingCalendar,
    new: &intake::NewAppeal,
) -> ApiResult<i64> {
    if let Some(reception) = new.reception_id {
        // The reception was checked before the write lock; it may have been deleted
        // since. Its row stays locked until this appeal is in, so it cannot be now.
        crate::receptions::model::lock_live(tx.conn(), reception)?;
    }
    let (registered_on, due_on) = rules::deadlines(calendar, new.received_at);
    let now = tx.now();
    let provisional = format!("pending-{}", crate::auth::tokens::random_token(12));
    let id: i64 = diesel::insert_into(appeals::table)
        .values((
            appeals::reg_number.eq(&provisional),
            appeals::status.eq(Status::Registered.as_str()),
            appeals::channel.eq(new.channel.as_str()),
            appeals::category_code.eq(&new.category),
            appeals::territory_id.eq(new.territory_id),
            appeals::territory_path.eq(&new.territory_path),
            appeals::reception_id.eq(new.reception_id),
            appeals::anonymous.eq(new.anonymous),
            appeals::threat_report.eq(new.threat_report),
            appeals::subject.eq(&new.subject),
            appeals::description.eq(&new.description),
            appeals::language.eq(new.language.as_str()),
            appeals::search_text.eq(""),
            appeals::received_at.eq(new.received_at),
            appeals::registered_on.eq(registered_on),
            appeals::due_on.eq(due_on),
            appeals::created_by_user_id.eq(caller.user_id()),
            appeals::created_by_key_id.eq(caller.key_id()),
            appeals::created_at.eq(now),
            appeals::updated_at.eq(now),
        ))
        .returning(appeals::id)
        .get_result(tx.conn())?;
    let c = &new.citizen;
    diesel::insert_into(appeal_citizens::table)
        .values((
            appeal_citizens::appeal_id.eq(id),
            appeal_citizens::full_name.eq(&c.full_name),
            appeal_citizens::iin.eq(&c.iin),
            appeal_citizens::phone.eq(&c.phone),
            appeal_citizens::email.eq(&c.email),
            appeal_citizens::address.eq(&c.address),
        ))
        .execute(tx.conn())?;
    let region = model::region_code(tx.conn(), &new.territory_path)?;
    let year = registered_on.year();
    let seq = model::next_reg_seq(tx.conn(), &region, year)?;
    let reg_number = rules::reg_number(&region, year, seq);
    diesel::update(appeals::table.find(id))
        .set((
            appeals::reg_number.eq(&reg_number),
            appeals::search_text.eq(model::search_text(
                &reg_number,
                &new.subject,
                &new.description,
            )),
        ))
        .execute(tx.conn())?;
    let created = model::reload(tx.conn(), id)?;
    tx.record(
        Change::created(
            AppealRows::ENTITY,
            id,
            audit::diff(None, Some(&model::snapshot(&created)), PERSONAL_FIELDS),
        )
        .moving(None, Some(Status::Registered.as_str()))
        .showing(json!({"reg_number": reg_number})),
    )?;
    Ok(id)
}
