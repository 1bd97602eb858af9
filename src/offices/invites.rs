//! Liaisons invited by mail: the presidium sends an address a one-time link
//! (`/offices/invites/{token}`); whoever opens it, signed in with a verified account,
//! becomes a liaison of the office. The link is kept only as its SHA-256, works for
//! `VALID_DAYS`, once, until revoked. It travels in the path: the access log and the CSRF
//! log write `redacted_path`, anonymous copies of the page are never shared
//! (`page_cache::may_share`), and the page is sent with `Referrer-Policy: no-referrer`.
//! Anyone may hold the link (mail is forwarded): it makes a liaison only of a verified
//! account, which the trigger of 0026 checks again.

use askama::Template;
use axum::{
    extract::State,
    http::{header, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Response},
    Form,
};
use serde_json::json;

use super::{liaisons, queries};
use crate::{
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult},
    web::{
        context::{redirect_with_flash, CurrentUser, MaybeUser},
        forms::FORM,
        render, session, FormErrors, Layout, Path, Viewer,
    },
};

/// How long an invitation works.
pub const VALID_DAYS: i32 = 14;
/// Invitations one presidium member may send in an hour (each is a mail to any address).
const PER_HOUR: i64 = 20;
/// The route's prefix; what follows it is the token.
const PREFIX: &str = "/offices/invites/";

/// The path as logs may write it: an invitation's token replaced (the link makes a liaison).
pub fn redacted_path(path: &str) -> std::borrow::Cow<'_, str> {
    match path.strip_prefix(PREFIX) {
        Some(rest) => {
            let tail = rest.find('/').map(|i| &rest[i..]).unwrap_or("");
            format!("{PREFIX}(token){tail}").into()
        }
        None => path.into(),
    }
}

/// `/presidium/offices/{office_id}/invites`
#[derive(serde::Deserialize)]
pub struct OfficePath {
    pub office_id: i64,
}

/// `/presidium/offices/invites/{invite_id}/revoke`
#[derive(serde::Deserialize)]
pub struct InvitePath {
    pub invite_id: i64,
}

/// `/offices/invites/{token}`
#[derive(serde::Deserialize)]
pub struct TokenPath {
    pub token: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    pub email: String,
}

pub async fn invite(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(viewer): CurrentUser,
    Path(OfficePath { office_id }): Path<OfficePath>,
    Form(form): Form<InviteForm>,
) -> AppResult<Response> {
    let office = queries::list_offices(&state.db).await?.into_iter().find(|o| o.office_id == office_id);
    let office = office.ok_or(AppError::NotFound)?;
    let mut errors = FormErrors::default();
    let email = errors.take("email", crate::accounts::forms::email(&form.email));
    if errors.is_empty() && queries::invites::pending_exists(&state.db, office_id, &email).await? {
        errors.add("email", "form.invite.pending");
    }
    if !errors.is_empty() {
        return liaisons::page(&state, layout, liaisons::Failed::Invite { office_id, errors, form }).await;
    }
    // Each invitation is a mail to any address: a few an hour per member of the presidium.
    if queries::invites::count_recent(&state.db, viewer.user_id).await? >= PER_HOUR {
        let errors = FormErrors::one(FORM, "form.rate_limited");
        let mut response = liaisons::page(&state, layout, liaisons::Failed::Invite { office_id, errors, form }).await?;
        tracing::warn!(retry_after = 3600, "rate limited: office invitations");
        *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("3600"));
        return Ok(response);
    }
    // The invitee has no account yet, or none we know of: the mail is in Chinese, with the English name too.
    let lang = crate::web::Lang::Zh;
    let name = format!("{} ({})", office.name_zh, office.name_en);
    let subject = lang.t("mail.office_invite.subject").replace("%{param}", &office.name_zh);
    let body = lang.t("mail.office_invite.body").replace("%{param}", &name).replace("%{days}", &VALID_DAYS.to_string());
    let token = session::random_token();
    let link = format!("{PREFIX}{token}");
    let mut tx = state.db.begin().await?;
    let invite_id = queries::invites::insert(
        &mut tx,
        (office_id, &email, viewer.user_id),
        &session::hash_token(&token),
        VALID_DAYS,
        (&subject, &body, &link),
    )
    .await?;
    let after = json!({ "office_id": office_id, "email": email, "valid_days": VALID_DAYS });
    let object = invite_id.to_string();
    audit::record(
        &mut *tx,
        Some(viewer.user_id),
        None,
        Action::LiaisonInvite,
        "office_invite",
        &object,
        None,
        Some(after),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(invite_id, office_id, "office liaison invited by mail");
    Ok(redirect_with_flash("/presidium/offices", "flash.invite_sent", Some(&email)))
}

pub async fn revoke(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    Path(InvitePath { invite_id }): Path<InvitePath>,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    let Some((office_id, email)) = queries::invites::revoke(&mut *tx, invite_id, viewer.user_id).await? else {
        return Err(AppError::NotFound);
    };
    let before = json!({ "office_id": office_id, "email": email });
    let object = invite_id.to_string();
    audit::record(
        &mut *tx,
        Some(viewer.user_id),
        None,
        Action::LiaisonInviteRevoke,
        "office_invite",
        &object,
        Some(before),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_with_flash("/presidium/offices", "flash.invite_revoked", None))
}

