//! The department's side of appeals: the list and the decision (filing one is the
//! residents'). An appeal belongs to the department whose round it is about.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

pub struct AppealRow {
    pub appeal_id: i64,
    pub round_id: i64,
    pub held_on: NaiveDate,
    pub building: String,
    pub room_number: String,
    pub body: String,
    pub filed_at: DateTime<Utc>,
    pub outcome: String,
    pub score: Option<i32>,
    pub grade: Option<String>,
    pub score_before_appeal: Option<i32>,
    pub decision: Option<String>,
    pub new_score: Option<i32>,
    pub decision_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// An undecided appeal, locked with what deciding it needs.
pub struct Waiting {
    pub appeal_id: i64,
    pub result_id: i64,
    pub room_id: i64,
    pub rubric_id: i64,
    pub excellent_min: i32,
    pub good_min: i32,
    pub pass_min: i32,
    pub score: Option<i32>,
    pub vetoed: bool,
    pub outcome: String,
    /// The round's day: the rankings of its week, month and term are recomputed.
    pub held_on: chrono::NaiveDate,
}

/// Waiting first (oldest first), then decided (latest first).
pub async fn list_appeals(db: impl PgExecutor<'_>, department_id: i64) -> sqlx::Result<Vec<AppealRow>> {
    sqlx::query_as!(
        AppealRow,
        r#"select a.appeal_id, o.round_id, o.held_on, b.name as building, r.room_number, a.body, a.filed_at,
                  x.outcome, x.score, x.grade, x.score_before_appeal, a.decision, a.new_score, a.decision_reason, a.decided_at
           from inspection_appeal a
           join inspection_result x on x.result_id = a.result_id
           join inspection_round o on o.round_id = x.round_id
           join dorm_room r on r.room_id = a.room_id
           join dorm_building b on b.building_id = r.building_id
           where o.department_id = $1
           order by a.decision is not null, case when a.decision is null then a.filed_at end,
                    a.decided_at desc nulls last
           limit 300"#,
        department_id
    )
    .fetch_all(db)
    .await
}

pub async fn count_waiting(db: impl PgExecutor<'_>, department_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from inspection_appeal a
           join inspection_result x on x.result_id = a.result_id
           join inspection_round o on o.round_id = x.round_id
           where o.department_id = $1 and a.decision is null"#,
        department_id
    )
    .fetch_one(db)
    .await
}

/// The appeal and its result, locked; `None` when not this department's or decided already.
pub async fn lock_waiting(
    db: impl PgExecutor<'_>,
    appeal_id: i64,
    department_id: i64,
) -> sqlx::Result<Option<Waiting>> {
    sqlx::query_as!(
        Waiting,
        "select a.appeal_id, a.result_id, a.room_id, k.rubric_id, k.excellent_min, k.good_min, k.pass_min, o.held_on,
                x.score, x.vetoed, x.outcome
         from inspection_appeal a
         join inspection_result x on x.result_id = a.result_id
         join inspection_round o on o.round_id = x.round_id
         join inspection_rubric k on k.rubric_id = o.rubric_id
         where a.appeal_id = $1 and o.department_id = $2 and a.decision is null
         for update of a, x",
        appeal_id,
        department_id
    )
    .fetch_optional(db)
    .await
}

/// Whether the appeal is this department's at all (decided or not).
pub async fn appeal_of_department(db: impl PgExecutor<'_>, appeal_id: i64, department_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from inspection_appeal a
             join inspection_result x on x.result_id = a.result_id
             join inspection_round o on o.round_id = x.round_id
             where a.appeal_id = $1 and o.department_id = $2) as "e!""#,
        appeal_id,
        department_id
    )
    .fetch_one(db)
    .await
}

pub async fn update_decided(
    db: impl PgExecutor<'_>,
    appeal_id: i64,
    decision: &str,
    new_score: Option<i32>,
    reason: &str,
    decided_by: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update inspection_appeal set decision = $2, new_score = $3, decision_reason = $4, decided_by = $5, decided_at = now()
         where appeal_id = $1 and decision is null",
        appeal_id,
        decision,
        new_score,
        reason,
        decided_by
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A changed score: the result becomes a scored one with its new grade; the score it
/// had first is kept (a second change keeps the first original).
pub async fn update_result_score(db: impl PgExecutor<'_>, result_id: i64, score: i32, grade: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "update inspection_result
         set score_before_appeal = coalesce(score_before_appeal, score), score = $2, grade = $3,
             outcome = 'scored', revision = revision + 1
         where result_id = $1",
        result_id,
        score,
        grade
    )
    .execute(db)
    .await?;
    Ok(())
}
