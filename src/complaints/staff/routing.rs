//! Where a case goes next: another department, the presidium, the reception day's
//! agenda, or into the complaint it duplicates.

use axum::{extract::State, response::Response, Form};
use serde_json::json;

use super::{audit_step, case_page, case_url, officer_event, own_complaint};
use crate::{
    app::AppState,
    audit::Action,
    complaints::{
        forms::TransitionForm,
        handlers::{public_event, tell_followers},
        queries::{self, ComplaintRow},
        ComplaintPath,
    },
    error::{AppError, AppResult},
    web::{context::redirect_with_flash, forms::lookup_key, DeptAccess, FormErrors, Layout, Path},
};

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
    let event = officer_event(access, c, step.kind, step.body, true);
    public_event(&mut tx, c, event, "notify.complaint.update").await?;
    let (users, key, link) = also_tell;
    crate::notifications::notify(&mut *tx, users, Some(access.viewer.user_id), key, &c.tracking_no, link).await?;
    audit_step(&mut *tx, access, c, step.action, (Some(step.before), step.after)).await?;
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
        let errors = FormErrors::one("dept", "form.transfer.choose");
        return case_page(&state, layout, access, c, errors, TransitionForm::default()).await;
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
    let queue = format!("/d/{}/complaints", access.dept.slug);
    Ok(redirect_with_flash(&queue, "flash.complaint_transferred", Some(&tracking_no)))
}

/// A mark a case gets once: escalated to the presidium, or on a reception day's agenda.
#[derive(Clone, Copy)]
enum Flag {
    Escalated,
    OnAgenda,
}

/// Set the flag, if the case has not got it yet (else a conflict), and tell whom it concerns.
async fn flag_case(state: &AppState, access: &DeptAccess, tracking_no: &str, flag: Flag) -> AppResult<Response> {
    let c = own_complaint(state, access, tracking_no).await?;
    let dept = access.dept.department_id;
    let mut tx = state.db.begin().await?;
    let set = match flag {
        Flag::Escalated => queries::update_escalated(&mut *tx, c.complaint_id, dept).await?,
        Flag::OnAgenda => queries::update_agenda(&mut *tx, c.complaint_id, dept).await?,
    };
    if !set {
        return Err(AppError::Conflict("error.409.already_done"));
    }
    let link = case_url(access, tracking_no);
    // The update sets only a flag not set yet: that is the state before.
    let (step, told, key) = match flag {
        Flag::Escalated => {
            let (before, after) = (json!({ "escalated": false }), json!({ "escalated": true }));
            let step = Step { kind: "escalated", body: "", action: Action::ComplaintEscalate, before, after };
            (step, queries::list_presidium_ids(&mut *tx).await?, "notify.complaint.escalated")
        }
        Flag::OnAgenda => {
            let (before, after) = (json!({ "on_reception_agenda": false }), json!({ "on_reception_agenda": true }));
            (Step { kind: "agenda", body: "", action: Action::ComplaintAgenda, before, after }, vec![], "")
        }
    };
    record_step(tx, access, &c, step, (&told, key, &link)).await?;
    Ok(redirect_with_flash(&link, "flash.complaint_updated", None))
}

/// Ask the presidium to step in (overdue, or beyond the department's reach).
pub async fn escalate_complaint(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
) -> AppResult<Response> {
    flag_case(&state, &access, &tracking_no, Flag::Escalated).await
}

/// Put the complaint on the agenda of the next reception day with school leaders.
pub async fn put_on_agenda(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
) -> AppResult<Response> {
    flag_case(&state, &access, &tracking_no, Flag::OnAgenda).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct MergeForm {
    into: String,
}

/// Why this complaint may not be merged into the one typed, if it may not: it must be another
/// complaint of this department, and a public complaint goes only into a public one.
fn merge_refusal(c: &ComplaintRow, target: Option<&ComplaintRow>, access: &DeptAccess) -> Option<&'static str> {
    match target {
        Some(t) if t.department_id == access.dept.department_id && t.complaint_id != c.complaint_id => {
            (c.is_public && !t.is_public).then_some("form.merge.into_private")
        }
        _ => Some("form.merge.choose"),
    }
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
    let refusal = merge_refusal(&c, target.as_ref(), &access);
    let (Some(target), None) = (&target, refusal) else {
        let errors = FormErrors::one("into", refusal.unwrap_or("form.merge.choose"));
        let typed = TransitionForm { into: form.into, ..TransitionForm::default() };
        return case_page(&state, layout, access, c, errors, typed).await;
    };
    let (actor, dept) = (access.viewer.user_id, access.dept.department_id);
    let mut tx = state.db.begin().await?;
    let Some(stayed) = queries::merge_complaint(&mut tx, c.complaint_id, target.complaint_id, dept, actor).await?
    else {
        return Err(AppError::Conflict("error.409.complaint_changed"));
    };
    // Each side's followers hear of their own complaint only, under its own number.
    tell_followers(&mut tx, target, Some(actor), "notify.complaint.update").await?;
    tell_followers(&mut tx, &c, Some(actor), "notify.complaint.update").await?;
    // The merge moves only a complaint not merged yet.
    let change = (Some(json!({ "merged_into": null })), json!({ "merged_into": target.tracking_no }));
    audit_step(&mut *tx, &access, &c, Action::ComplaintMerge, change).await?;
    tx.commit().await?;
    // Followers left on the duplicate hear no more of the kept complaint: the handlers are told to answer them there.
    let flash = if stayed > 0 { "flash.complaint_merged_apart" } else { "flash.complaint_merged" };
    Ok(redirect_with_flash(&case_url(&access, &target.tracking_no), flash, Some(&tracking_no)))
}
