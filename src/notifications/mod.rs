//! In-portal notifications: the bell's unread count (read with the session, see
//! `web::context`), `/me/notifications`, and `notify` for every area. A
//! notification is a catalogue key and a parameter, shown in the reader's language.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, Response},
    routing::{get, post},
    Router,
};

pub mod queries;
pub use queries::{notify, NotificationRow};

use crate::{
    app::AppState,
    error::AppResult,
    web::{context::redirect_with_flash, limits::Write, render, CurrentUser, Layout},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/notifications", get(list_notifications))
        .route("/me/notifications/read", post(mark_all_read))
        .route("/me/notifications/email", post(set_email_notifications))
}

#[derive(Template)]
#[template(path = "notifications/list.html")]
struct NotificationsPage {
    layout: Layout,
    notifications: Vec<NotificationRow>,
    email_on: bool,
    /// The weekly digest's setting (saved by `digest`).
    digest_on: bool,
}

async fn list_notifications(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
) -> AppResult<Html<String>> {
    // One connection for both statements: each trip through the pool costs a round trip more.
    let mut db = state.db.acquire().await?;
    let notifications = queries::list_recent(&mut *db, user.user_id).await?;
    let queries::MailSettings { email_on, digest_on } = queries::fetch_mail_settings(&mut *db, user.user_id).await?;
    Ok(Html(render(NotificationsPage { layout, notifications, email_on, digest_on })?))
}

async fn mark_all_read(State(state): State<AppState>, CurrentUser(user): CurrentUser) -> AppResult<Response> {
    state.limits.write(Write::NotificationSettings, user.user_id).await?;
    queries::mark_all_read(&state.db, user.user_id).await?;
    Ok(redirect_with_flash("/me/notifications", "flash.notifications_read", None))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct EmailForm {
    /// A checkbox: present when ticked.
    email: Option<String>,
}

async fn set_email_notifications(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    axum::Form(form): axum::Form<EmailForm>,
) -> AppResult<Response> {
    state.limits.write(Write::NotificationSettings, user.user_id).await?;
    queries::set_email_on(&state.db, user.user_id, form.email.is_some()).await?;
    Ok(redirect_with_flash("/me/notifications", "flash.email_setting_saved", None))
}
