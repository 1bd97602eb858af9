//! SQL of lost and found: points, items, lost reports, matches.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

use super::model::{mask_number, public_text};

pub struct Point {
    pub point_id: i64,
    pub department_id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub address: String,
    pub opening_hours: String,
    pub sort_order: i32,
    pub archived: bool,
}

/// Every point, open ones first; `department_id` limits to one department's.
pub async fn list_points(db: impl PgExecutor<'_>, department_id: Option<i64>) -> sqlx::Result<Vec<Point>> {
    sqlx::query_as!(
        Point,
        r#"select point_id, department_id, name_zh, name_en, address, opening_hours, sort_order,
                  archived_at is not null as "archived!"
           from collection_point where $1::bigint is null or department_id = $1
           order by archived_at is not null, sort_order, point_id"#,
        department_id
    )
    .fetch_all(db)
    .await
}

/// One point of this department, locked until the transaction ends (an edit's state before).
pub async fn fetch_point_for_update(
    db: impl PgExecutor<'_>,
    point_id: i64,
    department_id: i64,
) -> sqlx::Result<Option<Point>> {
    sqlx::query_as!(
        Point,
        r#"select point_id, department_id, name_zh, name_en, address, opening_hours, sort_order,
                  archived_at is not null as "archived!"
           from collection_point where point_id = $1 and department_id = $2 for update"#,
        point_id,
        department_id
    )
    .fetch_optional(db)
    .await
}

/// A found item with everything about it; the public sees it through the `public_*` methods.
pub struct Item {
    pub item_id: i64,
    pub department_id: i64,
    pub dept_slug: String,
    pub point_id: i64,
    pub point_zh: String,
    pub point_en: String,
    pub point_address: String,
    pub point_hours: String,
    pub category: String,
    pub description: String,
    pub colour: String,
    pub found_place: String,
    pub found_on: NaiveDate,
    pub card_student_no: Option<String>,
    pub card_name: String,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub photo_name: Option<String>,
    pub thumb_name: Option<String>,
    pub status: String,
    pub registered_by_name: Option<String>,
    pub registered_at: DateTime<Utc>,
    pub claimant_student_no: Option<String>,
    pub claimant_name: Option<String>,
    pub closed_by_name: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub close_note: String,
    pub bulletin_number: Option<i32>,
}

impl Item {
    fn names(&self) -> [&str; 2] {
        [self.card_name.as_str(), self.owner_name.as_deref().unwrap_or("")]
    }
    pub fn public_description(&self) -> String {
        public_text(&self.description, &self.names())
    }
    pub fn public_colour(&self) -> String {
        public_text(&self.colour, &self.names())
    }
    pub fn public_place(&self) -> String {
        public_text(&self.found_place, &self.names())
    }
    pub fn masked_card_no(&self) -> Option<String> {
        self.card_student_no.as_deref().map(mask_number)
    }
    /// A card's photo shows its owner's number and face: it stays with the officers.
    pub fn public_photo(&self) -> bool {
        self.thumb_name.is_some() && self.category != "card"
    }
}

pub async fn fetch_item(db: impl PgExecutor<'_>, item_id: i64) -> sqlx::Result<Option<Item>> {
    fetch_item_in(db, item_id, None).await
}

/// The item, if this department registered it (a staff route names its department).
pub async fn fetch_item_of_department(
    db: impl PgExecutor<'_>,
    item_id: i64,
    department_id: i64,
) -> sqlx::Result<Option<Item>> {
    fetch_item_in(db, item_id, Some(department_id)).await
}

async fn fetch_item_in(
    db: impl PgExecutor<'_>,
    item_id: i64,
    department_id: Option<i64>,
) -> sqlx::Result<Option<Item>> {
    sqlx::query_as!(
        Item,
        r#"select i.item_id, i.department_id, d.slug as dept_slug, i.point_id,
                  p.name_zh as point_zh, p.name_en as point_en, p.address as point_address,
                  p.opening_hours as point_hours, i.category, i.description, i.colour, i.found_place, i.found_on,
                  i.card_student_no, i.card_name, i.owner_id, (select o.name from app_user o where o.user_id = i.owner_id) as "owner_name?",
                  i.photo_name, i.thumb_name, i.status, r.name as "registered_by_name?", i.registered_at,
                  i.claimant_student_no, i.claimant_name, c.name as "closed_by_name?", i.closed_at, i.close_note,
                  b.number as "bulletin_number?"
           from found_item i
           join department d on d.department_id = i.department_id
           join collection_point p on p.point_id = i.point_id
           left join app_user r on r.user_id = i.registered_by
           left join app_user c on c.user_id = i.closed_by
           left join bulletin b on b.bulletin_id = i.bulletin_id
           where i.item_id = $1 and ($2::int8 is null or i.department_id = $2)"#,
        item_id,
        department_id
    )
    .fetch_optional(db)
    .await
}

