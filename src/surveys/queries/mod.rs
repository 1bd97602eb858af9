//! Questionnaires' SQL: the questionnaires here; questions, codes and answers beside.
//! What a department may touch is repeated in the SQL (`department_id = $n`).

mod published;
mod questions;
mod responses;

pub use published::*;
pub use questions::*;
pub use responses::*;

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

use super::model::Identity;

/// A questionnaire as its pages show it, with how many answered.
#[derive(Debug, Clone)]
pub struct Survey {
    pub survey_id: i64,
    pub department_id: i64,
    pub dept_slug: String,
    pub dept_name_zh: String,
    pub dept_name_en: String,
    pub series_id: i64,
    pub version: i32,
    pub title: String,
    pub intro: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub audience: String,
    pub colleges: Vec<String>,
    pub grades: Vec<i32>,
    pub audience_ref: Option<i64>,
    pub identity: String,
    pub with_codes: bool,
    pub published_at: Option<DateTime<Utc>>,
    pub superseded_at: Option<DateTime<Utc>>,
    /// A recruitment position's questions: answered with the application, never on their own.
    pub for_position: bool,
    /// Answers stored, waiting anonymous ones included; 0 from `fetch_survey` (the public
    /// pages show no count, and counting thousands of answers was most of their cost).
    pub answers: i64,
}

impl Survey {
    pub fn identity(&self) -> Identity {
        Identity::parse(&self.identity).unwrap_or(Identity::Named)
    }
    pub fn is_anonymous(&self) -> bool {
        self.identity() == Identity::AnonymousOnce
    }
    /// Taking answers now: within its window and not replaced by a newer version.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.superseded_at.is_none() && self.opens_at <= now && now < self.closes_at
    }
    pub fn is_closed(&self, now: &DateTime<Utc>) -> bool {
        self.superseded_at.is_some() || self.closes_at <= *now
    }
    pub fn identity_key(&self) -> &'static str {
        match self.identity() {
            Identity::Named => "surveys.identity.named",
            Identity::AnonymousOnce => "surveys.identity.anonymous_once",
            Identity::Open => "surveys.identity.open",
        }
    }
    /// What the identity mode means for the respondent, said before the first question.
    pub fn identity_notice_key(&self) -> &'static str {
        match self.identity() {
            Identity::Named => "surveys.identity_notice.named",
            Identity::AnonymousOnce => "surveys.identity_notice.anonymous_once",
            Identity::Open => "surveys.identity_notice.open",
        }
    }
    pub fn audience_key(&self) -> &'static str {
        match self.audience.as_str() {
            "everyone" => "surveys.audience.everyone",
            "event_attendees" => "surveys.audience.event_attendees",
            "reception_participants" => "surveys.audience.reception_participants",
            "building_residents" => "surveys.audience.building_residents",
            _ => "surveys.audience.students",
        }
    }
    pub fn phase_key(&self, now: &DateTime<Utc>) -> &'static str {
        if self.superseded_at.is_some() {
            "surveys.phase.superseded"
        } else if *now < self.opens_at {
            "surveys.phase.upcoming"
        } else if *now < self.closes_at {
            "surveys.phase.open"
        } else if self.published_at.is_some() {
            "surveys.phase.published"
        } else {
            "surveys.phase.closed"
        }
    }
}

/// A questionnaire's settings as the builder saves them.
pub struct SurveyRow<'a> {
    pub title: &'a str,
    pub intro: &'a str,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub audience: &'a str,
    pub colleges: &'a [String],
    pub grades: &'a [i32],
    pub audience_ref: Option<i64>,
    pub identity: &'a str,
    pub with_codes: bool,
}

pub async fn insert_survey(db: impl PgExecutor<'_>, department_id: i64, r: &SurveyRow<'_>) -> sqlx::Result<i64> {
    // The first version is its own series: both ids from one sequence value.
    sqlx::query_scalar!(
        r#"with n as (select nextval(pg_get_serial_sequence('survey', 'survey_id')) as id)
           insert into survey (survey_id, series_id, department_id, title, intro, opens_at, closes_at, audience,
                               colleges, grades, audience_ref, identity, with_codes)
           overriding system value
           select id, id, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 from n
           returning survey_id"#,
        department_id,
        r.title,
        r.intro,
        r.opens_at,
        r.closes_at,
        r.audience,
        r.colleges,
        r.grades,
        r.audience_ref,
        r.identity,
        r.with_codes,
    )
    .fetch_one(db)
    .await
}

/// Settings that may change while answers exist; the identity mode and codes only while none do.
pub async fn update_settings(
    db: impl PgExecutor<'_>,
    survey_id: i64,
    department_id: i64,
    r: &SurveyRow<'_>,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        r#"update survey s set title = $3, intro = $4, opens_at = $5, closes_at = $6, audience = $7, colleges = $8,
                  grades = $9, audience_ref = $10, identity = $11, with_codes = $12,
                  -- Open again: the published results would miss what comes; publish again after closing.
                  published_at = case when $6 > now() then null else s.published_at end
           where s.survey_id = $1 and s.department_id = $2 and s.superseded_at is null
             and ((s.identity = $11 and s.with_codes = $12)
                  or not exists (select 1 from survey_response r where r.survey_id = s.survey_id)
                     and not exists (select 1 from survey_pending_response p where p.survey_id = s.survey_id))
           returning s.survey_id"#,
        survey_id,
        department_id,
        r.title,
        r.intro,
        r.opens_at,
        r.closes_at,
        r.audience,
        r.colleges,
        r.grades,
        r.audience_ref,
        r.identity,
        r.with_codes,
    )
    .fetch_optional(db)
    .await
}

