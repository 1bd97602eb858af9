//! The student side of one complaint: follow it, support one (同问), answer,
//! confirm or reopen. Private complaints are 404 to everyone but the reporter,
//! the handling department and the presidium; an anonymous reporter's identity
//! never reaches a page anyone else can read.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};

use super::{
    forms::{ConfirmForm, TextForm},
    queries::{self, ComplaintRow, EventRow, NewEvent},
    status::ComplaintStatus,
    ComplaintPath,
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    notifications::notify,
    web::{
        context::redirect_with_flash,
        limits::{too_many, Write},
        render, CurrentUser, FormErrors, Html422, Layout, MaybeUser, Path, Viewer,
    },
};

/// May this viewer see this complaint at all? The one rule for complaints, here
/// over the session's roles; SQL applies the same one (`complaint_visible_to`,
/// migrations/0020) wherever a list or a notification reaches past the page.
pub fn can_see(c: &ComplaintRow, viewer: Option<&Viewer>) -> bool {
    c.is_public
        || viewer.is_some_and(|v| v.user_id == c.reporter_id || v.is_presidium || v.role_in(&c.dept_slug).is_some())
}

#[derive(Template)]
#[template(path = "complaints/show.html")]
struct ShowPage {
    layout: Layout,
    c: ComplaintRow,
    events: Vec<EventRow>,
    photos: Vec<queries::Photo>,
    is_reporter: bool,
    can_confirm: bool,
    /// The deadline the union works to next, if one still applies: (catalogue key, when).
    deadline: Option<(&'static str, chrono::DateTime<chrono::Utc>)>,
    supported: bool,
    can_reopen: bool,
    errors: FormErrors,
    /// What was typed into the form that failed, kept for the retry.
    typed: String,
}

async fn show_page(
    state: &AppState,
    layout: Layout,
    c: ComplaintRow,
    errors: FormErrors,
    typed: String,
) -> AppResult<String> {
    let viewer = layout.viewer.clone();
    let is_reporter = viewer.as_ref().is_some_and(|v| v.user_id == c.reporter_id);
    let viewer_id = viewer.as_ref().map(|v| v.user_id);
    let (events, photos, supported) =
        queries::fetch_timeline_photos_and_support(&state.db, c.complaint_id, viewer_id).await?;
    let status = ComplaintStatus::parse(&c.status).ok_or_else(|| anyhow::anyhow!("unknown status {}", c.status))?;
    let can_reopen = is_reporter
        && status == ComplaintStatus::Resolved
        && c.resolved_at.is_some_and(|r| chrono::Utc::now() - r < chrono::Duration::days(14));
    let can_confirm = is_reporter && status == ComplaintStatus::Resolved && c.confirmed_at.is_none();
    let calendar = crate::holidays::calendar(state).await?;
    let deadline = next_deadline(&c, status, &state.config, &calendar);
    render(ShowPage {
        layout,
        c,
        events,
        photos,
        is_reporter,
        can_confirm,
        deadline,
        supported,
        can_reopen,
        errors,
        typed,
    })
}

/// Accept by (working days), or first public reply by, while that is still to come.
fn next_deadline(
    c: &ComplaintRow,
    status: ComplaintStatus,
    config: &crate::config::Config,
    calendar: &crate::holidays::WorkCalendar,
) -> Option<(&'static str, chrono::DateTime<chrono::Utc>)> {
    if c.merged_into.is_some() {
        None
    } else if status == ComplaintStatus::Submitted {
        Some(("complaint.accept_by", super::deadlines::accept_by(c.created_at, config, calendar)))
    } else if status.is_open() && c.first_public_reply_at.is_none() {
        Some(("complaint.reply_by", super::deadlines::reply_by(c.created_at, config)))
    } else {
        None
    }
}

/// The complaint's page again, what was typed kept and the error beside its field:
/// 422 for what was typed, 429 past the student's hourly share.
async fn show_again(
    state: &AppState,
    layout: Layout,
    c: ComplaintRow,
    errors: FormErrors,
    typed: String,
    refused: Option<crate::web::limits::Refused>,
) -> AppResult<Response> {
    let page = show_page(state, layout, c, errors, typed).await?;
    Ok(match refused {
        Some(refused) => too_many(page, refused),
        None => Html422(page).into_response(),
    })
}

/// The complaint if this viewer may see it; 404 otherwise (existence is not revealed).
pub(super) async fn visible(state: &AppState, tracking_no: &str, viewer: Option<&Viewer>) -> AppResult<ComplaintRow> {
    let c = queries::fetch_complaint(&state.db, tracking_no).await?.ok_or(AppError::NotFound)?;
    if can_see(&c, viewer) {
        Ok(c)
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn show_complaint(
    State(state): State<AppState>,
    layout: Layout,
    MaybeUser(viewer): MaybeUser,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
) -> AppResult<Html<String>> {
    let c = visible(&state, &tracking_no, viewer.as_deref()).await?;
    Ok(Html(show_page(&state, layout, c, FormErrors::default(), String::new()).await?))
}

/// Record a public event on the timeline and tell everyone following, but the actor.
pub async fn public_event(
    tx: &mut sqlx::PgConnection,
    c: &ComplaintRow,
    event: NewEvent<'_>,
    message_key: &str,
) -> AppResult<()> {
    queries::insert_event(&mut *tx, &event).await?;
    tell_followers(tx, c, event.actor_id, message_key).await
}

/// Tell the complaint's followers who may see it (`queries::list_followers`), but the actor.
pub async fn tell_followers(
    tx: &mut sqlx::PgConnection,
    c: &ComplaintRow,
    actor_id: Option<i64>,
    message_key: &str,
) -> AppResult<()> {
    let followers = queries::list_followers(&mut *tx, c.complaint_id).await?;
    let link = format!("/complaints/{}", c.tracking_no);
    notify(&mut *tx, &followers, actor_id, message_key, &c.tracking_no, &link).await?;
    Ok(())
}

pub async fn support_complaint(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
) -> AppResult<Response> {
    let c = visible(&state, &tracking_no, Some(&user)).await?;
    if !c.is_public || c.reporter_id == user.user_id {
        return Err(AppError::Conflict("error.409.cannot_support"));
    }
    state.limits.write(Write::Supports, user.user_id).await?;
    queries::insert_support(&state.db, c.complaint_id, user.user_id).await?;
    Ok(redirect_with_flash(&format!("/complaints/{tracking_no}"), "flash.supported", None))
}

/// A public event by the reporter (never on behalf of a department).
fn reporter_event<'a>(user: &Viewer, c: &ComplaintRow, kind: &'a str, body: &'a str) -> NewEvent<'a> {
    NewEvent::public(c.complaint_id, Some(user.user_id), kind, body)
}

/// The reporter's own steps share one shape: check, change, record, tell.
async fn reporter_step(
    state: &AppState,
    layout: Layout,
    user: &Viewer,
    tracking_no: &str,
    kind: &'static str,
    typed: &str,
) -> AppResult<Response> {
    let text = crate::web::forms::multi_line(typed, 2000, true);
    let c = visible(state, tracking_no, Some(user)).await?;
    if c.reporter_id != user.user_id {
        return Err(AppError::NotFound);
    }
    let body = match text {
        Ok(b) => b,
        Err(key) => return show_again(state, layout, c, FormErrors::one(kind, key), typed.to_string(), None).await,
    };
    // Each step mails the department and every follower: an hourly share per student.
    if let Err(refused) = state.limits.write(Write::ComplaintUpdates, user.user_id).await {
        let errors = FormErrors::one(kind, "form.rate_limited");
        return show_again(state, layout, c, errors, typed.to_string(), Some(refused)).await;
    }
    let mut tx = state.db.begin().await?;
    let done = match kind {
        "reopened" => queries::update_reopen(&mut *tx, c.complaint_id, user.user_id).await?,
        _ => true,
    };
    if !done {
        return Err(AppError::Conflict("error.409.complaint_changed"));
    }
    let (from, to) = if kind == "reopened" { (Some("resolved"), Some("accepted")) } else { (None, None) };
    let event = NewEvent { from_status: from, to_status: to, ..reporter_event(user, &c, kind, &body) };
    public_event(&mut tx, &c, event, "notify.complaint.update").await?;
    let handlers = crate::departments::queries::current_member_ids(&mut *tx, c.department_id).await?;
    let link = format!("/d/{}/complaints/{}", c.dept_slug, c.tracking_no);
    notify(&mut *tx, &handlers, Some(user.user_id), "notify.complaint.reporter_acted", &c.tracking_no, &link).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("/complaints/{tracking_no}"), "flash.complaint_updated", None))
}

// A reply and a reopening: one form each, so each is its own route.
crate::web::forms::one_handler_per_form!(
    (State(state): State<AppState>, layout: Layout, CurrentUser(user): CurrentUser,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>, Form(form): Form<TextForm>)
    kind => reporter_step(&state, layout, &user, &tracking_no, kind, &form.body);
    reply_to_complaint => "reporter_reply", reopen_complaint => "reopened"
);

pub async fn confirm_complaint(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
    Form(form): Form<ConfirmForm>,
) -> AppResult<Response> {
    let c = visible(&state, &tracking_no, Some(&user)).await?;
    if c.reporter_id != user.user_id {
        return Err(AppError::NotFound);
    }
    let mut errors = FormErrors::default();
    let rating = form.rating.parse::<i16>().ok().filter(|r| (1..=5).contains(r));
    if rating.is_none() {
        errors.add("rating", "form.rating.choose");
    }
    let comment = errors.take("confirmed", crate::web::forms::multi_line(&form.body, 2000, false));
    let Some(rating) = rating.filter(|_| errors.is_empty()) else {
        return show_again(&state, layout, c, errors, form.body, None).await;
    };
    if let Err(refused) = state.limits.write(Write::ComplaintUpdates, user.user_id).await {
        errors.add("confirmed", "form.rate_limited");
        return show_again(&state, layout, c, errors, form.body, Some(refused)).await;
    }
    let mut tx = state.db.begin().await?;
    if !queries::update_confirm(&mut *tx, c.complaint_id, user.user_id, rating).await? {
        return Err(AppError::Conflict("error.409.complaint_changed"));
    }
    let body = if comment.is_empty() { format!("{rating}/5") } else { format!("{rating}/5 · {comment}") };
    let event = reporter_event(&user, &c, "confirmed", &body);
    public_event(&mut tx, &c, event, "notify.complaint.update").await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("/complaints/{tracking_no}"), "flash.complaint_confirmed", None))
}
