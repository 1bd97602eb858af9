//! Applications and places. Every application, withdrawal, freeze, draw and lapse locks
//! its event's row, so a hundred students in the same second get a hundred numbers,
//! and no place is given twice.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

use super::{
    draw::{self, Commitment, DrawInput, PoolEntry, QuotaRule},
    model::{confirm_deadline, new_check_code},
    queries::{self, EventLock, NewApplication},
};
use crate::{
    audit::{self, Action},
    error::{AppError, AppResult},
    notifications::notify,
};

/// Who applies, as the event's rules see them.
pub struct Applicant<'a> {
    pub user_id: i64,
    pub college: &'a str,
    pub answers: &'a [String],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// In the pool of a draw.
    InPool,
    /// First come first served: a place, or a place in line.
    Place,
    Waiting,
    /// Already applied: nothing changed.
    Already,
}

/// One application, numbered under the event's lock. Verification and who may apply
/// are the caller's; the window is checked here, under the lock.
pub async fn apply(db: &PgPool, event_id: i64, a: &Applicant<'_>, now: DateTime<Utc>) -> AppResult<Applied> {
    let mut tx = db.begin().await?;
    let e = queries::lock_event(&mut tx, event_id).await?.ok_or(AppError::NotFound)?;
    if e.cancelled_at.is_some() || now < e.applications_open_at || now >= e.applications_close_at {
        return Err(AppError::Conflict("error.409.event_closed"));
    }
    if queries::fetch_my_application(&mut *tx, event_id, a.user_id).await?.is_some() {
        return Ok(Applied::Already);
    }
    // A witness's secret helps choose who goes: they may not be among those chosen from.
    // (Naming a witness takes the same lock and checks the other way round.)
    if queries::is_witness(&mut *tx, event_id, a.user_id).await? {
        return Err(AppError::Conflict("error.409.witness_may_not_apply"));
    }
    let number = queries::next_app_number(&mut tx, event_id).await?;
    let (status, outcome, rank, confirm_by) = if e.selection == "draw" {
        ("applied", Applied::InPool, None, None)
    } else if queries::count_taken(&mut tx, event_id).await? < i64::from(e.places) {
        // Applying first come first served is wanting the place: it is confirmed at once.
        ("confirmed", Applied::Place, Some(number), None)
    } else {
        ("waiting", Applied::Waiting, Some(number), None)
    };
    let code = new_check_code();
    let new = NewApplication {
        user_id: a.user_id,
        app_number: number,
        college: a.college,
        answers: a.answers,
        status,
        rank,
        confirm_by,
        check_code: &code,
    };
    // A code already taken at this event (one in a billion): the student presses again.
    if queries::insert_application(&mut tx, event_id, &new).await?.is_none() {
        return Ok(Applied::Already);
    }
    tx.commit().await?;
    Ok(outcome)
}

/// Fill the places free with the waiting list, in order; each one moved up is told.
async fn move_list_up(tx: &mut PgConnection, event_id: i64, e: &EventLock) -> AppResult<()> {
    if e.selection == "draw" && e.drawn_at.is_none() {
        return Ok(());
    }
    let free = i64::from(e.places) - queries::count_taken(tx, event_id).await?;
    if free <= 0 || Utc::now() >= e.starts_at {
        return Ok(());
    }
    let by = confirm_deadline(Utc::now(), e.confirm_hours, e.starts_at);
    let moved = queries::update_promote_waiting(tx, event_id, free, by).await?;
    notify(&mut *tx, &moved, None, "notify.events.promoted", &e.title, &format!("/events/{event_id}")).await?;
    Ok(())
}

/// After an edit (more places): the waiting list fills them, in order. Runs in the edit's
/// transaction, which holds the event's lock.
pub async fn fill_free_places(tx: &mut PgConnection, event_id: i64) -> AppResult<()> {
    let e = queries::lock_event(tx, event_id).await?.ok_or(AppError::NotFound)?;
    move_list_up(tx, event_id, &e).await
}

