//! The resident's statements. Each names the viewer and finds their room in the SQL (a
//! verified account whose student number is in `dorm_resident`), so no id in an address
//! reaches another room; a round's results show only once it is published.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

/// The viewer's room.
pub struct MyRoom {
    pub room_id: i64,
    pub room_number: String,
    pub building: String,
    pub college: String,
    pub residents: i64,
}

pub async fn fetch_my_room(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<Option<MyRoom>> {
    sqlx::query_as!(
        MyRoom,
        r#"select m.room_id, m.room_number, b.name as building, m.college,
                  (select count(*) from dorm_resident o where o.room_id = m.room_id) as "residents!"
           from app_user u
           join dorm_resident r on r.student_no = u.student_no
           join dorm_room m on m.room_id = r.room_id
           join dorm_building b on b.building_id = m.building_id
           where u.user_id = $1 and u.verified_by is not null"#,
        user_id
    )
    .fetch_optional(db)
    .await
}

/// Whether someone vouched for the viewer's student number (a room needs it).
pub async fn fetch_verified(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<bool> {
    let verified = sqlx::query_scalar!("select verified_by is not null from app_user where user_id = $1", user_id)
        .fetch_optional(db)
        .await?;
    Ok(verified.flatten().unwrap_or(false))
}

/// A published result of the viewer's room.
pub struct MyResult {
    pub result_id: i64,
    pub kind: String,
    pub held_on: NaiveDate,
    pub outcome: String,
    pub score: Option<i32>,
    pub grade: Option<String>,
    pub vetoed: bool,
    pub score_before_appeal: Option<i32>,
    /// Published within the round's department's appeal days.
    pub appeal_open: bool,
    pub appeal_until: DateTime<Utc>,
}

pub async fn list_my_results(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<Vec<MyResult>> {
    sqlx::query_as!(
        MyResult,
        r#"select res.result_id, r.kind, r.held_on, res.outcome, res.score, res.grade, res.vetoed,
                  res.score_before_appeal,
                  r.published_at + make_interval(days => d.appeal_days) > now() as "appeal_open!",
                  r.published_at + make_interval(days => d.appeal_days) as "appeal_until!"
           from inspection_result res
           join inspection_round r on r.round_id = res.round_id
           join department d on d.department_id = r.department_id
           where r.published_at is not null
             and res.room_id = (select dr.room_id from dorm_resident dr join app_user u on u.student_no = dr.student_no
                                where u.user_id = $1 and u.verified_by is not null)
           order by r.held_on desc, r.round_id desc
           limit 100"#,
        user_id
    )
    .fetch_all(db)
    .await
}

/// A deduction of a published result of the viewer's room.
pub struct MyDeduction {
    pub deduction_id: i64,
    pub result_id: i64,
    pub item: String,
    pub veto: bool,
    pub points: i32,
    pub reason: String,
    pub has_photo: bool,
}

pub async fn list_my_deductions(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<Vec<MyDeduction>> {
    sqlx::query_as!(
        MyDeduction,
        r#"select d.deduction_id, d.result_id, it.name as item, it.veto, d.points, d.reason,
                  d.photo_name is not null as "has_photo!"
           from inspection_deduction d
           join inspection_item it on it.item_id = d.item_id
           join inspection_result res on res.result_id = d.result_id
           join inspection_round r on r.round_id = res.round_id
           where r.published_at is not null
             and res.room_id = (select dr.room_id from dorm_resident dr join app_user u on u.student_no = dr.student_no
                                where u.user_id = $1 and u.verified_by is not null)
           order by d.result_id, it.position, d.deduction_id"#,
        user_id
    )
    .fetch_all(db)
    .await
}

/// A deduction's photo, for a resident of its room once the round is published, a member of
/// a department with the inspections desk this term, or one of the round's inspectors.
pub async fn fetch_deduction_photo(
    db: impl PgExecutor<'_>,
    deduction_id: i64,
    viewer_id: i64,
) -> sqlx::Result<Option<(String, String)>> {
    let row = sqlx::query!(
        r#"select d.photo_name as "photo_name!", d.thumb_name as "thumb_name!"
           from inspection_deduction d
           join inspection_result res on res.result_id = d.result_id
           join inspection_round r on r.round_id = res.round_id
           where d.deduction_id = $1 and d.photo_name is not null and d.thumb_name is not null
             and ((r.published_at is not null
                   and res.room_id = (select dr.room_id from dorm_resident dr join app_user u on u.student_no = dr.student_no
                                      where u.user_id = $2 and u.verified_by is not null))
                  or exists (select 1 from inspection_inspector i where i.round_id = r.round_id and i.user_id = $2)
                  or exists (select 1 from membership m join department dp on dp.department_id = m.department_id
                             where m.user_id = $2 and dp.runs_inspections and dp.archived_at is null
                               and m.term_id = (select term_id from term where is_current)))"#,
        deduction_id,
        viewer_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.photo_name, r.thumb_name)))
}

/// A photo the viewer's room shares for the 寝室文化节.
pub struct SharedPhoto {
    pub photo_id: i64,
    pub created_at: DateTime<Utc>,
}

pub async fn list_shared_photos(db: impl PgExecutor<'_>, user_id: i64, term: &str) -> sqlx::Result<Vec<SharedPhoto>> {
    sqlx::query_as!(
        SharedPhoto,
        "select p.photo_id, p.created_at from dorm_room_photo p
         where p.term = $2
           and p.room_id = (select dr.room_id from dorm_resident dr join app_user u on u.student_no = dr.student_no
                            where u.user_id = $1 and u.verified_by is not null)
         order by p.photo_id",
        user_id,
        term
    )
    .fetch_all(db)
    .await
}

/// Most photos a room shares in a term.
pub const MOST_SHARED: i64 = 6;

/// Share a photo for the viewer's room; `None` without a room or past `MOST_SHARED`.
pub async fn insert_shared_photo(
    db: impl PgExecutor<'_>,
    user_id: i64,
    term: &str,
    photo: &crate::uploads::StoredPhoto,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "insert into dorm_room_photo (room_id, term, shared_by, file_name, thumb_name)
         select dr.room_id, $2, $1, $3, $4
         from dorm_resident dr join app_user u on u.student_no = dr.student_no
         where u.user_id = $1 and u.verified_by is not null
           and (select count(*) from dorm_room_photo p where p.room_id = dr.room_id and p.term = $2) < $5
         returning photo_id",
        user_id,
        term,
        photo.0,
        photo.1,
        MOST_SHARED
    )
    .fetch_optional(db)
    .await
}

/// Withdraw a photo of the viewer's own room; its files' names, to remove them.
pub async fn delete_shared_photo(
    db: impl PgExecutor<'_>,
    user_id: i64,
    photo_id: i64,
) -> sqlx::Result<Option<(String, String)>> {
    let row = sqlx::query!(
        "delete from dorm_room_photo p
         where p.photo_id = $2
           and p.room_id = (select dr.room_id from dorm_resident dr join app_user u on u.student_no = dr.student_no
                            where u.user_id = $1 and u.verified_by is not null)
         returning p.file_name, p.thumb_name",
        user_id,
        photo_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.file_name, r.thumb_name)))
}
