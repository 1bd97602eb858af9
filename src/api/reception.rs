//! `/api/v1/reception/days`: the reception days (校领导接待日, 教务见面会) as their public
//! list and pages show them — the leaders, the time, the place and the open seats left —
//! and one day's public commitments. Sign-ups, questions' askers and delegates' names are
//! the pages' business for the signed-in and are not served.

use axum::{
    extract::{Query, State},
    Json,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    commitments::{items, CommitmentItem},
    http::{next_url, ApiError, ApiResult, ErrorBody, Origin, Page, Paging},
};
use crate::{
    app::AppState,
    reception::{
        model::parse_code,
        queries::{self, CommitmentFilter, Leader, Session, SessionFilter},
    },
    web::Path,
};

/// A leader who receives students.
#[derive(Serialize, ToSchema)]
pub struct DayLeader {
    pub name: String,
    pub title: String,
}

/// A reception day.
#[derive(Serialize, ToSchema)]
pub struct ReceptionDay {
    /// Its public code, as in its page's address (`148`, `jw3`).
    pub code: String,
    pub number: i32,
    /// `leaders` (a reception day with the school's leaders) or an academic-affairs meeting's kind.
    pub kind: String,
    pub kind_zh: String,
    pub kind_en: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// False while the time is still tentative.
    pub time_confirmed: bool,
    pub place: String,
    pub topic: String,
    pub leaders: Vec<DayLeader>,
    /// Seats for everyone (college delegates have their own).
    pub open_seats: i32,
    pub open_seats_left: i64,
    /// Students on the waiting list.
    pub waiting: i64,
    pub signup_opens_at: DateTime<Utc>,
    pub signup_closes_at: DateTime<Utc>,
    /// Whether a student may sign up now.
    pub signup_open: bool,
    pub url: String,
}

fn day(origin: &str, s: Session, leaders: Vec<Leader>, now: DateTime<Utc>) -> ReceptionDay {
    ReceptionDay {
        url: format!("{origin}/reception/{}", s.code()),
        code: s.code(),
        open_seats_left: s.open_seats_left(),
        signup_open: s.signup_open(now),
        leaders: leaders.into_iter().map(|l| DayLeader { name: l.name, title: l.title }).collect(),
        number: s.number,
        kind: s.kind,
        kind_zh: s.kind_zh,
        kind_en: s.kind_en,
        starts_at: s.starts_at,
        ends_at: s.ends_at,
        time_confirmed: s.time_confirmed,
        place: s.place,
        topic: s.topic,
        open_seats: s.open_seats,
        waiting: s.waiting,
        signup_opens_at: s.signup_opens_at,
        signup_closes_at: s.signup_closes_at,
    }
}

/// The days, the coming ones first (soonest first), then the past ones (latest first).
#[utoipa::path(get, path = "/api/v1/reception/days", tag = "reception", params(Paging),
    responses((status = 200, body = Page<ReceptionDay>), (status = 400, body = ErrorBody)))]
pub async fn list_days(
    State(state): State<AppState>,
    Origin(origin): Origin,
    Query(paging): Query<Paging>,
) -> ApiResult<Page<ReceptionDay>> {
    let per_page = paging.per_page()?;
    let offset = paging.offset()?;
    let filter = SessionFilter { limit: per_page + 1, offset, ..SessionFilter::default() };
    let mut conn = state.db.acquire().await?;
    let mut sessions = queries::find_sessions(&mut *conn, &filter).await?;
    let more = sessions.len() as i64 > per_page;
    sessions.truncate(per_page as usize);
    let ids: Vec<i64> = sessions.iter().map(|s| s.session_id).collect();
    let mut leaders = queries::list_leaders_of(&mut *conn, &ids).await?;
    let now = Utc::now();
    let items = sessions
        .into_iter()
        .map(|s| {
            let (mine, rest) = leaders.drain(..).partition(|(id, _)| *id == s.session_id);
            leaders = rest;
            day(&origin, s, mine.into_iter().map(|(_, l)| l).collect(), now)
        })
        .collect();
    let cursor = more.then(|| (offset + per_page).to_string());
    let next = next_url(&origin, "/api/v1/reception/days", &[("per_page", &paging.per_page)], cursor);
    Ok(Page { items, per_page, next })
}

/// One day and the commitments made at it.
#[derive(Serialize, ToSchema)]
pub struct ReceptionDayDetail {
    pub day: ReceptionDay,
    pub commitments: Vec<CommitmentItem>,
}

#[derive(Deserialize)]
pub struct DayPath {
    code: String,
}

/// One reception day by its code, with its public commitments; 404 when there is none.
#[utoipa::path(get, path = "/api/v1/reception/days/{code}", tag = "reception",
    params(("code" = String, Path, description = "The day's code (`148`, `jw3`)")),
    responses((status = 200, body = ReceptionDayDetail), (status = 404, body = ErrorBody)))]
pub async fn show_day(
    State(state): State<AppState>,
    Origin(origin): Origin,
    Path(DayPath { code }): Path<DayPath>,
) -> ApiResult<Json<ReceptionDayDetail>> {
    let (prefix, number) = parse_code(&code).ok_or(ApiError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    let s = queries::fetch_by_code(&mut *conn, prefix, number).await?.ok_or(ApiError::NotFound)?;
    let leaders = queries::list_leaders(&mut *conn, s.session_id).await?;
    let of_session = CommitmentFilter { session_id: Some(s.session_id), ..CommitmentFilter::default() };
    let rows = queries::find_commitments(&mut *conn, &of_session).await?;
    drop(conn);
    let commitments = items(&state, &origin, rows).await?;
    Ok(Json(ReceptionDayDetail { day: day(&origin, s, leaders, Utc::now()), commitments }))
}
