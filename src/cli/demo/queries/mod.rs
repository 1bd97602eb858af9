//! The demo's own statements: whether something is there already, and the rows no
//! area's form makes (a reception day held in the past, with its minutes; plans in a state).

pub mod inspections;
pub mod lending;
pub mod surveys;

use sqlx::{PgConnection, PgExecutor};

pub async fn complaint_titled(db: impl PgExecutor<'_>, title: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar!(r#"select exists(select 1 from complaint where title = $1) as "e!""#, title).fetch_one(db).await
}

pub async fn fetch_office_id(db: impl PgExecutor<'_>, name_zh: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!("select office_id from school_office where name_zh = $1", name_zh).fetch_optional(db).await
}

pub async fn any_found_item(db: impl PgExecutor<'_>) -> sqlx::Result<bool> {
    sqlx::query_scalar!(r#"select exists(select 1 from found_item) as "e!""#).fetch_one(db).await
}

pub async fn any_bulletin(db: impl PgExecutor<'_>) -> sqlx::Result<bool> {
    sqlx::query_scalar!(r#"select exists(select 1 from bulletin) as "e!""#).fetch_one(db).await
}

pub async fn any_reception_session(db: impl PgExecutor<'_>) -> sqlx::Result<bool> {
    sqlx::query_scalar!(r#"select exists(select 1 from reception_session) as "e!""#).fetch_one(db).await
}

pub async fn any_plan(db: impl PgExecutor<'_>) -> sqlx::Result<bool> {
    sqlx::query_scalar!(r#"select exists(select 1 from plan) as "e!""#).fetch_one(db).await
}

/// A leaders' reception day `days` from today (negative: held already), by the rights
/// department, with two leaders and two colleges' quotas.
pub async fn insert_leaders_session(
    tx: &mut PgConnection,
    days: i32,
    confirmed: bool,
    topic: &str,
) -> sqlx::Result<i64> {
    let id = sqlx::query_scalar!(
        "with n as (update reception_kind set last_number = last_number + 1 where kind = 'leaders' returning last_number)
         insert into reception_session (kind, number, department_id, starts_at, ends_at, time_confirmed, place, topic,
                                        open_seats, signup_opens_at, signup_closes_at)
         select 'leaders', n.last_number, d.department_id,
                date_trunc('day', now()) + make_interval(days => $1) + interval '6 hours',
                date_trunc('day', now()) + make_interval(days => $1) + interval '8 hours',
                $2, '行政楼一楼报告厅', $3, 30,
                now() - interval '30 days', date_trunc('day', now()) + make_interval(days => $1 - 1)
         from n, department d where d.slug = 'rights' returning session_id",
        days,
        confirmed,
        topic
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into reception_leader (session_id, position, name, title) values ($1, 0, '王建国', '副校长'), ($1, 1, '李明', '后勤处处长')",
        id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into reception_quota (session_id, college, seats) values ($1, '法学院', 3), ($1, '计算机学院', 3)",
        id
    )
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

pub async fn insert_agenda_question(
    tx: &mut PgConnection,
    session_id: i64,
    author_id: i64,
    body: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into reception_question (session_id, author_id, body, on_agenda) values ($1, $2, $3, true) returning question_id",
        session_id,
        author_id,
        body
    )
    .fetch_one(tx)
    .await
}

pub async fn insert_question(tx: &mut PgConnection, session_id: i64, author_id: i64, body: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into reception_question (session_id, author_id, body) values ($1, $2, $3)",
        session_id,
        author_id,
        body
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// A minute of the day's question `(session, question)`.
pub async fn insert_minute(
    tx: &mut PgConnection,
    (session_id, question_id): (i64, i64),
    question: &str,
    answered_by: &str,
    answer: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into reception_minute (session_id, question_id, asked_by, question, answered_by, answer)
         values ($1, $2, '张同学', $3, $4, $5) returning minute_id",
        session_id,
        question_id,
        question,
        answered_by,
        answer
    )
    .fetch_one(tx)
    .await
}

/// A commitment of the minute `(session, minute)` by the office named, due `due_days` from today.
pub async fn insert_commitment(
    tx: &mut PgConnection,
    (session_id, minute_id): (i64, i64),
    what: &str,
    office: &str,
    due_days: i32,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into commitment (minute_id, session_id, what, office_id, due_on)
         select $1, $2, $3, office_id, current_date + $5::int from school_office where name_zh = $4",
        minute_id,
        session_id,
        what,
        office,
        due_days
    )
    .execute(tx)
    .await?;
    Ok(())
}

pub async fn set_minutes_updated(tx: &mut PgConnection, session_id: i64) -> sqlx::Result<()> {
    sqlx::query!("update reception_session set minutes_updated_at = now() where session_id = $1", session_id)
        .execute(tx)
        .await?;
    Ok(())
}

/// One of the heads' plans for `(department slug, period)`; the first is approved and public.
pub async fn insert_seed_plan(
    tx: &mut PgConnection,
    (dept, period): (&str, &str),
    title: &str,
    review: &str,
    public: bool,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into plan (department_id, period, title, review_achievements, is_public, status)
         select department_id, $2, $3, $4, $5, case when $5 then 'approved' else 'draft' end
         from department where slug = $1 returning plan_id",
        dept,
        period,
        title,
        review,
        public
    )
    .fetch_one(tx)
    .await
}

/// The current term began at least `days` ago (the demo's office figures are a term's).
pub async fn start_term_before(db: impl PgExecutor<'_>, days: i32) -> sqlx::Result<()> {
    sqlx::query!("update term set started_on = least(started_on, current_date - $1::int) where is_current", days)
        .execute(db)
        .await?;
    Ok(())
}

/// A demo office case's times: filed `days_ago`, forwarded a day later, answered by the office
/// `answer_after` days after that (and then 已答复); its timeline's events at the same times.
pub async fn date_office_case(
    tx: &mut PgConnection,
    complaint_id: i64,
    days_ago: i32,
    answer_after: Option<i32>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update complaint set created_at = now() - make_interval(days => $2),
                accepted_at = now() - make_interval(days => $2 - 1),
                forwarded_at = now() - make_interval(days => $2 - 1),
                office_answered_at = now() - make_interval(days => $2 - 1 - $3),
                status = case when $3::int is null then status else 'responded' end
         where complaint_id = $1",
        complaint_id,
        days_ago,
        answer_after
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update complaint_event set created_at = case
                 when kind = 'submitted' then now() - make_interval(days => $2)
                 when kind = 'office_answer' then now() - make_interval(days => $2 - 1 - $3)
                 else now() - make_interval(days => $2 - 1) end
         where complaint_id = $1",
        complaint_id,
        days_ago,
        answer_after
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub async fn any_event(db: impl PgExecutor<'_>) -> sqlx::Result<bool> {
    sqlx::query_scalar!(r#"select exists(select 1 from event) as "e!""#).fetch_one(db).await
}

/// A witness's commitment and, when given, their reveal, at moments in the past
/// (`days` from now): the forms only accept them as they happen.
pub async fn set_witness_secret(
    tx: &mut PgConnection,
    event_id: i64,
    user_id: i64,
    secret: &str,
    (committed_days, revealed_days): (f64, Option<f64>),
) -> sqlx::Result<()> {
    sqlx::query!(
        "update event_witness
         set commitment = encode(sha256(convert_to($3, 'UTF8')), 'hex'),
             committed_at = now() + make_interval(secs => $4::float8 * 86400),
             secret = case when $5::float8 is not null then $3 end,
             revealed_at = now() + make_interval(secs => $5::float8 * 86400)
         where event_id = $1 and user_id = $2",
        event_id,
        user_id,
        secret,
        committed_days,
        revealed_days
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// An application made `days_ago` days ago, numbered by the caller in order of time.
pub async fn insert_past_application(
    tx: &mut PgConnection,
    event_id: i64,
    (user_id, college): (i64, &str),
    app_number: i32,
    days_ago: f64,
    check_code: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into event_application (event_id, user_id, app_number, college, answers, check_code, applied_at)
         values ($1, $2, $3, $4, array['想看看后厨的卫生和食材进货'], $5, now() - make_interval(secs => $6::float8 * 86400))",
        event_id,
        user_id,
        app_number,
        college,
        check_code,
        days_ago
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update event set applications_count = greatest(applications_count, $2) where event_id = $1",
        event_id,
        app_number
    )
    .execute(tx)
    .await?;
    Ok(())
}
