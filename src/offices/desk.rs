//! The liaison's desk (`/office`): what the union forwarded to the liaison's offices,
//! one case with the office's view of its timeline, and the office's four steps:
//! answer (public or to the union only), ask the union a question, state a plan with
//! a date, mark it done. The route group admits liaisons only (`require_liaison`);
//! every query names the liaison again (`queries::desk`).

use std::sync::Arc;

use askama::Template;
use axum::{
    extract::State,
    response::{Html, Response},
    Form,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

use super::{
    clock::{answer_by, past_deadline},
    queries::{self, DeskCase, OfficeStep},
};
use crate::{
    app::AppState,
    audit::{self, Action},
    complaints::{
        queries::{self as complaint_queries, EventRow, NewEvent},
        ComplaintPath,
    },
    error::{AppError, AppResult},
    notifications::notify,
    reception::queries::{find_commitments, CommitmentFilter},
    web::{
        context::{redirect_with_flash, CurrentUser},
        forms::{multi_line, page_or_422, today},
        render, FormErrors, Layout, Path, Viewer,
    },
};

#[derive(Template)]
#[template(path = "offices/desk.html")]
struct DeskPage {
    layout: Layout,
    /// Each case and whether the office is past its deadline on it.
    cases: Vec<(DeskCase, bool)>,
    /// The commitments of the liaison's offices (open ones first), with their state today.
    commitments: Vec<(crate::reception::queries::Commitment, &'static str)>,
}

pub async fn list_cases(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(viewer): CurrentUser,
) -> AppResult<Html<String>> {
    let cases = queries::list_desk_cases(&state.db, viewer.user_id).await?;
    let calendar = crate::holidays::calendar(&state).await?;
    let (now, days) = (Utc::now(), state.config.office_answer_days);
    let late = |c: &DeskCase| past_deadline((&c.status, c.forwarded_at, c.office_answered_at), now, days, &calendar);
    let cases = cases.into_iter().map(|c| (late(&c), c)).map(|(l, c)| (c, l)).collect();
    let theirs = CommitmentFilter { liaison_id: Some(viewer.user_id), limit: 200, ..CommitmentFilter::default() };
    let today = today();
    let commitments = find_commitments(&state.db, &theirs).await?.into_iter().map(|k| (k.state(&today), k));
    let commitments = commitments.map(|(st, k)| (k, st)).collect();
    Ok(Html(render(DeskPage { layout, cases, commitments })?))
}

/// What a liaison types on a case; each step reads the fields it has.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct OfficeForm {
    pub body: String,
    /// `1`: the answer is public (else to the union only).
    pub public: String,
    pub due_on: String,
}

#[derive(Template)]
#[template(path = "offices/desk_case.html")]
struct CasePage {
    layout: Layout,
    case: DeskCase,
    events: Vec<EventRow>,
    answer_by: DateTime<Utc>,
    errors: FormErrors,
    form: OfficeForm,
    staff_view: bool,
}

async fn case_page(
    state: &AppState,
    layout: Layout,
    case: DeskCase,
    errors: FormErrors,
    form: OfficeForm,
) -> AppResult<Response> {
    let events = queries::list_desk_events(&state.db, case.complaint_id, case.office_id).await?;
    let calendar = crate::holidays::calendar(state).await?;
    let answer_by = answer_by(case.forwarded_at, state.config.office_answer_days, &calendar);
    let refused = !errors.is_empty();
    let page = render(CasePage { layout, case, events, answer_by, errors, form, staff_view: false })?;
    Ok(page_or_422(page, refused))
}

async fn desk_case(state: &AppState, viewer: &Viewer, tracking_no: &str) -> AppResult<DeskCase> {
    queries::fetch_desk_case(&state.db, tracking_no, viewer.user_id).await?.ok_or(AppError::NotFound)
}

pub async fn show_case(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(viewer): CurrentUser,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
) -> AppResult<Response> {
    let case = desk_case(&state, &viewer, &tracking_no).await?;
    case_page(&state, layout, case, FormErrors::default(), OfficeForm::default()).await
}

#[derive(Clone, Copy, PartialEq)]
enum Step {
    Answer,
    Ask,
    Plan,
    Done,
}

impl Step {
    fn event_kind(self) -> &'static str {
        match self {
            Step::Answer => "office_answer",
            Step::Ask => "office_question",
            Step::Plan => "office_plan",
            Step::Done => "office_done",
        }
    }

    /// Each step's text field on the page (four forms, one page).
    fn field(self) -> &'static str {
        match self {
            Step::Answer => "answer_body",
            Step::Ask => "ask_body",
            Step::Plan => "plan_body",
            Step::Done => "done_body",
        }
    }
}

