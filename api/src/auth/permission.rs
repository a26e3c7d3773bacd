//! What each operation needs, for people (by role) and for keys (by scope).

use baqylau_wire::auth::{Role, Scope};

/// What an operation needs. One table decides for people (by role) and for keys (by
/// scope); the OpenAPI security requirements of each operation mirror it, and the access
/// matrix test checks the two agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Anything a signed-in person or any valid key may do (`GET /me`).
    SignedIn,
    /// Territories, categories, the calendar: every signed-in caller.
    ReferenceRead,
    ReferenceWrite,
    AppealsRead,
    AppealsWrite,
    /// Removing an appeal registered by mistake (a soft delete, kept for sync).
    AppealsDelete,
    /// Mobile receptions and their reports.
    ReceptionsRead,
    /// Planning, holding and reporting receptions, taking appeals on site.
    ReceptionsWrite,
    /// Road maps, their sections, indicators, progress and summaries.
    RoadmapsRead,
    /// Keeping road maps and reporting indicator progress.
    RoadmapsWrite,
    /// Reporting progress on an indicator: the office, and a deputy on the indicators
    /// they answer for (DOMAIN.md: deputies report progress on their indicators).
    ProgressReport,
    UsersManage,
    KeysManage,
    /// Registering webhooks and reading their deliveries (admin; never a key: a key
    /// could otherwise point Baqylau's requests anywhere).
    WebhooksManage,
    AuditRead,
    /// The deputies registry, assignments, coverage and ratings.
    DeputiesRead,
    /// Keeping the registry and the assignments.
    DeputiesWrite,
    /// Rewriting a month's stored ratings (explicit and audited).
    RatingsRecompute,
    /// Creating a citizen's one-time feedback link for a resolved appeal (people only).
    FeedbackSend,
    /// The cadre reserve: private persons, so office staff only and no keys.
    ReserveManage,
    /// `GET /metrics`: per-route and per-status counters are no one's business but the
    /// operators' (admins, and a scraper's key with `metrics:read`).
    MetricsRead,
}

/// How API keys relate to a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRule {
    /// Keys may never do this (managing people and keys, reading the audit trail).
    Never,
    /// Any valid key.
    Any,
    /// Keys carrying this scope.
    Scope(Scope),
}

impl Permission {
    pub const ALL: [Permission; 21] = [
        Permission::SignedIn,
        Permission::ReferenceRead,
        Permission::ReferenceWrite,
        Permission::AppealsRead,
        Permission::AppealsWrite,
        Permission::AppealsDelete,
        Permission::ReceptionsRead,
        Permission::ReceptionsWrite,
        Permission::RoadmapsRead,
        Permission::RoadmapsWrite,
        Permission::ProgressReport,
        Permission::UsersManage,
        Permission::KeysManage,
        Permission::WebhooksManage,
        Permission::AuditRead,
        Permission::DeputiesRead,
        Permission::DeputiesWrite,
        Permission::RatingsRecompute,
        Permission::FeedbackSend,
        Permission::ReserveManage,
        Permission::MetricsRead,
    ];

    /// The name an operation carries in its OpenAPI extension `x-permission`; the
    /// operation's `security` requirements are generated from it (`openapi::complete`).
    pub fn name(self) -> &'static str {
        match self {
            Permission::SignedIn => "signed_in",
            Permission::ReferenceRead => "reference.read",
            Permission::ReferenceWrite => "reference.write",
            Permission::AppealsRead => "appeals.read",
            Permission::AppealsWrite => "appeals.write",
            Permission::AppealsDelete => "appeals.delete",
            Permission::ReceptionsRead => "receptions.read",
            Permission::ReceptionsWrite => "receptions.write",
            Permission::RoadmapsRead => "roadmaps.read",
            Permission::RoadmapsWrite => "roadmaps.write",
            Permission::ProgressReport => "roadmaps.report",
            Permission::UsersManage => "users.manage",
            Permission::KeysManage => "keys.manage",
            Permission::WebhooksManage => "webhooks.manage",
            Permission::AuditRead => "audit.read",
            Permission::DeputiesRead => "deputies.read",
            Permission::DeputiesWrite => "deputies.write",
            Permission::RatingsRecompute => "ratings.recompute",
            Permission::FeedbackSend => "feedback.send",
            Permission::ReserveManage => "reserve.manage",
            Permission::MetricsRead => "metrics.read",
        }
    }

    pub fn from_name(name: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.name() == name)
    }

    pub fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            Permission::SignedIn
            | Permission::ReferenceRead
            | Permission::AppealsRead
            | Permission::ReceptionsRead
            | Permission::RoadmapsRead
            | Permission::DeputiesRead => &[Admin, RegionalStaff, DistrictStaff, Deputy, Viewer],
            Permission::AppealsWrite | Permission::ReceptionsWrite | Permission::ProgressReport => {
                &[Admin, RegionalStaff, DistrictStaff, Deputy]
            }
            // Deputies report progress through the office that keeps the road map.
            Permission::RoadmapsWrite
            | Permission::DeputiesWrite
            | Permission::FeedbackSend
            | Permission::ReserveManage => &[Admin, RegionalStaff, DistrictStaff],
            // A month's published ratings change only at the regional level.
            Permission::RatingsRecompute => &[Admin, RegionalStaff],
            Permission::ReferenceWrite
            | Permission::AppealsDelete
            | Permission::UsersManage
            | Permission::KeysManage
            | Permission::WebhooksManage
            | Permission::AuditRead
            | Permission::MetricsRead => &[Admin],
        }
    }

    pub fn key_rule(self) -> KeyRule {
        match self {
            Permission::SignedIn | Permission::ReferenceRead => KeyRule::Any,
            Permission::AppealsRead => KeyRule::Scope(Scope::AppealsRead),
            Permission::AppealsWrite => KeyRule::Scope(Scope::AppealsWrite),
            Permission::ReceptionsRead => KeyRule::Scope(Scope::ReceptionsRead),
            Permission::ReceptionsWrite => KeyRule::Scope(Scope::ReceptionsWrite),
            Permission::RoadmapsRead => KeyRule::Scope(Scope::RoadmapsRead),
            Permission::RoadmapsWrite | Permission::ProgressReport => {
                KeyRule::Scope(Scope::RoadmapsWrite)
            }
            Permission::DeputiesRead => KeyRule::Scope(Scope::DeputiesRead),
            Permission::DeputiesWrite => KeyRule::Scope(Scope::DeputiesWrite),
            Permission::MetricsRead => KeyRule::Scope(Scope::MetricsRead),
            Permission::ReferenceWrite
            | Permission::AppealsDelete
            | Permission::UsersManage
            | Permission::KeysManage
            | Permission::AuditRead
            | Permission::RatingsRecompute
            | Permission::ReserveManage
            | Permission::WebhooksManage => KeyRule::Never,
            // A person at the office hands the link to the citizen (SMS or phone) and
            // is recorded with it; a key could mint and answer links without end and
            // steer a deputy's rating (issue #18).
            Permission::FeedbackSend => KeyRule::Never,
        }
    }
}
