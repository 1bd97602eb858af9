//! Questions, votes, and the complaints offered for the agenda.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

pub struct Question {
    pub question_id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub body: String,
    pub is_anonymous: bool,
    pub complaint_no: Option<String>,
    pub on_agenda: bool,
    /// Put there by the daily job: a complaint overdue past the limit.
    pub placed_overdue: bool,
    /// Why the organisers took it off the agenda (`answered`: the complaint was answered meanwhile).
    pub off_reason: Option<String>,
    /// Asked after the session ended (会后反馈).
    pub follow_up: bool,
    pub votes: i64,
    pub created_at: DateTime<Utc>,
}

/// Most supported first.
pub async fn list_questions(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<Vec<Question>> {
    sqlx::query_as!(
        Question,
        r#"select q.question_id, q.author_id, u.name as author_name, q.body, q.is_anonymous,
                  c.tracking_no as "complaint_no?", q.on_agenda, q.placed_overdue, q.off_reason, q.follow_up,
                  q.votes::int8 as "votes!", q.created_at
           from reception_question q join app_user u on u.user_id = q.author_id
           left join complaint c on c.complaint_id = q.complaint_id and c.is_public
           where q.session_id = $1
           order by q.on_agenda desc, q.votes desc, q.question_id"#,
        session_id
    )
    .fetch_all(db)
    .await
}

/// Where a page of questions ends, in their public order (on the agenda first, then
/// most votes, then oldest): (on the agenda, votes, question id) of the last one shown.
pub type QuestionCursor = (bool, i64, i64);

/// One page of a session's questions in the order of `list_questions`, after `after`.
pub async fn page_questions(
    db: impl PgExecutor<'_>,
    session_id: i64,
    after: Option<QuestionCursor>,
    limit: i64,
) -> sqlx::Result<Vec<Question>> {
    let (agenda, votes, id) = (after.map(|a| a.0), after.map(|a| a.1), after.map(|a| a.2));
    sqlx::query_as!(
        Question,
        // In the order of `reception_question_order_idx`: the page is read from it.
        r#"select q.question_id, q.author_id, u.name as author_name, q.body, q.is_anonymous,
                  c.tracking_no as "complaint_no?", q.on_agenda, q.placed_overdue, q.off_reason, q.follow_up,
                  q.votes::int8 as "votes!", q.created_at
           from reception_question q join app_user u on u.user_id = q.author_id
           left join complaint c on c.complaint_id = q.complaint_id and c.is_public
           where q.session_id = $1
             and ($2::bool is null or (q.on_agenda, q.votes, -q.question_id) < ($2, $3::int8, -$4::int8))
           order by q.on_agenda desc, q.votes desc, q.question_id
           limit $5"#,
        session_id,
        agenda,
        votes,
        id,
        limit
    )
    .fetch_all(db)
    .await
}

/// Who asked a question of this session, or None.
pub async fn fetch_question_author(
    db: impl PgExecutor<'_>,
    session_id: i64,
    question_id: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "select author_id from reception_question where question_id = $1 and session_id = $2",
        question_id,
        session_id
    )
    .fetch_optional(db)
    .await
}

/// One vote each: a second is simply the same vote.
pub async fn insert_vote(db: impl PgExecutor<'_>, question_id: i64, user_id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into reception_question_vote (question_id, user_id) values ($1, $2) on conflict do nothing",
        question_id,
        user_id
    )
    .execute(db)
    .await?;
    Ok(())
}

pub struct NewQuestion<'a> {
    pub author_id: i64,
    pub body: &'a str,
    pub is_anonymous: bool,
    pub complaint_id: Option<i64>,
    /// Asked after the session ended (会后反馈): the next session of its kind takes it up.
    pub follow_up: bool,
}

pub async fn insert_question(db: impl PgExecutor<'_>, session_id: i64, q: &NewQuestion<'_>) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into reception_question (session_id, author_id, body, is_anonymous, complaint_id, follow_up)
         values ($1, $2, $3, $4, $5, $6)",
        session_id,
        q.author_id,
        q.body,
        q.is_anonymous,
        q.complaint_id,
        q.follow_up
    )
    .execute(db)
    .await?;
    Ok(())
}