/// One line of a list of items, already masked for the public. The queries look
/// each owner's name up with a subquery: as a join, the planner hashed all the
/// accounts (50,000 at scale) for a page of 30 items.
pub struct ItemLine {
    pub item_id: i64,
    pub point_id: i64,
    pub point_zh: String,
    pub point_en: String,
    pub category: String,
    pub description: String,
    pub colour: String,
    pub found_place: String,
    pub found_on: NaiveDate,
    pub status: String,
    pub thumb: bool,
    pub registered_at: DateTime<Utc>,
    pub card_no: Option<String>,
}

struct RawLine {
    item_id: i64,
    point_id: i64,
    point_zh: String,
    point_en: String,
    category: String,
    description: String,
    colour: String,
    found_place: String,
    found_on: NaiveDate,
    status: String,
    thumb: bool,
    registered_at: DateTime<Utc>,
    card_student_no: Option<String>,
    card_name: String,
    owner_name: Option<String>,
}

impl From<RawLine> for ItemLine {
    fn from(r: RawLine) -> ItemLine {
        let names = [r.card_name.as_str(), r.owner_name.as_deref().unwrap_or("")];
        ItemLine {
            item_id: r.item_id,
            point_id: r.point_id,
            point_zh: r.point_zh,
            point_en: r.point_en,
            description: public_text(&r.description, &names),
            colour: public_text(&r.colour, &names),
            found_place: public_text(&r.found_place, &names),
            thumb: r.thumb && r.category != "card",
            category: r.category,
            found_on: r.found_on,
            status: r.status,
            registered_at: r.registered_at,
            card_no: r.card_student_no.as_deref().map(mask_number),
        }
    }
}

pub struct ListFilter<'a> {
    pub category: Option<&'a str>,
    pub point_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub query: Option<String>,
    pub before: Option<i64>,
    pub limit: i64,
}

/// Items still held, newest first (or best first when searching).
pub async fn list_held(db: impl PgExecutor<'_>, f: &ListFilter<'_>) -> sqlx::Result<Vec<ItemLine>> {
    let Some(query) = f.query.as_deref() else {
        let rows = sqlx::query_as!(
            RawLine,
            r#"select i.item_id, i.point_id, p.name_zh as point_zh, p.name_en as point_en, i.category, i.description,
                      i.colour, i.found_place, i.found_on, i.status, i.thumb_name is not null as "thumb!",
                      i.registered_at, i.card_student_no, i.card_name, (select o.name from app_user o where o.user_id = i.owner_id) as "owner_name?"
               from found_item i
               join collection_point p on p.point_id = i.point_id
               where i.status = 'held'
                 and ($1::text is null or i.category = $1)
                 and ($2::bigint is null or i.point_id = $2)
                 and ($3::date is null or i.found_on >= $3)
                 and ($4::date is null or i.found_on <= $4)
                 and ($5::bigint is null or i.item_id < $5)
               order by i.item_id desc
               limit $6"#,
            f.category,
            f.point_id,
            f.from,
            f.to,
            f.before,
            f.limit
        )
        .fetch_all(db)
        .await?;
        return Ok(rows.into_iter().map(ItemLine::from).collect());
    };
    // Only the newest `MAX_CANDIDATES` matches are ranked (see `search`).
    let rows = sqlx::query_as!(
        RawLine,
        r#"with candidates as (
               select i.item_id
               from found_item i
               where i.status = 'held'
                 and ($1::text is null or i.category = $1)
                 and ($2::bigint is null or i.point_id = $2)
                 and ($3::date is null or i.found_on >= $3)
                 and ($4::date is null or i.found_on <= $4)
                 and ($6::bigint is null or i.item_id < $6)
                 and i.search_doc @@ $5::text::tsquery
               order by i.item_id desc
               limit $8
           )
           select i.item_id, i.point_id, p.name_zh as point_zh, p.name_en as point_en, i.category, i.description,
                  i.colour, i.found_place, i.found_on, i.status, i.thumb_name is not null as "thumb!",
                  i.registered_at, i.card_student_no, i.card_name, (select o.name from app_user o where o.user_id = i.owner_id) as "owner_name?"
           from candidates
           join found_item i using (item_id)
           join collection_point p on p.point_id = i.point_id
           order by ts_rank(i.search_doc, $5::text::tsquery) desc, i.item_id desc
           limit $7"#,
        f.category,
        f.point_id,
        f.from,
        f.to,
        query,
        f.before,
        f.limit,
        crate::search::MAX_CANDIDATES
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(ItemLine::from).collect())
}

