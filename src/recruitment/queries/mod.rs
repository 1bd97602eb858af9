//! SQL of recruitment: rounds, positions and interview slots here; applications and the
//! department's reading of them in `applications`; decisions, offers and their answers in
//! `offers`. Every read of one department's objects names the department in its `where`.

pub mod applications;
pub mod offers;

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

pub struct Round {
    pub round_id: i64,
    pub title: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub answer_by: DateTime<Utc>,
    pub max_choices: i32,
    pub term_name: Option<String>,
}

impl Round {
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.opens_at <= now && now < self.closes_at
    }
    pub fn phase_key(&self, now: DateTime<Utc>) -> &'static str {
        if now < self.opens_at {
            "recruitment.phase.upcoming"
        } else if now < self.closes_at {
            "recruitment.phase.open"
        } else {
            "recruitment.phase.closed"
        }
    }
    /// 1..=max_choices, for the preference select.
    pub fn choices(&self) -> Vec<i32> {
        (1..=self.max_choices).collect()
    }
}

pub struct NewRound<'a> {
    pub title: &'a str,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub answer_by: DateTime<Utc>,
    pub max_choices: i32,
    pub term_name: Option<&'a str>,
}

pub async fn insert_round(db: impl PgExecutor<'_>, r: &NewRound<'_>, created_by: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into recruitment_round (title, opens_at, closes_at, answer_by, max_choices, term_name, created_by)
         values ($1, $2, $3, $4, $5, $6, $7) returning round_id",
        r.title,
        r.opens_at,
        r.closes_at,
        r.answer_by,
        r.max_choices,
        r.term_name,
        created_by
    )
    .fetch_one(db)
    .await
}

/// The rounds that take applications now or have not finished answering offers, newest first.
pub async fn list_current_rounds(db: impl PgExecutor<'_>, now: DateTime<Utc>) -> sqlx::Result<Vec<Round>> {
    sqlx::query_as!(
        Round,
        "select round_id, title, opens_at, closes_at, answer_by, max_choices, term_name
         from recruitment_round where answer_by > $1::timestamptz - interval '30 days' order by closes_at desc limit 10",
        now
    )
    .fetch_all(db)
    .await
}

pub async fn fetch_round(db: impl PgExecutor<'_>, round_id: i64) -> sqlx::Result<Option<Round>> {
    sqlx::query_as!(
        Round,
        "select round_id, title, opens_at, closes_at, answer_by, max_choices, term_name
         from recruitment_round where round_id = $1",
        round_id
    )
    .fetch_optional(db)
    .await
}

pub struct PositionRow {
    pub position_id: i64,
    pub round_id: i64,
    pub department_id: i64,
    pub dept_slug: String,
    pub dept_name_zh: String,
    pub dept_name_en: String,
    pub title: String,
    pub description: String,
    pub places: i32,
    /// The current version of the department's questionnaire for it, if it has one.
    pub survey_id: Option<i64>,
    /// Live applications (not withdrawn).
    pub applicants: i64,
    pub accepted: i64,
}

/// The positions of a round (every department's), or of one department when `department_id` is given.
pub async fn list_positions(
    db: impl PgExecutor<'_>,
    round_id: i64,
    department_id: Option<i64>,
) -> sqlx::Result<Vec<PositionRow>> {
    find_positions(db, Some(round_id), department_id, None).await
}

pub async fn fetch_position(db: impl PgExecutor<'_>, position_id: i64) -> sqlx::Result<Option<PositionRow>> {
    Ok(find_positions(db, None, None, Some(position_id)).await?.pop())
}

/// Positions by round, department or id (each filter optional; the tables are a term's few rows).
async fn find_positions(
    db: impl PgExecutor<'_>,
    round_id: Option<i64>,
    department_id: Option<i64>,
    position_id: Option<i64>,
) -> sqlx::Result<Vec<PositionRow>> {
    sqlx::query_as!(
        PositionRow,
        r#"select p.position_id, p.round_id, p.department_id, d.slug as dept_slug, d.name_zh as dept_name_zh,
                  d.name_en as dept_name_en, p.title, p.description, p.places,
                  (select v.survey_id from survey s join survey v on v.series_id = s.series_id
                   where s.survey_id = p.survey_id order by v.version desc limit 1) as survey_id,
                  (select count(*) from recruitment_application a where a.position_id = p.position_id
                     and a.status <> 'withdrawn') as "applicants!",
                  (select count(*) from recruitment_application a where a.position_id = p.position_id
                     and a.status = 'accepted') as "accepted!"
           from recruitment_position p join department d using (department_id)
           where ($1::bigint is null or p.round_id = $1) and ($2::bigint is null or p.department_id = $2)
             and ($3::bigint is null or p.position_id = $3)
           order by d.sort_order, d.department_id, p.position_id"#,
        round_id,
        department_id,
        position_id
    )
    .fetch_all(db)
    .await
}