/// Withdraw before the event begins; a place given up moves the list up. Returns whether anything changed.
pub async fn withdraw(db: &PgPool, event_id: i64, user_id: i64) -> AppResult<bool> {
    let mut tx = db.begin().await?;
    let e = queries::lock_event(&mut tx, event_id).await?.ok_or(AppError::NotFound)?;
    if Utc::now() >= e.starts_at {
        return Err(AppError::Conflict("error.409.event_started"));
    }
    if queries::update_withdrawn(&mut tx, event_id, user_id).await?.is_none() {
        return Ok(false);
    }
    move_list_up(&mut tx, event_id, &e).await?;
    tx.commit().await?;
    Ok(true)
}

/// Confirm a place given, before its time runs out.
pub async fn confirm(db: &PgPool, event_id: i64, user_id: i64) -> AppResult<()> {
    let mut tx = db.begin().await?;
    queries::lock_event(&mut tx, event_id).await?.ok_or(AppError::NotFound)?;
    if !queries::update_confirmed(&mut tx, event_id, user_id).await? {
        return Err(AppError::Conflict("error.409.nothing_to_confirm"));
    }
    tx.commit().await?;
    Ok(())
}

/// Places not confirmed in time go to the waiting list, in order; both sides are told.
pub async fn lapse_overdue(db: &PgPool) -> AppResult<()> {
    for event_id in queries::list_lapse_due(db).await? {
        let mut tx = db.begin().await?;
        let Some(e) = queries::lock_event(&mut tx, event_id).await? else { continue };
        let lapsed = queries::update_lapsed(&mut tx, event_id).await?;
        let link = format!("/events/{event_id}");
        notify(&mut *tx, &lapsed, None, "notify.events.lapsed", &e.title, &link).await?;
        move_list_up(&mut tx, event_id, &e).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Freeze the pool of a draw whose window has closed: the pool file, its hash and the
/// quotas, published at once. Nothing happens if it is not due or already frozen.
pub async fn freeze(db: &PgPool, event_id: i64) -> AppResult<()> {
    let mut tx = db.begin().await?;
    let Some(e) = queries::lock_event(&mut tx, event_id).await? else { return Ok(()) };
    if e.selection != "draw"
        || e.pool_frozen_at.is_some()
        || e.cancelled_at.is_some()
        || Utc::now() < e.applications_close_at
    {
        return Ok(());
    }
    let entries = pool_entries(&mut tx, event_id).await?;
    let pool = draw::pool_file(&entries);
    let fixed = queries::list_fixed_quotas(&mut *tx, event_id).await?.into_iter().collect();
    let quotas = draw::quotas(quota_rule(&e), &fixed, &entries, e.places);
    let quotas = serde_json::to_value(&quotas).map_err(|e| AppError::Internal(e.into()))?;
    queries::update_frozen(&mut tx, event_id, &pool, &draw::sha256_hex(&pool), &quotas).await?;
    tx.commit().await?;
    Ok(())
}

/// Freeze every pool whose window has closed (the events job, each minute).
pub async fn freeze_due(db: &PgPool) -> AppResult<()> {
    for event_id in queries::list_freeze_due(db).await? {
        freeze(db, event_id).await?;
    }
    Ok(())
}

async fn pool_entries(tx: &mut PgConnection, event_id: i64) -> sqlx::Result<Vec<PoolEntry>> {
    let rows = queries::list_pool_entries(tx, event_id).await?;
    Ok(rows.into_iter().map(|(n, college)| PoolEntry { app_no: draw::app_no(n), college }).collect())
}

/// The rule as stored (the table's check allows only the four names).
fn quota_rule(e: &EventLock) -> QuotaRule {
    QuotaRule::parse(&e.quota_rule).unwrap_or(QuotaRule::None)
}

/// Why a draw cannot run yet, as a catalogue key; `None` when it can.
pub fn draw_blocked(
    witnesses: &[queries::Witness],
    reveal_deadline: DateTime<Utc>,
    public_value_needed: bool,
    public_value: &str,
    now: DateTime<Utc>,
) -> Option<&'static str> {
    let committed = witnesses.iter().filter(|w| w.commitment.is_some()).count();
    let revealed = witnesses.iter().filter(|w| w.secret.is_some()).count();
    if committed < 2 {
        Some("events.draw.too_few_witnesses")
    } else if revealed < committed && now < reveal_deadline {
        Some("events.draw.waiting_for_reveals")
    } else if revealed == 0 {
        Some("events.draw.no_reveal")
    } else if public_value_needed && public_value.trim().is_empty() {
        Some("events.draw.public_value_needed")
    } else {
        None
    }
}

/// Who runs a draw, for its audit entry (in the draw's own transaction): user and department.
pub type DrawnBy = (i64, i64);

/// Run the draw once and store it; everyone in the pool is told their result.
pub async fn run_draw(
    db: &PgPool,
    event_id: i64,
    public_value: Option<&str>,
    (actor, department): DrawnBy,
) -> AppResult<draw::Draw> {
    let mut tx = db.begin().await?;
    let e = queries::lock_event(&mut tx, event_id).await?.ok_or(AppError::NotFound)?;
    if e.drawn_at.is_some() {
        return Err(AppError::Conflict("error.409.already_drawn"));
    }
    let (pool, _, quotas) =
        queries::fetch_pool(&mut *tx, event_id).await?.ok_or(AppError::Conflict("error.409.pool_not_frozen"))?;
    let quotas: BTreeMap<String, i32> = serde_json::from_value(quotas).map_err(|e| AppError::Internal(e.into()))?;
    let entries = pool_entries(&mut tx, event_id).await?;
    // The pool published is the pool drawn: the rows may not have changed since the freeze.
    if draw::pool_file(&entries) != pool {
        return Err(AppError::Internal(anyhow::anyhow!("event {event_id}: the pool changed after it was frozen")));
    }
    let commitments: Vec<Commitment> = queries::list_witnesses(&mut *tx, event_id)
        .await?
        .into_iter()
        .filter_map(|w| Some(Commitment { witness: w.label, commitment: w.commitment?, secret: w.secret }))
        .collect();
    let rule = quota_rule(&e);
    let input = DrawInput {
        event_id,
        places: e.places,
        quota_rule: rule,
        quotas,
        entries: &entries,
        commitments,
        public_value: public_value.map(str::to_string),
    };
    let result = draw::run(input);
    let json = serde_json::to_value(&result).map_err(|e| AppError::Internal(e.into()))?;
    if !queries::update_drawn(&mut tx, event_id, public_value, &json).await? {
        return Err(AppError::Conflict("error.409.already_drawn"));
    }
    apply_outcome(&mut tx, event_id, &e, &result).await?;
    let facts = serde_json::json!({ "pool_hash": result.pool_hash, "seed": result.seed,
                                    "selected": result.selected.len(), "waiting": result.waiting.len() });
    let id = event_id.to_string();
    audit::record(&mut *tx, Some(actor), Some(department), Action::EventDraw, "event", &id, None, Some(facts)).await?;
    let told = crate::robots::messages::event_drawn(event_id, &e.title, result.selected.len(), result.waiting.len());
    crate::robots::announce(&mut *tx, crate::robots::Topic::Events, Some(department), &told).await?;
    tx.commit().await?;
    Ok(result)
}

/// Statuses from the draw; then places of those who withdrew after the close move on.
async fn apply_outcome(tx: &mut PgConnection, event_id: i64, e: &EventLock, d: &draw::Draw) -> AppResult<()> {
    let mut numbers = vec![];
    let mut ranks = vec![];
    let mut chosen = vec![];
    for (i, r) in d.order.iter().enumerate() {
        numbers.push(draw::app_number(&r.app_no).unwrap_or(0));
        ranks.push(i as i32 + 1);
        chosen.push(d.selected.contains(&r.app_no));
    }
    let by = confirm_deadline(Utc::now(), e.confirm_hours, e.starts_at);
    let outcome = queries::update_drawn_statuses(tx, event_id, &numbers, &ranks, &chosen, by).await?;
    let link = format!("/events/{event_id}");
    let of = |status: &str| outcome.iter().filter(|(_, s)| s == status).map(|(u, _)| *u).collect::<Vec<_>>();
    notify(&mut *tx, &of("selected"), None, "notify.events.selected", &e.title, &link).await?;
    notify(&mut *tx, &of("waiting"), None, "notify.events.waiting", &e.title, &link).await?;
    let drawn = EventLock { drawn_at: Some(Utc::now()), ..e.clone() };
    move_list_up(tx, event_id, &drawn).await
}
