//! What every operation is given. An operation serves one caller at one instant on one
//! connection ([`Cx`]); a change to an object that exists also names it and the version
//! its client based the change on ([`Edit`]). Handlers, the seed, the command line and
//! the tests build these the same way, so every operation's signature reads alike.

use chrono::{NaiveDate, NaiveDateTime};

use crate::auth::Caller;
use crate::db::DbConn;
use crate::error::ApiResult;
use crate::kit::clock::Clock;
use crate::kit::write::Expected;

/// One caller, one clock, one pooled connection.
pub struct Cx<'a> {
    pub conn: &'a mut DbConn,
    pub caller: &'a Caller,
    pub clock: &'a Clock,
}

impl<'a> Cx<'a> {
    pub fn new(conn: &'a mut DbConn, caller: &'a Caller, clock: &'a Clock) -> Cx<'a> {
        Cx {
            conn,
            caller,
            clock,
        }
    }

    /// The three apart, for code that passes them on separately.
    pub fn parts(&mut self) -> (&mut DbConn, &'a Caller, &'a Clock) {
        (&mut *self.conn, self.caller, self.clock)
    }

    /// Now as stored (naive UTC).
    pub fn now(&self) -> NaiveDateTime {
        self.clock.now_stored()
    }

    /// Today in the region (Asia/Almaty).
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }
}

/// A change to the object `id`, based on the version `expected`. The body is still a
/// `Result`: a bad body is answered only after the object was found in the caller's
/// reach and the version checked, so a 422 never tells about an object they cannot see.
pub struct Edit<B> {
    pub id: i64,
    pub expected: Expected,
    pub body: ApiResult<B>,
}

impl<B> Edit<B> {
    /// A change made in code (the seed, the command line, tests), based on `version`.
    pub fn of(id: i64, version: i64, body: B) -> Edit<B> {
        Edit {
            id,
            expected: Expected::version(version),
            body: Ok(body),
        }
    }
}
