//! Territory checks shared by every capability: where an object sits, whether a
//! territory named in a body is one the caller may use, and the query filter
//! (`within_scope!`) that confines a list to the caller's subtree.

use diesel::prelude::*;

use super::Caller;
use crate::db::schema::territories;
use crate::db::DbConn;

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

/// The one check for a territory named in a request body: it exists (and is not
/// deleted), and lies inside the caller's subtree. Returns its path, or records
/// `unknown` or `out_of_scope` against `field`.
pub fn check_territory(
    conn: &mut DbConn,
    caller: &Caller,
    field: &str,
    id: i64,
    errors: &mut Vec<crate::error::FieldError>,
) -> QueryResult<Option<String>> {
    Ok(match live_territory_path(conn, id)? {
        None => {
            errors.push(crate::error::FieldError::new(
                field,
                "unknown",
                "no such territory",
            ));
            None
        }
        Some(p) if !caller.covers_path(&p) => {
            errors.push(crate::error::FieldError::new(
                field,
                "out_of_scope",
                "outside your territory",
            ));
            None
        }
        Some(p) => Some(p),
    })
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
