//! Baqylau: citizens' appeals under party control, mobile receptions, road maps and
//! deputies of a regional party branch.

// Diesel rows are tuples of columns; naming each one as a type alias would add noise
// without adding meaning.
#![allow(clippy::type_complexity)]

/// API keys for integrations (rows, queries, operations).
pub mod api_keys;
/// Appeals under party control (rows, queries, operations; handlers for now).
pub mod appeals;
/// The dashboard's precompressed, revalidated assets.
pub mod assets;
/// The tamper-evident audit trail.
pub mod audit;
/// Who is calling: JWT and API-key authentication, permissions, territorial scope.
pub mod auth;
/// The working-day calendar as stored: a year's days off, deadlines' calendar.
pub mod calendar;
/// Appeal categories (reference data).
pub mod categories;
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
/// Idempotency-Key records for safe retries of creations.
pub mod idempotency;
/// The capability kit: paging, cursors, the clock, the write path.
pub mod kit;
/// Open311 GeoReport v2 over appeals: services, requests, public reads.
pub mod open311;
/// The OpenAPI root and route registration.
pub mod openapi;
/// Deputies' ratings, monthly snapshots, recall risk, citizens' feedback links.
pub mod ratings;
/// Mobile public receptions: plans, visits, appeals taken on site, reports.
pub mod receptions;
/// Loading the embedded reference data into the database.
pub mod refdata;
/// Embedded reference data parsed into seed structs.
pub mod reference;
/// The party's cadre reserve.
pub mod reserve;
/// Road maps and indicators: the election programme, measured.
pub mod roadmaps;
/// HTTP handlers per capability.
pub mod routes;
/// Content-Security-Policy and Permissions-Policy for the dashboard and the docs.
pub mod security_headers;
/// Realistic demo data for Zhambyl and Turkistan regions.
pub mod seed;
/// Application assembly: listener, middleware, routes.
pub mod startup;
/// The application state handlers reach.
pub mod state;
/// Statistics across capabilities (the dashboard overview).
pub mod stats;
/// Logging setup.
pub mod telemetry;
/// Territories (KATO): rows, lists (by code and in sync mode), admin changes.
pub mod territories;
/// Users: staff, deputies and viewers (rows, queries, operations).
pub mod users;
/// Field checks shared by every handler.
pub mod validate;
/// Webhooks: subscriptions, signed deliveries from the outbox, the delivery worker.
pub mod webhooks;
