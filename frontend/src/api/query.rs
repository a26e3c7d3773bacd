//! Query strings for `GET` collections.
//!
//! Encoded with `form_urlencoded` rather than the browser's `URLSearchParams`, so that
//! the encoding is unit-tested natively: search terms are Kazakh and Russian Cyrillic.

/// `path?name=value&...`, every value form-encoded as UTF-8.
pub struct Query {
    path: String,
    params: form_urlencoded::Serializer<'static, String>,
    count: usize,
}

impl Query {
    pub fn new(path: &str) -> Query {
        Query {
            path: path.to_owned(),
            params: form_urlencoded::Serializer::new(String::new()),
            count: 0,
        }
    }

    /// Adds `name=value`.
    pub fn param(mut self, name: &str, value: &str) -> Query {
        self.params.append_pair(name, value);
        self.count += 1;
        self
    }

    /// Adds `name=value` when there is a value; an empty string counts as none, as an
    /// empty filter box means "no filter".
    pub fn opt(self, name: &str, value: Option<&str>) -> Query {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => self.param(name, v),
            None => self,
        }
    }

    pub fn build(mut self) -> String {
        if self.count == 0 {
            self.path
        } else {
            format!("{}?{}", self.path, self.params.finish())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_params_no_question_mark() {
        assert_eq!(Query::new("/api/v1/appeals").build(), "/api/v1/appeals");
    }

    #[test]
    fn cyrillic_and_reserved_characters_are_encoded() {
        let url = Query::new("/api/v1/appeals")
            .param("q", "су")
            .param("status", "registered,under_control")
            .param("cursor", "a+b/c=")
            .build();
        assert_eq!(
            url,
            "/api/v1/appeals?q=%D1%81%D1%83&status=registered%2Cunder_control&cursor=a%2Bb%2Fc%3D"
        );
    }

    #[test]
    fn empty_optional_values_are_left_out() {
        let url = Query::new("/x")
            .opt("q", Some("  "))
            .opt("category", None)
            .opt("status", Some("resolved"))
            .build();
        assert_eq!(url, "/x?status=resolved");
    }
}
