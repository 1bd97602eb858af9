//! A published questionnaire at university scale (issue 24): the rights department's
//! 毕业晚会问卷, closed a week ago, with a graduating year's answers — a single choice, a
//! multiple choice of two, a scale, a matrix of three rows and a suggestion from every
//! tenth — for the public results page.

use std::time::Instant;

use sqlx::PgConnection;

use super::{Progress, Seed};

pub async fn seed(tx: &mut PgConnection, seed: &Seed, progress: &Progress) -> anyhow::Result<()> {
    let began = Instant::now();
    let rights = union_portal::departments::queries::fetch_department_id(&mut *tx, "rights")
        .await?
        .ok_or_else(|| anyhow::anyhow!("no rights department: the questionnaire needs it"))?;
    let survey = sqlx::query_scalar!(
        r#"with n as (select nextval(pg_get_serial_sequence('survey', 'survey_id')) as id)
           insert into survey (survey_id, series_id, department_id, title, intro, opens_at, closes_at, audience, identity,
                               published_at)
           overriding system value
           select id, id, $1, '毕业晚会问卷', '今年的毕业晚会想听听大家的想法。', $2::timestamptz - interval '30 days',
                  $2::timestamptz - interval '7 days', 'students', 'anonymous_once', $2::timestamptz - interval '6 days'
           from n returning survey_id"#,
        rights,
        seed.now
    )
    .fetch_one(&mut *tx)
    .await?;
    let questions = sqlx::query_scalar!(
        r#"insert into survey_question (survey_id, position, kind, prompt, options, matrix_rows, max_choices, scale_max)
           values ($1, 1, 'single', '你最想看的节目类型', '{歌舞,小品相声,乐队演出,诗朗诵}', '{}', null, null),
                  ($1, 2, 'multiple', '你最希望有的环节', '{毕业生走红毯,师生合影,抽奖,回顾视频,校友寄语}', '{}', 2, null),
                  ($1, 3, 'scale', '你对去年毕业晚会的满意度', '{}', '{}', null, 5),
                  ($1, 4, 'matrix', '你对这些安排的看法', '{不满意,一般,满意,很满意}', '{时间,地点,时长}', null, null),
                  ($1, 5, 'long_text', '还有什么建议', '{}', '{}', null, null)
           returning question_id"#,
        survey
    )
    .fetch_all(&mut *tx)
    .await?;
    let keys: Vec<String> = questions.iter().map(i64::to_string).collect();
    let answers = seed.counts.survey_answers;
    sqlx::query!(
        r#"insert into survey_response (survey_id, answered_on, college, grade, answers)
           select $1, ($2::timestamptz - interval '7 days')::date - (g % 23)::int,
                  (array['计算机学院','经济管理学院','法学院','外国语学院','土木工程学院','理学院','文学院'])[1 + g % 7], 2022,
                  jsonb_build_object($3::text, floor(random() * 4)::int,
                                     $4::text, jsonb_build_array(g % 5, (g + 1 + floor(random() * 3)::int) % 5),
                                     $5::text, 1 + floor(random() * 5)::int,
                                     $6::text, jsonb_build_array(floor(random() * 4)::int, floor(random() * 4)::int,
                                                                 floor(random() * 4)::int))
                  || case when g % 10 = 0 then jsonb_build_object($7::text, '希望晚会早一点开始，结束后有返校车') else '{}' end
           from generate_series(1, $8::bigint) g"#,
        survey,
        seed.now,
        keys[0],
        keys[1],
        keys[2],
        keys[3],
        keys[4],
        answers
    )
    .execute(&mut *tx)
    .await?;
    // Counted once, as publishing does.
    sqlx::query!("update survey set published_tally = survey_published_tally(survey_id) where survey_id = $1", survey)
        .execute(&mut *tx)
        .await?;
    progress.done("survey_response", answers as u64, began);
    Ok(())
}
