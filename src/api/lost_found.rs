//! `/api/v1/lost-found/…`: found items still held and the bulletins, from the lost and
//! found area's own public queries: card numbers come masked and owners' names are
//! already taken out of the free text (`model::public_text`), exactly as on the pages.

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
    lost_found::{model::CATEGORIES, queries, BulletinPath},
    web::{forms, Path},
};

#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ItemParams {
    /// card, electronics, keys, books, clothing, umbrella, wallet, other.
    category: String,
    /// A collection point's id.
    point: String,
    /// Found on or after this day (YYYY-MM-DD).
    from: String,
    /// Found on or before this day (YYYY-MM-DD).
    to: String,
    /// Search words; results are one page, best first, with no `next`.
    q: String,
    cursor: String,
    per_page: String,
}

/// A found item, as the public list shows it.
#[derive(Serialize, ToSchema)]
pub struct FoundItem {
    pub item_id: i64,
    pub category: String,
    pub description: String,
    pub colour: String,
    pub found_place: String,
    pub found_on: NaiveDate,
    pub status: String,
    pub point_zh: String,
    pub point_en: String,
    pub registered_at: DateTime<Utc>,
    /// A found card's student number, masked as the pages mask it (2021****12).
    pub card_no: Option<String>,
    /// The photo's thumbnail, when there is one (never for cards).
    pub thumbnail_url: Option<String>,
    pub url: String,
}

fn found_item(origin: &str, i: queries::ItemLine) -> FoundItem {
    let url = format!("{origin}/lost-found/items/{}", i.item_id);
    FoundItem {
        thumbnail_url: i.thumb.then(|| format!("{url}/photo?size=thumb")),
        url,
        item_id: i.item_id,
        category: i.category,
        description: i.description,
        colour: i.colour,
        found_place: i.found_place,
        found_on: i.found_on,
        status: i.status,
        point_zh: i.point_zh,
        point_en: i.point_en,
        registered_at: i.registered_at,
        card_no: i.card_no,
    }
}

fn day(field: &'static str, raw: &str) -> ApiResult<Option<NaiveDate>> {
    match raw {
        "" => Ok(None),
        d => forms::filter_day(d).map(Some).ok_or(ApiError::BadParam { field, key: "api.error.date" }),
    }
}

/// Found items still held, newest first.
#[utoipa::path(get, path = "/api/v1/lost-found/items", tag = "lost_found", params(ItemParams),
    responses((status = 200, body = Page<FoundItem>), (status = 400, body = ErrorBody)))]
pub async fn list_items(
    State(state): State<AppState>,
    Origin(origin): Origin,
    Query(p): Query<ItemParams>,
) -> ApiResult<Page<FoundItem>> {
    let paging = Paging { cursor: p.cursor.clone(), per_page: p.per_page.clone() };
    let per_page = paging.per_page()?;
    let before = paging.cursor(|c| c.parse::<i64>().ok())?;
    let category = match p.category.as_str() {
        "" => None,
        c => Some(
            CATEGORIES
                .iter()
                .copied()
                .find(|k| *k == c)
                .ok_or(ApiError::BadParam { field: "category", key: "api.error.category" })?,
        ),
    };
    let point_id = match p.point.as_str() {
        "" => None,
        o => Some(o.parse().map_err(|_| ApiError::BadParam { field: "point", key: "api.error.point" })?),
    };
    let query = crate::search::tsquery(&p.q);
    let searching = query.is_some();
    let filter = queries::ListFilter {
        category,
        point_id,
        from: day("from", &p.from)?,
        to: day("to", &p.to)?,
        query,
        before: before.filter(|_| !searching),
        limit: per_page,
    };
    let rows = queries::list_held(&state.db, &filter).await?;
    let cursor = forms::next_cursor(&rows, per_page, |r| r.item_id.to_string()).filter(|_| !searching);
    let query = [
        ("category", p.category.as_str()),
        ("point", &p.point),
        ("from", &p.from),
        ("to", &p.to),
        ("per_page", &p.per_page),
    ];
    let next = next_url(&origin, "/api/v1/lost-found/items", &query, cursor);
    Ok(Page { items: rows.into_iter().map(|i| found_item(&origin, i)).collect(), per_page, next })
}

/// A bulletin: a numbered notice of the found items a department published at once.
#[derive(Serialize, ToSchema)]
pub struct BulletinSummary {
    pub number: i32,
    pub published_at: DateTime<Utc>,
    pub item_count: i32,
    pub department_zh: String,
    pub department_en: String,
    pub url: String,
}

fn bulletin(origin: &str, b: queries::Bulletin) -> BulletinSummary {
    BulletinSummary {
        url: format!("{origin}/lost-found/bulletins/{}", b.number),
        number: b.number,
        published_at: b.published_at,
        item_count: b.item_count,
        department_zh: b.dept_zh,
        department_en: b.dept_en,
    }
}

/// The most recent bulletins, newest first (the hundred the bulletins page lists).
#[utoipa::path(get, path = "/api/v1/lost-found/bulletins", tag = "lost_found",
    responses((status = 200, body = Page<BulletinSummary>)))]
pub async fn list_bulletins(State(state): State<AppState>, Origin(origin): Origin) -> ApiResult<Page<BulletinSummary>> {
    let bulletins = queries::list_recent_bulletins(&state.db, super::http::MAX_PER_PAGE).await?;
    let items: Vec<BulletinSummary> = bulletins.into_iter().map(|b| bulletin(&origin, b)).collect();
    Ok(Page { per_page: super::http::MAX_PER_PAGE, items, next: None })
}

/// A bulletin and a page of its items.
#[derive(Serialize, ToSchema)]
pub struct BulletinDetail {
    pub bulletin: BulletinSummary,
    pub items: Vec<FoundItem>,
    pub per_page: i64,
    pub next: Option<String>,
}

/// One bulletin with its items, a page at a time (the cursor counts items already given).
#[utoipa::path(get, path = "/api/v1/lost-found/bulletins/{number}", tag = "lost_found",
    params(("number" = i32, Path, description = "The bulletin's number"), Paging),
    responses((status = 200, body = BulletinDetail), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn show_bulletin(
    State(state): State<AppState>,
    Origin(origin): Origin,
    Path(BulletinPath { number }): Path<BulletinPath>,
    Query(paging): Query<Paging>,
) -> ApiResult<Json<BulletinDetail>> {
    let per_page = paging.per_page()?;
    let offset = paging.cursor(|c| c.parse::<i64>().ok().filter(|n| *n >= 0))?.unwrap_or(0);
    let mut conn = state.db.acquire().await?;
    let b = queries::fetch_bulletin(&mut *conn, number).await?.ok_or(ApiError::NotFound)?;
    let mut rows = queries::list_bulletin_items(&mut *conn, b.bulletin_id, offset, per_page + 1).await?;
    let more = rows.len() as i64 > per_page;
    rows.truncate(per_page as usize);
    let path = format!("/api/v1/lost-found/bulletins/{number}");
    let next =
        next_url(&origin, &path, &[("per_page", &paging.per_page)], more.then(|| (offset + per_page).to_string()));
    let items = rows.into_iter().map(|i| found_item(&origin, i)).collect();
    Ok(Json(BulletinDetail { bulletin: bulletin(&origin, b), items, per_page, next }))
}
