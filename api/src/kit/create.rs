//! The one shape of a creation. Every `POST` that makes a resource reads the same:
//! authorize, run at most once per `Idempotency-Key` ([`super::idempotent`]), check the
//! body (every bad field at once, 422), insert through [`super::write`], read the
//! resource back as the caller sees it. A capability states only what differs, as an
//! implementation of [`Create`]; [`create`] runs the shape, and the handler answers with
//! what it returns.

use crate::auth::{Caller, Permission};
use crate::error::ApiResult;
use crate::kit::idempotent::{self, Created, Request};
use crate::kit::op::Cx;
use crate::kit::write::Tx;

/// What a creation is: the body it takes, what checking makes of it, what the client
/// gets back, its idempotency kind and the permission it needs. Declared in one line with
/// [`creation!`](crate::creation).
pub trait Creation {
    /// The request body, as the client sent it.
    type Body;
    /// The body once checked, ready to insert.
    type Checked;
    /// What the client gets back.
    type View;
    /// What `Idempotency-Key` records name, so a key cannot replay another kind.
    const KIND: &'static str;
    /// What the caller needs (403 otherwise, before the body is looked at).
    const PERMISSION: Permission;
}

/// Declares a [`Creation`]:
/// `creation!(Register: CreateDeputy => NewDeputy => Deputy, kind KIND, needs DeputiesWrite);`
#[macro_export]
macro_rules! creation {
    ($op:ty: $body:ty => $checked:ty => $view:ty, kind $kind:expr, needs $permission:ident) => {
        impl $crate::kit::create::Creation for $op {
            type Body = $body;
            type Checked = $checked;
            type View = $view;
            const KIND: &'static str = $kind;
            const PERMISSION: $crate::auth::Permission = $crate::auth::Permission::$permission;
        }
    };
}

/// How a creation is done. The implementing value carries what the creation needs
/// beyond the body (the working calendar, the road map a section joins, a prepared
/// password).
pub trait Create: Creation {
    /// What must hold before anything else, a replay included: the object a creation
    /// joins is within the caller's reach and theirs to change (404, 403).
    fn admit(&self, _cx: &mut Cx) -> ApiResult<()> {
        Ok(())
    }

    /// Checks the body outside the write lock: every problem at once (422), references
    /// within the caller's reach. Not run when the key replays.
    fn check(&self, cx: &mut Cx, body: &Self::Body) -> ApiResult<Self::Checked>;

    /// Inserts the resource (and records the change) in the write transaction; its id.
    fn insert(&self, tx: &mut Tx<'_>, caller: &Caller, checked: &Self::Checked) -> ApiResult<i64>;

    /// The created resource as the caller sees it now. `fresh` is what [`Create::check`]
    /// made when this request created it, `None` on a replay: a value that exists only
    /// at creation (a key's secret) is then no longer known.
    fn view(
        &self,
        cx: &mut Cx,
        id: i64,
        fresh: Option<&Self::Checked>,
    ) -> ApiResult<Made<Self::View>>;
}

/// A created resource, as the handler answers it (201, `Location`, `ETag`).
#[derive(Debug, Clone)]
pub struct Made<V> {
    pub view: V,
    /// Its version, for the `ETag`; `None` for resources without one to fetch.
    pub version: Option<i64>,
    /// Where it is served, for `Location`.
    pub location: String,
    /// Personal data is shown in full: no cache may keep the answer.
    pub private: bool,
    /// Its id, and whether an earlier request with the same key created it (set by
    /// [`create`]).
    pub created: Created,
}

impl<V> Made<V> {
    /// A resource with a version, served at `location`.
    pub fn versioned(view: V, version: i64, location: String) -> Made<V> {
        Made {
            view,
            version: Some(version),
            location,
            private: false,
            created: Created {
                id: 0,
                replayed: false,
            },
        }
    }

    /// A resource without a version of its own.
    pub fn unversioned(view: V, location: String) -> Made<V> {
        Made {
            version: None,
            ..Made::versioned(view, 0, location)
        }
    }

    pub fn private(mut self, private: bool) -> Made<V> {
        self.private = private;
        self
    }
}

/// Runs a creation: the one shape every `POST` that makes a resource shares.
pub fn create<C: Create>(
    op: &C,
    cx: &mut Cx,
    request: &Request<C::Body>,
) -> ApiResult<Made<C::View>> {
    cx.caller.authorize(C::PERMISSION)?;
    op.admit(cx)?;
    let (caller, clock) = (cx.caller, cx.clock);
    let (created, fresh) = idempotent::create_once(
        cx.conn,
        caller,
        clock,
        request,
        C::KIND,
        |conn, body| op.check(&mut Cx::new(conn, caller, clock), body),
        |tx, checked| op.insert(tx, caller, checked),
    )?;
    // Read back through the caller's scope: a replay for someone since moved to another
    // territory does not hand them what they can no longer see.
    let mut made = op.view(cx, created.id, fresh.as_ref())?;
    made.created = created;
    Ok(made)
}

/// A request made in code (the seed, the command line, tests): no `Idempotency-Key`.
pub fn request<T>(body: T) -> Request<T> {
    Request {
        key: None,
        hash: String::new(),
        body,
    }
}
