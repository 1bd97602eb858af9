//! Reception days (校领导接待日) and academic-affairs meetings (教务见面会):
//! numbered sessions with a tentative or confirmed time, seats for college
//! delegates and for everyone with a waiting list, questions and votes, the
//! minutes, and the public commitments board that keeps every promise in view
//! until it is kept. Owns `reception_*`, `commitment` and `commitment_update`.

pub mod commitments;
pub(crate) mod forms;
pub mod model;
mod organise;
pub mod overdue;
mod paths;
pub mod public;
pub mod queries;
pub mod reminders;
pub mod seats;

use axum::routing::{get, post};
use axum::{extract::DefaultBodyLimit, Router};

use crate::error::{AppError, AppResult};
use crate::web::dept_access::{guarded, Desk, Need};
use crate::web::DeptRole;
use crate::{app::AppState, complaints::queries::NewEvent};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reception", get(public::list_sessions))
        .route("/reception.ics", get(public::feeds::calendar))
        .route("/feeds/reception.atom", get(public::feeds::feed))
        .route("/reception/{code}", get(public::show_session))
        .route("/reception/{code}/poster", get(public::poster::session_poster))
        .route("/reception/{code}/signup", post(public::sign_up))
        .route("/reception/{code}/cancel", post(public::cancel))
        .route("/reception/{code}/follow", post(public::follow))
        .route("/reception/{code}/questions", post(public::ask))
        .route("/reception/{code}/questions/{question_id}/vote", post(public::vote))
        .route("/commitments", get(public::board::commitments_board))
        .route("/commitments/{commitment_id}", get(public::board::show_commitment))
        .route("/commitments/{commitment_id}/photos/{update_id}", get(public::board::update_photo))
}

/// Staff routes, relative to `/d/{dept}`: the pages of departments that organise
/// reception days (`Desk::Reception`; another department has none of them, 404), and
/// updates on the commitments a department keeps.
pub fn staff_routes(state: &AppState) -> Router<AppState> {
    let read = Router::new()
        .route("/reception", get(organise::sessions::list_sessions))
        .route("/reception/{session_id}", get(organise::manage_session));
    let act = Router::new()
        .route("/reception/{session_id}/delegates/add", post(organise::delegates::add_delegate))
        .route("/reception/{session_id}/delegates/{delegate_id}/remove", post(organise::delegates::remove_delegate))
        .route("/reception/{session_id}/questions/{question_id}/agenda", post(organise::agenda::toggle_agenda))
        .route("/reception/{session_id}/questions/{question_id}/take-off", post(organise::agenda::take_off))
        .route("/reception/{session_id}/agenda/complaint", post(organise::agenda::add_complaint_to_agenda))
        .route("/reception/{session_id}/minutes", post(organise::minutes::add_minute));
    let edit = Router::new()
        .route("/reception/new", post(organise::sessions::create_session))
        .route("/reception/{session_id}/update", post(organise::sessions::update_session))
        .route("/reception/{session_id}/close-signup", post(organise::sessions::close_signup));
    // A commitment's keeper may be any department (one made on a complaint's page is kept by
    // the complaint's handlers): no desk; the SQL reads it with the department.
    let keep = Router::new().route(
        "/commitments/{commitment_id}/update",
        post(commitments::updates::update_by_department).layer(DefaultBodyLimit::max(crate::config::UPLOAD_LIMIT)),
    );
    guarded(state, Need::Read(DeptRole::Member).at(Desk::Reception), read)
        .merge(guarded(state, Need::Act(DeptRole::Member).at(Desk::Reception), act))
        .merge(guarded(state, Need::Act(DeptRole::ViceHead).at(Desk::Reception), edit))
        .merge(guarded(state, Need::Act(DeptRole::Member), keep))
}

/// A commitment about a complaint, and each update on it, is a public event on
/// the complaint's timeline; the complaint's followers hear of it.
async fn on_complaint_timeline(
    tx: &mut sqlx::PgConnection,
    complaint_id: i64,
    actor_id: Option<i64>,
    kind: &'static str,
    body: &str,
) -> AppResult<()> {
    let tracking_no = queries::fetch_tracking_no(&mut *tx, complaint_id).await?;
    let c = crate::complaints::queries::fetch_complaint(&mut *tx, &tracking_no).await?.ok_or(AppError::NotFound)?;
    let event = NewEvent::public(complaint_id, actor_id, kind, body);
    crate::complaints::public_event(tx, &c, event, "notify.complaint.update").await
}
