//! The handling department's side (`/d/{dept}/complaints`): the queue, the full
//! case with internal notes and the reporter's identity, and the steps of the
//! workflow. The route groups admit the viewer (complaints/mod.rs); every query is
//! still scoped by the department in its SQL.

mod commitment;
mod on_behalf;
mod queue;
mod routing;
mod steps;

use askama::Template;
use axum::{extract::State, response::Response};
use serde_json::Value;

pub use commitment::add_commitment;
pub use on_behalf::{file_on_behalf, new_on_behalf};
pub use queue::list_queue;
pub use routing::{escalate_complaint, merge_complaint, put_on_agenda, transfer_complaint};
pub use steps::{add_note, assign_complaint, reply_publicly, transition_complaint};

use super::{
    forms::TransitionForm,
    queries::{self, ComplaintRow, EventRow, NewEvent},
    status::ComplaintStatus,
    ComplaintPath,
};
use crate::{
    app::AppState,
    audit::{self, Action},
    departments::queries::{list_members, MemberRow},
    error::{AppError, AppResult},
    reception::queries::{self as reception_queries, CommitmentFilter},
    web::{render, DeptAccess, FormErrors, Layout, Path},
};

/// This department's complaint (the department is in the SQL), or 404.
async fn own_complaint(state: &AppState, access: &DeptAccess, tracking_no: &str) -> AppResult<ComplaintRow> {
    let department_id = access.dept.department_id;
    queries::fetch_complaint_of_department(&state.db, tracking_no, department_id).await?.ok_or(AppError::NotFound)
}

fn case_url(access: &DeptAccess, tracking_no: &str) -> String {
    format!("/d/{}/complaints/{tracking_no}", access.dept.slug)
}

/// An event this officer adds to the complaint, on behalf of the department.
fn officer_event<'a>(
    access: &DeptAccess,
    c: &ComplaintRow,
    kind: &'a str,
    body: &'a str,
    public: bool,
) -> NewEvent<'a> {
    let by_officer = NewEvent::public(c.complaint_id, Some(access.viewer.user_id), kind, body);
    NewEvent { department_id: Some(access.dept.department_id), is_public: public, ..by_officer }
}

/// The audit entry of what this officer did to the complaint.
async fn audit_step(
    db: impl sqlx::PgExecutor<'_>,
    access: &DeptAccess,
    c: &ComplaintRow,
    action: Action,
    (before, after): (Option<Value>, Value),
) -> AppResult<()> {
    let (actor, dept) = (Some(access.viewer.user_id), Some(access.dept.department_id));
    audit::record(db, actor, dept, action, "complaint", &c.tracking_no, before, Some(after)).await?;
    Ok(())
}

#[derive(Template)]
#[template(path = "complaints/staff_show.html")]
struct CasePage {
    layout: Layout,
    access: DeptAccess,
    c: ComplaintRow,
    events: Vec<EventRow>,
    photos: Vec<queries::Photo>,
    next: Vec<ComplaintStatus>,
    offices: Vec<queries::Office>,
    members: Vec<MemberRow>,
    departments: Vec<queries::HandlingDepartment>,
    /// The commitments made about this complaint, and who may answer for a new one.
    commitments: Vec<crate::reception::queries::Commitment>,
    owners: Vec<crate::reception::queries::OwnerChoice>,
    today: chrono::NaiveDate,
    /// The complaint's audit trail, for heads and the presidium.
    trail: Option<Vec<audit::Entry>>,
    errors: FormErrors,
    form: TransitionForm,
}

/// The audit entry of a complaint this officer created (no `ComplaintRow` yet to hand).
async fn audit_step_for(
    db: impl sqlx::PgExecutor<'_>,
    access: &DeptAccess,
    tracking_no: &str,
    action: Action,
    (before, after): (Option<Value>, Value),
) -> AppResult<()> {
    let (actor, dept) = (Some(access.viewer.user_id), Some(access.dept.department_id));
    audit::record(db, actor, dept, action, "complaint", tracking_no, before, Some(after)).await?;
    Ok(())
}

/// The case page; with errors, the page again with what was typed and why it was refused (422).
async fn case_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    c: ComplaintRow,
    errors: FormErrors,
    form: TransitionForm,
) -> AppResult<Response> {
    let events = queries::list_events(&state.db, c.complaint_id, true).await?;
    let photos = queries::list_photos(&state.db, c.complaint_id).await?;
    let status = ComplaintStatus::parse(&c.status).ok_or_else(|| anyhow::anyhow!("unknown status {}", c.status))?;
    let offices = queries::list_offices(&state.db).await?;
    let members = list_members(&state.db, access.dept.department_id).await?;
    let next = status.handler_next();
    let departments = queries::list_handling_departments(&state.db).await?;
    let of_complaint = CommitmentFilter { complaint_id: Some(c.complaint_id), ..CommitmentFilter::default() };
    let commitments = reception_queries::find_commitments(&state.db, &of_complaint).await?;
    let owners = reception_queries::list_owner_choices(&state.db, access.dept.department_id).await?;
    // The same rule as the department's audit page.
    let trail = if access.may(crate::web::dept_access::Need::Read(crate::web::DeptRole::Head)) {
        Some(audit::list_for_object(&state.db, "complaint", &c.tracking_no).await?)
    } else {
        None
    };
    let refused = !errors.is_empty();
    let page = render(CasePage {
        layout,
        access,
        c,
        events,
        photos,
        next,
        offices,
        members,
        departments,
        commitments,
        owners,
        today: crate::web::forms::today(),
        trail,
        errors,
        form,
    })?;
    Ok(crate::web::forms::page_or_422(page, refused))
}

pub async fn show_case(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
) -> AppResult<Response> {
    let c = own_complaint(&state, &access, &tracking_no).await?;
    case_page(&state, layout, access, c, FormErrors::default(), TransitionForm::default()).await
}
