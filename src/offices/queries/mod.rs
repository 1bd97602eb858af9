//! The offices' SQL: liaisons, what was forwarded to an office (always scoped by the
//! liaison's own offices in the statement itself), an office's steps on a case, and
//! the cases and commitments behind its public record.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

mod desk;
pub mod invites;
pub use desk::*;

use super::clock::ForwardedCase;

pub struct Office {
    pub office_id: i64,
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    /// Liaison accounts: none means the union relays its answers.
    pub liaisons: i64,
}

pub async fn list_offices(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Office>> {
    sqlx::query_as!(
        Office,
        r#"select o.office_id, o.slug, o.name_zh, o.name_en,
                  (select count(*) from office_liaison l where l.office_id = o.office_id) as "liaisons!"
           from school_office o order by o.sort_order, o.office_id"#
    )
    .fetch_all(db)
    .await
}

pub async fn fetch_office(db: impl PgExecutor<'_>, slug: &str) -> sqlx::Result<Option<Office>> {
    sqlx::query_as!(
        Office,
        r#"select o.office_id, o.slug, o.name_zh, o.name_en,
                  (select count(*) from office_liaison l where l.office_id = o.office_id) as "liaisons!"
           from school_office o where o.slug = $1"#,
        slug
    )
    .fetch_optional(db)
    .await
}

/// A term and the day the next one started (none for the latest).
pub struct Term {
    pub term_id: i64,
    pub name: String,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub is_current: bool,
}

pub async fn list_terms(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Term>> {
    sqlx::query_as!(
        Term,
        r#"select term_id, name, started_on, lead(started_on) over (order by started_on, term_id) as ended_on, is_current
           from term where not prepared order by started_on desc, term_id desc"#
    )
    .fetch_all(db)
    .await
}

/// Cases forwarded in a term (Shanghai days), merged duplicates left out; one office or all.
pub async fn list_forwarded_cases(
    db: impl PgExecutor<'_>,
    office_id: Option<i64>,
    (from, until): (NaiveDate, Option<NaiveDate>),
) -> sqlx::Result<Vec<ForwardedCase>> {
    sqlx::query_as!(
        ForwardedCase,
        r#"select office_id as "office_id!", status, created_at, forwarded_at as "forwarded_at!",
                  first_public_reply_at, office_answered_at
           from complaint
           where forwarded_at is not null and office_id is not null and merged_into_id is null
             and ($1::int8 is null or office_id = $1)
             and (forwarded_at at time zone 'Asia/Shanghai')::date >= $2
             and ($3::date is null or (forwarded_at at time zone 'Asia/Shanghai')::date < $3)
           order by office_id, forwarded_at"#,
        office_id,
        from,
        until
    )
    .fetch_all(db)
    .await
}

/// A public case waiting on an office, for its page (private cases are only counted).
pub struct WaitingCase {
    pub tracking_no: String,
    pub title: String,
    pub forwarded_at: DateTime<Utc>,
}

pub async fn list_public_unanswered(db: impl PgExecutor<'_>, office_id: i64) -> sqlx::Result<Vec<WaitingCase>> {
    sqlx::query_as!(
        WaitingCase,
        r#"select tracking_no, title, forwarded_at as "forwarded_at!" from complaint
           where office_id = $1 and forwarded_at is not null and office_answered_at is null and is_public
             and merged_into_id is null and status not in ('rejected', 'resolved')
           order by forwarded_at"#,
        office_id
    )
    .fetch_all(db)
    .await
}

/// Commitments made in a term: those due by now (or done) and those kept (done by their date).
pub struct CommitmentRecord {
    pub office_id: i64,
    pub due: i64,
    pub kept: i64,
}

pub async fn list_commitment_records(
    db: impl PgExecutor<'_>,
    (from, until): (NaiveDate, Option<NaiveDate>),
) -> sqlx::Result<Vec<CommitmentRecord>> {
    sqlx::query_as!(
        CommitmentRecord,
        r#"select office_id as "office_id!",
                  count(*) filter (where status = 'done' or due_on < (now() at time zone 'Asia/Shanghai')::date) as "due!",
                  count(*) filter (where status = 'done' and done_on <= due_on) as "kept!"
           from commitment
           where office_id is not null and (created_at at time zone 'Asia/Shanghai')::date >= $1
             and ($2::date is null or (created_at at time zone 'Asia/Shanghai')::date < $2)
           group by office_id"#,
        from,
        until
    )
    .fetch_all(db)
    .await
}

pub async fn list_liaison_ids(db: impl PgExecutor<'_>, office_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!("select user_id from office_liaison where office_id = $1", office_id).fetch_all(db).await
}

pub struct Liaison {
    pub office_id: i64,
    pub user_id: i64,
    pub name: String,
    pub student_no: String,
}

pub async fn list_liaisons(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Liaison>> {
    sqlx::query_as!(
        Liaison,
        "select l.office_id, l.user_id, u.name, u.student_no from office_liaison l join app_user u using (user_id)
         order by l.office_id, l.created_at"
    )
    .fetch_all(db)
    .await
}

/// The account behind a number, whether someone vouched for it, and whether it already answers for the office.
pub struct Candidate {
    pub user_id: i64,
    pub verified: bool,
    pub already: bool,
}

pub async fn fetch_candidate(
    db: impl PgExecutor<'_>,
    office_id: i64,
    student_no: &str,
) -> sqlx::Result<Option<Candidate>> {
    sqlx::query_as!(
        Candidate,
        r#"select u.user_id, u.verified_by is not null as "verified!",
                  exists (select 1 from office_liaison l where l.office_id = $1 and l.user_id = u.user_id) as "already!"
           from app_user u where u.student_no = $2 and u.disabled_at is null"#,
        office_id,
        student_no
    )
    .fetch_optional(db)
    .await
}

/// Add a liaison; the trigger of 0026 refuses an unverified account even if the page did not.
pub async fn insert_liaison(
    db: impl PgExecutor<'_>,
    office_id: i64,
    user_id: i64,
    added_by: i64,
) -> sqlx::Result<bool> {
    let row = sqlx::query_scalar!(
        "insert into office_liaison (office_id, user_id, added_by) values ($1, $2, $3)
         on conflict do nothing returning user_id",
        office_id,
        user_id,
        added_by
    )
    .fetch_optional(db)
    .await?;
    Ok(row.is_some())
}

pub async fn delete_liaison(db: impl PgExecutor<'_>, office_id: i64, user_id: i64) -> sqlx::Result<bool> {
    let row = sqlx::query_scalar!(
        "delete from office_liaison where office_id = $1 and user_id = $2 returning user_id",
        office_id,
        user_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.is_some())
}

pub async fn office_exists(db: impl PgExecutor<'_>, office_id: i64) -> sqlx::Result<bool> {
    let row = sqlx::query_scalar!("select office_id from school_office where office_id = $1", office_id)
        .fetch_optional(db)
        .await?;
    Ok(row.is_some())
}
