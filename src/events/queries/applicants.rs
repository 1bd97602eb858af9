//! The department's figures per college, and what an event's rules read of an applicant.

use sqlx::PgExecutor;

/// Per college: applications, places given, present.
#[derive(Debug, Clone)]
pub struct CollegeFigures {
    pub college: String,
    pub applied: i64,
    pub placed: i64,
    pub attended: i64,
}

pub async fn list_college_figures(db: impl PgExecutor<'_>, event_id: i64) -> sqlx::Result<Vec<CollegeFigures>> {
    sqlx::query_as!(
        CollegeFigures,
        r#"select college, count(*) filter (where status <> 'withdrawn') as "applied!",
                  count(*) filter (where status in ('selected', 'confirmed')) as "placed!",
                  count(*) filter (where attended_at is not null) as "attended!"
           from event_application where event_id = $1 group by college order by college"#,
        event_id
    )
    .fetch_all(db)
    .await
}

/// What the event's rules read of a student: their college, number and whether someone vouched for it.
pub struct ApplicantFacts {
    pub college: String,
    pub student_no: String,
    pub verified: bool,
}

pub async fn fetch_applicant(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<Option<ApplicantFacts>> {
    sqlx::query_as!(
        ApplicantFacts,
        r#"select college, student_no, verified_by is not null as "verified!" from app_user where user_id = $1"#,
        user_id
    )
    .fetch_optional(db)
    .await
}
