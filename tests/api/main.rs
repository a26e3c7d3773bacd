//! Black-box tests of the Baqylau server: one binary, each test on SQLite and on
//! PostgreSQL with a database of its own.

mod fixtures;
mod helpers;

mod access_matrix;
mod appeals;
mod audit_reveals;
mod auth;
mod backlog_metrics;
mod backup;
mod cli;
mod cluster;
mod cors;
mod deputies;
mod dialogue;
mod enum_columns;
mod escalation;
mod exports;
mod feedback;
mod idempotent_creates;
mod import_limits;
mod input;
mod lists;
mod logs;
mod meta;
mod open311;
mod openapi;
mod postgres_tls;
mod rating_snapshots;
mod receptions;
mod roadmaps;
mod rules;
mod schema;
mod seed_scale;
mod sessions;
mod stats;
mod users_keys_audit;
mod webhooks;
mod webhooks_drain;
mod webhooks_guard;
mod webhooks_payloads;
mod webhooks_tls;
mod write_scope;
