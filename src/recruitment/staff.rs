//! The department's side, `/d/{dept}/recruitment`: its positions and interview times in
//! each round, its own applicants only (with their preference rank for it), one applicant's
//! page with their answers, the interview notes and scores (inside the department), and the
//! decision with the message the student gets. Who may do what is the route groups'
//! (`super::staff_routes`); every statement names the department again.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};
use chrono::{DateTime, Utc};
use serde_json::json;

use super::{
    forms::{DecideForm, NoteForm, PositionForm, SlotForm},
    model,
    offers::{self, Decided},
    paths::ApplicationPath,
    queries::{self, applications as apps, PositionRow, Round, SlotRow},
};
use crate::{
    app::AppState,
    audit,
    error::{AppError, AppResult, ResultExt},
    web::{
        context::redirect_with_flash, dept_access::Need, render, DeptAccess, DeptRole, FormErrors, Html422, Layout,
        Path,
    },
};

pub struct RoundDesk {
    pub round: Round,
    pub positions: Vec<PositionRow>,
    pub slots: Vec<SlotRow>,
    pub applicants: Vec<apps::Applicant>,
}

#[derive(Template)]
#[template(path = "recruitment/staff.html")]
struct DeskPage {
    layout: Layout,
    slug: String,
    rounds: Vec<RoundDesk>,
    surveys: Vec<(i64, String)>,
    can_edit: bool,
    now: DateTime<Utc>,
    position_form: PositionForm,
    slot_form: SlotForm,
    errors: FormErrors,
}

impl DeskPage {
    fn status(&self, status: &str) -> &'static str {
        model::status_key(status)
    }
}

async fn desk_page(
    state: &AppState,
    layout: Layout,
    access: &DeptAccess,
    (position_form, slot_form): (PositionForm, SlotForm),
    errors: FormErrors,
) -> AppResult<String> {
    let department_id = access.dept.department_id;
    let now = Utc::now();
    let mut rounds = vec![];
    for round in queries::list_current_rounds(&state.db, now).await? {
        let positions = queries::list_positions(&state.db, round.round_id, Some(department_id)).await?;
        let slots = queries::list_slots(&state.db, round.round_id, department_id).await?;
        let applicants = apps::list_applicants(&state.db, round.round_id, department_id).await?;
        rounds.push(RoundDesk { round, positions, slots, applicants });
    }
    let surveys = queries::list_department_surveys(&state.db, department_id).await?;
    let can_edit = access.may(Need::Act(DeptRole::ViceHead));
    let slug = access.dept.slug.clone();
    let page = DeskPage { layout, slug, rounds, surveys, can_edit, now, position_form, slot_form, errors };
    render(page)
}

pub async fn show_desk(State(state): State<AppState>, layout: Layout, access: DeptAccess) -> AppResult<Html<String>> {
    Ok(Html(desk_page(&state, layout, &access, Default::default(), FormErrors::default()).await?))
}

pub async fn create_position(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(form): Form<PositionForm>,
) -> AppResult<Response> {
    let refused = |key| FormErrors::one("title", key);
    let errors = match form.parse() {
        Ok(v) => match queries::insert_position(&state.db, access.dept.department_id, &v.row())
            .await
            .on_constraint("recruitment_position_key", || AppError::Conflict(""))
        {
            Ok(Some(id)) => {
                let after = json!({ "title": v.title, "places": v.places, "round_id": v.round_id });
                let (actor, dept) = (Some(access.viewer.user_id), Some(access.dept.department_id));
                let action = audit::Action::RecruitmentPositionSave;
                audit::record(
                    &state.db,
                    actor,
                    dept,
                    action,
                    "recruitment_position",
                    &id.to_string(),
                    None,
                    Some(after),
                )
                .await?;
                let to = format!("/d/{}/recruitment", access.dept.slug);
                return Ok(redirect_with_flash(&to, "flash.recruitment.position_saved", Some(&v.title)));
            }
            Ok(None) => refused("form.recruitment.round_closed"),
            Err(AppError::Conflict(_)) => refused("form.recruitment.title_taken"),
            Err(e) => return Err(e),
        },
        Err(errors) => errors,
    };
    let html = desk_page(&state, layout, &access, (form, SlotForm::default()), errors).await?;
    Ok(Html422(html).into_response())
}

