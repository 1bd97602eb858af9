//! Campus sign-in (统一身份认证) through the school's CAS server or OpenID provider. The portal
//! never sees a university password: the browser signs in at the school and comes back with a
//! CAS service ticket (validated with the CAS server, `cas`) or an authorization code (exchanged
//! and its ID token verified, `oidc`). The number the school vouches for is then this student's
//! (`account::take_in`). Every sign-in starts a new session; the CAS server's single-logout
//! request ends the sessions its ticket started.

mod account;
pub mod cas;
pub mod mail;
pub mod oidc;
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
use subtle::ConstantTimeEq;

pub use account::take_in;

use super::login::{device_cookie_name, device_token, set_session_cookies, start_session, LoginPage};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    web::{context::redirect_with_flash, forms::safe_next, render, session, Layout, MaybeUser, Viewer},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/cas/login", get(go_to_cas))
        .route("/auth/cas", get(come_back_from_cas))
        .route("/auth/oidc/login", get(go_to_provider))
        .route("/auth/oidc/callback", get(come_back_from_provider))
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

fn cas_configured(state: &AppState) -> AppResult<(&crate::config::CasConfig, &str)> {
    match (&state.config.cas, &state.config.public_url) {
        (Some(cas), Some(public_url)) => Ok((cas, public_url)),
        _ => Err(AppError::NotFound),
    }
}

pub async fn go_to_cas(State(state): State<AppState>, Query(q): Query<ReturnQuery>) -> AppResult<Response> {
    let (cas, public_url) = cas_configured(&state)?;
    Ok(Redirect::to(&cas::login_url(cas, &service_url(public_url, q.next.as_deref()))).into_response())
}

#[tracing::instrument(skip_all)]
pub async fn come_back_from_cas(
    State(state): State<AppState>,
    layout: Layout,
    MaybeUser(previous): MaybeUser,
    jar: CookieJar,
    Query(q): Query<ReturnQuery>,
) -> AppResult<Response> {
    let (cas, public_url) = cas_configured(&state)?;
    let next = safe_next(q.next.as_deref());
    let ticket = q.ticket.unwrap_or_default();
    // CAS 3.0 §3.7: service tickets begin with ST-; anything else is not worth a request.
    if !ticket.starts_with("ST-") || ticket.len() > 256 {
        return refused(&state, layout, &next, "login.campus_refused");
    }
    let person = match cas::validate(&state.http, cas, &service_url(public_url, Some(&next)), &ticket).await {
        Ok(p) => p,
        Err(refusal) => {
            tracing::warn!(?refusal, "campus sign-in refused");
            return refused(&state, layout, &next, "login.campus_refused");
        }
    };
    let Some(user_id) = take_in(&state, &person, layout.lang.code(), "cas").await? else {
        return refused(&state, layout, &next, "login.campus_disabled");
    };
    let session = SignIn { user_id, previous: previous.as_deref(), next: &next, cas_ticket: Some(&ticket) };
    signed_in(&state, &jar, session).await
}

/// A person the school vouched for, about to get a session.
struct SignIn<'a> {
    user_id: i64,
    previous: Option<&'a Viewer>,
    next: &'a str,
    cas_ticket: Option<&'a str>,
}

