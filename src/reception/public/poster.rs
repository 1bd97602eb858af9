//! A session's A4 poster for notice boards: when and where, who will be there, the seats,
//! and a QR code to the session's page, where students sign up, ask and vote. Public, like
//! the session's page.

use askama::Template;
use axum::{extract::State, response::Html};

use super::by_code;
use crate::{
    app::AppState,
    error::AppResult,
    reception::{
        paths::SessionCodePath,
        queries::{self, Leader, Quota, Session},
    },
    web::{render, Layout, Path},
};

#[derive(Template)]
#[template(path = "reception/poster.html")]
struct PosterPage {
    layout: Layout,
    s: Session,
    leaders: Vec<Leader>,
    quotas: Vec<Quota>,
    /// The session's page, where the QR code leads.
    page_url: String,
}

pub async fn session_poster(
    State(state): State<AppState>,
    layout: Layout,
    Path(SessionCodePath { code }): Path<SessionCodePath>,
) -> AppResult<Html<String>> {
    let s = by_code(&state, &code).await?;
    let mut conn = state.db.acquire().await?;
    let leaders = queries::list_leaders(&mut *conn, s.session_id).await?;
    let quotas = queries::list_quotas(&mut *conn, s.session_id).await?;
    drop(conn);
    let page_url = layout.url(&format!("/reception/{}", s.code()));
    Ok(Html(render(PosterPage { layout, s, leaders, quotas, page_url })?))
}
