//! SQL of applications: a student's own (applying, withdrawing, booking a slot) and the
//! department's reading of its own applicants and their interview notes.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgExecutor;

pub struct NewApplication<'a> {
    pub position_id: i64,
    pub user_id: i64,
    pub preference: i32,
    pub statement: &'a str,
    pub survey_id: Option<i64>,
    pub answers: &'a Value,
}

/// Why an application was not taken, when the insert took none.
pub struct ApplyRefusal {
    pub verified: bool,
    pub open: bool,
    pub preference_allowed: bool,
    pub department_taken: bool,
    pub preference_taken: bool,
}

/// Apply, if the round is open, the account verified, the preference within the round's
/// number of choices and neither the department nor the preference taken by a live
/// application (the partial unique indexes hold the last two under races too).
pub async fn insert_application(db: impl PgExecutor<'_>, a: &NewApplication<'_>) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "insert into recruitment_application (position_id, round_id, department_id, user_id, preference, statement,
                                              survey_id, answers)
         select p.position_id, p.round_id, p.department_id, u.user_id, $3, $4, $5, $6
         from recruitment_position p join recruitment_round r using (round_id), app_user u
         where p.position_id = $1 and u.user_id = $2 and u.verified_by is not null
           and now() >= r.opens_at and now() < r.closes_at and $3 between 1 and r.max_choices
         on conflict do nothing
         returning application_id",
        a.position_id,
        a.user_id,
        a.preference,
        a.statement,
        a.survey_id,
        a.answers
    )
    .fetch_optional(db)
    .await
}

pub async fn fetch_apply_refusal(
    db: impl PgExecutor<'_>,
    position_id: i64,
    user_id: i64,
    preference: i32,
) -> sqlx::Result<ApplyRefusal> {
    sqlx::query_as!(
        ApplyRefusal,
        r#"select u.verified_by is not null as "verified!",
                  (now() >= r.opens_at and now() < r.closes_at) as "open!",
                  ($3 between 1 and r.max_choices) as "preference_allowed!",
                  exists (select 1 from recruitment_application a where a.round_id = r.round_id and a.user_id = u.user_id
                          and a.department_id = p.department_id and a.status <> 'withdrawn') as "department_taken!",
                  exists (select 1 from recruitment_application a where a.round_id = r.round_id and a.user_id = u.user_id
                          and a.preference = $3 and a.status <> 'withdrawn') as "preference_taken!"
           from recruitment_position p join recruitment_round r using (round_id), app_user u
           where p.position_id = $1 and u.user_id = $2"#,
        position_id,
        user_id,
        preference
    )
    .fetch_one(db)
    .await
}

pub struct MyApplication {
    pub application_id: i64,
    pub round_title: String,
    pub position_id: i64,
    pub position_title: String,
    pub department_id: i64,
    pub dept_name_zh: String,
    pub dept_name_en: String,
    pub preference: i32,
    pub status: String,
    pub slot_id: Option<i64>,
    pub slot_starts_at: Option<DateTime<Utc>>,
    pub slot_place: Option<String>,
    pub message: String,
    pub answer_by: Option<DateTime<Utc>>,
    pub round_id: i64,
}

