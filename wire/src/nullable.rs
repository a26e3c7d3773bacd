//! `Option<Option<T>>` for PATCH bodies: absent → `None`, `null` → `Some(None)`.

use serde::{Deserialize, Deserializer};

pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct Patch {
        #[serde(default, deserialize_with = "super::double_option")]
        x: Option<Option<i64>>,
    }

    #[test]
    fn absent_null_and_value_differ() {
        let p: Patch = serde_json::from_str("{}").unwrap();
        assert_eq!(p.x, None);
        let p: Patch = serde_json::from_str(r#"{"x": null}"#).unwrap();
        assert_eq!(p.x, Some(None));
        let p: Patch = serde_json::from_str(r#"{"x": 3}"#).unwrap();
        assert_eq!(p.x, Some(Some(3)));
    }
}
