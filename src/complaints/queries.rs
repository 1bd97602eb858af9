//! SQL of the complaints area, one function per statement.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

#[derive(Clone)]
pub struct Category {
    pub category_id: i64,
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub department_id: i64,
}

/// The categories as the forms and filters offer them, from `Cached`: they change
/// only on the setup page, which clears them.
pub async fn categories(state: &crate::app::AppState) -> sqlx::Result<Vec<Category>> {
    let all = state.cached.categories.get_or_load((), || list_categories(&state.db)).await?;
    Ok(all.as_ref().clone())
}

pub async fn list_categories(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Category>> {
    sqlx::query_as!(
        Category,
        "select category_id, slug, name_zh, name_en, department_id from complaint_category order by sort_order, category_id"
    )
    .fetch_all(db)
    .await
}

pub struct Office {
    pub office_id: i64,
    pub name_zh: String,
    pub name_en: String,
}

pub async fn list_offices(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Office>> {
    sqlx::query_as!(Office, "select office_id, name_zh, name_en from school_office order by sort_order, office_id")
        .fetch_all(db)
        .await
}

/// A complaint to file. Its tracking number is made in the insert, from the next
/// number of `year`'s sequence (`next_tracking_number`, migrations/0017).
pub struct NewComplaint<'a> {
    pub year: i32,
    pub reporter_id: i64,
    pub category_id: i64,
    pub department_id: i64,
    pub title: &'a str,
    pub location: &'a str,
    pub description: &'a str,
    pub is_public: bool,
    pub is_anonymous: bool,
}

/// A new complaint with its photos (file name, thumbnail name, width, height), its
/// first event and the word to its handlers (the department's members this term,
/// linked to `handler_link_prefix` and the number), with the year's next tracking
/// number, in one statement: all or nothing without a
/// transaction's extra round trips, on the path students take most.
pub async fn insert_filed_complaint(
    db: impl PgExecutor<'_>,
    c: &NewComplaint<'_>,
    photos: &[crate::uploads::StoredPhoto],
    handler_link_prefix: &str,
) -> sqlx::Result<(i64, String)> {
    let (files, thumbs): (Vec<&str>, Vec<&str>) = photos.iter().map(|p| (p.0.as_str(), p.1.as_str())).unzip();
    let (widths, heights): (Vec<i32>, Vec<i32>) = photos.iter().map(|p| (p.2 as i32, p.3 as i32)).unzip();
    let message_key = "notify.complaint.new";
    let filed = sqlx::query!(
        r#"with numbered as (
               select 'QY-' || $1::int || '-' || lpad(n::text, greatest(6, length(n::text)), '0') as tracking_no
               from next_tracking_number($1) as n
           ), new as (
               insert into complaint (tracking_no, reporter_id, category_id, department_id, title, location, description,
                                      is_public, is_anonymous, search_doc)
               select tracking_no, $2, $3, $4, $5, $6, $7, $8, $9,
                      $10::text::tsvector || array_to_tsvector(string_to_array(lower(tracking_no), '-'))
               from numbered
               returning complaint_id, tracking_no
           ), photos as (
               insert into complaint_photo (complaint_id, position, file_name, thumb_name, width, height)
               select new.complaint_id, p.n - 1, p.file_name, p.thumb_name, p.width, p.height
               from new, unnest($11::text[], $12::text[], $13::int[], $14::int[])
                         with ordinality as p(file_name, thumb_name, width, height, n)
           ), first_event as (
               insert into complaint_event (complaint_id, actor_id, kind, to_status, body, is_public)
               select complaint_id, $2, 'submitted', 'submitted', '', true from new
           ), handlers_told as (
               select notify_users(array(select m.user_id from membership m join term t using (term_id)
                                         where m.department_id = $4 and t.is_current),
                                   null, $15, new.tracking_no, $16 || new.tracking_no,
                                   replace($17::jsonb::text, '%{param}', new.tracking_no)::jsonb)
               from new
           )
           select new.complaint_id as "complaint_id!", new.tracking_no as "tracking_no!" from new, handlers_told"#,
        c.year,
        c.reporter_id,
        c.category_id,
        c.department_id,
        c.title,
        c.location,
        c.description,
        c.is_public,
        c.is_anonymous,
        complaint_search_doc(c),
        &files as &[&str],
        &thumbs as &[&str],
        &widths,
        &heights,
        message_key,
        handler_link_prefix,
        // The text with its placeholder: the number is known only inside the statement.
        crate::mail::texts(message_key, "%{param}")
    )
    .fetch_one(db)
    .await?;
    Ok((filed.complaint_id, filed.tracking_no))
}

