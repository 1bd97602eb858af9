//! The queue of a department that handles complaints: open work the longest waiting
//! first, or what is overdue, or one status; a page at a time.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;

use crate::{
    app::AppState,
    complaints::{queries, status::ComplaintStatus},
    departments::queries::MemberRow,
    error::AppResult,
    web::{render, DeptAccess, Layout},
};

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct QueueQuery {
    status: String,
    mine: String,
    overdue: String,
    q: String,
    category: String,
    assignee: String,
    /// Keyset cursor of the next page, `<unix micros>_<complaint_id>`: open work
    /// continues after it (oldest first), a closed status before it (newest first).
    from: String,
}

/// A row of the queue as the page shows it.
struct QueueItem {
    row: queries::QueueRow,
    category_zh: String,
    category_en: String,
    assignee_name: Option<String>,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "complaints/queue.html")]
struct QueuePage {
    layout: Layout,
    access: DeptAccess,
    rows: Vec<QueueItem>,
    /// Open complaints per status; closed statuses are listed without a count.
    counts: std::sync::Arc<Vec<queries::StatusCount>>,
    statuses: [ComplaintStatus; 6],
    categories: Vec<queries::Category>,
    members: Vec<MemberRow>,
    q: QueueQuery,
    next: Option<String>,
}

impl QueuePage {
    fn count(&self, status: &ComplaintStatus) -> Option<i64> {
        status.is_open().then(|| self.counts.iter().find(|c| c.status == status.as_str()).map_or(0, |c| c.n))
    }
}

/// The page's filter: a status, the viewer's own or one assignee's cases, search words, a category.
fn queue_filter<'a>(
    access: &DeptAccess,
    q: &QueueQuery,
    categories: &[queries::Category],
    search: Option<&'a str>,
) -> queries::QueueFilter<'a> {
    queries::QueueFilter {
        department_id: access.dept.department_id,
        status: ComplaintStatus::parse(&q.status).map(ComplaintStatus::as_str),
        assignee_id: if q.mine == "1" { Some(access.viewer.user_id) } else { q.assignee.parse().ok() },
        query: search,
        // An unknown category matches nothing rather than everything.
        category_id: (!q.category.is_empty())
            .then(|| categories.iter().find(|c| c.slug == q.category).map_or(0, |c| c.category_id)),
    }
}

/// A department's queue: open complaints, the longest waiting first; or only
/// what is overdue; or one status, closed ones newest first. A page at a time.
pub async fn list_queue(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Query(q): Query<QueueQuery>,
) -> AppResult<Html<String>> {
    let categories = queries::categories(&state).await?;
    let members = crate::departments::queries::members(&state, access.dept.department_id).await?;
    let search = crate::search::tsquery(&q.q);
    let filter = queue_filter(&access, &q, &categories, search.as_deref());
    // To the microsecond, as the database keeps times: the SQL and the badges judge the same moment.
    let now = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
    let calendar = crate::holidays::calendar(&state).await?;
    let from = crate::web::forms::parse_time_cursor(&q.from);
    let found = find_queue_rows(&state, &filter, q.overdue == "1", now, &calendar, from).await?;
    let next = crate::web::forms::next_cursor(&found, queries::QUEUE_PAGE, |r| {
        crate::web::forms::time_cursor(r.created_at, r.complaint_id)
    });
    let config = &state.config;
    let overdue = |r: &queries::QueueRow| {
        crate::complaints::deadlines::missed_deadline(
            &r.status,
            r.created_at,
            r.first_public_reply_at,
            now,
            config,
            &calendar,
        )
        .is_some()
    };
    let rows = name_queue_rows(&state, found, &categories, &members, overdue).await?;
    let counts = queries::queue_counts(&state, access.dept.department_id).await?;
    let statuses = ComplaintStatus::ALL;
    Ok(Html(render(QueuePage { layout, access, rows, counts, statuses, categories, members, q, next })?))
}

/// One page of the queue: a closed status newest first; else open work, or only what is overdue.
async fn find_queue_rows(
    state: &AppState,
    filter: &queries::QueueFilter<'_>,
    overdue_only: bool,
    now: chrono::DateTime<chrono::Utc>,
    calendar: &crate::holidays::WorkCalendar,
    from: Option<(chrono::DateTime<chrono::Utc>, i64)>,
) -> AppResult<Vec<queries::QueueRow>> {
    let closed = filter.status.and_then(ComplaintStatus::parse).is_some_and(|s| !s.is_open());
    if closed && !overdue_only {
        return Ok(queries::list_closed_queue(&state.db, filter, from).await?);
    }
    let late = overdue_only.then(|| crate::complaints::deadlines::Overdue::at(now, &state.config, calendar));
    if filter.is_unfiltered() && from.is_none() {
        // The first page, which every handler reopens: shared for a moment (see `Cached`).
        let key = (filter.department_id, overdue_only);
        let load = || queries::list_open_queue(&state.db, filter, late.as_ref(), None);
        return Ok(state.cached.queue_first_pages.get_or_load(key, load).await?.as_ref().clone());
    }
    Ok(queries::list_open_queue(&state.db, filter, late.as_ref(), from).await?)
}

/// The queue's rows with their category and assignee names: from the lists the page
/// holds, and for assignees who have left the department, from one query.
async fn name_queue_rows(
    state: &AppState,
    rows: Vec<queries::QueueRow>,
    categories: &[queries::Category],
    members: &[MemberRow],
    overdue: impl Fn(&queries::QueueRow) -> bool,
) -> AppResult<Vec<QueueItem>> {
    let mut former: Vec<i64> =
        rows.iter().filter_map(|r| r.assignee_id).filter(|id| !members.iter().any(|m| m.user_id == *id)).collect();
    former.sort_unstable();
    former.dedup();
    let former_names = if former.is_empty() { vec![] } else { queries::list_user_names(&state.db, &former).await? };
    let name_of = |id: i64| {
        members
            .iter()
            .find(|m| m.user_id == id)
            .map(|m| m.name.clone())
            .or_else(|| former_names.iter().find(|(u, _)| *u == id).map(|(_, n)| n.clone()))
    };
    Ok(rows
        .into_iter()
        .map(|row| {
            let category = categories.iter().find(|c| c.category_id == row.category_id);
            QueueItem {
                category_zh: category.map(|c| c.name_zh.clone()).unwrap_or_default(),
                category_en: category.map(|c| c.name_en.clone()).unwrap_or_default(),
                assignee_name: row.assignee_id.and_then(name_of),
                overdue: overdue(&row),
                row,
            }
        })
        .collect())
}
