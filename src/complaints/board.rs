//! The public board (`/complaints`): every public complaint, newest first, filtered or searched.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Html,
};

use super::{queries, status::ComplaintStatus};
use crate::{
    app::AppState,
    error::AppResult,
    web::{render, Layout},
};

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct BoardQuery {
    status: String,
    category: String,
    office: String,
    /// Search words.
    q: String,
    /// Keyset cursor: `<unix micros>_<complaint_id>` of the last row shown.
    before: String,
}

#[derive(Template)]
#[template(path = "complaints/board.html")]
struct BoardPage {
    layout: Layout,
    rows: Vec<queries::BoardRow>,
    categories: Vec<queries::Category>,
    offices: std::sync::Arc<Vec<queries::Office>>,
    q: BoardQuery,
    next: Option<String>,
}

const BOARD_PAGE: i64 = 30;

pub async fn list_complaints(
    State(state): State<AppState>,
    layout: Layout,
    Query(q): Query<BoardQuery>,
) -> AppResult<Html<String>> {
    let before = crate::web::forms::parse_time_cursor(&q.before);
    let categories = queries::categories(&state).await?;
    let slug = crate::web::forms::lookup_key(&q.category);
    // An unknown category shows nothing, as before (no complaint has id 0).
    let category_id =
        (!slug.is_empty()).then(|| categories.iter().find(|c| c.slug == slug).map_or(0, |c| c.category_id));
    let filter = queries::BoardFilter {
        status: ComplaintStatus::parse(&q.status).map(ComplaintStatus::as_str),
        category_id,
        office_id: q.office.parse().ok(),
        words: crate::search::query_tokens(&q.q),
        // Search results are ordered by rank: one page of the best, no cursor.
        before: before.filter(|_| q.q.trim().is_empty()),
        limit: BOARD_PAGE,
    };
    let searching = !filter.words.is_empty();
    let signed_in = layout.viewer.is_some();
    let rows = crate::db::replica::read_public(&state.db, state.replica.as_ref(), signed_in, |db| {
        let filter = &filter;
        async move { queries::list_public_board(&db, filter).await }
    })
    .await?;
    // Search results are one ranked page: no cursor.
    let next = crate::web::forms::next_cursor(&rows, BOARD_PAGE, |r| {
        crate::web::forms::time_cursor(r.created_at, r.complaint_id)
    })
    .filter(|_| !searching);
    let offices = queries::offices(&state).await?;
    Ok(Html(render(BoardPage { layout, rows, categories, offices, q, next })?))
}
