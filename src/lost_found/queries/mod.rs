//! SQL of lost and found: found items here; collection points, lists of items, lost
//! reports and their matches, and bulletins in the modules below.

mod bulletins;
mod cards;
mod lists;
mod matches;
mod offers;
mod points;
mod reports;
pub use bulletins::*;
pub use cards::*;
pub use lists::*;
pub use matches::*;
pub use offers::*;
pub use points::*;
pub use reports::*;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

use super::model::{mask_number, public_text, PublicMask};

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
    let mask = PublicMask::new(names);
    let what = mask.apply(&format!("{} {}", i.colour, i.description));
    let search = crate::search::tsvector(&what, &mask.apply(i.found_place));
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

/// Held items of the department registered before `cutoff` (past the retention period).
pub async fn count_expired(db: impl PgExecutor<'_>, department_id: i64, cutoff: DateTime<Utc>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from found_item where department_id = $1 and status = 'held' and registered_at < $2"#,
        department_id,
        cutoff
    )
    .fetch_one(db)
    .await
}

/// Each department with held items registered before `cutoff`: (id, slug, how many).
pub async fn count_expired_by_department(
    db: impl PgExecutor<'_>,
    cutoff: DateTime<Utc>,
) -> sqlx::Result<Vec<(i64, String, i64)>> {
    let rows = sqlx::query!(
        r#"select d.department_id, d.slug, count(*) as "n!" from found_item i join department d using (department_id)
           where i.status = 'held' and i.registered_at < $1 group by d.department_id, d.slug"#,
        cutoff
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.department_id, r.slug, r.n)).collect())
}

/// Dispose of the listed items that are the department's, still held and expired; their ids.
pub async fn dispose_expired(
    tx: &mut sqlx::PgConnection,
    ids: &[i64],
    department_id: i64,
    officer_id: i64,
    cutoff: DateTime<Utc>,
) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "update found_item set status = 'disposed', closed_by = $3, closed_at = now()
         where item_id = any($1) and department_id = $2 and status = 'held' and registered_at < $4
         returning item_id",
        ids,
        department_id,
        officer_id,
        cutoff
    )
    .fetch_all(tx)
    .await
}
