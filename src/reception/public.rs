//! The students' side: when the next session is (page, calendar, feed), a seat or a
//! place in line, questions and votes, the minutes, and the commitments board.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderMap, HeaderValue},
    response::{Html, IntoResponse, Response},
    Form,
};
use chrono::{DateTime, Utc};

use super::{
    forms::QuestionForm,
    model,
    queries::{
        self, Commitment, CommitmentFilter, Leader, Minute, MySignup, Question, QuestionCursor, Quota, Session,
        SessionFilter,
    },
    seats::{self, Outcome},
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    uploads,
    web::{
        context::redirect_with_flash,
        forms::{next_cursor, today, FORM},
        limits::{too_many, too_many_presses, Write},
        render, CurrentUser, FormErrors, Html422, Layout,
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

#[derive(Template)]
#[template(path = "reception/list.html")]
struct ListPage {
    layout: Layout,
    sessions: Vec<Session>,
    now: DateTime<Utc>,
}

pub async fn list_sessions(State(state): State<AppState>, layout: Layout) -> AppResult<Html<String>> {
    let sessions = queries::find_sessions(&state.db, &SessionFilter { limit: 100, ..SessionFilter::default() }).await?;
    Ok(Html(render(ListPage { layout, sessions, now: Utc::now() })?))
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
    let (mine, following, my_votes) = match viewer {
        Some(user) => (
            queries::my_signup(&state.db, id, user).await?,
            sqlx::query_scalar!(
                r#"select exists(select 1 from reception_follow where session_id = $1 and user_id = $2) as "e!""#,
                id,
                user
            )
            .fetch_one(&state.db)
            .await?,
            queries::my_votes(&state.db, id, user).await?,
        ),
        None => (None, false, vec![]),
    };
    let leaders = queries::list_leaders(&state.db, id).await?;
    let quotas = queries::list_quotas(&state.db, id).await?;
    let questions = queries::page_questions(&state.db, id, after, QUESTIONS_PAGE).await?;
    let next =
        next_cursor(&questions, QUESTIONS_PAGE, |q| format!("{}_{}_{}", u8::from(q.on_agenda), q.votes, q.question_id));
    let minutes = queries::list_minutes(&state.db, id).await?;
    let commitments =
        queries::find_commitments(&state.db, &CommitmentFilter { session_id: Some(id), ..CommitmentFilter::default() })
            .await?;
    let now = Utc::now();
    let signup_open = s.signup_open(now);
    let signed_up = mine.as_ref().is_some_and(|m| m.status != "cancelled");
    let past = s.is_past(&now);
    render(ShowPage {
        layout,
        s,
        leaders,
        quotas,
        mine,
        following,
        questions,
        next,
        later_page: after.is_some(),
        my_votes,
        minutes,
        commitments,
        signup_open,
        signed_up,
        past,
        form,
        errors,
        today: today(),
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

fn parse_question_cursor(cursor: &str) -> Option<QuestionCursor> {
    let mut parts = cursor.splitn(3, '_');
    let agenda = match parts.next()? {
        "0" => false,
        "1" => true,
        _ => return None,
    };
    Some((agenda, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

pub async fn show_session(
    State(state): State<AppState>,
    layout: Layout,
    Path(code): Path<String>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Html<String>> {
    let s = by_code(&state, &code).await?;
    let after = parse_question_cursor(&q.after);
    Ok(Html(show_page(&state, layout, s, QuestionForm::default(), FormErrors::default(), after).await?))
}

pub async fn sign_up(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let s = by_code(&state, &code).await?;
    if let Err(refused) = state.limits.write(Write::ReceptionSignups, user.user_id) {
        return Ok(too_many_presses(refused));
    }
    let outcome = seats::sign_up(&state.db, s.session_id, user.user_id, Utc::now()).await?;
    let key = match outcome {
        Outcome::Seat => "flash.reception.seat",
        Outcome::Waiting => "flash.reception.waiting",
        Outcome::Already => "flash.reception.already",
    };
    Ok(redirect_with_flash(&format!("/reception/{code}"), key, None))
}

pub async fn cancel(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let s = by_code(&state, &code).await?;
    if let Err(refused) = state.limits.write(Write::ReceptionSignups, user.user_id) {
        return Ok(too_many_presses(refused));
    }
    let link = format!("/reception/{code}");
    seats::cancel(&state.db, s.session_id, user.user_id, &title(&s), &link).await?;
    Ok(redirect_with_flash(&link, "flash.reception.cancelled", None))
}

pub async fn follow(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let s = by_code(&state, &code).await?;
    if let Err(refused) = state.limits.write(Write::ReceptionSignups, user.user_id) {
        return Ok(too_many_presses(refused));
    }
    sqlx::query!(
        "insert into reception_follow (session_id, user_id) values ($1, $2) on conflict do nothing",
        s.session_id,
        user.user_id
    )
    .execute(&state.db)
    .await?;
    Ok(redirect_with_flash(&format!("/reception/{code}"), "flash.reception.following", None))
}

pub async fn ask(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    Path(code): Path<String>,
    Form(form): Form<QuestionForm>,
) -> AppResult<Response> {
    let s = by_code(&state, &code).await?;
    let mut errors = FormErrors::default();
    let body = errors.take("body", crate::web::forms::multi_line(&form.body, 1000, true));
    // Only one of the asker's own complaints can be linked.
    let tracking_no = errors.take("complaint", crate::web::forms::one_line(&form.complaint, 30, false));
    let complaint = match tracking_no.as_str() {
        "" => None,
        no => {
            let found = sqlx::query!(
                "select complaint_id, is_anonymous from complaint where tracking_no = $1 and reporter_id = $2",
                no,
                user.user_id
            )
            .fetch_optional(&state.db)
            .await?;
            if found.is_none() {
                errors.add("complaint", "form.reception.not_your_complaint");
            }
            found
        }
    };
    // A question about an anonymous complaint is anonymous too, or it would name the complaint's reporter.
    let anonymous = form.anonymous.is_some() || complaint.as_ref().is_some_and(|c| c.is_anonymous);
    if s.is_past(&Utc::now()) {
        errors.add("body", "form.reception.session_over");
    }
    if !errors.is_empty() {
        return Ok(Html422(show_page(&state, layout, s, form, errors, None).await?).into_response());
    }
    // The session's page lists every question: an hourly share per student.
    if let Err(refused) = state.limits.write(Write::Questions, user.user_id) {
        errors.add(FORM, "form.rate_limited");
        return Ok(too_many(show_page(&state, layout, s, form, errors, None).await?, refused));
    }
    sqlx::query!(
        "insert into reception_question (session_id, author_id, body, is_anonymous, complaint_id) values ($1, $2, $3, $4, $5)",
        s.session_id,
        user.user_id,
        body,
        anonymous,
        complaint.map(|c| c.complaint_id)
    )
    .execute(&state.db)
    .await?;
    Ok(redirect_with_flash(&format!("/reception/{code}#questions"), "flash.reception.asked", None))
}

pub async fn vote(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((code, question_id)): Path<(String, String)>,
) -> AppResult<Response> {
    let s = by_code(&state, &code).await?;
    let question_id: i64 = question_id.parse().map_err(|_| AppError::NotFound)?;
    let author = sqlx::query_scalar!(
        "select author_id from reception_question where question_id = $1 and session_id = $2",
        question_id,
        s.session_id
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    if author == user.user_id {
        return Err(AppError::Conflict("error.409.own_question"));
    }
    if s.is_past(&Utc::now()) {
        return Err(AppError::Conflict("error.409.session_over"));
    }
    if let Err(refused) = state.limits.write(Write::Votes, user.user_id) {
        return Ok(too_many_presses(refused));
    }
    // One vote each: a second is simply the same vote.
    sqlx::query!(
        "insert into reception_question_vote (question_id, user_id) values ($1, $2) on conflict do nothing",
        question_id,
        user.user_id
    )
    .execute(&state.db)
    .await?;
    Ok(redirect_with_flash(&format!("/reception/{code}#questions"), "flash.reception.voted", None))
}

/// `/reception.ics`: every session of the last year and to come, for phone calendars.
pub async fn calendar(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let base = crate::web::base_url(&state, &headers);
    let sessions = queries::find_sessions(&state.db, &SessionFilter { limit: 200, ..SessionFilter::default() }).await?;
    // Every session's leaders in one query, not one query per session.
    let ids: Vec<i64> = sessions.iter().map(|s| s.session_id).collect();
    let leaders = queries::list_leaders_of(&state.db, &ids).await?;
    let mut texts = vec![];
    for s in &sessions {
        let names: Vec<String> = leaders
            .iter()
            .filter(|(id, _)| *id == s.session_id)
            .map(|(_, l)| format!("{} {}", l.name, l.title))
            .collect();
        texts.push((title(s), format!("{}\n{}", s.topic, names.join("、"))));
    }
    let events: Vec<model::CalendarEvent> = sessions
        .iter()
        .zip(&texts)
        .map(|(s, (summary, description))| model::CalendarEvent {
            uid: format!("reception-{}@union-portal", s.session_id),
            sequence: s.sequence,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            confirmed: s.time_confirmed,
            summary,
            location: &s.place,
            description,
            url: format!("{base}/reception/{}", s.code()),
            updated_at: s.updated_at,
        })
        .collect();
    let body = model::calendar("学生会 · 校领导接待日与教务见面会", &events, Utc::now());
    let mut response = ([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    Ok(response)
}

/// `/feeds/reception.atom`: each session's announcement, and its minutes once recorded.
pub async fn feed(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    use atom_syndication::{Entry, Feed, Link, Text};
    let base = crate::web::base_url(&state, &headers);
    let sessions = queries::find_sessions(&state.db, &SessionFilter { limit: 30, ..SessionFilter::default() }).await?;
    let mut entries = vec![];
    for s in &sessions {
        let url = format!("{base}/reception/{}", s.code());
        let when = s.starts_at.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d %H:%M");
        let tentative = if s.time_confirmed { "" } else { "（时间待定）" };
        let link = Link { href: url.clone(), rel: "alternate".into(), ..Link::default() };
        entries.push(Entry {
            id: format!("urn:union-portal:reception:{}:announcement", s.session_id),
            title: Text::plain(format!("{}：{when}{tentative}，{}", title(s), s.place)),
            updated: s.updated_at.fixed_offset(),
            summary: Some(Text::plain(s.topic.clone())),
            links: vec![link.clone()],
            ..Entry::default()
        });
        if let Some(at) = s.minutes_updated_at {
            let minutes = queries::list_minutes(&state.db, s.session_id).await?;
            let text: Vec<String> =
                minutes.iter().map(|m| format!("问：{}\n答（{}）：{}", m.question, m.answered_by, m.answer)).collect();
            entries.push(Entry {
                id: format!("urn:union-portal:reception:{}:minutes", s.session_id),
                title: Text::plain(format!("{}会议纪要", title(s))),
                updated: at.fixed_offset(),
                summary: Some(Text::plain(text.join("\n\n"))),
                links: vec![link],
                ..Entry::default()
            });
        }
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.updated));
    // An empty feed was last updated now, not in 1970: readers sort and refresh by it.
    let updated = entries.first().map(|e| e.updated).unwrap_or_else(|| Utc::now().fixed_offset());
    let feed = Feed {
        id: "urn:union-portal:reception".into(),
        title: Text::plain("学生会 · 校领导接待日与教务见面会"),
        updated,
        links: vec![
            Link { href: format!("{base}/feeds/reception.atom"), rel: "self".into(), ..Link::default() },
            Link { href: format!("{base}/reception"), rel: "alternate".into(), ..Link::default() },
        ],
        entries,
        ..Feed::default()
    };
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], feed.to_string()).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct BoardQuery {
    office: String,
    status: String,
    /// Keyset cursor: `<0|1>_<due date>_<commitment id>` of the last card shown.
    after: String,
}

#[derive(Template)]
#[template(path = "reception/commitments.html")]
struct BoardPage {
    layout: Layout,
    rows: Vec<(Commitment, &'static str)>,
    offices: Vec<crate::complaints::queries::Office>,
    records: Vec<queries::OfficeRecord>,
    q: BoardQuery,
    next: Option<String>,
}

const BOARD_PAGE: i64 = 50;

/// Every promise, open ones first by due date, a page at a time; per office, the share kept on time.
pub async fn commitments_board(
    State(state): State<AppState>,
    layout: Layout,
    Query(q): Query<BoardQuery>,
) -> AppResult<Html<String>> {
    let today = today();
    let filter = CommitmentFilter {
        office_id: q.office.parse().ok(),
        state: ["pending", "in_progress", "done", "overdue"].into_iter().find(|s| *s == q.status),
        today,
        after: parse_board_cursor(&q.after),
        limit: BOARD_PAGE,
        ..CommitmentFilter::default()
    };
    let found = queries::find_commitments(&state.db, &filter).await?;
    let next = crate::web::forms::next_cursor(&found, BOARD_PAGE, |c| {
        format!("{}_{}_{}", u8::from(c.status == "done"), c.due_on, c.commitment_id)
    });
    let rows = found
        .into_iter()
        .map(|c| {
            let state = c.state(&today);
            (c, state)
        })
        .collect();
    let records = queries::list_office_records(&state.db, today).await?;
    let offices = crate::complaints::queries::list_offices(&state.db).await?;
    Ok(Html(render(BoardPage { layout, rows, offices, records, q, next })?))
}

fn parse_board_cursor(cursor: &str) -> Option<(bool, chrono::NaiveDate, i64)> {
    let mut parts = cursor.splitn(3, '_');
    let done = match parts.next()? {
        "0" => false,
        "1" => true,
        _ => return None,
    };
    Some((done, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

#[derive(Template)]
#[template(path = "reception/commitment.html")]
struct CommitmentPage {
    layout: Layout,
    c: Commitment,
    state: &'static str,
    updates: Vec<queries::Update>,
    minute: Minute,
    /// The viewer organises the session's department: the update form is theirs.
    can_update: bool,
    errors: FormErrors,
    typed: String,
    /// The status chosen in a form that failed, or the saved one.
    typed_status: String,
}

pub async fn commitment_page(
    state: &AppState,
    layout: Layout,
    c: Commitment,
    errors: FormErrors,
    typed: (String, String),
) -> AppResult<String> {
    let updates = queries::list_updates(&state.db, c.commitment_id).await?;
    let minute = sqlx::query_as!(
        Minute,
        "select minute_id, asked_by, question, answered_by, answer, created_at from reception_minute where minute_id = $1",
        c.minute_id
    )
    .fetch_one(&state.db)
    .await?;
    let can_update = layout.viewer.as_ref().is_some_and(|v| v.role_in(&c.dept_slug).is_some());
    let state_now = c.state(&today());
    let (typed, typed_status) = typed;
    let typed_status = if typed_status.is_empty() { c.status.clone() } else { typed_status };
    render(CommitmentPage { layout, c, state: state_now, updates, minute, can_update, errors, typed, typed_status })
}

pub async fn show_commitment(
    State(state): State<AppState>,
    layout: Layout,
    Path(id): Path<String>,
) -> AppResult<Html<String>> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let c = queries::fetch_commitment(&state.db, id).await?.ok_or(AppError::NotFound)?;
    Ok(Html(commitment_page(&state, layout, c, FormErrors::default(), Default::default()).await?))
}

/// Photo evidence of an update: public, like the board.
pub async fn update_photo(
    State(state): State<AppState>,
    Path((id, update_id)): Path<(String, String)>,
    Query(q): Query<uploads::SizeQuery>,
) -> AppResult<Response> {
    let (id, update_id): (i64, i64) =
        (id.parse().map_err(|_| AppError::NotFound)?, update_id.parse().map_err(|_| AppError::NotFound)?);
    let row = sqlx::query!(
        "select photo_name, thumb_name from commitment_update where update_id = $1 and commitment_id = $2",
        update_id,
        id
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    let name = if q.thumb() { row.thumb_name } else { row.photo_name }.ok_or(AppError::NotFound)?;
    uploads::photo_response(&state.config.data_dir, &name, true).await
}
