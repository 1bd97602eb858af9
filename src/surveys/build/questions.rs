//! Adding, rewording and removing questions. Once anyone has answered, only new questions
//! and wording fixes are taken; a structural change is refused with the offer of a new
//! version (the removal's SQL refuses it too).

use axum::{
    extract::State,
    response::{IntoResponse, Response},
    Form,
};

use super::{base, builder_page, own_survey, Refused};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    surveys::{
        forms::{wording_only, QuestionForm, QuestionValues},
        paths::{QuestionPath, SurveyPath},
        queries::{self, QuestionRow, Survey},
    },
    web::{context::redirect_with_flash, DeptAccess, FormErrors, Html422, Layout, Path},
};

fn row(v: &QuestionValues) -> QuestionRow<'_> {
    QuestionRow {
        section: &v.section,
        kind: &v.kind,
        prompt: &v.prompt,
        required: v.required,
        options: &v.options,
        matrix_rows: &v.matrix_rows,
        max_choices: v.max_choices,
        scale_max: v.scale_max,
        show_if_question: v.show_if.map(|s| s.0),
        show_if_option: v.show_if.map(|s| s.1),
    }
}

async fn refuse(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    s: Survey,
    form: QuestionForm,
    errors: FormErrors,
    editing: i64,
) -> AppResult<Response> {
    let r = Refused { question_form: form, question_errors: errors, editing, ..Refused::none() };
    Ok(Html422(builder_page(state, layout, access, s, r).await?).into_response())
}

fn to_builder(access: &DeptAccess, s: &Survey, flash: &'static str) -> Response {
    redirect_with_flash(&format!("{}/{}", base(access), s.survey_id), flash, None)
}

pub async fn add_question(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<SurveyPath>,
    Form(form): Form<QuestionForm>,
) -> AppResult<Response> {
    let s = own_survey(&state, &access, p.survey_id).await?;
    let earlier = queries::list_questions(&state.db, s.survey_id).await?;
    match form.parse(&earlier) {
        Ok(v) => {
            queries::insert_question(&state.db, s.survey_id, access.dept.department_id, &row(&v))
                .await?
                .ok_or(AppError::Conflict("surveys.superseded"))?;
            Ok(to_builder(&access, &s, "flash.surveys.question_added"))
        }
        Err(errors) => refuse(&state, layout, access, s, form, errors, 0).await,
    }
}

pub async fn update_question(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<QuestionPath>,
    Form(form): Form<QuestionForm>,
) -> AppResult<Response> {
    let s = own_survey(&state, &access, p.survey_id).await?;
    let questions = queries::list_questions(&state.db, s.survey_id).await?;
    let at = questions.iter().position(|q| q.question_id == p.question_id).ok_or(AppError::NotFound)?;
    let old = &questions[at];
    // The condition stays as it was set; the form's is not read.
    let form = QuestionForm { show_if: QuestionForm::of(old).show_if, ..form };
    let v = match form.parse(&questions[..at]) {
        Ok(v) => v,
        Err(errors) => return refuse(&state, layout, access, s, form, errors, p.question_id).await,
    };
    if s.answers > 0 && !wording_only(old, &v) {
        let errors = FormErrors::one("prompt", "form.surveys.needs_new_version");
        return refuse(&state, layout, access, s, form, errors, p.question_id).await;
    }
    queries::update_question(&state.db, p.question_id, s.survey_id, access.dept.department_id, &row(&v))
        .await?
        .ok_or(AppError::Conflict("surveys.superseded"))?;
    Ok(to_builder(&access, &s, "flash.surveys.question_saved"))
}

pub async fn remove_question(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(p): Path<QuestionPath>,
) -> AppResult<Response> {
    let s = own_survey(&state, &access, p.survey_id).await?;
    if !queries::delete_unanswered_question(&state.db, p.question_id, s.survey_id, access.dept.department_id).await? {
        if s.answers > 0 {
            return Err(AppError::Conflict("form.surveys.needs_new_version"));
        }
        return Err(AppError::NotFound);
    }
    Ok(to_builder(&access, &s, "flash.surveys.question_removed"))
}
