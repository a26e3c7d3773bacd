//! A Kazakhstan phone number, kept in E.164 form (`+7XXXXXXXXXX`).
//!
//! Kazakhstan shares country code +7 with Russia. Within +7, the 10-digit national
//! significant number of a Kazakhstan line starts with **7** (mobile 70x/747/76x/77x/785 and
//! the landline area codes 7xxx, e.g. Taraz 7262, Turkistan 72533) or **6** (the block of the
//! former Soviet numbering plan reserved for Kazakhstan); Russian numbers start with 3, 4, 8
//! or 9. That first digit is therefore the whole country test (`shared/data/iin.md`, phone
//! section, from libphonenumber's KZ metadata). We deliberately do not check operator
//! prefixes: they change, and a wrong rejection at a reception desk costs more than an
//! unusual but real number.

use baqylau_wire::personal::{Mask, PhoneMask};

text_type! {
    /// A phone number of Kazakhstan as `+7` and 10 digits.
    ///
    /// Personal data: `Debug` prints the [`masked`](Self::masked) form and there is no
    /// `Display`; use [`as_str`](Self::as_str) or [`formatted`](Self::formatted) deliberately.
    /// Serialization writes the full E.164 string (DECISIONS.md §10: the response type decides
    /// whether a caller sees it).
    pub struct Phone(String): PhoneError;
}

/// Why a string is not a Kazakhstan phone number. [`code`](Self::code) is stable; `Display`
/// is the English message, which never echoes the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("phone number must be 10 digits after +7 or 8, e.g. +7 701 234 56 78")]
    Format,
    #[error("not a Kazakhstan phone number (expected +7 6xx or +7 7xx)")]
    Country,
}

impl PhoneError {
    /// Stable machine code: `phone_format` or `phone_country`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Format => "phone_format",
            Self::Country => "phone_country",
        }
    }
}

impl Phone {
    /// Parses the ways Kazakhstan numbers are written: `+7 701 234 56 78`, `+77012345678`,
    /// `8 (701) 234-56-78`, `87012345678`, `7 701 234 56 78`, `77012345678` and the bare
    /// 10-digit national number `7012345678`.
    ///
    /// Spaces, dashes, parentheses and dots are ignored; `+` is allowed only first; anything
    /// else (letters, extensions) is [`PhoneError::Format`]. With `+`, the country code must be
    /// 7 ([`PhoneError::Country`] otherwise). Without `+`, 11 digits must start with the
    /// trunk prefix 8 or the country code 7; other 11-digit strings are `Format` because we
    /// cannot tell what was meant. Finally the national number must start with 6 or 7
    /// (`Country` otherwise; see the module documentation).
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let s = input.trim();
        let (international, rest) = match s.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let mut digits = String::with_capacity(11);
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '\u{a0}' | '\t' | '-' | '(' | ')' | '.' => {}
                _ => return Err(PhoneError::Format),
            }
        }
        let national = if international {
            if digits.is_empty() {
                return Err(PhoneError::Format);
            }
            if !digits.starts_with('7') {
                return Err(PhoneError::Country);
            }
            if digits.len() != 11 {
                return Err(PhoneError::Format);
            }
            &digits[1..]
        } else {
            match digits.len() {
                11 if digits.starts_with('8') || digits.starts_with('7') => &digits[1..],
                10 => &digits[..],
                _ => return Err(PhoneError::Format),
            }
        };
        if !(national.starts_with('7') || national.starts_with('6')) {
            return Err(PhoneError::Country);
        }
        Ok(Self(format!("+7{national}")))
    }

    /// E.164: `+77012345678`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For people: `+7 701 234 56 78`.
    pub fn formatted(&self) -> String {
        let n = &self.0[2..];
        format!("+7 {} {} {} {}", &n[..3], &n[3..6], &n[6..8], &n[8..])
    }

    /// Operator prefix and the last two digits kept: `+7 701 *** ** 78`.
    pub fn masked(&self) -> String {
        PhoneMask::mask(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_usual_spellings() {
        for s in [
            "+7 701 234 56 78",
            "+77012345678",
            "87012345678",
            "8 (701) 234-56-78",
            "8-701-234-56-78",
            "8.701.234.56.78",
            "7012345678",
            "77012345678",
            "7 701 234 56 78",
            "+7 (701) 234-56-78",
            "  +7\u{a0}701\u{a0}234\u{a0}56\u{a0}78 ",
        ] {
            let phone = Phone::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
            assert_eq!(phone.as_str(), "+77012345678", "{s:?}");
        }
    }

    #[test]
    fn accepts_landlines_and_the_6xx_block() {
        assert_eq!(
            Phone::parse("8 (7262) 43-21-09").unwrap().as_str(),
            "+77262432109"
        );
        assert_eq!(
            Phone::parse("8 72533 5 12 34").unwrap().as_str(),
            "+77253351234"
        );
        assert_eq!(
            Phone::parse("+7 600 123 45 67").unwrap().as_str(),
            "+76001234567"
        );
    }

    #[test]
    fn rejects_malformed_input() {
        for s in [
            "",
            "+",
            "+7",
            "701234567",       // 9 digits
            "870123456789",    // 12 digits
            "+770123456789",   // 12 digits after +
            "+7701234567",     // 10 digits after +
            "8701234567a",     // letter
            "+7 701 CALL NOW", // letters
            "97012345678",     // 11 digits, neither 8 nor 7 first
            "8 701 234 56 78 ext 5",
            "+7 701 234 56 78+", // + not first
            "7+7012345678",
            "８７０１２３４５６７８", // full-width digits
        ] {
            assert_eq!(Phone::parse(s), Err(PhoneError::Format), "{s:?}");
        }
    }

    #[test]
    fn rejects_numbers_outside_kazakhstan() {
        for s in [
            "+7 916 123 45 67",  // Russia, mobile
            "8 (495) 123-45-67", // Moscow
            "+7 812 123 45 67",  // St Petersburg
            "9161234567",        // bare Russian national number
            "+996 555 123 456",  // Kyrgyzstan
            "+998 90 123 45 67", // Uzbekistan
            "+1 202 555 0100",
        ] {
            assert_eq!(Phone::parse(s), Err(PhoneError::Country), "{s:?}");
        }
    }

    #[test]
    fn error_codes_are_stable() {
        assert_eq!(PhoneError::Format.code(), "phone_format");
        assert_eq!(PhoneError::Country.code(), "phone_country");
    }

    #[test]
    fn formatting_and_masking() {
        let phone = Phone::parse("87012345678").unwrap();
        assert_eq!(phone.formatted(), "+7 701 234 56 78");
        assert_eq!(phone.masked(), "+7 701 *** ** 78");
        assert_eq!(format!("{phone:?}"), "Phone(\"+7 701 *** ** 78\")");
    }

    #[test]
    fn serde_round_trip_validates() {
        let phone = Phone::parse("+7 777 000 11 22").unwrap();
        let json = serde_json::to_string(&phone).unwrap();
        assert_eq!(json, "\"+77770001122\"");
        assert_eq!(serde_json::from_str::<Phone>(&json).unwrap(), phone);
        assert_eq!(
            serde_json::from_str::<Phone>("\"8 (701) 234-56-78\"")
                .unwrap()
                .as_str(),
            "+77012345678"
        );
        let err = serde_json::from_str::<Phone>("\"+7 916 123 45 67\"").unwrap_err();
        assert!(err.to_string().contains("phone_country"), "{err}");
    }
}
