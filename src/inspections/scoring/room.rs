//! One room's score sheet: a small form for a phone, no JavaScript. Saving goes straight to
//! the next room in walking order; a sheet saved meanwhile by another inspector comes back
//! as a conflict showing their result, never overwritten in silence.

use askama::Template;
use axum::{
    extract::{Multipart, State},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};

use super::{
    form::{ScoreForm, SheetErrors},
    report::ReportKind,
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    inspections::{
        model,
        paths::RoundRoomPath,
        queries::{
            self,
            results::{self, Room, Round, Saved},
            scores, Item,
        },
    },
    web::{context::redirect_with_flash, render, CurrentUser, FormErrors, Layout, Path},
};

/// A preset reason as a checkbox.
pub struct PresetRow {
    pub index: usize,
    pub points: i32,
    pub text: String,
    pub checked: bool,
}

/// One rubric item's line of the sheet.
pub struct ItemRow {
    pub item_id: i64,
    pub name: String,
    pub max_points: i32,
    pub veto: bool,
    pub presets: Vec<PresetRow>,
    pub custom_points: String,
    pub custom_reason: String,
    pub error: Option<&'static str>,
    /// A photo saved earlier stays unless another is chosen.
    pub has_photo: bool,
}

/// A one-tap report: its complaint's number once filed, else a button while there is
/// something to report.
pub struct ReportLink {
    pub kind: &'static str,
    pub button: &'static str,
    pub filed: &'static str,
    pub tracking_no: Option<String>,
}

impl ReportLink {
    fn all(filed: &[scores::FiledReport], can_report: bool) -> Vec<ReportLink> {
        let link = |kind: ReportKind| ReportLink {
            kind: kind.key(),
            button: kind.keys()[0],
            filed: kind.keys()[1],
            tracking_no: filed.iter().find(|f| f.kind == kind.key()).map(|f| f.tracking_no.clone()),
        };
        ReportKind::ALL.into_iter().map(link).filter(|l| can_report || l.tracking_no.is_some()).collect()
    }
}

#[derive(Template)]
#[template(path = "inspections/scoring/room.html")]
struct SheetPage {
    layout: Layout,
    round: Round,
    room: Room,
    items: Vec<ItemRow>,
    outcome: String,
    note: String,
    revision: String,
    errors: FormErrors,
    saved: Option<Saved>,
    /// Another inspector saved this room after the form was loaded.
    conflict: bool,
    /// The sheet came back after a post: chosen photos must be chosen again.
    posted: bool,
    /// The one-tap reports, filed or to file.
    reports: Vec<ReportLink>,
}

/// The round, room and rubric a sheet is about; 404 unless the viewer inspects the round.
pub struct Sheet {
    pub user_id: i64,
    pub round: Round,
    pub room: Room,
    pub items: Vec<Item>,
}

impl Sheet {
    pub async fn load(state: &AppState, user_id: i64, round_id: i64, room_id: i64) -> AppResult<Sheet> {
        let mut conn = state.db.acquire().await?;
        let round = results::fetch_round(&mut *conn, round_id, user_id).await?.ok_or(AppError::NotFound)?;
        let room = results::fetch_room(&mut *conn, round_id, user_id, room_id).await?.ok_or(AppError::NotFound)?;
        let items = results::list_round_items(&mut *conn, round_id, user_id).await?;
        Ok(Sheet { user_id, round, room, items })
    }

    pub async fn boundaries(&self, state: &AppState) -> AppResult<model::Boundaries> {
        let rubric = queries::rubric(&state.db, self.round.rubric_id).await?;
        Ok(rubric.ok_or_else(|| anyhow::anyhow!("round without its rubric"))?.boundaries())
    }
}

fn rows(items: &[Item], form: &ScoreForm, errors: &SheetErrors, photos: &[i64]) -> Vec<ItemRow> {
    items
        .iter()
        .zip(&form.items)
        .map(|(item, input)| ItemRow {
            item_id: item.item_id,
            name: item.name.clone(),
            max_points: item.max_points,
            veto: item.veto,
            presets: (item.reasons.iter().enumerate())
                .filter_map(|(index, r)| {
                    let (points, text) = model::parse_reason(r)?;
                    Some(PresetRow { index, points, text: text.into(), checked: input.presets.contains(&index) })
                })
                .collect(),
            custom_points: input.custom_points.clone(),
            custom_reason: input.custom_reason.clone(),
            error: errors.item(item.item_id),
            has_photo: photos.contains(&item.item_id),
        })
        .collect()
}

