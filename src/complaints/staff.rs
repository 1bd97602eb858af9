//! The handling department's side (`/d/{dept}/complaints`): the queue, the full
//! case with internal notes and the reporter's identity, and the steps of the
//! workflow. The role middleware has admitted the viewer; every query is still
//! scoped by the department, and only departments that handle complaints have a queue.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, IntoResponse, Response},
    Form,
};
use serde_json::json;

use super::{
    forms::{AssignForm, TextForm, TransitionForm},
    handlers::{public_event, tell_followers},
    queries::{self, ComplaintRow, EventRow, NewEvent},
    status::ComplaintStatus,
    ComplaintPath,
};
use crate::{
    app::AppState,
    audit::{self, Action},
    departments::queries::{list_members, MemberRow},
    error::{AppError, AppResult},
    web::{
        context::redirect_with_flash,
        forms::{lookup_key, multi_line},
        render, DeptAccess, FormErrors, Html422, Layout, Path,
    },
};

/// This department's complaint (the department is in the SQL), or 404.
async fn own_complaint(state: &AppState, access: &DeptAccess, tracking_no: &str) -> AppResult<ComplaintRow> {
    let department_id = access.dept.department_id;
    queries::fetch_complaint_of_department(&state.db, tracking_no, department_id).await?.ok_or(AppError::NotFound)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct QueueQuery {
    status: String,
    mine: String,
    overdue: String,
    q: String,
    category: String,
    assignee: String,
    /// Keyset cursor of the next page, `<unix micros>_<complaint_id>`: open work
    /// continues after it (oldest first), a closed status before it (newest first).
    from: String,
}

/// A row of the queue as the page shows it.
struct QueueItem {
    row: queries::QueueRow,
    category_zh: String,
    category_en: String,
    assignee_name: Option<String>,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "complaints/queue.html")]
struct QueuePage {
    layout: Layout,
    access: DeptAccess,
    rows: Vec<QueueItem>,
    /// Open complaints per status; closed statuses are listed without a count.
    counts: std::sync::Arc<Vec<queries::StatusCount>>,
    statuses: [ComplaintStatus; 6],
    categories: Vec<queries::Category>,
    members: Vec<MemberRow>,
    q: QueueQuery,
    next: Option<String>,
}

impl QueuePage {
    fn count(&self, status: &ComplaintStatus) -> Option<i64> {
        status.is_open().then(|| self.counts.iter().find(|c| c.status == status.as_str()).map_or(0, |c| c.n))
    }
}

/// A department's queue: open complaints, the longest waiting first; or only
/// what is overdue; or one status, closed ones newest first. A page at a time.
pub async fn list_queue(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Query(q): Query<QueueQuery>,
) -> AppResult<Html<String>> {
    let categories = queries::categories(&state).await?;
    let members = crate::departments::queries::members(&state, access.dept.department_id).await?;
    let status = ComplaintStatus::parse(&q.status);
    let search = crate::search::tsquery(&q.q);
    let filter = queries::QueueFilter {
        department_id: access.dept.department_id,
        status: status.map(ComplaintStatus::as_str),
        assignee_id: if q.mine == "1" { Some(access.viewer.user_id) } else { q.assignee.parse().ok() },
        query: search.as_deref(),
        // An unknown category matches nothing rather than everything.
        category_id: (!q.category.is_empty())
            .then(|| categories.iter().find(|c| c.slug == q.category).map_or(0, |c| c.category_id)),
    };
    // To the microsecond, as the database keeps times: the SQL and the badges judge the same moment.
    let now = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
    let config = &state.config;
    let calendar = crate::holidays::calendar(&state).await?;
    let overdue_only = q.overdue == "1";
    let from = crate::web::forms::parse_time_cursor(&q.from);
    let found = if status.is_some_and(|s| !s.is_open()) && !overdue_only {
        queries::list_closed_queue(&state.db, &filter, from).await?
    } else {
        let late = overdue_only.then(|| super::deadlines::Overdue::at(now, config, &calendar));
        if filter.is_unfiltered() && from.is_none() {
            // The first page, which every handler reopens: shared for a moment (see `Cached`).
            let key = (filter.department_id, overdue_only);
            let load = || queries::list_open_queue(&state.db, &filter, late.as_ref(), None);
            state.cached.queue_first_pages.get_or_load(key, load).await?.as_ref().clone()
        } else {
            queries::list_open_queue(&state.db, &filter, late.as_ref(), from).await?
        }
    };
    let next = crate::web::forms::next_cursor(&found, queries::QUEUE_PAGE, |r| {
        crate::web::forms::time_cursor(r.created_at, r.complaint_id)
    });
    let overdue = |r: &queries::QueueRow| {
        super::deadlines::missed_deadline(&r.status, r.created_at, r.first_public_reply_at, now, config, &calendar)
            .is_some()
    };
    let rows = name_queue_rows(&state, found, &categories, &members, overdue).await?;
    let counts = queries::queue_counts(&state, access.dept.department_id).await?;
    let statuses = ComplaintStatus::ALL;
    Ok(Html(render(QueuePage { layout, access, rows, counts, statuses, categories, members, q, next })?))
}

