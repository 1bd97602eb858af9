//! The demo's questionnaire answers, made in SQL (a few hundred at once) and recruitment's
//! applications in each stage.

use sqlx::{PgConnection, PgExecutor};

pub async fn any_survey(db: impl PgExecutor<'_>) -> sqlx::Result<bool> {
    sqlx::query_scalar!(r#"select exists(select 1 from survey) as "e!""#).fetch_one(db).await
}

/// `count` answers to the graduation party questionnaire, spread over its colleges and
/// days, drawn deterministically: a kind of programme (single, 4 options), two wishes
/// (multiple, 5 options), last year's party on a scale of five, and every seventh a suggestion.
pub async fn insert_party_answers(
    conn: &mut PgConnection,
    survey_id: i64,
    questions: &[i64; 4],
    count: i32,
) -> sqlx::Result<u64> {
    let keys: Vec<String> = questions.iter().map(i64::to_string).collect();
    let r = sqlx::query!(
        r#"insert into survey_response (survey_id, answered_on, college, grade, answers)
           select $1, (s.opens_at at time zone 'Asia/Shanghai')::date + (g % 12),
                  (array['计算机学院','经济管理学院','法学院','外国语学院','土木工程学院','理学院','文学院'])[1 + g % 7],
                  2022 + g % 4,
                  jsonb_build_object($2::text, (g * 7) % 4,
                                     $3::text, jsonb_build_array(g % 5, (g + 2) % 5),
                                     $4::text, 1 + (g * 3 + g / 5) % 5)
                  || case when g % 7 = 0 then jsonb_build_object($5::text,
                        (array['希望多一些毕业生自己的节目','希望留出时间和老师合影','希望晚会不要太晚结束'])[1 + g % 3])
                     else '{}'::jsonb end
           from survey s, generate_series(1, $6) g where s.survey_id = $1"#,
        survey_id,
        keys[0],
        keys[1],
        keys[2],
        keys[3],
        count
    )
    .execute(conn)
    .await?;
    Ok(r.rows_affected())
}

pub async fn update_published(db: impl PgExecutor<'_>, survey_id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "update survey set published_at = closes_at, published_tally = survey_published_tally(survey_id) where survey_id = $1",
        survey_id
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn any_recruitment_round(db: impl PgExecutor<'_>) -> sqlx::Result<bool> {
    sqlx::query_scalar!(r#"select exists(select 1 from recruitment_round) as "e!""#).fetch_one(db).await
}

/// A past application in a stage (the demo's: no form makes one in the past, or decided).
pub struct DemoApplication<'a> {
    pub position_id: i64,
    pub user_id: i64,
    pub preference: i32,
    pub statement: &'a str,
    pub status: &'a str,
    pub slot_id: Option<i64>,
    pub message: &'a str,
    pub days_ago: f64,
}

pub async fn insert_application(conn: &mut PgConnection, a: &DemoApplication<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into recruitment_application (position_id, round_id, department_id, user_id, preference, statement, status,
                                              slot_id, message, created_at, decided_at, waitlisted_at, answer_by)
         select p.position_id, p.round_id, p.department_id, $2, $3, $4, $5, $6, $7,
                now() - make_interval(secs => $8::float8 * 86400),
                case when $5 <> 'applied' then now() - make_interval(secs => $8::float8 * 43200) end,
                case when $5 = 'waitlisted' then now() - make_interval(secs => $8::float8 * 43200) end,
                case when $5 = 'offered' then r.answer_by end
         from recruitment_position p join recruitment_round r using (round_id) where p.position_id = $1
         returning application_id",
        a.position_id,
        a.user_id,
        a.preference,
        a.statement,
        a.status,
        a.slot_id,
        a.message,
        a.days_ago
    )
    .fetch_one(conn)
    .await
}

pub async fn insert_note(
    conn: &mut PgConnection,
    application_id: i64,
    author_id: i64,
    score: i32,
    body: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into recruitment_note (application_id, author_id, score, body) values ($1, $2, $3, $4)",
        application_id,
        author_id,
        score,
        body
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn fetch_event_id(db: impl PgExecutor<'_>, title: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!("select event_id from event where title = $1", title).fetch_optional(db).await
}
