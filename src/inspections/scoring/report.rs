//! One tap from a finding to the handling department: a complaint filed by the inspector
//! (named, private), through the portal's own filing, linked to the result so that a second
//! tap opens the complaint already filed.

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
    web::{context::redirect_with_flash, CurrentUser, Layout, Path},
};

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ReportForm {
    kind: String,
}

/// At most `max` characters, for the complaint's one-line fields.
fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// The complaint, in the inspector's language: veto findings first in the title; the dorm
/// category when the union has one (宿舍), else the first.
fn complaint_values(
    layout: &Layout,
    sheet: &Sheet,
    found: &[SavedDeduction],
    note: &str,
    categories: &[complaints::queries::Category],
) -> AppResult<NewComplaintValues> {
    let category = categories.iter().find(|c| c.slug == "dorm").or(categories.first());
    let category = category.ok_or_else(|| anyhow::anyhow!("no complaint category"))?;
    let item = |id: i64| sheet.items.iter().find(|i| i.item_id == id);
    let veto = |d: &&SavedDeduction| item(d.item_id).is_some_and(|i| i.veto);
    let headline: Vec<&str> =
        found.iter().filter(veto).chain(found.iter().filter(|d| !veto(d))).map(|d| d.reason.as_str()).collect();
    let room = format!("{}{}", sheet.room.building, sheet.room.room_number);
    let title = layout.tf("inspections.scoring.report.title", &[("room", &room), ("finding", &headline.join("、"))]);
    let mut body =
        layout.tf("inspections.scoring.report.body", &[("day", &layout.date(&sheet.round.held_on)), ("room", &room)]);
    for d in found {
        let name = item(d.item_id).map_or("", |i| i.name.as_str());
        body.push_str(&format!("\n· {name}：−{} {}", d.points, d.reason));
    }
    if !note.is_empty() {
        body.push_str(&format!("\n{note}"));
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

fn to_complaint(no: &str) -> Response {
    redirect_with_flash(&format!("/complaints/{no}"), "flash.inspections.scoring.reported", Some(no))
}

#[tracing::instrument(skip_all, fields(round_id, room_id))]
pub async fn report_finding(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    Path(RoundRoomPath { round_id, room_id }): Path<RoundRoomPath>,
    Form(form): Form<ReportForm>,
) -> AppResult<Response> {
    if form.kind != "complaint" {
        return Err(AppError::BadRequest);
    }
    let sheet = Sheet::load(&state, user.user_id, round_id, room_id).await?;
    let (saved, found) = findings(&state, &sheet).await?;
    if let Some(no) = scores::fetch_report(&state.db, round_id, user.user_id, saved.result_id, &form.kind).await? {
        return Ok(to_complaint(&no));
    }
    let categories = complaints::queries::categories(&state).await?;
    let values = complaint_values(&layout, &sheet, &found, &saved.note, &categories)?;
    let (complaint_id, no) = complaints::file_complaint(&state, user.user_id, &values, &[]).await?;
    scores::insert_report(&state.db, saved.result_id, &form.kind, complaint_id, user.user_id).await?;
    let after = json!({ "kind": form.kind, "tracking_no": no, "round_id": round_id, "room_id": room_id });
    let (object, dept) = (saved.result_id.to_string(), Some(sheet.round.department_id));
    let action = Action::InspectionReport;
    audit::record(&state.db, Some(user.user_id), dept, action, "inspection_result", &object, None, Some(after)).await?;
    Ok(to_complaint(&no))
}
