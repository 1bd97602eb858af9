//! The agenda: students' questions put on it or taken off, and complaints marked
//! for reception days brought to a session as questions.

use axum::{
    extract::State,
    response::{IntoResponse, Response},
    Form,
};
use serde_json::json;

use super::{manage_page, own_session, session_row_changed, Typed};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    reception::{
        on_complaint_timeline,
        paths::{SessionPath, SessionQuestionPath},
        queries,
    },
    web::{forms::multi_line, DeptAccess, FormErrors, Html422, Layout, Path},
};

/// Put a question on the agenda or take it off.
pub async fn toggle_agenda(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(p): Path<SessionQuestionPath>,
) -> AppResult<Response> {
    let s = own_session(&state, &access, p.session_id).await?;
    let mut tx = state.db.begin().await?;
    let on_agenda =
        queries::update_toggle_agenda(&mut *tx, s.session_id, p.question_id).await?.ok_or(AppError::NotFound)?;
    let before = json!({ "question_id": p.question_id, "on_agenda": !on_agenda });
    let after = json!({ "question_id": p.question_id, "on_agenda": on_agenda });
    session_row_changed(tx, &access, &s, (Some(before), after), "questions").await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct AgendaComplaintForm {
    complaint_id: String,
}

/// A complaint marked for the agenda becomes a question of this session, raised by its reporter
/// (anonymously: the complaint speaks for itself), so they hear of every update on what is promised.
/// A private complaint's title stays private: the public sees that a private complaint is on the agenda.
pub async fn add_complaint_to_agenda(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(p): Path<SessionPath>,
    Form(form): Form<AgendaComplaintForm>,
) -> AppResult<Response> {
    let s = own_session(&state, &access, p.session_id).await?;
    let complaint_id: i64 = form.complaint_id.parse().map_err(|_| AppError::NotFound)?;
    let dept = access.dept.department_id;
    // Another department's private complaint is not found (not "already done"): the answer
    // must not tell which ids are complaints on the agenda.
    if !queries::is_offered_for_agenda(&state.db, complaint_id, dept).await? {
        return Err(AppError::NotFound);
    }
    let mut tx = state.db.begin().await?;
    let question_id = queries::insert_agenda_complaint_question(&mut *tx, s.session_id, complaint_id, dept)
        .await?
        .ok_or(AppError::Conflict("error.409.already_done"))?;
    let after = json!({ "agenda_complaint": complaint_id, "question_id": question_id, "on_agenda": true });
    session_row_changed(tx, &access, &s, (None, after), "questions").await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct TakeOffForm {
    pub off_reason: String,
}

/// Take a complaint off this session's agenda with a reason its followers read on its timeline.
pub async fn take_off(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<SessionQuestionPath>,
    Form(form): Form<TakeOffForm>,
) -> AppResult<Response> {
    let s = own_session(&state, &access, p.session_id).await?;
    let reason = match multi_line(&form.off_reason, 500, true) {
        Ok(r) => r,
        Err(key) => {
            let typed = Typed {
                errors: FormErrors::one("off_reason", key),
                off_question_id: p.question_id,
                off_reason: form.off_reason,
                ..Typed::default()
            };
            return Ok(Html422(manage_page(&state, layout, access, s, typed).await?).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    let complaint_id =
        queries::update_take_off(&mut *tx, s.session_id, p.question_id, &reason).await?.ok_or(AppError::NotFound)?;
    queries::update_complaint_on_agenda(&mut *tx, complaint_id, false).await?;
    on_complaint_timeline(&mut tx, complaint_id, Some(access.viewer.user_id), "agenda_off", &reason).await?;
    let before = json!({ "question_id": p.question_id, "on_agenda": true });
    let after = json!({ "question_id": p.question_id, "on_agenda": false, "reason": crate::audit::clip(&reason) });
    session_row_changed(tx, &access, &s, (Some(before), after), "questions").await
}
