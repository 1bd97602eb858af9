//! At the door and after: organisers find a student holding a place by their 学号 or the
//! code on the student's own page and mark them present (on a phone); the applications
//! export as CSV or XLSX, student numbers masked (the list at the door needs the code,
//! not the number).

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, Response},
};
use chrono::Utc;
use serde::Deserialize;
use serde_json::json;

use super::{audit_step, base, own_event};
use crate::{
    app::AppState,
    audit::Action,
    error::AppResult,
    events::{
        model::status_key,
        paths::{AttendancePath, EventPath},
        queries::{self, ApplicationRow, Event},
    },
    lost_found::model::mask_number,
    web::{
        context::redirect_with_flash,
        export::{self, download},
        forms::one_line,
        render, DeptAccess, Lang, Layout, Path,
    },
};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FindQuery {
    /// A student number or a door code.
    q: String,
}

#[derive(Template)]
#[template(path = "events/attendance.html")]
struct AttendancePage {
    layout: Layout,
    access: DeptAccess,
    e: Event,
    q: String,
    found: Vec<ApplicationRow>,
    /// Present so far, of those holding a place.
    present: usize,
    holding: usize,
}

impl AttendancePage {
    fn count_text(&self) -> String {
        let (present, holding) = (self.present.to_string(), self.holding.to_string());
        self.layout.tf("events.attendance.count", &[("present", &present), ("holding", &holding)])
    }
}

pub async fn attendance(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<EventPath>,
    Query(f): Query<FindQuery>,
) -> AppResult<Html<String>> {
    let e = own_event(&state, &access, p.event_id).await?;
    let q = one_line(&f.q, 20, false).unwrap_or_default();
    let found = match q.is_empty() {
        true => vec![],
        false => queries::list_applications(&state.db, e.event_id, Some(&q)).await?,
    };
    let all = queries::list_college_figures(&state.db, e.event_id).await?;
    let present = all.iter().map(|c| c.attended).sum::<i64>() as usize;
    let holding = all.iter().map(|c| c.placed).sum::<i64>() as usize;
    Ok(Html(render(AttendancePage { layout, access, e, q, found, present, holding })?))
}

pub async fn mark_present(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(p): Path<AttendancePath>,
) -> AppResult<Response> {
    let e = own_event(&state, &access, p.event_id).await?;
    let mut tx = state.db.begin().await?;
    let marked = queries::update_attended(&mut tx, e.event_id, p.application_id, access.viewer.user_id).await?;
    if marked {
        let after = json!({ "present": p.application_id });
        audit_step(&mut *tx, &access, Action::EventAttendance, e.event_id, None, after).await?;
    }
    tx.commit().await?;
    let key = if marked { "flash.events.present" } else { "flash.events.not_holding" };
    Ok(redirect_with_flash(&format!("{}/{}/attendance", base(&access), e.event_id), key, None))
}

fn headings(lang: Lang, e: &Event) -> Vec<String> {
    let mut h: Vec<String> = [
        "events.export.app_no",
        "events.export.student_no",
        "events.export.name",
        "events.export.college",
        "events.export.status",
        "events.export.rank",
        "events.export.applied_at",
        "events.export.present",
    ]
    .iter()
    .map(|k| lang.t(k).into_owned())
    .collect();
    h.extend(e.questions.iter().cloned());
    h
}

fn cells(lang: Lang, a: &ApplicationRow, now: chrono::DateTime<Utc>, e: &Event) -> Vec<String> {
    let local =
        |t: &chrono::DateTime<Utc>| t.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%d %H:%M").to_string();
    let present = match a.attended_at {
        Some(t) => local(&t),
        // Holding a place at an event that has begun, and not seen at the door: a no-show.
        None if now >= e.starts_at && matches!(a.status.as_str(), "selected" | "confirmed") => {
            lang.t("events.no_show").into_owned()
        }
        None => String::new(),
    };
    let mut row = vec![
        a.app_no(),
        mask_number(&a.student_no),
        a.name.clone(),
        a.college.clone(),
        lang.t(status_key(&a.status)).into_owned(),
        a.rank.map(|r| r.to_string()).unwrap_or_default(),
        local(&a.applied_at),
        present,
    ];
    row.extend(a.answers.iter().cloned());
    row
}

/// The rows of an export, its audit entry written as it leaves.
async fn export_rows(
    state: &AppState,
    access: &DeptAccess,
    e: &Event,
    lang: Lang,
    format: &str,
) -> AppResult<Vec<Vec<String>>> {
    let rows = queries::list_applications(&state.db, e.event_id, None).await?;
    audit_step(
        &state.db,
        access,
        Action::EventExport,
        e.event_id,
        None,
        json!({ "format": format, "rows": rows.len() }),
    )
    .await?;
    let now = Utc::now();
    Ok(rows.iter().map(|a| cells(lang, a, now, e)).collect())
}

pub async fn export_csv(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<EventPath>,
) -> AppResult<Response> {
    let e = own_event(&state, &access, p.event_id).await?;
    let rows = export_rows(&state, &access, &e, layout.lang, "csv").await?;
    let body = export::csv(&headings(layout.lang, &e), &rows)?;
    Ok(download("text/csv; charset=utf-8", format!("event-{}.csv", e.event_id), body))
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<EventPath>,
) -> AppResult<Response> {
    let e = own_event(&state, &access, p.event_id).await?;
    let rows = export_rows(&state, &access, &e, layout.lang, "xlsx").await?;
    let sheet = layout.lang.t("events.export.sheet").into_owned();
    let body = export::xlsx(sheet, headings(layout.lang, &e), rows).await?;
    Ok(download(export::XLSX, format!("event-{}.xlsx", e.event_id), body))
}
