//! A questionnaire's questions. Every write names the department too.

use sqlx::PgExecutor;

use crate::surveys::model::Question;

/// A question as the builder saves it.
pub struct QuestionRow<'a> {
    pub section: &'a str,
    pub kind: &'a str,
    pub prompt: &'a str,
    pub required: bool,
    pub options: &'a [String],
    pub matrix_rows: &'a [String],
    pub max_choices: Option<i32>,
    pub scale_max: Option<i32>,
    pub show_if_question: Option<i64>,
    pub show_if_option: Option<i32>,
}

pub async fn list_questions(db: impl PgExecutor<'_>, survey_id: i64) -> sqlx::Result<Vec<Question>> {
    sqlx::query_as!(
        Question,
        "select question_id, position, section, kind, prompt, required, options, matrix_rows, max_choices, scale_max,
                show_if_question, show_if_option
         from survey_question where survey_id = $1 order by position",
        survey_id,
    )
    .fetch_all(db)
    .await
}

/// Appended after the last question; None when the questionnaire is not this department's
/// (or was replaced by a newer version).
pub async fn insert_question(
    db: impl PgExecutor<'_>,
    survey_id: i64,
    department_id: i64,
    q: &QuestionRow<'_>,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "insert into survey_question (survey_id, position, section, kind, prompt, required, options, matrix_rows,
                                      max_choices, scale_max, show_if_question, show_if_option)
         select s.survey_id, coalesce((select max(position) from survey_question where survey_id = s.survey_id), 0) + 1,
                $3, $4, $5, $6, $7, $8, $9, $10, $11, $12
         from survey s
         where s.survey_id = $1 and s.department_id = $2 and s.superseded_at is null
         returning question_id",
        survey_id,
        department_id,
        q.section,
        q.kind,
        q.prompt,
        q.required,
        q.options,
        q.matrix_rows,
        q.max_choices,
        q.scale_max,
        q.show_if_question,
        q.show_if_option,
    )
    .fetch_optional(db)
    .await
}

/// The wording of a question: its prompt, section, and the words of its options and rows
/// (as many as before: the check is the caller's and the version rule's).
pub async fn update_question(
    db: impl PgExecutor<'_>,
    question_id: i64,
    survey_id: i64,
    department_id: i64,
    q: &QuestionRow<'_>,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "update survey_question qn set section = $4, kind = $5, prompt = $6, required = $7, options = $8,
                matrix_rows = $9, max_choices = $10, scale_max = $11
         from survey s
         where qn.question_id = $1 and qn.survey_id = $2 and s.survey_id = qn.survey_id and s.department_id = $3
           and s.superseded_at is null
         returning qn.question_id",
        question_id,
        survey_id,
        department_id,
        q.section,
        q.kind,
        q.prompt,
        q.required,
        q.options,
        q.matrix_rows,
        q.max_choices,
        q.scale_max,
    )
    .fetch_optional(db)
    .await
}

/// Removing a question, only while nobody has answered (the version rule, in the SQL too).
pub async fn delete_unanswered_question(
    db: impl PgExecutor<'_>,
    question_id: i64,
    survey_id: i64,
    department_id: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "delete from survey_question qn using survey s
         where qn.question_id = $1 and qn.survey_id = $2 and s.survey_id = qn.survey_id and s.department_id = $3
           and not exists (select 1 from survey_response r where r.survey_id = s.survey_id)
           and not exists (select 1 from survey_pending_response p where p.survey_id = s.survey_id)",
        question_id,
        survey_id,
        department_id,
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A new version's questions: the old version's, conditions pointing at the copies.
pub async fn copy_questions(db: &mut sqlx::PgConnection, from: i64, to: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into survey_question (survey_id, position, section, kind, prompt, required, options, matrix_rows,
                                      max_choices, scale_max)
         select $2, position, section, kind, prompt, required, options, matrix_rows, max_choices, scale_max
         from survey_question where survey_id = $1 order by position",
        from,
        to,
    )
    .execute(&mut *db)
    .await?;
    sqlx::query!(
        "update survey_question n set show_if_question = nt.question_id, show_if_option = o.show_if_option
         from survey_question o, survey_question ot, survey_question nt
         where o.survey_id = $1 and n.survey_id = $2 and n.position = o.position and o.show_if_question is not null
           and ot.question_id = o.show_if_question and nt.survey_id = $2 and nt.position = ot.position",
        from,
        to,
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}
