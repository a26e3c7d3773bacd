//! Where the data lives: `DATABASE_URL` read once, checked before anything connects,
//! and shown only with its secrets hidden.

use std::path::PathBuf;

use diesel::ConnectionResult;

use super::{compat, DbConn, DbError, DEFAULT_SQLITE_PATH};

/// Where the data lives.
#[derive(Clone, PartialEq, Eq)]
pub enum DbTarget {
    Sqlite(PathBuf),
    Postgres(String),
}

/// Debug output is redacted: a URL may carry a password.
impl std::fmt::Debug for DbTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl DbTarget {
    /// Chooses the backend from the URL scheme; `None` means the embedded default.
    pub fn parse(url: Option<&str>) -> Result<DbTarget, DbError> {
        let Some(url) = url.map(str::trim).filter(|u| !u.is_empty()) else {
            return Ok(DbTarget::Sqlite(PathBuf::from(DEFAULT_SQLITE_PATH)));
        };
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // The URL goes to libpq as it is: `sslmode`, `sslrootcert` and every other
            // parameter mean what libpq's documentation says.
            check_ssl_mode(url)?;
            return Ok(DbTarget::Postgres(url.to_owned()));
        }
        if let Some(path) = url.strip_prefix("sqlite://") {
            return Ok(DbTarget::Sqlite(PathBuf::from(path)));
        }
        if let Some(path) = url.strip_prefix("sqlite:") {
            return Ok(DbTarget::Sqlite(PathBuf::from(path)));
        }
        if !url.contains("://") && url.ends_with(".db") {
            return Ok(DbTarget::Sqlite(PathBuf::from(url)));
        }
        Err(DbError::UnknownScheme(
            url.split("://").next().unwrap_or(url).to_owned(),
        ))
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            DbTarget::Sqlite(_) => "sqlite",
            DbTarget::Postgres(_) => "postgres",
        }
    }

    /// For logs: never the password, whether in the user part or in the query (libpq
    /// reads `?password=` too, and `sslpassword` unlocks a client key).
    pub fn redacted(&self) -> String {
        match self {
            DbTarget::Sqlite(path) => format!("sqlite://{}", path.display()),
            DbTarget::Postgres(url) => match url::Url::parse(url) {
                Ok(mut parsed) => {
                    if parsed.password().is_some() {
                        let _ = parsed.set_password(Some("***"));
                    }
                    if let Some(query) = parsed.query() {
                        let shown: Vec<String> = query
                            .split('&')
                            .map(|piece| match query_param(piece) {
                                Some((key, _)) if SECRET_PARAMS.contains(&key.as_str()) => {
                                    format!("{key}=***")
                                }
                                _ => piece.to_owned(),
                            })
                            .collect();
                        parsed.set_query(Some(&shown.join("&")));
                    }
                    parsed.to_string()
                }
                Err(_) => "postgres://<unparseable>".to_owned(),
            },
        }
    }

    pub(super) fn establish(&self) -> ConnectionResult<DbConn> {
        compat::establish(self)
    }
}

/// The `sslmode` values libpq knows. libpq refuses any other as well, but only when the
/// pool first connects, behind r2d2's retries and timeout; checked here, a typo is a
/// startup error that names the parameter.
const SSL_MODES: [&str; 6] = [
    "disable",
    "allow",
    "prefer",
    "require",
    "verify-ca",
    "verify-full",
];

/// Query parameters of a PostgreSQL URL whose values are secrets.
const SECRET_PARAMS: [&str; 2] = ["password", "sslpassword"];

/// One `key=value` piece of a URL's query, decoded.
fn query_param(piece: &str) -> Option<(String, String)> {
    url::form_urlencoded::parse(piece.as_bytes())
        .next()
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
}

fn check_ssl_mode(url: &str) -> Result<(), DbError> {
    let Some((_, query)) = url.split_once('?') else {
        return Ok(());
    };
    for (key, value) in query.split('&').filter_map(query_param) {
        if key == "sslmode" && !SSL_MODES.contains(&value.as_str()) {
            return Err(DbError::UnknownSslMode(value));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_follows_the_url_scheme() {
        assert_eq!(
            DbTarget::parse(None).unwrap(),
            DbTarget::Sqlite(PathBuf::from(DEFAULT_SQLITE_PATH))
        );
        assert_eq!(
            DbTarget::parse(Some("sqlite://data/x.db")).unwrap(),
            DbTarget::Sqlite(PathBuf::from("data/x.db"))
        );
        assert_eq!(
            DbTarget::parse(Some("sqlite:///tmp/x.db")).unwrap(),
            DbTarget::Sqlite(PathBuf::from("/tmp/x.db"))
        );
        assert_eq!(
            DbTarget::parse(Some("/var/lib/baqylau.db")).unwrap(),
            DbTarget::Sqlite(PathBuf::from("/var/lib/baqylau.db"))
        );
        assert!(matches!(
            DbTarget::parse(Some("postgres://u@h/db")).unwrap(),
            DbTarget::Postgres(_)
        ));
        assert!(matches!(
            DbTarget::parse(Some("mysql://u@h/db")),
            Err(DbError::UnknownScheme(s)) if s == "mysql"
        ));
        assert!(DbTarget::parse(Some("just-a-name")).is_err());
    }

    #[test]
    fn redaction_hides_the_password() {
        let t = DbTarget::parse(Some("postgres://app:s3cret@db:5432/baqylau")).unwrap();
        let shown = t.redacted();
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("db:5432/baqylau"));

        let t = DbTarget::parse(Some(
            "postgres://app@db/baqylau?password=s3cret&sslmode=verify-full&sslpassword=k3y&sslrootcert=/etc/baqylau/ca.pem",
        ))
        .unwrap();
        assert_eq!(
            t.redacted(),
            "postgres://app@db/baqylau?password=***&sslmode=verify-full&sslpassword=***&sslrootcert=/etc/baqylau/ca.pem"
        );
    }

    #[test]
    fn tls_parameters_reach_libpq_unchanged() {
        let url = "postgresql://app:p%40ss@db.example.kz:5432/baqylau?sslmode=verify-full&sslrootcert=/etc/baqylau/db%20ca.pem";
        assert_eq!(
            DbTarget::parse(Some(url)).unwrap(),
            DbTarget::Postgres(url.to_owned())
        );
        for mode in SSL_MODES {
            let url = format!("postgres://db/baqylau?sslmode={mode}");
            assert!(DbTarget::parse(Some(&url)).is_ok(), "{mode}");
        }
    }

    #[test]
    fn an_unknown_sslmode_is_refused() {
        let err = DbTarget::parse(Some("postgres://app:s3cret@db/baqylau?sslmode=verify_full"))
            .unwrap_err();
        assert!(matches!(&err, DbError::UnknownSslMode(m) if m == "verify_full"));
        let shown = err.to_string();
        assert!(shown.contains("sslmode \"verify_full\""), "{shown}");
        assert!(shown.contains("verify-full"), "{shown}");
        assert!(!shown.contains("s3cret"), "{shown}");
    }
}
