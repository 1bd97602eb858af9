//! Bulletins (期): everything registered since the last one, under the next
//! number, with no gaps and no duplicates however many officers or portal
//! processes publish at once. Each has a page, a print layout for the notice
//! boards and an entry in the Atom feed.

use askama::Template;
use axum::{
    extract::State,
    http::{header, HeaderMap},
    response::{Html, IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;

use super::{
    queries::{self, ItemLine, Point},
    BulletinPath,
};
use crate::{
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult},
    web::{context::redirect_with_flash, render, DeptAccess, Layout, Path},
};

pub struct Bulletin {
    pub bulletin_id: i64,
    pub number: i32,
    pub published_at: DateTime<Utc>,
    pub item_count: i32,
    pub dept_zh: String,
    pub dept_en: String,
}

async fn list_recent(db: &PgPool, limit: i64) -> sqlx::Result<Vec<Bulletin>> {
    sqlx::query_as!(
        Bulletin,
        "select b.bulletin_id, b.number, b.published_at, b.item_count, d.name_zh as dept_zh, d.name_en as dept_en
         from bulletin b join department d using (department_id) order by b.number desc limit $1",
        limit
    )
    .fetch_all(db)
    .await
}

async fn fetch_bulletin(db: &PgPool, number: i32) -> sqlx::Result<Option<Bulletin>> {
    sqlx::query_as!(
        Bulletin,
        "select b.bulletin_id, b.number, b.published_at, b.item_count, d.name_zh as dept_zh, d.name_en as dept_en
         from bulletin b join department d using (department_id) where b.number = $1",
        number
    )
    .fetch_optional(db)
    .await
}

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
    sqlx::query!("select pg_advisory_xact_lock($1)", PUBLISH_LOCK).execute(&mut *tx).await?;
    let number = sqlx::query_scalar!(r#"select coalesce(max(number) + 1, $1) as "n!" from bulletin"#, first_number)
        .fetch_one(&mut *tx)
        .await?;
    let bulletin_id = sqlx::query_scalar!(
        "insert into bulletin (number, department_id, published_by, item_count) values ($1, $2, $3, 0)
         returning bulletin_id",
        number,
        department_id,
        officer_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let items = sqlx::query!(
        // What already left the point is not announced on the notice boards.
        "update found_item set bulletin_id = $1 where department_id = $2 and bulletin_id is null and status = 'held'",
        bulletin_id,
        department_id
    )
    .execute(&mut *tx)
    .await?
    .rows_affected() as i64;
    if items == 0 {
        // Nothing new: the number stays free for the next real bulletin.
        tx.rollback().await?;
        return Ok(None);
    }
    sqlx::query!("update bulletin set item_count = $2 where bulletin_id = $1", bulletin_id, items as i32)
        .execute(&mut *tx)
        .await?;
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
    let next_number = sqlx::query_scalar!(
        r#"select coalesce(max(number) + 1, $1) as "n!" from bulletin"#,
        state.config.first_bulletin
    )
    .fetch_one(&state.db)
    .await?;
    let unpublished = sqlx::query_scalar!(
        r#"select count(*) as "n!" from found_item where department_id = $1 and bulletin_id is null and status = 'held'"#,
        access.dept.department_id
    )
    .fetch_one(&state.db)
    .await?;
    let recent = list_recent(&state.db, 10).await?;
    Ok(Html(render(NextBulletinPage { layout, access, next_number, unpublished, recent })?))
}

pub async fn publish(State(state): State<AppState>, access: DeptAccess) -> AppResult<Response> {
    let done =
        publish_next(&state.db, access.dept.department_id, access.viewer.user_id, state.config.first_bulletin).await?;
    let (number, _) = done.ok_or(AppError::Conflict("error.409.nothing_to_publish"))?;
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
    let bulletins = list_recent(&state.db, 100).await?;
    Ok(Html(render(BulletinsPage { layout, bulletins })?))
}

/// A bulletin's items, by point (points without items are left out).
pub struct PointSection {
    pub point: Point,
    pub items: Vec<ItemLine>,
}

async fn sections(db: &PgPool, bulletin_id: i64) -> sqlx::Result<Vec<PointSection>> {
    let items = queries::list_bulletin_items(db, bulletin_id).await?;
    let points = queries::list_points(db, None).await?;
    let mut out: Vec<PointSection> = points.into_iter().map(|point| PointSection { point, items: vec![] }).collect();
    for item in items {
        if let Some(s) = out.iter_mut().find(|s| s.point.point_id == item.point_id) {
            s.items.push(item);
        }
    }
    out.retain(|s| !s.items.is_empty());
    Ok(out)
}

#[derive(Template)]
#[template(path = "lost_found/bulletin.html")]
struct BulletinPage {
    layout: Layout,
    bulletin: Bulletin,
    sections: Vec<PointSection>,
}

pub async fn show_bulletin(
    State(state): State<AppState>,
    layout: Layout,
    Path(BulletinPath { number }): Path<BulletinPath>,
) -> AppResult<Html<String>> {
    let bulletin = fetch_bulletin(&state.db, number).await?.ok_or(AppError::NotFound)?;
    let sections = sections(&state.db, bulletin.bulletin_id).await?;
    Ok(Html(render(BulletinPage { layout, bulletin, sections })?))
}

#[derive(Template)]
#[template(path = "lost_found/bulletin_print.html")]
struct PrintPage {
    layout: Layout,
    bulletin: Bulletin,
    sections: Vec<PointSection>,
}

/// The notice-board layout: A4, one page per point.
pub async fn print_bulletin(
    State(state): State<AppState>,
    layout: Layout,
    Path(BulletinPath { number }): Path<BulletinPath>,
) -> AppResult<Html<String>> {
    let bulletin = fetch_bulletin(&state.db, number).await?.ok_or(AppError::NotFound)?;
    let sections = sections(&state.db, bulletin.bulletin_id).await?;
    Ok(Html(render(PrintPage { layout, bulletin, sections })?))
}

/// `/feeds/lost-found.atom`: the latest bulletins, each with its items (masked like every public page).
pub async fn feed(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    use atom_syndication::{Content, Entry, Feed, Link, Person, Text};
    let base = crate::web::base_url(&state, &headers);
    let zh = crate::web::Lang::Zh;
    let bulletins = list_recent(&state.db, 20).await?;
    let mut entries = vec![];
    for b in &bulletins {
        let items = queries::list_bulletin_items(&state.db, b.bulletin_id).await?;
        let mut html = String::from("<ul>");
        for i in &items {
            let line = format!(
                "{} · {}{} · {} · {} → {}",
                zh.t(&format!("lost.category.{}", i.category)),
                i.colour,
                i.description,
                i.found_place,
                i.found_on,
                i.point_zh
            );
            html.push_str(&format!("<li>{}</li>", escape_html(&line)));
        }
        html.push_str("</ul>");
        let url = format!("{base}/lost-found/bulletins/{}", b.number);
        let title = zh
            .t("lost.bulletin.feed_entry")
            .replace("%{number}", &b.number.to_string())
            .replace("%{n}", &b.item_count.to_string());
        entries.push(Entry {
            // Stable whatever the host name the feed was fetched under.
            id: format!("urn:union-portal:lost-found:bulletin:{}", b.number),
            title: Text::plain(title),
            updated: b.published_at.fixed_offset(),
            published: Some(b.published_at.fixed_offset()),
            links: vec![Link {
                href: url,
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Link::default()
            }],
            content: Some(Content { value: Some(html), content_type: Some("html".into()), ..Content::default() }),
            authors: vec![Person { name: b.dept_zh.clone(), ..Person::default() }],
            ..Entry::default()
        });
    }
    // An empty feed was last updated now, not in 1970: readers sort and refresh by it.
    let updated = bulletins.first().map(|b| b.published_at).unwrap_or_else(Utc::now).fixed_offset();
    let feed = Feed {
        id: "urn:union-portal:lost-found:bulletins".into(),
        title: Text::plain(zh.t("lost.feed.title").into_owned()),
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