/// The words of the title and text; the tracking number's own words are added by the insert.
fn complaint_search_doc(c: &NewComplaint<'_>) -> String {
    crate::search::tsvector(c.title, &format!("{} {}", c.location, c.description))
}

pub struct NewEvent<'a> {
    pub complaint_id: i64,
    pub actor_id: Option<i64>,
    pub department_id: Option<i64>,
    pub kind: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: Option<&'a str>,
    pub body: &'a str,
    pub is_public: bool,
}

pub async fn insert_event(db: impl PgExecutor<'_>, e: &NewEvent<'_>) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into complaint_event (complaint_id, actor_id, department_id, kind, from_status, to_status, body, is_public)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
        e.complaint_id,
        e.actor_id,
        e.department_id,
        e.kind,
        e.from_status,
        e.to_status,
        e.body,
        e.is_public
    )
    .execute(db)
    .await?;
    Ok(())
}

/// One complaint with the names a page shows. Reporter fields are for handlers and the reporter only.
pub struct ComplaintRow {
    pub complaint_id: i64,
    pub tracking_no: String,
    pub reporter_id: i64,
    pub reporter_name: String,
    pub reporter_student_no: String,
    pub category_zh: String,
    pub category_en: String,
    pub department_id: i64,
    pub dept_slug: String,
    pub dept_zh: String,
    pub dept_en: String,
    pub office_zh: Option<String>,
    pub office_en: Option<String>,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub title: String,
    pub location: String,
    pub description: String,
    pub is_public: bool,
    pub is_anonymous: bool,
    pub status: String,
    pub rating: Option<i16>,
    pub created_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub first_public_reply_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub escalated_at: Option<DateTime<Utc>>,
    pub on_reception_agenda: bool,
    pub merged_into: Option<String>,
    /// May `merged_into` be named to the students who see this complaint
    /// (`complaint_may_name`, migrations/0020)? Handlers see it either way.
    pub merged_into_named: bool,
    pub supporters: i64,
}

pub async fn fetch_complaint(db: impl PgExecutor<'_>, tracking_no: &str) -> sqlx::Result<Option<ComplaintRow>> {
    fetch_complaint_in(db, tracking_no, None).await
}

/// The complaint, if this department handles it: a case page's read (a staff route
/// names its department; another department's number is not found).
pub async fn fetch_complaint_of_department(
    db: impl PgExecutor<'_>,
    tracking_no: &str,
    department_id: i64,
) -> sqlx::Result<Option<ComplaintRow>> {
    fetch_complaint_in(db, tracking_no, Some(department_id)).await
}

