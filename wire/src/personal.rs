//! Personal data as a type (DECISIONS.md 10). A [`Personal`] value holds what the server
//! stored and serialises **masked** unless it was explicitly shown in full with a
//! [`Disclosure::Full`]. A new endpoint that builds a response from stored data and never
//! thinks about personal data therefore masks it: forgetting cannot leak.
//!
//! There is deliberately no accessor for the stored value: the server already has it in
//! its rows, and everything that renders a `Personal` (JSON, CSV and XLSX cells, the
//! dashboard) goes through [`Personal::shown`], the same text the caller is allowed to see.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Whether a response may carry personal data in full. Built by the server from who the
/// caller is and which record it is (`appeals::model::disclosure`); `Masked` is the
/// default so that a value nobody decided about stays masked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Disclosure {
    #[default]
    Masked,
    Full,
}

impl Disclosure {
    pub fn full_if(allowed: bool) -> Disclosure {
        if allowed {
            Disclosure::Full
        } else {
            Disclosure::Masked
        }
    }

    pub fn is_full(self) -> bool {
        self == Disclosure::Full
    }
}

/// How one kind of personal data hides itself.
pub trait Mask {
    /// The masked form of a stored value. Must not fail: values stored before a rule
    /// existed are masked completely rather than shown.
    fn mask(stored: &str) -> String;
}

/// ИИН/ЖСН: the first 4 and the last 2 digits kept (`8507******22`), enough for an
/// operator to tell two applicants apart without the birth day or serial number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IinMask {}

impl Mask for IinMask {
    fn mask(stored: &str) -> String {
        if stored.len() == 12 && stored.bytes().all(|b| b.is_ascii_digit()) {
            format!("{}******{}", &stored[..4], &stored[10..])
        } else {
            "************".to_owned()
        }
    }
}

/// A Kazakhstan phone number stored as E.164 (`+77012345678`): the operator prefix and
/// the last two digits kept, `+7 701 *** ** 78`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneMask {}

impl Mask for PhoneMask {
    fn mask(stored: &str) -> String {
        let national = stored.strip_prefix("+7").unwrap_or("");
        if national.len() == 10 && national.bytes().all(|b| b.is_ascii_digit()) {
            format!("+7 {} *** ** {}", &national[..3], &national[8..])
        } else {
            "+7 *** *** ** **".to_owned()
        }
    }
}

/// An e-mail address: the first letter and the domain kept, `a***@mail.kz`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailMask {}

impl Mask for EmailMask {
    fn mask(stored: &str) -> String {
        match stored.split_once('@') {
            Some((local, domain)) => {
                let first: String = local.chars().take(1).collect();
                format!("{first}***@{domain}")
            }
            None => "***".to_owned(),
        }
    }
}

/// A personal value that masks itself when serialised, unless shown in full.
pub struct Personal<M: Mask> {
    value: String,
    disclosure: Disclosure,
    kind: PhantomData<M>,
}

/// A stored IIN in a response.
pub type PersonalIin = Personal<IinMask>;
/// A stored phone number in a response.
pub type PersonalPhone = Personal<PhoneMask>;
/// A stored e-mail address in a response.
pub type PersonalEmail = Personal<EmailMask>;

impl<M: Mask> Personal<M> {
    /// A stored value, masked until [`Personal::disclosed`] says otherwise.
    pub fn new(stored: impl Into<String>) -> Personal<M> {
        Personal {
            value: stored.into(),
            disclosure: Disclosure::Masked,
            kind: PhantomData,
        }
    }

    /// The same value under the given disclosure.
    pub fn disclosed(mut self, disclosure: Disclosure) -> Personal<M> {
        self.disclosure = disclosure;
        self
    }

    /// What the caller sees: the stored value only under [`Disclosure::Full`].
    pub fn shown(&self) -> Cow<'_, str> {
        match self.disclosure {
            Disclosure::Full => Cow::Borrowed(&self.value),
            Disclosure::Masked => Cow::Owned(M::mask(&self.value)),
        }
    }
}

impl<M: Mask> Clone for Personal<M> {
    fn clone(&self) -> Self {
        Personal {
            value: self.value.clone(),
            disclosure: self.disclosure,
            kind: PhantomData,
        }
    }
}

/// Two values are equal when they show the same text.
impl<M: Mask> PartialEq for Personal<M> {
    fn eq(&self, other: &Self) -> bool {
        self.shown() == other.shown()
    }
}

/// Debug output never holds the stored value, so a log line cannot leak it either.
impl<M: Mask> fmt::Debug for Personal<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Personal")
            .field(&M::mask(&self.value))
            .finish()
    }
}

impl<M: Mask> Serialize for Personal<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.shown())
    }
}

/// A client reads exactly the text the server chose to show it; that text is what it
/// shows in turn, so the deserialised value is already disclosed.
impl<'de, M: Mask> Deserialize<'de> for Personal<M> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Ok(Personal::new(value).disclosed(Disclosure::Full))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_unless_disclosed() {
        let iin = PersonalIin::new("850713300122");
        assert_eq!(serde_json::to_string(&iin).unwrap(), r#""8507******22""#);
        let full = iin.clone().disclosed(Disclosure::Full);
        assert_eq!(serde_json::to_string(&full).unwrap(), r#""850713300122""#);
        let masked_again = full.disclosed(Disclosure::Masked);
        assert_eq!(masked_again.shown(), "8507******22");
    }

    #[test]
    fn each_kind_masks_its_own_way_and_never_fails() {
        assert_eq!(
            PersonalPhone::new("+77012345678").shown(),
            "+7 701 *** ** 78"
        );
        assert_eq!(PersonalPhone::new("garbage").shown(), "+7 *** *** ** **");
        assert_eq!(PersonalEmail::new("aigul@mail.kz").shown(), "a***@mail.kz");
        assert_eq!(PersonalEmail::new("no-at-sign").shown(), "***");
        assert_eq!(PersonalIin::new("12345").shown(), "************");
    }

    #[test]
    fn debug_never_prints_the_stored_value() {
        let phone = PersonalPhone::new("+77012345678").disclosed(Disclosure::Full);
        assert!(!format!("{phone:?}").contains("2345678"));
    }

    #[test]
    fn a_client_keeps_what_it_received() {
        let received: PersonalIin = serde_json::from_str(r#""8507******22""#).unwrap();
        assert_eq!(received.shown(), "8507******22");
        assert_eq!(
            serde_json::to_string(&received).unwrap(),
            r#""8507******22""#
        );
    }
}
