//! Bulletins (期): everything registered since the last one, under the next
//! number, with no gaps and no duplicates however many officers or portal
//! processes publish at once. Each has a page, a print layout for the notice
//! boards and an entry in the Atom feed.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::{header, HeaderMap},
    response::{Html, IntoResponse, Response},
};
use chrono::Utc;
use serde_json::json;
use sqlx::PgPool;

use super::{
    queries::{self, Bulletin, ItemLine, Point},
    BulletinPath,
};
use crate::{
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult},
    web::{context::redirect_with_flash, forms::PageQuery, render, DeptAccess, Layout, Path},
};

/// Any fixed key serialises publication across every connection to the database.
const PUBLISH_LOCK: i64 = 0x4c6f_7374_4675_6e64;

/// Publish the department's unpublished items as the next bulletin: `None` when there is nothing new.
pub async fn publish_next(
    db: &PgPool,
    department_id: i64,
    officer_id: i64,
    first_number: i32,
) -> sqlx::Result<Option<(i32, i64)>> {
    let mut tx = db.begin().await?;
    queries::lock_publication(&mut tx, PUBLISH_LOCK).await?;
    let number = queries::next_bulletin_number(&mut *tx, first_number).await?;
    let bulletin_id = queries::insert_bulletin(&mut tx, number, department_id, officer_id).await?;
    let items = queries::announce_held_items(&mut tx, bulletin_id, department_id).await? as i64;
    if items == 0 {
        // Nothing new: the number stays free for the next real bulletin.
        tx.rollback().await?;
        return Ok(None);
    }
    queries::set_item_count(&mut tx, bulletin_id, items as i32).await?;
    let told = crate::robots::messages::bulletin(number, items);
    crate::robots::announce(&mut *tx, crate::robots::Topic::Bulletins, Some(department_id), &told).await?;
    audit::record(
        &mut *tx,
        Some(officer_id),
        Some(department_id),
        Action::BulletinPublish,
        "bulletin",
        &number.to_string(),
        None,
        Some(json!({ "number": number, "items": items })),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(number, items, "bulletin published");
    Ok(Some((number, items)))
}

#[derive(Template)]
#[template(path = "lost_found/next_bulletin.html")]
struct NextBulletinPage {
    layout: Layout,
    access: DeptAccess,
    next_number: i32,
    unpublished: i64,
    recent: Vec<Bulletin>,
}

pub async fn next_bulletin(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
) -> AppResult<Html<String>> {
    let next_number = queries::next_bulletin_number(&state.db, state.config.first_bulletin).await?;
    let unpublished = queries::count_unpublished(&state.db, access.dept.department_id).await?;
    let recent = queries::list_recent_bulletins(&state.db, 10).await?;
    Ok(Html(render(NextBulletinPage { layout, access, next_number, unpublished, recent })?))
}

pub async fn publish(State(state): State<AppState>, access: DeptAccess) -> AppResult<Response> {
    let done =
        publish_next(&state.db, access.dept.department_id, access.viewer.user_id, state.config.first_bulletin).await?;
    let (number, _) = done.ok_or(AppError::Conflict("error.409.nothing_to_publish"))?;
    // This process's kept number at once; the others hear of it from the trigger (migrations/0057).
    state.cached.changed("bulletin");
    Ok(redirect_with_flash(
        &format!("/lost-found/bulletins/{number}"),
        "flash.lost.published",
        Some(&number.to_string()),
    ))
}

#[derive(Template)]
#[template(path = "lost_found/bulletins.html")]
struct BulletinsPage {
    layout: Layout,
    bulletins: Vec<Bulletin>,
}

pub async fn list_bulletins(State(state): State<AppState>, layout: Layout) -> AppResult<Html<String>> {
    let bulletins = queries::list_recent_bulletins(&state.db, 100).await?;
    Ok(Html(render(BulletinsPage { layout, bulletins })?))
}

/// A bulletin's items, by point (points without items are left out).
pub struct PointSection {
    pub point: Point,
    pub items: Vec<ItemLine>,
}

/// Items a bulletin's page shows at once: a bulletin holds hundreds, a phone shows a few
/// dozen well (the print shows them all).
const BULLETIN_PAGE: i64 = 50;

/// All of a bulletin's items (the print, the feed).
const ALL_ITEMS: i64 = i64::MAX;

fn sections(points: &[Point], items: Vec<ItemLine>) -> Vec<PointSection> {
    let mut out: Vec<PointSection> =
        points.iter().map(|point| PointSection { point: point.clone(), items: vec![] }).collect();
    for item in items {
        if let Some(s) = out.iter_mut().find(|s| s.point.point_id == item.point_id) {
            s.items.push(item);
        }
    }
    out.retain(|s| !s.items.is_empty());
    out
}

/// Bulletin `number` and the sections of `limit` of its items from `offset` (the page shows a
/// page of them, the notice-board print all); whether more follow. One connection for the
/// two statements: the pool checks each connection it gets back with a round trip of its own.
/// The points are kept reference data (`queries::all_points`).
async fn with_sections(
    state: &AppState,
    number: i32,
    offset: i64,
    limit: i64,
) -> AppResult<(Bulletin, Vec<PointSection>, bool)> {
    let mut conn = state.db.acquire().await?;
    let db = &mut *conn;
    let bulletin = queries::fetch_bulletin(&mut *db, number).await?.ok_or(AppError::NotFound)?;
    let mut items =
        queries::list_bulletin_items(&mut *db, bulletin.bulletin_id, offset, limit.saturating_add(1)).await?;
    let more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    drop(conn);
    let mut points = queries::all_points(state).await?;
    if items.iter().any(|i| !points.iter().any(|p| p.point_id == i.point_id)) {
        // A point newer than the kept list: read them afresh rather than leave its items out.
        state.cached.changed("collection_point");
        points = queries::all_points(state).await?;
    }
    Ok((bulletin, sections(&points, items), more))
}

#[derive(Template)]
#[template(path = "lost_found/bulletin.html")]
struct BulletinPage {
    layout: Layout,
    bulletin: Bulletin,
    sections: Vec<PointSection>,
    /// This page's number (from 1), and whether another follows.
    page: i64,
    more: bool,
}

pub async fn show_bulletin(
    State(state): State<AppState>,
    layout: Layout,
    Path(BulletinPath { number }): Path<BulletinPath>,
    Query(q): Query<PageQuery>,
) -> AppResult<Html<String>> {
    let page = q.number();
    let (bulletin, sections, more) = with_sections(&state, number, (page - 1) * BULLETIN_PAGE, BULLETIN_PAGE).await?;
    Ok(Html(render(BulletinPage { layout, bulletin, sections, page, more })?))
}

#[derive(Template)]
#[template(path = "lost_found/bulletin_print.html")]
struct PrintPage {
    layout: Layout,
    bulletin: Bulletin,
    sections: Vec<PointSection>,
    /// The bulletin's page, which each sheet's QR code leads to.
    page_url: String,
}

/// The notice-board layout: A4, one page per point.
pub async fn print_bulletin(
    State(state): State<AppState>,
    layout: Layout,
    Path(BulletinPath { number }): Path<BulletinPath>,
) -> AppResult<Html<String>> {
    let (bulletin, sections, _) = with_sections(&state, number, 0, ALL_ITEMS).await?;
    let page_url = layout.url(&format!("/lost-found/bulletins/{number}"));
    Ok(Html(render(PrintPage { layout, bulletin, sections, page_url })?))
}

/// Bulletins in the feed, and items listed in each entry (the entry links to all of them).
const FEED_BULLETINS: i64 = 10;
const FEED_ITEMS: i64 = 30;

/// A bulletin's first items as the entry's HTML: one line each, in Chinese, as on the notice
/// board, and how many there are in all when the bulletin holds more.
fn bulletin_html(items: &[&queries::ItemLine], item_count: i64) -> String {
    let zh = crate::web::Lang::Zh;
    let mut html = String::from("<ul>");
    for i in items {
        let category = zh.t(&format!("lost.category.{}", i.category));
        let (what, place, on, point) =
            (format!("{}{}", i.colour, i.description), &i.found_place, i.found_on, &i.point_zh);
        let line = format!("{category} · {what} · {place} · {on} → {point}");
        html.push_str(&format!("<li>{}</li>", escape_html(&line)));
    }
    if item_count > items.len() as i64 {
        let more = zh.t("lost.feed.more").replace("%{n}", &item_count.to_string());
        html.push_str(&format!("<li>{}</li>", escape_html(&more)));
    }
    html.push_str("</ul>");
    html
}

/// One bulletin as a feed entry.
fn bulletin_entry(base: &str, b: &queries::Bulletin, html: String) -> atom_syndication::Entry {
    use atom_syndication::{Content, Entry, Link, Person, Text};
    let title = crate::web::Lang::Zh
        .t("lost.bulletin.feed_entry")
        .replace("%{number}", &b.number.to_string())
        .replace("%{n}", &b.item_count.to_string());
    let alternate = Link {
        href: format!("{base}/lost-found/bulletins/{}", b.number),
        rel: "alternate".into(),
        mime_type: Some("text/html".into()),
        ..Link::default()
    };
    Entry {
        // Stable whatever the host name the feed was fetched under.
        id: format!("urn:union-portal:lost-found:bulletin:{}", b.number),
        title: Text::plain(title),
        updated: b.published_at.fixed_offset(),
        published: Some(b.published_at.fixed_offset()),
        links: vec![alternate],
        content: Some(Content { value: Some(html), content_type: Some("html".into()), ..Content::default() }),
        authors: vec![Person { name: b.dept_zh.clone(), ..Person::default() }],
        ..Entry::default()
    }
}

pub async fn feed(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    use atom_syndication::{Feed, Link, Text};
    let base = crate::web::base_url(&state, &headers);
    let bulletins = queries::list_recent_bulletins(&state.db, FEED_BULLETINS).await?;
    let ids: Vec<i64> = bulletins.iter().map(|b| b.bulletin_id).collect();
    let lines = queries::list_feed_lines(&state.db, &ids, FEED_ITEMS).await?;
    let mut entries = vec![];
    for b in &bulletins {
        let items: Vec<&ItemLine> = lines.iter().filter(|(id, _)| *id == b.bulletin_id).map(|(_, l)| l).collect();
        entries.push(bulletin_entry(&base, b, bulletin_html(&items, b.item_count.into())));
    }
    // An empty feed was last updated now, not in 1970: readers sort and refresh by it.
    let updated = bulletins.first().map(|b| b.published_at).unwrap_or_else(Utc::now).fixed_offset();
    let feed = Feed {
        id: "urn:union-portal:lost-found:bulletins".into(),
        title: Text::plain(crate::web::Lang::Zh.t("lost.feed.title").into_owned()),
        updated,
        links: vec![
            Link { href: format!("{base}/feeds/lost-found.atom"), rel: "self".into(), ..Link::default() },
            Link { href: format!("{base}/lost-found/bulletins"), rel: "alternate".into(), ..Link::default() },
        ],
        entries,
        ..Feed::default()
    };
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], feed.to_string()).into_response())
}

/// Text made safe inside HTML (the feed's content is HTML, escaped once more by the XML writer).
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