pub struct NewPosition<'a> {
    pub round_id: i64,
    pub title: &'a str,
    pub description: &'a str,
    pub places: i32,
    pub survey_id: Option<i64>,
}

/// A department's position in a round still open; its questionnaire must be its own.
/// `None` when the round is closed or the questionnaire is another department's; a
/// taken title is a unique violation.
pub async fn insert_position(
    db: impl PgExecutor<'_>,
    department_id: i64,
    p: &NewPosition<'_>,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "insert into recruitment_position (round_id, department_id, title, description, places, survey_id)
         select r.round_id, $2, $3, $4, $5, $6 from recruitment_round r
         where r.round_id = $1 and r.closes_at > now()
           and ($6::bigint is null or exists (select 1 from survey s where s.survey_id = $6 and s.department_id = $2))
         returning position_id",
        p.round_id,
        department_id,
        p.title,
        p.description,
        p.places,
        p.survey_id
    )
    .fetch_optional(db)
    .await
}

pub struct SlotRow {
    pub slot_id: i64,
    pub starts_at: DateTime<Utc>,
    pub minutes: i32,
    pub place: String,
    pub capacity: i32,
    pub booked: i64,
}

impl SlotRow {
    pub fn is_full(&self) -> bool {
        self.booked >= i64::from(self.capacity)
    }
}

pub async fn list_slots(db: impl PgExecutor<'_>, round_id: i64, department_id: i64) -> sqlx::Result<Vec<SlotRow>> {
    sqlx::query_as!(
        SlotRow,
        r#"select s.slot_id, s.starts_at, s.minutes, s.place, s.capacity,
                  (select count(*) from recruitment_application a where a.slot_id = s.slot_id
                     and a.status not in ('withdrawn', 'released', 'expired')) as "booked!"
           from recruitment_slot s where s.round_id = $1 and s.department_id = $2 order by s.starts_at, s.slot_id"#,
        round_id,
        department_id
    )
    .fetch_all(db)
    .await
}

pub struct NewSlot<'a> {
    pub round_id: i64,
    pub starts_at: DateTime<Utc>,
    pub minutes: i32,
    pub place: &'a str,
    pub capacity: i32,
}

/// An interview slot of the department in one of its rounds (a round it has a position in).
pub async fn insert_slot(db: impl PgExecutor<'_>, department_id: i64, s: &NewSlot<'_>) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "insert into recruitment_slot (round_id, department_id, starts_at, minutes, place, capacity)
         select $1, $2, $3, $4, $5, $6
         where exists (select 1 from recruitment_position p where p.round_id = $1 and p.department_id = $2)
         returning slot_id",
        s.round_id,
        department_id,
        s.starts_at,
        s.minutes,
        s.place,
        s.capacity
    )
    .fetch_optional(db)
    .await
}

/// The department's own questionnaires, for a position's questions.
pub async fn list_department_surveys(db: impl PgExecutor<'_>, department_id: i64) -> sqlx::Result<Vec<(i64, String)>> {
    let rows = sqlx::query!(
        "select survey_id, title from survey where department_id = $1 and superseded_at is null
         order by survey_id desc limit 50",
        department_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.survey_id, r.title)).collect())
}

pub struct StageCount {
    pub dept_name_zh: String,
    pub dept_name_en: String,
    pub status: String,
    pub n: i64,
}

/// The presidium's figures: applications per department and stage, nothing of their content.
pub async fn count_stages(db: impl PgExecutor<'_>, round_id: i64) -> sqlx::Result<Vec<StageCount>> {
    sqlx::query_as!(
        StageCount,
        r#"select d.name_zh as dept_name_zh, d.name_en as dept_name_en, a.status, count(*) as "n!"
           from recruitment_application a join department d using (department_id)
           where a.round_id = $1
           group by d.sort_order, d.department_id, d.name_zh, d.name_en, a.status
           order by d.sort_order, d.department_id, a.status"#,
        round_id
    )
    .fetch_all(db)
    .await
}
