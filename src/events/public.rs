//! The students' side: the list of events, an event's page with the application form,
//! one's own application (its number, result and door code), withdrawing and
//! confirming; and a witness's commitment and reveal.

use askama::Template;
use axum::{
    extract::{FromRequestParts, Query, State},
    http::request::Parts,
    response::{Html, IntoResponse, Response},
    Form,
};
use chrono::{DateTime, Utc};

use super::{
    forms::ApplyForm,
    model::Phase,
    paths::EventPath,
    places::{self, Applicant, Applied},
    queries::{self, ApplicantFacts, Event, EventFilter, MyApplication, Witness},
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    web::{
        context::redirect_with_flash,
        forms::{PageQuery, FORM},
        limits::{too_many, Write},
        render, CurrentUser, FormErrors, Html422, Layout, Path,
    },
};

/// The event, with its pool frozen first if its window has just closed: the pool and its
/// hash are published the moment applications end, whoever looks first.
pub async fn load_event(state: &AppState, event_id: i64) -> AppResult<Event> {
    let e = queries::fetch_event(&state.db, event_id).await?.ok_or(AppError::NotFound)?;
    frozen_if_due(state, e).await
}

/// The event as read, or, when its pool is due to freeze, frozen and read again (the staff
/// pages read theirs with the department).
pub async fn frozen_if_due(state: &AppState, e: Event) -> AppResult<Event> {
    if !e.freeze_due(Utc::now()) {
        return Ok(e);
    }
    places::freeze(&state.db, e.event_id).await?;
    queries::fetch_event(&state.db, e.event_id).await?.ok_or(AppError::NotFound)
}

const EVENTS_PAGE: i64 = 20;

#[derive(Template)]
#[template(path = "events/list.html")]
struct ListPage {
    layout: Layout,
    events: Vec<Event>,
    now: DateTime<Utc>,
    page: i64,
    more: bool,
}

pub async fn list_events(
    State(state): State<AppState>,
    layout: Layout,
    Query(q): Query<PageQuery>,
) -> AppResult<Html<String>> {
    let page = q.number();
    let filter = EventFilter { limit: EVENTS_PAGE + 1, offset: (page - 1) * EVENTS_PAGE, ..EventFilter::default() };
    let mut events = queries::find_events(&state.db, &filter).await?;
    let more = events.len() as i64 > EVENTS_PAGE;
    events.truncate(EVENTS_PAGE as usize);
    Ok(Html(render(ListPage { layout, events, now: Utc::now(), page, more })?))
}

#[derive(Template)]
#[template(path = "events/show.html")]
struct ShowPage {
    layout: Layout,
    e: Event,
    description_html: String,
    now: DateTime<Utc>,
    phase: Phase,
    mine: Option<MyApplication>,
    /// Why the viewer may not apply (a catalogue key), if they may not.
    barred: Option<&'static str>,
    witnesses: Vec<Witness>,
    /// The viewer, if they are one of the witnesses.
    my_witness: Option<Witness>,
    form: ApplyForm,
    errors: FormErrors,
    /// The commitment or reveal form's message, beside it.
    witness_errors: FormErrors,
    /// Its feedback questionnaires (for its attendees).
    feedback: Vec<(i64, String)>,
}

impl ShowPage {
    /// Each question with its field name and what was typed.
    fn answer_fields(&self) -> Vec<(&'static str, &str, &str)> {
        let fields = super::forms::ANSWER_FIELDS.iter();
        fields.zip(&self.e.questions).enumerate().map(|(i, (f, q))| (*f, q.as_str(), self.form.answer(i))).collect()
    }
    fn needs_verification(&self) -> bool {
        self.barred == Some("events.needs_verified")
    }
}

/// What keeps a signed-in student from applying: not verified, outside the colleges or
/// grades, or a witness of its draw (whose secret helps choose who goes).
fn barred(e: &Event, facts: &ApplicantFacts, witness: bool) -> Option<&'static str> {
    if !facts.verified {
        Some("events.needs_verified")
    } else if !e.admits(&facts.college, &facts.student_no) {
        Some("events.not_admitted")
    } else if witness {
        Some("events.witness_may_not_apply")
    } else {
        None
    }
}

async fn applicant(db: impl sqlx::PgExecutor<'_>, user_id: i64) -> AppResult<ApplicantFacts> {
    queries::fetch_applicant(db, user_id).await?.ok_or(AppError::NotFound)
}