/// A student's applications, the newest round first, by preference.
pub async fn list_mine(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<Vec<MyApplication>> {
    sqlx::query_as!(
        MyApplication,
        r#"select a.application_id, r.title as round_title, p.position_id, p.title as position_title, a.department_id,
                  d.name_zh as dept_name_zh, d.name_en as dept_name_en, a.preference, a.status, a.slot_id,
                  s.starts_at as "slot_starts_at?", s.place as "slot_place?", a.message, a.answer_by, a.round_id
           from recruitment_application a
           join recruitment_round r using (round_id)
           join recruitment_position p using (position_id)
           join department d on d.department_id = a.department_id
           left join recruitment_slot s on s.slot_id = a.slot_id
           where a.user_id = $1
           order by r.closes_at desc, a.status = 'withdrawn', a.preference, a.application_id"#,
        user_id
    )
    .fetch_all(db)
    .await
}

/// The student withdraws an application still waiting for the department (applied or on
/// its waiting list); an offer is answered by accepting or turning it down.
pub async fn withdraw(db: impl PgExecutor<'_>, application_id: i64, user_id: i64) -> sqlx::Result<bool> {
    let r = sqlx::query!(
        "update recruitment_application set status = 'withdrawn', slot_id = null
         where application_id = $1 and user_id = $2 and status in ('applied', 'waitlisted')",
        application_id,
        user_id
    )
    .execute(db)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Locks the slot, then books it for the student's application if it is the department's,
/// not yet begun and not full. False otherwise.
pub async fn book_slot(
    conn: &mut sqlx::PgConnection,
    application_id: i64,
    user_id: i64,
    slot_id: i64,
) -> sqlx::Result<bool> {
    let slot = sqlx::query!(
        "select s.capacity from recruitment_slot s join recruitment_application a
           on a.department_id = s.department_id and a.round_id = s.round_id
         where s.slot_id = $1 and a.application_id = $2 and a.user_id = $3 and s.starts_at > now()
         for update of s",
        slot_id,
        application_id,
        user_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(slot) = slot else { return Ok(false) };
    let r = sqlx::query!(
        "update recruitment_application set slot_id = $3
         where application_id = $1 and user_id = $2 and status in ('applied', 'waitlisted', 'offered')
           and (select count(*) from recruitment_application b where b.slot_id = $3
                and b.status not in ('withdrawn', 'released', 'expired') and b.application_id <> $1) < $4",
        application_id,
        user_id,
        slot_id,
        i64::from(slot.capacity)
    )
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub struct Applicant {
    pub application_id: i64,
    pub student_no: String,
    pub name: String,
    pub college: String,
    pub position_title: String,
    pub preference: i32,
    pub status: String,
    pub slot_starts_at: Option<DateTime<Utc>>,
    pub notes: i64,
    pub average_score: Option<f64>,
}

/// The department's own applicants in a round, by position, stage and preference for it.
pub async fn list_applicants(
    db: impl PgExecutor<'_>,
    round_id: i64,
    department_id: i64,
) -> sqlx::Result<Vec<Applicant>> {
    sqlx::query_as!(
        Applicant,
        r#"select a.application_id, u.student_no, u.name, u.college, p.title as position_title, a.preference, a.status,
                  s.starts_at as "slot_starts_at?",
                  (select count(*) from recruitment_note n where n.application_id = a.application_id) as "notes!",
                  (select avg(n.score)::float8 from recruitment_note n where n.application_id = a.application_id) as average_score
           from recruitment_application a
           join app_user u using (user_id)
           join recruitment_position p using (position_id)
           left join recruitment_slot s on s.slot_id = a.slot_id
           where a.round_id = $1 and a.department_id = $2
           order by p.position_id, a.status = 'withdrawn', a.preference, a.application_id"#,
        round_id,
        department_id
    )
    .fetch_all(db)
    .await
}

pub struct ApplicationDetail {
    pub application_id: i64,
    pub round_id: i64,
    pub position_id: i64,
    pub position_title: String,
    pub student_no: String,
    pub name: String,
    pub college: String,
    pub preference: i32,
    pub statement: String,
    pub survey_id: Option<i64>,
    pub answers: Value,
    pub status: String,
    pub message: String,
    pub slot_starts_at: Option<DateTime<Utc>>,
    pub slot_place: Option<String>,
    pub answer_by: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// One application, read through its department: another department's is not there.
pub async fn fetch_application_of_department(
    db: impl PgExecutor<'_>,
    application_id: i64,
    department_id: i64,
) -> sqlx::Result<Option<ApplicationDetail>> {
    sqlx::query_as!(
        ApplicationDetail,
        r#"select a.application_id, a.round_id, a.position_id, p.title as position_title, u.student_no, u.name,
                  u.college, a.preference, a.statement, a.survey_id, a.answers, a.status, a.message,
                  s.starts_at as "slot_starts_at?", s.place as "slot_place?", a.answer_by, a.created_at
           from recruitment_application a
           join app_user u using (user_id)
           join recruitment_position p using (position_id)
           left join recruitment_slot s on s.slot_id = a.slot_id
           where a.application_id = $1 and a.department_id = $2"#,
        application_id,
        department_id
    )
    .fetch_optional(db)
    .await
}

pub struct NoteRow {
    pub author: String,
    pub score: Option<i32>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

pub async fn list_notes(
    db: impl PgExecutor<'_>,
    application_id: i64,
    department_id: i64,
) -> sqlx::Result<Vec<NoteRow>> {
    sqlx::query_as!(
        NoteRow,
        "select u.name as author, n.score, n.body, n.created_at
         from recruitment_note n join recruitment_application a using (application_id) join app_user u on u.user_id = n.author_id
         where n.application_id = $1 and a.department_id = $2
         order by n.note_id",
        application_id,
        department_id
    )
    .fetch_all(db)
    .await
}

/// An interview note on an application of the department; false when it is not theirs.
pub async fn insert_note(
    db: impl PgExecutor<'_>,
    application_id: i64,
    department_id: i64,
    author_id: i64,
    score: Option<i32>,
    body: &str,
) -> sqlx::Result<bool> {
    let r = sqlx::query!(
        "insert into recruitment_note (application_id, author_id, score, body)
         select application_id, $3, $4, $5 from recruitment_application where application_id = $1 and department_id = $2",
        application_id,
        department_id,
        author_id,
        score,
        body
    )
    .execute(db)
    .await?;
    Ok(r.rows_affected() == 1)
}
