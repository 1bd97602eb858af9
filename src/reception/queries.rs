//! SQL of reception days: sessions, seats, questions, minutes, commitments.

use chrono::{DateTime, NaiveDate, Utc};
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
        super::model::code(&self.prefix, self.number)
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
    pub upcoming_only: bool,
    pub limit: i64,
}

/// Upcoming sessions first (soonest first), then past ones (latest first).
pub async fn find_sessions(db: impl PgExecutor<'_>, f: &SessionFilter<'_>) -> sqlx::Result<Vec<Session>> {
    sqlx::query_as!(
        Session,
        r#"select s.session_id, s.kind, k.name_zh as kind_zh, k.name_en as kind_en, k.path_prefix as prefix,
                  s.number, s.department_id, d.slug as dept_slug, s.starts_at, s.ends_at, s.time_confirmed,
                  s.sequence, s.place, s.topic, s.open_seats, s.signup_opens_at, s.signup_closes_at,
                  s.signup_closed_early_at, s.updated_at, s.minutes_updated_at,
                  (select count(*) from reception_signup g where g.session_id = s.session_id and g.status = 'seat') as "seats_taken!",
                  (select count(*) from reception_signup g where g.session_id = s.session_id and g.status = 'waiting') as "waiting!",
                  (select coalesce(sum(q.seats), 0) from reception_quota q where q.session_id = s.session_id)::bigint as "delegate_seats!",
                  (select count(*) from reception_delegate x where x.session_id = s.session_id) as "delegates!"
           from reception_session s join reception_kind k using (kind) join department d using (department_id)
           where ($1::bigint is null or s.session_id = $1)
             and ($2::text is null or (k.path_prefix = $2 and s.number = $3))
             and ($4::bigint is null or s.department_id = $4)
             and (not $5 or s.ends_at >= now())
           order by s.ends_at < now(), case when s.ends_at >= now() then s.starts_at end, s.starts_at desc
           limit $6"#,
        f.session_id,
        f.code.map(|c| c.0),
        f.code.map(|c| c.1),
        f.department_id,
        f.upcoming_only,
        f.limit
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

/// The next session that has not ended.
pub async fn next_session(db: impl PgExecutor<'_>) -> sqlx::Result<Option<Session>> {
    let f = SessionFilter { upcoming_only: true, limit: 1, ..SessionFilter::default() };
    Ok(find_sessions(db, &f).await?.pop())
}

pub struct Leader {
    pub name: String,
    pub title: String,
}

/// The leaders of many sessions in one query (the calendar lists 200 sessions):
/// `(session_id, leader)` in each session's order.
pub async fn list_leaders_of(db: impl PgExecutor<'_>, session_ids: &[i64]) -> sqlx::Result<Vec<(i64, Leader)>> {
    let rows = sqlx::query!(
        "select session_id, name, title from reception_leader where session_id = any($1) order by session_id, position",
        session_ids
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.session_id, Leader { name: r.name, title: r.title })).collect())
}

