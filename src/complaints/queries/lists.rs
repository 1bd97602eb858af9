//! The public board and the department queues.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

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
    /// The category's id (the page maps its slug with the cached categories: joining
    /// `complaint_category` here made PostgreSQL's generic plan run the search once per category).
    pub category_id: Option<i64>,
    pub office_id: Option<i64>,
    /// The words searched for, as `search::query_tokens` cuts them (none: no search);
    /// matches are ordered by rank.
    pub words: Vec<String>,
    /// Keyset: rows older than this (created_at, complaint_id).
    pub before: Option<(DateTime<Utc>, i64)>,
    pub limit: i64,
}

/// The public board: public complaints, merged duplicates left out (their own page points
/// to the kept complaint).
pub async fn list_public_board(db: impl PgExecutor<'_>, f: &BoardFilter<'_>) -> sqlx::Result<Vec<BoardRow>> {
    let (before_at, before_id) = f.before.map_or((None, None), |(a, i)| (Some(a), Some(i)));
    let Some(query) = crate::search::tsquery_of(&f.words) else {
        return sqlx::query_as!(
            BoardRow,
            r#"select c.complaint_id, c.tracking_no, c.title, cat.name_zh as category_zh, cat.name_en as category_en, c.status,
                      o.name_zh as "office_zh?", o.name_en as "office_en?", c.created_at,
                      extract(day from c.first_public_reply_at - c.created_at)::bigint as days_to_reply,
                      (select count(*) from complaint_support s where s.complaint_id = c.complaint_id) as "supporters!"
               from complaint c
               join complaint_category cat using (category_id)
               left join school_office o using (office_id)
               where c.is_public and c.merged_into_id is null
                 and ($1::text is null or c.status = $1)
                 and ($2::bigint is null or c.category_id = $2)
                 and ($3::bigint is null or c.office_id = $3)
                 -- Always a bound (none: past the newest), so the one plan kept reads the index from the cursor.
                 and (c.created_at, c.complaint_id) < (coalesce($4::timestamptz, 'infinity'), coalesce($5::bigint, 9223372036854775807))
               order by c.created_at desc, c.complaint_id desc
               limit $6"#,
            f.status,
            f.category_id,
            f.office_id,
            before_at,
            before_id,
            f.limit
        )
        .fetch_all(db)
        .await;
    };
    // Only the newest `MAX_CANDIDATES` matches are ranked: a one-character or very
    // common word would otherwise rank every complaint. They are looked for a month at
    // a time, newest first (migrations/0059): the nested loop returns each month's
    // matches newest first, in the series' order, so the limit stops as soon as the
    // newest months hold enough, and a common word reads one month, not every match.
    // Each month's probe reads only that month's postings of the words.
    // Ranked results are one page: no cursor.
    sqlx::query_as!(
        BoardRow,
        // Ranked among the candidates alone, then only the page's rows are read: ordering the
        // whole statement by rank let the generic plan sort every complaint by it (0.5 s).
        r#"with candidates as (
               select found.complaint_id, found.created_at, found.search_doc
               from generate_series((select search_month(max(created_at)) from complaint where is_public),
                                    (select search_month(min(created_at)) from complaint where is_public),
                                    -1) as m(month)
               cross join lateral (
                   select c.complaint_id, c.created_at, c.search_doc
                   from complaint c
                   where c.is_public and c.merged_into_id is null
                     and search_doc_in_month(search_month(c.created_at), c.search_doc) @@ search_query_in_month(m.month, $7)
                     and ($1::text is null or c.status = $1)
                     and ($2::bigint is null or c.category_id = $2)
                     and ($3::bigint is null or c.office_id = $3)
                   order by c.created_at desc, c.complaint_id desc
                   limit $6
               ) as found
               limit $6
           ), best as (
               select complaint_id, ts_rank(search_doc, $5::text::tsquery) as rank
               from candidates
               order by rank desc, created_at desc, complaint_id desc
               limit $4
           )
           select c.complaint_id, c.tracking_no, c.title, cat.name_zh as category_zh, cat.name_en as category_en, c.status,
                  o.name_zh as "office_zh?", o.name_en as "office_en?", c.created_at,
                  extract(day from c.first_public_reply_at - c.created_at)::bigint as days_to_reply,
                  (select count(*) from complaint_support s where s.complaint_id = c.complaint_id) as "supporters!"
           from best
           join complaint c using (complaint_id)
           join complaint_category cat using (category_id)
           left join school_office o using (office_id)
           order by best.rank desc, c.created_at desc, c.complaint_id desc"#,
        f.status,
        f.category_id,
        f.office_id,
        f.limit,
        query,
        crate::search::MAX_CANDIDATES,
        &f.words
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
    overdue: Option<&crate::complaints::deadlines::Overdue>,
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
             and (created_at, complaint_id) > (coalesce($10::timestamptz, '-infinity'), coalesce($11::bigint, 0))
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
    overdue: Option<&crate::complaints::deadlines::Overdue>,
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
             and (created_at, complaint_id) < (coalesce($6::timestamptz, 'infinity'), coalesce($7::bigint, 9223372036854775807))
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