pub async fn create_slot(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(form): Form<SlotForm>,
) -> AppResult<Response> {
    let errors = match form.parse(Utc::now()) {
        Ok(v) => match queries::insert_slot(&state.db, access.dept.department_id, &v.row()).await? {
            Some(_) => {
                let to = format!("/d/{}/recruitment", access.dept.slug);
                return Ok(redirect_with_flash(&to, "flash.recruitment.slot_saved", Some(&v.place)));
            }
            None => FormErrors::one("place", "form.recruitment.no_position"),
        },
        Err(errors) => errors,
    };
    let html = desk_page(&state, layout, &access, (PositionForm::default(), form), errors).await?;
    Ok(Html422(html).into_response())
}

#[derive(Template)]
#[template(path = "recruitment/application.html")]
struct ApplicationPage {
    layout: Layout,
    slug: String,
    a: apps::ApplicationDetail,
    /// The department's questions with the applicant's answers, as text.
    answers: Vec<(String, String)>,
    notes: Vec<apps::NoteRow>,
    can_decide: bool,
    note_form: NoteForm,
    decide_form: DecideForm,
    errors: FormErrors,
}

impl ApplicationPage {
    fn status(&self, status: &str) -> &'static str {
        model::status_key(status)
    }
    fn may_decide(&self) -> bool {
        self.can_decide && model::may_decide(&self.a.status)
    }
}

async fn application_page(
    state: &AppState,
    layout: Layout,
    access: &DeptAccess,
    application_id: i64,
    forms: (NoteForm, DecideForm),
    errors: FormErrors,
) -> AppResult<String> {
    let department_id = access.dept.department_id;
    let a = apps::fetch_application_of_department(&state.db, application_id, department_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let questions = match a.survey_id {
        Some(id) => crate::surveys::queries::list_questions(&state.db, id).await?,
        None => vec![],
    };
    let answers = questions
        .iter()
        .map(|q| (q.prompt.clone(), crate::surveys::results::cell(q, a.answers.get(q.key()))))
        .collect();
    let notes = apps::list_notes(&state.db, application_id, department_id).await?;
    let can_decide = access.may(Need::Act(DeptRole::ViceHead));
    let (note_form, decide_form) = forms;
    let slug = access.dept.slug.clone();
    render(ApplicationPage { layout, slug, a, answers, notes, can_decide, note_form, decide_form, errors })
}

pub async fn show_application(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<ApplicationPath>,
) -> AppResult<Html<String>> {
    let page = application_page(&state, layout, &access, p.application_id, Default::default(), FormErrors::default());
    Ok(Html(page.await?))
}

pub async fn add_note(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<ApplicationPath>,
    Form(form): Form<NoteForm>,
) -> AppResult<Response> {
    let (department_id, author) = (access.dept.department_id, access.viewer.user_id);
    let errors = match form.parse() {
        Ok((score, body)) => {
            if !apps::insert_note(&state.db, p.application_id, department_id, author, score, &body).await? {
                return Err(AppError::NotFound);
            }
            let to = format!("/d/{}/recruitment/applications/{}", access.dept.slug, p.application_id);
            return Ok(redirect_with_flash(&to, "flash.recruitment.note_saved", None));
        }
        Err(errors) => errors,
    };
    let forms = (form, DecideForm::default());
    Ok(Html422(application_page(&state, layout, &access, p.application_id, forms, errors).await?).into_response())
}

pub async fn decide(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<ApplicationPath>,
    Form(form): Form<DecideForm>,
) -> AppResult<Response> {
    let (department_id, actor) = (access.dept.department_id, access.viewer.user_id);
    let errors = match form.parse() {
        Ok((decision, message)) => {
            match offers::decide(&state.db, department_id, actor, p.application_id, decision, &message).await? {
                None => return Err(AppError::NotFound),
                Some(Decided::Done) => {
                    let to = format!("/d/{}/recruitment/applications/{}", access.dept.slug, p.application_id);
                    return Ok(redirect_with_flash(&to, "flash.recruitment.decided", None));
                }
                Some(Decided::Full) => FormErrors::one("decision", "form.recruitment.full"),
                Some(Decided::NotWaiting) => return Err(AppError::Conflict("recruitment.conflict.not_waiting")),
            }
        }
        Err(errors) => errors,
    };
    let forms = (NoteForm::default(), form);
    Ok(Html422(application_page(&state, layout, &access, p.application_id, forms, errors).await?).into_response())
}