async fn fetch_complaint_in(
    db: impl PgExecutor<'_>,
    tracking_no: &str,
    department_id: Option<i64>,
) -> sqlx::Result<Option<ComplaintRow>> {
    sqlx::query_as!(
        ComplaintRow,
        r#"select c.complaint_id, c.tracking_no, c.reporter_id, r.name as reporter_name, r.student_no as reporter_student_no,
                  cat.name_zh as category_zh, cat.name_en as category_en,
                  c.department_id, d.slug as dept_slug, d.name_zh as dept_zh, d.name_en as dept_en,
                  o.name_zh as "office_zh?", o.name_en as "office_en?",
                  c.assignee_id, a.name as "assignee_name?",
                  c.title, c.location, c.description, c.is_public, c.is_anonymous, c.status, c.rating,
                  c.created_at, c.accepted_at, c.first_public_reply_at, c.resolved_at, c.confirmed_at,
                  c.escalated_at, c.on_reception_agenda,
                  (select m.tracking_no from complaint m where m.complaint_id = c.merged_into_id) as merged_into,
                  coalesce(complaint_may_name(c.complaint_id, c.merged_into_id), false) as "merged_into_named!",
                  (select count(*) from complaint_support s where s.complaint_id = c.complaint_id) as "supporters!"
           from complaint c
           join app_user r on r.user_id = c.reporter_id
           join complaint_category cat using (category_id)
           join department d on d.department_id = c.department_id
           left join school_office o using (office_id)
           left join app_user a on a.user_id = c.assignee_id
           where c.tracking_no = $1 and ($2::int8 is null or c.department_id = $2)"#,
        tracking_no,
        department_id
    )
    .fetch_optional(db)
    .await
}

pub struct EventRow {
    pub kind: String,
    pub to_status: Option<String>,
    pub body: String,
    pub is_public: bool,
    pub created_at: DateTime<Utc>,
    pub dept_zh: Option<String>,
    pub dept_en: Option<String>,
    /// The officer's name: shown to handlers only.
    pub actor_name: Option<String>,
    /// The other complaint of a merge event, when this reader may be told its number:
    /// handlers always, students only as `complaint_may_name` allows.
    pub ref_no: Option<String>,
}

pub async fn list_events(
    db: impl PgExecutor<'_>,
    complaint_id: i64,
    include_internal: bool,
) -> sqlx::Result<Vec<EventRow>> {
    sqlx::query_as!(
        EventRow,
        r#"select e.kind, e.to_status, e.body, e.is_public, e.created_at,
                  d.name_zh as "dept_zh?", d.name_en as "dept_en?", u.name as "actor_name?",
                  case when $2 or complaint_may_name(e.complaint_id, e.ref_complaint_id) then r.tracking_no end as "ref_no?"
           from complaint_event e
           left join department d on d.department_id = e.department_id
           left join app_user u on u.user_id = e.actor_id
           left join complaint r on r.complaint_id = e.ref_complaint_id
           where e.complaint_id = $1 and (e.is_public or $2)
           order by e.event_id"#,
        complaint_id,
        include_internal
    )
    .fetch_all(db)
    .await
}

/// Move the status from `from` to `to`, only if it still is `from` (and still this department's).
pub async fn update_status(
    db: impl PgExecutor<'_>,
    complaint_id: i64,
    department_id: i64,
    from: &str,
    to: &str,
    office_id: Option<i64>,
) -> sqlx::Result<bool> {
    let row = sqlx::query_scalar!(
        "update complaint set status = $4, updated_at = now(),
             office_id = coalesce($5, office_id),
             accepted_at = case when $4 = 'accepted' then coalesce(accepted_at, now()) else accepted_at end,
             first_public_reply_at = case when $4 = 'responded' then coalesce(first_public_reply_at, now()) else first_public_reply_at end,
             resolved_at = case when $4 = 'resolved' then now() else resolved_at end,
             confirmed_at = case when $4 = 'accepted' then null else confirmed_at end
         where complaint_id = $1 and department_id = $2 and status = $3 and merged_into_id is null
         returning complaint_id",
        complaint_id,
        department_id,
        from,
        to,
        office_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.is_some())
}

