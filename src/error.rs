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
    #[error("rate limited")]
    RateLimited,
    #[error("service unavailable")]
    Unavailable,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            // The database is away: a 503 the visitor can retry, not a 500.
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
                tracing::warn!(error = %e, "database unavailable");
                AppError::Unavailable
            }
            other => AppError::Internal(other.into()),
        }
    }
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
            AppError::RateLimited => error_page(StatusCode::TOO_MANY_REQUESTS, None),
            AppError::Unavailable => {
                let mut r = error_page(StatusCode::SERVICE_UNAVAILABLE, None);
                r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
                r
            }
            AppError::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                error_page(StatusCode::INTERNAL_SERVER_ERROR, None)
            }
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