/// The queue's rows with their category and assignee names: from the lists the page
/// holds, and for assignees who have left the department, from one query.
async fn name_queue_rows(
    state: &AppState,
    rows: Vec<queries::QueueRow>,
    categories: &[queries::Category],
    members: &[MemberRow],
    overdue: impl Fn(&queries::QueueRow) -> bool,
) -> AppResult<Vec<QueueItem>> {
    let mut former: Vec<i64> =
        rows.iter().filter_map(|r| r.assignee_id).filter(|id| !members.iter().any(|m| m.user_id == *id)).collect();
    former.sort_unstable();
    former.dedup();
    let former_names = if former.is_empty() { vec![] } else { queries::list_user_names(&state.db, &former).await? };
    let name_of = |id: i64| {
        members
            .iter()
            .find(|m| m.user_id == id)
            .map(|m| m.name.clone())
            .or_else(|| former_names.iter().find(|(u, _)| *u == id).map(|(_, n)| n.clone()))
    };
    Ok(rows
        .into_iter()
        .map(|row| {
            let category = categories.iter().find(|c| c.category_id == row.category_id);
            QueueItem {
                category_zh: category.map(|c| c.name_zh.clone()).unwrap_or_default(),
                category_en: category.map(|c| c.name_en.clone()).unwrap_or_default(),
                assignee_name: row.assignee_id.and_then(name_of),
                overdue: overdue(&row),
                row,
            }
        })
        .collect())
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
    /// The complaint's audit trail, for heads and the presidium.
    trail: Option<Vec<audit::Entry>>,
    errors: FormErrors,
    form: TransitionForm,
}

async fn case_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    c: ComplaintRow,
    errors: FormErrors,
    form: TransitionForm,
) -> AppResult<String> {
    let events = queries::list_events(&state.db, c.complaint_id, true).await?;
    let photos = queries::list_photos(&state.db, c.complaint_id).await?;
    let status = ComplaintStatus::parse(&c.status).ok_or_else(|| anyhow::anyhow!("unknown status {}", c.status))?;
    let offices = queries::list_offices(&state.db).await?;
    let members = list_members(&state.db, access.dept.department_id).await?;
    let next = status.handler_next();
    let departments = queries::list_handling_departments(&state.db).await?;
    // The same rule as the department's audit page.
    let trail = if access.may(crate::web::dept_access::Need::Read(crate::web::DeptRole::Head)) {
        Some(audit::list_for_object(&state.db, "complaint", &c.tracking_no).await?)
    } else {
        None
    };
    render(CasePage { layout, access, c, events, photos, next, offices, members, departments, trail, errors, form })
}

pub async fn show_case(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
) -> AppResult<Html<String>> {
    let c = own_complaint(&state, &access, &tracking_no).await?;
    Ok(Html(case_page(&state, layout, access, c, FormErrors::default(), TransitionForm::default()).await?))
}

