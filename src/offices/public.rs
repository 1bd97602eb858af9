//! The offices' public record: `/offices` (every office, this term) and
//! `/offices/{slug}` (one office, any term, and its printable report).

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Html,
};

use super::{
    clock::{answer_by, office_clock, OfficeClock},
    queries::{self, Office, Term, WaitingCase},
    OfficeSlugPath,
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    web::{render, Layout, Path},
};

/// One office's figures in a term.
pub struct OfficeRecord {
    pub office: Office,
    pub clock: OfficeClock,
    /// Commitments due by now (or done) and those kept by their date.
    pub commitments_due: i64,
    pub commitments_kept: i64,
}

impl OfficeRecord {
    pub fn office_days(&self) -> String {
        crate::stats::view::shown_days(self.clock.office_median_days)
    }
    pub fn union_days(&self) -> String {
        crate::stats::view::shown_days(self.clock.union_median_days)
    }
    pub fn in_time(&self) -> String {
        self.clock.within_deadline_percent().map_or_else(|| "—".into(), |p| format!("{p}%"))
    }
}

/// The records of these offices over one term, at this moment.
async fn records(state: &AppState, offices: Vec<Office>, term: &Term) -> AppResult<Vec<OfficeRecord>> {
    let range = (term.started_on, term.ended_on);
    let one = match offices.as_slice() {
        [only] => Some(only.office_id),
        _ => None,
    };
    let cases = queries::list_forwarded_cases(&state.db, one, range).await?;
    let commitments = queries::list_commitment_records(&state.db, range).await?;
    let calendar = crate::holidays::calendar(state).await?;
    let (now, days) = (chrono::Utc::now(), state.config.office_answer_days);
    Ok(offices
        .into_iter()
        .map(|office| {
            let mine: Vec<_> = cases.iter().filter(|c| c.office_id == office.office_id).collect();
            let clock = office_clock(&mine, now, days, &calendar);
            let tally = commitments.iter().find(|c| c.office_id == office.office_id);
            let (commitments_due, commitments_kept) = tally.map_or((0, 0), |t| (t.due, t.kept));
            OfficeRecord { office, clock, commitments_due, commitments_kept }
        })
        .collect())
}

/// The term asked for (`?term=`), else the current one, else the latest.
fn chosen_term(terms: &[Term], asked: Option<i64>) -> AppResult<&Term> {
    let asked = asked.and_then(|id| terms.iter().find(|t| t.term_id == id));
    asked.or_else(|| terms.iter().find(|t| t.is_current)).or(terms.first()).ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "offices/list.html")]
struct ListPage {
    layout: Layout,
    term_name: String,
    records: Vec<OfficeRecord>,
    answer_days: i32,
}

pub async fn list_offices(State(state): State<AppState>, layout: Layout) -> AppResult<Html<String>> {
    let terms = queries::list_terms(&state.db).await?;
    let term = chosen_term(&terms, None)?;
    let offices = queries::list_offices(&state.db).await?;
    let records = records(&state, offices, term).await?;
    let page = ListPage { layout, term_name: term.name.clone(), records, answer_days: state.config.office_answer_days };
    Ok(Html(render(page)?))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct TermQuery {
    term: String,
}

#[derive(Template)]
#[template(path = "offices/show.html")]
struct ShowPage {
    layout: Layout,
    record: OfficeRecord,
    terms: Vec<Term>,
    term_id: i64,
    term_name: String,
    /// Public cases waiting on the office now, and which of them are past its deadline.
    waiting: Vec<(WaitingCase, bool)>,
    answer_days: i32,
}

async fn office_page(state: &AppState, layout: Layout, slug: &str, term: &str) -> AppResult<ShowPage> {
    let office = queries::fetch_office(&state.db, slug).await?.ok_or(AppError::NotFound)?;
    let terms = queries::list_terms(&state.db).await?;
    let chosen = chosen_term(&terms, term.parse().ok())?;
    let (term_id, term_name) = (chosen.term_id, chosen.name.clone());
    let open = queries::list_public_unanswered(&state.db, office.office_id).await?;
    let record = records(state, vec![office], chosen).await?.pop().ok_or(AppError::NotFound)?;
    let calendar = crate::holidays::calendar(state).await?;
    let (now, days) = (chrono::Utc::now(), state.config.office_answer_days);
    let waiting = open
        .into_iter()
        .map(|w| {
            let late = now > answer_by(w.forwarded_at, days, &calendar);
            (w, late)
        })
        .collect();
    Ok(ShowPage { layout, record, terms, term_id, term_name, waiting, answer_days: days })
}

pub async fn show_office(
    State(state): State<AppState>,
    layout: Layout,
    Path(OfficeSlugPath { slug }): Path<OfficeSlugPath>,
    Query(q): Query<TermQuery>,
) -> AppResult<Html<String>> {
    Ok(Html(render(office_page(&state, layout, &slug, &q.term).await?)?))
}

#[derive(Template)]
#[template(path = "offices/report.html")]
struct ReportPage {
    page: ShowPage,
    /// The office's page for the same term: the sheet's QR code.
    page_url: String,
}

/// The same record on one printable sheet, for the school's leaders.
pub async fn print_report(
    State(state): State<AppState>,
    layout: Layout,
    Path(OfficeSlugPath { slug }): Path<OfficeSlugPath>,
    Query(q): Query<TermQuery>,
) -> AppResult<Html<String>> {
    let page = office_page(&state, layout, &slug, &q.term).await?;
    let page_url = page.layout.url(&format!("/offices/{}?term={}", page.record.office.slug, page.term_id));
    Ok(Html(render(ReportPage { page, page_url })?))
}
