//! Request and response bodies of the Baqylau HTTP API, shared by the server and the
//! dashboard so that the two cannot drift apart. Validation rules live on the types
//! (`validator`, behind the `validate` feature, which the API enables); OpenAPI schemas
//! are derived behind the `openapi` feature.

pub mod appeals;
pub mod auth;
pub mod common;
pub mod deputies;
pub mod dialogue;
mod enums;
pub mod meta;
pub mod nullable;
pub mod open311;
pub mod personal;
pub mod problem;
pub mod ratings;
pub mod receptions;
pub mod reference;
pub mod reserve;
pub mod roadmaps;
pub mod stats;
pub mod time;
pub mod webhooks;

pub use enums::UnknownValue;