/// One step of the workflow. Illegal steps change nothing and say why; a step
/// someone else took first is a conflict that says what happened.
pub async fn transition_complaint(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
    Form(form): Form<TransitionForm>,
) -> AppResult<Response> {
    use ComplaintStatus::*;
    let c = own_complaint(&state, &access, &tracking_no).await?;
    let current = ComplaintStatus::parse(&c.status).ok_or_else(|| anyhow::anyhow!("unknown status"))?;
    if !form.from.is_empty() && form.from != c.status {
        return Err(AppError::Conflict("error.409.complaint_changed"));
    }
    let mut errors = FormErrors::default();
    let target = ComplaintStatus::parse(&form.to).filter(|t| current.handler_next().contains(t));
    if target.is_none() {
        errors.add("to", "form.transition.not_allowed");
    }
    let body = errors.take("body", multi_line(&form.body, 5000, matches!(target, Some(Rejected | Responded))));
    let office_id = form.office_id.parse::<i64>().ok();
    if target == Some(Forwarded) && office_id.is_none() {
        errors.add("office_id", "form.office.choose");
    }
    let Some(target) = target.filter(|_| errors.is_empty()) else {
        return Ok(Html422(case_page(&state, layout, access, c, errors, form).await?).into_response());
    };
    let mut tx = state.db.begin().await?;
    let office = if target == Forwarded { office_id } else { None };
    if !queries::update_status(
        &mut *tx,
        c.complaint_id,
        access.dept.department_id,
        current.as_str(),
        target.as_str(),
        office,
    )
    .await?
    {
        return Err(AppError::Conflict("error.409.complaint_changed"));
    }
    let event = NewEvent {
        complaint_id: c.complaint_id,
        actor_id: Some(access.viewer.user_id),
        department_id: Some(access.dept.department_id),
        kind: "status",
        from_status: Some(current.as_str()),
        to_status: Some(target.as_str()),
        body: &body,
        is_public: true,
    };
    public_event(&mut tx, &c, event, "notify.complaint.update").await?;
    let (before, after) =
        (json!({ "status": current.as_str() }), json!({ "status": target.as_str(), "office_id": office }));
    let (actor, dept) = (Some(access.viewer.user_id), Some(access.dept.department_id));
    audit::record(
        &mut *tx,
        actor,
        dept,
        Action::ComplaintTransition,
        "complaint",
        &c.tracking_no,
        Some(before),
        Some(after),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&case_url(&access, &tracking_no), "flash.complaint_updated", None))
}

fn case_url(access: &DeptAccess, tracking_no: &str) -> String {
    format!("/d/{}/complaints/{tracking_no}", access.dept.slug)
}

/// A public reply (told to the reporter and supporters) or an internal note (never shown to students).
async fn add_text(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    tracking_no: &str,
    body: &str,
    public: bool,
) -> AppResult<Response> {
    let c = own_complaint(state, &access, tracking_no).await?;
    let field = if public { "public_reply" } else { "internal_note" };
    let text = match multi_line(body, 5000, true) {
        Ok(t) => t,
        Err(key) => {
            let mut errors = FormErrors::default();
            errors.add(field, key);
            let form = TransitionForm { body: body.to_string(), ..TransitionForm::default() };
            return Ok(Html422(case_page(state, layout, access, c, errors, form).await?).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    let event = NewEvent {
        complaint_id: c.complaint_id,
        actor_id: Some(access.viewer.user_id),
        department_id: Some(access.dept.department_id),
        kind: field,
        from_status: None,
        to_status: None,
        body: &text,
        is_public: public,
    };
    let action = if public {
        public_event(&mut tx, &c, event, "notify.complaint.update").await?;
        queries::update_first_public_reply(&mut *tx, c.complaint_id).await?;
        Action::ComplaintReply
    } else {
        queries::insert_event(&mut *tx, &event).await?;
        Action::ComplaintNote
    };
    let (actor, dept) = (Some(access.viewer.user_id), Some(access.dept.department_id));
    let after = json!({ "body": audit::clip(&text) });
    audit::record(&mut *tx, actor, dept, action, "complaint", &c.tracking_no, None, Some(after)).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&case_url(&access, tracking_no), "flash.complaint_updated", None))
}

pub async fn reply_publicly(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
    Form(form): Form<TextForm>,
) -> AppResult<Response> {
    add_text(&state, layout, access, &tracking_no, &form.body, true).await
}

pub async fn add_note(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
    Form(form): Form<TextForm>,
) -> AppResult<Response> {
    add_text(&state, layout, access, &tracking_no, &form.body, false).await
}

pub async fn assign_complaint(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
    Form(form): Form<AssignForm>,
) -> AppResult<Response> {
    let c = own_complaint(&state, &access, &tracking_no).await?;
    let assignee: i64 = form.assignee_id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    if !queries::update_assignee(&mut *tx, c.complaint_id, access.dept.department_id, assignee).await? {
        return Err(AppError::NotFound);
    }
    let (before, after) = (json!({ "assignee_id": c.assignee_id }), json!({ "assignee_id": assignee }));
    let (actor, dept) = (Some(access.viewer.user_id), Some(access.dept.department_id));
    audit::record(
        &mut *tx,
        actor,
        dept,
        Action::ComplaintAssign,
        "complaint",
        &c.tracking_no,
        Some(before),
        Some(after),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&case_url(&access, &tracking_no), "flash.complaint_updated", None))
}

