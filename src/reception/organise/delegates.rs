//! College delegates: entered by the organisers within their college's seats.

use axum::{
    extract::State,
    response::{IntoResponse, Response},
    Form,
};
use serde_json::json;

use super::{audit_step, base, delegate_facts, manage_page, own_session, session_row_changed, Typed};
use crate::{
    accounts::forms::StudentNo,
    app::AppState,
    error::{AppError, AppResult},
    reception::{
        forms::DelegateForm,
        paths::{SessionDelegatePath, SessionPath},
        queries::{self, NewDelegate, Quota},
    },
    web::{context::redirect_with_flash, forms::one_line, DeptAccess, FormErrors, Html422, Layout, Path},
};

/// Why a college cannot take one more delegate, if it cannot.
fn quota_refusal(quota: Option<&Quota>, college: &str) -> Option<&'static str> {
    match quota {
        None if college.is_empty() => None,
        None => Some("form.reception.choose_college"),
        Some(q) if q.filled >= i64::from(q.seats) => Some("form.reception.college_full"),
        Some(_) => None,
    }
}

pub async fn add_delegate(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<SessionPath>,
    Form(form): Form<DelegateForm>,
) -> AppResult<Response> {
    let s = own_session(&state, &access, p.session_id).await?;
    let mut errors = FormErrors::default();
    let student_no =
        errors.take("delegate_student_no", StudentNo::parse(&form.student_no).map(|n| n.as_str().to_string()));
    let name = errors.take("delegate_name", one_line(&form.name, 50, true));
    let college = errors.take("delegate_college", one_line(&form.college, 40, true));
    let mut tx = state.db.begin().await?;
    queries::lock_session(&mut *tx, s.session_id).await?;
    let quota = queries::fetch_quota(&mut *tx, s.session_id, &college).await?;
    if let Some(key) = quota_refusal(quota.as_ref(), &college) {
        errors.add("delegate_college", key);
    }
    if errors.is_empty() {
        let user_id =
            crate::lost_found::queries::verified_user_by_student_no(&mut *tx, &student_no).await?.map(|u| u.0);
        let d = NewDelegate { college: &college, student_no: &student_no, name: &name, user_id };
        if queries::insert_delegate(&mut *tx, s.session_id, &d).await? {
            let after = json!({ "delegate_added": delegate_facts(&student_no, &name, &college) });
            audit_step(&mut *tx, &access, s.session_id, None, after).await?;
        } else {
            errors.add("delegate_student_no", "form.reception.delegate_twice");
        }
    }
    if !errors.is_empty() {
        drop(tx);
        let typed = Typed { delegate_form: form, errors, ..Typed::default() };
        return Ok(Html422(manage_page(&state, layout, access, s, typed).await?).into_response());
    }
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/{}#delegates", base(&access), s.session_id), "flash.saved", None))
}

pub async fn remove_delegate(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(p): Path<SessionDelegatePath>,
) -> AppResult<Response> {
    let s = own_session(&state, &access, p.session_id).await?;
    let mut tx = state.db.begin().await?;
    let removed = queries::delete_delegate(&mut *tx, s.session_id, p.delegate_id).await?.ok_or(AppError::NotFound)?;
    let before = json!({ "delegate": delegate_facts(&removed.student_no, &removed.name, &removed.college) });
    let after = json!({ "delegate_removed": p.delegate_id });
    session_row_changed(tx, &access, &s, (Some(before), after), "delegates").await
}
