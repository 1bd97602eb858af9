//! The draw's people and moment: naming witnesses (verified accounts), removing one
//! who has not committed, and running the draw once every input is in.

use axum::{
    extract::State,
    response::{IntoResponse, Response},
    Form,
};
use chrono::Utc;
use serde_json::json;

use super::{audit_step, base, manage_page, own_event, Typed};
use crate::{
    app::AppState,
    audit::Action,
    error::{AppError, AppResult},
    events::{
        forms::{DrawForm, WitnessForm},
        paths::{EventPath, WitnessPath},
        places, queries,
    },
    web::{context::redirect_with_flash, forms::one_line, DeptAccess, FormErrors, Html422, Layout, Path},
};

pub async fn add_witness(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<EventPath>,
    Form(form): Form<WitnessForm>,
) -> AppResult<Response> {
    let e = own_event(&state, &access, p.event_id).await?;
    let mut errors = FormErrors::default();
    let label = errors.take("label", one_line(&form.label, 40, true));
    let student_no = errors.take("student_no", one_line(&form.student_no, 20, true));
    // A witness's name on the page must be someone's whose number was vouched for.
    let user = match student_no.is_empty() {
        true => None,
        false => queries::find_verified_user(&state.db, &student_no).await?,
    };
    if user.is_none() && errors.get("student_no").is_none() {
        errors.add("student_no", "form.events.witness_unknown");
    }
    if e.applications_close_at <= Utc::now() {
        errors.add("student_no", "form.events.witnesses_closed");
    }
    let (Some(user_id), true) = (user, errors.is_empty()) else {
        let typed = Typed { witness_form: form, witness_errors: errors, ..Typed::default() };
        return Ok(Html422(manage_page(&state, layout, access, e, typed).await?).into_response());
    };
    let mut tx = state.db.begin().await?;
    queries::lock_event(&mut tx, e.event_id).await?.ok_or(AppError::NotFound)?;
    // An applicant may not witness the draw that chooses among them (applying checks the other way).
    if queries::has_applied(&mut *tx, e.event_id, user_id).await? {
        let errors = FormErrors::one("student_no", "form.events.witness_applied");
        let typed = Typed { witness_form: form, witness_errors: errors, ..Typed::default() };
        return Ok(Html422(manage_page(&state, layout, access, e, typed).await?).into_response());
    }
    queries::insert_witness(&mut tx, e.event_id, user_id, &label).await?;
    audit_step(&mut *tx, &access, Action::EventWitness, e.event_id, None, json!({ "witness_added": label })).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/{}#witnesses", base(&access), e.event_id), "flash.saved", None))
}

pub async fn remove_witness(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(p): Path<WitnessPath>,
) -> AppResult<Response> {
    let e = own_event(&state, &access, p.event_id).await?;
    if !queries::witness_of_event(&state.db, e.event_id, p.witness_id).await? {
        return Err(AppError::NotFound);
    }
    let mut tx = state.db.begin().await?;
    if !queries::delete_witness(&mut tx, e.event_id, p.witness_id).await? {
        return Err(AppError::Conflict("error.409.witness_committed"));
    }
    audit_step(&mut *tx, &access, Action::EventWitness, e.event_id, None, json!({ "witness_removed": p.witness_id }))
        .await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/{}#witnesses", base(&access), e.event_id), "flash.saved", None))
}

pub async fn run_draw(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<EventPath>,
    Form(form): Form<DrawForm>,
) -> AppResult<Response> {
    let e = crate::events::public::frozen_if_due(&state, own_event(&state, &access, p.event_id).await?).await?;
    let mut errors = FormErrors::default();
    let public_value = errors.take("public_value", one_line(&form.public_value, 200, false));
    let witnesses = queries::list_witnesses(&state.db, e.event_id).await?;
    let needs_value = !e.public_value_source.is_empty();
    let blocked = match e.pool_frozen_at {
        None => Some("events.draw.not_closed"),
        Some(_) => places::draw_blocked(&witnesses, e.reveal_deadline, needs_value, &public_value, Utc::now()),
    };
    if let Some(key) = blocked {
        errors.add("public_value", key);
    }
    if !errors.is_empty() {
        let typed = Typed { errors, ..Typed::default() };
        return Ok(Html422(manage_page(&state, layout, access, e, typed).await?).into_response());
    }
    let value = needs_value.then_some(public_value.as_str());
    let by = (access.viewer.user_id, access.dept.department_id);
    places::run_draw(&state.db, e.event_id, value, by).await?;
    Ok(redirect_with_flash(&format!("/events/{}/draw", e.event_id), "flash.events.drawn", None))
}
