//! What people type, as the API takes it: a blank field is absent, and a list typed into
//! a text area is one item per line.

/// The text without surrounding blanks; `None` when nothing is left.
pub fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// Each line that is not blank, trimmed.
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_are_left_out() {
        assert_eq!(optional("  "), None);
        assert_eq!(optional(" Жол жабық ").as_deref(), Some("Жол жабық"));
        assert_eq!(
            lines("Ауыз су\n\n  Жол жөндеу \n"),
            ["Ауыз су", "Жол жөндеу"]
        );
    }
}
