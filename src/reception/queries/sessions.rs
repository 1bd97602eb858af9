//! Sessions: their details, leaders, and everyone to tell about them.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

pub struct Session {
    pub session_id: i64,
    pub kind: String,
    pub kind_zh: String,
    pub kind_en: String,
    pub prefix: String,
    pub number: i32,
    pub department_id: i64,
    pub dept_slug: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_confirmed: bool,
    pub sequence: i32,
    pub place: String,
    pub topic: String,
    pub open_seats: i32,
    pub signup_opens_at: DateTime<Utc>,
    pub signup_closes_at: DateTime<Utc>,
    pub signup_closed_early_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub minutes_updated_at: Option<DateTime<Utc>>,
    pub seats_taken: i64,
    pub waiting: i64,
    pub delegate_seats: i64,
    pub delegates: i64,
}

impl Session {
    pub fn code(&self) -> String {
        crate::reception::model::code(&self.prefix, self.number)
    }
    pub fn open_seats_left(&self) -> i64 {
        (i64::from(self.open_seats) - self.seats_taken).max(0)
    }
    pub fn signup_open(&self, now: DateTime<Utc>) -> bool {
        self.signup_closed_early_at.is_none()
            && now >= self.signup_opens_at
            && now < self.signup_closes_at
            && now < self.starts_at
    }
    pub fn is_past(&self, now: &DateTime<Utc>) -> bool {
        self.ends_at < *now
    }
}

/// Which sessions: every filter is optional.
#[derive(Default)]
pub struct SessionFilter<'a> {
    pub session_id: Option<i64>,
    /// (path prefix, number)
    pub code: Option<(&'a str, i32)>,
    pub department_id: Option<i64>,
    /// Only sessions that ended after this (and those to come).
    pub ended_after: Option<DateTime<Utc>>,
    /// Seats, waiting list and delegates left uncounted (zeros): the calendar and the feed
    /// show none of them, and counting them was most of their cost.
    pub without_counts: bool,
    /// Sessions that have ended left uncounted (zeros): the public list shows the seats
    /// only of those to come, and most of its page has ended.
    pub past_uncounted: bool,
    pub limit: i64,
    pub offset: i64,
}

/// Upcoming sessions first (soonest first), then past ones (latest first).
pub async fn find_sessions(db: impl PgExecutor<'_>, f: &SessionFilter<'_>) -> sqlx::Result<Vec<Session>> {
    sqlx::query_as!(
        Session,
        // The page's sessions are chosen from their own table first; only they are joined to
        // their kind and department and have their seats counted.
        r#"with page as (
               select s.session_id from reception_session s
               where ($1::bigint is null or s.session_id = $1)
                 and ($2::text is null or (s.kind = (select k.kind from reception_kind k where k.path_prefix = $2)
                                           and s.number = $3))
                 and ($4::bigint is null or s.department_id = $4)
                 and ($8::timestamptz is null or s.ends_at > $8)
               order by s.ends_at < now(), case when s.ends_at >= now() then s.starts_at end, s.starts_at desc
               limit $5 offset $7
           )
           select s.session_id, s.kind, k.name_zh as kind_zh, k.name_en as kind_en, k.path_prefix as prefix,
                  s.number, s.department_id, d.slug as dept_slug, s.starts_at, s.ends_at, s.time_confirmed,
                  s.sequence, s.place, s.topic, s.open_seats, s.signup_opens_at, s.signup_closes_at,
                  s.signup_closed_early_at, s.updated_at, s.minutes_updated_at,
                  case when $6 or ($9 and s.ends_at < now()) then 0 else (select count(*) from reception_signup g where g.session_id = s.session_id and g.status = 'seat') end as "seats_taken!",
                  case when $6 or ($9 and s.ends_at < now()) then 0 else (select count(*) from reception_signup g where g.session_id = s.session_id and g.status = 'waiting') end as "waiting!",
                  case when $6 or ($9 and s.ends_at < now()) then 0 else (select coalesce(sum(q.seats), 0) from reception_quota q where q.session_id = s.session_id)::bigint end as "delegate_seats!",
                  case when $6 or ($9 and s.ends_at < now()) then 0 else (select count(*) from reception_delegate x where x.session_id = s.session_id) end as "delegates!"
           from page join reception_session s using (session_id) join reception_kind k using (kind)
           join department d using (department_id)
           order by s.ends_at < now(), case when s.ends_at >= now() then s.starts_at end, s.starts_at desc"#,
        f.session_id,
        f.code.map(|c| c.0),
        f.code.map(|c| c.1),
        f.department_id,
        f.limit,
        f.without_counts,
        f.offset,
        f.ended_after,
        f.past_uncounted
    )
    .fetch_all(db)
    .await
}

