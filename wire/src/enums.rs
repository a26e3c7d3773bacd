//! `text_enum!`: a closed set of values that travels as text.
//!
//! Statuses, channels, roles, levels and kinds are text on the wire and in the database
//! (DECISIONS.md 9: text with a CHECK constraint). Each is declared once, with its
//! variants and their spellings, and gets everything else from the macro: serde as those
//! spellings, an OpenAPI `enum` (behind the `openapi` feature), `ALL` in declaration
//! order, `NAMES`, `as_str`, `parse`, `Display` and `FromStr`. No hand-written match
//! can then forget a variant or misspell one.

/// Declares a text enum:
///
/// ```ignore
/// text_enum! {
///     /// Where an appeal stands.
///     pub enum Status {
///         /// Just received.
///         Registered = "registered",
///         UnderControl = "under_control",
///     }
/// }
/// ```
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        // Spellings are `tt`, not `literal`: a `literal` fragment reaches derive macros
        // wrapped in an invisible group, and utoipa then ignores the `rename`.
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:tt ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        // The first spelling is the spec's example, so every enum schema carries one.
        #[cfg_attr(feature = "openapi", schema(example = $name::openapi_example))]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];

            /// Every spelling, in declaration order (what a CHECK constraint lists).
            pub const NAMES: [&'static str; [$($text),+].len()] = [$($text),+];

            /// The spelling on the wire and in the database.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The inverse of [`as_str`](Self::as_str); `None` for anything else
            /// (spellings are exact: no case folding, no trimming).
            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The first spelling, as the OpenAPI example.
            #[cfg(feature = "openapi")]
            fn openapi_example() -> &'static str {
                Self::NAMES[0]
            }

            /// The accepted spellings, comma-separated, for error messages.
            pub fn choices() -> String {
                Self::NAMES.join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// The spelling, for APIs that take `impl Into<String>`.
        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.as_str().to_owned()
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::enums::UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::parse(s).ok_or_else(|| $crate::enums::UnknownValue {
                    value: s.to_owned(),
                    expected: Self::NAMES.as_slice(),
                })
            }
        }
    };
}

pub(crate) use text_enum;

/// A text that is none of an enum's spellings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    pub value: String,
    pub expected: &'static [&'static str],
}

impl std::fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown value {:?}; expected one of {}",
            self.value,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for UnknownValue {}

#[cfg(test)]
mod tests {
    text_enum! {
        /// A test enum.
        pub enum Sample {
            /// The first.
            One = "one",
            TwoWords = "two_words",
            WithColon = "a:b",
        }
    }

    #[test]
    fn every_value_round_trips_through_text_and_serde() {
        assert_eq!(Sample::ALL.len(), 3);
        assert_eq!(Sample::NAMES, ["one", "two_words", "a:b"]);
        for (value, name) in Sample::ALL.into_iter().zip(Sample::NAMES) {
            assert_eq!(value.as_str(), name);
            assert_eq!(Sample::parse(name), Some(value));
            assert_eq!(name.parse::<Sample>(), Ok(value));
            assert_eq!(value.to_string(), name);
            let json = serde_json::to_string(&value).unwrap();
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<Sample>(&json).unwrap(), value);
        }
    }

    #[test]
    fn other_spellings_are_rejected() {
        for bad in ["One", " one", "two-words", "", "a_b"] {
            assert_eq!(Sample::parse(bad), None, "{bad:?}");
            assert!(serde_json::from_str::<Sample>(&format!("\"{bad}\"")).is_err());
        }
        let err = "x".parse::<Sample>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown value \"x\"; expected one of one, two_words, a:b"
        );
        assert_eq!(Sample::choices(), "one, two_words, a:b");
    }
}
