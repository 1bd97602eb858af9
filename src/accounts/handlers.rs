//! One small handler per action. Invalid forms come back as the same page with
//! the input kept and a message beside each field (422).

use askama::Template;
use axum::http::StatusCode;
use axum::{
    extract::{Query, State},
    http::{header, HeaderValue},
    response::{Html, IntoResponse, Response},
    Form,
};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::{
    forms::{LoginForm, NewAccount, PasswordForm, RegisterForm, StudentNo},
    password, queries, rate_limit,
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    mail,
    web::{
        context::{redirect_with_flash, ClientIp},
        forms::safe_next,
        render, session, CurrentUser, FormErrors, Html422, Layout, MaybeUser,
    },
};

#[derive(Template)]
#[template(path = "accounts/register.html")]
struct RegisterPage {
    layout: Layout,
    form: RegisterForm,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    layout: Layout,
    form: LoginForm,
    /// Catalogue key of the message above the form.
    message: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "accounts/password.html")]
struct PasswordPage {
    layout: Layout,
    errors: FormErrors,
    forced: bool,
}

#[derive(Template)]
#[template(path = "accounts/me.html")]
struct MePage {
    layout: Layout,
    profile: queries::Profile,
    mine: Vec<crate::complaints::queries::MyComplaint>,
    supported: Vec<crate::complaints::queries::MyComplaint>,
    lost_reports: Vec<crate::lost_found::queries::LostReport>,
}

pub async fn new_registration(layout: Layout) -> AppResult<Html<String>> {
    Ok(Html(render(RegisterPage { layout, form: RegisterForm::default(), errors: FormErrors::default() })?))
}

#[tracing::instrument(skip_all)]
/// Each registration costs a password hash, and perhaps a mail to a number's owner.
/// A dormitory NAT registers many students: the address's share counts distinct numbers.
fn registration_limits(state: &AppState, ip: &str, number: &str) -> Result<(), crate::web::limits::Refused> {
    let limits = &state.limits;
    limits
        .registrations
        .check(&ip.to_string(), number)
        .and_then(|()| limits.registrations_by_number.check(&number.to_string(), 1))
}

/// Someone tried to register a number that has an account: its owner is told by mail.
async fn tell_owner_of_attempt(state: &AppState, student_no: &str) -> AppResult<()> {
    if let Some((to, lang)) = queries::fetch_email(&state.db, student_no).await?.filter(|(e, _)| !e.is_empty()) {
        let (subject, body) = ("mail.duplicate_registration.subject", "mail.duplicate_registration.body");
        mail::queue(&state.db, &to, lang, subject, body).await?;
    }
    tracing::info!("registration for a taken student number");
    Ok(())
}