pub async fn update_first_public_reply(db: impl PgExecutor<'_>, complaint_id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "update complaint set first_public_reply_at = coalesce(first_public_reply_at, now()), updated_at = now() where complaint_id = $1",
        complaint_id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Reopen a resolved complaint: only its reporter, only within 14 days of resolution.
pub async fn update_reopen(db: impl PgExecutor<'_>, complaint_id: i64, reporter_id: i64) -> sqlx::Result<bool> {
    let row = sqlx::query_scalar!(
        "update complaint set status = 'accepted', confirmed_at = null, rating = null, updated_at = now()
         where complaint_id = $1 and reporter_id = $2 and status = 'resolved' and resolved_at > now() - interval '14 days'
         returning complaint_id",
        complaint_id,
        reporter_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.is_some())
}

pub async fn update_confirm(
    db: impl PgExecutor<'_>,
    complaint_id: i64,
    reporter_id: i64,
    rating: i16,
) -> sqlx::Result<bool> {
    let row = sqlx::query_scalar!(
        "update complaint set rating = $3, confirmed_at = now(), updated_at = now()
         where complaint_id = $1 and reporter_id = $2 and status = 'resolved' and confirmed_at is null
         returning complaint_id",
        complaint_id,
        reporter_id,
        rating
    )
    .fetch_optional(db)
    .await?;
    Ok(row.is_some())
}

pub async fn update_assignee(
    db: impl PgExecutor<'_>,
    complaint_id: i64,
    department_id: i64,
    assignee_id: i64,
) -> sqlx::Result<bool> {
    // The assignee must be a member of the handling department this term.
    let row = sqlx::query_scalar!(
        "update complaint c set assignee_id = $3, updated_at = now()
         where c.complaint_id = $1 and c.department_id = $2
           and exists (select 1 from membership m join term t using (term_id)
                       where m.user_id = $3 and m.department_id = $2 and t.is_current)
         returning c.complaint_id",
        complaint_id,
        department_id,
        assignee_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.is_some())
}

/// 同问: one per student; false when already given.
pub async fn insert_support(db: impl PgExecutor<'_>, complaint_id: i64, user_id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "insert into complaint_support (complaint_id, user_id) values ($1, $2) on conflict do nothing",
        complaint_id,
        user_id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn has_supported(db: impl PgExecutor<'_>, complaint_id: i64, user_id: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from complaint_support where complaint_id = $1 and user_id = $2) as "e!""#,
        complaint_id,
        user_id
    )
    .fetch_one(db)
    .await
}

/// The reporter and every supporter who may see the complaint (`complaint_visible_to`,
/// the complaint page's rule): who hears of each public event, in the portal and by mail.
pub async fn list_followers(db: impl PgExecutor<'_>, complaint_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        r#"select f.user_id as "user_id!" from (select reporter_id as user_id from complaint where complaint_id = $1
                                               union select user_id from complaint_support where complaint_id = $1) f
           where complaint_visible_to($1, f.user_id)"#,
        complaint_id
    )
    .fetch_all(db)
    .await
}

pub struct BoardRow {
    pub complaint_id: i64,
    pub tracking_no: String,
    pub title: String,
    pub category_zh: String,
    pub category_en: String,
    pub status: String,
    pub office_zh: Option<String>,
    pub office_en: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Whole days from filing to the first public reply, when there was one.
    pub days_to_reply: Option<i64>,
    pub supporters: i64,
}

pub struct BoardFilter<'a> {
    pub status: Option<&'a str>,
    pub category: Option<&'a str>,
    pub office_id: Option<i64>,
    /// A `tsquery` from `search::tsquery`; matches are ordered by rank.
    pub query: Option<String>,
    /// Keyset: rows older than this (created_at, complaint_id).
    pub before: Option<(DateTime<Utc>, i64)>,
    pub limit: i64,
}

