//! The student side: file a complaint, follow it, support one (同问), answer,
//! confirm or reopen. Private complaints are 404 to everyone but the reporter,
//! the handling department and the presidium; an anonymous reporter's identity
//! never reaches a page anyone else can read.

use askama::Template;
use axum::{
    extract::{multipart::Multipart, Query, State},
    response::{Html, IntoResponse, Response},
    Form,
};
use chrono::Datelike;

use super::{
    forms::{ComplaintForm, ConfirmForm, TextForm},
    queries::{self, ComplaintRow, EventRow, NewComplaint, NewEvent},
    status::ComplaintStatus,
    ComplaintPath,
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    notifications::notify,
    uploads,
    web::{
        context::redirect_with_flash,
        limits::{too_many, too_many_presses, Write},
        render, CurrentUser, FormErrors, Html422, Layout, MaybeUser, Path, Viewer,
    },
};

#[derive(Template)]
#[template(path = "complaints/new.html")]
struct NewPage {
    layout: Layout,
    categories: Vec<queries::Category>,
    form: ComplaintForm,
    errors: FormErrors,
}

pub async fn new_complaint(State(state): State<AppState>, layout: Layout, _: CurrentUser) -> AppResult<Html<String>> {
    let categories = queries::categories(&state).await?;
    let form = ComplaintForm { visibility: "public".into(), ..ComplaintForm::default() };
    Ok(Html(render(NewPage { layout, categories, form, errors: FormErrors::default() })?))
}

// No user id in the span: with the complaint id logged inside it, it would name
// the reporter of an anonymous complaint in the log.
#[tracing::instrument(skip_all)]
pub async fn create_complaint(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    multipart: Multipart,
) -> AppResult<Response> {
    let (form, uploaded) = match super::photos::read_form(multipart).await {
        Ok(read) => read,
        Err(rejection) => return Ok(rejection),
    };
    let categories = queries::categories(&state).await?;
    let limits = &state.limits;
    let photos = uploaded.len() as u32;
    // Photos first: a refusal for photos leaves the hour's complaints untouched.
    if let Err(refused) =
        limits.photos.check(&user.user_id, photos).and_then(|()| limits.filings.check(&user.user_id, 1))
    {
        let mut errors = FormErrors::default();
        errors.add(crate::web::forms::FORM, "form.rate_limited");
        return Ok(crate::web::limits::too_many(render(NewPage { layout, categories, form, errors })?, refused));
    }
    let parsed = form.parse(&categories);
    let photos = super::photos::process_all(uploaded).await?;
    let (values, photos) = match (parsed, photos) {
        (Ok(v), Ok(p)) => (v, p),
        (parsed, photos) => {
            let mut errors = parsed.err().unwrap_or_default();
            if let Err(key) = photos {
                errors.add("photos", key);
            }
            return Ok(Html422(render(NewPage { layout, categories, form, errors })?).into_response());
        }
    };
    let data_dir = &state.config.data_dir;
    let stored = uploads::store_all(data_dir, &photos).await.map_err(|e| AppError::Internal(e.into()))?;
    let result = file_complaint(&state, user.user_id, &values, &stored).await.map(|(_, no)| no);
    if result.is_err() {
        // Nothing was saved: leave no orphan files behind.
        uploads::remove_all(data_dir, &stored).await;
    }
    let tracking_no = result?;
    Ok(redirect_with_flash(&format!("/complaints/{tracking_no}"), "flash.complaint_filed", Some(&tracking_no)))
}

/// The complaint, its photos, its first event and the handlers' notification: all or nothing.
/// The one way a complaint comes to exist (the form and the demo seed). Returns (id, tracking number).
pub async fn file_complaint(
    state: &AppState,
    reporter_id: i64,
    values: &super::forms::NewComplaintValues,
    photos: &[uploads::StoredPhoto],
) -> AppResult<(i64, String)> {
    let year = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).year();
    let slug = crate::web::dept_access::department_slug(state, values.department_id).await?;
    let complaint = NewComplaint {
        year,
        reporter_id,
        category_id: values.category_id,
        department_id: values.department_id,
        title: &values.title,
        location: &values.location,
        description: &values.description,
        is_public: values.is_public,
        is_anonymous: values.is_anonymous,
    };
    let link_prefix = format!("/d/{slug}/complaints/");
    let (complaint_id, tracking_no) =
        queries::insert_filed_complaint(&state.db, &complaint, photos, &link_prefix).await?;
    tracing::info!(complaint_id, photos = photos.len(), "complaint filed");
    Ok((complaint_id, tracking_no))
}

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
    let supported = match &viewer {
        Some(v) => queries::has_supported(&state.db, c.complaint_id, v.user_id).await?,
        None => false,
    };
    let events = queries::list_events(&state.db, c.complaint_id, false).await?;
    let photos = queries::list_photos(&state.db, c.complaint_id).await?;
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

