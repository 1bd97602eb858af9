//! Decisions and offers, each in one transaction that locks the positions it touches
//! (in id order) before their applications: the department's decision, the student's
//! accept (the other offers released to the next on those waiting lists, the other
//! applications withdrawn, membership for the round's term), turning an offer down, and
//! offers lapsing at their deadline. Everyone concerned is told (portal and mail).

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use super::{model, queries::offers as q};
use crate::{audit, departments::roles::ensure_current_term, notifications::queries::notify};

const MINE: &str = "/me/applications";

#[derive(Debug, PartialEq, Eq)]
pub enum Decided {
    Done,
    /// Offers and accepted places fill the position: the waiting list is the choice.
    Full,
    /// The student has moved on (accepted elsewhere, withdrawn) or it is decided already.
    NotWaiting,
}

/// The department decides on one of its applications; `None` when it is not theirs.
pub async fn decide(
    db: &PgPool,
    department_id: i64,
    actor: i64,
    application_id: i64,
    decision: &str,
    message: &str,
) -> anyhow::Result<Option<Decided>> {
    let mut tx = db.begin().await?;
    let Some(position_id) = q::fetch_position_of(&mut tx, application_id, Some(department_id), None).await? else {
        return Ok(None);
    };
    q::lock_positions(&mut tx, &[position_id]).await?;
    let Some(app) = q::lock_application(&mut tx, application_id).await? else { return Ok(None) };
    if !model::may_decide(&app.status) {
        return Ok(Some(Decided::NotWaiting));
    }
    if decision == "offered" && !q::has_free_place(&mut tx, position_id).await? {
        return Ok(Some(Decided::Full));
    }
    q::update_decision(&mut tx, application_id, decision, message).await?;
    let before = json!({ "status": app.status });
    let after = json!({ "status": decision });
    let id = application_id.to_string();
    let action = audit::Action::RecruitmentDecide;
    audit::record(
        &mut *tx,
        Some(actor),
        Some(department_id),
        action,
        "recruitment_application",
        &id,
        Some(before),
        Some(after),
    )
    .await?;
    let (label, _) = q::fetch_position_label(&mut tx, position_id).await?;
    notify(&mut *tx, &[app.user_id], None, model::decision_notice(decision), &label, MINE).await?;
    tx.commit().await?;
    Ok(Some(Decided::Done))
}

#[derive(Debug, PartialEq, Eq)]
pub enum Answered {
    Done,
    /// No offer is open on this application.
    NotOffered,
    /// The offer's deadline has passed.
    Late,
}

