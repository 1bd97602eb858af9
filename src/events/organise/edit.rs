//! Changing an event: its details (the rules of a draw stand once the window has
//! closed: the SQL keeps them), or cancelling it, which tells every applicant.

use axum::{
    extract::State,
    response::{IntoResponse, Response},
    Form,
};
use serde_json::{json, Value};

use super::{audit_step, base, closes_ahead, manage_page, own_event, row, Typed};
use crate::{
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult},
    events::{forms::EventForm, paths::EventPath, places, queries},
    notifications::notify,
    web::{context::redirect_with_flash, DeptAccess, Html422, Layout, Path},
};

/// What an edit can change, as the trail records it.
fn facts(e: &queries::Event) -> Value {
    json!({
        "title": e.title, "place": e.place, "starts_at": e.starts_at, "ends_at": e.ends_at, "places": e.places,
        "applications_open_at": e.applications_open_at, "applications_close_at": e.applications_close_at,
        "colleges": e.colleges, "grades": e.grades, "questions": e.questions, "selection": e.selection,
        "quota_rule": e.quota_rule, "public_value_source": e.public_value_source,
        "reveal_deadline": e.reveal_deadline, "confirm_hours": e.confirm_hours,
    })
}

pub async fn update_event(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<EventPath>,
    Form(form): Form<EventForm>,
) -> AppResult<Response> {
    let e = own_event(&state, &access, p.event_id).await?;
    let still_open = e.applications_close_at > chrono::Utc::now();
    let v = match form.parse().and_then(|v| closes_ahead(v, still_open)) {
        Ok(v) => v,
        Err(errors) => {
            let typed = Typed { form: Some(form), errors, ..Typed::default() };
            return Ok(Html422(manage_page(&state, layout, access, e, typed).await?).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    let locked = queries::lock_event(&mut tx, e.event_id).await?.ok_or(AppError::NotFound)?;
    queries::update_event(&mut tx, e.event_id, &row(&v)).await?;
    if locked.applications_close_at > chrono::Utc::now() {
        queries::replace_fixed_quotas(&mut tx, e.event_id, &v.quotas).await?;
    }
    // More places: those waiting move up before anyone new can take them.
    places::fill_free_places(&mut tx, e.event_id).await?;
    let after = queries::fetch_event(&mut *tx, e.event_id).await?.ok_or(AppError::NotFound)?;
    let (before, after_facts) = audit::changes(facts(&e), facts(&after));
    audit_step(&mut *tx, &access, Action::EventSave, e.event_id, Some(before), after_facts).await?;
    if after.sequence != e.sequence {
        let link = format!("/events/{}", e.event_id);
        let applicants = queries::list_applicants(&mut *tx, e.event_id).await?;
        notify(&mut *tx, &applicants, None, "notify.events.changed", &e.title, &link).await?;
    }
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/{}", base(&access), e.event_id), "flash.saved", None))
}

pub async fn cancel_event(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(p): Path<EventPath>,
) -> AppResult<Response> {
    let e = own_event(&state, &access, p.event_id).await?;
    let mut tx = state.db.begin().await?;
    queries::lock_event(&mut tx, e.event_id).await?.ok_or(AppError::NotFound)?;
    queries::update_cancelled(&mut tx, e.event_id).await?;
    let applicants = queries::list_applicants(&mut *tx, e.event_id).await?;
    let link = format!("/events/{}", e.event_id);
    notify(&mut *tx, &applicants, None, "notify.events.cancelled", &e.title, &link).await?;
    let before = json!({ "cancelled": e.cancelled_at.is_some() });
    audit_step(&mut *tx, &access, Action::EventSave, e.event_id, Some(before), json!({ "cancelled": true })).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/{}", base(&access), e.event_id), "flash.events.cancelled", None))
}
