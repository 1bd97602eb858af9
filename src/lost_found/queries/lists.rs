//! Lists of found items: the public list and search, a bulletin's items, a department's register.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

use crate::lost_found::model::{mask_number, PublicMask};

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

pub(super) struct RawLine {
    pub(super) item_id: i64,
    pub(super) point_id: i64,
    pub(super) point_zh: String,
    pub(super) point_en: String,
    pub(super) category: String,
    pub(super) description: String,
    pub(super) colour: String,
    pub(super) found_place: String,
    pub(super) found_on: NaiveDate,
    pub(super) status: String,
    pub(super) thumb: bool,
    pub(super) registered_at: DateTime<Utc>,
    pub(super) card_student_no: Option<String>,
    pub(super) card_name: String,
    pub(super) owner_name: Option<String>,
}

impl From<RawLine> for ItemLine {
    fn from(r: RawLine) -> ItemLine {
        let mask = PublicMask::new(&[r.card_name.as_str(), r.owner_name.as_deref().unwrap_or("")]);
        ItemLine {
            item_id: r.item_id,
            point_id: r.point_id,
            point_zh: r.point_zh,
            point_en: r.point_en,
            description: mask.apply(&r.description),
            colour: mask.apply(&r.colour),
            found_place: mask.apply(&r.found_place),
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
                 and i.item_id < coalesce($5::bigint, 9223372036854775807)
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
                 and i.item_id < coalesce($6::bigint, 9223372036854775807)
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

/// Items of a bulletin in its order (by point, then as registered): `limit` of them from `offset`.
/// Read point by point from the bulletin's index, so a page stops when it is full (sorting
/// the bulletin's every item for each page was most of the page's cost); the nested loop
/// keeps the points' order, and names owners only of the items shown.
pub async fn list_bulletin_items(
    db: impl PgExecutor<'_>,
    bulletin_id: i64,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<ItemLine>> {
    let rows = sqlx::query_as!(
        RawLine,
        r#"select i.item_id, i.point_id, i.point_zh, i.point_en, i.category, i.description,
                  i.colour, i.found_place, i.found_on, i.status, i.thumb_name is not null as "thumb!",
                  i.registered_at, i.card_student_no, i.card_name,
                  (select o.name from app_user o where o.user_id = i.owner_id) as "owner_name?"
           from (select x.*, p.name_zh as point_zh, p.name_en as point_en
                 from (select * from collection_point order by sort_order, point_id) p
                 cross join lateral (select * from found_item y where y.bulletin_id = $1 and y.point_id = p.point_id
                                     order by y.item_id) x
                 offset $2 limit $3) i"#,
        bulletin_id,
        offset,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(ItemLine::from).collect())
}

/// The first `per_bulletin` items of each of these bulletins (by point, then as registered),
/// with their bulletin's id, in one query from the bulletin's index; masked like every public line.
pub async fn list_feed_lines(
    db: impl PgExecutor<'_>,
    bulletin_ids: &[i64],
    per_bulletin: i64,
) -> sqlx::Result<Vec<(i64, ItemLine)>> {
    let rows = sqlx::query!(
        r#"select b.bulletin_id as "bulletin_id!", i.item_id, i.point_id, p.name_zh as point_zh, p.name_en as point_en,
                  i.category, i.description, i.colour, i.found_place, i.found_on, i.status, i.thumb_name is not null as "thumb!",
                  i.registered_at, i.card_student_no, i.card_name,
                  (select o.name from app_user o where o.user_id = i.owner_id) as "owner_name?"
           from unnest($1::bigint[]) as b (bulletin_id)
           cross join lateral (select x.* from found_item x where x.bulletin_id = b.bulletin_id
                               order by x.point_id, x.item_id limit $2) i
           join collection_point p on p.point_id = i.point_id
           order by b.bulletin_id, i.point_id, i.item_id"#,
        bulletin_ids,
        per_bulletin
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let line = RawLine {
                item_id: r.item_id,
                point_id: r.point_id,
                point_zh: r.point_zh,
                point_en: r.point_en,
                category: r.category,
                description: r.description,
                colour: r.colour,
                found_place: r.found_place,
                found_on: r.found_on,
                status: r.status,
                thumb: r.thumb,
                registered_at: r.registered_at,
                card_student_no: r.card_student_no,
                card_name: r.card_name,
                owner_name: r.owner_name,
            };
            (r.bulletin_id, ItemLine::from(line))
        })
        .collect())
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

/// A line of the register as stored: names and numbers unmasked (the register masks them).
pub struct RegisterRow {
    pub item_id: i64,
    pub registered_at: DateTime<Utc>,
    pub point_zh: String,
    pub category: String,
    pub description: String,
    pub colour: String,
    pub found_place: String,
    pub found_on: NaiveDate,
    pub card_student_no: Option<String>,
    pub card_name: String,
    pub owner_name: Option<String>,
    pub status: String,
    pub closed_at: Option<DateTime<Utc>>,
    pub claimant_student_no: Option<String>,
    pub claimant_name: Option<String>,
    pub registered_by: Option<String>,
    pub closed_by: Option<String>,
    pub bulletin: Option<i32>,
}

/// The department's register: items registered between two days (Shanghai), at one point or all.
pub async fn list_register_rows(
    db: impl PgExecutor<'_>,
    department_id: i64,
    point_id: Option<i64>,
    (from, to): (NaiveDate, NaiveDate),
) -> sqlx::Result<Vec<RegisterRow>> {
    sqlx::query_as!(
        RegisterRow,
        r#"select i.item_id, i.registered_at, p.name_zh as point_zh, i.category, i.description, i.colour,
                  i.found_place, i.found_on, i.card_student_no, i.card_name, (select o.name from app_user o where o.user_id = i.owner_id) as "owner_name?", i.status,
                  i.closed_at, i.claimant_student_no, i.claimant_name, rb.name as "registered_by?",
                  cb.name as "closed_by?", b.number as "bulletin?"
           from found_item i
           join collection_point p on p.point_id = i.point_id
           left join app_user rb on rb.user_id = i.registered_by
           left join app_user cb on cb.user_id = i.closed_by
           left join bulletin b on b.bulletin_id = i.bulletin_id
           where i.department_id = $1 and ($2::bigint is null or i.point_id = $2)
             and i.registered_at >= ($3::date::timestamp at time zone 'Asia/Shanghai')
             and i.registered_at < (($4::date + 1)::timestamp at time zone 'Asia/Shanghai')
           order by p.sort_order, p.point_id, i.item_id
           limit 20000"#,
        department_id,
        point_id,
        from,
        to
    )
    .fetch_all(db)
    .await
}
