//! (being built)

use axum::Router;

use crate::app::AppState;

pub fn routes(_state: &AppState) -> Router<AppState> {
    Router::new()
}