/// The checked step: its text, whether it is public, the plan's date.
fn check(step: Step, form: &OfficeForm) -> Result<(String, bool, Option<NaiveDate>), FormErrors> {
    let mut errors = FormErrors::default();
    let body = errors.take(step.field(), multi_line(&form.body, 5000, step != Step::Done));
    let public = match step {
        Step::Answer => form.public == "1",
        Step::Ask => false,
        Step::Plan | Step::Done => true,
    };
    let due_on = if step == Step::Plan {
        let day = NaiveDate::parse_from_str(form.due_on.trim(), "%Y-%m-%d").ok();
        match day {
            None => errors.add("due_on", "form.date.invalid"),
            Some(d) if d < today() || (d - today()).num_days() > 731 => errors.add("due_on", "form.office.plan_date"),
            Some(_) => {}
        }
        day
    } else {
        None
    };
    errors.into_result((body, public, due_on))
}

/// Tell the handling department of every step, and the case's followers of a public one.
async fn tell(tx: &mut sqlx::PgConnection, case: &DeskCase, actor: i64, public: bool) -> AppResult<()> {
    let handlers = crate::departments::queries::current_member_ids(&mut *tx, case.department_id).await?;
    let staff_link = format!("/d/{}/complaints/{}", case.dept_slug, case.tracking_no);
    notify(&mut *tx, &handlers, Some(actor), "notify.office.step", &case.tracking_no, &staff_link).await?;
    if public {
        let followers = complaint_queries::list_followers(&mut *tx, case.complaint_id).await?;
        let link = format!("/complaints/{}", case.tracking_no);
        notify(&mut *tx, &followers, Some(actor), "notify.complaint.update", &case.tracking_no, &link).await?;
    }
    Ok(())
}

async fn take_step(
    state: &AppState,
    layout: Layout,
    viewer: Arc<Viewer>,
    no: &str,
    step: Step,
    form: OfficeForm,
) -> AppResult<Response> {
    let case = desk_case(state, &viewer, no).await?;
    let (body, public, due_on) = match check(step, &form) {
        Ok(checked) => checked,
        Err(errors) => return case_page(state, layout, case, errors, form).await,
    };
    let change = OfficeStep {
        answers: step != Step::Ask,
        responds: step == Step::Answer && public,
        plan_on: due_on,
        done: step == Step::Done,
    };
    let mut tx = state.db.begin().await?;
    let Some((before, after)) =
        queries::update_office_step(&mut *tx, case.complaint_id, viewer.user_id, change).await?
    else {
        return Err(AppError::Conflict("error.409.office_case_closed"));
    };
    let moved = before != after;
    let event = NewEvent {
        from_status: moved.then_some(before.as_str()),
        to_status: moved.then_some(after.as_str()),
        is_public: public,
        office_id: Some(case.office_id),
        due_on,
        ..NewEvent::public(case.complaint_id, Some(viewer.user_id), step.event_kind(), &body)
    };
    complaint_queries::insert_event(&mut *tx, &event).await?;
    tell(&mut tx, &case, viewer.user_id, public).await?;
    let after_json =
        json!({ "step": step.event_kind(), "status": after, "public": public, "body": audit::clip(&body) });
    let dept = Some(case.department_id);
    audit::record(
        &mut *tx,
        Some(viewer.user_id),
        dept,
        Action::ComplaintOfficeStep,
        "complaint",
        no,
        Some(json!({ "status": before })),
        Some(after_json),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("/office/complaints/{no}"), "flash.office_step", None))
}

crate::web::forms::one_handler_per_form!(
    (State(state): State<AppState>, layout: Layout, CurrentUser(viewer): CurrentUser,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>, Form(form): Form<OfficeForm>)
    step => take_step(&state, layout, viewer, &tracking_no, step, form);
    answer => Step::Answer, ask => Step::Ask, plan => Step::Plan, mark_done => Step::Done
);
