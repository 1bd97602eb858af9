//! A witness's two presses on the event page: the SHA-256 of their secret before the
//! window closes, the secret itself after it (checked against the commitment).

use axum::{
    extract::State,
    response::{IntoResponse, Response},
    Form,
};

use super::{
    draw::sha256_hex,
    forms::{ApplyForm, CommitForm, RevealForm},
    public::{show_page, EventPress},
    queries,
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    web::{context::redirect_with_flash, limits::Write, FormErrors, Html422, Layout},
};

/// The page again with the witness form's message beside its field.
async fn refused(state: &AppState, layout: Layout, press: EventPress, errors: FormErrors) -> AppResult<Response> {
    let page = show_page(state, layout, press.event, ApplyForm::default(), FormErrors::default(), errors).await?;
    Ok(Html422(page).into_response())
}

/// A witness publishes the SHA-256 of their secret, before the window closes.
pub async fn commit(
    State(state): State<AppState>,
    layout: Layout,
    press: EventPress,
    Form(form): Form<CommitForm>,
) -> AppResult<Response> {
    // Only the event's witnesses commit (everyone else is told so, not that the window closed).
    if !queries::is_witness(&state.db, press.event.event_id, press.user_id).await? {
        return Err(AppError::Forbidden);
    }
    let hash = match form.parse() {
        Ok(h) => h,
        Err(errors) => return refused(&state, layout, press, errors).await,
    };
    state.limits.write(Write::EventPresses, press.user_id).await?;
    if !queries::update_commitment(&state.db, press.event.event_id, press.user_id, &hash).await? {
        return Err(AppError::Conflict("error.409.commitment_closed"));
    }
    Ok(redirect_with_flash(&format!("{}#witnesses", press.link()), "flash.events.committed", None))
}

/// A witness reveals their secret once the pool is frozen; it must match the commitment.
pub async fn reveal(
    State(state): State<AppState>,
    layout: Layout,
    press: EventPress,
    Form(form): Form<RevealForm>,
) -> AppResult<Response> {
    let witnesses = queries::list_witnesses(&state.db, press.event.event_id).await?;
    let mine = witnesses.iter().find(|w| w.user_id == press.user_id).ok_or(AppError::Forbidden)?;
    // Trimmed, as the commitment form's script hashes it: a stray space is not a different secret.
    let secret = form.secret.trim();
    let matches = mine.commitment.as_deref() == Some(sha256_hex(secret).as_str());
    if secret.is_empty() || secret.chars().count() > 200 || !matches {
        return refused(&state, layout, press, FormErrors::one("secret", "form.events.secret_mismatch")).await;
    }
    state.limits.write(Write::EventPresses, press.user_id).await?;
    if !queries::update_revealed(&state.db, press.event.event_id, press.user_id, secret).await? {
        return Err(AppError::Conflict("error.409.reveal_closed"));
    }
    Ok(redirect_with_flash(&format!("{}#witnesses", press.link()), "flash.events.revealed", None))
}
