//! The weekly digest (周报): the setting on `/me/notifications`, the weekly job (`job`), the
//! mail's text (`compose`) and the one-click unsubscribe of RFC 8058 at
//! `/digest/unsubscribe?t=…`. That POST needs no session and no CSRF token (mail clients send
//! it from their servers): `web::csrf` exempts this one route, and the token, random and
//! kept only as a hash, is the proof. The digest goes only to the account's own address.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, IntoResponse, Response},
    routing::{get, post},
    Router,
};

pub mod compose;
pub mod job;
pub mod queries;

use crate::{
    app::AppState,
    error::{AppError, AppResult},
    web::{context::redirect_with_flash, limits::Write, render, session, CurrentUser, Layout},
};

/// The unsubscribe route, also named by `web::csrf`'s exemption.
pub const UNSUBSCRIBE_PATH: &str = "/digest/unsubscribe";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/digest/unsubscribe", get(confirm_unsubscribe).post(unsubscribe))
        .route("/me/notifications/digest", post(set_digest))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct TokenQuery {
    t: String,
}

#[derive(Template)]
#[template(path = "digest/unsubscribe.html")]
struct UnsubscribePage {
    layout: Layout,
    token: String,
    /// The confirmation form, or (empty) the page saying it is done.
    state: PageState,
}

enum PageState {
    Confirm,
    Done,
}

fn page(layout: Layout, token: String, state: PageState) -> AppResult<Response> {
    Ok(Html(render(UnsubscribePage { layout, token, state })?).into_response())
}

/// GET only asks: a link scanner that follows every URL of a mail switches nothing off.
/// An unknown or expired token is the ordinary 404 page, here and on the POST.
async fn confirm_unsubscribe(
    State(state): State<AppState>,
    layout: Layout,
    Query(q): Query<TokenQuery>,
) -> AppResult<Response> {
    if !queries::fetch_token_valid(&state.db, &session::hash_token(&q.t)).await? {
        return Err(AppError::NotFound);
    }
    page(layout, q.t, PageState::Confirm)
}

/// The one-click POST (body `List-Unsubscribe=One-Click`, from a mail client or the
/// confirmation page). Answered 200 rather than redirected: mail clients count only a 2xx
/// as done.
#[tracing::instrument(skip_all)]
async fn unsubscribe(
    State(state): State<AppState>,
    layout: Layout,
    Query(q): Query<TokenQuery>,
) -> AppResult<Response> {
    if !queries::update_digest_off_by_token(&state.db, &session::hash_token(&q.t)).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!("weekly digest switched off by its unsubscribe link");
    page(layout, String::new(), PageState::Done)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct DigestForm {
    /// A checkbox: present when ticked.
    digest: Option<String>,
}

async fn set_digest(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    axum::Form(form): axum::Form<DigestForm>,
) -> AppResult<Response> {
    state.limits.write(Write::NotificationSettings, user.user_id).await?;
    queries::update_digest_on(&state.db, user.user_id, form.digest.is_some()).await?;
    Ok(redirect_with_flash("/me/notifications", "flash.digest_setting_saved", None))
}
