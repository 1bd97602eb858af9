//! Answers, respondents and codes. Anonymous answers are written by `anonymity.rs`'s
//! rules: the respondent row and a waiting answer, released five at a time.

use chrono::NaiveDate;
use serde_json::Value;
use sqlx::{PgConnection, PgExecutor};

/// What decides whether a student may answer, read before the SQL checks it again.
pub struct RespondentFacts {
    pub college: String,
    pub student_no: String,
    pub verified: bool,
    pub answered: bool,
}

pub async fn fetch_respondent(
    db: impl PgExecutor<'_>,
    user_id: i64,
    series_id: i64,
) -> sqlx::Result<Option<RespondentFacts>> {
    sqlx::query_as!(
        RespondentFacts,
        r#"select college, student_no, verified_by is not null as "verified!",
                  exists (select 1 from survey_respondent r where r.series_id = $2 and r.user_id = $1) as "answered!"
           from app_user where user_id = $1"#,
        user_id,
        series_id,
    )
    .fetch_optional(db)
    .await
}

/// Whether the student is of the questionnaire's audience, in SQL (the people of an event,
/// a reception day, a building included).
pub async fn fetch_admits(db: impl PgExecutor<'_>, survey_id: i64, user_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (
             select 1 from survey s, app_user u
             where s.survey_id = $1 and u.user_id = $2 and u.verified_by is not null
               and (cardinality(s.colleges) = 0 or u.college = any(s.colleges))
               and (cardinality(s.grades) = 0 or substring(u.student_no from '^([0-9]{4})')::int = any(s.grades))
               and case s.audience
                   when 'students' then true
                   when 'event_attendees' then exists (select 1 from event_application a
                        where a.event_id = s.audience_ref and a.user_id = u.user_id and a.attended_at is not null)
                   when 'reception_participants' then exists (select 1 from reception_signup r
                        where r.session_id = s.audience_ref and r.user_id = u.user_id and r.status = 'seat')
                   when 'building_residents' then exists (select 1 from dorm_resident d join dorm_room m using (room_id)
                        where m.building_id = s.audience_ref and d.student_no = u.student_no)
                   else false end) as "admits!""#,
        survey_id,
        user_id,
    )
    .fetch_one(db)
    .await
}

/// Records THAT the student answered this questionnaire's series, only within its window and
/// audience (checked here again); false when they had already answered or may not.
pub async fn insert_respondent(conn: &mut PgConnection, survey_id: i64, user_id: i64) -> sqlx::Result<bool> {
    let admitted = fetch_admits(&mut *conn, survey_id, user_id).await?;
    let done = sqlx::query!(
        "insert into survey_respondent (series_id, user_id)
         select series_id, $2 from survey
         where survey_id = $1 and $3 and superseded_at is null and opens_at <= now() and now() < closes_at
           and identity in ('named', 'anonymous_once')
         on conflict do nothing",
        survey_id,
        user_id,
        admitted,
    )
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Locks the questionnaire's row for this answer's transaction: answers to one questionnaire
/// go one at a time, so a batch of waiting anonymous answers is released exactly once.
pub async fn lock_open_survey(db: impl PgExecutor<'_>, survey_id: i64) -> sqlx::Result<bool> {
    let row = sqlx::query_scalar!(
        "select survey_id from survey
         where survey_id = $1 and superseded_at is null and opens_at <= now() and now() < closes_at
         for update",
        survey_id,
    )
    .fetch_optional(db)
    .await?;
    Ok(row.is_some())
}

/// Who the answers were from, as the results' filters see them: copied, never looked up later.
pub struct AnswerRow<'a> {
    pub survey_id: i64,
    pub answered_on: NaiveDate,
    pub college: &'a str,
    pub grade: Option<i32>,
    pub answers: &'a Value,
}

