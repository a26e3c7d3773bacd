//! Territory checks shared by every capability: where an object sits, whether a
//! territory named in a body is one the caller may use, and the query filter
//! (`within_scope!`) that confines a list to the caller's subtree.

use diesel::prelude::*;

use super::Caller;
use crate::db::schema::{assignments, deputies, territories};
use crate::db::{DbConn, MultiBackend};
use crate::error::{ApiError, FieldError};

/// The path of the territory an object is attached to (`None` for none).
pub fn territory_path(conn: &mut DbConn, territory_id: Option<i64>) -> QueryResult<Option<String>> {
    match territory_id {
        Some(id) => territories::table
            .find(id)
            .select(territories::path)
            .first(conn)
            .map(Some),
        None => Ok(None),
    }
}

/// The path of a territory that exists and is not deleted.
pub fn live_territory_path(conn: &mut DbConn, id: i64) -> QueryResult<Option<String>> {
    territories::table
        .find(id)
        .filter(territories::deleted_at.is_null())
        .select(territories::path)
        .first(conn)
        .optional()
}

/// The subtree a list filter names, as the range of paths `[path, upper)` below it (one
/// index range scan); a territory that does not exist is 422 `unknown` on `field`.
pub fn subtree(conn: &mut DbConn, field: &str, id: i64) -> Result<(String, String), ApiError> {
    let Some(path) = live_territory_path(conn, id)? else {
        return Err(ApiError::validation(field, "unknown", "no such territory"));
    };
    let upper = crate::db::compat::path_upper_bound(&path);
    Ok((path, upper))
}

/// The one check for a territory named in a request body: it exists (and is not
/// deleted), and lies inside the caller's subtree. Returns its path, or records
/// `unknown` or `out_of_scope` against `field`.
pub fn check_territory(
    conn: &mut DbConn,
    caller: &Caller,
    field: &str,
    id: i64,
    errors: &mut Vec<FieldError>,
) -> QueryResult<Option<String>> {
    Ok(match live_territory_path(conn, id)? {
        None => {
            errors.push(FieldError::new(field, "unknown", "no such territory"));
            None
        }
        Some(p) if !caller.covers_path(&p) => {
            errors.push(FieldError::new(
                field,
                "out_of_scope",
                "outside your territory",
            ));
            None
        }
        Some(p) => Some(p),
    })
}

/// The rule for changing what the caller can see: read downwards and where it visits
/// you, write only what your territory organises. An object is visible further than it
/// is writable (a district's reception to the okrug it visits, the regional road map to
/// the districts below), so every write checks the organiser's territory (`path`) here,
/// after the object was loaded through the read scope. Outside it: 403, since the caller
/// sees the object and a 404 would contradict what they just read.
pub fn check_organiser(caller: &Caller, path: &str, what: &str) -> Result<(), ApiError> {
    if caller.covers_path(path) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "this {what} is organised by a territory outside yours: you may read it, not change it"
        )))
    }
}

/// Deputies the caller may reach: of a maslikhat inside their subtree, assigned to a
/// territory inside it, or (for a deputy) their own record. The one rule for reading
/// deputies (`deputies::model::scoped`) and for naming one in a body ([`check_deputy`]).
pub fn deputies_within(caller: &Caller) -> deputies::BoxedQuery<'static, MultiBackend> {
    let query = deputies::table.into_boxed();
    let own = caller.deputy_id.filter(|_| caller.is_deputy()).unwrap_or(0);
    match caller.path_bounds() {
        None => query,
        Some((lower, upper)) => {
            let assigned = assignments::table
                .filter(assignments::territory_path.ge(lower.clone()))
                .filter(assignments::territory_path.lt(upper.clone()))
                .select(assignments::deputy_id);
            query.filter(
                deputies::territory_path
                    .ge(lower)
                    .and(deputies::territory_path.lt(upper))
                    .or(deputies::id.eq_any(assigned))
                    .or(deputies::id.eq(own)),
            )
        }
    }
}

/// The one check for a deputy named in a request body (a responsible deputy, a
/// participant, an assignee, a Bureau or Political Council member): it exists (and is
/// not deleted), and the caller may reach it. Attaching a deputy moves their rating and
/// shows their name in summaries, so a deputy the caller cannot read is refused
/// (`out_of_scope`) like a territory outside the subtree. Returns whether it passed.
pub fn check_deputy(
    conn: &mut DbConn,
    caller: &Caller,
    field: &str,
    id: Option<i64>,
    errors: &mut Vec<FieldError>,
) -> QueryResult<bool> {
    let Some(id) = id else { return Ok(true) };
    let exists: Option<i64> = deputies::table
        .find(id)
        .filter(deputies::deleted_at.is_null())
        .select(deputies::id)
        .first(conn)
        .optional()?;
    if exists.is_none() {
        errors.push(FieldError::new(field, "unknown", "no such deputy"));
        return Ok(false);
    }
    let reached: Option<i64> = deputies_within(caller)
        .filter(deputies::id.eq(id))
        .select(deputies::id)
        .first(conn)
        .optional()?;
    if reached.is_none() {
        errors.push(FieldError::new(
            field,
            "out_of_scope",
            "the deputy is outside your territory",
        ));
        return Ok(false);
    }
    Ok(true)
}

/// Restricts a query to the caller's territory subtree through a materialised-path
/// column. This is the one scoping mechanism for every territorial table.
#[macro_export]
macro_rules! within_scope {
    ($query:expr, $path_column:expr, $caller:expr) => {
        match $caller.path_bounds() {
            Some((lower, upper)) => $query
                .filter($path_column.ge(lower))
                .filter($path_column.lt(upper)),
            None => $query,
        }
    };
}

/// [`within_scope!`] widened for deputies: a deputy also reaches the rows assigned to them
/// (`$deputy_column`) wherever they are. The one rule for appeals, indicators and every
/// other object a deputy answers for.
#[macro_export]
macro_rules! within_reach {
    ($query:expr, $path_column:expr, $deputy_column:expr, $caller:expr) => {
        match (
            $caller.is_deputy(),
            $caller.deputy_id,
            $caller.path_bounds(),
        ) {
            (true, Some(deputy), Some((lower, upper))) => $query.filter(
                $path_column
                    .ge(lower)
                    .and($path_column.lt(upper))
                    .or($deputy_column.eq(deputy)),
            ),
            (true, Some(deputy), None) => $query.filter($deputy_column.eq(deputy)),
            _ => $crate::within_scope!($query, $path_column, $caller),
        }
    };
}
