//! SQL of notifications.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

/// Tell each user once (duplicates in `user_ids` are ignored), except `skip` (the one who acted):
/// in the portal, and by mail to those who have not switched mail off (SQL `notify_users`),
/// each mail in its recipient's language.
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
    sqlx::query!(
        r#"select notify_users($1, $2, $3, $4, $5, $6) as "told""#,
        user_ids,
        skip,
        message_key,
        param,
        link,
        crate::mail::texts(message_key, param)
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

/// A user's latest 100 notifications, newest first.
pub async fn list_recent(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<Vec<NotificationRow>> {
    sqlx::query_as!(
        NotificationRow,
        r#"select message_key, param, link, created_at, read_at is null as "unread!"
           from notification where user_id = $1 order by notification_id desc limit 100"#,
        user_id
    )
    .fetch_all(db)
    .await
}

/// What mail a user wants: notifications by mail, and the weekly digest (saved by `digest`).
pub struct MailSettings {
    pub email_on: bool,
    pub digest_on: bool,
}

/// Both settings in one statement: `/me/notifications` shows them side by side.
pub async fn fetch_mail_settings(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<MailSettings> {
    sqlx::query_as!(
        MailSettings,
        "select email_notifications as email_on, weekly_digest as digest_on from app_user where user_id = $1",
        user_id
    )
    .fetch_one(db)
    .await
}

pub async fn mark_all_read(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<()> {
    sqlx::query!("update notification set read_at = now() where user_id = $1 and read_at is null", user_id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn set_email_on(db: impl PgExecutor<'_>, user_id: i64, on: bool) -> sqlx::Result<()> {
    sqlx::query!("update app_user set email_notifications = $2 where user_id = $1", user_id, on).execute(db).await?;
    Ok(())
}
