//! RFC 9457 problem details, as every Baqylau error is reported.

pub use baqylau_wire::problem::Problem;
use serde::de::DeserializeOwned;

use crate::i18n::Lang;

/// Why a call did not produce the value asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The server said no and explained why.
    Problem(Box<Problem>),
    /// An error status without a problem body, e.g. a proxy's own error page.
    Status(u16),
    /// No answer at all: offline, server down, request aborted.
    Network(String),
    /// A success whose body this dashboard cannot read: a server/dashboard version skew.
    Decode(String),
}

impl ApiError {
    /// Classifies an error response from its status, `Content-Type` and body.
    pub fn from_response(status: u16, content_type: &str, body: &str) -> ApiError {
        let media_type = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let json_like =
            media_type == "application/problem+json" || media_type == "application/json";
        if json_like {
            if let Ok(mut problem) = serde_json::from_str::<Problem>(body) {
                if !problem.title.is_empty() || !problem.detail.is_empty() {
                    if problem.status == 0 {
                        problem.status = status;
                    }
                    return ApiError::Problem(Box::new(problem));
                }
            }
        }
        ApiError::Status(status)
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Problem(p) => Some(p.status),
            ApiError::Status(s) => Some(*s),
            ApiError::Network(_) | ApiError::Decode(_) => None,
        }
    }

    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    /// The problem document, when the server sent one.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            ApiError::Problem(p) => Some(p),
            _ => None,
        }
    }

    /// Every error about `field` (`citizen.iin`, `resolution`, ...) in `lang`: its code
    /// translated, or the server's message for a code this dashboard does not know.
    pub fn field_messages(&self, field: &str, lang: Lang) -> Vec<String> {
        self.problem()
            .map(|p| {
                p.errors
                    .iter()
                    .filter(|e| e.field == field)
                    .map(|e| match crate::i18n::problems::field(lang, &e.code) {
                        Some(own) => own.to_owned(),
                        None if e.message.is_empty() => e.code.clone(),
                        None => e.message.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The same error without the field errors a form already shows next to its fields,
    /// so that only the rest is repeated in the error box.
    pub fn without_fields(&self, shown: &[&str]) -> ApiError {
        match self {
            ApiError::Problem(p) => {
                let mut p = p.clone();
                p.errors.retain(|e| !shown.contains(&e.field.as_str()));
                ApiError::Problem(p)
            }
            other => other.clone(),
        }
    }

    /// What to tell the person: the server's own `detail` where there is one (the server
    /// writes it for people), else a generic line in the interface language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ApiError::Problem(p) => {
                // Translated by code; the server's English only for codes not known here.
                let own = |code: &str| {
                    crate::i18n::problems::problem(lang, code)
                        .or_else(|| crate::i18n::problems::field(lang, code))
                };
                let mut text = match own(&p.code) {
                    Some(own) => own.to_owned(),
                    None if p.detail.is_empty() => p.title.clone(),
                    None => p.detail.clone(),
                };
                for e in &p.errors {
                    let line = match crate::i18n::problems::field(lang, &e.code)
                        .or_else(|| crate::i18n::problems::problem(lang, &e.code))
                    {
                        Some(own) => own,
                        None if e.message.is_empty() => &e.code,
                        None => &e.message,
                    };
                    text.push_str(&format!("\n{}: {line}", field_label(lang, &e.field)));
                }
                text
            }
            ApiError::Status(status) => {
                format!("{} (HTTP {status})", lang.common().unexpected_error)
            }
            ApiError::Network(_) => lang.common().network_error.to_owned(),
            ApiError::Decode(_) => lang.common().unexpected_error.to_owned(),
        }
    }
}

/// A field's name as the person knows it: the last part of the server's path
/// (`appeals[0].citizen.phone` is the phone), else the path itself.
fn field_label(lang: Lang, path: &str) -> String {
    let last = path.rsplit('.').next().unwrap_or(path);
    let last = last.split('[').next().unwrap_or(last);
    let (a, d) = (lang.appeals(), lang.dashboard());
    let label = match last {
        "phone" => d.phone,
        "iin" => a.iin,
        "full_name" => a.full_name,
        "address" => a.address,
        "email" => lang.auth().email,
        "subject" => a.subject,
        "description" => a.description,
        "category" => a.category,
        "channel" => a.channel,
        "territory_id" => lang.territories().territory,
        "planned_start" => lang.receptions().starts,
        "planned_end" => lang.receptions().ends,
        "settlement_ids" => lang.receptions().places,
        "residents_heard" => d.residents_heard,
        "summary" => lang.receptions().summary,
        "date" => d.progress_date,
        _ => return path.to_owned(),
    };
    label.to_owned()
}

/// Reads a success body; an empty one is JSON `null`.
pub(super) fn decode_success<R: DeserializeOwned>(text: &str) -> Result<R, ApiError> {
    let text = if text.trim().is_empty() { "null" } else { text };
    serde_json::from_str(text).map_err(|e| ApiError::Decode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_error_names_the_field_as_people_know_it() {
        let body = r#"{"type":"about:blank","title":"Unprocessable","status":422,"detail":"",
            "code":"validation_failed","errors":[
              {"field":"appeals[0].citizen.phone","code":"phone_format","message":"not a phone"},
              {"field":"widget_ratio","code":"range","message":"out of range"}]}"#;
        let err = ApiError::from_response(422, "application/problem+json", body);
        let text = err.message(Lang::Kk);
        assert!(text.contains("\nТелефон: Телефон нөмірі қате"), "{text}");
        // A field this dashboard has no label for keeps the server's name.
        assert!(
            text.contains("\nwidget_ratio: Рұқсат етілген шектен тыс"),
            "{text}"
        );
    }

    #[test]
    fn a_problem_is_read_with_its_detail() {
        let body = r#"{"type":"about:blank","title":"Unauthorized","status":401,
            "detail":"Wrong email or password","code":"unauthorized"}"#;
        let err = ApiError::from_response(401, "application/problem+json", body);
        assert!(err.is_unauthorized());
        // Translated by its code; the English detail only for a code not known here.
        assert_eq!(err.message(Lang::Ru), "Требуется вход или данные неверны.");
        let newer = body.replace("\"unauthorized\"", "\"added_later\"");
        let newer = ApiError::from_response(401, "application/problem+json", &newer);
        assert_eq!(newer.message(Lang::Kk), "Wrong email or password");
        let ApiError::Problem(p) = err else {
            panic!("not a problem: {err:?}")
        };
        assert_eq!(p.code, "unauthorized");
    }

    #[test]
    fn field_errors_are_listed() {
        let body = r#"{"title":"Validation failed","status":422,"code":"validation_failed",
            "errors":[{"field":"email","code":"length","message":"must not be empty"}]}"#;
        let err = ApiError::from_response(422, "application/problem+json; charset=utf-8", body);
        assert_eq!(
            err.message(Lang::En),
            "Please correct the marked fields.\nEmail: Wrong length"
        );
    }

    #[test]
    fn field_errors_can_be_shown_next_to_their_fields() {
        let body = r#"{"title":"Unprocessable Entity","status":422,"detail":"2 fields failed validation",
            "code":"validation_failed","errors":[
              {"field":"citizen.iin","code":"iin_checksum","message":"IIN check digit does not match"},
              {"field":"received_at","code":"in_future","message":"cannot be in the future"}]}"#;
        let err = ApiError::from_response(422, "application/problem+json", body);
        assert_eq!(
            err.field_messages("citizen.iin", Lang::En),
            ["The IIN check digit does not match"]
        );
        assert!(err.field_messages("subject", Lang::En).is_empty());
        assert_eq!(
            err.field_messages("received_at", Lang::Kk),
            ["Болашақ уақыт болмауы керек"]
        );
        assert_eq!(
            err.without_fields(&["citizen.iin"]).message(Lang::En),
            "Please correct the marked fields.\nreceived_at: Cannot be in the future"
        );
    }

    #[test]
    fn an_invalid_transition_lists_the_allowed_targets() {
        let body = r#"{"title":"Conflict","status":409,"code":"invalid_transition",
            "detail":"cannot move from registered to resolved","allowed":["under_control","forwarded"]}"#;
        let err = ApiError::from_response(409, "application/problem+json", body);
        assert_eq!(
            err.problem().and_then(|p| p.allowed.clone()),
            Some(vec!["under_control".to_owned(), "forwarded".to_owned()])
        );
        let body = r#"{"title":"Conflict","status":409,"code":"conflict","allowed":null}"#;
        let err = ApiError::from_response(409, "application/problem+json", body);
        assert_eq!(err.problem().map(|p| p.allowed.is_none()), Some(true));
    }

    #[test]
    fn a_missing_status_member_takes_the_http_status() {
        let err = ApiError::from_response(409, "application/json", r#"{"title":"Conflict"}"#);
        assert_eq!(err.status(), Some(409));
    }

    #[test]
    fn a_non_problem_error_keeps_only_its_status() {
        let err = ApiError::from_response(502, "text/html", "<h1>Bad Gateway</h1>");
        assert_eq!(err, ApiError::Status(502));
        let err = ApiError::from_response(503, "application/json", r#"{"status":"unavailable"}"#);
        assert_eq!(err, ApiError::Status(503));
        assert!(err.message(Lang::Ru).contains("503"));
    }

    #[test]
    fn success_bodies() {
        let unit: () = decode_success("").unwrap();
        assert_eq!(unit, ());
        let n: i32 = decode_success("42").unwrap();
        assert_eq!(n, 42);
        assert!(matches!(
            decode_success::<i32>("{"),
            Err(ApiError::Decode(_))
        ));
    }
}
