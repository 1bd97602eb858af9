//! One tap from a finding to the office that handles it: a complaint (a veto finding such
//! as 违禁电器 goes to 安全, other findings to 宿舍) or a repair request for damage (后勤).
//! Both are complaints filed by the inspector (named, private) through the portal's own
//! filing, with the deductions' photos, linked to the result so that a second tap opens the
//! one already filed.

use axum::{extract::State, response::Response, Form};
use serde_json::json;

use super::room::Sheet;
use crate::{
    app::AppState,
    audit::{self, Action},
    complaints::{self, NewComplaintValues},
    error::{AppError, AppResult},
    inspections::{
        model::Outcome,
        paths::RoundRoomPath,
        queries::{
            results::{self, Saved, SavedDeduction},
            scores,
        },
    },
    uploads::{self, StoredPhoto},
    web::{context::redirect_with_flash, CurrentUser, Layout, Path},
};

/// What a tap files.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReportKind {
    Complaint,
    Repair,
}

impl ReportKind {
    pub const ALL: [ReportKind; 2] = [ReportKind::Complaint, ReportKind::Repair];

    pub fn key(self) -> &'static str {
        match self {
            ReportKind::Complaint => "complaint",
            ReportKind::Repair => "repair",
        }
    }

    fn parse(key: &str) -> Option<ReportKind> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Its catalogue keys: the button, the link once filed, the complaint's title, the flash.
    pub fn keys(self) -> [&'static str; 4] {
        match self {
            ReportKind::Complaint => [
                "inspections.scoring.complaint.button",
                "inspections.scoring.complaint.filed",
                "inspections.scoring.complaint.title",
                "flash.inspections.scoring.complaint.filed",
            ],
            ReportKind::Repair => [
                "inspections.scoring.repair.button",
                "inspections.scoring.repair.filed",
                "inspections.scoring.repair.title",
                "flash.inspections.scoring.repair.filed",
            ],
        }
    }

    /// The complaint category that reaches the handling office.
    fn category(self, vetoed: bool) -> &'static str {
        match (self, vetoed) {
            (ReportKind::Complaint, true) => "safety",
            (ReportKind::Complaint, false) => "dorm",
            (ReportKind::Repair, _) => "logistics",
        }
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ReportForm {
    kind: String,
}

/// At most `max` characters, for the complaint's one-line fields.
fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// The complaint, in the inspector's language: veto findings first in the title; the
/// kind's category when the union has it, else the first.
fn complaint_values(
    layout: &Layout,
    kind: ReportKind,
    sheet: &Sheet,
    (saved, found): (&Saved, &[SavedDeduction]),
    categories: &[complaints::queries::Category],
) -> AppResult<NewComplaintValues> {
    let slug = kind.category(saved.vetoed);
    let category = categories.iter().find(|c| c.slug == slug).or(categories.first());
    let category = category.ok_or_else(|| anyhow::anyhow!("no complaint category"))?;
    let item = |id: i64| sheet.items.iter().find(|i| i.item_id == id);
    let veto = |d: &&SavedDeduction| item(d.item_id).is_some_and(|i| i.veto);
    let headline: Vec<&str> =
        found.iter().filter(veto).chain(found.iter().filter(|d| !veto(d))).map(|d| d.reason.as_str()).collect();
    let room = format!("{}{}", sheet.room.building, sheet.room.room_number);
    let title = layout.tf(kind.keys()[2], &[("room", &room), ("finding", &headline.join("、"))]);
    let mut body =
        layout.tf("inspections.scoring.report.body", &[("day", &layout.date(&sheet.round.held_on)), ("room", &room)]);
    for d in found {
        let name = item(d.item_id).map_or("", |i| i.name.as_str());
        body.push_str(&format!("\n· {name}：−{} {}", d.points, d.reason));
    }
    if !saved.note.is_empty() {
        body.push_str(&format!("\n{}", saved.note));
    }
    Ok(NewComplaintValues {
        category_id: category.category_id,
        department_id: category.department_id,
        title: clip(&title, 80),
        location: clip(&format!("{} {}", sheet.room.building, sheet.room.room_number), 100),
        description: clip(&body, 5000),
        is_public: false,
        is_anonymous: false,
    })
}

