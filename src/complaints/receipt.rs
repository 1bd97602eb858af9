//! A complaint's receipt (回执): the tracking number, when it was filed, what about, and a
//! QR code to the complaint's page, for the student to save or print. Whoever may see the
//! complaint may see its receipt (`handlers::visible`, 404 for anyone else); an anonymous
//! complaint's receipt names nobody, not even to its reporter, since paper travels.

use askama::Template;
use axum::{extract::State, response::Html};

use super::{handlers::visible, queries::ComplaintRow, ComplaintPath};
use crate::{
    app::AppState,
    error::AppResult,
    web::{render, Layout, MaybeUser, Path},
};

#[derive(Template)]
#[template(path = "complaints/receipt.html")]
struct ReceiptPage {
    layout: Layout,
    c: ComplaintRow,
    /// The complaint's page, where the QR code leads.
    page_url: String,
}

pub async fn show_receipt(
    State(state): State<AppState>,
    layout: Layout,
    MaybeUser(viewer): MaybeUser,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
) -> AppResult<Html<String>> {
    let c = visible(&state, &tracking_no, viewer.as_deref()).await?;
    let page_url = layout.url(&format!("/complaints/{}", c.tracking_no));
    Ok(Html(render(ReceiptPage { layout, c, page_url })?))
}