/// The items of one bulletin, by point.
pub async fn list_bulletin_items(db: impl PgExecutor<'_>, bulletin_id: i64) -> sqlx::Result<Vec<ItemLine>> {
    let rows = sqlx::query_as!(
        RawLine,
        r#"select i.item_id, i.point_id, p.name_zh as point_zh, p.name_en as point_en, i.category, i.description,
                  i.colour, i.found_place, i.found_on, i.status, i.thumb_name is not null as "thumb!",
                  i.registered_at, i.card_student_no, i.card_name,
                  (select o.name from app_user o where o.user_id = i.owner_id) as "owner_name?"
           from found_item i
           join collection_point p on p.point_id = i.point_id
           where i.bulletin_id = $1
           order by p.sort_order, p.point_id, i.item_id"#,
        bulletin_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(ItemLine::from).collect())
}

/// A department's items: its recent intake, or those held past the retention period.
pub async fn list_department_items(
    db: impl PgExecutor<'_>,
    department_id: i64,
    held_registered_before: Option<DateTime<Utc>>,
    limit: i64,
) -> sqlx::Result<Vec<ItemLine>> {
    let rows = sqlx::query_as!(
        RawLine,
        r#"select i.item_id, i.point_id, p.name_zh as point_zh, p.name_en as point_en, i.category, i.description,
                  i.colour, i.found_place, i.found_on, i.status, i.thumb_name is not null as "thumb!",
                  i.registered_at, i.card_student_no, i.card_name, (select o.name from app_user o where o.user_id = i.owner_id) as "owner_name?"
           from found_item i
           join collection_point p on p.point_id = i.point_id
           where i.department_id = $1
             and ($2::timestamptz is null or (i.status = 'held' and i.registered_at < $2))
           order by i.item_id desc
           limit $3"#,
        department_id,
        held_registered_before,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(ItemLine::from).collect())
}

pub struct NewItem<'a> {
    pub department_id: i64,
    pub point_id: i64,
    pub category: &'a str,
    pub description: &'a str,
    pub colour: &'a str,
    pub found_place: &'a str,
    pub found_on: NaiveDate,
    pub card_student_no: Option<&'a str>,
    pub card_name: &'a str,
    pub owner_id: Option<i64>,
    pub photo: Option<(&'a str, &'a str)>,
    pub registered_by: i64,
}

/// `names` are masked out of the search index too, so searching a name or a full
/// number cannot confirm what the page hides.
pub async fn insert_item(db: impl PgExecutor<'_>, i: &NewItem<'_>, names: &[&str]) -> sqlx::Result<i64> {
    let what = public_text(&format!("{} {}", i.colour, i.description), names);
    let search = crate::search::tsvector(&what, &public_text(i.found_place, names));
    sqlx::query_scalar!(
        "insert into found_item (department_id, point_id, category, description, colour, found_place, found_on,
                                 card_student_no, card_name, owner_id, photo_name, thumb_name, registered_by, search_doc)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::text::tsvector)
         returning item_id",
        i.department_id,
        i.point_id,
        i.category,
        i.description,
        i.colour,
        i.found_place,
        i.found_on,
        i.card_student_no,
        i.card_name,
        i.owner_id,
        i.photo.map(|p| p.0),
        i.photo.map(|p| p.1),
        i.registered_by,
        search
    )
    .fetch_one(db)
    .await
}

/// The user holding a student number, if they have an active account: (id, name).
pub async fn user_by_student_no(db: impl PgExecutor<'_>, student_no: &str) -> sqlx::Result<Option<(i64, String)>> {
    let row =
        sqlx::query!("select user_id, name from app_user where student_no = $1 and disabled_at is null", student_no)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|r| (r.user_id, r.name)))
}

/// The point this officer registered their last item at: the intake form's default.
pub async fn last_point_of(db: impl PgExecutor<'_>, user_id: i64, department_id: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "select point_id from found_item where registered_by = $1 and department_id = $2
         order by item_id desc limit 1",
        user_id,
        department_id
    )
    .fetch_optional(db)
    .await
}

/// Take a held item off the shelf; false when it is no longer held (someone else was quicker).
pub async fn close_item(
    db: impl PgExecutor<'_>,
    item_id: i64,
    to: &str,
    officer_id: i64,
    claimant: Option<(&str, &str)>,
    note: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update found_item set status = $2, closed_by = $3, closed_at = now(),
                claimant_student_no = $4, claimant_name = $5, close_note = $6
         where item_id = $1 and status = 'held'",
        item_id,
        to,
        officer_id,
        claimant.map(|c| c.0),
        claimant.map(|c| c.1),
        note
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

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

pub async fn list_reports_of(db: impl PgExecutor<'_>, owner_id: i64) -> sqlx::Result<Vec<LostReport>> {
    sqlx::query_as!(
        LostReport,
        "select report_id, owner_id, category, what, place, lost_on, description, contact, status, created_at
         from lost_report where owner_id = $1 order by report_id desc limit 50",
        owner_id
    )
    .fetch_all(db)
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