pub async fn list_public_board(db: impl PgExecutor<'_>, f: &BoardFilter<'_>) -> sqlx::Result<Vec<BoardRow>> {
    let (before_at, before_id) = f.before.map_or((None, None), |(a, i)| (Some(a), Some(i)));
    let Some(query) = f.query.as_deref() else {
        return sqlx::query_as!(
            BoardRow,
            r#"select c.complaint_id, c.tracking_no, c.title, cat.name_zh as category_zh, cat.name_en as category_en, c.status,
                      o.name_zh as "office_zh?", o.name_en as "office_en?", c.created_at,
                      extract(day from c.first_public_reply_at - c.created_at)::bigint as days_to_reply,
                      (select count(*) from complaint_support s where s.complaint_id = c.complaint_id) as "supporters!"
               from complaint c
               join complaint_category cat using (category_id)
               left join school_office o using (office_id)
               where c.is_public
                 and ($1::text is null or c.status = $1)
                 and ($2::text is null or cat.slug = $2)
                 and ($3::bigint is null or c.office_id = $3)
                 and ($4::timestamptz is null or (c.created_at, c.complaint_id) < ($4, $5))
               order by c.created_at desc, c.complaint_id desc
               limit $6"#,
            f.status,
            f.category,
            f.office_id,
            before_at,
            before_id,
            f.limit
        )
        .fetch_all(db)
        .await;
    };
    // Only the newest `MAX_CANDIDATES` matches are ranked: a one-character or very
    // common word would otherwise rank every complaint.
    sqlx::query_as!(
        BoardRow,
        r#"with candidates as (
               select c.complaint_id
               from complaint c
               join complaint_category cat using (category_id)
               where c.is_public
                 and ($1::text is null or c.status = $1)
                 and ($2::text is null or cat.slug = $2)
                 and ($3::bigint is null or c.office_id = $3)
                 and ($4::timestamptz is null or (c.created_at, c.complaint_id) < ($4, $5))
                 and c.search_doc @@ $7::text::tsquery
               order by c.created_at desc, c.complaint_id desc
               limit $8
           )
           select c.complaint_id, c.tracking_no, c.title, cat.name_zh as category_zh, cat.name_en as category_en, c.status,
                  o.name_zh as "office_zh?", o.name_en as "office_en?", c.created_at,
                  extract(day from c.first_public_reply_at - c.created_at)::bigint as days_to_reply,
                  (select count(*) from complaint_support s where s.complaint_id = c.complaint_id) as "supporters!"
           from candidates
           join complaint c using (complaint_id)
           join complaint_category cat using (category_id)
           left join school_office o using (office_id)
           order by ts_rank(c.search_doc, $7::text::tsquery) desc, c.created_at desc, c.complaint_id desc
           limit $6"#,
        f.status,
        f.category,
        f.office_id,
        before_at,
        before_id,
        f.limit,
        query,
        crate::search::MAX_CANDIDATES
    )
    .fetch_all(db)
    .await
}

/// A row of the handlers' queue. Category and assignee come as ids: the page names
/// them from the categories and members it holds anyway, so the queue reads one
/// table (joins made its planning cost more than the query).
#[derive(Clone)]
pub struct QueueRow {
    pub complaint_id: i64,
    pub tracking_no: String,
    pub title: String,
    pub category_id: i64,
    pub status: String,
    pub assignee_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub first_public_reply_at: Option<DateTime<Utc>>,
}

pub struct QueueFilter<'a> {
    pub department_id: i64,
    /// One status; `None` for every open one.
    pub status: Option<&'a str>,
    pub assignee_id: Option<i64>,
    /// A `tsquery` from `search::tsquery`.
    pub query: Option<&'a str>,
    pub category_id: Option<i64>,
}

impl QueueFilter<'_> {
    pub fn is_unfiltered(&self) -> bool {
        self.status.is_none() && self.assignee_id.is_none() && self.query.is_none() && self.category_id.is_none()
    }
}

/// Rows on a page of the handlers' queue: as many as the public board, short enough
/// for a phone.
pub const QUEUE_PAGE: i64 = 30;

