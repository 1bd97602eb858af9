//! The public and students' side: what is waiting at the points, one item and
//! where to fetch it, and a student's own lost reports (under `/me`). Nothing
//! here shows a card's full number, a card owner's name or a student's contact.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, IntoResponse, Response},
    Form,
};

use super::{
    forms::ReportForm,
    matching,
    model::CATEGORIES,
    queries::{self, Item, ItemLine, LostReport, Point},
    ItemPath, ReportPath,
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    uploads,
    web::{
        context::redirect_with_flash,
        forms::{filter_day, next_cursor},
        limits::{too_many, Write},
        render, CurrentUser, FormErrors, Html422, Layout, MaybeUser, Path,
    },
};

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub category: String,
    pub point: String,
    pub from: String,
    pub to: String,
    pub q: String,
    /// Keyset cursor: the last item id shown.
    pub before: String,
}

#[derive(Template)]
#[template(path = "lost_found/list.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<ItemLine>,
    points: std::sync::Arc<Vec<Point>>,
    categories: &'static [&'static str],
    q: ListQuery,
    next: Option<i64>,
    latest_bulletin: Option<i32>,
}

const LIST_PAGE: i64 = 30;

pub async fn list_items(
    State(state): State<AppState>,
    layout: Layout,
    Query(q): Query<ListQuery>,
) -> AppResult<Html<String>> {
    let query = crate::search::tsquery(&q.q);
    let searching = query.is_some();
    let filter = queries::ListFilter {
        category: CATEGORIES.iter().copied().find(|c| *c == q.category),
        point_id: q.point.parse().ok(),
        from: filter_day(&q.from),
        to: filter_day(&q.to),
        query,
        // Search results are one ranked page: no cursor.
        before: q.before.parse().ok().filter(|_| !searching),
        limit: LIST_PAGE,
    };
    // Anonymous visitors read the replica when there is one. The points and the latest
    // bulletin's number are kept reference data: the page reads only its items.
    let signed_in = layout.viewer.is_some();
    let rows = crate::db::replica::read_public(&state.db, state.replica.as_ref(), signed_in, |db| {
        let filter = &filter;
        async move { queries::list_held(&db, filter).await }
    })
    .await?;
    let points = queries::all_points(&state).await?;
    let latest_bulletin = *queries::latest_bulletin(&state).await?;
    let next = next_cursor(&rows, LIST_PAGE, |r| r.item_id).filter(|_| !searching);
    Ok(Html(render(ListPage { layout, rows, points, categories: &CATEGORIES, q, next, latest_bulletin })?))
}

#[derive(Template)]
#[template(path = "lost_found/item.html")]
struct ItemPage {
    layout: Layout,
    item: Item,
    /// The viewer is the card's owner: tell them plainly.
    is_owner: bool,
    /// The viewer works lost and found in the item's department.
    is_staff: bool,
}

pub async fn show_item(
    State(state): State<AppState>,
    layout: Layout,
    MaybeUser(viewer): MaybeUser,
    Path(ItemPath { item_id }): Path<ItemPath>,
) -> AppResult<Html<String>> {
    let item = queries::fetch_item(&state.db, item_id).await?.ok_or(AppError::NotFound)?;
    let is_owner = viewer.as_ref().is_some_and(|v| item.owner_id == Some(v.user_id));
    let is_staff = viewer.as_ref().is_some_and(|v| v.role_in(&item.dept_slug).is_some());
    Ok(Html(render(ItemPage { layout, item, is_owner, is_staff })?))
}

/// An item's photo: public, except a card's, which only the department and the presidium see.
pub async fn item_photo(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path(ItemPath { item_id }): Path<ItemPath>,
    Query(q): Query<uploads::SizeQuery>,
) -> AppResult<Response> {
    let item = queries::fetch_item(&state.db, item_id).await?.ok_or(AppError::NotFound)?;
    let staff = viewer.as_ref().is_some_and(|v| v.is_presidium || v.role_in(&item.dept_slug).is_some());
    if !item.public_photo() && !staff {
        return Err(AppError::NotFound);
    }
    let public = item.public_photo();
    let name = if q.thumb() { item.thumb_name } else { item.photo_name };
    uploads::photo_response(&state.config.storage, &name.ok_or(AppError::NotFound)?, public).await
}

