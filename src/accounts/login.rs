//! Logging in and out. Attempts are throttled per account and per address without
//! locking the owner out: a browser that logged in to the account before stays trusted
//! (`rate_limit`). A new session id at every login.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::{header, StatusCode},
    response::{Html, IntoResponse, Response},
    Form,
};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::{
    forms::{LoginForm, StudentNo},
    password, queries, rate_limit,
};
use crate::{
    app::AppState,
    config::Config,
    error::AppResult,
    web::{
        context::{redirect_with_flash, ClientIp},
        forms::safe_next,
        render, session, Html422, Layout, MaybeUser,
    },
};

#[derive(Template)]
#[template(path = "accounts/login.html")]
pub(super) struct LoginPage {
    layout: Layout,
    form: LoginForm,
    /// Catalogue key of the message above the form.
    message: Option<&'static str>,
    /// "统一身份认证登录" first: the school's CAS server is configured.
    campus: bool,
    /// Sign-in through the school's OpenID provider is configured.
    oidc: bool,
    /// The password form: the portal's own login is on.
    local: bool,
}

impl LoginPage {
    fn new(config: &Config, layout: Layout, form: LoginForm, message: Option<&'static str>) -> Self {
        let (campus, oidc, local) = (config.cas.is_some(), config.oidc.is_some(), config.local_login);
        LoginPage { layout, form, message, campus, oidc, local }
    }

