//! Things students found and reported (`found_offer`): theirs to read, the lost-and-found
//! department's to confirm or decline. Every statement names the reporter or the department.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

/// Also read as JSON, by `/me`'s one statement (`accounts::queries::fetch_me_page_parts`).
#[derive(serde::Deserialize)]
pub struct Offer {
    pub offer_id: i64,
    pub category: String,
    pub description: String,
    pub colour: String,
    pub found_place: String,
    pub found_on: NaiveDate,
    pub point_id: Option<i64>,
    pub point_zh: Option<String>,
    pub point_en: Option<String>,
    /// How to reach a finder who keeps the thing: officers only.
    pub keeper_contact: String,
    pub photo_name: Option<String>,
    pub thumb_name: Option<String>,
    pub status: String,
    pub decline_reason: String,
    pub item_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

pub struct NewOffer<'a> {
    pub reporter_id: i64,
    pub category: &'a str,
    pub description: &'a str,
    pub colour: &'a str,
    pub found_place: &'a str,
    pub found_on: NaiveDate,
    pub point_id: Option<i64>,
    pub keeper_contact: &'a str,
    pub photo: Option<(&'a str, &'a str)>,
}

/// The offer, decided by the point's department, or (kept by the finder) the first department
/// that runs lost and found; None when no department runs it.
pub async fn insert_offer(db: impl PgExecutor<'_>, o: &NewOffer<'_>) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "insert into found_offer (reporter_id, department_id, category, description, colour, found_place, found_on,
                                  point_id, keeper_contact, photo_name, thumb_name)
         select $1, coalesce((select department_id from collection_point where point_id = $8 and archived_at is null),
                             (select department_id from department where runs_lost_found order by sort_order, department_id limit 1)),
                $2, $3, $4, $5, $6, $8, $7, $9, $10
         where $8::bigint is null or exists (select 1 from collection_point where point_id = $8 and archived_at is null)
         returning offer_id",
        o.reporter_id,
        o.category,
        o.description,
        o.colour,
        o.found_place,
        o.found_on,
        o.keeper_contact,
        o.point_id,
        o.photo.map(|p| p.0),
        o.photo.map(|p| p.1)
    )
    .fetch_optional(db)
    .await
}

/// The offers a reporter made, or one of them; or a department's pending ones.
pub struct OfferFilter {
    pub offer_id: Option<i64>,
    pub reporter_id: Option<i64>,
    pub pending_of_department: Option<i64>,
}

pub async fn find_offers(db: impl PgExecutor<'_>, f: &OfferFilter) -> sqlx::Result<Vec<Offer>> {
    sqlx::query_as!(
        Offer,
        r#"select o.offer_id, o.category, o.description, o.colour, o.found_place, o.found_on, o.point_id,
                  p.name_zh as "point_zh?", p.name_en as "point_en?", o.keeper_contact, o.photo_name, o.thumb_name,
                  o.status, o.decline_reason, o.item_id, o.created_at
           from found_offer o left join collection_point p using (point_id)
           where ($1::bigint is null or o.offer_id = $1) and ($2::bigint is null or o.reporter_id = $2)
             and ($3::bigint is null or (o.department_id = $3 and o.status = 'pending'))
             and ($1::bigint is not null or $2::bigint is not null or $3::bigint is not null)
           order by o.offer_id desc limit 200"#,
        f.offer_id,
        f.reporter_id,
        f.pending_of_department
    )
    .fetch_all(db)
    .await
}

/// Decide a pending offer of this department: confirmed (with its item) or declined (with the
/// reason). The reporter, or None when it is not this department's or no longer pending.
pub async fn decide_offer(
    db: impl PgExecutor<'_>,
    (offer_id, department_id, officer_id): (i64, i64, i64),
    item_id: Option<i64>,
    decline_reason: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "update found_offer set status = case when $4::bigint is null then 'declined' else 'confirmed' end,
                item_id = $4, decline_reason = $5, decided_by = $3, decided_at = now()
         where offer_id = $1 and department_id = $2 and status = 'pending'
         returning reporter_id",
        offer_id,
        department_id,
        officer_id,
        item_id,
        decline_reason
    )
    .fetch_optional(db)
    .await
}

/// A pending offer of this department, locked while it is decided.
pub async fn lock_pending_offer(
    db: impl PgExecutor<'_>,
    offer_id: i64,
    department_id: i64,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "select offer_id from found_offer where offer_id = $1 and department_id = $2 and status = 'pending' for update",
        offer_id,
        department_id
    )
    .fetch_optional(db)
    .await
}

/// The department that decides an offer, and its slug.
pub async fn fetch_offer_department(db: impl PgExecutor<'_>, offer_id: i64) -> sqlx::Result<(i64, String)> {
    let row = sqlx::query!(
        "select d.department_id, d.slug from found_offer o join department d using (department_id) where o.offer_id = $1",
        offer_id
    )
    .fetch_one(db)
    .await?;
    Ok((row.department_id, row.slug))
}