/// A step that changed the complaint: its public event (`kind`, `body`), and the
/// audit entry with the state before and after.
struct Step<'a> {
    kind: &'static str,
    body: &'a str,
    action: Action,
    before: serde_json::Value,
    after: serde_json::Value,
}

/// After a step that changed the complaint: the public event, who else to tell, the audit entry.
async fn record_step(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    access: &DeptAccess,
    c: &ComplaintRow,
    step: Step<'_>,
    also_tell: (&[i64], &str, &str),
) -> AppResult<()> {
    let event = NewEvent {
        complaint_id: c.complaint_id,
        actor_id: Some(access.viewer.user_id),
        department_id: Some(access.dept.department_id),
        kind: step.kind,
        from_status: None,
        to_status: None,
        body: step.body,
        is_public: true,
    };
    public_event(&mut tx, c, event, "notify.complaint.update").await?;
    let (users, key, link) = also_tell;
    crate::notifications::notify(&mut *tx, users, Some(access.viewer.user_id), key, &c.tracking_no, link).await?;
    let (actor, dept) = (Some(access.viewer.user_id), Some(access.dept.department_id));
    let (before, after) = (Some(step.before), Some(step.after));
    audit::record(&mut *tx, actor, dept, step.action, "complaint", &c.tracking_no, before, after).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct TransferForm {
    dept: String,
}

/// Hand the complaint to another department that handles complaints.
pub async fn transfer_complaint(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
    Form(form): Form<TransferForm>,
) -> AppResult<Response> {
    let c = own_complaint(&state, &access, &tracking_no).await?;
    let mut tx = state.db.begin().await?;
    let Some(target) =
        queries::update_department(&mut *tx, c.complaint_id, access.dept.department_id, lookup_key(&form.dept)).await?
    else {
        let mut errors = FormErrors::default();
        errors.add("dept", "form.transfer.choose");
        return Ok(
            Html422(case_page(&state, layout, access, c, errors, TransitionForm::default()).await?).into_response()
        );
    };
    let names = queries::list_handling_departments(&mut *tx).await?;
    let name = names.iter().find(|d| d.slug == form.dept).map_or(form.dept.clone(), |d| d.name_zh.clone());
    let handlers = crate::departments::queries::current_member_ids(&mut *tx, target).await?;
    let link = format!("/d/{}/complaints/{tracking_no}", form.dept);
    // The update only moves a complaint that was this department's, so that is the department before.
    let step = Step {
        kind: "transferred",
        body: &name,
        action: Action::ComplaintTransfer,
        before: json!({ "department": access.dept.slug }),
        after: json!({ "department": form.dept }),
    };
    record_step(tx, &access, &c, step, (&handlers, "notify.complaint.new", &link)).await?;
    // The case now belongs elsewhere: back to this department's queue.
    Ok(redirect_with_flash(
        &format!("/d/{}/complaints", access.dept.slug),
        "flash.complaint_transferred",
        Some(&tracking_no),
    ))
}

/// Ask the presidium to step in (overdue, or beyond the department's reach).
pub async fn escalate_complaint(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
) -> AppResult<Response> {
    let c = own_complaint(&state, &access, &tracking_no).await?;
    let mut tx = state.db.begin().await?;
    if !queries::update_escalated(&mut *tx, c.complaint_id, access.dept.department_id).await? {
        return Err(AppError::Conflict("error.409.already_done"));
    }
    let presidium = queries::list_presidium_ids(&mut *tx).await?;
    let link = case_url(&access, &tracking_no);
    // The update escalates only what was not escalated yet.
    let step = Step {
        kind: "escalated",
        body: "",
        action: Action::ComplaintEscalate,
        before: json!({ "escalated": false }),
        after: json!({ "escalated": true }),
    };
    record_step(tx, &access, &c, step, (&presidium, "notify.complaint.escalated", &link)).await?;
    Ok(redirect_with_flash(&link, "flash.complaint_updated", None))
}

/// Put the complaint on the agenda of the next reception day with school leaders.
pub async fn put_on_agenda(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
) -> AppResult<Response> {
    let c = own_complaint(&state, &access, &tracking_no).await?;
    let mut tx = state.db.begin().await?;
    if !queries::update_agenda(&mut *tx, c.complaint_id, access.dept.department_id).await? {
        return Err(AppError::Conflict("error.409.already_done"));
    }
    let link = case_url(&access, &tracking_no);
    let step = Step {
        kind: "agenda",
        body: "",
        action: Action::ComplaintAgenda,
        before: json!({ "on_reception_agenda": false }),
        after: json!({ "on_reception_agenda": true }),
    };
    record_step(tx, &access, &c, step, (&[], "", &link)).await?;
    Ok(redirect_with_flash(&link, "flash.complaint_updated", None))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct MergeForm {
    into: String,
}

/// Merge this duplicate into another complaint of the department. Nobody gains
/// sight of a complaint by it: a public complaint goes only into a public one (its
/// followers could not follow a private one; merge the private one into it instead),
/// and the duplicate's followers who may not see the kept complaint stay on the
/// duplicate, told only that it was merged (`queries::merge_complaint`).
pub async fn merge_complaint(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
    Form(form): Form<MergeForm>,
) -> AppResult<Response> {
    let c = own_complaint(&state, &access, &tracking_no).await?;
    let target = queries::fetch_complaint(&state.db, lookup_key(form.into.trim())).await?;
    let refused = match &target {
        Some(t) if t.department_id == access.dept.department_id && t.complaint_id != c.complaint_id => {
            (c.is_public && !t.is_public).then_some("form.merge.into_private")
        }
        _ => Some("form.merge.choose"),
    };
    let (Some(target), None) = (target, refused) else {
        let mut errors = FormErrors::default();
        errors.add("into", refused.unwrap_or("form.merge.choose"));
        let typed = TransitionForm { into: form.into, ..TransitionForm::default() };
        return Ok(Html422(case_page(&state, layout, access, c, errors, typed).await?).into_response());
    };
    let actor = access.viewer.user_id;
    let dept = access.dept.department_id;
    let mut tx = state.db.begin().await?;
    let Some(stayed) = queries::merge_complaint(&mut tx, c.complaint_id, target.complaint_id, dept, actor).await?
    else {
        return Err(AppError::Conflict("error.409.complaint_changed"));
    };
    // Each side's followers hear of their own complaint only, under its own number.
    tell_followers(&mut tx, &target, Some(actor), "notify.complaint.update").await?;
    tell_followers(&mut tx, &c, Some(actor), "notify.complaint.update").await?;
    // The merge moves only a complaint not merged yet.
    let (before, after) = (json!({ "merged_into": null }), json!({ "merged_into": target.tracking_no }));
    audit::record(
        &mut *tx,
        Some(actor),
        Some(dept),
        Action::ComplaintMerge,
        "complaint",
        &c.tracking_no,
        Some(before),
        Some(after),
    )
    .await?;
    tx.commit().await?;
    // Followers left on the duplicate hear no more of the kept complaint: the handlers are told to answer them there.
    let flash = if stayed > 0 { "flash.complaint_merged_apart" } else { "flash.complaint_merged" };
    Ok(redirect_with_flash(&case_url(&access, &target.tracking_no), flash, Some(&tracking_no)))
}
