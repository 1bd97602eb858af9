//! Open311 GeoReport v2, read-only: the complaint categories as services and public
//! complaints as service requests (http://wiki.open311.org/GeoReport_v2), so the civic
//! reporting apps that read the standard read the board. Posting requests is not offered.

use axum::{
    extract::{Query, State},
    Json,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    http::{ApiError, ApiResult, ErrorBody, Origin},
    queries::{self, RequestFilter, ServiceRequestRow},
};
use crate::{
    app::AppState,
    complaints::{queries as complaint_queries, status::ComplaintStatus},
    web::Path,
};

/// The longest date range one request may span, and the most requests one answer holds (the spec's defaults).
const MAX_DAYS: i64 = 90;
const MAX_REQUESTS: i64 = 1000;

/// A service: one complaint category.
#[derive(Serialize, ToSchema)]
pub struct Service {
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    /// Always false: no extra attributes are asked.
    pub metadata: bool,
    /// Always "realtime".
    #[serde(rename = "type")]
    pub kind: String,
    pub keywords: String,
    /// The department that handles the category.
    pub group: String,
}

/// The complaint categories as Open311 services.
#[utoipa::path(get, path = "/open311/v2/services.json", tag = "open311",
    responses((status = 200, body = Vec<Service>)))]
pub async fn services(State(state): State<AppState>) -> ApiResult<Json<Vec<Service>>> {
    let categories = complaint_queries::categories(&state).await?;
    let departments = complaint_queries::list_handling_departments(&state.db).await?;
    let services = categories
        .into_iter()
        .map(|c| Service {
            group: departments.iter().find(|d| d.department_id == c.department_id).map_or("", |d| &d.name_zh).into(),
            keywords: format!("{},{}", c.slug, c.name_en),
            service_code: c.slug,
            service_name: c.name_zh,
            description: c.name_en,
            metadata: false,
            kind: "realtime".into(),
        })
        .collect();
    Ok(Json(services))
}

/// A service request: one public complaint.
#[derive(Serialize, ToSchema)]
pub struct ServiceRequest {
    /// The complaint's tracking number.
    pub service_request_id: String,
    /// "open" while the union is working on it, "closed" once rejected, answered or resolved.
    pub status: String,
    /// The latest public word on its timeline.
    pub status_notes: Option<String>,
    pub service_name: String,
    pub service_code: String,
    pub description: String,
    /// The school office it was forwarded to, else the handling department.
    pub agency_responsible: String,
    pub service_notice: Option<String>,
    pub requested_datetime: DateTime<Utc>,
    pub updated_datetime: DateTime<Utc>,
    pub expected_datetime: Option<DateTime<Utc>>,
    /// The place as the reporter wrote it.
    pub address: String,
    pub address_id: Option<String>,
    pub zipcode: Option<String>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    /// The first photo, when the complaint's page shows any.
    pub media_url: Option<String>,
    /// The complaint's page (not in the standard; readers ignore it).
    pub url: String,
}

fn service_request(origin: &str, r: ServiceRequestRow) -> ServiceRequest {
    let open = ComplaintStatus::parse(&r.status).is_some_and(ComplaintStatus::is_open);
    let url = format!("{origin}/complaints/{}", r.tracking_no);
    ServiceRequest {
        media_url: r.first_photo_id.map(|id| format!("{url}/photos/{id}")),
        url,
        service_request_id: r.tracking_no,
        status: if open { "open" } else { "closed" }.into(),
        status_notes: r.last_note,
        service_name: r.category_zh,
        service_code: r.category_slug,
        description: format!("{}\n\n{}", r.title, r.description),
        agency_responsible: r.office_zh.unwrap_or(r.dept_zh),
        service_notice: None,
        updated_datetime: r.updated_at.unwrap_or(r.created_at),
        requested_datetime: r.created_at,
        expected_datetime: None,
        address: r.location,
        address_id: None,
        zipcode: None,
        lat: None,
        long: None,
    }
}

#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct RequestParams {
    /// Tracking numbers, comma-separated; the other parameters are then ignored.
    service_request_id: String,
    /// Category slugs, comma-separated (one is usual).
    service_code: String,
    /// Filed at or after (W3C date-time, or YYYY-MM-DD).
    start_date: String,
    /// Filed before (W3C date-time, or YYYY-MM-DD); at most 90 days after start_date.
    end_date: String,
    /// open or closed (comma-separated for both).
    status: String,
}

