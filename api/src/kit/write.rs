//! The one write path. Every change of every capability runs inside [`write`], which
//! hands out a [`Tx`]: the capability makes its row changes through `tx.conn()`, guards
//! its optimistic lock with [`Tx::bump`], and describes what happened with
//! [`Tx::record`]. The history entry, the outbox event for webhooks ([`outbox`])
//! and the audit row are then written by this module, in the same transaction — no
//! capability writes them by hand, so none can forget one.
//!
//! Order matters for throughput: the audit chain's head row is one lock that every
//! writer in every process shares, so audit rows are appended last, just before commit,
//! and that lock is held for as short a time as the chain allows.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::Value;

use crate::audit;
use crate::db::schema::history;
use crate::db::{compat, DbConn};
use crate::error::{ApiError, ApiResult};
use crate::kit::actor::Actor;
use crate::kit::clock::Clock;
use crate::kit::outbox::{self, Occurred, Publish};

/// The version a change is based on, as its client stated it. At the HTTP edge this is
/// `If-Match` (`extract::if_match`); the seed and the command line state the version they
/// just read. Operations resolve it only after the object was found in the caller's reach,
/// so a caller learns nothing about an object outside it from a 428 or 412.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// Any current version (`If-Match: *`).
    Any,
    /// One of these versions. A list of only weak entity tags is empty: a weak tag never
    /// matches for a write (RFC 9110 §13.1.1).
    OneOf(Vec<i64>),
    /// Nothing stated where a change needs it: 428.
    Unstated,
    /// A statement that could not be read: it matches nothing (412).
    Malformed,
}

impl Expected {
    /// Exactly this version.
    pub fn version(version: i64) -> Expected {
        Expected::OneOf(vec![version])
    }

    /// Fails as soon as the statement itself is unusable (428 missing, 412 unreadable),
    /// for operations that check it before they read the object's version.
    pub fn stated(&self) -> ApiResult<&Expected> {
        match self {
            Expected::Unstated => Err(ApiError::PreconditionRequired),
            Expected::Malformed => Err(ApiError::PreconditionFailed),
            _ => Ok(self),
        }
    }

    /// The version the change must be based on: `current` when the statement allows it,
    /// else 428 or 412. Writers then bump `WHERE version = <this>`, so a concurrent change
    /// between this check and the write is still caught.
    pub fn resolve(&self, current: i64) -> ApiResult<i64> {
        match self.stated()? {
            Expected::OneOf(versions) if !versions.contains(&current) => {
                Err(ApiError::PreconditionFailed)
            }
            _ => Ok(current),
        }
    }
}

/// What a change is about: the entity's name in history, audit and outbox rows, and
/// the webhook events its table publishes (declared with [`versioned!`]).
#[derive(Debug, Clone, Copy)]
pub struct Entity {
    pub name: &'static str,
    pub publish: Option<Publish>,
}

impl Entity {
    /// An entity no webhook subscribes to (feedback links, ...).
    pub const fn named(name: &'static str) -> Entity {
        Entity {
            name,
            publish: None,
        }
    }
}

/// A row type with `id` and `version` (and mostly `updated_at`; DECISIONS.md 4).
pub trait Versioned {
    /// The entity: its name in history and audit rows (`appeal`, `user`, ...) and what
    /// it publishes.
    const ENTITY: Entity;

    /// `UPDATE … SET version = expected + 1, updated_at = now WHERE id = ? AND version =
    /// expected`; the number of rows changed.
    fn bump(conn: &mut DbConn, id: i64, expected: i64, now: NaiveDateTime) -> QueryResult<usize>;
}

