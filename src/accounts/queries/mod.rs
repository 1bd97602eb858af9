//! SQL of the accounts area, one function per statement; login attempts and trusted
//! devices in `logins`.

mod logins;
mod me_page;
pub use logins::*;
pub use me_page::{fetch_me_page_parts, MePageParts};

use sqlx::PgExecutor;

use crate::web::Lang;

pub struct LoginCandidate {
    pub user_id: i64,
    pub password_hash: String,
    pub disabled: bool,
}

pub async fn fetch_login_candidate(db: impl PgExecutor<'_>, student_no: &str) -> sqlx::Result<Option<LoginCandidate>> {
    sqlx::query_as!(
        LoginCandidate,
        r#"select user_id, password_hash, disabled_at is not null as "disabled!" from app_user where student_no = $1"#,
        student_no
    )
    .fetch_optional(db)
    .await
}

/// Creates the account unless the student number is taken; `None` then.
pub async fn insert_user(
    db: impl PgExecutor<'_>,
    student_no: &str,
    name: &str,
    college: &str,
    email: &str,
    password_hash: &str,
    must_change_password: bool,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "insert into app_user (student_no, name, college, email, password_hash, must_change_password)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (student_no) do nothing
         returning user_id",
        student_no,
        name,
        college,
        email,
        password_hash,
        must_change_password
    )
    .fetch_optional(db)
    .await
}

/// The account's address and the language its mail is written in.
/// The mail address and language of the account holding a number, if its number is verified.
pub async fn fetch_verified_email(db: impl PgExecutor<'_>, student_no: &str) -> sqlx::Result<Option<(String, Lang)>> {
    let row =
        sqlx::query!("select email, lang from app_user where student_no = $1 and verified_by is not null", student_no)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|r| (r.email, Lang::parse(&r.lang).unwrap_or_default())))
}

/// Keep the language a user chose on their account: their mail is written in it.
pub async fn set_language(db: impl PgExecutor<'_>, user_id: i64, lang: Lang) -> sqlx::Result<()> {
    sqlx::query!("update app_user set lang = $2 where user_id = $1", user_id, lang.code()).execute(db).await?;
    Ok(())
}

pub async fn fetch_password_hash(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!("select password_hash from app_user where user_id = $1", user_id).fetch_optional(db).await
}

pub async fn update_password(db: impl PgExecutor<'_>, user_id: i64, password_hash: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "update app_user set password_hash = $2, must_change_password = false, password_changed_at = now() where user_id = $1",
        user_id,
        password_hash
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A reset link for the account with this number, and its mail (subject, body, link),
/// when the account exists, is enabled and has an address; otherwise nothing. One
/// statement either way, so both take the same time. Subject and body come in every
/// language (`mail::texts`); the mail is in the account's.
pub async fn insert_password_reset(
    db: impl PgExecutor<'_>,
    student_no: &str,
    token_hash: &[u8],
    valid_secs: f64,
    (subject, body, link): (&serde_json::Value, &serde_json::Value, &str),
) -> sqlx::Result<()> {
    sqlx::query!(
        "with account as (select user_id, email, lang from app_user
                          where student_no = $1 and disabled_at is null and email <> ''),
              reset as (insert into password_reset (user_id, token_hash, expires_at)
                        select user_id, $2, now() + make_interval(secs => $3) from account returning user_id)
         insert into mail_outbox (to_address, subject, body, link, link_is_secret)
         select account.email, coalesce($4::jsonb ->> account.lang, $4::jsonb ->> 'zh-CN'),
                coalesce($5::jsonb ->> account.lang, $5::jsonb ->> 'zh-CN'), $6, true
         from account join reset using (user_id)",
        student_no,
        token_hash,
        valid_secs,
        subject,
        body,
        link
    )
    .execute(db)
    .await?;
    Ok(())
}

pub struct PasswordReset {
    pub user_id: i64,
    pub student_no: String,
    pub name: String,
}

/// The account a reset link is for, while the link is unused and unexpired.
pub async fn fetch_password_reset(db: impl PgExecutor<'_>, token_hash: &[u8]) -> sqlx::Result<Option<PasswordReset>> {
    sqlx::query_as!(
        PasswordReset,
        "select u.user_id, u.student_no, u.name from password_reset r join app_user u using (user_id)
         where r.token_hash = $1 and r.used_at is null and r.expires_at > now() and u.disabled_at is null",
        token_hash
    )
    .fetch_optional(db)
    .await
}

/// Use up this link and every other of the account; false when this one was no longer usable.
pub async fn use_password_resets(db: impl PgExecutor<'_>, user_id: i64, token_hash: &[u8]) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"with this as (update password_reset set used_at = now()
                         where token_hash = $2 and user_id = $1 and used_at is null and expires_at > now()
                         returning password_reset_id),
                others as (update password_reset set used_at = now()
                           where user_id = $1 and used_at is null and token_hash <> $2)
           select exists(select 1 from this) as "used!""#,
        user_id,
        token_hash
    )
    .fetch_one(db)
    .await
}

/// Upgrade a hash to today's parameters without touching anything else.
pub async fn update_password_hash(db: impl PgExecutor<'_>, user_id: i64, password_hash: &str) -> sqlx::Result<()> {
    sqlx::query!("update app_user set password_hash = $2 where user_id = $1", user_id, password_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// End every unused reset link of the account (its password was just changed).
pub async fn expire_password_resets(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<()> {
    sqlx::query!("update password_reset set used_at = now() where user_id = $1 and used_at is null", user_id)
        .execute(db)
        .await?;
    Ok(())
}

pub struct Profile {
    pub student_no: String,
    pub name: String,
    pub college: String,
    pub email: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Someone vouched for the student number (see migration 0022).
    pub verified: bool,
}

pub async fn fetch_profile(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<Option<Profile>> {
    sqlx::query_as!(
        Profile,
        r#"select student_no, name, college, email, created_at, verified_by is not null as "verified!"
           from app_user where user_id = $1"#,
        user_id
    )
    .fetch_optional(db)
    .await
}

/// Housekeeping: forget old login attempts, device cookies unused for long, expired sessions.
pub async fn delete_stale_rows(db: &sqlx::PgPool, session_absolute_secs: f64) -> sqlx::Result<()> {
    sqlx::query!("delete from login_attempt where attempted_at < now() - interval '1 day'").execute(db).await?;
    sqlx::query!(
        "delete from trusted_device where last_used_at < now() - make_interval(days => $1)",
        super::rate_limit::DEVICE_DAYS as i32
    )
    .execute(db)
    .await?;
    sqlx::query!(
        "delete from user_session where created_at < now() - make_interval(secs => $1)",
        session_absolute_secs
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Someone vouches for the account's student number (`app_user.verified_by`: cas, oidc, admin, cli…).
pub async fn mark_verified(db: impl PgExecutor<'_>, user_id: i64, by: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "update app_user set verified_by = $2, verified_at = now() where user_id = $1 and verified_by is null",
        user_id,
        by
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Whether someone vouched for the account's student number.
pub async fn is_verified(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<bool> {
    let verified =
        sqlx::query_scalar!(r#"select verified_by is not null as "v!" from app_user where user_id = $1"#, user_id)
            .fetch_optional(db)
            .await?;
    Ok(verified.unwrap_or(false))
}
