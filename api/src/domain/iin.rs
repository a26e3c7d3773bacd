//! The individual identification number (ИИН / ЖСН) of a Kazakh citizen or resident.
//!
//! Structure and check digit per `shared/data/iin.md` (Government decree P070000406_, as
//! implemented identically by three independent libraries):
//!
//! | digits | meaning |
//! |---|---|
//! | 1–6 | date of birth, YYMMDD |
//! | 7 | century and sex: 1/2 = 1800s, 3/4 = 1900s, 5/6 = 2000s; odd = male, even = female |
//! | 8–11 | serial number |
//! | 12 | check digit |
//!
//! A BIN (business identification number of a legal entity) has the same length and check
//! digit but digits 1–4 are YYMM of registration and the 5th is 4/5/6 (entity type). An IIN's
//! 5th digit is the tens of the birth day (0–3), so the 5th digit tells them apart. Appeals
//! are filed by individuals, so a BIN is rejected with its own error ([`IinError::Bin`]) to
//! tell the operator what went wrong rather than "bad birth date".

use baqylau_wire::personal::{IinMask, Mask};
use chrono::NaiveDate;

text_type! {
    /// A valid IIN: 12 ASCII digits, valid birth date and century digit, correct check digit.
    ///
    /// Personal data: `Debug` prints the [`masked`](Self::masked) form, and there is no `Display`,
    /// so that logging or formatting an `Iin` never leaks it by accident; use
    /// [`as_str`](Self::as_str) deliberately. Serialization writes the full number: whether a
    /// caller may see it is decided by the response type (DECISIONS.md §10).
    pub struct Iin(String): IinError;
}

/// Why a string is not an IIN. [`code`](Self::code) is stable (API clients match on it);
/// `Display` is the English message, which never echoes the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IinError {
    #[error("IIN must be exactly 12 digits")]
    Format,
    #[error("this is a BIN (an organisation's number), not an individual's IIN")]
    Bin,
    #[error("the 7th digit of an IIN must be 1–6 (century of birth and sex)")]
    Century,
    #[error("the first 6 digits of an IIN must be a valid date of birth (YYMMDD)")]
    BirthDate,
    #[error("IIN check digit does not match")]
    Checksum,
}

impl IinError {
    /// Stable machine code: `iin_format`, `iin_bin`, `iin_century`, `iin_birth_date`,
    /// `iin_checksum`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Format => "iin_format",
            Self::Bin => "iin_bin",
            Self::Century => "iin_century",
            Self::BirthDate => "iin_birth_date",
            Self::Checksum => "iin_checksum",
        }
    }
}

const WEIGHTS_1: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const WEIGHTS_2: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// The check digit of the first 11 digits, or `None` when both passes give 10 (such numbers
/// are never issued).
fn check_digit(digits: &[u32; 12]) -> Option<u32> {
    let weighted = |weights: &[u32; 11]| -> u32 {
        digits.iter().zip(weights).map(|(d, w)| d * w).sum::<u32>() % 11
    };
    match weighted(&WEIGHTS_1) {
        10 => match weighted(&WEIGHTS_2) {
            10 => None,
            s => Some(s),
        },
        s => Some(s),
    }
}

impl Iin {
    /// Parses an IIN, trimming surrounding whitespace.
    ///
    /// Checks run from the most to the least specific message: format, BIN, century digit,
    /// birth date, check digit. A mistyped month usually also breaks the check digit, and
    /// "month 13" helps the operator more than "check digit".
    ///
    /// The birth date is not compared with today, because parsing is pure (no clock); callers
    /// that care (a future date, a minimum age) compare [`birth_date`](Self::birth_date)
    /// with the clock themselves.
    pub fn parse(input: &str) -> Result<Self, IinError> {
        let s = input.trim();
        if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IinError::Format);
        }
        let mut digits = [0u32; 12];
        for (slot, b) in digits.iter_mut().zip(s.bytes()) {
            *slot = u32::from(b - b'0');
        }
        if matches!(digits[4], 4..=6) {
            return Err(IinError::Bin);
        }
        if birth_century(digits[6]).is_none() {
            return Err(IinError::Century);
        }
        if birth_date_of(&digits).is_none() {
            return Err(IinError::BirthDate);
        }
        if check_digit(&digits) != Some(digits[11]) {
            return Err(IinError::Checksum);
        }
        Ok(Self(s.to_owned()))
    }

    /// The 12 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// First 4 and last 2 digits kept: `8507******22`. Enough for an operator to tell two
    /// applicants apart without exposing the birth day or serial number.
    pub fn masked(&self) -> String {
        IinMask::mask(&self.0)
    }

    /// The date of birth encoded in digits 1–7.
    pub fn birth_date(&self) -> NaiveDate {
        let mut digits = [0u32; 12];
        for (slot, b) in digits.iter_mut().zip(self.0.bytes()) {
            *slot = u32::from(b - b'0');
        }
        // Checked in `parse`, the only constructor.
        birth_date_of(&digits).expect("an Iin always holds a valid birth date")
    }
}