pub async fn fetch_session(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<Option<Session>> {
    let f = SessionFilter { session_id: Some(session_id), limit: 1, ..SessionFilter::default() };
    Ok(find_sessions(db, &f).await?.pop())
}

pub async fn fetch_by_code(db: impl PgExecutor<'_>, prefix: &str, number: i32) -> sqlx::Result<Option<Session>> {
    let f = SessionFilter { code: Some((prefix, number)), limit: 1, ..SessionFilter::default() };
    Ok(find_sessions(db, &f).await?.pop())
}

/// The next session that has not ended, for the home page, which shows its seats left:
/// seats taken are counted, the waiting list and delegates are not (zeros, as the
/// calendar's). Its own statement: the list's generic plan, with every filter, sorted all
/// sessions to return one (140 µs of PostgreSQL's time on every home page).
pub async fn next_session(db: impl PgExecutor<'_>) -> sqlx::Result<Option<Session>> {
    sqlx::query_as!(
        Session,
        r#"select s.session_id, s.kind, k.name_zh as kind_zh, k.name_en as kind_en, k.path_prefix as prefix,
                  s.number, s.department_id, d.slug as dept_slug, s.starts_at, s.ends_at, s.time_confirmed,
                  s.sequence, s.place, s.topic, s.open_seats, s.signup_opens_at, s.signup_closes_at,
                  s.signup_closed_early_at, s.updated_at, s.minutes_updated_at,
                  (select count(*) from reception_signup g where g.session_id = s.session_id and g.status = 'seat') as "seats_taken!",
                  0::int8 as "waiting!", 0::int8 as "delegate_seats!", 0::int8 as "delegates!"
           from reception_session s join reception_kind k using (kind) join department d using (department_id)
           where s.ends_at >= now()
           order by s.starts_at, s.session_id
           limit 1"#
    )
    .fetch_optional(db)
    .await
}

/// Everyone to tell about a session: seats, waiting list, followers, askers and voters.
pub async fn audience(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        r#"select user_id as "user_id!" from reception_signup where session_id = $1 and status <> 'cancelled'
           union select user_id from reception_follow where session_id = $1
           union select user_id from reception_delegate where session_id = $1 and user_id is not null
           union select author_id from reception_question where session_id = $1
           union select v.user_id from reception_question_vote v join reception_question q using (question_id)
                 where q.session_id = $1"#,
        session_id
    )
    .fetch_all(db)
    .await
}

/// This department's session, or None: another department's session is not found.
pub async fn fetch_session_of_department(
    db: impl PgExecutor<'_>,
    session_id: i64,
    department_id: i64,
) -> sqlx::Result<Option<Session>> {
    let f = SessionFilter {
        session_id: Some(session_id),
        department_id: Some(department_id),
        limit: 1,
        ..SessionFilter::default()
    };
    Ok(find_sessions(db, &f).await?.pop())
}

/// The next number of its kind, atomically: two organisers never share one.
pub async fn next_session_number(db: impl PgExecutor<'_>, kind: &str) -> sqlx::Result<i32> {
    sqlx::query_scalar!(
        "update reception_kind set last_number = last_number + 1 where kind = $1 returning last_number",
        kind
    )
    .fetch_one(db)
    .await
}

/// A session's own row, as the organisers' form saves it.
pub struct SessionRow<'a> {
    pub kind: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_confirmed: bool,
    pub place: &'a str,
    pub topic: &'a str,
    pub open_seats: i32,
    pub signup_opens_at: DateTime<Utc>,
    pub signup_closes_at: DateTime<Utc>,
}

pub async fn insert_session(
    db: impl PgExecutor<'_>,
    r: &SessionRow<'_>,
    number: i32,
    department_id: i64,
    created_by: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into reception_session (kind, number, department_id, starts_at, ends_at, time_confirmed, place, topic,
                                        open_seats, signup_opens_at, signup_closes_at, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning session_id",
        r.kind,
        number,
        department_id,
        r.starts_at,
        r.ends_at,
        r.time_confirmed,
        r.place,
        r.topic,
        r.open_seats,
        r.signup_opens_at,
        r.signup_closes_at,
        created_by
    )
    .fetch_one(db)
    .await
}

/// A changed time or place bumps the calendar SEQUENCE, so phones replace the event.
pub async fn update_session(
    db: impl PgExecutor<'_>,
    session_id: i64,
    r: &SessionRow<'_>,
    time_changed: bool,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update reception_session set starts_at = $2, ends_at = $3, time_confirmed = $4, place = $5, topic = $6,
                open_seats = $7, signup_opens_at = $8, signup_closes_at = $9,
                sequence = sequence + case when $10 or place <> $5 then 1 else 0 end, updated_at = now()
         where session_id = $1",
        session_id,
        r.starts_at,
        r.ends_at,
        r.time_confirmed,
        r.place,
        r.topic,
        r.open_seats,
        r.signup_opens_at,
        r.signup_closes_at,
        time_changed
    )
    .execute(db)
    .await?;
    Ok(())
}

/// When and where a session is, its row locked for the edit that compares with it.
pub struct SessionTime {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_confirmed: bool,
    pub place: String,
}

pub async fn lock_session_time(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<SessionTime> {
    sqlx::query_as!(
        SessionTime,
        "select starts_at, ends_at, time_confirmed, place from reception_session where session_id = $1 for update",
        session_id
    )
    .fetch_one(db)
    .await
}

/// Lock the session's row: two organisers cannot fill the same last seat twice.
pub async fn lock_session(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<()> {
    sqlx::query_scalar!("select session_id from reception_session where session_id = $1 for update", session_id)
        .fetch_one(db)
        .await?;
    Ok(())
}

pub async fn update_signup_closed_early(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "update reception_session set signup_closed_early_at = coalesce(signup_closed_early_at, now()), updated_at = now()
         where session_id = $1",
        session_id
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn update_minutes_updated(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<()> {
    sqlx::query!("update reception_session set minutes_updated_at = now() where session_id = $1", session_id)
        .execute(db)
        .await?;
    Ok(())
}