/// The open part of a department's queue, a page at a time, the longest waiting
/// first (after `after`, a (created_at, complaint_id) position). With `overdue` only
/// what is overdue, exactly as `deadlines::missed_deadline` judges it: the working
/// calendar is in the filing times `overdue` names, so no row is fetched to be dropped.
pub async fn list_open_queue(
    db: impl PgExecutor<'_>,
    f: &QueueFilter<'_>,
    overdue: Option<&super::deadlines::Overdue>,
    after: Option<(DateTime<Utc>, i64)>,
) -> sqlx::Result<Vec<QueueRow>> {
    if f.is_unfiltered() && after.is_none() {
        return list_open_queue_start(db, f.department_id, overdue).await;
    }
    let accept = overdue.map(|o| o.accept);
    let (after_at, after_id) = after.map_or((None, None), |(a, i)| (Some(a), Some(i)));
    // A filing is late to accept when made before `before`, or before `until` at an
    // earlier time of its Shanghai day than now (see `holidays::LateFilings`).
    sqlx::query_as!(
        QueueRow,
        r#"select complaint_id, tracking_no, title, category_id, status, assignee_id, created_at, first_public_reply_at
           from complaint
           where department_id = $1
             and status in ('submitted', 'accepted', 'forwarded')
             and merged_into_id is null
             and ($2::text is null or status = $2)
             and ($3::bigint is null or assignee_id = $3)
             and ($4::text is null or search_doc @@ $4::text::tsquery)
             and ($5::bigint is null or category_id = $5)
             and ($6::timestamptz is null
                  or (status = 'submitted'
                      and (created_at < $6
                           or (created_at < $7 and (created_at at time zone 'Asia/Shanghai')::time < $8::time)))
                  or (first_public_reply_at is null and created_at < $9))
             and ($10::timestamptz is null or (created_at, complaint_id) > ($10, $11))
           order by created_at, complaint_id
           limit $12"#,
        f.department_id,
        f.status,
        f.assignee_id,
        f.query,
        f.category_id,
        accept.map(|a| a.before),
        accept.map(|a| a.until),
        accept.map(|a| a.time_of_day),
        overdue.map(|o| o.reply_before),
        after_at,
        after_id,
        QUEUE_PAGE
    )
    .fetch_all(db)
    .await
}

/// The first page of open work, or of what is overdue, with no other filter: the
/// views handlers open all day. Its parameters are wrapped in `(select $n)` so the
/// planner cannot see their values and keeps one plan for every call: with plain
/// parameters it planned each execution anew (the plan for a big department looks
/// cheaper than the kept one), and planning cost twice the query itself. The page
/// size is written into the SQL for the same reason.
async fn list_open_queue_start(
    db: impl PgExecutor<'_>,
    department_id: i64,
    overdue: Option<&super::deadlines::Overdue>,
) -> sqlx::Result<Vec<QueueRow>> {
    // Without the overdue filter the cutoffs are not read (the first condition holds).
    let epoch = DateTime::<Utc>::UNIX_EPOCH;
    let (before, until, time_of_day, reply_before) = overdue
        .map_or((epoch, epoch, chrono::NaiveTime::MIN, epoch), |o| {
            (o.accept.before, o.accept.until, o.accept.time_of_day, o.reply_before)
        });
    sqlx::query_as!(
        QueueRow,
        r#"select complaint_id, tracking_no, title, category_id, status, assignee_id, created_at, first_public_reply_at
           from complaint
           where department_id = (select $1::bigint)
             and status in ('submitted', 'accepted', 'forwarded') and merged_into_id is null
             and ((select $2::bool)
                  or (status = 'submitted'
                      and (created_at < (select $3::timestamptz)
                           or (created_at < (select $4::timestamptz)
                               and (created_at at time zone 'Asia/Shanghai')::time < (select $5::time))))
                  or (first_public_reply_at is null and created_at < (select $6::timestamptz)))
           order by created_at, complaint_id
           limit 30"#,
        department_id,
        overdue.is_none(),
        before,
        until,
        time_of_day,
        reply_before
    )
    .fetch_all(db)
    .await
}

