//! Baqylau: citizens' appeals under party control, mobile receptions, road maps and
//! deputies of a regional party branch.

// Diesel rows are tuples of columns; naming each one as a type alias would add noise
// without adding meaning.
#![allow(clippy::type_complexity)]

/// API keys for integrations (rows, queries, operations).
pub mod api_keys;
/// Appeals under party control (rows, queries, operations; handlers for now).
pub mod appeals;
/// The tamper-evident audit trail.
pub mod audit;
/// Who is calling: JWT and API-key authentication, permissions, territorial scope.
pub mod auth;
/// Command-line subcommands of the `baqylau` binary.
pub mod cli;
/// Typed configuration from flags and environment.
pub mod config;
/// Storage on SQLite and PostgreSQL through one diesel code path.
pub mod db;
/// Deputies: the registry, assignments to territories, coverage.
pub mod deputies;
/// Pure domain types and rules: Iin, Phone, the working-day calendar.
pub mod domain;
/// THE error type, rendered as RFC 9457 problem+json.
pub mod error;
/// Request plumbing: body errors, If-Match, Idempotency-Key, pagination.
pub mod extract;
/// Serving HTTP: the server's assembly, assets, security headers, the OpenAPI document.
pub mod http;
/// The capability kit: paging, cursors, the clock, the write path.
pub mod kit;
/// Open311 GeoReport v2 over appeals: services, requests, public reads.
pub mod open311;
/// Deputies' ratings, monthly snapshots, recall risk, citizens' feedback links.
pub mod ratings;
/// Mobile public receptions: plans, visits, appeals taken on site, reports.
pub mod receptions;
/// Reference data: territories, categories, the calendar — embedded and stored.
pub mod reference;
/// The party's cadre reserve.
pub mod reserve;
/// Road maps and indicators: the election programme, measured.
pub mod roadmaps;
/// HTTP handlers per capability.
pub mod routes;
/// Realistic demo data for Zhambyl and Turkistan regions.
pub mod seed;
/// The application state handlers reach.
pub mod state;
/// Statistics across capabilities (the dashboard overview).
pub mod stats;
/// Logs and metrics.
pub mod telemetry;
/// Territories (KATO): rows, lists (by code and in sync mode), admin changes.
pub mod territories;
/// Users: staff, deputies and viewers (rows, queries, operations).
pub mod users;
/// Webhooks: subscriptions, signed deliveries from the outbox, the delivery worker.
pub mod webhooks;
