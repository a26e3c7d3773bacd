//! Field checks shared by every handler. Each records a [`FieldError`] and carries on,
//! so that one response lists every bad field.

use crate::domain::iin::Iin;
use crate::domain::phone::Phone;
use crate::error::{ApiError, ApiResult, FieldError};

/// Every problem found, sorted by field, as one 422: a client fixes them all at once,
/// in the order a form shows them.
pub fn refusal(mut errors: Vec<FieldError>) -> ApiError {
    errors.sort_by(|a, b| a.field.cmp(&b.field));
    ApiError::Validation(errors)
}

/// Ends a check: [`refusal`] when anything was found.
pub fn finish(errors: &mut Vec<FieldError>) -> ApiResult<()> {
    match errors.is_empty() {
        true => Ok(()),
        false => Err(refusal(std::mem::take(errors))),
    }
}

/// Required text: trimmed, 1 to `max` characters (characters, not bytes: Kazakh letters
/// are two bytes each).
pub fn required_text(field: &str, value: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let value = value.trim();
    match value.chars().count() {
        0 => errors.push(FieldError::new(field, "required", "is required")),
        n if n > max => errors.push(too_long(field, max)),
        _ => {}
    }
    value.to_owned()
}

/// Optional text: blank reads as absent; otherwise at most `max` characters.
pub fn optional_text(
    field: &str,
    value: Option<&str>,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    if value.chars().count() > max {
        errors.push(too_long(field, max));
    }
    Some(value.to_owned())
}

/// An email address (RFC 5321 length limit).
pub fn email(field: &str, value: &str, errors: &mut Vec<FieldError>) {
    if value.len() > 320 || !validator::ValidateEmail::validate_email(&value) {
        errors.push(FieldError::new(field, "email", "must be an email address"));
    }
}

/// A Kazakhstan phone number (blank reads as absent), stored in its canonical form.
pub fn phone(field: &str, value: Option<&str>, errors: &mut Vec<FieldError>) -> Option<Phone> {
    let raw = value.map(str::trim).filter(|v| !v.is_empty())?;
    match Phone::parse(raw) {
        Ok(p) => Some(p),
        Err(e) => {
            errors.push(FieldError::new(field, e.code(), e.to_string()));
            None
        }
    }
}

/// An IIN (blank reads as absent): 12 digits with a valid checksum.
pub fn iin(field: &str, value: Option<&str>, errors: &mut Vec<FieldError>) -> Option<Iin> {
    let raw = value.map(str::trim).filter(|v| !v.is_empty())?;
    match Iin::parse(raw) {
        Ok(i) => Some(i),
        Err(e) => {
            errors.push(FieldError::new(field, e.code(), e.to_string()));
            None
        }
    }
}

fn too_long(field: &str, max: usize) -> FieldError {
    FieldError::new(
        field,
        "length",
        format!("must be at most {max} characters long"),
    )
}

/// A set of `text_enum!` values given as a JSON list (an API key's scopes, a webhook's
/// event types): at least one, each known — an unknown one is named by its index
/// (`scopes[2]`) — sorted and without repeats, so the stored text is canonical. `what`
/// names one value in the messages.
pub fn enum_set<E>(
    field: &str,
    values: &[String],
    what: &str,
    as_str: fn(E) -> &'static str,
    errors: &mut Vec<FieldError>,
) -> Vec<&'static str>
where
    E: std::str::FromStr<Err = baqylau_wire::UnknownValue>,
{
    if values.is_empty() {
        errors.push(FieldError::new(
            field,
            "required",
            format!("name at least one {what}"),
        ));
    }
    let mut known = Vec::new();
    for (i, value) in values.iter().enumerate() {
        match value.parse::<E>() {
            Ok(v) => known.push(as_str(v)),
            Err(unknown) => errors.push(FieldError::new(
                format!("{field}[{i}]"),
                "one_of",
                format!("unknown {what}; known: {}", unknown.expected.join(", ")),
            )),
        }
    }
    known.sort();
    known.dedup();
    known
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_rules() {
        let mut errors = Vec::new();
        assert_eq!(required_text("a", "  Су  ", 5, &mut errors), "Су");
        assert!(errors.is_empty());
        required_text("b", "   ", 5, &mut errors);
        required_text("c", "ұзынырақ", 5, &mut errors);
        assert_eq!(optional_text("d", Some("  "), 5, &mut errors), None);
        assert_eq!(
            optional_text("e", Some("қазақша"), 5, &mut errors).as_deref(),
            Some("қазақша")
        );
        email("f", "not-an-email", &mut errors);
        let codes: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("b", "required"),
                ("c", "length"),
                ("e", "length"),
                ("f", "email")
            ]
        );
    }
}
