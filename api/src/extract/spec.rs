//! What the extractors are in the spec: the parameters a handler lists with
//! `params(Target)`, `params(IfMatch)`, `params(IdempotencyKey)` or `params(Lang)`, and
//! [`Lang`] read from `Accept-Language`.

use actix_web::HttpRequest;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{KnownFormat, ObjectBuilder, Required, SchemaFormat, Type};

use super::Target;
use crate::kit::export::Lang;

/// The language a file is asked for in (`Accept-Language`).
impl actix_web::FromRequest for Lang {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Lang, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(Ok(Lang::of(req)))
    }
}

/// `Accept-Language` in the spec, for a handler that takes a [`Lang`].
impl utoipa::IntoParams for Lang {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![ParameterBuilder::new()
            .name("Accept-Language")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some("kk, ru or en: the language of the file's header row"))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .build()]
    }
}

/// In the spec, a handler that takes a [`Target`] lists it in `params(Target)`: the
/// path's `id` and `If-Match`; `crate::http::openapi::complete` then adds the 428 and
/// 412 answers every conditional change can give.
impl utoipa::IntoParams for Target {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            ParameterBuilder::new()
                .name("id")
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(Some("The object's id"))
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64))),
                ))
                .build(),
            IfMatch::parameter(),
        ]
    }
}

/// `If-Match` in the spec, for a conditional change that names its object otherwise
/// (`params(("id" = ..), IfMatch)`).
pub struct IfMatch;

impl IfMatch {
    pub const HEADER: &'static str = "If-Match";

    fn parameter() -> Parameter {
        ParameterBuilder::new()
            .name(Self::HEADER)
            .parameter_in(ParameterIn::Header)
            .required(Required::True)
            .description(Some(
                "The ETag (version) the change is based on, e.g. \"3\"",
            ))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .build()
    }
}

impl utoipa::IntoParams for IfMatch {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![IfMatch::parameter()]
    }
}

/// `Idempotency-Key` in the spec, for a creation that honours it
/// (`params(IdempotencyKey)`); `crate::http::openapi::complete` adds its 409.
pub struct IdempotencyKey;

impl IdempotencyKey {
    pub const HEADER: &'static str = "Idempotency-Key";
}

impl utoipa::IntoParams for IdempotencyKey {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![ParameterBuilder::new()
            .name(Self::HEADER)
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some("Any string up to 200 characters; makes retries safe"))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .build()]
    }
}
