//! Transfers, escalation, the reception agenda, photos, deadlines and merging.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

/// Hand the complaint to another department that handles complaints; false if it moved meanwhile.
pub async fn update_department(
    db: impl PgExecutor<'_>,
    complaint_id: i64,
    from_department: i64,
    to_slug: &str,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "update complaint c set department_id = d.department_id, assignee_id = null, updated_at = now()
         from department d
         where c.complaint_id = $1 and c.department_id = $2
           and d.slug = $3 and d.handles_complaints and d.archived_at is null and d.department_id <> $2
         returning d.department_id",
        complaint_id,
        from_department,
        to_slug
    )
    .fetch_optional(db)
    .await
}

/// Mark as escalated to the presidium, once.
pub async fn update_escalated(db: impl PgExecutor<'_>, complaint_id: i64, department_id: i64) -> sqlx::Result<bool> {
    let row = sqlx::query_scalar!(
        "update complaint set escalated_at = now(), updated_at = now()
         where complaint_id = $1 and department_id = $2 and escalated_at is null returning complaint_id",
        complaint_id,
        department_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.is_some())
}

/// Put on the agenda of the next reception day, once.
pub async fn update_agenda(db: impl PgExecutor<'_>, complaint_id: i64, department_id: i64) -> sqlx::Result<bool> {
    let row = sqlx::query_scalar!(
        "update complaint set on_reception_agenda = true, updated_at = now()
         where complaint_id = $1 and department_id = $2 and not on_reception_agenda returning complaint_id",
        complaint_id,
        department_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.is_some())
}

pub async fn list_presidium_ids(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "select r.user_id from union_role r join term t using (term_id) where r.role = 'presidium' and t.is_current"
    )
    .fetch_all(db)
    .await
}

#[derive(Debug, serde::Deserialize)]
pub struct Photo {
    pub photo_id: i64,
    pub file_name: String,
    pub thumb_name: String,
    pub width: i32,
    pub height: i32,
}

pub async fn list_photos(db: impl PgExecutor<'_>, complaint_id: i64) -> sqlx::Result<Vec<Photo>> {
    sqlx::query_as!(
        Photo,
        "select photo_id, file_name, thumb_name, width, height from complaint_photo where complaint_id = $1 order by position",
        complaint_id
    )
    .fetch_all(db)
    .await
}

/// What a complaint's page reads beside the complaint, in one statement rather than three:
/// its public timeline (as `list_events` without internal notes; the columns are that
/// statement's, so a change to one touches both), its photos, and whether this viewer
/// supports it (false for nobody).
pub async fn fetch_timeline_photos_and_support(
    db: impl PgExecutor<'_>,
    complaint_id: i64,
    viewer: Option<i64>,
) -> sqlx::Result<(Vec<super::EventRow>, Vec<Photo>, bool)> {
    let row = sqlx::query!(
        r#"select (select coalesce(json_agg(t order by t.event_id), '[]')
                   from (select e.event_id, e.kind, e.to_status, e.body, e.is_public, e.created_at,
                                d.name_zh as dept_zh, d.name_en as dept_en,
                                o.name_zh as office_zh, o.name_en as office_en,
                                e.due_on, e.by_presidium, u.name as actor_name,
                                case when e.ref_complaint_id is not null
                                      and complaint_may_name(e.complaint_id, e.ref_complaint_id) then r.tracking_no
                                end as ref_no
                         from complaint_event e
                         left join department d on d.department_id = e.department_id
                         left join school_office o on o.office_id = e.office_id
                         left join app_user u on u.user_id = e.actor_id
                         left join complaint r on r.complaint_id = e.ref_complaint_id
                         where e.complaint_id = $1 and e.is_public) as t
                  ) as "events!: sqlx::types::Json<Vec<super::EventRow>>",
                  (select coalesce(json_agg(json_build_object('photo_id', p.photo_id, 'file_name', p.file_name,
                                   'thumb_name', p.thumb_name, 'width', p.width, 'height', p.height)
                                   order by p.position), '[]')
                   from complaint_photo p where p.complaint_id = $1) as "photos!: sqlx::types::Json<Vec<Photo>>",
                  exists(select 1 from complaint_support s where s.complaint_id = $1 and s.user_id = $2)
                  as "supported!""#,
        complaint_id,
        viewer
    )
    .fetch_one(db)
    .await?;
    Ok((row.events.0, row.photos.0, row.supported))
}

pub struct OpenComplaint {
    pub complaint_id: i64,
    pub tracking_no: String,
    pub department_id: i64,
    pub dept_slug: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub first_public_reply_at: Option<DateTime<Utc>>,
    pub escalated_at: Option<DateTime<Utc>>,
}

/// Complaints still waiting on the union, for the deadline check.
pub async fn list_open_complaints(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<OpenComplaint>> {
    sqlx::query_as!(
        OpenComplaint,
        "select c.complaint_id, c.tracking_no, c.department_id, d.slug as dept_slug, c.status, c.created_at,
                c.first_public_reply_at, c.escalated_at
         from complaint c join department d using (department_id)
         where c.status in ('submitted', 'accepted', 'forwarded') and c.merged_into_id is null"
    )
    .fetch_all(db)
    .await
}

pub async fn list_head_ids(db: impl PgExecutor<'_>, department_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "select m.user_id from membership m join term t using (term_id)
         where m.department_id = $1 and t.is_current and m.role = 'head'",
        department_id
    )
    .fetch_all(db)
    .await
}

/// Merge `source` into `target` (same department), as `actor`: never a public
/// complaint into a private one, whose audience is smaller. The source's reporter
/// and supporters who may see the target (`complaint_visible_to`) become its
/// supporters; the others stay on the source alone. Each timeline gets its merge
/// event pointing at the other complaint. `None` when the source was merged
/// meanwhile or the rule refuses; else how many followers stayed behind.
pub async fn merge_complaint(
    db: &mut sqlx::PgConnection,
    source: i64,
    target: i64,
    department_id: i64,
    actor_id: i64,
) -> sqlx::Result<Option<i64>> {
    let moved = sqlx::query_scalar!(
        "update complaint s set merged_into_id = $2, updated_at = now()
         where s.complaint_id = $1 and s.department_id = $3 and s.merged_into_id is null and s.complaint_id <> $2
           and exists (select 1 from complaint t where t.complaint_id = $2 and t.department_id = $3
                       and t.merged_into_id is null and (t.is_public or not s.is_public))
         returning s.complaint_id",
        source,
        target,
        department_id
    )
    .fetch_optional(&mut *db)
    .await?;
    if moved.is_none() {
        return Ok(None);
    }
    let stayed = sqlx::query_scalar!(
        r#"with followers as (
               select reporter_id as user_id from complaint where complaint_id = $1
               union select user_id from complaint_support where complaint_id = $1
           ), carried as (
               insert into complaint_support (complaint_id, user_id)
               select $2, f.user_id from followers f
               where f.user_id <> (select reporter_id from complaint where complaint_id = $2)
                 and complaint_visible_to($2, f.user_id)
               on conflict do nothing
           ), events as (
               insert into complaint_event (complaint_id, actor_id, department_id, kind, body, is_public, ref_complaint_id)
               values ($1, $4, $3, 'merged', '', true, $2), ($2, $4, $3, 'merged_in', '', true, $1)
           )
           select count(*) as "n!" from followers f where not complaint_visible_to($2, f.user_id)"#,
        source,
        target,
        department_id,
        actor_id
    )
    .fetch_one(&mut *db)
    .await?;
    Ok(Some(stayed))
}
