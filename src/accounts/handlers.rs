//! Registering, changing the password, the student's own page. Invalid forms come back
//! as the same page with the input kept and a message beside each field (422).

use askama::Template;
use axum::{
    extract::State,
    http::{header, HeaderValue},
    response::{Html, IntoResponse, Response},
    Form,
};

use super::{
    forms::{NewAccount, PasswordForm, RegisterForm},
    login::set_session_cookies,
    password, queries, rate_limit,
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    mail,
    web::{
        context::{redirect_with_flash, ClientIp},
        render, session, CurrentUser, FormErrors, Html422, Layout,
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
    /// Things the viewer found and reported, and what became of them.
    found_offers: Vec<crate::lost_found::queries::Offer>,
    /// Unverified: a link can go to the number's campus mail.
    campus_mail: bool,
    /// Unverified: signing in through the school verifies the number.
    campus_sign_in: bool,
    /// A dorm room on record: a link to its inspections (`/me/room`).
    has_room: bool,
    /// An inspector of a round not yet published: a link to score it (`/inspect`).
    inspects: bool,
}

pub async fn new_registration(layout: Layout) -> AppResult<Html<String>> {
    Ok(Html(render(RegisterPage { layout, form: RegisterForm::default(), errors: FormErrors::default() })?))
}

/// Each registration costs a password hash, and perhaps a mail to a number's owner.
/// A dormitory NAT registers many students: the address's share counts distinct numbers.
async fn registration_limits(state: &AppState, ip: &str, number: &str) -> Result<(), crate::web::limits::Refused> {
    let limits = &state.limits;
    limits.registrations.check(ip, number)?;
    limits.registrations_by_number.check(&number.to_string(), 1).await
}

/// Someone tried to register a number that has an account: the number's real holder is told by
/// mail. Whoever holds the account may have taken the number first, so the mail goes to the
/// number's campus address when the school's mail domain is configured, else to the account's
/// address only if the account is verified; never to the address the registrant typed.
async fn tell_owner_of_attempt(state: &AppState, student_no: &str) -> AppResult<()> {
    let holder = queries::fetch_verified_email(&state.db, student_no).await?;
    let to = match (&state.config.campus_mail_domain, holder) {
        (Some(domain), holder) => Some((format!("{student_no}@{domain}"), holder.map(|h| h.1).unwrap_or_default())),
        (None, Some((email, lang))) if !email.is_empty() => Some((email, lang)),
        (None, _) => None,
    };
    if let Some((to, lang)) = to {
        let (subject, body) = ("mail.duplicate_registration.subject", "mail.duplicate_registration.body");
        mail::queue(&state.db, &to, lang, subject, body).await?;
    }
    tracing::info!("registration for a taken student number");
    Ok(())
}

#[tracing::instrument(skip_all)]
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
    let limited = registration_limits(&state, &ip, account.student_no.as_str()).await;
    if let Err(refused) = limited {
        let errors = FormErrors::one(crate::web::forms::FORM, "form.rate_limited");
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

pub async fn edit_password(layout: Layout, CurrentUser(user): CurrentUser) -> AppResult<Html<String>> {
    Ok(Html(render(PasswordPage { layout, errors: FormErrors::default(), forced: user.must_change_password })?))
}

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

#[tracing::instrument(skip_all, fields(user_id = user.user_id))]
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
        let errors = FormErrors::one("current_password", "login.rate_limited");
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
    let parts = queries::fetch_me_page_parts(&state.db, user.user_id).await?.ok_or(AppError::NotFound)?;
    let queries::MePageParts { profile, mine, supported, lost_reports, found_offers, has_room, inspects } = parts;
    let campus_mail = state.config.campus_mail_domain.is_some();
    let campus_sign_in = state.config.cas.is_some() || state.config.oidc.is_some();
    Ok(Html(render(MePage {
        layout,
        profile,
        mine,
        supported,
        lost_reports,
        found_offers,
        campus_mail,
        campus_sign_in,
        has_room,
        inspects,
    })?))
}