/// Complaints of one closed status (resolved, rejected, responded), newest first, a page at a time.
pub async fn list_closed_queue(
    db: impl PgExecutor<'_>,
    f: &QueueFilter<'_>,
    before: Option<(DateTime<Utc>, i64)>,
) -> sqlx::Result<Vec<QueueRow>> {
    let (before_at, before_id) = before.map_or((None, None), |(a, i)| (Some(a), Some(i)));
    sqlx::query_as!(
        QueueRow,
        r#"select complaint_id, tracking_no, title, category_id, status, assignee_id, created_at, first_public_reply_at
           from complaint
           where department_id = $1
             and status = $2
             and merged_into_id is null
             and ($3::bigint is null or assignee_id = $3)
             and ($4::text is null or search_doc @@ $4::text::tsquery)
             and ($5::bigint is null or category_id = $5)
             and ($6::timestamptz is null or (created_at, complaint_id) < ($6, $7))
           order by created_at desc, complaint_id desc
           limit $8"#,
        f.department_id,
        f.status,
        f.assignee_id,
        f.query,
        f.category_id,
        before_at,
        before_id,
        QUEUE_PAGE
    )
    .fetch_all(db)
    .await
}

/// Names of users by id, for the few assignees who are no longer members.
pub async fn list_user_names(db: impl PgExecutor<'_>, user_ids: &[i64]) -> sqlx::Result<Vec<(i64, String)>> {
    let rows =
        sqlx::query!("select user_id, name from app_user where user_id = any($1)", user_ids).fetch_all(db).await?;
    Ok(rows.into_iter().map(|r| (r.user_id, r.name)).collect())
}

#[derive(Clone)]
pub struct StatusCount {
    pub status: String,
    pub n: i64,
}

/// The queue's counts for a department, reused for a few seconds (`Cached`):
/// counting a department's open complaints costs milliseconds when thousands
/// wait, and every handler opens the queue again and again. The rows below them
/// are always fresh.
pub async fn queue_counts(state: &crate::app::AppState, department_id: i64) -> sqlx::Result<Arc<Vec<StatusCount>>> {
    state.cached.queue_counts.get_or_load(department_id, || count_open_by_status(&state.db, department_id)).await
}

/// How many complaints wait in each open status: the closed ones only grow and
/// are not worth counting on every visit to the queue.
pub async fn count_open_by_status(db: impl PgExecutor<'_>, department_id: i64) -> sqlx::Result<Vec<StatusCount>> {
    sqlx::query_as!(
        StatusCount,
        r#"select status, count(*) as "n!" from complaint
           where department_id = $1 and status in ('submitted', 'accepted', 'forwarded') and merged_into_id is null
           group by status"#,
        department_id
    )
    .fetch_all(db)
    .await
}

pub struct MyComplaint {
    pub tracking_no: String,
    pub title: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    /// Unread notifications about this complaint.
    pub unread: i64,
}

pub async fn list_mine(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<Vec<MyComplaint>> {
    sqlx::query_as!(
        MyComplaint,
        r#"select c.tracking_no, c.title, c.status, c.created_at,
                  (select count(*) from notification n where n.user_id = $1 and n.read_at is null
                   and n.link = '/complaints/' || c.tracking_no) as "unread!"
           from complaint c where c.reporter_id = $1 order by c.created_at desc limit 100"#,
        user_id
    )
    .fetch_all(db)
    .await
}

pub async fn list_supported(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<Vec<MyComplaint>> {
    sqlx::query_as!(
        MyComplaint,
        r#"select c.tracking_no, c.title, c.status, c.created_at,
                  (select count(*) from notification n where n.user_id = $1 and n.read_at is null
                   and n.link = '/complaints/' || c.tracking_no) as "unread!"
           from complaint_support s join complaint c using (complaint_id)
           where s.user_id = $1 and complaint_visible_to(c.complaint_id, $1)
           order by s.created_at desc limit 100"#,
        user_id
    )
    .fetch_all(db)
    .await
}

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

pub struct HandlingDepartment {
    pub department_id: i64,
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
}

pub async fn list_handling_departments(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<HandlingDepartment>> {
    sqlx::query_as!(
        HandlingDepartment,
        "select department_id, slug, name_zh, name_en from department where handles_complaints and archived_at is null order by sort_order"
    )
    .fetch_all(db)
    .await
}

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