pub async fn create_registration(
    State(state): State<AppState>,
    layout: Layout,
    ClientIp(ip): ClientIp,
    Form(form): Form<RegisterForm>,
) -> AppResult<Response> {
    let again = |form: RegisterForm| RegisterForm { password: String::new(), password_confirm: String::new(), ..form };
    let account = match NewAccount::try_from(&form) {
        Ok(a) => a,
        Err(errors) => return Ok(Html422(render(RegisterPage { layout, form: again(form), errors })?).into_response()),
    };
    // Each registration costs a password hash, and perhaps a mail to a number's owner.
    // A dormitory NAT registers many students: the address's share counts distinct numbers.
    let limited = registration_limits(&state, &ip, account.student_no.as_str());
    if let Err(refused) = limited {
        let mut errors = FormErrors::default();
        errors.add(crate::web::forms::FORM, "form.rate_limited");
        let page = render(RegisterPage { layout, form: again(form), errors })?;
        return Ok(crate::web::limits::too_many(page, refused));
    }
    // Hash first, whatever happens next, so a taken number answers in the same time.
    let hash = state.hasher.hash(account.password.clone()).await?;
    let created = queries::insert_user(
        &state.db,
        account.student_no.as_str(),
        &account.name,
        &account.college,
        &account.email,
        &hash,
        false,
    )
    .await?;
    match created {
        Some(user_id) => {
            // Mail follows the language the student registered in.
            queries::set_language(&state.db, user_id, layout.lang).await?;
            tracing::info!(user_id, "account registered");
        }
        // Same answer as a new registration; the owner hears of the attempt by mail.
        None => tell_owner_of_attempt(&state, account.student_no.as_str()).await?,
    }
    Ok(redirect_with_flash("/login", "flash.registered", None))
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn new_login(
    layout: Layout,
    MaybeUser(viewer): MaybeUser,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    if viewer.is_some() {
        return Ok(axum::response::Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    let form = LoginForm { next: safe_next(q.next.as_deref()), ..LoginForm::default() };
    Ok(Html(render(LoginPage { layout, form, message: None })?).into_response())
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
async fn start_session(
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
    let student_no = form.student_no.trim().to_string();
    let password_ok = !form.password.is_empty() && form.password.chars().count() <= password::MAX_CHARS;
    if StudentNo::parse(&student_no).is_err() || !password_ok {
        return login_again(layout, form, "login.failed", false);
    }
    let attempt = record_attempt(&state, &jar, &student_no, &ip).await?;
    if attempt.limited {
        tracing::warn!("login rate limited");
        return login_again(layout, form, "login.rate_limited", true);
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
        return login_again(layout, form, "login.failed", false);
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
fn login_again(layout: Layout, form: LoginForm, message: &'static str, throttled: bool) -> AppResult<Response> {
    let form = LoginForm { password: String::new(), next: safe_next(Some(&form.next)), ..form };
    let page = render(LoginPage { layout, form, message: Some(message) })?;
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
fn device_token(state: &AppState, jar: &CookieJar) -> Option<String> {
    let value = jar.get(device_cookie_name(&state.config))?.value();
    (value.len() == 43 && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| value.to_string())
}

fn set_session_cookies(state: &AppState, response: &mut Response, token: &str) {
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

pub async fn edit_password(layout: Layout, CurrentUser(user): CurrentUser) -> AppResult<Html<String>> {
    Ok(Html(render(PasswordPage { layout, errors: FormErrors::default(), forced: user.must_change_password })?))
}

#[tracing::instrument(skip_all, fields(user_id = user.user_id))]
/// What is wrong with the new password, beside its field: weak, not confirmed, or the same as before.
fn new_password_errors(form: &PasswordForm, user: &crate::web::Viewer) -> FormErrors {
    let mut errors = FormErrors::default();
    if let Some(key) = password::weakness(&form.new_password, &[&user.student_no, &user.name]) {
        errors.add("new_password", key);
    } else if form.new_password != form.password_confirm {
        errors.add("password_confirm", "form.password.mismatch");
    } else if form.new_password == form.current_password {
        errors.add("new_password", "form.password.unchanged");
    }
    errors
}

/// The new password in place, all at once: reset links asked for earlier expire (they must not
/// set the password back), every
/// session of the user ends (this one included), and this browser gets a new one, whose token is returned.
async fn replace_password(state: &AppState, user_id: i64, new_password: String) -> AppResult<String> {
    let hash = state.hasher.hash(new_password).await?;
    let mut tx = state.db.begin().await?;
    queries::update_password(&mut *tx, user_id, &hash).await?;
    queries::expire_password_resets(&mut *tx, user_id).await?;
    session::delete_other_sessions(&mut *tx, user_id, None).await?;
    let new = session::insert_session(&mut *tx, user_id).await?;
    crate::audit::record(
        &mut *tx,
        Some(user_id),
        None,
        crate::audit::Action::PasswordChanged,
        "app_user",
        &user_id.to_string(),
        None,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(new.token)
}

pub async fn update_password(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    ClientIp(ip): ClientIp,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    // Guessing the current password (with a borrowed or stolen session) is limited like
    // logging in: the same attempts, counted on the account and the address.
    let attempt = queries::insert_login_attempt(&state.db, &user.student_no, &ip, None).await?;
    let failures =
        queries::count_recent_failures(&state.db, &user.student_no, &ip, None, rate_limit::WINDOW_SECS, attempt)
            .await?;
    if rate_limit::untrusted_is_limited(&failures) {
        tracing::warn!("password change rate limited");
        let mut errors = FormErrors::default();
        errors.add("current_password", "login.rate_limited");
        let page = render(PasswordPage { layout, errors, forced: user.must_change_password })?;
        return Ok(
            (axum::http::StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "180")], Html(page)).into_response()
        );
    }
    let mut errors = new_password_errors(&form, &user);
    let stored = queries::fetch_password_hash(&state.db, user.user_id).await?;
    let current_ok = form.current_password.chars().count() <= password::MAX_CHARS
        && state.hasher.verify(form.current_password.clone(), stored).await?.ok;
    if current_ok {
        queries::settle_login_attempt(&state.db, attempt, true, false).await?;
    } else {
        errors.add("current_password", "form.password.wrong_current");
    }
    if !errors.is_empty() {
        return Ok(Html422(render(PasswordPage { layout, errors, forced: user.must_change_password })?).into_response());
    }
    let session_token = replace_password(&state, user.user_id, form.new_password).await?;
    tracing::info!("password changed");
    let mut response = redirect_with_flash("/me", "flash.password_changed", None);
    set_session_cookies(&state, &mut response, &session_token);
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

pub async fn show_me(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
) -> AppResult<Html<String>> {
    let profile = queries::fetch_profile(&state.db, user.user_id).await?.ok_or(AppError::NotFound)?;
    let mine = crate::complaints::queries::list_mine(&state.db, user.user_id).await?;
    let supported = crate::complaints::queries::list_supported(&state.db, user.user_id).await?;
    let lost_reports = crate::lost_found::queries::list_reports_of(&state.db, user.user_id).await?;
    Ok(Html(render(MePage { layout, profile, mine, supported, lost_reports })?))
}
