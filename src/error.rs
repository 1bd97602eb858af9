//! One error type for the whole portal and its mapping to HTTP.
//! Handlers return `AppResult<T>`; the page for an error is rendered by
//! `web::error_pages`, which knows the visitor's language. Internal detail is
//! logged once here and never reaches the visitor.

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not logged in; carries the path to come back to after login.
    #[error("login required")]
    Unauthenticated(String),
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// Someone else changed the object first; the message key says what happened.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// A write limit was reached (`web::limits`); the seconds until the next press is allowed.
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    #[error("service unavailable")]
    Unavailable,
    /// Input the database refused as data (SQLSTATE class 22: a NUL byte in text, a number
    /// or date out of range) that no form check caught: the request is at fault, not the portal.
    #[error("bad request")]
    BadRequest,
    #[error(transparent)]
    Internal(anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::from(anyhow::Error::from(e))
    }
}

impl From<anyhow::Error> for AppError {
    /// A database error may travel inside anyhow (helpers shared with the command line):
    /// the database being away is still a 503, a value it refused as data still a 400.
    fn from(e: anyhow::Error) -> Self {
        let database_errors = || e.chain().filter_map(|c| c.downcast_ref::<sqlx::Error>());
        let refused_as_data = database_errors().find(|d| data_exception(d)).and_then(sqlstate);
        if database_errors().any(database_away) {
            tracing::warn!(error = %e, "database unavailable");
            AppError::Unavailable
        } else if let Some(code) = refused_as_data {
            // The database's message may quote the input: log the code only.
            tracing::warn!(code, "the database refused a value as data");
            AppError::BadRequest
        } else {
            AppError::Internal(e)
        }
    }
}

/// Is this the database being away — down, restarting, unreachable, out of
/// connections, or a connection it dropped — rather than a fault of this request?
pub fn database_away(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| sqlstate_away(&code)),
        _ => false,
    }
}

/// SQLSTATE class 22 (data exception): invalid byte sequences such as NUL in text
/// (22021), values out of range (22003, 22008), invalid dates (22007)…
pub fn data_exception(e: &sqlx::Error) -> bool {
    sqlstate(e).is_some_and(|code| code.starts_with("22"))
}

fn sqlstate(e: &sqlx::Error) -> Option<String> {
    match e {
        sqlx::Error::Database(db) => db.code().map(|c| c.into_owned()),
        _ => None,
    }
}

/// SQLSTATE class 08 (connection exception), 57P01–57P03 (the server is shutting
/// down, crashed, or cannot take connections yet) and 53300 (too many connections).
fn sqlstate_away(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "53300")
}

/// Marker on a response that `web::error_pages` renders as a friendly page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorPage {
    pub status: StatusCode,
    /// Catalogue key of an extra explanation (conflicts, rate limits).
    pub detail: Option<&'static str>,
}

pub fn error_page(status: StatusCode, detail: Option<&'static str>) -> Response {
    let mut response = status.into_response();
    response.extensions_mut().insert(ErrorPage { status, detail });
    response
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::Unauthenticated(next) => {
                let target = format!("/login?next={}", crate::web::forms::url_encode(&next));
                Redirect::to(&target).into_response()
            }
            AppError::Forbidden => error_page(StatusCode::FORBIDDEN, None),
            AppError::NotFound => error_page(StatusCode::NOT_FOUND, None),
            AppError::Conflict(detail) => error_page(StatusCode::CONFLICT, Some(detail)),
            AppError::RateLimited { retry_after_secs } => {
                tracing::warn!(retry_after = retry_after_secs, "rate limited");
                let mut r = error_page(StatusCode::TOO_MANY_REQUESTS, None);
                r.headers_mut().insert(header::RETRY_AFTER, retry_after_secs.into());
                r
            }
            AppError::BadRequest => error_page(StatusCode::BAD_REQUEST, None),
            AppError::Unavailable => {
                let mut r = error_page(StatusCode::SERVICE_UNAVAILABLE, None);
                r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
                r
            }
            // Built directly (`map_err(AppError::Internal)`), it may still hold the database's absence.
            AppError::Internal(e) => match AppError::from(e) {
                AppError::Internal(e) => {
                    tracing::error!(error = ?e, "internal error");
                    error_page(StatusCode::INTERNAL_SERVER_ERROR, None)
                }
                other => other.into_response(),
            },
        }
    }
}

