//! Overdue complaints on the next reception day's agenda: the daily job's statements and
//! the organisers' taking one off.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

pub struct NextSession {
    pub session_id: i64,
    pub number: i32,
    pub department_id: i64,
    pub dept_slug: String,
}

/// The next session of this kind that has not started.
pub async fn fetch_next_session(
    db: impl PgExecutor<'_>,
    kind: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<NextSession>> {
    sqlx::query_as!(
        NextSession,
        "select s.session_id, s.number, s.department_id, d.slug as dept_slug
         from reception_session s join department d using (department_id)
         where s.kind = $1 and s.starts_at > $2 order by s.starts_at, s.session_id limit 1",
        kind,
        now
    )
    .fetch_optional(db)
    .await
}

/// The overdue complaint becomes a question of the session (anonymous: the complaint speaks for
/// itself; a private complaint's title stays private), placed by the job; none when it already is
/// one of this session (also when the organisers took it off: they decided).
pub async fn insert_overdue_question(
    db: impl PgExecutor<'_>,
    session_id: i64,
    complaint_id: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "insert into reception_question (session_id, author_id, body, is_anonymous, complaint_id, on_agenda, placed_overdue)
         select $1, c.reporter_id, case when c.is_public then c.title else '（一件不公开的投诉）' end, true, c.complaint_id,
                true, true
         from complaint c
         where c.complaint_id = $2 and c.merged_into_id is null
           and not exists (select 1 from reception_question q where q.session_id = $1 and q.complaint_id = c.complaint_id)
         returning question_id",
        session_id,
        complaint_id
    )
    .fetch_optional(db)
    .await
}

pub async fn update_complaint_on_agenda(db: impl PgExecutor<'_>, complaint_id: i64, on: bool) -> sqlx::Result<()> {
    sqlx::query!(
        "update complaint set on_reception_agenda = $2, updated_at = now() where complaint_id = $1",
        complaint_id,
        on
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Overdue complaints answered (or closed, or merged) since the job placed them leave the agenda
/// of every session not yet started; the complaints they were.
pub async fn update_answered_off_agenda(db: impl PgExecutor<'_>, now: DateTime<Utc>) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        r#"update reception_question q set on_agenda = false, off_reason = 'answered'
           from complaint c, reception_session s
           where q.complaint_id = c.complaint_id and q.session_id = s.session_id
             and q.placed_overdue and q.on_agenda and s.starts_at > $1
             and (c.status not in ('submitted', 'accepted', 'forwarded') or c.merged_into_id is not null)
           returning c.complaint_id as "complaint_id!""#,
        now
    )
    .fetch_all(db)
    .await
}

/// Take a complaint's question off this session's agenda, with the reason its reporter is told:
/// the complaint it raised, if it was on the agenda.
pub async fn update_take_off(
    db: impl PgExecutor<'_>,
    session_id: i64,
    question_id: i64,
    reason: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        r#"update reception_question set on_agenda = false, off_reason = $3
           where question_id = $2 and session_id = $1 and on_agenda and complaint_id is not null
           returning complaint_id as "complaint_id!""#,
        session_id,
        question_id,
        reason
    )
    .fetch_optional(db)
    .await
}

/// A follow-up (会后反馈) not carried yet, and the next session of its kind (none yet: it waits).
pub struct FollowUp {
    pub question_id: i64,
    pub number: i32,
    pub next_session_id: Option<i64>,
}

pub async fn list_follow_ups(db: impl PgExecutor<'_>, now: DateTime<Utc>) -> sqlx::Result<Vec<FollowUp>> {
    sqlx::query_as!(
        FollowUp,
        r#"select q.question_id, s.number,
                  (select n.session_id from reception_session n where n.kind = s.kind and n.starts_at > $1
                   order by n.starts_at, n.session_id limit 1) as next_session_id
           from reception_question q join reception_session s using (session_id)
           where q.follow_up and q.carried_to is null
           order by q.question_id"#,
        now
    )
    .fetch_all(db)
    .await
}

/// The follow-up becomes a question on the next session's agenda, by the same asker (anonymous
/// if they were), saying which session it follows; the follow-up records where it went.
pub async fn carry_follow_up(
    db: &mut sqlx::PgConnection,
    question_id: i64,
    number: i32,
    next_session_id: i64,
) -> sqlx::Result<bool> {
    let carried = sqlx::query_scalar!(
        "insert into reception_question (session_id, author_id, body, is_anonymous, complaint_id, on_agenda)
         select $2, q.author_id, '（第' || $3::int || '期会后反馈）' || q.body, q.is_anonymous, q.complaint_id, true
         from reception_question q where q.question_id = $1 and q.carried_to is null
         returning question_id",
        question_id,
        next_session_id,
        number
    )
    .fetch_optional(&mut *db)
    .await?;
    let Some(carried) = carried else { return Ok(false) };
    sqlx::query!("update reception_question set carried_to = $2 where question_id = $1", question_id, carried)
        .execute(&mut *db)
        .await?;
    Ok(true)
}
