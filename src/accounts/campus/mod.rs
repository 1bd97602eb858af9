//! Campus sign-in (统一身份认证) through the school's CAS server. The portal never sees a
//! university password: the browser signs in at the CAS server and comes back with a service
//! ticket, which the portal validates with the CAS server itself (`cas`). The number the school
//! vouches for is then this student's: a verified account is made or reused, and an unverified
//! account that had registered the number first gives it up (`take_in`). Every sign-in starts a
//! new session; the CAS server's single-logout request ends the sessions its ticket started.

pub mod cas;
pub mod queries;

use axum::{
    extract::{Query, State},
    http::{header, StatusCode},
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
    Form, Router,
};
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use serde_json::json;

use super::login::{device_cookie_name, device_token, set_session_cookies, start_session, LoginPage};
use crate::{
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult},
    notifications::notify,
    web::{context::redirect_with_flash, forms::safe_next, render, session, Layout, MaybeUser},
};
use cas::CampusPerson;

pub fn router() -> Router<AppState> {
    Router::new().route("/auth/cas/login", get(go_to_cas)).route("/auth/cas", get(come_back))
}

/// Outside the CSRF check: the CAS server posts its single-logout requests with no session.
pub fn back_channel() -> Router<AppState> {
    Router::new().route("/auth/cas", post(single_logout))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReturnQuery {
    next: Option<String>,
    ticket: Option<String>,
}

/// The URL the ticket is bound to: the same for the way out and the way back, `next` included.
fn service_url(public_url: &str, next: Option<&str>) -> String {
    format!("{public_url}/auth/cas?next={}", crate::web::forms::url_encode(&safe_next(next)))
}

fn configured(state: &AppState) -> AppResult<(&crate::config::CasConfig, &str)> {
    match (&state.config.cas, &state.config.public_url) {
        (Some(cas), Some(public_url)) => Ok((cas, public_url)),
        _ => Err(AppError::NotFound),
    }
}

pub async fn go_to_cas(State(state): State<AppState>, Query(q): Query<ReturnQuery>) -> AppResult<Response> {
    let (cas, public_url) = configured(&state)?;
    Ok(Redirect::to(&cas::login_url(cas, &service_url(public_url, q.next.as_deref()))).into_response())
}

#[tracing::instrument(skip_all)]
pub async fn come_back(
    State(state): State<AppState>,
    layout: Layout,
    MaybeUser(previous): MaybeUser,
    jar: CookieJar,
    Query(q): Query<ReturnQuery>,
) -> AppResult<Response> {
    let (cas, public_url) = configured(&state)?;
    let ticket = q.ticket.unwrap_or_default();
    // CAS 3.0 §3.7: service tickets begin with ST-; anything else is not worth a request.
    if !ticket.starts_with("ST-") || ticket.len() > 256 {
        return refused(&state, layout, q.next.as_deref(), "login.campus_refused");
    }
    let service = service_url(public_url, q.next.as_deref());
    let person = match cas::validate(&state.http, cas, &service, &ticket).await {
        Ok(p) => p,
        Err(refusal) => {
            tracing::warn!(?refusal, "campus sign-in refused");
            return refused(&state, layout, q.next.as_deref(), "login.campus_refused");
        }
    };
    let Some(user_id) = take_in(&state, &person, layout.lang.code()).await? else {
        return refused(&state, layout, q.next.as_deref(), "login.campus_disabled");
    };
    let (token, device) = start_session(&state, previous.as_deref(), user_id, device_token(&state, &jar)).await?;
    queries::mark_cas_ticket(&state.db, &session::hash_token(&token), &session::hash_token(&ticket)).await?;
    tracing::info!(user_id, "campus sign-in");
    let mut response = redirect_with_flash(&safe_next(q.next.as_deref()), "flash.logged_in", None);
    set_session_cookies(&state, &mut response, &token);
    let cookie = session::cookie_header(&state.config, device_cookie_name(&state.config), &device, None);
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

/// The login page with why campus sign-in did not work, and no session.
fn refused(state: &AppState, layout: Layout, next: Option<&str>, message: &'static str) -> AppResult<Response> {
    let page = render(LoginPage::with_message(&state.config, layout, &safe_next(next), message))?;
    Ok((StatusCode::FORBIDDEN, Html(page)).into_response())
}

/// The account of the person the CAS server vouched for: theirs if verified, a new verified one
/// otherwise. An unverified account holding the number gives it up first; nothing of it moves to
/// the new account. None: the verified account was disabled by an administrator.
pub async fn take_in(state: &AppState, person: &CampusPerson, lang: &str) -> AppResult<Option<i64>> {
    let name = crate::web::forms::one_line(&person.name, 50, true).unwrap_or_else(|_| person.student_no.clone());
    let directory = queries::Directory {
        student_no: &person.student_no,
        name: &name,
        college: person.college.trim(),
        email: person.email.trim(),
        lang,
    };
    // A password nobody was given: the account signs in through CAS (or after a reset by mail).
    let unusable_hash = state.hasher.hash(session::random_token()).await?;
    let mut tx = state.db.begin().await?;
    let user_id = match queries::lock_holder(&mut *tx, &person.student_no).await? {
        Some(h) if h.verified && h.disabled => return Ok(None),
        Some(h) if h.verified => {
            queries::refresh_campus_user(&mut *tx, h.user_id, &directory).await?;
            h.user_id
        }
        Some(squatter) => {
            let renamed = queries::set_aside(&mut tx, squatter.user_id).await?;
            let user_id = queries::insert_campus_user(&mut *tx, &directory, &unusable_hash).await?;
            let (before, after) = (json!({ "student_no": person.student_no }), json!({ "student_no": renamed }));
            let object = squatter.user_id.to_string();
            audit::record(&mut *tx, None, None, Action::NumberTakenBack, "user", &object, Some(before), Some(after))
                .await?;
            let admins = queries::list_admin_ids(&mut *tx).await?;
            notify(&mut *tx, &admins, None, "notify.account.number_taken_back", &renamed, "/admin/users").await?;
            tracing::warn!(squatter = squatter.user_id, user_id, "campus sign-in took a number back");
            user_id
        }
        None => queries::insert_campus_user(&mut *tx, &directory, &unusable_hash).await?,
    };
    tx.commit().await?;
    Ok(Some(user_id))
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub struct LogoutForm {
    logout_request: String,
}

/// CAS single logout: the sessions the named ticket started end. Always 200, whatever it named.
pub async fn single_logout(State(state): State<AppState>, Form(form): Form<LogoutForm>) -> AppResult<Response> {
    if state.config.cas.is_none() {
        return Err(AppError::NotFound);
    }
    if let Some(index) = cas::logout_session_index(&form.logout_request) {
        let ended = queries::end_cas_sessions(&state.db, &session::hash_token(&index)).await?;
        tracing::info!(ended, "campus single logout");
    }
    Ok(StatusCode::OK.into_response())
}