#[derive(Template)]
#[template(path = "lost_found/report_new.html")]
struct NewReportPage {
    layout: Layout,
    categories: &'static [&'static str],
    form: ReportForm,
    errors: FormErrors,
    today: String,
}

fn new_report_page(layout: Layout, form: ReportForm, errors: FormErrors) -> AppResult<String> {
    let today = crate::web::forms::today().to_string();
    render(NewReportPage { layout, categories: &CATEGORIES, form, errors, today })
}

pub async fn new_report(layout: Layout, _: CurrentUser) -> AppResult<Html<String>> {
    let form = ReportForm { lost_on: crate::web::forms::today().to_string(), ..ReportForm::default() };
    Ok(Html(new_report_page(layout, form, FormErrors::default())?))
}

#[tracing::instrument(skip_all, fields(user_id = user.user_id))]
pub async fn create_report(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    Form(form): Form<ReportForm>,
) -> AppResult<Response> {
    let v = match form.parse() {
        Ok(v) => v,
        Err(errors) => return Ok(Html422(new_report_page(layout, form, errors)?).into_response()),
    };
    if let Err(refused) = state.limits.write(Write::LostReports, user.user_id).await {
        let errors = FormErrors::one(crate::web::forms::FORM, "form.rate_limited");
        return Ok(too_many(new_report_page(layout, form, errors)?, refused));
    }
    let mut tx = state.db.begin().await?;
    let new = queries::NewReport {
        owner_id: user.user_id,
        category: &v.category,
        what: &v.what,
        place: &v.place,
        lost_on: v.lost_on,
        description: &v.description,
        contact: &v.contact,
    };
    let report_id = queries::insert_report(&mut *tx, &new).await?;
    let text = matching::report_text(&v.what, &v.description);
    let lost = matching::Described { category: &v.category, text: &text, place: &v.place, day: v.lost_on };
    let mut matched = matching::for_new_report(&mut tx, report_id, &lost).await?;
    if v.category == "card" {
        matched += matching::reporters_cards(&mut tx, report_id).await?;
    }
    tx.commit().await?;
    tracing::info!(report_id, matched, "lost report filed");
    let link = format!("/me/lost/{report_id}");
    if matched > 0 {
        Ok(redirect_with_flash(&link, "flash.lost.filed_with_matches", Some(&matched.to_string())))
    } else {
        Ok(redirect_with_flash(&link, "flash.lost.filed", None))
    }
}

/// The viewer's own report, or 404 (whether it exists is nobody else's business).
async fn own_report(state: &AppState, user_id: i64, report_id: i64) -> AppResult<LostReport> {
    queries::fetch_report_of_owner(&state.db, report_id, user_id).await?.ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "lost_found/report.html")]
struct ReportPage {
    layout: Layout,
    report: LostReport,
    matches: Vec<ItemLine>,
}

pub async fn show_report(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
    Path(ReportPath { report_id }): Path<ReportPath>,
) -> AppResult<Html<String>> {
    let report = own_report(&state, user.user_id, report_id).await?;
    let matches = queries::matches_for_report(&state.db, report.report_id).await?;
    Ok(Html(render(ReportPage { layout, report, matches })?))
}

pub async fn close_report(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(ReportPath { report_id }): Path<ReportPath>,
) -> AppResult<Response> {
    let report_id = own_report(&state, user.user_id, report_id).await?.report_id;
    state.limits.write(Write::LostReports, user.user_id).await?;
    queries::close_report(&state.db, report_id).await?;
    Ok(redirect_with_flash(&format!("/me/lost/{report_id}"), "flash.lost.closed", None))
}
