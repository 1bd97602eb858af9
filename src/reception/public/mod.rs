//! The students' side: when the next session is (page, calendar, feed), a seat or a
//! place in line, questions and votes, the minutes, and the commitments board.

pub mod board;
pub mod feeds;
pub mod poster;

pub use board::parse_cursor;

use askama::Template;
use axum::{
    extract::{FromRequestParts, Query, State},
    http::request::Parts,
    response::{Html, IntoResponse, Response},
    Form,
};
use chrono::{DateTime, Utc};

use super::{
    forms::QuestionForm,
    model::{self, SignupStatus},
    paths::{QuestionVotePath, SessionCodePath},
    queries::{
        self, Commitment, CommitmentFilter, Leader, Minute, MySignup, MyStanding, NewQuestion, OwnComplaint, Question,
        QuestionCursor, Quota, Session, SessionFilter,
    },
    seats::{self, Outcome},
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    web::{
        context::redirect_with_flash,
        forms::{next_cursor, today, PageQuery, FORM},
        limits::{too_many, Write},
        render, CurrentUser, FormErrors, Html422, Layout, Path,
    },
};

/// The session a public code names, or 404.
async fn by_code(state: &AppState, code: &str) -> AppResult<Session> {
    let (prefix, number) = model::parse_code(code).ok_or(AppError::NotFound)?;
    queries::fetch_by_code(&state.db, prefix, number).await?.ok_or(AppError::NotFound)
}

/// "第148期校领导接待日", as notifications and the calendar name it.
pub fn title(s: &Session) -> String {
    format!("第{}期{}", s.number, s.kind_zh)
}

/// Sessions a page of the list shows: the coming ones lead the first page, then the
/// latest past ones; four years of weekly sessions are pages to turn, not one to scroll.
const SESSIONS_PAGE: i64 = 20;

#[derive(Template)]
#[template(path = "reception/list.html")]
struct ListPage {
    layout: Layout,
    sessions: Vec<Session>,
    now: DateTime<Utc>,
    /// This page's number (from 1), and whether another follows.
    page: i64,
    more: bool,
}

pub async fn list_sessions(
    State(state): State<AppState>,
    layout: Layout,
    Query(q): Query<PageQuery>,
) -> AppResult<Html<String>> {
    let page = q.number();
    let (limit, offset) = (SESSIONS_PAGE + 1, (page - 1) * SESSIONS_PAGE);
    let filter = SessionFilter { limit, offset, past_uncounted: true, ..SessionFilter::default() };
    let mut sessions = queries::find_sessions(&state.db, &filter).await?;
    let more = sessions.len() as i64 > SESSIONS_PAGE;
    sessions.truncate(SESSIONS_PAGE as usize);
    Ok(Html(render(ListPage { layout, sessions, now: Utc::now(), page, more })?))
}

#[derive(Template)]
#[template(path = "reception/show.html")]
struct ShowPage {
    layout: Layout,
    s: Session,
    leaders: Vec<Leader>,
    quotas: Vec<Quota>,
    mine: Option<MySignup>,
    following: bool,
    /// One page of the questions; `next` is the cursor of the page after it.
    questions: Vec<Question>,
    next: Option<String>,
    /// Showing a later page, not the first.
    later_page: bool,
    my_votes: Vec<i64>,
    minutes: Vec<Minute>,
    commitments: Vec<Commitment>,
    signup_open: bool,
    /// Has a seat or a place in line.
    signed_up: bool,
    past: bool,
    form: QuestionForm,
    errors: FormErrors,
    today: chrono::NaiveDate,
    /// Its feedback questionnaires (for its participants), once the day is past.
    feedback: Vec<(i64, String)>,
}

async fn show_page(
    state: &AppState,
    layout: Layout,
    s: Session,
    form: QuestionForm,
    errors: FormErrors,
    after: Option<QuestionCursor>,
) -> AppResult<String> {
    let id = s.session_id;
    let viewer = layout.viewer.as_ref().map(|v| v.user_id);
    // One connection for the page's statements: the pool checks each connection it gets back
    // with a round trip of its own.
    let mut conn = state.db.acquire().await?;
    let db = &mut *conn;
    let now = Utc::now();
    let past = s.is_past(&now);
    let parts = queries::fetch_day_page_parts(&mut *db, id, viewer, past).await?;
    let MyStanding { signup: mine, following, voted: my_votes } = parts.standing;
    let questions = queries::page_questions(&mut *db, id, after, QUESTIONS_PAGE).await?;
    let next =
        next_cursor(&questions, QUESTIONS_PAGE, |q| format!("{}_{}_{}", u8::from(q.on_agenda), q.votes, q.question_id));
    let of_session = CommitmentFilter { session_id: Some(id), ..CommitmentFilter::default() };
    let commitments = queries::find_commitments(&mut *db, &of_session).await?;
    let signup_open = s.signup_open(now);
    let signed_up = mine.as_ref().is_some_and(|m| m.status != SignupStatus::Cancelled);
    render(ShowPage {
        layout,
        s,
        leaders: parts.leaders,
        quotas: parts.quotas,
        mine,
        following,
        questions,
        next,
        later_page: after.is_some(),
        my_votes,
        minutes: parts.minutes,
        commitments,
        signup_open,
        signed_up,
        past,
        form,
        errors,
        today: today(),
        feedback: parts.feedback,
    })
}

