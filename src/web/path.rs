//! The portal's path extractor. A path that does not parse (a letter where an id
//! goes, a number too big) names nothing, so the answer is the friendly 404 page,
//! never axum's plain-text 400. Handlers take a small struct per route shape
//! (`PlanActionPath { action_id }`), so ids are typed where they enter;
//! a `{dept}` segment is read by the department middleware and left out of the struct.
//!
//! axum's own `Path` is banned by `clippy.toml` (`disallowed-types`); this module
//! is the one place that wraps it.

use axum::{extract::FromRequestParts, http::request::Parts};
use serde::de::DeserializeOwned;

use crate::error::AppError;

pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        #[allow(clippy::disallowed_types)]
        let parsed = axum::extract::Path::<T>::from_request_parts(parts, state).await;
        match parsed {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(_) => Err(AppError::NotFound),
        }
    }
}
