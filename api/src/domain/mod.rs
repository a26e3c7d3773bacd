//! Newtypes and rules with no I/O: the working-day calendar, IIN, phone numbers, the
//! appeal lifecycle, the span of dates clients may name, where webhooks may send.
//!
//! A rule that queries must also apply in SQL (a filter, a count) has its SQL form right
//! beside it, `<rule>_sql`: a boolean expression built with diesel's query builder that
//! runs on both backends, never NULL (so `not(..)` is its exact complement), and is
//! checked against the Rust form on the same rows by `tests/api/rules.rs`.

/// The traits of a personal-data newtype parsed from text (`parse`, `as_str`, `masked`,
/// and an error with a stable `code`), written once for `Iin` and `Phone`:
/// * `Debug` prints the masked form, so logging one never leaks it (there is no
///   `Display`); serde and `FromStr` go through the parser;
/// * `ToSql`/`FromSql` for a `Text` column on the MultiConnection backend: stored as its
///   canonical text and read back through its parser, so rows and inserts hold the type
///   itself, never a bare string. A stored value the parser refuses fails the row (a
///   logged 500) rather than entering the program unchecked; the message never carries
///   the value.
macro_rules! text_type {
    ($(#[$attr:meta])* pub struct $ty:ident(String): $err:ident;) => {
        $(#[$attr])*
        #[derive(
            Clone,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            diesel::expression::AsExpression,
            diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub struct $ty(String);

        impl std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(stringify!($ty))
                    .field(&self.masked())
                    .finish()
            }
        }

        impl std::str::FromStr for $ty {
            type Err = $err;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<&str> for $ty {
            type Error = $err;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                Self::parse(s)
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serializer::serialize_str(serializer, self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(deserializer)?;
                Self::parse(&s).map_err(|e| serde::de::Error::custom(format!("{}: {e}", e.code())))
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::Text, crate::db::MultiBackend> for $ty {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, crate::db::MultiBackend>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<
                    diesel::sql_types::Text,
                    crate::db::MultiBackend,
                >>::to_sql(self.as_str(), out)
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Text, crate::db::MultiBackend>
            for $ty
        {
            fn from_sql(
                bytes: <crate::db::MultiBackend as diesel::backend::Backend>::RawValue<'_>,
            ) -> diesel::deserialize::Result<Self> {
                let raw = <String as diesel::deserialize::FromSql<
                    diesel::sql_types::Text,
                    crate::db::MultiBackend,
                >>::from_sql(bytes)?;
                $ty::parse(&raw).map_err(|e| {
                    tracing::error!(
                        code = e.code(),
                        concat!("a stored ", stringify!($ty), " does not parse")
                    );
                    format!(concat!("stored ", stringify!($ty), ": {}"), e).into()
                })
            }
        }
    };
}

pub mod appeal;
pub mod calendar;
pub mod dates;
pub mod destination;
pub mod iin;
pub mod indicator;
pub mod phone;
pub mod reception;

diesel::define_sql_function! {
    /// `COALESCE(x, y)`: `x` unless it is NULL. Keeps a rule's SQL form from being NULL,
    /// where SQL's three-valued logic would make `NOT` drop a row instead of keeping it.
    fn coalesce<T: diesel::sql_types::SingleValue>(x: diesel::sql_types::Nullable<T>, y: T) -> T;
}

/// The SQL form of a rule: a boolean over any query source its columns appear in (the
/// table alone, or joined).
pub type Predicate<QS> = Box<
    dyn diesel::BoxableExpression<QS, crate::db::MultiBackend, SqlType = diesel::sql_types::Bool>,
>;

/// The spellings of a text enum's values for which `rule` holds: the SQL form of a rule
/// that depends on the status alone is `status IN (these)`, so it cannot drift from the
/// Rust form.
pub fn spellings<E: Copy>(
    all: impl IntoIterator<Item = E>,
    rule: impl Fn(E) -> bool,
    spell: fn(E) -> &'static str,
) -> Vec<&'static str> {
    all.into_iter().filter(|e| rule(*e)).map(spell).collect()
}
