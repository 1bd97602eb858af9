//! The commitments board: every promise, made at a session or on a complaint's page, open
//! ones first, with each promiser's record; one commitment's page with its updates and photo evidence.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, Response},
};

use crate::{
    app::AppState,
    error::{AppError, AppResult},
    reception::{
        model::CommitmentStatus,
        paths::{CommitmentPath, UpdatePhotoPath},
        queries::{self, Commitment, CommitmentFilter, Minute},
    },
    uploads,
    web::{
        dept_access::{allows, Need},
        forms::today,
        render, DeptRole, FormErrors, Layout, Path,
    },
};

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct BoardQuery {
    office: String,
    status: String,
    /// Keyset cursor: `<0|1>_<due date>_<commitment id>` of the last card shown.
    after: String,
}

#[derive(Template)]
#[template(path = "reception/commitments.html")]
struct BoardPage {
    layout: Layout,
    rows: Vec<(Commitment, &'static str)>,
    offices: std::sync::Arc<Vec<crate::complaints::queries::Office>>,
    records: std::sync::Arc<Vec<queries::OfficeRecord>>,
    q: BoardQuery,
    next: Option<String>,
}

const BOARD_PAGE: i64 = 50;

/// Every promise, open ones first by due date, a page at a time; per office, the share kept on time.
pub async fn commitments_board(
    State(state): State<AppState>,
    layout: Layout,
    Query(q): Query<BoardQuery>,
) -> AppResult<Html<String>> {
    let today = today();
    let filter = CommitmentFilter {
        office_id: q.office.parse().ok(),
        by_union: q.office == "union",
        state: ["pending", "in_progress", "done", "overdue"].into_iter().find(|s| *s == q.status),
        today,
        after: parse_cursor(&q.after),
        limit: BOARD_PAGE,
        ..CommitmentFilter::default()
    };
    let found = queries::find_commitments(&state.db, &filter).await?;
    let next = crate::web::forms::next_cursor(&found, BOARD_PAGE, |c| {
        format!("{}_{}_{}", u8::from(c.status == CommitmentStatus::Done), c.due_on, c.commitment_id)
    });
    let rows = found
        .into_iter()
        .map(|c| {
            let state = c.state(&today);
            (c, state)
        })
        .collect();
    // The same for every visitor: kept a few seconds, and cleared when a commitment changes here.
    let records =
        state.cached.commitment_records.get_or_load(today, || queries::list_office_records(&state.db, today)).await?;
    let offices = crate::complaints::queries::offices(&state).await?;
    Ok(Html(render(BoardPage { layout, rows, offices, records, q, next })?))
}

#[derive(Template)]
#[template(path = "reception/commitment.html")]
struct CommitmentPage {
    layout: Layout,
    c: Commitment,
    state: &'static str,
    updates: Vec<queries::Update>,
    /// The minute it answers, when it was made at a session.
    minute: Option<Minute>,
    /// Where the viewer's update form posts: the keeper department's members and the
    /// promising office's liaisons have one (the same rules as those routes).
    update_action: Option<String>,
    errors: FormErrors,
    typed: String,
    /// The status chosen in a form that failed, or the saved one.
    typed_status: String,
}

pub async fn commitment_page(
    state: &AppState,
    layout: Layout,
    c: Commitment,
    errors: FormErrors,
    typed: (String, String),
) -> AppResult<String> {
    let updates = queries::list_updates(&state.db, c.commitment_id).await?;
    let minute = match c.minute_id {
        Some(id) => Some(queries::fetch_minute(&state.db, id).await?),
        None => None,
    };
    let update_action = layout.viewer.as_ref().and_then(|v| update_action(v, &c));
    let state_now = c.state(&today());
    let (typed, typed_status) = typed;
    let typed_status = if typed_status.is_empty() { c.status.as_str().to_string() } else { typed_status };
    render(CommitmentPage { layout, c, state: state_now, updates, minute, update_action, errors, typed, typed_status })
}

/// The update route this viewer may use: the keeper department's (its route group's rule), or
/// the liaison desk's when the viewer answers for the promising office.
fn update_action(viewer: &crate::web::Viewer, c: &Commitment) -> Option<String> {
    if allows(viewer, &c.dept_slug, Need::Act(DeptRole::Member)) {
        Some(format!("/d/{}/commitments/{}/update", c.dept_slug, c.commitment_id))
    } else if c.office_id.is_some_and(|o| viewer.liaison_offices.contains(&o)) {
        Some(format!("/office/commitments/{}/update", c.commitment_id))
    } else {
        None
    }
}

pub async fn show_commitment(
    State(state): State<AppState>,
    layout: Layout,
    Path(p): Path<CommitmentPath>,
) -> AppResult<Html<String>> {
    let c = queries::fetch_commitment(&state.db, p.commitment_id).await?.ok_or(AppError::NotFound)?;
    Ok(Html(commitment_page(&state, layout, c, FormErrors::default(), Default::default()).await?))
}

/// Photo evidence of an update: public, like the board.
pub async fn update_photo(
    State(state): State<AppState>,
    Path(p): Path<UpdatePhotoPath>,
    Query(q): Query<uploads::SizeQuery>,
) -> AppResult<Response> {
    let row = queries::fetch_update_photo(&state.db, p.commitment_id, p.update_id).await?.ok_or(AppError::NotFound)?;
    let name = if q.thumb() { row.thumb_name } else { row.photo_name }.ok_or(AppError::NotFound)?;
    uploads::photo_response(&state.config.storage, &name, true).await
}

/// A keyset cursor of lists ordered by a flag, a value and an id: `<0|1>_<value>_<id>`
/// (the questions' `QuestionCursor`, the board's done/due date/id).
pub fn parse_cursor<T: std::str::FromStr>(cursor: &str) -> Option<(bool, T, i64)> {
    let mut parts = cursor.splitn(3, '_');
    let flag = match parts.next()? {
        "0" => false,
        "1" => true,
        _ => return None,
    };
    Some((flag, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}
