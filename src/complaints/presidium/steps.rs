//! The steps the presidium takes on an escalated case, one route per step; each checks
//! its form, changes the case in one transaction, tells whom it concerns and is audited.

use std::sync::Arc;

use axum::{extract::State, response::Response, Form};
use serde_json::json;

use super::{case_page, escalated, EscalationForm};
use crate::{
    app::AppState,
    audit::{self, Action},
    complaints::{
        handlers::public_event,
        queries::{self, ComplaintRow, NewEvent},
        ComplaintPath,
    },
    error::{AppError, AppResult},
    notifications::notify,
    web::{
        context::{redirect_with_flash, CurrentUser},
        forms::{lookup_key, multi_line},
        FormErrors, Layout, Path, Viewer,
    },
};

#[derive(Clone, Copy, PartialEq)]
enum Step {
    Reply,
    Note,
    Transfer,
    Forward,
    Agenda,
    SendBack,
}

/// A step the presidium takes: its timeline event (kind, text, public), whom to tell, the audit.
struct Taken {
    kind: &'static str,
    body: String,
    public: bool,
    status: Option<(String, &'static str)>,
    told: (Vec<i64>, &'static str, String),
    action: Action,
    after: serde_json::Value,
}

/// Check the form and change the case; the step taken, or the form's errors.
async fn apply(
    tx: &mut sqlx::PgConnection,
    c: &ComplaintRow,
    step: Step,
    form: &EscalationForm,
) -> AppResult<Result<Taken, FormErrors>> {
    let text = |field: &'static str, required: bool| {
        multi_line(&form.body, 5000, required).map_err(|k| FormErrors::one(field, k))
    };
    let closed = || AppError::Conflict("error.409.escalation_closed");
    let none = (vec![], "", String::new());
    Ok(Ok(match step {
        Step::Reply | Step::Note => {
            let (field, public) = if step == Step::Reply { ("reply_body", true) } else { ("note_body", false) };
            let body = match text(field, true) {
                Ok(b) => b,
                Err(e) => return Ok(Err(e)),
            };
            queries::touch_escalation(&mut *tx, c.complaint_id).await?.ok_or_else(closed)?;
            if public {
                queries::update_first_public_reply(&mut *tx, c.complaint_id, false).await?;
            }
            let action = if public { Action::ComplaintReply } else { Action::ComplaintNote };
            let kind = if public { "public_reply" } else { "internal_note" };
            Taken { kind, after: json!({ "body": audit::clip(&body) }), body, public, status: None, told: none, action }
        }
        Step::Transfer => {
            let Some(to) = queries::update_presidium_transfer(&mut *tx, c.complaint_id, lookup_key(&form.dept)).await?
            else {
                return Ok(Err(FormErrors::one("dept", "form.transfer.choose")));
            };
            let names = queries::list_handling_departments(&mut *tx).await?;
            let name = names.iter().find(|d| d.department_id == to).map_or(form.dept.clone(), |d| d.name_zh.clone());
            let handlers = crate::departments::queries::current_member_ids(&mut *tx, to).await?;
            let told = (handlers, "notify.complaint.new", format!("/d/{}/complaints/{}", form.dept, c.tracking_no));
            let after = json!({ "department": form.dept, "by": "presidium" });
            Taken {
                kind: "transferred",
                body: name,
                public: true,
                status: None,
                told,
                action: Action::ComplaintTransfer,
                after,
            }
        }
        Step::Forward => {
            let body = match text("office_id", false) {
                Ok(b) => b,
                Err(e) => return Ok(Err(e)),
            };
            let office = form.office_id.parse::<i64>().unwrap_or(0);
            let Some(before) = queries::update_presidium_forward(&mut *tx, c.complaint_id, office).await? else {
                return Ok(Err(FormErrors::one("office_id", "form.escalation.cannot_forward")));
            };
            let liaisons = crate::offices::queries::list_liaison_ids(&mut *tx, office).await?;
            let told = (liaisons, "notify.office.forwarded", format!("/office/complaints/{}", c.tracking_no));
            let after = json!({ "status": "forwarded", "office_id": office, "by": "presidium" });
            Taken {
                kind: "status",
                body,
                public: true,
                status: Some((before, "forwarded")),
                told,
                action: Action::ComplaintTransition,
                after,
            }
        }
        Step::Agenda => {
            let dept = queries::touch_escalation(&mut *tx, c.complaint_id).await?.ok_or_else(closed)?;
            if !queries::update_agenda(&mut *tx, c.complaint_id, dept).await? {
                return Err(AppError::Conflict("error.409.already_done"));
            }
            let after = json!({ "on_reception_agenda": true, "by": "presidium" });
            Taken {
                kind: "agenda",
                body: String::new(),
                public: true,
                status: None,
                told: none,
                action: Action::ComplaintAgenda,
                after,
            }
        }
        Step::SendBack => {
            let body = match text("send_back_body", true) {
                Ok(b) => b,
                Err(e) => return Ok(Err(e)),
            };
            let dept = queries::update_sent_back(&mut *tx, c.complaint_id).await?.ok_or_else(closed)?;
            let handlers = crate::departments::queries::current_member_ids(&mut *tx, dept).await?;
            let told =
                (handlers, "notify.complaint.sent_back", format!("/d/{}/complaints/{}", c.dept_slug, c.tracking_no));
            let after = json!({ "sent_back": true, "body": audit::clip(&body) });
            Taken {
                kind: "sent_back",
                body,
                public: false,
                status: None,
                told,
                action: Action::ComplaintSendBack,
                after,
            }
        }
    }))
}

async fn take_step(
    state: &AppState,
    layout: Layout,
    viewer: Arc<Viewer>,
    no: &str,
    step: Step,
    form: EscalationForm,
) -> AppResult<Response> {
    let c = escalated(state, no).await?;
    let mut tx = state.db.begin().await?;
    let taken = match apply(&mut tx, &c, step, &form).await? {
        Ok(t) => t,
        Err(errors) => return case_page(state, layout, c, errors, form).await,
    };
    let (from, to) = taken.status.as_ref().map_or((None, None), |(f, t)| (Some(f.as_str()), Some(*t)));
    let event = NewEvent {
        is_public: taken.public,
        by_presidium: true,
        from_status: from,
        to_status: to,
        ..NewEvent::public(c.complaint_id, Some(viewer.user_id), taken.kind, &taken.body)
    };
    if taken.public {
        public_event(&mut tx, &c, event, "notify.complaint.update").await?;
    } else {
        queries::insert_event(&mut *tx, &event).await?;
    }
    let (users, key, link) = &taken.told;
    notify(&mut *tx, users, Some(viewer.user_id), key, no, link).await?;
    let before = Some(json!({ "escalated": true }));
    audit::record(
        &mut *tx,
        Some(viewer.user_id),
        Some(c.department_id),
        taken.action,
        "complaint",
        no,
        before,
        Some(taken.after),
    )
    .await?;
    tx.commit().await?;
    // Sending back and transferring end the escalation (`queries::escalations`): back to the queue.
    let ended = matches!(step, Step::SendBack | Step::Transfer);
    let back = if ended { "/presidium/escalations".to_string() } else { format!("/presidium/escalations/{no}") };
    Ok(redirect_with_flash(&back, "flash.complaint_updated", None))
}

crate::web::forms::one_handler_per_form!(
    (State(state): State<AppState>, layout: Layout, CurrentUser(viewer): CurrentUser,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>, Form(form): Form<EscalationForm>)
    step => take_step(&state, layout, viewer, &tracking_no, step, form);
    reply => Step::Reply,
    add_note => Step::Note,
    transfer => Step::Transfer,
    forward => Step::Forward,
    put_on_agenda => Step::Agenda,
    send_back => Step::SendBack,
);