    pub(super) fn with_message(config: &Config, layout: Layout, next: &str, message: &'static str) -> Self {
        Self::new(config, layout, LoginForm { next: next.to_string(), ..LoginForm::default() }, Some(message))
    }
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn new_login(
    State(state): State<AppState>,
    layout: Layout,
    MaybeUser(viewer): MaybeUser,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    if viewer.is_some() {
        return Ok(axum::response::Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    let form = LoginForm { next: safe_next(q.next.as_deref()), ..LoginForm::default() };
    Ok(Html(render(LoginPage::new(&state.config, layout, form, None))?).into_response())
}

/// A login attempt as the throttle sees it (see `rate_limit`): recorded before the password
/// is checked, with the browser's device token when it is already trusted for this account.
struct Attempt {
    attempt_id: i64,
    /// The device cookie the browser sent, if any (trusted or not).
    device: Option<String>,
    /// The browser has logged in to this account before and has not failed much since.
    trusted: bool,
    /// Past the limits for an unknown browser: answered 429 without checking the password.
    limited: bool,
}

async fn record_attempt(state: &AppState, jar: &CookieJar, student_no: &str, ip: &str) -> AppResult<Attempt> {
    let device = device_token(state, jar);
    let device_hash = device.as_deref().map(session::hash_token);
    let known_device = match &device_hash {
        Some(hash) => queries::device_is_known(&state.db, hash, student_no, rate_limit::DEVICE_DAYS as i32).await?,
        None => false,
    };
    let device_hash = device_hash.filter(|_| known_device);
    let attempt_id = queries::insert_login_attempt(&state.db, student_no, ip, device_hash.as_deref()).await?;
    let window = rate_limit::WINDOW_SECS;
    let failures =
        queries::count_recent_failures(&state.db, student_no, ip, device_hash.as_deref(), window, attempt_id).await?;
    let trusted = rate_limit::is_trusted(&failures, known_device);
    let limited = !trusted && rate_limit::untrusted_is_limited(&failures);
    Ok(Attempt { attempt_id, device, trusted, limited })
}

/// A new session for the user (the one the browser had before is dead), and the device token
/// this browser is trusted by for this account from now on: the token it has, if the portal
/// issued it, so one browser can be trusted for several accounts.
pub(super) async fn start_session(
    state: &AppState,
    previous: Option<&crate::web::Viewer>,
    user_id: i64,
    device: Option<String>,
) -> AppResult<(String, String)> {
    if let Some(old) = previous {
        session::delete_session(&state.db, &old.session_hash).await?;
    }
    let new = session::insert_session(&state.db, user_id).await?;
    let device = match device {
        Some(token) if queries::device_exists(&state.db, &session::hash_token(&token)).await? => token,
        _ => session::random_token(),
    };
    queries::trust_device(&state.db, &session::hash_token(&device), user_id).await?;
    Ok((new.token, device))
}

#[tracing::instrument(skip_all)]
pub async fn create_login(
    State(state): State<AppState>,
    layout: Layout,
    MaybeUser(previous): MaybeUser,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    if !state.config.local_login {
        return Err(crate::error::AppError::NotFound);
    }
    let student_no = form.student_no.trim().to_string();
    let password_ok = !form.password.is_empty() && form.password.chars().count() <= password::MAX_CHARS;
    if StudentNo::parse(&student_no).is_err() || !password_ok {
        return login_again(&state.config, layout, form, "login.failed", false);
    }
    let attempt = record_attempt(&state, &jar, &student_no, &ip).await?;
    if attempt.limited {
        tracing::warn!("login rate limited");
        return login_again(&state.config, layout, form, "login.rate_limited", true);
    }
    let candidate = queries::fetch_login_candidate(&state.db, &student_no).await?;
    let stored = candidate.as_ref().map(|c| c.password_hash.clone());
    let verified = state.hasher.verify(form.password.clone(), stored).await?;
    let user = candidate.filter(|c| verified.ok && !c.disabled);
    if user.is_some() || attempt.trusted {
        queries::settle_login_attempt(&state.db, attempt.attempt_id, user.is_some(), attempt.trusted).await?;
    }
    let Some(user) = user else {
        tracing::info!("login failed");
        return login_again(&state.config, layout, form, "login.failed", false);
    };
    if verified.needs_rehash {
        let hash = state.hasher.hash(form.password.clone()).await?;
        queries::update_password_hash(&state.db, user.user_id, &hash).await?;
    }
    let (session_token, device) = start_session(&state, previous.as_deref(), user.user_id, attempt.device).await?;
    tracing::info!(user_id = user.user_id, trusted = attempt.trusted, "login succeeded");
    let mut response = redirect_with_flash(&safe_next(Some(&form.next)), "flash.logged_in", None);
    set_session_cookies(&state, &mut response, &session_token);
    let config = &state.config;
    let age = std::time::Duration::from_secs(rate_limit::DEVICE_DAYS * 24 * 3600);
    let cookie = session::cookie_header(config, device_cookie_name(config), &device, Some(age));
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

/// The login form again, without the password: 422, or 429 (try again in three minutes) when throttled.
fn login_again(
    config: &Config,
    layout: Layout,
    form: LoginForm,
    message: &'static str,
    throttled: bool,
) -> AppResult<Response> {
    let form = LoginForm { password: String::new(), next: safe_next(Some(&form.next)), ..form };
    let page = render(LoginPage::new(config, layout, form, Some(message)))?;
    Ok(if throttled {
        (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "180")], Html(page)).into_response()
    } else {
        Html422(page).into_response()
    })
}

/// The device cookie (see `rate_limit`): `__Host-` and Secure behind https, like the session's.
pub fn device_cookie_name(config: &crate::config::Config) -> &'static str {
    if config.secure_cookies {
        "__Host-portal_device"
    } else {
        "portal_device"
    }
}

/// The device cookie's token, if it looks like one of ours (32 bytes, URL-safe base64).
pub(super) fn device_token(state: &AppState, jar: &CookieJar) -> Option<String> {
    let value = jar.get(device_cookie_name(&state.config))?.value();
    (value.len() == 43 && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| value.to_string())
}

pub(super) fn set_session_cookies(state: &AppState, response: &mut Response, token: &str) {
    let config = &state.config;
    let headers = response.headers_mut();
    headers
        .append(header::SET_COOKIE, session::cookie_header(config, session::session_cookie_name(config), token, None));
    // The pre-login CSRF token is stale from now on.
    let fresh = session::random_token();
    headers.append(header::SET_COOKIE, session::cookie_header(config, session::csrf_cookie_name(config), &fresh, None));
}

pub async fn logout(State(state): State<AppState>, MaybeUser(viewer): MaybeUser) -> AppResult<Response> {
    if let Some(v) = viewer {
        session::delete_session(&state.db, &v.session_hash).await?;
        tracing::info!(user_id = v.user_id, "logged out");
    }
    let mut response = redirect_with_flash("/", "flash.logged_out", None);
    let config = &state.config;
    response
        .headers_mut()
        .append(header::SET_COOKIE, session::removal_header(config, session::session_cookie_name(config)));
    Ok(response)
}
