//! Who made a change, as the history, the audit trail and idempotency records name it:
//! built from a `Caller` at the edge of an operation, or as the system for the command
//! line and workers. It lives in the kit because the write path needs it and must not
//! depend on authentication.

use baqylau_wire::auth::ActorKind;

/// Who made a change.
#[derive(Debug, Clone)]
pub struct Actor {
    /// An [`ActorKind`] spelling; text because the kit's history writer binds it as is.
    pub kind: &'static str,
    pub id: Option<i64>,
    pub label: String,
    pub request_id: Option<String>,
}

impl Actor {
    /// Changes made by the command line (seeding, bootstrap).
    pub fn system(label: &str) -> Actor {
        Actor {
            kind: ActorKind::System.as_str(),
            id: None,
            label: label.to_owned(),
            request_id: None,
        }
    }
}
