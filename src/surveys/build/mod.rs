//! The department's side (`/d/{dept}/surveys`): its questionnaires, the builder (settings,
//! questions, preview), versions and publishing, results and exports, printed codes.
//! Who may do what is the route groups'; every questionnaire is read with its department
//! in the SQL (`fetch_survey_of_department`).

pub mod codes;
mod preview;
pub mod questions;
pub mod results;
pub mod versions;

pub use preview::preview;

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};
use chrono::{DateTime, Duration, Utc};

use super::{
    forms::{QuestionForm, SurveyForm, SurveyValues},
    model::{Question, AUDIENCES, KINDS},
    paths::SurveyPath,
    queries::{self, Survey, SurveyRow},
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    reception::forms::local_input,
    web::{
        context::redirect_with_flash, dept_access::Need, render, DeptAccess, DeptRole, FormErrors, Html422, Layout,
        Path,
    },
};

/// This department's questionnaire, or 404.
pub(super) async fn own_survey(state: &AppState, access: &DeptAccess, survey_id: i64) -> AppResult<Survey> {
    queries::fetch_survey_of_department(&state.db, survey_id, access.dept.department_id)
        .await?
        .ok_or(AppError::NotFound)
}

fn base(access: &DeptAccess) -> String {
    format!("/d/{}/surveys", access.dept.slug)
}

fn row(v: &SurveyValues) -> SurveyRow<'_> {
    SurveyRow {
        title: &v.title,
        intro: &v.intro,
        opens_at: v.opens_at,
        closes_at: v.closes_at,
        audience: &v.audience,
        colleges: &v.colleges,
        grades: &v.grades,
        audience_ref: v.audience_ref,
        identity: v.identity.as_str(),
        with_codes: v.with_codes,
    }
}

fn form_of(s: &Survey) -> SurveyForm {
    SurveyForm {
        title: s.title.clone(),
        intro: s.intro.clone(),
        opens_at: local_input(&s.opens_at),
        closes_at: local_input(&s.closes_at),
        audience: s.audience.clone(),
        colleges: s.colleges.join("\n"),
        grades: s.grades.iter().map(|g| g.to_string()).collect::<Vec<_>>().join(" "),
        audience_ref: s.audience_ref.map(|r| r.to_string()).unwrap_or_default(),
        identity: s.identity.clone(),
        with_codes: if s.with_codes { "on".into() } else { String::new() },
    }
}

#[derive(Template)]
#[template(path = "surveys/staff_list.html")]
struct ListPage {
    layout: Layout,
    access: DeptAccess,
    surveys: Vec<Survey>,
    now: DateTime<Utc>,
    can_edit: bool,
    form: SurveyForm,
    errors: FormErrors,
    audiences: [&'static str; 5],
}

async fn list_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    form: SurveyForm,
    errors: FormErrors,
) -> AppResult<String> {
    let now = Utc::now();
    let surveys = queries::list_surveys(&state.db, Some(access.dept.department_id), now).await?;
    let can_edit = access.may(Need::Act(DeptRole::ViceHead));
    render(ListPage { layout, access, surveys, now, can_edit, form, errors, audiences: AUDIENCES })
}

pub async fn list_surveys(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
) -> AppResult<Html<String>> {
    let now = Utc::now();
    let form = SurveyForm {
        opens_at: local_input(&now),
        closes_at: local_input(&(now + Duration::days(14))),
        audience: "students".into(),
        identity: "anonymous_once".into(),
        ..SurveyForm::default()
    };
    Ok(Html(list_page(&state, layout, access, form, FormErrors::default()).await?))
}

pub async fn create_survey(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(form): Form<SurveyForm>,
) -> AppResult<Response> {
    let v = match form.parse() {
        Ok(v) => v,
        Err(errors) => return Ok(Html422(list_page(&state, layout, access, form, errors).await?).into_response()),
    };
    let id = queries::insert_survey(&state.db, access.dept.department_id, &row(&v)).await?;
    Ok(redirect_with_flash(&format!("{}/{id}", base(&access)), "flash.surveys.created", None))
}

