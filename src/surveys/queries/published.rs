//! What public pages read of questionnaires beyond the questionnaire itself: the feedback
//! forms linked from an event or a reception day, and a published questionnaire's counts.

use sqlx::PgExecutor;

/// The questionnaires that are an event's or a reception day's feedback form (their audience
/// is its people), newest first: linked from its page.
pub async fn list_feedback_forms(
    db: impl PgExecutor<'_>,
    audience: &str,
    audience_ref: i64,
) -> sqlx::Result<Vec<(i64, String)>> {
    let rows = sqlx::query!(
        "select survey_id, title from survey where audience = $1 and audience_ref = $2 and superseded_at is null
         order by survey_id desc limit 5",
        audience,
        audience_ref
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.survey_id, r.title)).collect())
}

/// A published questionnaire's counts, made when it was published (`survey_published_tally`).
pub async fn fetch_published_tally(db: impl PgExecutor<'_>, survey_id: i64) -> sqlx::Result<Option<serde_json::Value>> {
    let tally = sqlx::query_scalar!(
        "select published_tally from survey where survey_id = $1 and published_at is not null",
        survey_id
    )
    .fetch_optional(db)
    .await?;
    Ok(tally.flatten())
}