/// 1800, 1900 or 2000 for century digits 1–6.
fn birth_century(digit: u32) -> Option<i32> {
    match digit {
        1 | 2 => Some(1800),
        3 | 4 => Some(1900),
        5 | 6 => Some(2000),
        _ => None,
    }
}

fn birth_date_of(digits: &[u32; 12]) -> Option<NaiveDate> {
    let century = birth_century(digits[6])?;
    let two = |i: usize| digits[i] * 10 + digits[i + 1];
    let year = century + i32::try_from(two(0)).ok()?;
    NaiveDate::from_ymd_opt(year, two(2), two(4))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn worked_example_1_first_pass() {
        // 8·1+5·2+0·3+7·4+1·5+5·6+3·7+0·8+0·9+1·10+2·11 = 134; 134 mod 11 = 2.
        let iin = Iin::parse("850715300122").unwrap();
        assert_eq!(iin.as_str(), "850715300122");
        assert_eq!(iin.birth_date(), ymd(1985, 7, 15));
    }

    #[test]
    fn worked_example_2_second_pass() {
        // Pass 1: 98 mod 11 = 10 → pass 2: 132 mod 11 = 0.
        let iin = Iin::parse("880412300200").unwrap();
        assert_eq!(iin.birth_date(), ymd(1988, 4, 12));
    }

    #[test]
    fn valid_samples() {
        for (s, born) in [
            ("850715300122", ymd(1985, 7, 15)),
            ("920302401256", ymd(1992, 3, 2)),
            ("031125500378", ymd(2003, 11, 25)),
            ("880412300200", ymd(1988, 4, 12)),
            // iin.md: rejected by the buggy py-kz-validators, needs the second pass.
            ("061211600012", ymd(2006, 12, 11)),
        ] {
            let iin = Iin::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(iin.birth_date(), born, "{s}");
        }
    }

    #[test]
    fn invalid_samples() {
        assert_eq!(Iin::parse("850715300123"), Err(IinError::Checksum));
        assert_eq!(Iin::parse("921302401256"), Err(IinError::BirthDate)); // month 13
        assert_eq!(Iin::parse("850715700122"), Err(IinError::Century)); // 7th digit 7
    }

    #[test]
    fn both_passes_giving_ten_is_never_valid() {
        for x in 0..=9 {
            let s = format!("90010140043{x}");
            assert_eq!(Iin::parse(&s), Err(IinError::Checksum), "{s}");
        }
    }

    #[test]
    fn bins_are_not_iins() {
        // iin.md BIN samples: valid check digits, 5th digit 4 (resident legal entity).
        assert_eq!(Iin::parse("100440001230"), Err(IinError::Bin));
        assert_eq!(Iin::parse("150540007778"), Err(IinError::Bin));
    }

    #[test]
    fn century_digits_0_and_7_to_9_are_rejected() {
        for c in ['0', '7', '8', '9'] {
            let s = format!("850715{c}00122");
            assert_eq!(Iin::parse(&s), Err(IinError::Century), "{s}");
        }
    }

    #[test]
    fn impossible_dates_are_rejected() {
        // 29 Feb 1985 does not exist; 29 Feb 2000 does (but its check digit may not match).
        assert_eq!(Iin::parse("850229300122"), Err(IinError::BirthDate));
        assert_eq!(Iin::parse("850700300122"), Err(IinError::BirthDate));
        assert_ne!(Iin::parse("000229500122"), Err(IinError::BirthDate));
    }

    #[test]
    fn format_errors() {
        for s in [
            "",
            "85071530012",
            "8507153001222",
            "85071530012a",
            "8507 15300122",
            "８５０７１５３００１２２",
        ] {
            assert_eq!(Iin::parse(s), Err(IinError::Format), "{s:?}");
        }
        assert!(
            Iin::parse("  850715300122\n").is_ok(),
            "surrounding whitespace is trimmed"
        );
    }

    #[test]
    fn error_codes_are_stable() {
        assert_eq!(IinError::Format.code(), "iin_format");
        assert_eq!(IinError::Checksum.code(), "iin_checksum");
        assert_eq!(IinError::BirthDate.code(), "iin_birth_date");
        assert_eq!(IinError::Century.code(), "iin_century");
        assert_eq!(IinError::Bin.code(), "iin_bin");
    }

    #[test]
    fn masking_keeps_four_and_two_digits() {
        let iin = Iin::parse("850715300122").unwrap();
        assert_eq!(iin.masked(), "8507******22");
        assert_eq!(format!("{iin:?}"), "Iin(\"8507******22\")");
    }

    #[test]
    fn serde_round_trip_validates() {
        let iin = Iin::parse("920302401256").unwrap();
        let json = serde_json::to_string(&iin).unwrap();
        assert_eq!(json, "\"920302401256\"");
        assert_eq!(serde_json::from_str::<Iin>(&json).unwrap(), iin);
        let err = serde_json::from_str::<Iin>("\"850715300123\"").unwrap_err();
        assert!(err.to_string().contains("iin_checksum"), "{err}");
        assert!(
            serde_json::from_str::<Iin>("850715300122").is_err(),
            "a number is not accepted"
        );
    }
}