#[derive(Template)]
#[template(path = "surveys/builder.html")]
pub(super) struct BuilderPage {
    layout: Layout,
    access: DeptAccess,
    s: Survey,
    questions: Vec<Question>,
    now: DateTime<Utc>,
    can_edit: bool,
    form: SurveyForm,
    errors: FormErrors,
    /// The add-question form, or an edited question's (by id) when it came back refused.
    question_form: QuestionForm,
    question_errors: FormErrors,
    editing: i64,
    kinds: [&'static str; 9],
    audiences: [&'static str; 5],
}

impl BuilderPage {
    /// Options a condition may point at: every option of every choice question so far.
    fn conditions(&self) -> Vec<(String, String)> {
        let choices = self.questions.iter().filter(|q| q.is_choice());
        choices
            .flat_map(|q| {
                q.options
                    .iter()
                    .enumerate()
                    .map(move |(i, o)| (format!("{}:{i}", q.question_id), format!("{} → {o}", q.prompt)))
            })
            .collect()
    }
    fn edit_form(&self, q: &Question) -> QuestionForm {
        if self.editing == q.question_id {
            self.question_form.clone()
        } else {
            QuestionForm::of(q)
        }
    }
    /// The question form's messages: the refused one's, empty for the others.
    fn errors_for(&self, question_id: &i64) -> FormErrors {
        if self.editing == *question_id {
            self.question_errors.clone()
        } else {
            FormErrors::default()
        }
    }
    fn add_form(&self) -> QuestionForm {
        if self.editing == 0 {
            self.question_form.clone()
        } else {
            QuestionForm::default()
        }
    }
}

pub(super) struct Refused {
    pub form: Option<SurveyForm>,
    pub errors: FormErrors,
    pub question_form: QuestionForm,
    pub question_errors: FormErrors,
    pub editing: i64,
}

impl Refused {
    pub fn none() -> Refused {
        Refused {
            form: None,
            errors: FormErrors::default(),
            question_form: QuestionForm::default(),
            question_errors: FormErrors::default(),
            editing: 0,
        }
    }
}

pub(super) async fn builder_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    s: Survey,
    r: Refused,
) -> AppResult<String> {
    let questions = queries::list_questions(&state.db, s.survey_id).await?;
    let can_edit = access.may(Need::Act(DeptRole::ViceHead));
    let form = r.form.unwrap_or_else(|| form_of(&s));
    let question_form = if r.editing == 0 && r.question_errors.is_empty() {
        QuestionForm {
            kind: "single".into(),
            section: questions.last().map(|q| q.section.clone()).unwrap_or_default(),
            ..r.question_form
        }
    } else {
        r.question_form
    };
    render(BuilderPage {
        layout,
        access,
        s,
        questions,
        now: Utc::now(),
        can_edit,
        form,
        errors: r.errors,
        question_form,
        question_errors: r.question_errors,
        editing: r.editing,
        kinds: KINDS,
        audiences: AUDIENCES,
    })
}

pub async fn show_builder(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<SurveyPath>,
) -> AppResult<Html<String>> {
    let s = own_survey(&state, &access, p.survey_id).await?;
    Ok(Html(builder_page(&state, layout, access, s, Refused::none()).await?))
}

pub async fn update_survey(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<SurveyPath>,
    Form(form): Form<SurveyForm>,
) -> AppResult<Response> {
    let s = own_survey(&state, &access, p.survey_id).await?;
    let mut errors = FormErrors::default();
    let parsed = form.parse().map_err(|e| errors.merge(e)).ok();
    if let Some(v) = &parsed {
        // The identity mode is what respondents were promised: fixed once anyone answered.
        if s.answers > 0 && (v.identity.as_str() != s.identity || v.with_codes != s.with_codes) {
            errors.add("identity", "form.surveys.identity_fixed");
        }
    }
    match parsed {
        Some(v) if errors.is_empty() => {
            queries::update_settings(&state.db, s.survey_id, access.dept.department_id, &row(&v))
                .await?
                .ok_or(AppError::Conflict("surveys.superseded"))?;
            Ok(redirect_with_flash(&format!("{}/{}", base(&access), s.survey_id), "flash.surveys.saved", None))
        }
        _ => {
            let r = Refused { form: Some(form), errors, ..Refused::none() };
            Ok(Html422(builder_page(&state, layout, access, s, r).await?).into_response())
        }
    }
}