/// Questions on a session's page at a time: anyone signed in may ask, so the list has no natural end.
const QUESTIONS_PAGE: i64 = 50;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    /// Keyset cursor: `<0|1 on the agenda>_<votes>_<question id>` of the last question shown.
    after: String,
}

pub async fn show_session(
    State(state): State<AppState>,
    layout: Layout,
    Path(SessionCodePath { code }): Path<SessionCodePath>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Html<String>> {
    let s = by_code(&state, &code).await?;
    let after: Option<QuestionCursor> = parse_cursor(&q.after);
    Ok(Html(show_page(&state, layout, s, QuestionForm::default(), FormErrors::default(), after).await?))
}

/// A press on one of a session's buttons for the signed-in student (sign up, cancel, follow):
/// the session its code names, within the student's hourly share of such presses.
pub struct SessionPress {
    user_id: i64,
    code: String,
    session: Session,
}

impl FromRequestParts<AppState> for SessionPress {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        let Path(SessionCodePath { code }) = Path::from_request_parts(parts, state).await?;
        let session = by_code(state, &code).await?;
        state.limits.write(Write::ReceptionSignups, user.user_id).await?;
        Ok(SessionPress { user_id: user.user_id, code, session })
    }
}

pub async fn sign_up(State(state): State<AppState>, press: SessionPress) -> AppResult<Response> {
    let outcome = seats::sign_up(&state.db, press.session.session_id, press.user_id, Utc::now()).await?;
    let key = match outcome {
        Outcome::Seat => "flash.reception.seat",
        Outcome::Waiting => "flash.reception.waiting",
        Outcome::Already => "flash.reception.already",
    };
    Ok(redirect_with_flash(&format!("/reception/{}", press.code), key, None))
}

pub async fn cancel(State(state): State<AppState>, press: SessionPress) -> AppResult<Response> {
    let link = format!("/reception/{}", press.code);
    seats::cancel(&state.db, press.session.session_id, press.user_id, &title(&press.session), &link).await?;
    Ok(redirect_with_flash(&link, "flash.reception.cancelled", None))
}

pub async fn follow(State(state): State<AppState>, press: SessionPress) -> AppResult<Response> {
    queries::insert_follow(&state.db, press.session.session_id, press.user_id).await?;
    Ok(redirect_with_flash(&format!("/reception/{}", press.code), "flash.reception.following", None))
}

/// The complaint a question names: only one of the asker's own can be linked.
async fn linked_complaint(
    state: &AppState,
    user_id: i64,
    raw: &str,
    errors: &mut FormErrors,
) -> AppResult<Option<OwnComplaint>> {
    let tracking_no = errors.take("complaint", crate::web::forms::one_line(raw, 30, false));
    if tracking_no.is_empty() {
        return Ok(None);
    }
    let found = queries::fetch_own_complaint(&state.db, &tracking_no, user_id).await?;
    if found.is_none() {
        errors.add("complaint", "form.reception.not_your_complaint");
    }
    Ok(found)
}

pub async fn ask(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    Path(SessionCodePath { code }): Path<SessionCodePath>,
    Form(form): Form<QuestionForm>,
) -> AppResult<Response> {
    let s = by_code(&state, &code).await?;
    let mut errors = FormErrors::default();
    let body = errors.take("body", crate::web::forms::multi_line(&form.body, 1000, true));
    let complaint = linked_complaint(&state, user.user_id, &form.complaint, &mut errors).await?;
    // A question about an anonymous complaint is anonymous too, or it would name the complaint's reporter.
    let anonymous = form.anonymous.is_some() || complaint.as_ref().is_some_and(|c| c.is_anonymous);
    // After the session a question is a follow-up (会后反馈): the next session of its kind takes it up.
    let follow_up = s.is_past(&Utc::now());
    if !errors.is_empty() {
        return Ok(Html422(show_page(&state, layout, s, form, errors, None).await?).into_response());
    }
    // The session's page lists every question: an hourly share per student.
    if let Err(refused) = state.limits.write(Write::Questions, user.user_id).await {
        errors.add(FORM, "form.rate_limited");
        return Ok(too_many(show_page(&state, layout, s, form, errors, None).await?, refused));
    }
    let question = NewQuestion {
        author_id: user.user_id,
        body: &body,
        is_anonymous: anonymous,
        complaint_id: complaint.map(|c| c.complaint_id),
        follow_up,
    };
    queries::insert_question(&state.db, s.session_id, &question).await?;
    Ok(redirect_with_flash(&format!("/reception/{code}#questions"), "flash.reception.asked", None))
}

pub async fn vote(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(QuestionVotePath { code, question_id }): Path<QuestionVotePath>,
) -> AppResult<Response> {
    let s = by_code(&state, &code).await?;
    let author =
        queries::fetch_question_author(&state.db, s.session_id, question_id).await?.ok_or(AppError::NotFound)?;
    if author == user.user_id {
        return Err(AppError::Conflict("error.409.own_question"));
    }
    if s.is_past(&Utc::now()) {
        return Err(AppError::Conflict("error.409.session_over"));
    }
    state.limits.write(Write::Votes, user.user_id).await?;
    queries::insert_vote(&state.db, question_id, user.user_id).await?;
    Ok(redirect_with_flash(&format!("/reception/{code}#questions"), "flash.reception.voted", None))
}
