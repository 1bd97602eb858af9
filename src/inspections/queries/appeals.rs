//! A resident's appeals: one per room per term (`inspection_appeal_once`), on a published
//! result of their own room within its department's appeal days. Each statement finds the
//! viewer's room in its SQL.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

/// An appeal of the viewer's room.
pub struct MyAppeal {
    pub appeal_id: i64,
    pub result_id: i64,
    pub term: String,
    pub body: String,
    pub filed_at: DateTime<Utc>,
    pub decision: Option<String>,
    pub new_score: Option<i32>,
    pub decision_reason: Option<String>,
    pub has_photo: bool,
}

pub async fn list_my_appeals(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<Vec<MyAppeal>> {
    sqlx::query_as!(
        MyAppeal,
        r#"select a.appeal_id, a.result_id, a.term, a.body, a.filed_at, a.decision, a.new_score, a.decision_reason,
                  a.photo_name is not null as "has_photo!"
           from inspection_appeal a
           where a.room_id = (select dr.room_id from dorm_resident dr join app_user u on u.student_no = dr.student_no
                              where u.user_id = $1 and u.verified_by is not null)
           order by a.filed_at desc"#,
        user_id
    )
    .fetch_all(db)
    .await
}

/// A published result of the viewer's room, and whether its appeal days still run.
pub struct Appealable {
    pub result_id: i64,
    pub room_id: i64,
    pub held_on: NaiveDate,
    pub department_id: i64,
    pub appeal_open: bool,
}

pub async fn fetch_appealable(
    db: impl PgExecutor<'_>,
    user_id: i64,
    result_id: i64,
) -> sqlx::Result<Option<Appealable>> {
    sqlx::query_as!(
        Appealable,
        r#"select res.result_id, res.room_id, r.held_on, r.department_id,
                  r.published_at + make_interval(days => d.appeal_days) > now() as "appeal_open!"
           from inspection_result res
           join inspection_round r on r.round_id = res.round_id
           join department d on d.department_id = r.department_id
           where res.result_id = $2 and r.published_at is not null
             and res.room_id = (select dr.room_id from dorm_resident dr join app_user u on u.student_no = dr.student_no
                                where u.user_id = $1 and u.verified_by is not null)"#,
        user_id,
        result_id
    )
    .fetch_optional(db)
    .await
}

/// What an appeal says.
pub struct NewAppeal<'a> {
    pub result_id: i64,
    pub room_id: i64,
    pub term: &'a str,
    pub filed_by: i64,
    pub body: &'a str,
    pub photo: Option<&'a crate::uploads::StoredPhoto>,
}

/// File an appeal; a second one for the room and term violates `inspection_appeal_once`.
pub async fn insert_appeal(db: impl PgExecutor<'_>, a: &NewAppeal<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into inspection_appeal (result_id, room_id, term, filed_by, body, photo_name, thumb_name)
         values ($1, $2, $3, $4, $5, $6, $7)
         returning appeal_id",
        a.result_id,
        a.room_id,
        a.term,
        a.filed_by,
        a.body,
        a.photo.map(|p| p.0.clone()),
        a.photo.map(|p| p.1.clone())
    )
    .fetch_one(db)
    .await
}

/// Who decides a department's appeals (its heads and vice heads this term), and the
/// department's address, for telling them of a new one.
pub async fn appeal_deciders(db: impl PgExecutor<'_>, department_id: i64) -> sqlx::Result<(String, Vec<i64>)> {
    let row = sqlx::query!(
        r#"select d.slug,
                  array(select m.user_id from membership m join term t on t.term_id = m.term_id
                        where t.is_current and m.department_id = d.department_id and m.role in ('head', 'vice_head')
                        order by m.user_id) as "deciders!"
           from department d where d.department_id = $1"#,
        department_id
    )
    .fetch_one(db)
    .await?;
    Ok((row.slug, row.deciders))
}

/// An appeal's photo, for the residents of its room and members of a department with the
/// inspections desk this term.
pub async fn fetch_appeal_photo(
    db: impl PgExecutor<'_>,
    appeal_id: i64,
    viewer_id: i64,
) -> sqlx::Result<Option<(String, String)>> {
    let row = sqlx::query!(
        r#"select a.photo_name as "photo_name!", a.thumb_name as "thumb_name!"
           from inspection_appeal a
           where a.appeal_id = $1 and a.photo_name is not null and a.thumb_name is not null
             and (a.room_id = (select dr.room_id from dorm_resident dr join app_user u on u.student_no = dr.student_no
                               where u.user_id = $2 and u.verified_by is not null)
                  or exists (select 1 from membership m join department dp on dp.department_id = m.department_id
                             where m.user_id = $2 and dp.runs_inspections and dp.archived_at is null
                               and m.term_id = (select term_id from term where is_current)))"#,
        appeal_id,
        viewer_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.photo_name, r.thumb_name)))
}
