//! Lost reports and their matches with found items.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

use super::{lists::RawLine, ItemLine};
use crate::lost_found::model::public_text;

/// A suggested match as officers see it on an item (with the owner's private contact).
pub struct MatchForItem {
    pub report_id: i64,
    pub score: i32,
    pub what: String,
    pub place: String,
    pub lost_on: NaiveDate,
    pub owner_name: String,
    pub owner_student_no: String,
    pub contact: String,
    pub report_open: bool,
}

/// `desk`: the viewer works this department's desk. A presidium reader sees that
/// there are matches, not the reporters' student numbers and contacts.
pub async fn matches_for_item(db: impl PgExecutor<'_>, item_id: i64, desk: bool) -> sqlx::Result<Vec<MatchForItem>> {
    sqlx::query_as!(
        MatchForItem,
        r#"select m.report_id, m.score, r.what, r.place, r.lost_on, u.name as owner_name,
                  case when $2 then u.student_no else '' end as "owner_student_no!",
                  case when $2 then r.contact else '' end as "contact!",
                  r.status = 'open' as "report_open!"
           from lost_match m join lost_report r using (report_id) join app_user u on u.user_id = r.owner_id
           where m.item_id = $1 order by m.score desc, m.report_id"#,
        item_id,
        desk
    )
    .fetch_all(db)
    .await
}

/// Also read as JSON, by `/me`'s one statement (`accounts::queries::fetch_me_page_parts`).
#[derive(serde::Deserialize)]
pub struct LostReport {
    pub report_id: i64,
    pub owner_id: i64,
    pub category: String,
    pub what: String,
    pub place: String,
    pub lost_on: NaiveDate,
    pub description: String,
    pub contact: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

/// A student's own lost report (whether another's exists is nobody else's business).
pub async fn fetch_report_of_owner(
    db: impl PgExecutor<'_>,
    report_id: i64,
    owner_id: i64,
) -> sqlx::Result<Option<LostReport>> {
    sqlx::query_as!(
        LostReport,
        "select report_id, owner_id, category, what, place, lost_on, description, contact, status, created_at
         from lost_report where report_id = $1 and owner_id = $2",
        report_id,
        owner_id
    )
    .fetch_optional(db)
    .await
}

/// Open reports for a desk's list, newest first. Who lost what, where and when is
/// there to spot a match by eye; the reporter's name, student number and contact
/// are private and leave the database only for a report matched to an item this
/// department holds (the desk then has the thing to give back). Until then
/// `owner` is `None` and numbers written into the description are masked.
pub struct OpenReport {
    pub report_id: i64,
    pub category: String,
    pub what: String,
    pub place: String,
    pub lost_on: NaiveDate,
    pub description: String,
    pub owner: Option<ReportOwner>,
    /// Matches with this department's items.
    pub matches: i64,
}

pub struct ReportOwner {
    pub name: String,
    pub student_no: String,
    pub contact: String,
}

struct RawOpenReport {
    report_id: i64,
    category: String,
    what: String,
    place: String,
    lost_on: NaiveDate,
    description: String,
    contact: Option<String>,
    owner_name: Option<String>,
    owner_student_no: Option<String>,
    matches: i64,
}

pub async fn list_open_reports(
    db: impl PgExecutor<'_>,
    department_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<OpenReport>> {
    let rows = sqlx::query_as!(
        RawOpenReport,
        r#"select r.report_id, r.category, r.what, r.place, r.lost_on, r.description,
                  case when x.matches > 0 then r.contact end as "contact?",
                  case when x.matches > 0 then u.name end as "owner_name?",
                  case when x.matches > 0 then u.student_no end as "owner_student_no?",
                  x.matches as "matches!"
           from lost_report r
           join app_user u on u.user_id = r.owner_id
           cross join lateral (
               select count(*) as matches from lost_match m join found_item i on i.item_id = m.item_id
               where m.report_id = r.report_id and i.department_id = $1
           ) x
           where r.status = 'open' order by r.report_id desc limit $2"#,
        department_id,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let owner = match (r.owner_name, r.owner_student_no, r.contact) {
                (Some(name), Some(student_no), Some(contact)) => Some(ReportOwner { name, student_no, contact }),
                _ => None,
            };
            let description = if owner.is_some() { r.description } else { public_text(&r.description, &[]) };
            OpenReport {
                report_id: r.report_id,
                category: r.category,
                what: r.what,
                place: r.place,
                lost_on: r.lost_on,
                description,
                owner,
                matches: r.matches,
            }
        })
        .collect())
}

pub struct NewReport<'a> {
    pub owner_id: i64,
    pub category: &'a str,
    pub what: &'a str,
    pub place: &'a str,
    pub lost_on: NaiveDate,
    pub description: &'a str,
    pub contact: &'a str,
}

pub async fn insert_report(db: impl PgExecutor<'_>, r: &NewReport<'_>) -> sqlx::Result<i64> {
    let search = crate::search::tsvector(r.what, &format!("{} {}", r.description, r.place));
    sqlx::query_scalar!(
        "insert into lost_report (owner_id, category, what, place, lost_on, description, contact, search_doc)
         values ($1, $2, $3, $4, $5, $6, $7, $8::text::tsvector) returning report_id",
        r.owner_id,
        r.category,
        r.what,
        r.place,
        r.lost_on,
        r.description,
        r.contact,
        search
    )
    .fetch_one(db)
    .await
}

/// The held items a report may be about, best first (as the student sees them).
pub async fn matches_for_report(db: impl PgExecutor<'_>, report_id: i64) -> sqlx::Result<Vec<ItemLine>> {
    let rows = sqlx::query_as!(
        RawLine,
        r#"select i.item_id, i.point_id, p.name_zh as point_zh, p.name_en as point_en, i.category, i.description,
                  i.colour, i.found_place, i.found_on, i.status, i.thumb_name is not null as "thumb!",
                  i.registered_at, i.card_student_no, i.card_name, (select o.name from app_user o where o.user_id = i.owner_id) as "owner_name?"
           from lost_match m
           join found_item i on i.item_id = m.item_id
           join collection_point p on p.point_id = i.point_id
           where m.report_id = $1 and i.status = 'held'
           order by m.score desc, i.item_id desc"#,
        report_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(ItemLine::from).collect())
}

/// The claimant's own open reports matched to the item are answered.
pub async fn close_claimants_reports(tx: &mut sqlx::PgConnection, item_id: i64, student_no: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "update lost_report r set status = 'closed', closed_at = now()
         from lost_match m, app_user u
         where m.report_id = r.report_id and m.item_id = $1 and u.user_id = r.owner_id
           and u.student_no = $2 and r.status = 'open'",
        item_id,
        student_no
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// The owner closes their report (found it, or gave up).
pub async fn close_report(db: impl PgExecutor<'_>, report_id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "update lost_report set status = 'closed', closed_at = now() where report_id = $1 and status = 'open'",
        report_id
    )
    .execute(db)
    .await?;
    Ok(())
}
