//! Forgotten passwords: ask for a link by student number, get a one-time link by
//! mail (valid for half an hour), choose a new password; every session of the
//! account ends. The request is answered the same way, in the same time, whether
//! or not the number has an account (the link and mail are made after the answer,
//! in a task of their own), so nobody learns which numbers exist. The token travels in the query string,
//! which the access log leaves out, and is kept only as its SHA-256.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
    Form,
};
use serde::Deserialize;

use super::{forms::StudentNo, password, queries};
use crate::{
    app::AppState,
    error::AppResult,
    web::{
        context::{redirect_with_flash, ClientIp},
        forms::FORM,
        render, session, FormErrors, Html422, Layout,
    },
};

/// How long a reset link works.
pub const VALID_MINUTES: f64 = 30.0;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RequestForm {
    student_no: String,
}

#[derive(Template)]
#[template(path = "accounts/reset_request.html")]
struct RequestPage {
    layout: Layout,
    form: RequestForm,
    errors: FormErrors,
}

pub async fn new_request(layout: Layout) -> AppResult<Html<String>> {
    Ok(Html(render(RequestPage { layout, form: RequestForm::default(), errors: FormErrors::default() })?))
}

#[tracing::instrument(skip_all)]
pub async fn create_request(
    State(state): State<AppState>,
    layout: Layout,
    ClientIp(ip): ClientIp,
    Form(form): Form<RequestForm>,
) -> AppResult<Response> {
    let student_no = match StudentNo::parse(&form.student_no) {
        Ok(no) => no,
        Err(key) => {
            let errors = FormErrors::one("student_no", key);
            return Ok(Html422(render(RequestPage { layout, form, errors })?).into_response());
        }
    };
    // Each request may send a mail: limited per address (counting distinct numbers, as a
    // campus NAT asks for many students), and per number (known or not alike).
    let limits = &state.limits;
    let limited = match limits.resets_by_address.check(&ip, student_no.as_str()) {
        Ok(()) => limits.resets_by_account.check(&student_no.as_str().to_string(), 1).await,
        refused => refused,
    };
    if let Err(refused) = limited {
        let errors = FormErrors::one(FORM, "form.rate_limited");
        return Ok(crate::web::limits::too_many(render(RequestPage { layout, form, errors })?, refused));
    }
    // The link and its mail are made after the answer, off the request path: the request
    // does the same work, and takes the same time, whether or not the number has an account.
    tokio::spawn(issue_link(state.db.clone(), student_no.as_str().to_string()));
    tracing::info!("password reset requested");
    Ok(redirect_with_flash("/login", "flash.password_reset_sent", None))
}

/// A reset link and its mail for the account with this number, if it exists, is enabled
/// and has an address; otherwise nothing. Failures are logged without the number.
async fn issue_link(db: sqlx::PgPool, student_no: String) {
    let token = session::random_token();
    let link = format!("/password-reset/choose?token={token}");
    let subject = crate::mail::texts("mail.password_reset.subject", "");
    let body = crate::mail::texts("mail.password_reset.body", "");
    let done = queries::insert_password_reset(
        &db,
        &student_no,
        &session::hash_token(&token),
        VALID_MINUTES * 60.0,
        (&subject, &body, &link),
    )
    .await;
    if let Err(e) = done {
        tracing::error!(error = %e, "could not issue a password-reset link");
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokenQuery {
    token: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChooseForm {
    token: String,
    password: String,
    password_confirm: String,
}

#[derive(Template)]
#[template(path = "accounts/reset_choose.html")]
struct ChoosePage {
    layout: Layout,
    token: String,
    /// The link still works; if not, the page says so and offers a new one.
    valid: bool,
    errors: FormErrors,
}

/// An expired, used or unknown link: the page that says so, 410.
fn dead_link(layout: Layout) -> AppResult<Response> {
    let page = ChoosePage { layout, token: String::new(), valid: false, errors: FormErrors::default() };
    Ok((StatusCode::GONE, Html(render(page)?)).into_response())
}

pub async fn choose_password(
    State(state): State<AppState>,
    layout: Layout,
    Query(q): Query<TokenQuery>,
) -> AppResult<Response> {
    if queries::fetch_password_reset(&state.db, &session::hash_token(&q.token)).await?.is_none() {
        return dead_link(layout);
    }
    let page = ChoosePage { layout, token: q.token, valid: true, errors: FormErrors::default() };
    Ok(Html(render(page)?).into_response())
}

#[tracing::instrument(skip_all)]
pub async fn save_password(
    State(state): State<AppState>,
    layout: Layout,
    Form(form): Form<ChooseForm>,
) -> AppResult<Response> {
    let token_hash = session::hash_token(&form.token);
    let Some(reset) = queries::fetch_password_reset(&state.db, &token_hash).await? else {
        return dead_link(layout);
    };
    let mut errors = FormErrors::default();
    if let Some(key) = password::weakness(&form.password, &[&reset.student_no, &reset.name]) {
        errors.add("password", key);
    } else if form.password != form.password_confirm {
        errors.add("password_confirm", "form.password.mismatch");
    }
    if !errors.is_empty() {
        let page = ChoosePage { layout, token: form.token, valid: true, errors };
        return Ok(Html422(render(page)?).into_response());
    }
    let hash = state.hasher.hash(form.password).await?;
    let mut tx = state.db.begin().await?;
    // Used up under a lock: of two tabs submitting one link, one succeeds.
    if !queries::use_password_resets(&mut *tx, reset.user_id, &token_hash).await? {
        return dead_link(layout);
    }
    queries::update_password(&mut *tx, reset.user_id, &hash).await?;
    session::delete_other_sessions(&mut *tx, reset.user_id, None).await?;
    crate::audit::record(
        &mut *tx,
        Some(reset.user_id),
        None,
        crate::audit::Action::PasswordChanged,
        "app_user",
        &reset.user_id.to_string(),
        None,
        Some(serde_json::json!({ "by": "reset link" })),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user_id = reset.user_id, "password reset");
    Ok(redirect_with_flash("/login", "flash.password_reset_done", None))
}
