//! SQL of the statistics: aggregates only. Nothing here selects a reporter, a
//! claimant or any text a student wrote, so nothing identifying can reach a
//! chart. Merged duplicates are left out: the complaint they were merged into
//! counts for them. Private complaints count like the others, in totals only.
//! `department_id` is null for the union-wide figures and set for a dashboard.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgExecutor;

pub struct CategoryCount {
    pub name_zh: String,
    pub name_en: String,
    pub n: i64,
}

/// Every category, in the order forms list them, with its complaints (zero included).
pub async fn count_by_category(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<CategoryCount>> {
    sqlx::query_as!(
        CategoryCount,
        r#"select cat.name_zh, cat.name_en, count(c.complaint_id) as "n!"
           from complaint_category cat
           left join complaint c on c.category_id = cat.category_id and c.merged_into_id is null
           group by cat.category_id
           order by cat.sort_order, cat.category_id"#
    )
    .fetch_all(db)
    .await
}

pub struct MonthCount {
    /// The first day of the month, in Asia/Shanghai.
    pub month: NaiveDate,
    pub n: i64,
}

/// The last twelve months in Shanghai, this one included, each one present even when empty.
pub async fn count_by_month(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<MonthCount>> {
    sqlx::query_as!(
        MonthCount,
        r#"with this_month as (select date_trunc('month', now() at time zone 'Asia/Shanghai') as m)
           select s.month::date as "month!", count(c.complaint_id) as "n!"
           from this_month, generate_series(this_month.m - interval '11 months', this_month.m, interval '1 month') as s(month)
           left join complaint c
             on date_trunc('month', c.created_at at time zone 'Asia/Shanghai') = s.month and c.merged_into_id is null
            -- A plain bound on created_at, so only the last year's complaints are read.
            and c.created_at >= ((select m from this_month) - interval '11 months') at time zone 'Asia/Shanghai'
           group by s.month
           order by s.month"#
    )
    .fetch_all(db)
    .await
}

pub struct StatusCount {
    pub status: String,
    pub n: i64,
}

pub async fn count_by_status(db: impl PgExecutor<'_>, department_id: Option<i64>) -> sqlx::Result<Vec<StatusCount>> {
    sqlx::query_as!(
        StatusCount,
        r#"select status, count(*) as "n!" from complaint
           where merged_into_id is null and ($1::bigint is null or department_id = $1)
           group by status"#,
        department_id
    )
    .fetch_all(db)
    .await
}

/// Complaints the reporter confirmed as resolved (a reopening clears the confirmation).
pub async fn count_confirmed(db: impl PgExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from complaint
           where merged_into_id is null and status = 'resolved' and confirmed_at is not null"#
    )
    .fetch_one(db)
    .await
}

/// Per school office, two clocks on the complaints forwarded to it: the office's, from
/// forwarding to its first answer (by its liaison, or relayed by the union), and the
/// union's, from filing to its first public reply. Neither is charged with the other's delay.
pub struct ReplyTime {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    /// Null when the office has answered none of its cases yet.
    pub median_days: Option<f64>,
    /// Cases the office answered: what the median is based on.
    pub replied: i64,
    /// Open cases still waiting for the office's first answer: the median cannot see them.
    pub waiting: i64,
    /// The union's median days from filing to its first public reply, on the same cases.
    pub union_median_days: Option<f64>,
}

/// Per school office a complaint was forwarded to.
pub async fn list_reply_times(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<ReplyTime>> {
    sqlx::query_as!(
        ReplyTime,
        r#"select o.slug, o.name_zh, o.name_en,
                  percentile_cont(0.5) within group (
                      order by extract(epoch from c.office_answered_at - c.forwarded_at)::float8 / 86400
                  ) filter (where c.office_answered_at is not null) as median_days,
                  count(*) filter (where c.office_answered_at is not null) as "replied!",
                  count(*) filter (where c.office_answered_at is null
                                   and c.status not in ('rejected', 'resolved')) as "waiting!",
                  percentile_cont(0.5) within group (
                      order by extract(epoch from c.first_public_reply_at - c.created_at)::float8 / 86400
                  ) filter (where c.first_public_reply_at is not null) as union_median_days
           from complaint c
           join school_office o using (office_id)
           where c.merged_into_id is null and c.forwarded_at is not null
           group by o.office_id
           order by o.sort_order, o.office_id"#
    )
    .fetch_all(db)
    .await
}

/// The median days to first reply of one department's complaints, and how many it is based on.
pub async fn fetch_department_reply_time(
    db: impl PgExecutor<'_>,
    department_id: i64,
) -> sqlx::Result<(Option<f64>, i64)> {
    let row = sqlx::query!(
        r#"select percentile_cont(0.5) within group (
                      order by extract(epoch from first_public_reply_at - created_at)::float8 / 86400
                  ) as median_days,
                  count(*) as "replied!"
           from complaint
           where department_id = $1 and merged_into_id is null and first_public_reply_at is not null"#,
        department_id
    )
    .fetch_one(db)
    .await?;
    Ok((row.median_days, row.replied))
}

pub struct OpenComplaint {
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub first_public_reply_at: Option<DateTime<Utc>>,
}

/// A department's open complaints, for its deadlines (judged in `complaints::deadlines`).
pub async fn list_open_complaints(db: impl PgExecutor<'_>, department_id: i64) -> sqlx::Result<Vec<OpenComplaint>> {
    sqlx::query_as!(
        OpenComplaint,
        "select status, created_at, first_public_reply_at from complaint
         where department_id = $1 and merged_into_id is null and status in ('submitted', 'accepted', 'forwarded')",
        department_id
    )
    .fetch_all(db)
    .await
}

#[derive(Debug, Default)]
pub struct LostTotals {
    pub held: i64,
    pub claimed: i64,
    pub returned: i64,
    pub disposed: i64,
    pub cards: i64,
    /// Campus cards claimed at a point or taken to their owner.
    pub cards_returned: i64,
}

pub async fn fetch_lost_totals(db: impl PgExecutor<'_>, department_id: Option<i64>) -> sqlx::Result<LostTotals> {
    sqlx::query_as!(
        LostTotals,
        r#"select count(*) filter (where status = 'held') as "held!",
                  count(*) filter (where status = 'claimed') as "claimed!",
                  count(*) filter (where status = 'returned') as "returned!",
                  count(*) filter (where status = 'disposed') as "disposed!",
                  count(*) filter (where category = 'card') as "cards!",
                  count(*) filter (where category = 'card' and status in ('claimed', 'returned')) as "cards_returned!"
           from found_item
           where $1::bigint is null or department_id = $1"#,
        department_id
    )
    .fetch_one(db)
    .await
}

pub struct CommitmentRow {
    /// Who promised it: `o<office id>`, or `d<department id>` for a department's own.
    pub by_key: String,
    pub name_zh: String,
    pub name_en: String,
    pub status: String,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

/// Every commitment (or those one department keeps), by promiser: offices, then departments.
pub async fn list_commitments(db: impl PgExecutor<'_>, department_id: Option<i64>) -> sqlx::Result<Vec<CommitmentRow>> {
    sqlx::query_as!(
        CommitmentRow,
        r#"select coalesce('o' || m.office_id, 'd' || m.keeper_department_id) as "by_key!",
                  coalesce(o.name_zh, d.name_zh) as "name_zh!", coalesce(o.name_en, d.name_en) as "name_en!",
                  m.status, m.due_on, m.done_on
           from commitment m
           left join school_office o using (office_id)
           left join department d on m.office_id is null and d.department_id = m.keeper_department_id
           where $1::bigint is null or m.keeper_department_id = $1
           order by m.office_id is null, o.sort_order, m.office_id, m.keeper_department_id"#,
        department_id
    )
    .fetch_all(db)
    .await
}

pub struct Attendance {
    pub number: i32,
    pub kind_zh: String,
    pub kind_en: String,
    pub starts_at: DateTime<Utc>,
    /// Open seats taken plus college delegates: sign-ups, not check-ins.
    pub taken: i64,
    /// Open seats plus the seats reserved for delegates.
    pub offered: i64,
}

/// The twelve latest sessions that have begun, newest first.
pub async fn list_attendance(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Attendance>> {
    sqlx::query_as!(
        Attendance,
        r#"select s.number, k.name_zh as kind_zh, k.name_en as kind_en, s.starts_at,
                  (select count(*) from reception_signup g where g.session_id = s.session_id and g.status = 'seat')
                  + (select count(*) from reception_delegate d where d.session_id = s.session_id) as "taken!",
                  s.open_seats
                  + (select coalesce(sum(q.seats), 0) from reception_quota q where q.session_id = s.session_id)::bigint
                    as "offered!"
           from reception_session s
           join reception_kind k using (kind)
           where s.starts_at <= now()
           order by s.starts_at desc
           limit 12"#
    )
    .fetch_all(db)
    .await
}