fn when(field: &'static str, raw: &str) -> ApiResult<Option<DateTime<Utc>>> {
    if raw.is_empty() {
        return Ok(None);
    }
    let bad = ApiError::BadParam { field, key: "api.error.date" };
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return Ok(Some(at.with_timezone(&Utc)));
    }
    let day = NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| bad)?;
    Ok(day.and_hms_opt(0, 0, 0).map(|t| t.and_utc()))
}

fn statuses(raw: &str) -> ApiResult<Option<Vec<String>>> {
    if raw.is_empty() {
        return Ok(None);
    }
    let mut out = vec![];
    for word in raw.split(',').map(str::trim) {
        let open = match word {
            "open" => true,
            "closed" => false,
            _ => return Err(ApiError::BadParam { field: "status", key: "api.error.open311_status" }),
        };
        let matching = ComplaintStatus::ALL.into_iter().filter(|s| s.is_open() == open);
        out.extend(matching.map(|s| s.as_str().to_string()));
    }
    Ok(Some(out))
}

/// Public complaints filed in the last 90 days (or the range asked), newest first, at most 1000.
#[utoipa::path(get, path = "/open311/v2/requests.json", tag = "open311", params(RequestParams),
    responses((status = 200, body = Vec<ServiceRequest>), (status = 400, body = ErrorBody)))]
pub async fn requests(
    State(state): State<AppState>,
    Origin(origin): Origin,
    Query(p): Query<RequestParams>,
) -> ApiResult<Json<Vec<ServiceRequest>>> {
    let ids = (!p.service_request_id.is_empty())
        .then(|| p.service_request_id.split(',').map(|s| s.trim().to_string()).collect::<Vec<_>>());
    let now = Utc::now();
    let (start, end) = match (when("start_date", &p.start_date)?, when("end_date", &p.end_date)?) {
        (Some(s), Some(e)) => (s, e),
        (Some(s), None) => (s, s + Duration::days(MAX_DAYS)),
        (None, Some(e)) => (e - Duration::days(MAX_DAYS), e),
        // Up to now, and a minute past it for a clock a little behind the database's.
        (None, None) => (now - Duration::days(MAX_DAYS), now + Duration::minutes(1)),
    };
    if end < start || end - start > Duration::days(MAX_DAYS) + Duration::minutes(1) {
        return Err(ApiError::BadParam { field: "end_date", key: "api.error.date_range" });
    }
    let code = p.service_code.split(',').map(str::trim).find(|c| !c.is_empty());
    let filter =
        RequestFilter { ids, category_slug: code, statuses: statuses(&p.status)?, start, end, limit: MAX_REQUESTS };
    let rows = queries::list_service_requests(&state.db, &filter).await?;
    Ok(Json(rows.into_iter().map(|r| service_request(&origin, r)).collect()))
}

/// `/open311/v2/requests/{id}.json`: the suffix is part of the one path segment.
#[derive(serde::Deserialize)]
pub struct RequestPath {
    id: String,
}

/// One public complaint as a list of one service request (as the standard answers).
#[utoipa::path(get, path = "/open311/v2/requests/{id}.json", tag = "open311",
    params(("id" = String, Path, description = "The tracking number")),
    responses((status = 200, body = Vec<ServiceRequest>), (status = 404, body = ErrorBody)))]
pub async fn request(
    State(state): State<AppState>,
    Origin(origin): Origin,
    Path(RequestPath { id }): Path<RequestPath>,
) -> ApiResult<Json<Vec<ServiceRequest>>> {
    let id = id.strip_suffix(".json").ok_or(ApiError::NotFound)?;
    let now = Utc::now();
    let filter = RequestFilter {
        ids: Some(vec![id.to_string()]),
        category_slug: None,
        statuses: None,
        start: now,
        end: now,
        limit: 1,
    };
    let rows = queries::list_service_requests(&state.db, &filter).await?;
    if rows.is_empty() {
        return Err(ApiError::NotFound);
    }
    Ok(Json(rows.into_iter().map(|r| service_request(&origin, r)).collect()))
}
