//! Overdue complaints reach the next reception day by themselves: once a day, every
//! complaint overdue by more than `PORTAL_AGENDA_AFTER_DAYS` days goes on the agenda of
//! the next 校领导接待日 as a question (its followers are told, its timeline says so);
//! one answered meanwhile leaves the agenda; organisers may take one off with a reason,
//! which its followers read (`organise::agenda::take_off`). Questions asked after a session
//! ended (会后反馈) go on the agenda of the next session of its kind the same way. Time is a parameter: tests move the clock.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::queries;
use crate::{
    app::AppState,
    complaints::{deadlines::missed_deadline, queries as complaint_queries},
};

/// The kind of reception day overdue complaints go to.
const KIND: &str = "leaders";

/// Carry every follow-up (会后反馈) onto the agenda of the next session of its kind: how many.
pub async fn carry_follow_ups(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let mut carried = 0;
    for f in queries::list_follow_ups(&state.db, now).await? {
        let Some(next) = f.next_session_id else { continue };
        let mut tx = state.db.begin().await?;
        carried += usize::from(queries::carry_follow_up(&mut tx, f.question_id, f.number, next).await?);
        tx.commit().await?;
    }
    Ok(carried)
}

/// Place what is overdue, take off what was answered: (placed, taken off).
pub async fn place_overdue(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<(usize, usize)> {
    let mut tx = state.db.begin().await?;
    let answered = queries::update_answered_off_agenda(&mut *tx, now).await?;
    for &complaint_id in &answered {
        queries::update_complaint_on_agenda(&mut *tx, complaint_id, false).await?;
    }
    tx.commit().await?;
    let Some(session) = queries::fetch_next_session(&state.db, KIND, now).await? else {
        return Ok((0, answered.len()));
    };
    let calendar = crate::holidays::calendar(state).await?;
    let limit = Duration::days(state.config.agenda_after_days.into());
    let open = complaint_queries::list_open_complaints(&state.db).await?;
    let mut placed = 0;
    for c in open {
        let missed = missed_deadline(&c.status, c.created_at, c.first_public_reply_at, now, &state.config, &calendar);
        if missed.is_none_or(|deadline| now - deadline <= limit) {
            continue;
        }
        let mut tx = state.db.begin().await?;
        if queries::insert_overdue_question(&mut *tx, session.session_id, c.complaint_id).await?.is_none() {
            continue;
        }
        queries::update_complaint_on_agenda(&mut *tx, c.complaint_id, true).await?;
        super::on_complaint_timeline(&mut tx, c.complaint_id, None, "agenda", &format!("第{}期", session.number))
            .await?;
        let after = json!({ "on_reception_agenda": true, "session_id": session.session_id, "reason": "overdue" });
        let action = crate::audit::Action::ComplaintAgenda;
        crate::audit::record(
            &mut *tx,
            None,
            Some(c.department_id),
            action,
            "complaint",
            &c.tracking_no,
            None,
            Some(after),
        )
        .await?;
        tx.commit().await?;
        placed += 1;
    }
    Ok((placed, answered.len()))
}

/// Once a day, in one process.
pub async fn run_forever(state: AppState) {
    crate::jobs::daily_forever(state, "overdue_on_agenda", |state, now| async move {
        let (placed, taken_off) = place_overdue(&state, now).await?;
        let follow_ups = carry_follow_ups(&state, now).await?;
        tracing::info!(placed, taken_off, follow_ups, "overdue complaints and follow-ups on the reception agenda");
        Ok(())
    })
    .await
}
