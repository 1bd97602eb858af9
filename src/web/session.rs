//! Server-side sessions in PostgreSQL, so several portal processes share them.
//! The cookie holds 32 random bytes; the table holds their SHA-256. Roles are not
//! stored here: they are read from the database on every request, so a role
//! change applies at once.

use std::time::Duration;

use axum::http::HeaderValue;
use axum_extra::extract::cookie::{Cookie, SameSite};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::PgExecutor;

use crate::config::Config;

/// The name handlers set (`redirect_with_flash` knows no settings); behind https the
/// context middleware renames it to `flash_cookie_name` on the way out.
pub const FLASH_COOKIE: &str = "flash";

/// Behind https every cookie of the portal is `__Host-`: Secure, Path=/, no Domain, so
/// a sibling subdomain or a plain-http response cannot plant one (a forged flash
/// would show any catalogue message on the next page).
pub fn flash_cookie_name(config: &Config) -> &'static str {
    if config.secure_cookies {
        "__Host-flash"
    } else {
        FLASH_COOKIE
    }
}

pub fn session_cookie_name(config: &Config) -> &'static str {
    if config.secure_cookies {
        "__Host-portal_session"
    } else {
        "portal_session"
    }
}

pub fn csrf_cookie_name(config: &Config) -> &'static str {
    if config.secure_cookies {
        "__Host-portal_csrf"
    } else {
        "portal_csrf"
    }
}

/// 32 random bytes, URL-safe base64.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// A `Set-Cookie` value with the portal's attributes.
pub fn cookie_header(config: &Config, name: &str, value: &str, max_age: Option<Duration>) -> HeaderValue {
    let mut cookie = Cookie::build((name.to_string(), value.to_string()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.secure_cookies);
    if let Some(age) = max_age {
        cookie = cookie.max_age(time_duration(age));
    }
    header_value(cookie.build())
}

pub fn removal_header(config: &Config, name: &str) -> HeaderValue {
    let cookie = Cookie::build((name.to_string(), String::new()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.secure_cookies)
        .max_age(time_duration(Duration::ZERO));
    header_value(cookie.build())
}

fn time_duration(d: Duration) -> time::Duration {
    time::Duration::seconds(d.as_secs() as i64)
}

fn header_value(cookie: Cookie<'static>) -> HeaderValue {
    // Names and values are ours (base64, catalogue keys, percent-encoded), so always valid.
    HeaderValue::from_str(&cookie.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
}

pub async fn insert_session(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<NewSession> {
    let token = random_token();
    let csrf_token = random_token();
    sqlx::query!(
        "insert into user_session (session_hash, user_id, csrf_token) values ($1, $2, $3)",
        hash_token(&token),
        user_id,
        csrf_token
    )
    .execute(db)
    .await?;
    Ok(NewSession { token, csrf_token })
}

pub async fn delete_session(db: impl PgExecutor<'_>, session_hash: &[u8]) -> sqlx::Result<()> {
    sqlx::query!("delete from user_session where session_hash = $1", session_hash).execute(db).await?;
    Ok(())
}

/// End every session of a user but one (password change) or all (`keep` = None: disabling).
pub async fn delete_other_sessions(db: impl PgExecutor<'_>, user_id: i64, keep: Option<&[u8]>) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "delete from user_session where user_id = $1 and ($2::bytea is null or session_hash <> $2)",
        user_id,
        keep
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

pub async fn touch_session(db: impl PgExecutor<'_>, session_hash: &[u8]) -> sqlx::Result<()> {
    sqlx::query!("update user_session set last_seen_at = now() where session_hash = $1", session_hash)
        .execute(db)
        .await?;
    Ok(())
}
