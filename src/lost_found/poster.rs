//! A collection point's A4 poster for its wall: where it is, when it is open, and "lost
//! something? report it" with a QR code to the lost-report form. Public, like the points
//! on the lost-and-found page; a closed point has none.

use askama::Template;
use axum::{extract::State, response::Html};

use super::{
    queries::{self, PublicPoint},
    PointPath,
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    web::{render, Layout, Path},
};

#[derive(Template)]
#[template(path = "lost_found/poster.html")]
struct PosterPage {
    layout: Layout,
    point: PublicPoint,
    /// The lost-report form, where the QR code leads.
    page_url: String,
}

pub async fn point_poster(
    State(state): State<AppState>,
    layout: Layout,
    Path(PointPath { point_id }): Path<PointPath>,
) -> AppResult<Html<String>> {
    let point = queries::fetch_open_point(&state.db, point_id).await?.ok_or(AppError::NotFound)?;
    let page_url = layout.url("/lost-found/lost/new");
    Ok(Html(render(PosterPage { layout, point, page_url })?))
}