/// The complaint if this viewer may see it; 404 otherwise (existence is not revealed).
async fn visible(state: &AppState, tracking_no: &str, viewer: Option<&Viewer>) -> AppResult<ComplaintRow> {
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
    if let Err(refused) = state.limits.write(Write::Supports, user.user_id) {
        return Ok(too_many_presses(refused));
    }
    queries::insert_support(&state.db, c.complaint_id, user.user_id).await?;
    Ok(redirect_with_flash(&format!("/complaints/{tracking_no}"), "flash.supported", None))
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
        Err(key) => {
            let mut errors = FormErrors::default();
            errors.add(kind, key);
            return Ok(Html422(show_page(state, layout, c, errors, typed.to_string()).await?).into_response());
        }
    };
    // Each step mails the department and every follower: an hourly share per student.
    if let Err(refused) = state.limits.write(Write::ComplaintUpdates, user.user_id) {
        let mut errors = FormErrors::default();
        errors.add(kind, "form.rate_limited");
        return Ok(too_many(show_page(state, layout, c, errors, typed.to_string()).await?, refused));
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
    let event = NewEvent {
        complaint_id: c.complaint_id,
        actor_id: Some(user.user_id),
        department_id: None,
        kind,
        from_status: from,
        to_status: to,
        body: &body,
        is_public: true,
    };
    public_event(&mut tx, &c, event, "notify.complaint.update").await?;
    let handlers = crate::departments::queries::current_member_ids(&mut *tx, c.department_id).await?;
    let link = format!("/d/{}/complaints/{}", c.dept_slug, c.tracking_no);
    notify(&mut *tx, &handlers, Some(user.user_id), "notify.complaint.reporter_acted", &c.tracking_no, &link).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("/complaints/{tracking_no}"), "flash.complaint_updated", None))
}

pub async fn reply_to_complaint(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
    Form(form): Form<TextForm>,
) -> AppResult<Response> {
    reporter_step(&state, layout, &user, &tracking_no, "reporter_reply", &form.body).await
}

pub async fn reopen_complaint(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
    Form(form): Form<TextForm>,
) -> AppResult<Response> {
    reporter_step(&state, layout, &user, &tracking_no, "reopened", &form.body).await
}

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
        return Ok(Html422(show_page(&state, layout, c, errors, form.body).await?).into_response());
    };
    if let Err(refused) = state.limits.write(Write::ComplaintUpdates, user.user_id) {
        errors.add("confirmed", "form.rate_limited");
        return Ok(too_many(show_page(&state, layout, c, errors, form.body).await?, refused));
    }
    let mut tx = state.db.begin().await?;
    if !queries::update_confirm(&mut *tx, c.complaint_id, user.user_id, rating).await? {
        return Err(AppError::Conflict("error.409.complaint_changed"));
    }
    let body = if comment.is_empty() { format!("{rating}/5") } else { format!("{rating}/5 · {comment}") };
    let event = NewEvent {
        complaint_id: c.complaint_id,
        actor_id: Some(user.user_id),
        department_id: None,
        kind: "confirmed",
        from_status: None,
        to_status: None,
        body: &body,
        is_public: true,
    };
    public_event(&mut tx, &c, event, "notify.complaint.update").await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("/complaints/{tracking_no}"), "flash.complaint_confirmed", None))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct BoardQuery {
    status: String,
    category: String,
    office: String,
    /// Search words.
    q: String,
    /// Keyset cursor: `<unix micros>_<complaint_id>` of the last row shown.
    before: String,
}

#[derive(Template)]
#[template(path = "complaints/board.html")]
struct BoardPage {
    layout: Layout,
    rows: Vec<queries::BoardRow>,
    categories: Vec<queries::Category>,
    offices: Vec<queries::Office>,
    q: BoardQuery,
    next: Option<String>,
}

const BOARD_PAGE: i64 = 30;

pub async fn list_complaints(
    State(state): State<AppState>,
    layout: Layout,
    Query(q): Query<BoardQuery>,
) -> AppResult<Html<String>> {
    let before = crate::web::forms::parse_time_cursor(&q.before);
    let filter = queries::BoardFilter {
        status: ComplaintStatus::parse(&q.status).map(ComplaintStatus::as_str),
        category: Some(crate::web::forms::lookup_key(&q.category)).filter(|c| !c.is_empty()),
        office_id: q.office.parse().ok(),
        query: crate::search::tsquery(&q.q),
        // Search results are ordered by rank: one page of the best, no cursor.
        before: before.filter(|_| q.q.trim().is_empty()),
        limit: BOARD_PAGE,
    };
    let searching = filter.query.is_some();
    let rows = queries::list_public_board(&state.db, &filter).await?;
    // Search results are one ranked page: no cursor.
    let next = crate::web::forms::next_cursor(&rows, BOARD_PAGE, |r| {
        crate::web::forms::time_cursor(r.created_at, r.complaint_id)
    })
    .filter(|_| !searching);
    let categories = queries::categories(&state).await?;
    let offices = queries::list_offices(&state.db).await?;
    Ok(Html(render(BoardPage { layout, rows, categories, offices, q, next })?))
}