/// One of the asker's own complaints, which a question may name.
pub struct OwnComplaint {
    pub complaint_id: i64,
    pub is_anonymous: bool,
}

pub async fn fetch_own_complaint(
    db: impl PgExecutor<'_>,
    tracking_no: &str,
    reporter_id: i64,
) -> sqlx::Result<Option<OwnComplaint>> {
    sqlx::query_as!(
        OwnComplaint,
        "select complaint_id, is_anonymous from complaint where tracking_no = $1 and reporter_id = $2",
        tracking_no,
        reporter_id
    )
    .fetch_optional(db)
    .await
}

/// Put a question of this session on the agenda or take it off; where it is now, or None.
pub async fn update_toggle_agenda(
    db: impl PgExecutor<'_>,
    session_id: i64,
    question_id: i64,
) -> sqlx::Result<Option<bool>> {
    sqlx::query_scalar!(
        "update reception_question set on_agenda = not on_agenda where question_id = $1 and session_id = $2
         returning on_agenda",
        question_id,
        session_id
    )
    .fetch_optional(db)
    .await
}

/// A complaint marked for the agenda that the organisers may bring to a session.
pub struct AgendaComplaint {
    pub complaint_id: i64,
    pub tracking_no: String,
    pub title: String,
    pub supporters: i64,
}

/// Complaints marked for the agenda and not yet a question of this session: public ones,
/// and the organising department's own private ones; most supported first.
pub async fn list_agenda_complaints(
    db: impl PgExecutor<'_>,
    session_id: i64,
    department_id: i64,
) -> sqlx::Result<Vec<AgendaComplaint>> {
    sqlx::query_as!(
        AgendaComplaint,
        r#"select c.complaint_id, c.tracking_no, c.title,
                  (select count(*) from complaint_support p where p.complaint_id = c.complaint_id) as "supporters!"
           from complaint c where c.on_reception_agenda and c.merged_into_id is null
             and (c.is_public or c.department_id = $2)
             and not exists (select 1 from reception_question q where q.session_id = $1 and q.complaint_id = c.complaint_id)
           order by 4 desc, c.complaint_id limit 50"#,
        session_id,
        department_id
    )
    .fetch_all(db)
    .await
}

/// Whether the complaint is offered for the agenda to this department (public, or its own).
pub async fn is_offered_for_agenda(
    db: impl PgExecutor<'_>,
    complaint_id: i64,
    department_id: i64,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from complaint c where c.complaint_id = $1 and c.on_reception_agenda
                         and (c.is_public or c.department_id = $2)) as "offered!""#,
        complaint_id,
        department_id
    )
    .fetch_one(db)
    .await
}

/// The complaint becomes an anonymous question of the session raised by its reporter, on the
/// agenda; a private complaint's title stays private. None when it already is one (or is not offered).
pub async fn insert_agenda_complaint_question(
    db: impl PgExecutor<'_>,
    session_id: i64,
    complaint_id: i64,
    department_id: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "insert into reception_question (session_id, author_id, body, is_anonymous, complaint_id, on_agenda)
         select $1, c.reporter_id, case when c.is_public then c.title else '（一件不公开的投诉）' end, true, c.complaint_id, true
         from complaint c
         where c.complaint_id = $2 and c.on_reception_agenda and (c.is_public or c.department_id = $3)
           and not exists (select 1 from reception_question q where q.session_id = $1 and q.complaint_id = c.complaint_id)
         returning question_id",
        session_id,
        complaint_id,
        department_id
    )
    .fetch_optional(db)
    .await
}

/// A question of this session as the minutes take it: its text, its asker's name and its complaint.
pub struct AskedQuestion {
    pub body: String,
    pub is_anonymous: bool,
    pub complaint_id: Option<i64>,
    pub name: String,
}

pub async fn fetch_asked_question(
    db: impl PgExecutor<'_>,
    session_id: i64,
    question_id: i64,
) -> sqlx::Result<Option<AskedQuestion>> {
    sqlx::query_as!(
        AskedQuestion,
        "select q.body, q.is_anonymous, q.complaint_id, u.name from reception_question q
         join app_user u on u.user_id = q.author_id where q.question_id = $1 and q.session_id = $2",
        question_id,
        session_id
    )
    .fetch_optional(db)
    .await
}