/// A new session (the one the browser had is dead), its cookies, and on to `next`.
async fn signed_in(state: &AppState, jar: &CookieJar, s: SignIn<'_>) -> AppResult<Response> {
    let (token, device) = start_session(state, s.previous, s.user_id, device_token(state, jar)).await?;
    if let Some(ticket) = s.cas_ticket {
        queries::mark_cas_ticket(&state.db, &session::hash_token(&token), &session::hash_token(ticket)).await?;
    }
    tracing::info!(user_id = s.user_id, cas = s.cas_ticket.is_some(), "campus sign-in");
    let mut response = redirect_with_flash(s.next, "flash.logged_in", None);
    set_session_cookies(state, &mut response, &token);
    let cookie = session::cookie_header(&state.config, device_cookie_name(&state.config), &device, None);
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

/// The login page with why campus sign-in did not work, and no session.
fn refused(state: &AppState, layout: Layout, next: &str, message: &'static str) -> AppResult<Response> {
    let page = render(LoginPage::with_message(&state.config, layout, next, message))?;
    Ok((StatusCode::FORBIDDEN, Html(page)).into_response())
}

fn oidc_configured(state: &AppState) -> AppResult<(&crate::config::OidcConfig, String)> {
    match (&state.config.oidc, &state.config.public_url) {
        (Some(oidc), Some(public_url)) => Ok((oidc, format!("{public_url}/auth/oidc/callback"))),
        _ => Err(AppError::NotFound),
    }
}

/// The browser's half of an OpenID sign-in under way: `__Host-` and Secure behind https.
fn pending_cookie_name(config: &crate::config::Config) -> &'static str {
    if config.secure_cookies {
        "__Host-portal_oidc"
    } else {
        "portal_oidc"
    }
}

pub async fn go_to_provider(
    State(state): State<AppState>,
    layout: Layout,
    Query(q): Query<ReturnQuery>,
) -> AppResult<Response> {
    let (oidc, redirect_uri) = oidc_configured(&state)?;
    let next = safe_next(q.next.as_deref());
    let Ok(start) = oidc::start(&state.http, oidc, &redirect_uri).await else {
        return refused(&state, layout, &next, "login.campus_unavailable");
    };
    let pending = session::random_token();
    queries::insert_pending(&state.db, &session::hash_token(&pending), &start, &next).await?;
    let mut response = Redirect::to(&start.url).into_response();
    let age = std::time::Duration::from_secs(600);
    let cookie = session::cookie_header(&state.config, pending_cookie_name(&state.config), &pending, Some(age));
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProviderAnswer {
    code: Option<String>,
    state: Option<String>,
}

#[tracing::instrument(skip_all)]
pub async fn come_back_from_provider(
    State(state): State<AppState>,
    layout: Layout,
    MaybeUser(previous): MaybeUser,
    jar: CookieJar,
    Query(answer): Query<ProviderAnswer>,
) -> AppResult<Response> {
    let (oidc, redirect_uri) = oidc_configured(&state)?;
    let pending_hash = jar.get(pending_cookie_name(&state.config)).map(|c| session::hash_token(c.value()));
    let mut tx = state.db.begin().await?;
    let pending = match pending_hash {
        Some(hash) => queries::take_pending(&mut tx, &hash).await?,
        None => None,
    };
    tx.commit().await?;
    // The sign-in this browser started, and the state it was given: a login CSRF or a code
    // meant for another browser stops here.
    let sent_state = answer.state.unwrap_or_default();
    let (Some(p), Some(code)) = (pending, answer.code) else {
        return refused(&state, layout, "/", "login.campus_refused");
    };
    if !bool::from(p.state.as_bytes().ct_eq(sent_state.as_bytes())) {
        tracing::warn!("oidc: the state did not match");
        return refused(&state, layout, &p.next, "login.campus_refused");
    }
    let expect = oidc::Pending { state: p.state, nonce: p.nonce, pkce_verifier: p.pkce_verifier };
    let Ok(person) = oidc::finish(&state.http, oidc, &redirect_uri, &code, expect).await else {
        return refused(&state, layout, &p.next, "login.campus_refused");
    };
    let Some(user_id) = take_in(&state, &person, layout.lang.code(), "oidc").await? else {
        return refused(&state, layout, &p.next, "login.campus_disabled");
    };
    let session = SignIn { user_id, previous: previous.as_deref(), next: &p.next, cas_ticket: None };
    let mut response = signed_in(&state, &jar, session).await?;
    let gone = session::removal_header(&state.config, pending_cookie_name(&state.config));
    response.headers_mut().append(header::SET_COOKIE, gone);
    Ok(response)
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
