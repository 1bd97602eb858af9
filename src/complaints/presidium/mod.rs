//! The presidium's escalations (`/presidium/escalations`): every escalated case with
//! its age and department, and what the presidium can do with one — reply in public,
//! add a note, transfer it, forward it to a school office, put it on the reception
//! day's agenda, or send it back to its department with instructions. The route group
//! admits the presidium (`require_presidium`); every statement keeps to an open
//! escalation (`queries::escalations`). Each step is audited under the case's department.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, Response},
};
use chrono::Utc;

use super::{
    queries::{self, ComplaintRow, EscalatedLine, EventRow},
    ComplaintPath,
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    web::{render, FormErrors, Layout, Path},
};

mod steps;
pub use steps::{add_note, forward, put_on_agenda, reply, send_back, transfer};

#[derive(Template)]
#[template(path = "complaints/escalations.html")]
struct QueuePage {
    layout: Layout,
    cases: Vec<EscalatedLine>,
    now: chrono::DateTime<Utc>,
}

pub async fn list_escalations(State(state): State<AppState>, layout: Layout) -> AppResult<Html<String>> {
    let cases = queries::list_escalations(&state.db).await?;
    Ok(Html(render(QueuePage { layout, cases, now: Utc::now() })?))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct EscalationForm {
    pub body: String,
    pub dept: String,
    pub office_id: String,
}

#[derive(Template)]
#[template(path = "complaints/escalation_show.html")]
struct CasePage {
    layout: Layout,
    c: ComplaintRow,
    events: Vec<EventRow>,
    offices: Vec<queries::Office>,
    departments: Vec<queries::HandlingDepartment>,
    errors: FormErrors,
    form: EscalationForm,
    staff_view: bool,
}

async fn case_page(
    state: &AppState,
    layout: Layout,
    c: ComplaintRow,
    errors: FormErrors,
    form: EscalationForm,
) -> AppResult<Response> {
    let events = queries::list_events(&state.db, c.complaint_id, true).await?;
    let offices = queries::list_offices(&state.db).await?;
    let departments = queries::list_handling_departments(&state.db).await?;
    let refused = !errors.is_empty();
    let page = CasePage { layout, c, events, offices, departments, errors, form, staff_view: true };
    let html = render(page)?;
    Ok(crate::web::forms::page_or_422(html, refused))
}

/// An escalated case still open for the presidium, or 404.
async fn escalated(state: &AppState, tracking_no: &str) -> AppResult<ComplaintRow> {
    let c = queries::fetch_complaint(&state.db, tracking_no).await?;
    c.filter(|c| c.escalated_at.is_some() && c.escalation_handled_at.is_none() && c.merged_into.is_none())
        .ok_or(AppError::NotFound)
}

pub async fn show_escalation(
    State(state): State<AppState>,
    layout: Layout,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
) -> AppResult<Response> {
    let c = escalated(&state, &tracking_no).await?;
    case_page(&state, layout, c, FormErrors::default(), EscalationForm::default()).await
}
