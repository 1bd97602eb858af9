//! SQL of decisions and offers. Every path that makes or ends an offer locks the positions
//! it touches first, in id order, then the applications: a department offering while the
//! student accepts elsewhere waits instead of deadlocking, and sees the accept.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// Locks the positions, in id order (the first lock of every offer path).
pub async fn lock_positions(conn: &mut PgConnection, position_ids: &[i64]) -> sqlx::Result<()> {
    sqlx::query!(
        "select position_id from recruitment_position where position_id = any($1) order by position_id for update",
        position_ids
    )
    .fetch_all(conn)
    .await?;
    Ok(())
}

pub struct Locked {
    pub application_id: i64,
    pub position_id: i64,
    pub department_id: i64,
    pub user_id: i64,
    pub status: String,
    pub answer_by: Option<DateTime<Utc>>,
    pub round_id: i64,
}

/// The position of an application of the department (to lock it before the application).
pub async fn fetch_position_of(
    conn: &mut PgConnection,
    application_id: i64,
    department_id: Option<i64>,
    user_id: Option<i64>,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "select position_id from recruitment_application where application_id = $1
           and ($2::bigint is null or department_id = $2) and ($3::bigint is null or user_id = $3)",
        application_id,
        department_id,
        user_id
    )
    .fetch_optional(conn)
    .await
}

pub async fn lock_application(conn: &mut PgConnection, application_id: i64) -> sqlx::Result<Option<Locked>> {
    sqlx::query_as!(
        Locked,
        "select application_id, position_id, department_id, user_id, status, answer_by, round_id
         from recruitment_application where application_id = $1 for update",
        application_id
    )
    .fetch_optional(conn)
    .await
}

/// The positions of every application a student has in a round (to lock before them).
pub async fn list_positions_of_student(conn: &mut PgConnection, round_id: i64, user_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "select distinct position_id as \"position_id!\" from recruitment_application where round_id = $1 and user_id = $2",
        round_id,
        user_id
    )
    .fetch_all(conn)
    .await
}

pub async fn lock_student_applications(
    conn: &mut PgConnection,
    round_id: i64,
    user_id: i64,
) -> sqlx::Result<Vec<Locked>> {
    sqlx::query_as!(
        Locked,
        "select application_id, position_id, department_id, user_id, status, answer_by, round_id
         from recruitment_application where round_id = $1 and user_id = $2 order by application_id for update",
        round_id,
        user_id
    )
    .fetch_all(conn)
    .await
}

/// Offers and accepted places of a position against its places (call with the position locked).
pub async fn has_free_place(conn: &mut PgConnection, position_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select (select count(*) from recruitment_application where position_id = $1 and status in ('offered', 'accepted'))
                  < (select places from recruitment_position where position_id = $1) as "free!""#,
        position_id
    )
    .fetch_one(conn)
    .await
}

/// The department's decision. An offer is answered by the round's deadline, or within two
/// days when made later.
pub async fn update_decision(
    conn: &mut PgConnection,
    application_id: i64,
    status: &str,
    message: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update recruitment_application a set status = $2, message = $3, decided_at = now(),
                waitlisted_at = case when $2 = 'waitlisted' then coalesce(a.waitlisted_at, now()) end,
                answer_by = case when $2 = 'offered'
                                 then greatest(r.answer_by, now() + interval '2 days') end
         from recruitment_round r where r.round_id = a.round_id and a.application_id = $1",
        application_id,
        status,
        message
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The student's answer or the clock: `accepted`, `released` (turned down), `withdrawn`, `expired`.
pub async fn update_status(conn: &mut PgConnection, application_ids: &[i64], status: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "update recruitment_application set status = $2,
                slot_id = case when $2 in ('withdrawn', 'released', 'expired') then null else slot_id end
         where application_id = any($1)",
        application_ids,
        status
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Offers the position's free places to the first on its waiting list (call with the
/// position locked); the students offered.
pub async fn promote_waiting(conn: &mut PgConnection, position_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "with free as (
             select greatest(p.places - (select count(*) from recruitment_application a
                                         where a.position_id = p.position_id and a.status in ('offered', 'accepted')), 0) as n
             from recruitment_position p where p.position_id = $1),
         next as (
             select a.application_id from recruitment_application a
             where a.position_id = $1 and a.status = 'waitlisted'
             order by a.waitlisted_at, a.application_id
             limit (select n from free) for update)
         update recruitment_application a set status = 'offered', decided_at = now(),
                answer_by = greatest(r.answer_by, now() + interval '2 days')
         from next, recruitment_round r
         where a.application_id = next.application_id and r.round_id = a.round_id
         returning a.user_id",
        position_id
    )
    .fetch_all(conn)
    .await
}

/// Offers past their deadline: (application, position), oldest first.
pub async fn list_lapsed_offers(conn: &mut PgConnection, now: DateTime<Utc>) -> sqlx::Result<Vec<(i64, i64)>> {
    let rows = sqlx::query!(
        "select application_id, position_id from recruitment_application
         where status = 'offered' and answer_by <= $1 order by answer_by limit 200",
        now
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.application_id, r.position_id)).collect())
}

/// The term an accepted student joins: the current one, or the next 届's, named ahead.
pub async fn ensure_round_term(conn: &mut PgConnection, term_name: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into term (name, prepared) values ($1, true)
         on conflict (name) do update set name = excluded.name returning term_id",
        term_name
    )
    .fetch_one(conn)
    .await
}

/// Membership as a member of the department for the term (a role held already is kept).
pub async fn insert_membership(
    conn: &mut PgConnection,
    user_id: i64,
    department_id: i64,
    term_id: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "insert into membership (user_id, department_id, term_id, role) values ($1, $2, $3, 'member')
         on conflict (user_id, department_id, term_id) do nothing returning membership_id",
        user_id,
        department_id,
        term_id
    )
    .fetch_optional(conn)
    .await
}

/// The department's vice-heads and heads this term: told when a student answers an offer.
pub async fn list_deciders(conn: &mut PgConnection, department_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "select m.user_id from membership m join term t using (term_id)
         where t.is_current and m.department_id = $1 and m.role in ('vice_head', 'head')",
        department_id
    )
    .fetch_all(conn)
    .await
}

/// A department's name and a position's title, for messages, and the department's slug.
pub async fn fetch_position_label(conn: &mut PgConnection, position_id: i64) -> sqlx::Result<(String, String)> {
    let row = sqlx::query!(
        r#"select d.name_zh || ' · ' || p.title as "label!", d.slug from recruitment_position p join department d using (department_id)
           where p.position_id = $1"#,
        position_id
    )
    .fetch_one(conn)
    .await?;
    Ok((row.label, row.slug))
}

/// The round and position of a student's own application (no lock: what to lock next).
pub async fn fetch_own(conn: &mut PgConnection, application_id: i64, user_id: i64) -> sqlx::Result<Option<(i64, i64)>> {
    let row = sqlx::query!(
        "select round_id, position_id from recruitment_application where application_id = $1 and user_id = $2",
        application_id,
        user_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.round_id, r.position_id)))
}

/// The round's term name (None: the current term).
pub async fn fetch_term_name(conn: &mut PgConnection, round_id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!("select term_name from recruitment_round where round_id = $1", round_id).fetch_one(conn).await
}