/// Implements [`Versioned`] for a marker type over a diesel table, and declares what the
/// table publishes to webhooks:
///
/// ```ignore
/// versioned!(AppealRows, appeals, "appeal",
///     publishes {
///         "create" => AppealCreated,
///         "transition" => AppealStatusChanged,
///         // `if`: only a change to this status.
///         "hold" if "held" => ReceptionHeld,
///     },
///     territory territory_path,
///     facts model::event_facts);
/// ```
///
/// The action is the audit verb of a [`Change`]; `territory` names the column holding
/// the object's territory path (for subscriptions bound to a territory); `facts` is a
/// `fn(&mut DbConn, i64) -> QueryResult<serde_json::Value>` giving the event's `object`.
/// A table without `updated_at` says `unstamped` instead of publishing.
#[macro_export]
macro_rules! versioned {
    ($marker:ident, $table:ident, $entity:literal) => {
        $crate::versioned!(@impl $marker, $table, $entity, [updated_at], None);
    };
    ($marker:ident, $table:ident, $entity:literal, unstamped) => {
        $crate::versioned!(@impl $marker, $table, $entity, [], None);
    };
    (
        $marker:ident, $table:ident, $entity:literal,
        publishes { $($action:literal $(if $status:literal)? => $event:ident),+ $(,)? },
        territory $column:ident,
        facts $facts:path $(,)?
    ) => {
        $crate::versioned!(@impl $marker, $table, $entity, [updated_at], Some($crate::kit::outbox::Publish {
            event: |action, to_status| {
                let _ = to_status;
                $(
                    if action == $action $(&& to_status == Some($status))? {
                        return Some(baqylau_wire::webhooks::EventType::$event);
                    }
                )+
                None
            },
            territory: |conn, id| {
                use diesel::prelude::*;
                use $crate::db::schema::$table;
                $table::table
                    .find(id)
                    .select($table::$column)
                    .first::<String>(conn)
                    .optional()
            },
            facts: $facts,
        }));
    };
    (@impl $marker:ident, $table:ident, $entity:literal, [$($stamp:ident)?], $publish:expr) => {
        /// Marker for the versioned rows of this table.
        pub struct $marker;

        impl $crate::kit::write::Versioned for $marker {
            const ENTITY: $crate::kit::write::Entity = $crate::kit::write::Entity {
                name: $entity,
                publish: $publish,
            };

            fn bump(
                conn: &mut $crate::db::DbConn,
                id: i64,
                expected: i64,
                now: chrono::NaiveDateTime,
            ) -> diesel::QueryResult<usize> {
                use diesel::prelude::*;
                use $crate::db::schema::$table;
                let _ = now;
                diesel::update(
                    $table::table
                        .filter($table::id.eq(id))
                        .filter($table::version.eq(expected)),
                )
                .set(($table::version.eq(expected + 1), $($table::$stamp.eq(now),)?))
                .execute(conn)
            }
        }
    };
}

/// What happened to one object, for its history (what its page shows).
#[derive(Debug, Clone, Default)]
pub struct Event<'a> {
    /// The timeline's word for it (`created`, `transition`, `extended`, ...).
    pub action: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: Option<&'a str>,
    pub comment: Option<&'a str>,
    /// Field-level detail shown in the timeline; personal values already replaced.
    pub details: Value,
}

/// One change: the object, the audit action, its history entry (if its capability keeps
/// one) and the audit diff (from [`audit::diff`], personal values redacted).
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub entity: Entity,
    pub id: i64,
    /// The audit trail's verb (`create`, `update`, `transition`, `delete`, ...).
    pub action: &'a str,
    pub event: Option<Event<'a>>,
    pub audit: Value,
}