pub async fn list_leaders(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<Vec<Leader>> {
    sqlx::query_as!(
        Leader,
        "select name, title from reception_leader where session_id = $1 order by position",
        session_id
    )
    .fetch_all(db)
    .await
}

pub struct Quota {
    pub college: String,
    pub seats: i32,
    pub filled: i64,
}

pub async fn list_quotas(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<Vec<Quota>> {
    sqlx::query_as!(
        Quota,
        r#"select q.college, q.seats,
                  (select count(*) from reception_delegate d where d.session_id = q.session_id and d.college = q.college) as "filled!"
           from reception_quota q where q.session_id = $1 order by q.college"#,
        session_id
    )
    .fetch_all(db)
    .await
}

pub struct Delegate {
    pub delegate_id: i64,
    pub college: String,
    pub student_no: String,
    pub name: String,
}

pub async fn list_delegates(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<Vec<Delegate>> {
    sqlx::query_as!(
        Delegate,
        "select delegate_id, college, student_no, name from reception_delegate where session_id = $1 order by college, delegate_id",
        session_id
    )
    .fetch_all(db)
    .await
}

/// A student's sign-up: seat, waiting (with their place in the line) or cancelled.
pub struct MySignup {
    pub status: String,
    pub place_in_line: i64,
}

pub async fn my_signup(db: impl PgExecutor<'_>, session_id: i64, user_id: i64) -> sqlx::Result<Option<MySignup>> {
    sqlx::query_as!(
        MySignup,
        r#"select g.status,
                  (select count(*) from reception_signup w where w.session_id = g.session_id and w.status = 'waiting'
                     and w.queued_at <= g.queued_at) as "place_in_line!"
           from reception_signup g where g.session_id = $1 and g.user_id = $2"#,
        session_id,
        user_id
    )
    .fetch_optional(db)
    .await
}

pub struct SignupRow {
    pub name: String,
    pub student_no: String,
    pub college: String,
    pub status: String,
    pub queued_at: DateTime<Utc>,
}

pub async fn list_signups(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<Vec<SignupRow>> {
    sqlx::query_as!(
        SignupRow,
        "select u.name, u.student_no, u.college, g.status, g.queued_at
         from reception_signup g join app_user u using (user_id)
         where g.session_id = $1 and g.status <> 'cancelled'
         order by g.status = 'waiting', g.queued_at",
        session_id
    )
    .fetch_all(db)
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

pub struct Question {
    pub question_id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub body: String,
    pub is_anonymous: bool,
    pub complaint_no: Option<String>,
    pub on_agenda: bool,
    pub votes: i64,
    pub created_at: DateTime<Utc>,
}

/// Most supported first.
pub async fn list_questions(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<Vec<Question>> {
    sqlx::query_as!(
        Question,
        r#"select q.question_id, q.author_id, u.name as author_name, q.body, q.is_anonymous,
                  c.tracking_no as "complaint_no?", q.on_agenda,
                  (select count(*) from reception_question_vote v where v.question_id = q.question_id) as "votes!",
                  q.created_at
           from reception_question q join app_user u on u.user_id = q.author_id
           left join complaint c on c.complaint_id = q.complaint_id and c.is_public
           where q.session_id = $1
           order by q.on_agenda desc, 8 desc, q.question_id"#,
        session_id
    )
    .fetch_all(db)
    .await
}

/// Where a page of questions ends, in their public order (on the agenda first, then
/// most votes, then oldest): (on the agenda, votes, question id) of the last one shown.
pub type QuestionCursor = (bool, i64, i64);

/// One page of a session's questions in the order of `list_questions`, after `after`.
pub async fn page_questions(
    db: impl PgExecutor<'_>,
    session_id: i64,
    after: Option<QuestionCursor>,
    limit: i64,
) -> sqlx::Result<Vec<Question>> {
    let (agenda, votes, id) = (after.map(|a| a.0), after.map(|a| a.1), after.map(|a| a.2));
    sqlx::query_as!(
        Question,
        r#"select q.question_id, q.author_id, u.name as author_name, q.body, q.is_anonymous,
                  c.tracking_no as "complaint_no?", q.on_agenda, n.votes as "votes!", q.created_at
           from reception_question q join app_user u on u.user_id = q.author_id
           cross join lateral (select count(*) as votes from reception_question_vote v
                               where v.question_id = q.question_id) n
           left join complaint c on c.complaint_id = q.complaint_id and c.is_public
           where q.session_id = $1
             and ($2::bool is null or (q.on_agenda, n.votes, -q.question_id) < ($2, $3::int8, -$4::int8))
           order by q.on_agenda desc, n.votes desc, q.question_id
           limit $5"#,
        session_id,
        agenda,
        votes,
        id,
        limit
    )
    .fetch_all(db)
    .await
}

pub async fn my_votes(db: impl PgExecutor<'_>, session_id: i64, user_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "select v.question_id from reception_question_vote v join reception_question q using (question_id)
         where q.session_id = $1 and v.user_id = $2",
        session_id,
        user_id
    )
    .fetch_all(db)
    .await
}

pub struct Minute {
    pub minute_id: i64,
    pub asked_by: String,
    pub question: String,
    pub answered_by: String,
    pub answer: String,
    pub created_at: DateTime<Utc>,
}

pub async fn list_minutes(db: impl PgExecutor<'_>, session_id: i64) -> sqlx::Result<Vec<Minute>> {
    sqlx::query_as!(
        Minute,
        "select minute_id, asked_by, question, answered_by, answer, created_at
         from reception_minute where session_id = $1 order by minute_id",
        session_id
    )
    .fetch_all(db)
    .await
}

/// A commitment with what the board shows beside it.
pub struct Commitment {
    pub commitment_id: i64,
    pub minute_id: i64,
    pub session_code: String,
    pub session_kind_zh: String,
    pub session_kind_en: String,
    pub session_number: i32,
    pub session_date: DateTime<Utc>,
    pub what: String,
    pub office_id: i64,
    pub office_zh: String,
    pub office_en: String,
    pub due_on: NaiveDate,
    pub status: String,
    pub done_on: Option<NaiveDate>,
    pub complaint_no: Option<String>,
    pub updates: i64,
    pub last_update_at: Option<DateTime<Utc>>,
    pub dept_slug: String,
}

impl Commitment {
    pub fn state(&self, today: &NaiveDate) -> &'static str {
        super::model::commitment_state(&self.status, self.due_on, self.done_on, *today)
    }
}

pub struct CommitmentFilter {
    pub commitment_id: Option<i64>,
    pub office_id: Option<i64>,
    pub session_id: Option<i64>,
    pub complaint_id: Option<i64>,
    /// The board's states (`model::commitment_state`) on `today`: pending,
    /// in_progress, overdue, or done (on time or late).
    pub state: Option<&'static str>,
    pub today: NaiveDate,
    /// Keyset: rows after this (done, due_on, commitment_id) in the board's order.
    pub after: Option<(bool, NaiveDate, i64)>,
    pub limit: i64,
}

impl Default for CommitmentFilter {
    fn default() -> Self {
        Self {
            commitment_id: None,
            office_id: None,
            session_id: None,
            complaint_id: None,
            state: None,
            today: crate::web::forms::today(),
            after: None,
            limit: 2000,
        }
    }
}

/// Open ones first, by due date.
pub async fn find_commitments(db: impl PgExecutor<'_>, f: &CommitmentFilter) -> sqlx::Result<Vec<Commitment>> {
    let (after_done, after_due, after_id) =
        f.after.map_or((None, None, None), |(d, due, id)| (Some(d), Some(due), Some(id)));
    sqlx::query_as!(
        Commitment,
        r#"select m.commitment_id, m.minute_id, k.path_prefix || s.number as "session_code!", k.name_zh as session_kind_zh,
                  k.name_en as session_kind_en, s.number as session_number, s.starts_at as session_date, m.what,
                  m.office_id, o.name_zh as office_zh, o.name_en as office_en, m.due_on, m.status, m.done_on,
                  c.tracking_no as "complaint_no?",
                  (select count(*) from commitment_update x where x.commitment_id = m.commitment_id) as "updates!",
                  (select max(x.created_at) from commitment_update x where x.commitment_id = m.commitment_id) as last_update_at,
                  d.slug as dept_slug
           from commitment m join reception_session s using (session_id) join reception_kind k on k.kind = s.kind
           join school_office o on o.office_id = m.office_id join department d on d.department_id = s.department_id
           left join complaint c on c.complaint_id = m.complaint_id and c.is_public
           where ($1::bigint is null or m.commitment_id = $1) and ($2::bigint is null or m.office_id = $2)
             and ($3::bigint is null or m.session_id = $3) and ($4::bigint is null or m.complaint_id = $4)
             and ($5::text is null
                  or ($5 = 'done' and m.status = 'done')
                  or ($5 = 'overdue' and m.status <> 'done' and m.due_on < $6)
                  or ($5 in ('pending', 'in_progress') and m.status = $5 and m.due_on >= $6))
             and ($7::bool is null or (m.status = 'done', m.due_on, m.commitment_id) > ($7, $8, $9))
           order by m.status = 'done', m.due_on, m.commitment_id limit $10"#,
        f.commitment_id,
        f.office_id,
        f.session_id,
        f.complaint_id,
        f.state,
        f.today,
        after_done,
        after_due,
        after_id,
        f.limit
    )
    .fetch_all(db)
    .await
}

/// Per office: commitments made, those due or done, and those done on time (the
/// rule of `model::commitment_state`: done by the due date, or past it on `today`).
pub struct OfficeRecord {
    pub name_zh: String,
    pub name_en: String,
    pub total: i64,
    pub on_time: i64,
    pub due: i64,
}

impl OfficeRecord {
    pub fn percent(&self) -> Option<i64> {
        (self.due > 0).then(|| self.on_time * 100 / self.due)
    }
}

pub async fn list_office_records(db: impl PgExecutor<'_>, today: NaiveDate) -> sqlx::Result<Vec<OfficeRecord>> {
    sqlx::query_as!(
        OfficeRecord,
        r#"select o.name_zh, o.name_en, count(*) as "total!",
                  count(*) filter (where m.status = 'done' and m.done_on <= m.due_on) as "on_time!",
                  count(*) filter (where m.status = 'done' or m.due_on < $1) as "due!"
           from commitment m join school_office o using (office_id)
           group by o.office_id order by min(o.sort_order), o.office_id"#,
        today
    )
    .fetch_all(db)
    .await
}

pub async fn fetch_commitment(db: impl PgExecutor<'_>, commitment_id: i64) -> sqlx::Result<Option<Commitment>> {
    Ok(find_commitments(db, &CommitmentFilter { commitment_id: Some(commitment_id), ..CommitmentFilter::default() })
        .await?
        .pop())
}

pub struct Update {
    pub update_id: i64,
    pub body: String,
    pub status_after: String,
    pub has_photo: bool,
    pub created_at: DateTime<Utc>,
}

pub async fn list_updates(db: impl PgExecutor<'_>, commitment_id: i64) -> sqlx::Result<Vec<Update>> {
    sqlx::query_as!(
        Update,
        r#"select update_id, body, status_after, thumb_name is not null as "has_photo!", created_at
           from commitment_update where commitment_id = $1 order by update_id"#,
        commitment_id
    )
    .fetch_all(db)
    .await
}

/// The student who asked the commitment's question and those who voted for it.
pub async fn commitment_audience(db: impl PgExecutor<'_>, commitment_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        r#"select q.author_id as "user_id!" from commitment m join reception_minute n using (minute_id)
                join reception_question q on q.question_id = n.question_id where m.commitment_id = $1
           union select v.user_id from commitment m join reception_minute n using (minute_id)
                join reception_question_vote v on v.question_id = n.question_id where m.commitment_id = $1"#,
        commitment_id
    )
    .fetch_all(db)
    .await
}
