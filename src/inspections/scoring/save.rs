//! Saving a sheet: its photos checked and re-encoded (no metadata survives), then the result
//! and its deductions in one transaction over the revision the form was loaded with.

use axum::body::Bytes;
use serde_json::json;

use super::{
    form::{self, SheetErrors},
    room::Sheet,
};
use crate::{
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult},
    inspections::queries::{
        results,
        scores::{self, DeductionRows, NewResult, OldPhoto},
        Item,
    },
    uploads::{self, Processed, StoredPhoto},
    web::forms::FORM,
};

/// The chosen photos, one per item line (`photo_<item id>`), checked and re-encoded. A photo
/// needs a deduction on its line. Nothing is decoded for a sheet that did not parse: its
/// photos must be chosen again anyway. Photos count against the inspector's hourly limit
/// like every upload; a refusal keeps the typed sheet and says so beside the photos.
pub async fn photos_by_item(
    state: &AppState,
    user_id: i64,
    items: &[Item],
    files: Vec<(String, Bytes)>,
    sheet: Option<&form::Sheet>,
) -> AppResult<Result<Vec<(i64, Processed)>, SheetErrors>> {
    let Some(sheet) = sheet else { return Ok(Ok(vec![])) };
    let mut errors = SheetErrors::default();
    let mut chosen = vec![];
    for (name, bytes) in files {
        let item = name.strip_prefix("photo_").and_then(|id| id.parse::<i64>().ok());
        match item.filter(|id| items.iter().any(|i| i.item_id == *id)) {
            None => errors.form.add(FORM, "inspections.scoring.error.unknown_item"),
            Some(id) if !sheet.findings.iter().any(|f| f.item_id == id) => {
                errors.add_item(id, "inspections.scoring.error.photo_alone")
            }
            Some(id) if chosen.iter().any(|(i, _)| *i == id) => {}
            Some(id) => chosen.push((id, bytes)),
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    if !chosen.is_empty() && state.limits.photos.check(&user_id, chosen.len() as u32).await.is_err() {
        errors.form.add("photos", "form.rate_limited");
        return Ok(Err(errors));
    }
    let (ids, bytes): (Vec<i64>, Vec<Bytes>) = chosen.into_iter().unzip();
    match uploads::process_all(bytes, items.len().max(1)).await.map_err(AppError::Internal)? {
        Ok(processed) => Ok(Ok(ids.into_iter().zip(processed).collect())),
        Err(key) => {
            errors.form.add("photos", key);
            Ok(Err(errors))
        }
    }
}

pub enum Saved {
    Done,
    /// Someone saved the room after this form was loaded.
    Conflict,
}

/// Store the photos, then save; a save that does not happen leaves no files behind.
pub async fn save(
    state: &AppState,
    sheet: &Sheet,
    values: &form::Sheet,
    photos: Vec<(i64, Processed)>,
) -> AppResult<Saved> {
    let storage = &state.config.storage;
    let (ids, processed): (Vec<i64>, Vec<Processed>) = photos.into_iter().unzip();
    let stored = uploads::store_all(storage, &processed).await.map_err(|e| AppError::Internal(e.into()))?;
    let new: Vec<(i64, StoredPhoto)> = ids.into_iter().zip(stored.iter().cloned()).collect();
    let done = write(state, sheet, values, &new).await;
    match done {
        Ok(Some(unused)) => {
            for p in unused {
                uploads::remove(storage, &p.photo_name).await;
                uploads::remove(storage, &p.thumb_name).await;
            }
            Ok(Saved::Done)
        }
        other => {
            uploads::remove_all(storage, &stored).await;
            other.map(|_| Saved::Conflict)
        }
    }
}

/// The transaction; `None` on a conflict, else the earlier photos no deduction kept.
async fn write(
    state: &AppState,
    sheet: &Sheet,
    v: &form::Sheet,
    new: &[(i64, StoredPhoto)],
) -> AppResult<Option<Vec<OldPhoto>>> {
    let (round_id, user_id) = (sheet.round.round_id, sheet.user_id);
    let mut tx = state.db.begin().await?;
    // Held to the end: publishing waits, so no draft is saved into a published round.
    if results::lock_unpublished_round(&mut *tx, round_id, user_id).await?.is_none() {
        return Err(AppError::Conflict("inspections.scoring.published"));
    }
    let result = NewResult {
        round_id,
        room_id: sheet.room.room_id,
        outcome: v.outcome.key(),
        score: v.score,
        grade: v.grade.map(|g| g.key()),
        vetoed: v.vetoed,
        note: &v.note,
        inspector_id: user_id,
    };
    let saved = match v.revision {
        0 => scores::insert_result(&mut *tx, &result).await?,
        revision => scores::update_result(&mut *tx, &result, revision).await?,
    };
    let Some(result_id) = saved else { return Ok(None) };
    let old = scores::delete_deductions(&mut *tx, result_id).await?;
    let (rows, unused) = deduction_rows(&v.findings, new, old);
    scores::insert_deductions(&mut *tx, result_id, &rows).await?;
    let after = json!({
        "round_id": round_id, "room": format!("{}{}", sheet.room.building, sheet.room.room_number),
        "outcome": result.outcome, "score": v.score, "grade": result.grade, "vetoed": v.vetoed,
        "deductions": v.findings.len(),
    });
    let object = result_id.to_string();
    let dept = Some(sheet.round.department_id);
    audit::record(
        &mut *tx,
        Some(user_id),
        dept,
        Action::InspectionScore,
        "inspection_result",
        &object,
        None,
        Some(after),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(unused))
}

/// The rows to insert: each item's first deduction carries its new photo, or else the photo
/// it had before; the earlier photos left over are returned to be removed.
fn deduction_rows(
    findings: &[form::Finding],
    new: &[(i64, StoredPhoto)],
    old: Vec<OldPhoto>,
) -> (DeductionRows, Vec<OldPhoto>) {
    let mut rows = DeductionRows::default();
    let mut kept = vec![];
    for (n, f) in findings.iter().enumerate() {
        let first = !findings[..n].iter().any(|g| g.item_id == f.item_id);
        let fresh = new.iter().find(|(id, _)| *id == f.item_id).map(|(_, p)| (p.0.clone(), p.1.clone()));
        let earlier = old.iter().position(|p| p.item_id == f.item_id).filter(|_| fresh.is_none());
        let photo = match (first, fresh, earlier) {
            (true, Some(p), _) => Some(p),
            (true, None, Some(i)) => {
                kept.push(i);
                Some((old[i].photo_name.clone(), old[i].thumb_name.clone()))
            }
            _ => None,
        };
        rows.item_ids.push(f.item_id);
        rows.points.push(f.points);
        rows.reasons.push(f.reason.clone());
        rows.photos.push(photo.as_ref().map(|p| p.0.clone()));
        rows.thumbs.push(photo.map(|p| p.1));
    }
    let unused = old.into_iter().enumerate().filter(|(i, _)| !kept.contains(i)).map(|(_, p)| p).collect();
    (rows, unused)
}
