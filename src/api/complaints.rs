//! `/api/v1/complaints`: the public board and one public complaint with its public
//! timeline, from the queries the board and the complaint's page use. A private
//! complaint is 404 whoever asks (the API reads no session); an anonymous reporter's
//! name is never in it, as on the page.

use axum::{
    extract::{Query, State},
    Json,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::http::{next_url, ApiError, ApiResult, ErrorBody, Origin, Page, Paging};
use crate::{
    app::AppState,
    complaints::{queries, status::ComplaintStatus, ComplaintPath},
    web::{forms, Path},
};

#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct BoardParams {
    /// A status: submitted, accepted, rejected, forwarded, responded, resolved.
    status: String,
    /// A category's slug (as `/api/v1/complaints` items' `category_slug`).
    category: String,
    /// A school office's id.
    office: String,
    /// Search words; results are one page, best first, with no `next`.
    q: String,
    /// From a previous page's `next`.
    cursor: String,
    /// 1 to 100 (30 when not given).
    per_page: String,
}

/// One complaint of the public board.
#[derive(Serialize, ToSchema)]
pub struct ComplaintSummary {
    pub tracking_no: String,
    pub title: String,
    pub category_zh: String,
    pub category_en: String,
    pub status: String,
    pub office_zh: Option<String>,
    pub office_en: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Whole days from filing to the first public reply, when there was one.
    pub days_to_reply: Option<i64>,
    pub supporters: i64,
    /// The complaint's page.
    pub url: String,
}

/// The public board, newest first.
#[utoipa::path(get, path = "/api/v1/complaints", tag = "complaints", params(BoardParams),
    responses((status = 200, body = Page<ComplaintSummary>), (status = 400, body = ErrorBody)))]
pub async fn list_complaints(
    State(state): State<AppState>,
    Origin(origin): Origin,
    Query(p): Query<BoardParams>,
) -> ApiResult<Page<ComplaintSummary>> {
    let paging = Paging { cursor: p.cursor.clone(), per_page: p.per_page.clone() };
    let per_page = paging.per_page()?;
    let before = paging.cursor(forms::parse_time_cursor)?;
    let status = match p.status.as_str() {
        "" => None,
        s => Some(ComplaintStatus::parse(s).ok_or(ApiError::BadParam { field: "status", key: "api.error.status" })?),
    };
    let categories = queries::categories(&state).await?;
    let category_id = match forms::lookup_key(&p.category) {
        "" => None,
        slug => Some(
            categories
                .iter()
                .find(|c| c.slug == slug)
                .map(|c| c.category_id)
                .ok_or(ApiError::BadParam { field: "category", key: "api.error.category" })?,
        ),
    };
    let office_id = match p.office.as_str() {
        "" => None,
        o => Some(o.parse().map_err(|_| ApiError::BadParam { field: "office", key: "api.error.office" })?),
    };
    let words = crate::search::query_tokens(&p.q);
    let searching = !words.is_empty();
    let filter = queries::BoardFilter {
        status: status.map(ComplaintStatus::as_str),
        category_id,
        office_id,
        words,
        before: before.filter(|_| !searching),
        limit: per_page,
    };
    let rows = queries::list_public_board(&state.db, &filter).await?;
    let cursor = forms::next_cursor(&rows, per_page, |r| forms::time_cursor(r.created_at, r.complaint_id))
        .filter(|_| !searching);
    let query =
        [("status", p.status.as_str()), ("category", &p.category), ("office", &p.office), ("per_page", &p.per_page)];
    let next = next_url(&origin, "/api/v1/complaints", &query, cursor);
    let items = rows.into_iter().map(|r| summary(&origin, r)).collect();
    Ok(Page { items, per_page, next })
}

fn summary(origin: &str, r: queries::BoardRow) -> ComplaintSummary {
    ComplaintSummary {
        url: format!("{origin}/complaints/{}", r.tracking_no),
        tracking_no: r.tracking_no,
        title: r.title,
        category_zh: r.category_zh,
        category_en: r.category_en,
        status: r.status,
        office_zh: r.office_zh,
        office_en: r.office_en,
        created_at: r.created_at,
        days_to_reply: r.days_to_reply,
        supporters: r.supporters,
    }
}

