//! The rankings page's view: which period the address asks for (a nonsense one is the
//! default, never an error page) and its rooms a page at a time; the buildings' and
//! colleges' averages as charts are their own page (`/inspections/averages`), so the page a
//! student opens to find their room stays small (100 buildings' bars weighed 25 KB of it).

use std::sync::Arc;

use chrono::{Days, NaiveDate};
use sqlx::PgConnection;

use super::{
    model::{Period, Term},
    public::{group_data, RankingQuery},
    published,
    queries::rankings::{self, BuildingName, GroupStanding, Standing, StandingFilter},
};
use crate::{
    app::AppState,
    error::AppResult,
    stats::chart::{self, Chart},
};

pub const PAGE_ROOMS: i64 = 50;
/// The notice-board sheet lists this many of the best rooms and of the worst.
pub const PRINT_ROOMS: i64 = 20;

pub struct RankingView {
    pub period: Period,
    /// The period's first and last day; none before any round is published.
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub day: String,
    pub building_id: Option<i64>,
    pub college: Option<String>,
    pub buildings: Arc<Vec<BuildingName>>,
    pub colleges: Arc<Vec<String>>,
    pub rooms: Vec<Standing>,
    /// The first room's place in the ranking.
    pub first_rank: i64,
    pub page: i64,
    pub more: bool,
}

impl RankingView {
    /// The address of another page of the same ranking.
    pub fn page_link(&self, page: i64) -> String {
        let mut link = format!("/inspections/rankings?period={}&day={}", self.period.key(), self.day);
        if let Some(b) = self.building_id {
            link.push_str(&format!("&building={b}"));
        }
        if let Some(c) = &self.college {
            link.push_str(&format!("&college={}", crate::web::forms::url_encode(c)));
        }
        link.push_str(&format!("&page={page}"));
        link
    }

    pub fn place(&self, index: &usize) -> i64 {
        self.first_rank + *index as i64
    }

    pub fn is_building(&self, building_id: &i64) -> bool {
        self.building_id == Some(*building_id)
    }

    pub fn is_college(&self, college: &str) -> bool {
        self.college.as_deref() == Some(college)
    }
}

/// The period asked for (the term by default) and its first day, around the day asked
/// for or else the latest published round's; none when nothing is published yet.
pub async fn period_of(state: &AppState, q: &RankingQuery) -> AppResult<(Period, Option<NaiveDate>)> {
    let period = Period::from_key(&q.period).unwrap_or(Period::Term);
    let day = match NaiveDate::parse_from_str(&q.day, "%Y-%m-%d") {
        Ok(day) => Some(day),
        Err(_) => published::latest_published_day(state).await?,
    };
    Ok((period, day.map(|d| period.days(d).0)))
}

/// A page of the period's rooms with the filters' choices: one statement, the rest is kept
/// (`published`).
pub async fn load(state: &AppState, q: &RankingQuery, per_page: i64) -> AppResult<RankingView> {
    let (period, starts_on) = period_of(state, q).await?;
    let page = q.page.parse::<i64>().ok().filter(|p| (1..=10_000).contains(p)).unwrap_or(1);
    let building_id = q.building.parse::<i64>().ok();
    let college = Some(q.college.trim().to_string()).filter(|c| !c.is_empty());
    let buildings = published::buildings(state).await?;
    let (mut rooms, colleges) = match starts_on {
        Some(from) => {
            let filter = StandingFilter {
                period: period.key(),
                starts_on: from,
                building_id,
                college: college.clone(),
                limit: per_page + 1,
                offset: (page - 1) * per_page,
            };
            let colleges = published::colleges(state, period, from).await?;
            (rankings::find_standings(&state.db, &filter).await?, colleges)
        }
        None => (vec![], Arc::default()),
    };
    let more = rooms.len() as i64 > per_page;
    rooms.truncate(per_page as usize);
    let ends_on = starts_on.map(|from| period.days(from).1);
    Ok(RankingView {
        period,
        starts_on,
        ends_on,
        day: starts_on.map(|d| d.to_string()).unwrap_or_default(),
        building_id,
        college,
        buildings,
        colleges,
        rooms,
        first_rank: (page - 1) * per_page + 1,
        page,
        more,
    })
}

/// The buildings' and the colleges' averages in a period, as charts.
pub struct GroupCharts {
    pub buildings: Chart,
    pub colleges: Chart,
}

pub async fn group_charts(db: &mut PgConnection, period: Period, from: NaiveDate) -> AppResult<GroupCharts> {
    let by_building = rankings::group_standings(&mut *db, period.key(), from, "building").await?;
    let by_college = rankings::group_standings(&mut *db, period.key(), from, "college").await?;
    Ok(GroupCharts {
        buildings: group_chart("chart-buildings", &by_building),
        colleges: group_chart("chart-colleges", &by_college),
    })
}

pub fn group_chart(id: &'static str, groups: &[GroupStanding]) -> Chart {
    chart::horizontal(id, group_data(groups))
}

/// The term holding `latest` and the three before it, newest first.
pub fn recent_terms(latest: NaiveDate) -> Vec<String> {
    let mut terms = vec![];
    let mut day = latest;
    for _ in 0..4 {
        let term = Term::of(day);
        terms.push(term.key());
        day = term.days().0.checked_sub_days(Days::new(1)).unwrap_or(day);
    }
    terms
}
