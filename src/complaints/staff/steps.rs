//! The workflow's steps on one case: a status change, a public reply or internal note,
//! an assignee.

use axum::{extract::State, response::Response, Form};
use serde_json::json;

use super::{audit_step, case_page, case_url, officer_event, own_complaint};
use crate::{
    app::AppState,
    audit::Action,
    complaints::{
        forms::{AssignForm, TextForm, TransitionForm},
        handlers::public_event,
        queries::{self, ComplaintRow, NewEvent},
        status::ComplaintStatus,
        ComplaintPath,
    },
    error::{AppError, AppResult},
    web::{context::redirect_with_flash, forms::multi_line, DeptAccess, FormErrors, Layout, Path},
};

/// A step the form asks for, once checked against the case: where it goes, the text, the office.
struct Transition {
    current: ComplaintStatus,
    target: ComplaintStatus,
    body: String,
    office_id: Option<i64>,
}

/// Only the steps this status allows; a rejection or a response must say why; forwarding names an office.
fn check_transition(c: &ComplaintRow, form: &TransitionForm) -> AppResult<Result<Transition, FormErrors>> {
    use ComplaintStatus::*;
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
    Ok(match target.filter(|_| errors.is_empty()) {
        Some(target) => Ok(Transition { current, target, body, office_id: office_id.filter(|_| target == Forwarded) }),
        None => Err(errors),
    })
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
    let c = own_complaint(&state, &access, &tracking_no).await?;
    let Transition { current, target, body, office_id } = match check_transition(&c, &form)? {
        Ok(t) => t,
        Err(errors) => return case_page(&state, layout, access, c, errors, form).await,
    };
    let (from, to) = (current.as_str(), target.as_str());
    let mut tx = state.db.begin().await?;
    let dept = access.dept.department_id;
    if !queries::update_status(&mut *tx, c.complaint_id, dept, from, to, office_id).await? {
        return Err(AppError::Conflict("error.409.complaint_changed"));
    }
    let event =
        NewEvent { from_status: Some(from), to_status: Some(to), ..officer_event(&access, &c, "status", &body, true) };
    public_event(&mut tx, &c, event, "notify.complaint.update").await?;
    if let Some(office) = office_id {
        let liaisons = crate::offices::queries::list_liaison_ids(&mut *tx, office).await?;
        let link = format!("/office/complaints/{tracking_no}");
        crate::notifications::notify(&mut *tx, &liaisons, None, "notify.office.forwarded", &tracking_no, &link).await?;
    }
    let change = (Some(json!({ "status": from })), json!({ "status": to, "office_id": office_id }));
    audit_step(&mut *tx, &access, &c, Action::ComplaintTransition, change).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&case_url(&access, &tracking_no), "flash.complaint_updated", None))
}

/// A public reply (told to the reporter and supporters) or an internal note (never shown
/// to students). A public reply may be the forwarded-to office's answer, relayed.
async fn add_text(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    tracking_no: &str,
    form: &TextForm,
    public: bool,
) -> AppResult<Response> {
    let c = own_complaint(state, &access, tracking_no).await?;
    let field = if public { "public_reply" } else { "internal_note" };
    let checked = multi_line(&form.body, 5000, true).and_then(|t| Ok((t, office_of_text(&c, form, public)?)));
    let (text, office) = match checked {
        Ok(t) => t,
        Err(key) => {
            let typed = TransitionForm { body: form.body.clone(), ..TransitionForm::default() };
            return case_page(state, layout, access, c, FormErrors::one(field, key), typed).await;
        }
    };
    let mut tx = state.db.begin().await?;
    let kind = match (office, public) {
        (Some(_), true) => "office_answer",
        (Some(_), false) => "office_question",
        (None, _) => field,
    };
    let event = NewEvent { office_id: office, ..officer_event(&access, &c, kind, &text, public) };
    let action = if public {
        public_event(&mut tx, &c, event, "notify.complaint.update").await?;
        queries::update_first_public_reply(&mut *tx, c.complaint_id, office.is_some()).await?;
        Action::ComplaintReply
    } else {
        queries::insert_event(&mut *tx, &event).await?;
        if let Some(office) = office {
            let liaisons = crate::offices::queries::list_liaison_ids(&mut *tx, office).await?;
            let link = format!("/office/complaints/{tracking_no}");
            crate::notifications::notify(&mut *tx, &liaisons, None, "notify.office.message", tracking_no, &link)
                .await?;
        }
        Action::ComplaintNote
    };
    let after = json!({ "body": crate::audit::clip(&text), "office_id": office });
    audit_step(&mut *tx, &access, &c, action, (None, after)).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&case_url(&access, tracking_no), "flash.complaint_updated", None))
}

/// The office a text speaks with: a public reply relaying its answer (`from_office`), a note
/// written to it (`to_office`); only once the case was forwarded.
fn office_of_text(c: &ComplaintRow, form: &TextForm, public: bool) -> Result<Option<i64>, &'static str> {
    let asked = if public { &form.from_office } else { &form.to_office };
    match (asked == "1", c.office_id.filter(|_| c.forwarded_at.is_some())) {
        (false, _) => Ok(None),
        (true, None) => Err("form.office.not_forwarded"),
        (true, office) => Ok(office),
    }
}

// A public reply and an internal note: one form each, so each is its own route.
crate::web::forms::one_handler_per_form!(
    (State(state): State<AppState>, layout: Layout, access: DeptAccess,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>, Form(form): Form<TextForm>)
    public => add_text(&state, layout, access, &tracking_no, &form, public);
    reply_publicly => true, add_note => false
);

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
    let change = (Some(json!({ "assignee_id": c.assignee_id })), json!({ "assignee_id": assignee }));
    audit_step(&mut *tx, &access, &c, Action::ComplaintAssign, change).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&case_url(&access, &tracking_no), "flash.complaint_updated", None))
}
