//! `/api/v1/commitments`: the public commitments board, from the board's own query and in
//! its order (open ones first, by due date), with each one's latest update as its page shows
//! it. Who answers for a commitment (its owner) is for the staff pages and is left out.

use axum::extract::{Query, State};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::http::{next_url, ApiError, ApiResult, ErrorBody, Origin, Page, Paging};
use crate::{
    app::AppState,
    reception::{
        model::CommitmentStatus,
        public::parse_cursor,
        queries::{self, Commitment, CommitmentFilter, LatestUpdate},
    },
    web::forms::{next_cursor, today},
};

/// The board's states, as its filter offers them.
const STATES: [&str; 4] = ["pending", "in_progress", "done", "overdue"];

#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct BoardParams {
    /// Who promised: a school office's id, or `union` for what union departments promised themselves.
    office: String,
    /// pending, in_progress, done or overdue (as the board counts them today).
    status: String,
    cursor: String,
    per_page: String,
}

/// A commitment's latest update.
#[derive(Serialize, ToSchema)]
pub struct CommitmentUpdate {
    pub body: String,
    /// pending, in_progress or done: the status the update set.
    pub status_after: String,
    pub at: DateTime<Utc>,
}

/// A commitment as the board shows it.
#[derive(Serialize, ToSchema)]
pub struct CommitmentItem {
    pub commitment_id: i64,
    /// What was promised.
    pub what: String,
    /// pending, in_progress, overdue, done or done_late, as of today (Asia/Shanghai).
    pub state: String,
    /// Who promised it: a school office, or the union department that keeps it.
    pub by_zh: String,
    pub by_en: String,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
    /// The reception day it was made at (its code), if it was made at one.
    pub session_code: Option<String>,
    /// The public complaint it answers, if it was made on one's page and that complaint is public.
    pub complaint_no: Option<String>,
    pub updates: i64,
    pub latest_update: Option<CommitmentUpdate>,
    pub url: String,
}

/// The board's commitments with their latest updates (one statement for the page's updates).
pub(super) async fn items(state: &AppState, origin: &str, rows: Vec<Commitment>) -> ApiResult<Vec<CommitmentItem>> {
    let ids: Vec<i64> = rows.iter().map(|c| c.commitment_id).collect();
    let mut latest = queries::list_latest_updates(&state.db, &ids).await?;
    let today = today();
    Ok(rows
        .into_iter()
        .map(|c| {
            let update = latest.iter().position(|u| u.commitment_id == c.commitment_id).map(|i| latest.swap_remove(i));
            item(origin, c, update, &today)
        })
        .collect())
}

fn item(origin: &str, c: Commitment, update: Option<LatestUpdate>, today: &NaiveDate) -> CommitmentItem {
    CommitmentItem {
        url: format!("{origin}/commitments/{}", c.commitment_id),
        state: c.state(today).to_string(),
        latest_update: update.map(|u| CommitmentUpdate {
            body: u.body,
            status_after: u.status_after.as_str().to_string(),
            at: u.created_at,
        }),
        commitment_id: c.commitment_id,
        what: c.what,
        by_zh: c.by_zh,
        by_en: c.by_en,
        due_on: c.due_on,
        done_on: c.done_on,
        session_code: c.session_code,
        complaint_no: c.complaint_no,
        updates: c.updates,
    }
}

/// The board: open commitments first by due date, then the done ones.
#[utoipa::path(get, path = "/api/v1/commitments", tag = "reception", params(BoardParams),
    responses((status = 200, body = Page<CommitmentItem>), (status = 400, body = ErrorBody)))]
pub async fn list_commitments(
    State(state): State<AppState>,
    Origin(origin): Origin,
    Query(p): Query<BoardParams>,
) -> ApiResult<Page<CommitmentItem>> {
    let paging = Paging { cursor: p.cursor.clone(), per_page: p.per_page.clone() };
    let per_page = paging.per_page()?;
    let after = paging.cursor(parse_cursor::<NaiveDate>)?;
    let office_id = match p.office.as_str() {
        "" | "union" => None,
        o => Some(o.parse().map_err(|_| ApiError::BadParam { field: "office", key: "api.error.office" })?),
    };
    let status = match p.status.as_str() {
        "" => None,
        s => Some(
            STATES
                .into_iter()
                .find(|k| *k == s)
                .ok_or(ApiError::BadParam { field: "status", key: "api.error.status" })?,
        ),
    };
    let filter = CommitmentFilter {
        office_id,
        by_union: p.office == "union",
        state: status,
        after,
        limit: per_page,
        ..CommitmentFilter::default()
    };
    let rows = queries::find_commitments(&state.db, &filter).await?;
    let cursor = next_cursor(&rows, per_page, |c| {
        format!("{}_{}_{}", u8::from(c.status == CommitmentStatus::Done), c.due_on, c.commitment_id)
    });
    let query = [("office", p.office.as_str()), ("status", &p.status), ("per_page", &p.per_page)];
    let next = next_url(&origin, "/api/v1/commitments", &query, cursor);
    Ok(Page { items: items(&state, &origin, rows).await?, per_page, next })
}
