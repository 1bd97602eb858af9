//! `/api/v1/stats`: the figures `/stats` draws, as numbers, from the same cache (computed
//! at most every five minutes). Aggregates only: the statistics never select who filed,
//! claimed or asked anything, so neither does this.

use axum::{extract::State, Json};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::http::ApiResult;
use crate::{
    app::AppState,
    stats::figures::{CommitmentTally, StatsFigures},
};

/// A count under a name in both languages.
#[derive(Serialize, ToSchema)]
pub struct NamedCount {
    pub name_zh: String,
    pub name_en: String,
    pub count: i64,
}

/// Complaints filed in a month (Asia/Shanghai), merged duplicates not counted.
#[derive(Serialize, ToSchema)]
pub struct MonthCount {
    /// The month's first day.
    pub month: NaiveDate,
    pub count: i64,
}

/// Complaints by status, merged duplicates not counted.
#[derive(Serialize, ToSchema)]
pub struct StatusCount {
    pub status: String,
    pub count: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ComplaintFigures {
    pub total: i64,
    pub resolved: i64,
    /// Of the resolved: the reporter agreed it was resolved.
    pub confirmed: i64,
    /// Whole percentages; null when there is nothing to divide.
    pub resolved_percent: Option<i64>,
    pub confirmed_percent: Option<i64>,
    pub by_status: Vec<StatusCount>,
    pub by_category: Vec<NamedCount>,
    /// The last twelve months, this one included, empty ones as zero.
    pub by_month: Vec<MonthCount>,
}

/// Days from filing to a school office's first answer, per office a complaint was forwarded to.
#[derive(Serialize, ToSchema)]
pub struct ReplyTime {
    pub office_zh: String,
    pub office_en: String,
    /// Null when the office has answered none of its cases yet.
    pub median_days: Option<f64>,
    /// Cases answered: what the median is based on.
    pub replied: i64,
    /// Open cases still waiting for the office's first answer.
    pub waiting: i64,
    /// The union's median days to its first public reply, on the same cases.
    pub union_median_days: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct LostFoundFigures {
    pub registered: i64,
    pub held: i64,
    pub claimed: i64,
    pub returned: i64,
    pub disposed: i64,
    /// Back with the owner (claimed or returned), as a whole percentage of those registered.
    pub returned_percent: Option<i64>,
    pub cards: i64,
    pub cards_returned: i64,
    pub cards_returned_percent: Option<i64>,
}

/// One promiser's commitments, by how they stand today.
#[derive(Serialize, ToSchema)]
pub struct CommitmentFigures {
    pub by_zh: String,
    pub by_en: String,
    pub on_time: i64,
    pub late: i64,
    pub overdue: i64,
    /// Not done and not yet due.
    pub open: i64,
    /// Done on time, as a whole percentage of those due.
    pub on_time_percent: Option<i64>,
}

/// A reception day's seats taken (sign-ups and delegates, not check-ins) and offered.
#[derive(Serialize, ToSchema)]
pub struct ReceptionAttendance {
    pub number: i32,
    pub kind_zh: String,
    pub kind_en: String,
    pub starts_at: DateTime<Utc>,
    pub taken: i64,
    pub offered: i64,
}

/// The public statistics.
#[derive(Serialize, ToSchema)]
pub struct Stats {
    /// When the figures were computed.
    pub computed_at: DateTime<Utc>,
    pub complaints: ComplaintFigures,
    pub reply_times: Vec<ReplyTime>,
    pub lost_found: LostFoundFigures,
    pub commitments: Vec<CommitmentFigures>,
    /// The twelve latest reception days that have begun, newest first.
    pub reception: Vec<ReceptionAttendance>,
}

fn complaints(f: &StatsFigures) -> ComplaintFigures {
    let o = &f.outcomes;
    ComplaintFigures {
        total: o.total,
        resolved: o.resolved,
        confirmed: o.confirmed,
        resolved_percent: o.resolved_share(),
        confirmed_percent: o.confirmed_share(),
        by_status: o.by_status.iter().map(|(s, n)| StatusCount { status: s.to_string(), count: *n }).collect(),
        by_category: f
            .by_category
            .iter()
            .map(|c| NamedCount { name_zh: c.name_zh.clone(), name_en: c.name_en.clone(), count: c.n })
            .collect(),
        by_month: f.by_month.iter().map(|m| MonthCount { month: m.month, count: m.n }).collect(),
    }
}

fn commitment(t: &CommitmentTally) -> CommitmentFigures {
    CommitmentFigures {
        by_zh: t.name_zh.clone(),
        by_en: t.name_en.clone(),
        on_time: t.on_time,
        late: t.late,
        overdue: t.overdue,
        open: t.open,
        on_time_percent: t.on_time_share(),
    }
}

fn stats(f: &StatsFigures) -> Stats {
    let l = &f.lost;
    Stats {
        computed_at: f.computed_at,
        complaints: complaints(f),
        reply_times: f
            .reply_times
            .iter()
            .map(|r| ReplyTime {
                office_zh: r.name_zh.clone(),
                office_en: r.name_en.clone(),
                median_days: r.median_days,
                replied: r.replied,
                waiting: r.waiting,
                union_median_days: r.union_median_days,
            })
            .collect(),
        lost_found: LostFoundFigures {
            registered: l.registered(),
            held: l.held,
            claimed: l.claimed,
            returned: l.returned,
            disposed: l.disposed,
            returned_percent: l.returned_share(),
            cards: l.cards,
            cards_returned: l.cards_returned,
            cards_returned_percent: l.card_share(),
        },
        commitments: f.commitments.iter().map(commitment).collect(),
        reception: f
            .attendance
            .iter()
            .map(|a| ReceptionAttendance {
                number: a.number,
                kind_zh: a.kind_zh.clone(),
                kind_en: a.kind_en.clone(),
                starts_at: a.starts_at,
                taken: a.taken,
                offered: a.offered,
            })
            .collect(),
    }
}

/// The figures of `/stats`.
#[utoipa::path(get, path = "/api/v1/stats", tag = "stats", responses((status = 200, body = Stats)))]
pub async fn show_stats(State(state): State<AppState>) -> ApiResult<Json<Stats>> {
    let figures = state.stats.figures(&state.db, state.replica.as_ref()).await?;
    Ok(Json(stats(&figures)))
}
