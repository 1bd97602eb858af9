//! The preview: a questionnaire as respondents will see it, with nothing to send.

use axum::{extract::State, response::Html};
use chrono::Utc;

use super::own_survey;
use crate::{
    app::AppState,
    error::AppResult,
    surveys::{answers::AnswerInputs, paths::SurveyPath, public::AnswerPage, queries},
    web::{render, DeptAccess, Layout, Path},
};

/// The questionnaire as respondents will see it, with nothing to submit.
pub async fn preview(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<SurveyPath>,
) -> AppResult<Html<String>> {
    let s = own_survey(&state, &access, p.survey_id).await?;
    let questions = queries::list_questions(&state.db, s.survey_id).await?;
    let page = AnswerPage {
        layout,
        s,
        now: Utc::now(),
        barred: None,
        preview: true,
        inputs: AnswerInputs { questions, ..AnswerInputs::default() },
        code_error: None,
    };
    Ok(Html(render(page)?))
}
