//! Verifying a student number by campus mail: a one-time link goes to `{学号}@{campus domain}`,
//! the number's own inbox at the school, and confirms the signed-in account it was made for.
//! Whoever registered a number they do not hold never receives it; the holder who receives a
//! link they did not ask for cannot confirm someone else's account with it (it needs that
//! account's session), and the mail says so.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, IntoResponse, Response},
    Form,
};
use serde::Deserialize;

use super::queries;
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    web::{context::redirect_with_flash, render, session, CurrentUser, Layout},
};

/// Links one account may ask for in an hour.
const PER_HOUR: i64 = 3;

pub async fn send_link(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
) -> AppResult<Response> {
    let domain = state.config.campus_mail_domain.as_deref().ok_or(AppError::NotFound)?;
    let profile = crate::accounts::queries::fetch_profile(&state.db, user.user_id).await?.ok_or(AppError::NotFound)?;
    if profile.verified {
        return Ok(redirect_with_flash("/me", "flash.already_verified", None));
    }
    let mut tx = state.db.begin().await?;
    if queries::count_recent_mail_verifications(&mut *tx, user.user_id).await? >= PER_HOUR {
        return Err(AppError::RateLimited { retry_after_secs: 3600 });
    }
    let token = session::random_token();
    let to = format!("{}@{domain}", profile.student_no);
    let link = format!("/account/verify-mail/confirm?token={token}");
    let (subject, body) = (layout.t("mail.verify_campus.subject"), layout.t("mail.verify_campus.body"));
    let mail = (to.as_str(), subject.as_ref(), body.as_ref(), link.as_str());
    queries::insert_mail_verification(&mut tx, user.user_id, &session::hash_token(&token), mail).await?;
    tx.commit().await?;
    tracing::info!(user_id = user.user_id, "campus mail verification sent");
    Ok(redirect_with_flash("/me", "flash.verify_mail_sent", Some(&to)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokenForm {
    token: String,
}

#[derive(Template)]
#[template(path = "accounts/verify_mail.html")]
struct ConfirmPage {
    layout: Layout,
    token: String,
    student_no: String,
    name: String,
}

/// The link opens a page with a button: a mail client's link preview confirms nothing.
pub async fn confirm_page(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    Query(q): Query<TokenForm>,
) -> AppResult<Html<String>> {
    state.config.campus_mail_domain.as_deref().ok_or(AppError::NotFound)?;
    let profile = crate::accounts::queries::fetch_profile(&state.db, user.user_id).await?.ok_or(AppError::NotFound)?;
    let page = ConfirmPage { layout, token: q.token, student_no: profile.student_no, name: profile.name };
    Ok(Html(render(page)?))
}

pub async fn confirm(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Form(form): Form<TokenForm>,
) -> AppResult<Response> {
    state.config.campus_mail_domain.as_deref().ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    if !queries::use_mail_verification(&mut *tx, &session::hash_token(&form.token), user.user_id).await? {
        return Ok(redirect_with_flash("/me", "flash.verify_mail_expired", None).into_response());
    }
    crate::accounts::queries::mark_verified(&mut *tx, user.user_id, "campus_mail").await?;
    crate::lost_found::cards::tell_newly_verified_owner(&mut tx, user.user_id).await?;
    tx.commit().await?;
    tracing::info!(user_id = user.user_id, "verified by campus mail");
    Ok(redirect_with_flash("/me", "flash.verified", None))
}