/// The room's saved result when it has something to report, and its deductions.
async fn findings(state: &AppState, sheet: &Sheet) -> AppResult<(Saved, Vec<SavedDeduction>)> {
    let (round_id, user_id) = (sheet.round.round_id, sheet.user_id);
    let saved = results::fetch_result(&state.db, round_id, user_id, sheet.room.room_id).await?;
    let nothing = AppError::Conflict("inspections.scoring.nothing_to_report");
    let saved = saved.filter(|s| s.outcome == Outcome::Scored.key()).ok_or(nothing)?;
    let found = results::list_deductions(&state.db, round_id, user_id, saved.result_id).await?;
    if !saved.vetoed && found.is_empty() {
        return Err(AppError::Conflict("inspections.scoring.nothing_to_report"));
    }
    Ok((saved, found))
}

/// Copies of the deductions' photos for the complaint: the inspection keeps its own, so
/// deleting either record never takes the other's photos.
async fn copied_photos(state: &AppState, sheet: &Sheet, result_id: i64) -> AppResult<Vec<StoredPhoto>> {
    let names = scores::list_deduction_photos(&state.db, sheet.round.round_id, sheet.user_id, result_id).await?;
    let storage = &state.config.storage;
    let mut copies = vec![];
    for (full, thumb) in names {
        match uploads::copy(storage, &full, &thumb).await {
            Ok(copy) => copies.push(copy),
            Err(e) => {
                uploads::remove_all(storage, &copies).await;
                return Err(AppError::Internal(e.into()));
            }
        }
    }
    Ok(copies)
}

fn to_complaint(kind: ReportKind, no: &str) -> Response {
    redirect_with_flash(&format!("/complaints/{no}"), kind.keys()[3], Some(no))
}

#[tracing::instrument(skip_all, fields(round_id, room_id))]
pub async fn report_finding(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    Path(RoundRoomPath { round_id, room_id }): Path<RoundRoomPath>,
    Form(form): Form<ReportForm>,
) -> AppResult<Response> {
    let kind = ReportKind::parse(&form.kind).ok_or(AppError::BadRequest)?;
    let sheet = Sheet::load(&state, user.user_id, round_id, room_id).await?;
    let (saved, found) = findings(&state, &sheet).await?;
    let filed = scores::list_reports(&state.db, round_id, user.user_id, saved.result_id).await?;
    if let Some(report) = filed.iter().find(|r| r.kind == kind.key()) {
        return Ok(to_complaint(kind, &report.tracking_no));
    }
    let categories = complaints::queries::categories(&state).await?;
    let values = complaint_values(&layout, kind, &sheet, (&saved, &found), &categories)?;
    let photos = copied_photos(&state, &sheet, saved.result_id).await?;
    let filing = complaints::file_complaint(&state, user.user_id, &values, &photos).await;
    let (complaint_id, no) = match filing {
        Ok(filed) => filed,
        Err(e) => {
            uploads::remove_all(&state.config.storage, &photos).await;
            return Err(e);
        }
    };
    scores::insert_report(&state.db, saved.result_id, kind.key(), complaint_id, user.user_id).await?;
    let after = json!({ "kind": kind.key(), "tracking_no": no, "round_id": round_id, "room_id": room_id });
    let (object, dept) = (saved.result_id.to_string(), Some(sheet.round.department_id));
    let action = Action::InspectionReport;
    audit::record(&state.db, Some(user.user_id), dept, action, "inspection_result", &object, None, Some(after)).await?;
    Ok(to_complaint(kind, &no))
}
