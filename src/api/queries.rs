//! The API's own SQL: Open311's service requests, which filter public complaints by
//! date range and several statuses at once, as no page does. The same rule as the board:
//! public complaints only (`is_public`); only public timeline events are read.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

/// A public complaint as an Open311 service request, with its latest public word.
pub struct ServiceRequestRow {
    pub tracking_no: String,
    pub category_slug: String,
    pub category_zh: String,
    pub status: String,
    pub title: String,
    pub description: String,
    pub location: String,
    pub dept_zh: String,
    pub office_zh: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The latest public timeline event's time and words (what its page's timeline ends with).
    pub updated_at: Option<DateTime<Utc>>,
    pub last_note: Option<String>,
    pub first_photo_id: Option<i64>,
}

pub struct RequestFilter<'a> {
    /// Tracking numbers asked for; when given, the other filters are ignored (as Open311 says).
    pub ids: Option<Vec<String>>,
    pub category_slug: Option<&'a str>,
    pub statuses: Option<Vec<String>>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub limit: i64,
}

/// Public complaints filed in [start, end) (or those of `ids`), newest first; merged
/// duplicates are left out of the list as on the board, but found by their number.
pub async fn list_service_requests(
    db: impl PgExecutor<'_>,
    f: &RequestFilter<'_>,
) -> sqlx::Result<Vec<ServiceRequestRow>> {
    sqlx::query_as!(
        ServiceRequestRow,
        r#"select c.tracking_no, cat.slug as category_slug, cat.name_zh as category_zh, c.status, c.title,
                  c.description, c.location, d.name_zh as dept_zh, o.name_zh as "office_zh?", c.created_at,
                  last.created_at as "updated_at?", nullif(last.body, '') as "last_note?",
                  (select p.photo_id from complaint_photo p where p.complaint_id = c.complaint_id
                   order by p.position limit 1) as "first_photo_id?"
           from complaint c
           join complaint_category cat using (category_id)
           join department d on d.department_id = c.department_id
           left join school_office o on o.office_id = c.office_id
           left join lateral (
               -- A merge event's words may name a complaint the reader may not be told of.
               select e.created_at, case when e.kind in ('merged', 'merged_in') then '' else e.body end as body
               from complaint_event e
               where e.complaint_id = c.complaint_id and e.is_public
               order by e.event_id desc limit 1
           ) last on true
           where c.is_public
             and case when $1::text[] is not null then c.tracking_no = any($1)
                      else c.merged_into_id is null
                           and ($2::text is null or cat.slug = $2)
                           and ($3::text[] is null or c.status = any($3))
                           and c.created_at >= $4 and c.created_at < $5 end
           order by c.created_at desc, c.complaint_id desc
           limit $6"#,
        f.ids.as_deref(),
        f.category_slug,
        f.statuses.as_deref(),
        f.start,
        f.end,
        f.limit
    )
    .fetch_all(db)
    .await
}