/// What the invitation page says to its visitor.
#[derive(PartialEq)]
enum Step {
    /// Not signed in: sign in (campus identity or an account), and back here.
    SignIn,
    /// Signed in, not verified: verify first; the invitation waits.
    Verify,
    /// Signed in and already a liaison of this office.
    Already,
    /// The button.
    Accept,
    /// Used, revoked, expired or unknown.
    Dead,
}

#[derive(Template)]
#[template(path = "offices/invite.html")]
struct InvitePage {
    layout: Layout,
    step: Step,
    /// The office's name in the page's language (empty for an unknown link).
    office: String,
    /// Where sign-in returns to: this page.
    here: String,
    /// Why the link does not work (a catalogue key).
    dead_reason: &'static str,
}

/// The page, never cached or passed on as a referrer: its URL is the secret.
fn invite_page(page: InvitePage, status: StatusCode) -> AppResult<Response> {
    let mut response = (status, Html(render(page)?)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

fn dead(layout: Layout, office: String, state: &str) -> AppResult<Response> {
    let (status, reason) = match state {
        "accepted" => (StatusCode::GONE, "office.invite.used"),
        "revoked" => (StatusCode::GONE, "office.invite.revoked"),
        "expired" => (StatusCode::GONE, "office.invite.expired"),
        _ => (StatusCode::NOT_FOUND, "office.invite.unknown"),
    };
    let page = InvitePage { layout, step: Step::Dead, office, here: String::new(), dead_reason: reason };
    invite_page(page, status)
}

pub async fn show(
    State(state): State<AppState>,
    layout: Layout,
    Path(TokenPath { token }): Path<TokenPath>,
) -> AppResult<Response> {
    let Some(invite) = queries::invites::fetch_by_token(&state.db, &session::hash_token(&token)).await? else {
        return dead(layout, String::new(), "unknown");
    };
    let office = layout.pick(&invite.name_zh, &invite.name_en).to_string();
    if invite.state != "pending" {
        return dead(layout, office, &invite.state);
    }
    let step = match layout.viewer.as_deref() {
        None => Step::SignIn,
        Some(v) if v.liaison_offices.contains(&invite.office_id) => Step::Already,
        Some(v) if !verified(&state, v).await? => Step::Verify,
        Some(_) => Step::Accept,
    };
    let here = format!("{PREFIX}{token}");
    invite_page(InvitePage { layout, step, office, here, dead_reason: "" }, StatusCode::OK)
}

async fn verified(state: &AppState, viewer: &Viewer) -> AppResult<bool> {
    let profile = crate::accounts::queries::fetch_profile(&state.db, viewer.user_id).await?;
    Ok(profile.is_some_and(|p| p.verified))
}

pub async fn accept(
    State(state): State<AppState>,
    layout: Layout,
    MaybeUser(viewer): MaybeUser,
    Path(TokenPath { token }): Path<TokenPath>,
) -> AppResult<Response> {
    // Signed out (the session ended meanwhile): sign in and come back to the page, not to this POST.
    let viewer = viewer.ok_or_else(|| AppError::Unauthenticated(format!("{PREFIX}{token}")))?;
    let token_hash = session::hash_token(&token);
    let Some(invite) = queries::invites::fetch_by_token(&state.db, &token_hash).await? else {
        return dead(layout, String::new(), "unknown");
    };
    let office = layout.pick(&invite.name_zh, &invite.name_en).to_string();
    if invite.state != "pending" {
        return dead(layout, office, &invite.state);
    }
    if !verified(&state, &viewer).await? {
        // The invitation waits for a verified account; the page says how.
        let page = InvitePage { layout, step: Step::Verify, office, here: format!("{PREFIX}{token}"), dead_reason: "" };
        return invite_page(page, StatusCode::CONFLICT);
    }
    let mut tx = state.db.begin().await?;
    // Used up under a lock: of two tabs (or two people), one succeeds.
    let Some(queries::invites::Accepted { invite_id, office_id, invited_by }) =
        queries::invites::accept(&mut tx, &token_hash, viewer.user_id).await?
    else {
        return dead(layout, office, "accepted");
    };
    liaisons::make_liaison(&mut tx, office_id, viewer.user_id, invited_by).await?;
    let after = json!({ "office_id": office_id, "invite_id": invite_id, "student_no": viewer.student_no });
    let object = format!("{office_id}:{}", viewer.user_id);
    audit::record(
        &mut *tx,
        Some(viewer.user_id),
        None,
        Action::LiaisonAccept,
        "office_liaison",
        &object,
        None,
        Some(after),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(invite_id, office_id, user_id = viewer.user_id, "office liaison invitation accepted");
    Ok(redirect_with_flash("/office", "flash.invite_accepted", Some(&office)))
}