/// An open or named answer, kept at once; for named mode its author beside it.
pub async fn insert_response(db: impl PgExecutor<'_>, a: &AnswerRow<'_>, author: Option<i64>) -> sqlx::Result<()> {
    sqlx::query!(
        "with r as (insert into survey_response (survey_id, answered_on, college, grade, answers)
                    values ($1, $2, $3, $4, $5) returning response_id)
         insert into survey_response_author (response_id, user_id)
         select response_id, $6 from r where $6::bigint is not null",
        a.survey_id,
        a.answered_on,
        a.college,
        a.grade,
        a.answers,
        author,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// An anonymous answer, waiting for its batch.
pub async fn insert_pending_response(db: impl PgExecutor<'_>, a: &AnswerRow<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"with w as (insert into survey_pending_response (survey_id, answered_on, college, grade, answers)
                      values ($1, $2, $3, $4, $5) returning 1)
           select (select count(*) from survey_pending_response where survey_id = $1) + 1 as "waiting!" from w"#,
        a.survey_id,
        a.answered_on,
        a.college,
        a.grade,
        a.answers,
    )
    .fetch_one(db)
    .await
}

/// Every waiting answer of the questionnaire moves to the answers, written in the order of
/// their content, never of their arrival.
pub async fn release_pending(db: impl PgExecutor<'_>, survey_id: i64) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "with moved as (delete from survey_pending_response where survey_id = $1 returning *)
         insert into survey_response (response_id, survey_id, answered_on, college, grade, answers)
         select response_id, survey_id, answered_on, college, grade, answers from moved
         order by answers::text, college, grade, response_id",
        survey_id,
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Uses a printed code of an open questionnaire; false when it is unknown or used.
pub async fn update_code_used(db: impl PgExecutor<'_>, survey_id: i64, code: &str) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update survey_code set used = true where survey_id = $1 and code = $2 and not used",
        survey_id,
        code,
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn insert_codes(
    db: impl PgExecutor<'_>,
    survey_id: i64,
    department_id: i64,
    codes: &[String],
) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "insert into survey_code (code, survey_id)
         select c, s.survey_id from survey s, unnest($3::text[]) c
         where s.survey_id = $1 and s.department_id = $2 and s.with_codes
         on conflict do nothing",
        survey_id,
        department_id,
        codes,
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

pub struct Code {
    pub code: String,
    pub used: bool,
}

pub async fn list_codes(db: impl PgExecutor<'_>, survey_id: i64, department_id: i64) -> sqlx::Result<Vec<Code>> {
    sqlx::query_as!(
        Code,
        "select c.code, c.used from survey_code c join survey s using (survey_id)
         where c.survey_id = $1 and s.department_id = $2 order by c.code",
        survey_id,
        department_id,
    )
    .fetch_all(db)
    .await
}

/// One answer for the results; its author only in named mode.
pub struct ResponseRow {
    pub answered_on: NaiveDate,
    pub college: String,
    pub grade: Option<i32>,
    pub answers: Value,
    pub author_no: Option<String>,
    pub author_name: Option<String>,
}

/// Every answer of the questionnaire (waiting anonymous ones too), only for its department,
/// in the order of their content (never of their arrival).
pub async fn list_responses(
    db: impl PgExecutor<'_>,
    survey_id: i64,
    department_id: i64,
) -> sqlx::Result<Vec<ResponseRow>> {
    sqlx::query_as!(
        ResponseRow,
        r#"select a.answered_on as "answered_on!", a.college as "college!", a.grade, a.answers as "answers!",
                  u.student_no as "author_no?", u.name as "author_name?"
           from (select response_id, survey_id, answered_on, college, grade, answers from survey_response
                 union all
                 select response_id, survey_id, answered_on, college, grade, answers from survey_pending_response) a
           join survey s on s.survey_id = a.survey_id and s.department_id = $2
           left join survey_response_author w on w.response_id = a.response_id and s.identity = 'named'
           left join app_user u on u.user_id = w.user_id
           where a.survey_id = $1
           order by a.answers::text, a.college"#,
        survey_id,
        department_id,
    )
    .fetch_all(db)
    .await
}