pub(super) async fn show_page(
    state: &AppState,
    layout: Layout,
    e: Event,
    form: ApplyForm,
    errors: FormErrors,
    witness_errors: FormErrors,
) -> AppResult<String> {
    // One connection for the page's statements: the pool checks each connection it gets back
    // with a round trip of its own.
    let mut conn = state.db.acquire().await?;
    let witnesses = queries::list_witnesses(&mut *conn, e.event_id).await?;
    let feedback = crate::surveys::queries::list_feedback_forms(&mut *conn, "event_attendees", e.event_id).await?;
    let (mine, barred, my_witness) = match layout.viewer.as_ref().map(|v| v.user_id) {
        Some(user) => {
            let witness = witnesses.iter().find(|w| w.user_id == user).cloned();
            let barred = barred(&e, &applicant(&mut *conn, user).await?, witness.is_some());
            (queries::fetch_my_application(&mut *conn, e.event_id, user).await?, barred, witness)
        }
        None => (None, None, None),
    };
    drop(conn);
    let now = Utc::now();
    let description_html = crate::plans::text::render_markdown(&e.description);
    let phase = e.phase(now);
    render(ShowPage {
        layout,
        e,
        description_html,
        now,
        phase,
        mine,
        barred,
        witnesses,
        my_witness,
        form,
        errors,
        witness_errors,
        feedback,
    })
}

pub async fn show_event(
    State(state): State<AppState>,
    layout: Layout,
    Path(EventPath { event_id }): Path<EventPath>,
) -> AppResult<Html<String>> {
    let e = load_event(&state, event_id).await?;
    Ok(Html(show_page(&state, layout, e, ApplyForm::default(), FormErrors::default(), FormErrors::default()).await?))
}

/// A press on one of an event's buttons by the signed-in student; each handler takes it
/// from their hourly share (`Write::EventPresses`) once it knows it has nothing typed to keep.
pub struct EventPress {
    pub(super) user_id: i64,
    pub(super) event: Event,
}

impl FromRequestParts<AppState> for EventPress {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        let Path(EventPath { event_id }) = Path::from_request_parts(parts, state).await?;
        let event = load_event(state, event_id).await?;
        Ok(EventPress { user_id: user.user_id, event })
    }
}

impl EventPress {
    pub(super) fn link(&self) -> String {
        format!("/events/{}", self.event.event_id)
    }
}

pub async fn apply(
    State(state): State<AppState>,
    layout: Layout,
    press: EventPress,
    Form(form): Form<ApplyForm>,
) -> AppResult<Response> {
    let e = &press.event;
    // Places bound to a student number go to accounts whose number someone vouched for.
    let witness = queries::is_witness(&state.db, e.event_id, press.user_id).await?;
    let facts = applicant(&state.db, press.user_id).await?;
    if let Some(key) = barred(e, &facts, witness) {
        return Err(AppError::Conflict(match key {
            "events.needs_verified" => "error.409.needs_verified",
            "events.witness_may_not_apply" => "error.409.witness_may_not_apply",
            _ => "error.409.event_not_for_you",
        }));
    }
    let mut answers = form.parse(e.questions.len());
    // Past the hourly share, the answers typed come back with the message.
    if let (Ok(_), Err(refused)) = (&answers, state.limits.write(Write::EventPresses, press.user_id).await) {
        let errors = FormErrors::one(FORM, "form.rate_limited");
        let page = show_page(&state, layout, press.event, form, errors, FormErrors::default()).await?;
        return Ok(too_many(page, refused));
    }
    let answers = match std::mem::replace(&mut answers, Ok(vec![])) {
        Ok(a) => a,
        Err(errors) => {
            let page = show_page(&state, layout, press.event, form, errors, FormErrors::default()).await?;
            return Ok(Html422(page).into_response());
        }
    };
    // A pool line is `number,college` ending in a new line: a college from a campus sign-in
    // with a line break in it would split the line.
    let college = facts.college.replace(char::is_control, " ");
    let applicant = Applicant { user_id: press.user_id, college: &college, answers: &answers };
    let key = match places::apply(&state.db, e.event_id, &applicant, Utc::now()).await? {
        Applied::InPool => "flash.events.in_pool",
        Applied::Place => "flash.events.place",
        Applied::Waiting => "flash.events.waiting",
        Applied::Already => "flash.events.already",
    };
    Ok(redirect_with_flash(&press.link(), key, None))
}

pub async fn withdraw(State(state): State<AppState>, press: EventPress) -> AppResult<Response> {
    state.limits.write(Write::EventPresses, press.user_id).await?;
    let link = press.link();
    let changed = places::withdraw(&state.db, press.event.event_id, press.user_id).await?;
    let key = if changed { "flash.events.withdrawn" } else { "flash.events.nothing_to_withdraw" };
    Ok(redirect_with_flash(&link, key, None))
}

pub async fn confirm(State(state): State<AppState>, press: EventPress) -> AppResult<Response> {
    state.limits.write(Write::EventPresses, press.user_id).await?;
    places::confirm(&state.db, press.event.event_id, press.user_id).await?;
    Ok(redirect_with_flash(&press.link(), "flash.events.confirmed", None))
}