/// Any questionnaire, by id (the public pages decide what they show of it).
pub async fn fetch_survey(db: impl PgExecutor<'_>, survey_id: i64) -> sqlx::Result<Option<Survey>> {
    fetch_survey_of(db, survey_id, None, false).await
}

/// The questionnaire, only if this department owns it.
pub async fn fetch_survey_of_department(
    db: impl PgExecutor<'_>,
    survey_id: i64,
    department_id: i64,
) -> sqlx::Result<Option<Survey>> {
    fetch_survey_of(db, survey_id, Some(department_id), true).await
}

async fn fetch_survey_of(
    db: impl PgExecutor<'_>,
    survey_id: i64,
    department_id: Option<i64>,
    count_answers: bool,
) -> sqlx::Result<Option<Survey>> {
    sqlx::query_as!(
        Survey,
        r#"select s.survey_id, s.department_id, d.slug as dept_slug, d.name_zh as dept_name_zh,
                  d.name_en as dept_name_en, s.series_id, s.version, s.title, s.intro, s.opens_at, s.closes_at,
                  s.audience, s.colleges, s.grades, s.audience_ref, s.identity, s.with_codes, s.published_at,
                  s.superseded_at,
                  exists (select 1 from recruitment_position p join survey x on x.survey_id = p.survey_id
                          where x.series_id = s.series_id) as "for_position!",
                  case when $3 then (select count(*) from survey_response r where r.survey_id = s.survey_id)
                       + (select count(*) from survey_pending_response p where p.survey_id = s.survey_id)
                       else 0 end as "answers!"
           from survey s join department d using (department_id)
           where s.survey_id = $1 and ($2::bigint is null or s.department_id = $2)"#,
        survey_id,
        department_id,
        count_answers,
    )
    .fetch_optional(db)
    .await
}

/// Which questionnaires a list shows: one department's, or the public ones (open now or published).
pub async fn list_surveys(
    db: impl PgExecutor<'_>,
    department_id: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<Survey>> {
    sqlx::query_as!(
        Survey,
        r#"select s.survey_id, s.department_id, d.slug as dept_slug, d.name_zh as dept_name_zh,
                  d.name_en as dept_name_en, s.series_id, s.version, s.title, s.intro, s.opens_at, s.closes_at,
                  s.audience, s.colleges, s.grades, s.audience_ref, s.identity, s.with_codes, s.published_at,
                  s.superseded_at,
                  exists (select 1 from recruitment_position p join survey x on x.survey_id = p.survey_id
                          where x.series_id = s.series_id) as "for_position!",
                  (select count(*) from survey_response r where r.survey_id = s.survey_id)
                  + (select count(*) from survey_pending_response p where p.survey_id = s.survey_id) as "answers!"
           from survey s join department d using (department_id)
           where case when $1::bigint is null
                      then (s.published_at is not null
                            or (s.superseded_at is null and s.opens_at <= $2 and $2 < s.closes_at))
                           -- A position's questions are answered with the application, not listed.
                           and not exists (select 1 from recruitment_position p join survey x on x.survey_id = p.survey_id
                                           where x.series_id = s.series_id)
                      else s.department_id = $1 end
           order by s.survey_id desc
           limit 200"#,
        department_id,
        now,
    )
    .fetch_all(db)
    .await
}

/// Results go public once the window has closed.
pub async fn update_published(db: impl PgExecutor<'_>, survey_id: i64, department_id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update survey set published_at = now(), published_tally = survey_published_tally(survey_id)
         where survey_id = $1 and department_id = $2 and published_at is null and closes_at <= now()",
        survey_id,
        department_id,
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A new version: the questionnaire copied (questions apart, `copy_questions`), the old one
/// replaced so it takes no more answers. None when it was replaced already.
pub async fn insert_new_version(
    db: impl PgExecutor<'_>,
    survey_id: i64,
    department_id: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        r#"with old as (
               update survey set superseded_at = now()
               where survey_id = $1 and department_id = $2 and superseded_at is null
               returning *)
           insert into survey (department_id, series_id, version, title, intro, opens_at, closes_at, audience,
                               colleges, grades, audience_ref, identity, with_codes)
           select department_id, series_id, version + 1, title, intro, opens_at, greatest(closes_at, now() + interval '1 day'),
                  audience, colleges, grades, audience_ref, identity, with_codes
           from old
           returning survey_id"#,
        survey_id,
        department_id,
    )
    .fetch_optional(db)
    .await
}

/// The versions of a series, for the results' "which version" line.
pub async fn list_versions(
    db: impl PgExecutor<'_>,
    series_id: i64,
    department_id: i64,
) -> sqlx::Result<Vec<(i64, i32)>> {
    let rows = sqlx::query!(
        "select survey_id, version from survey where series_id = $1 and department_id = $2 order by version",
        series_id,
        department_id,
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.survey_id, r.version)).collect())
}
