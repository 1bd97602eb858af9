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
use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

use crate::{
    app::AppState,
    error::AppResult,
    web::{context::redirect_with_flash, render, CurrentUser, Layout},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/notifications", get(list_notifications))
        .route("/me/notifications/read", post(mark_all_read))
        .route("/me/notifications/email", post(set_email_notifications))
}

/// Tell each user once (duplicates in `user_ids` are ignored), except `skip` (the one who acted):
/// in the portal, and by mail to those who have not switched mail off.
pub async fn notify(
    db: impl PgExecutor<'_>,
    user_ids: &[i64],
    skip: Option<i64>,
    message_key: &str,
    param: &str,
    link: &str,
) -> sqlx::Result<()> {
    if user_ids.is_empty() {
        return Ok(());
    }
    // Mail is in Chinese, the union's language; the portal shows each reader their own.
    let text = crate::web::Lang::Zh.t(message_key).replace("%{param}", param);
    sqlx::query!(
        "with targets as (select distinct u from unnest($1::bigint[]) as u where u is distinct from $5),
              inserted as (insert into notification (user_id, message_key, param, link)
                           select u, $2, $3, $4 from targets returning user_id)
         insert into mail_outbox (to_address, subject, body, link)
         select a.email, $6, $6, $4 from app_user a join inserted i on i.user_id = a.user_id
         where a.email_notifications and a.email <> '' and a.disabled_at is null",
        user_ids,
        message_key,
        param,
        link,
        skip,
        text
    )
    .execute(db)
    .await?;
    Ok(())
}

pub struct NotificationRow {
    pub message_key: String,
    pub param: String,
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub unread: bool,
}

#[derive(Template)]
#[template(path = "notifications/list.html")]
struct NotificationsPage {
    layout: Layout,
    notifications: Vec<NotificationRow>,
    email_on: bool,
}

async fn list_notifications(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
) -> AppResult<Html<String>> {
    let notifications = sqlx::query_as!(
        NotificationRow,
        r#"select message_key, param, link, created_at, read_at is null as "unread!"
           from notification where user_id = $1 order by notification_id desc limit 100"#,
        user.user_id
    )
    .fetch_all(&state.db)
    .await?;
    let email_on = sqlx::query_scalar!("select email_notifications from app_user where user_id = $1", user.user_id)
        .fetch_one(&state.db)
        .await?;
    Ok(Html(render(NotificationsPage { layout, notifications, email_on })?))
}

async fn mark_all_read(State(state): State<AppState>, CurrentUser(user): CurrentUser) -> AppResult<Response> {
    sqlx::query!("update notification set read_at = now() where user_id = $1 and read_at is null", user.user_id)
        .execute(&state.db)
        .await?;
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
    sqlx::query!("update app_user set email_notifications = $2 where user_id = $1", user.user_id, form.email.is_some())
        .execute(&state.db)
        .await?;
    Ok(redirect_with_flash("/me/notifications", "flash.email_setting_saved", None))
}