/// One public complaint as its page shows it to a visitor who is not its reporter.
#[derive(Serialize, ToSchema)]
pub struct ComplaintDetail {
    pub tracking_no: String,
    pub title: String,
    pub status: String,
    pub category_zh: String,
    pub category_en: String,
    pub location: String,
    pub description: String,
    /// The handling department.
    pub department_zh: String,
    pub department_en: String,
    pub office_zh: Option<String>,
    pub office_en: Option<String>,
    /// The reporter's name; null when the complaint was filed anonymously.
    pub reporter: Option<String>,
    /// The channel the union registered it from for a student (Weibo, a meeting…), if any.
    pub channel: Option<String>,
    pub created_at: DateTime<Utc>,
    pub supporters: i64,
    /// The reporter's rating (1 to 5) once they confirmed the resolution.
    pub rating: Option<i16>,
    /// The complaint this one was merged into, when that may be named.
    pub merged_into: Option<String>,
    /// Absolute URLs of the complaint's photos.
    pub photos: Vec<String>,
    pub timeline: Vec<TimelineEvent>,
    pub url: String,
}

/// One public step of a complaint's timeline.
#[derive(Serialize, ToSchema)]
pub struct TimelineEvent {
    /// filed, accepted, status, reply, transferred, forwarded, office_answer, merged, …
    pub kind: String,
    pub to_status: Option<String>,
    /// What was said (for `transferred`: the department it went to).
    pub body: String,
    pub at: DateTime<Utc>,
    pub department_zh: Option<String>,
    pub department_en: Option<String>,
    pub office_zh: Option<String>,
    pub office_en: Option<String>,
    /// The date a school office's plan names.
    pub due_on: Option<NaiveDate>,
    pub by_presidium: bool,
    /// The other complaint of a merge, when it may be named.
    pub ref_no: Option<String>,
}

/// A public complaint; 404 when there is none or it is private.
#[utoipa::path(get, path = "/api/v1/complaints/{tracking_no}", tag = "complaints",
    params(("tracking_no" = String, Path, description = "The tracking number")),
    responses((status = 200, body = ComplaintDetail), (status = 404, body = ErrorBody)))]
pub async fn show_complaint(
    State(state): State<AppState>,
    Origin(origin): Origin,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
) -> ApiResult<Json<ComplaintDetail>> {
    Ok(Json(public_complaint(&state, &origin, &tracking_no).await?))
}

/// The complaint as the API shows it: `None` viewer, so only what everyone may see.
pub(super) async fn public_complaint(state: &AppState, origin: &str, tracking_no: &str) -> ApiResult<ComplaintDetail> {
    let mut conn = state.db.acquire().await?;
    let c = queries::fetch_complaint(&mut *conn, tracking_no).await?.ok_or(ApiError::NotFound)?;
    if !crate::complaints::can_see(&c, None) {
        return Err(ApiError::NotFound);
    }
    let events = queries::list_events(&mut *conn, c.complaint_id, false).await?;
    let photos = queries::list_photos(&mut *conn, c.complaint_id).await?;
    let url = format!("{origin}/complaints/{}", c.tracking_no);
    Ok(ComplaintDetail {
        photos: photos.iter().map(|p| format!("{url}/photos/{}", p.photo_id)).collect(),
        timeline: events.into_iter().map(timeline_event).collect(),
        reporter: (!c.is_anonymous).then_some(c.reporter_name),
        merged_into: c.merged_into.filter(|_| c.merged_into_named),
        tracking_no: c.tracking_no,
        title: c.title,
        status: c.status,
        category_zh: c.category_zh,
        category_en: c.category_en,
        location: c.location,
        description: c.description,
        department_zh: c.dept_zh,
        department_en: c.dept_en,
        office_zh: c.office_zh,
        office_en: c.office_en,
        channel: c.channel,
        created_at: c.created_at,
        supporters: c.supporters,
        rating: c.rating,
        url,
    })
}

fn timeline_event(e: queries::EventRow) -> TimelineEvent {
    TimelineEvent {
        kind: e.kind,
        to_status: e.to_status,
        body: e.body,
        at: e.created_at,
        department_zh: e.dept_zh,
        department_en: e.dept_en,
        office_zh: e.office_zh,
        office_en: e.office_en,
        due_on: e.due_on,
        by_presidium: e.by_presidium,
        ref_no: e.ref_no,
    }
}
