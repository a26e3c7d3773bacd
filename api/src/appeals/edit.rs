//! Editing an appeal: its facts, the citizen, and an extension of the deadline.

use baqylau_wire::appeals::{Appeal, UpdateAppeal};
use diesel::prelude::*;
use serde_json::json;

use super::model::{self, PERSONAL_FIELDS};
use super::{intake, AppealRows};
use crate::audit;
use crate::auth::Permission;
use crate::db::schema::{appeal_citizens, appeals};
use crate::domain::appeal::{self as rules, Language};
use crate::error::{ApiResult, FieldError};
use crate::kit::op::{Cx, Edit};
use crate::kit::validate;
use crate::kit::write::{self, Change, Versioned as _};

/// Edits an appeal (`If-Match`). An extension sets `extended_due_on` with
/// `extension_reason`, at most 2 months from receipt (APPK art. 76 p. 2).
pub fn update(cx: &mut Cx, edit: Edit<UpdateAppeal>) -> ApiResult<Appeal> {
    let (conn, caller, clock) = cx.parts();
    let id = edit.id;
    let (before, expected, patch) =
        super::open_change(conn, caller, Permission::AppealsWrite, edit)?;
    let row = &before.0;
    let mut errors = Vec::new();
    if let Some(c) = &patch.category {
        intake::check_category(conn, c, &mut errors)?;
    }
    let path = match patch.territory_id {
        Some(t) => intake::check_territory(conn, caller, Some(t), &mut errors)?,
        None => None,
    };
    let subject = patch
        .subject
        .as_deref()
        .map(|s| validate::required_text("subject", s, intake::SUBJECT_MAX, &mut errors));
    let description = patch.description.as_deref().map(|d| {
        let d = validate::required_text("description", d, intake::DESCRIPTION_MAX, &mut errors);
        intake::check_cyrillic("description", &d, &mut errors);
        d
    });
    if let Some(l) = &patch.language {
        if Language::parse(l).is_none() {
            errors.push(FieldError::new(
                "language",
                "one_of",
                format!("must be one of {}", Language::choices()),
            ));
        }
    }
    let citizen = patch
        .citizen
        .as_ref()
        .map(|c| intake::check_citizen(c, "citizen", &mut errors));
    let status = row.status;
    let extension = match (
        patch.extended_due_on,
        patch.extension_reason.as_deref().map(str::trim),
    ) {
        (None, None) => None,
        (None, Some(_)) => {
            errors.push(FieldError::new(
                "extended_due_on",
                "required",
                "an extension needs the new date",
            ));
            None
        }
        (Some(date), reason) => {
            crate::domain::dates::check_date("extended_due_on", date, &mut errors);
            let reason =
                validate::optional_text("extension_reason", reason, intake::TEXT_MAX, &mut errors);
            if reason.is_none() {
                errors.push(FieldError::new(
                    "extension_reason",
                    "required",
                    "an extension needs a reason (APPK art. 76 p. 2)",
                ));
            }
            let limit = rules::extension_limit(row.received_at);
            if date > limit {
                errors.push(FieldError::new(
                    "extended_due_on",
                    "extension_too_long",
                    format!("an extension may run at most 2 months from receipt, to {limit} (APPK art. 76 p. 2)"),
                ));
            } else if date <= row.extended_due_on.unwrap_or(row.due_on) {
                errors.push(FieldError::new(
                    "extended_due_on",
                    "not_later",
                    "must be later than the deadline in force",
                ));
            }
            if status.is_closed() {
                errors.push(FieldError::new(
                    "extended_due_on",
                    "closed",
                    "a closed appeal has no deadline to extend",
                ));
            }
            Some((date, reason.unwrap_or_default().to_owned()))
        }
    };
    validate::finish(&mut errors)?;
    let after = write::write(conn, &caller.audit_actor(), clock, |tx| {
        tx.bump::<AppealRows>(id, expected)?;
        let subject = subject.clone().unwrap_or_else(|| row.subject.clone());
        let description = description
            .clone()
            .unwrap_or_else(|| row.description.clone());
        diesel::update(appeals::table.find(id))
            .set((
                appeals::category_code.eq(patch
                    .category
                    .clone()
                    .unwrap_or_else(|| row.category_code.clone())),
                appeals::territory_id.eq(patch.territory_id.unwrap_or(row.territory_id)),
                appeals::territory_path
                    .eq(path.clone().unwrap_or_else(|| row.territory_path.clone())),
                appeals::language.eq(patch.language.as_deref().unwrap_or(row.language.as_str())),
                appeals::search_text.eq(model::search_text(
                    &row.reg_number,
                    &subject,
                    &description,
                )),
                appeals::subject.eq(subject),
                appeals::description.eq(description),
                appeals::extended_due_on
                    .eq(extension.as_ref().map(|e| e.0).or(row.extended_due_on)),
                appeals::extension_reason.eq(extension
                    .as_ref()
                    .map(|e| e.1.clone())
                    .or(row.extension_reason.clone())),
            ))
            .execute(tx.conn())?;
        if let Some(c) = &citizen {
            let old = before.1.clone().unwrap_or_default();
            diesel::update(appeal_citizens::table.find(id))
                .set((
                    appeal_citizens::full_name.eq(c.full_name.clone().or(old.full_name)),
                    appeal_citizens::iin.eq(c.iin.clone().or(old.iin)),
                    appeal_citizens::phone.eq(c.phone.clone().or(old.phone)),
                    appeal_citizens::email.eq(c.email.clone().or(old.email)),
                    appeal_citizens::address.eq(c.address.clone().or(old.address)),
                ))
                .execute(tx.conn())?;
        }
        let after = model::reload(tx.conn(), id)?;
        let changes = audit::diff(
            Some(&model::snapshot(&before)),
            Some(&model::snapshot(&after)),
            PERSONAL_FIELDS,
        );
        let mut details = changes.clone();
        if let Some(obj) = details.as_object_mut() {
            for field in PERSONAL_FIELDS {
                if obj.contains_key(*field) {
                    obj.insert((*field).to_owned(), json!("changed"));
                }
            }
        }
        let extended = extension.is_some();
        let change = Change::updated(AppealRows::ENTITY, id, changes)
            .showing(details)
            .commented(extension.as_ref().map(|e| e.1.as_str()));
        tx.record(match extended {
            true => change.named("extend").shown_as("extended"),
            false => change,
        })?;
        Ok(after)
    })?;
    Ok(model::view_for(caller, &after, clock.today()))
}