/// Turn a named constraint violation into something the caller can show beside a field.
pub trait ResultExt<T> {
    fn on_constraint(self, name: &str, f: impl FnOnce() -> AppError) -> Result<T, AppError>;
}

impl<T, E: Into<AppError>> ResultExt<T> for Result<T, E> {
    fn on_constraint(self, name: &str, f: impl FnOnce() -> AppError) -> Result<T, AppError> {
        self.map_err(|e| match e.into() {
            AppError::Internal(inner) => match inner.downcast_ref::<sqlx::Error>() {
                Some(sqlx::Error::Database(db)) if db.constraint() == Some(name) => f(),
                _ => AppError::Internal(inner),
            },
            other => other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn io(kind: std::io::ErrorKind) -> sqlx::Error {
        sqlx::Error::Io(std::io::Error::from(kind))
    }

    #[test]
    fn the_database_being_away_is_a_503_however_the_error_travels() {
        for e in [
            io(std::io::ErrorKind::ConnectionRefused),
            io(std::io::ErrorKind::UnexpectedEof),
            sqlx::Error::Protocol("unexpected end of stream".into()),
            sqlx::Error::PoolTimedOut,
            sqlx::Error::PoolClosed,
            sqlx::Error::WorkerCrashed,
        ] {
            assert!(matches!(AppError::from(e), AppError::Unavailable));
        }
        let wrapped = anyhow::Error::from(sqlx::Error::PoolTimedOut).context("granting a role");
        assert!(matches!(AppError::from(wrapped), AppError::Unavailable), "inside anyhow, with context");
        let direct = AppError::Internal(anyhow::Error::from(io(std::io::ErrorKind::BrokenPipe)));
        assert_eq!(direct.into_response().status(), StatusCode::SERVICE_UNAVAILABLE);
    }

    #[test]
    fn other_errors_stay_internal() {
        assert!(matches!(AppError::from(sqlx::Error::RowNotFound), AppError::Internal(_)));
        assert!(matches!(AppError::from(anyhow::anyhow!("unknown status")), AppError::Internal(_)));
        let r = AppError::Internal(sqlx::Error::ColumnNotFound("x".into()).into()).into_response();
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    /// A database error with only a SQLSTATE, as PostgreSQL would send it.
    #[derive(Debug)]
    struct Refused(&'static str);

    impl std::fmt::Display for Refused {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "refused with {}", self.0)
        }
    }

    impl std::error::Error for Refused {}

    impl sqlx::error::DatabaseError for Refused {
        fn message(&self) -> &str {
            "invalid byte sequence for encoding \"UTF8\": 0x00"
        }
        fn code(&self) -> Option<std::borrow::Cow<'_, str>> {
            Some(self.0.into())
        }
        fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
            self
        }
        fn kind(&self) -> sqlx::error::ErrorKind {
            sqlx::error::ErrorKind::Other
        }
    }

    fn refused(code: &'static str) -> sqlx::Error {
        sqlx::Error::Database(Box::new(Refused(code)))
    }

    #[test]
    fn a_value_the_database_refuses_as_data_is_a_400_however_the_error_travels() {
        for code in ["22021", "22003", "22007", "22008", "22P02"] {
            assert!(matches!(AppError::from(refused(code)), AppError::BadRequest), "{code}");
            let wrapped = anyhow::Error::from(refused(code)).context("saving");
            assert!(matches!(AppError::from(wrapped), AppError::BadRequest), "{code} inside anyhow");
        }
        let direct = AppError::Internal(refused("22021").into()).into_response();
        assert_eq!(direct.status(), StatusCode::BAD_REQUEST);
        assert_eq!(direct.extensions().get::<ErrorPage>().map(|p| p.status), Some(StatusCode::BAD_REQUEST));
        for code in ["23505", "42P01", "40001"] {
            assert!(matches!(AppError::from(refused(code)), AppError::Internal(_)), "{code} stays internal");
        }
    }

    #[test]
    fn connection_exceptions_and_shutdowns_are_the_database_away() {
        for code in ["08000", "08003", "08006", "08P01", "57P01", "57P02", "57P03", "53300"] {
            assert!(sqlstate_away(code), "{code}");
        }
        for code in ["23505", "40001", "40P01", "57014", "42P01"] {
            assert!(!sqlstate_away(code), "{code}");
        }
    }
}