/// The sheet's page: as saved (`form: None`) or as typed, with its errors.
pub async fn page(
    state: &AppState,
    layout: Layout,
    sheet: Sheet,
    form: Option<ScoreForm>,
    errors: SheetErrors,
    conflict: bool,
) -> AppResult<Response> {
    let Sheet { user_id, round, room, items } = sheet;
    let mut conn = state.db.acquire().await?;
    let saved = results::fetch_result(&mut *conn, round.round_id, user_id, room.room_id).await?;
    let (deductions, filed) = match &saved {
        Some(s) => (
            results::list_deductions(&mut *conn, round.round_id, user_id, s.result_id).await?,
            scores::list_reports(&mut *conn, round.round_id, user_id, s.result_id).await?,
        ),
        None => (vec![], vec![]),
    };
    drop(conn);
    let posted = form.is_some();
    let mut form = form.unwrap_or_else(|| match &saved {
        Some(s) => ScoreForm::from_saved(&s.outcome, &s.note, s.revision, &deductions, &items),
        None => ScoreForm::from_saved("scored", "", 0, &[], &items),
    });
    if conflict {
        // Saving again is a choice made with the other result in view.
        form.revision = saved.as_ref().map_or(0, |s| s.revision).to_string();
    }
    let photos: Vec<i64> = deductions.iter().filter(|d| d.has_photo).map(|d| d.item_id).collect();
    let can_report = saved.as_ref().is_some_and(|s| s.vetoed) || !deductions.is_empty();
    let reports = ReportLink::all(&filed, can_report);
    let status = match (conflict, errors.is_empty()) {
        (true, _) => StatusCode::CONFLICT,
        (false, false) => StatusCode::UNPROCESSABLE_ENTITY,
        (false, true) => StatusCode::OK,
    };
    let items = rows(&items, &form, &errors, &photos);
    let page = SheetPage {
        layout,
        round,
        room,
        items,
        outcome: form.outcome,
        note: form.note,
        revision: form.revision,
        errors: errors.form,
        saved,
        conflict,
        posted,
        reports,
    };
    Ok((status, Html(render(page)?)).into_response())
}

pub async fn show_sheet(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    Path(RoundRoomPath { round_id, room_id }): Path<RoundRoomPath>,
) -> AppResult<Response> {
    let sheet = Sheet::load(&state, user.user_id, round_id, room_id).await?;
    page(&state, layout, sheet, None, SheetErrors::default(), false).await
}

#[tracing::instrument(skip_all, fields(round_id, room_id))]
pub async fn save_sheet(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    Path(RoundRoomPath { round_id, room_id }): Path<RoundRoomPath>,
    multipart: Multipart,
) -> AppResult<Response> {
    let sheet = Sheet::load(&state, user.user_id, round_id, room_id).await?;
    if sheet.round.published {
        return Err(AppError::Conflict("inspections.scoring.published"));
    }
    let (fields, files) = match crate::uploads::read_multipart_files(multipart, |n| n.starts_with("photo_")).await {
        Ok(read) => read,
        Err(rejection) => return Ok(rejection),
    };
    let form = ScoreForm::read(fields, &sheet.items);
    let parsed = form.parse(&sheet.items, sheet.boundaries(&state).await?);
    let photos = super::save::photos_by_item(&state, user.user_id, &sheet.items, files, parsed.as_ref().ok()).await?;
    let (values, photos) = match (parsed, photos) {
        (Ok(values), Ok(photos)) => (values, photos),
        (parsed, photos) => {
            let mut errors = parsed.err().unwrap_or_default();
            if let Err(e) = photos {
                errors.merge(e);
            }
            let limited = errors.form.get("photos") == Some("form.rate_limited");
            let mut response = page(&state, layout, sheet, Some(form), errors, false).await?;
            if limited {
                *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            }
            return Ok(response);
        }
    };
    match super::save::save(&state, &sheet, &values, photos).await? {
        super::save::Saved::Conflict => page(&state, layout, sheet, Some(form), SheetErrors::default(), true).await,
        super::save::Saved::Done => {
            let r = &sheet.room;
            let next = results::fetch_next_room(&state.db, round_id, user.user_id, r).await?;
            let to = match next {
                Some(next) => format!("/inspect/rounds/{round_id}/rooms/{next}"),
                None => format!("/inspect/rounds/{round_id}?building={}&floor={}", r.building_id, r.floor),
            };
            let saved = format!("{}{}", r.building, r.room_number);
            Ok(redirect_with_flash(&to, "flash.inspections.scoring.saved", Some(&saved)))
        }
    }
}