impl<'a> Change<'a> {
    /// A creation: audit verb `create`, history entry `created`.
    pub fn created(entity: Entity, id: i64, audit: Value) -> Change<'a> {
        Change {
            entity,
            id,
            action: "create",
            event: Some(Event {
                action: "created",
                ..Event::default()
            }),
            audit,
        }
    }

    /// An edit: audit verb `update`, history entry `updated` showing the same changes.
    pub fn updated(entity: Entity, id: i64, changes: Value) -> Change<'a> {
        Change {
            entity,
            id,
            action: "update",
            event: Some(Event {
                action: "updated",
                details: changes.clone(),
                ..Event::default()
            }),
            audit: changes,
        }
    }

    /// A move along the object's lifecycle: audit verb and history entry `transition`.
    pub fn transition(
        entity: Entity,
        id: i64,
        from: &'a str,
        to: &'a str,
        audit: Value,
    ) -> Change<'a> {
        Change {
            entity,
            id,
            action: "transition",
            event: Some(Event {
                action: "transition",
                from_status: Some(from),
                to_status: Some(to),
                ..Event::default()
            }),
            audit,
        }
    }

    /// A removal (the row stays as a tombstone): audit verb `delete`, history `deleted`.
    pub fn removed(entity: Entity, id: i64, status: &'a str, audit: Value) -> Change<'a> {
        Change {
            entity,
            id,
            action: "delete",
            event: Some(Event {
                action: "deleted",
                from_status: Some(status),
                details: serde_json::json!({}),
                ..Event::default()
            }),
            audit,
        }
    }

    /// A change of an object that keeps no history (users, keys, webhooks, territories):
    /// only its audit row, and its webhook event if its table publishes one.
    pub fn unlogged(entity: Entity, id: i64, action: &'a str, audit: Value) -> Change<'a> {
        Change {
            entity,
            id,
            action,
            event: None,
            audit,
        }
    }

    /// The audit row's own verb for it (`extend`, ...).
    pub fn named(mut self, action: &'static str) -> Change<'a> {
        self.action = action;
        self
    }

    /// The history entry's own word for it (`ended`, `mandate`, ...).
    pub fn shown_as(mut self, action: &'a str) -> Change<'a> {
        self.event_mut().action = action;
        self
    }

    /// The status the object moves from and to (either absent when it stays).
    pub fn moving(mut self, from: Option<&'a str>, to: Option<&'a str>) -> Change<'a> {
        let event = self.event_mut();
        event.from_status = from;
        event.to_status = to;
        self
    }

    /// What the history entry shows beyond the audit diff.
    pub fn showing(mut self, details: Value) -> Change<'a> {
        self.event_mut().details = details;
        self
    }

    pub fn commented(mut self, comment: Option<&'a str>) -> Change<'a> {
        self.event_mut().comment = comment;
        self
    }

    fn event_mut(&mut self) -> &mut Event<'a> {
        self.event.get_or_insert_with(Event::default)
    }
}

/// A write transaction in progress. Only [`write`] makes one.
pub struct Tx<'c> {
    conn: &'c mut DbConn,
    actor: &'c Actor,
    now: NaiveDateTime,
    audit: Vec<(&'static str, i64, String, Value)>,
}

impl<'c> Tx<'c> {
    pub fn conn(&mut self) -> &mut DbConn {
        self.conn
    }

    /// The transaction's one "now": every row it writes carries the same instant.
    pub fn now(&self) -> NaiveDateTime {
        self.now
    }

    pub fn actor(&self) -> &Actor {
        self.actor
    }

    /// Takes the optimistic lock: the row's version moves from `expected` to the next
    /// one, or nothing happens and the answer is 412 (another change won).
    pub fn bump<V: Versioned>(&mut self, id: i64, expected: i64) -> ApiResult<i64> {
        match V::bump(self.conn, id, expected, self.now)? {
            0 => Err(ApiError::PreconditionFailed),
            _ => Ok(expected + 1),
        }
    }

    /// Records a change: its history entry and its outbox event (if its kind has one)
    /// now, its audit row at commit.
    pub fn record(&mut self, change: Change<'_>) -> ApiResult<()> {
        if let Some(event) = &change.event {
            diesel::insert_into(history::table)
                .values((
                    history::entity.eq(change.entity.name),
                    history::entity_id.eq(change.id),
                    history::at.eq(self.now),
                    history::actor_kind.eq(self.actor.kind),
                    history::actor_id.eq(self.actor.id),
                    history::actor_label.eq(&self.actor.label),
                    history::action.eq(event.action),
                    history::from_status.eq(event.from_status),
                    history::to_status.eq(event.to_status),
                    history::comment.eq(event.comment),
                    history::details.eq(event.details.to_string()),
                ))
                .execute(self.conn)?;
        }
        if let Some(publish) = &change.entity.publish {
            let event = change.event.as_ref();
            let occurred = Occurred {
                entity: change.entity.name,
                id: change.id,
                action: change.action,
                from_status: event.and_then(|e| e.from_status),
                to_status: event.and_then(|e| e.to_status),
                at: self.now,
            };
            outbox::enqueue(self.conn, publish, &occurred)?;
        }
        self.audit.push((
            change.entity.name,
            change.id,
            change.action.to_owned(),
            change.audit,
        ));
        Ok(())
    }

    /// An audit-only entry (a revocation): no history. Reads of personal data are not
    /// written here but through [`audit::reveal`], off the chain's lock.
    pub fn audit(&mut self, entity: &'static str, id: i64, action: &str, details: Value) {
        self.audit.push((entity, id, action.to_owned(), details));
    }

    /// Appends the queued audit rows under one acquisition of the chain's lock, stamped
    /// with the transaction's time (the clock's, not the database's).
    fn finish(self) -> ApiResult<()> {
        let entries: Vec<audit::Entry> = self
            .audit
            .iter()
            .map(|(entity, id, action, changes)| {
                audit::Entry::new(self.now, self.actor, entity, id, action, changes)
            })
            .collect();
        audit::append(self.conn, &entries)?;
        Ok(())
    }
}

/// Runs `work` in one write transaction and commits it with its history and audit rows;
/// any error rolls everything back, so nothing is ever half-written.
pub fn write<T>(
    conn: &mut DbConn,
    actor: &Actor,
    clock: &Clock,
    work: impl FnOnce(&mut Tx<'_>) -> ApiResult<T>,
) -> ApiResult<T> {
    let now = clock.now_stored();
    compat::write_transaction(conn, |conn| {
        let mut tx = Tx {
            conn,
            actor,
            now,
            audit: Vec::new(),
        };
        let value = work(&mut tx)?;
        tx.finish()?;
        Ok(value)
    })
}