/// The student accepts an offer: the others are released, the rest withdrawn, and the
/// student joins the department for the round's term. `None` when it is not theirs.
pub async fn accept(
    db: &PgPool,
    user_id: i64,
    application_id: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<Answered>> {
    let mut tx = db.begin().await?;
    let Some((round_id, _)) = q::fetch_own(&mut tx, application_id, user_id).await? else { return Ok(None) };
    let positions = q::list_positions_of_student(&mut tx, round_id, user_id).await?;
    q::lock_positions(&mut tx, &positions).await?;
    let apps = q::lock_student_applications(&mut tx, round_id, user_id).await?;
    let Some(this) = apps.iter().find(|a| a.application_id == application_id) else { return Ok(None) };
    if this.status != "offered" {
        return Ok(Some(Answered::NotOffered));
    }
    if this.answer_by.is_some_and(|by| by <= now) {
        return Ok(Some(Answered::Late));
    }
    let others = apps.iter().filter(|a| a.application_id != application_id);
    let released: Vec<_> = others.clone().filter(|a| a.status == "offered").collect();
    let withdrawn: Vec<i64> = others.filter(|a| model::may_withdraw(&a.status)).map(|a| a.application_id).collect();
    q::update_status(&mut tx, &[application_id], "accepted").await?;
    q::update_status(&mut tx, &released.iter().map(|a| a.application_id).collect::<Vec<_>>(), "released").await?;
    q::update_status(&mut tx, &withdrawn, "withdrawn").await?;
    join_department(&mut tx, user_id, this.department_id, round_id).await?;
    let label = q::fetch_position_label(&mut tx, this.position_id).await?;
    notify(&mut *tx, &[user_id], None, "notify.recruitment.accepted", &label.0, MINE).await?;
    tell_deciders(&mut tx, this.department_id, "notify.recruitment.offer_accepted", &label).await?;
    for a in released {
        let label = q::fetch_position_label(&mut tx, a.position_id).await?;
        tell_deciders(&mut tx, a.department_id, "notify.recruitment.offer_turned_down", &label).await?;
        promote(&mut tx, a.position_id, &label.0).await?;
    }
    tx.commit().await?;
    Ok(Some(Answered::Done))
}

/// The student turns an offer down; the place goes to the next on the waiting list.
pub async fn turn_down(db: &PgPool, user_id: i64, application_id: i64) -> anyhow::Result<Option<Answered>> {
    let mut tx = db.begin().await?;
    let Some((_, position_id)) = q::fetch_own(&mut tx, application_id, user_id).await? else { return Ok(None) };
    q::lock_positions(&mut tx, &[position_id]).await?;
    let Some(app) = q::lock_application(&mut tx, application_id).await? else { return Ok(None) };
    if app.status != "offered" {
        return Ok(Some(Answered::NotOffered));
    }
    q::update_status(&mut tx, &[application_id], "released").await?;
    let label = q::fetch_position_label(&mut tx, position_id).await?;
    tell_deciders(&mut tx, app.department_id, "notify.recruitment.offer_turned_down", &label).await?;
    promote(&mut tx, position_id, &label.0).await?;
    tx.commit().await?;
    Ok(Some(Answered::Done))
}

/// Offers past their deadline lapse, one transaction each, and their places go on; how many.
pub async fn expire_lapsed(db: &PgPool, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let lapsed = q::list_lapsed_offers(&mut *db.acquire().await?, now).await?;
    let mut count = 0;
    for (application_id, position_id) in lapsed {
        let mut tx = db.begin().await?;
        q::lock_positions(&mut tx, &[position_id]).await?;
        let app = q::lock_application(&mut tx, application_id).await?;
        // Another process, or the student's answer, may have come first.
        let Some(app) = app.filter(|a| a.status == "offered" && a.answer_by.is_some_and(|by| by <= now)) else {
            continue;
        };
        q::update_status(&mut tx, &[application_id], "expired").await?;
        let (label, _) = q::fetch_position_label(&mut tx, position_id).await?;
        notify(&mut *tx, &[app.user_id], None, "notify.recruitment.expired", &label, MINE).await?;
        promote(&mut tx, position_id, &label).await?;
        tx.commit().await?;
        count += 1;
    }
    Ok(count)
}

/// Every minute, with the real clock.
pub async fn run_forever(state: crate::app::AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        if let Err(e) = expire_lapsed(&state.db, Utc::now()).await {
            tracing::warn!(error = %e, "recruitment offers' deadlines failed; will retry");
        }
    }
}

/// The position's free places to its waiting list; `label` names the position in the notice.
async fn promote(tx: &mut PgConnection, position_id: i64, label: &str) -> anyhow::Result<()> {
    let offered = q::promote_waiting(&mut *tx, position_id).await?;
    notify(&mut *tx, &offered, None, "notify.recruitment.promoted", label, MINE).await?;
    Ok(())
}

/// `(label, slug)`: the position's label and its department's slug (`fetch_position_label`).
async fn tell_deciders(
    tx: &mut PgConnection,
    department_id: i64,
    key: &str,
    label: &(String, String),
) -> anyhow::Result<()> {
    let deciders = q::list_deciders(&mut *tx, department_id).await?;
    let (label, slug) = label;
    notify(&mut *tx, &deciders, None, key, label, &format!("/d/{slug}/recruitment")).await?;
    Ok(())
}

/// Membership as a member for the round's term, audited like a head's grant.
async fn join_department(tx: &mut PgConnection, user_id: i64, department_id: i64, round_id: i64) -> anyhow::Result<()> {
    let term_id = match q::fetch_term_name(&mut *tx, round_id).await? {
        Some(name) => q::ensure_round_term(&mut *tx, &name).await?,
        None => ensure_current_term(&mut *tx).await?,
    };
    if let Some(membership_id) = q::insert_membership(&mut *tx, user_id, department_id, term_id).await? {
        let after = json!({ "user_id": user_id, "role": "member", "term_id": term_id, "by": "recruitment" });
        let action = audit::Action::MembershipGrant;
        let id = membership_id.to_string();
        audit::record(&mut *tx, Some(user_id), Some(department_id), action, "membership", &id, None, Some(after))
            .await?;
    }
    Ok(())
}
