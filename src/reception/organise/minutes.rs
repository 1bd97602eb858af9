//! The minutes: each question raised at the session, its answer, and any
//! commitment made there (`commitments::make_commitment`: public on the board, and on its
//! complaint's timeline).

use axum::{
    extract::State,
    response::{IntoResponse, Response},
    Form,
};
use serde_json::json;

use super::{audit_step, base, manage_page, own_session, Typed};
use crate::{
    app::AppState,
    audit,
    error::AppResult,
    reception::{
        commitments::make_commitment,
        forms::{MinuteForm, MinuteValues},
        paths::SessionPath,
        public::title,
        queries::{self, AskedQuestion, NewCommitment, NewMinute, Session},
    },
    robots,
    web::{context::redirect_with_flash, DeptAccess, FormErrors, Html422, Layout, Path},
};

/// The form's values, and the submitted question they answer (which must be this session's).
async fn parse_minute(
    state: &AppState,
    s: &Session,
    form: &MinuteForm,
) -> AppResult<Result<(MinuteValues, Option<AskedQuestion>), FormErrors>> {
    let offices: Vec<i64> = crate::complaints::queries::offices(state).await?.iter().map(|o| o.office_id).collect();
    let v = match form.parse(&offices) {
        Ok(v) => v,
        Err(errors) => return Ok(Err(errors)),
    };
    let Some(qid) = v.question_id else {
        return Ok(Ok((v, None)));
    };
    match queries::fetch_asked_question(&state.db, s.session_id, qid).await? {
        Some(q) => Ok(Ok((v, Some(q)))),
        None => {
            let errors = FormErrors::one("question_id", "form.reception.choose_question");
            Ok(Err(errors))
        }
    }
}

/// Who asked, what, and about which complaint: a submitted question brings its text
/// (unless retyped), its asker (unless anonymous) and its complaint.
fn asked(v: &MinuteValues, question: Option<&AskedQuestion>) -> (String, String, Option<i64>) {
    match question {
        Some(q) => (
            if q.is_anonymous { String::new() } else { q.name.clone() },
            if v.question.is_empty() { q.body.clone() } else { v.question.clone() },
            q.complaint_id,
        ),
        None => (v.asked_by.clone(), v.question.clone(), None),
    }
}

/// Record one question raised at the session, its answer, and any commitment.
pub async fn add_minute(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<SessionPath>,
    Form(form): Form<MinuteForm>,
) -> AppResult<Response> {
    let s = own_session(&state, &access, p.session_id).await?;
    let (v, question) = match parse_minute(&state, &s, &form).await? {
        Ok(parsed) => parsed,
        Err(errors) => {
            let typed = Typed { minute_form: form, errors, ..Typed::default() };
            return Ok(Html422(manage_page(&state, layout, access, s, typed).await?).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    if let Err(errors) = record_minute(&mut tx, &access, &s, &v, question.as_ref()).await? {
        // Nothing is kept: the owner named cannot answer for the commitment.
        drop(tx);
        let typed = Typed { minute_form: form, errors, ..Typed::default() };
        return Ok(Html422(manage_page(&state, layout, access, s, typed).await?).into_response());
    }
    tx.commit().await?;
    state.cached.commitment_records.clear();
    Ok(redirect_with_flash(
        &format!("{}/{}#minutes", base(&access), s.session_id),
        "flash.reception.minute_saved",
        None,
    ))
}

/// The minute, audited, and the commitment made in answer, if any.
async fn record_minute(
    tx: &mut sqlx::PgConnection,
    access: &DeptAccess,
    s: &Session,
    v: &MinuteValues,
    question: Option<&AskedQuestion>,
) -> AppResult<Result<(), FormErrors>> {
    let (asked_by, question_text, complaint_id) = asked(v, question);
    let minute = NewMinute {
        question_id: v.question_id,
        asked_by: &asked_by,
        question: &question_text,
        answered_by: &v.answered_by,
        answer: &v.answer,
        recorded_by: access.viewer.user_id,
    };
    let minute_id = queries::insert_minute(&mut *tx, s.session_id, &minute).await?;
    queries::update_minutes_updated(&mut *tx, s.session_id).await?;
    let after =
        json!({ "minute": minute_id, "question": audit::clip(&question_text), "answer": audit::clip(&v.answer) });
    audit_step(&mut *tx, access, s.session_id, None, after).await?;
    let promised = v.commitment.as_ref().map(|c| (c.what.as_str(), c.due_on));
    let told = robots::messages::minute(&title(s), &s.code(), &question_text, promised);
    robots::announce(&mut *tx, robots::Topic::Minutes, Some(s.department_id), &told).await?;
    if let Some(c) = &v.commitment {
        let new = NewCommitment {
            minute: Some((minute_id, s.session_id)),
            what: &c.what,
            office_id: c.office_id,
            owner_id: c.owner_id,
            due_on: c.due_on,
            complaint_id,
            keeper_department_id: access.dept.department_id,
        };
        let timeline = format!("{}：{}（{}）", title(s), c.what, c.due_on);
        if make_commitment(&mut *tx, access.viewer.user_id, &new, &timeline).await?.is_none() {
            return Ok(Err(FormErrors::one("owner_id", "form.commitment.owner")));
        }
    }
    Ok(Ok(()))
}
