//! Every statement of group robots. A department's robot is always read and changed with
//! its department in the SQL; the sender's statements claim one message at a time.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};

use super::model::{Platform, Topic};

/// A robot as its department's page shows it (the secret itself is never read for a page).
pub struct Robot {
    pub robot_id: i64,
    pub platform: Platform,
    pub name: String,
    pub webhook_url: String,
    pub has_secret: bool,
    pub topics: Vec<String>,
    pub union_wide: bool,
    pub enabled: bool,
    pub log_only: bool,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_error_kind: Option<String>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    /// Messages waiting to be sent (or retried).
    pub pending: i64,
}

pub async fn list_robots(db: impl PgExecutor<'_>, department_id: i64) -> sqlx::Result<Vec<Robot>> {
    sqlx::query_as!(
        Robot,
        r#"select robot_id, platform as "platform: Platform", name, webhook_url, secret <> '' as "has_secret!",
                  topics, union_wide, enabled, log_only, last_success_at, last_error_kind, last_error, last_error_at,
                  (select count(*) from robot_outbox o
                   where o.robot_id = r.robot_id and o.sent_at is null and o.gave_up_at is null) as "pending!"
           from group_robot r where department_id = $1 order by name"#,
        department_id
    )
    .fetch_all(db)
    .await
}

/// This department's robot, locked for a change.
pub async fn lock_robot_of_department(
    tx: &mut PgConnection,
    robot_id: i64,
    department_id: i64,
) -> sqlx::Result<Option<Robot>> {
    sqlx::query_as!(
        Robot,
        r#"select robot_id, platform as "platform: Platform", name, webhook_url, secret <> '' as "has_secret!",
                  topics, union_wide, enabled, log_only, last_success_at, last_error_kind, last_error, last_error_at,
                  0::bigint as "pending!"
           from group_robot where robot_id = $1 and department_id = $2 for update"#,
        robot_id,
        department_id
    )
    .fetch_optional(tx)
    .await
}

/// What a robot's form sets; `None` for the webhook or the secret keeps what is saved.
pub struct RobotRow<'a> {
    pub name: &'a str,
    pub webhook_url: Option<&'a str>,
    pub secret: Option<&'a str>,
    pub topics: &'a [Topic],
    pub union_wide: bool,
    pub enabled: bool,
    pub log_only: bool,
}

fn topic_names(topics: &[Topic]) -> Vec<String> {
    topics.iter().map(|t| t.as_str().to_string()).collect()
}

pub async fn insert_robot(
    tx: &mut PgConnection,
    department_id: i64,
    platform: Platform,
    r: &RobotRow<'_>,
    created_by: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into group_robot (department_id, platform, name, webhook_url, secret, topics, union_wide, enabled,
                                  log_only, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning robot_id",
        department_id,
        platform.as_str(),
        r.name,
        r.webhook_url.unwrap_or(""),
        r.secret.unwrap_or(""),
        &topic_names(r.topics),
        r.union_wide,
        r.enabled,
        r.log_only,
        created_by
    )
    .fetch_one(tx)
    .await
}

/// Change this department's robot; `None` when it has no such robot.
pub async fn update_robot(
    tx: &mut PgConnection,
    robot_id: i64,
    department_id: i64,
    r: &RobotRow<'_>,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar!(
        "update group_robot set name = $3, webhook_url = coalesce($4, webhook_url), secret = coalesce($5, secret),
                topics = $6, union_wide = $7, enabled = $8, log_only = $9
         where robot_id = $1 and department_id = $2 returning robot_id",
        robot_id,
        department_id,
        r.name,
        r.webhook_url,
        r.secret,
        &topic_names(r.topics),
        r.union_wide,
        r.enabled,
        r.log_only
    )
    .fetch_optional(tx)
    .await
}

/// A robot switched off keeps nothing waiting: what it would have sent is given up.
pub async fn update_pending_given_up(tx: &mut PgConnection, robot_id: i64) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "update robot_outbox set gave_up_at = now(), last_error_kind = 'disabled', last_error = ''
         where robot_id = $1 and sent_at is null and gave_up_at is null",
        robot_id
    )
    .execute(tx)
    .await?;
    Ok(done.rows_affected())
}

/// Remove this department's robot and its messages; false when it has no such robot.
pub async fn delete_robot(tx: &mut PgConnection, robot_id: i64, department_id: i64) -> sqlx::Result<bool> {
    let done =
        sqlx::query!("delete from group_robot where robot_id = $1 and department_id = $2", robot_id, department_id)
            .execute(tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// One message for one robot (the page's test message).
pub async fn insert_message(
    db: impl PgExecutor<'_>,
    robot_id: i64,
    topic: &str,
    (title, body, link): (&str, &str, &str),
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into robot_outbox (robot_id, topic, title, body, link) values ($1, $2, $3, $4, $5)",
        robot_id,
        topic,
        title,
        body,
        link
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A message for every enabled robot that wants `topic`: the department's own, and those
/// that take every department's (`union_wide`). How many robots will be told.
pub async fn insert_announcements(
    db: impl PgExecutor<'_>,
    topic: Topic,
    department_id: Option<i64>,
    (title, body, link): (&str, &str, &str),
) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "insert into robot_outbox (robot_id, topic, title, body, link)
         select robot_id, $1, $3, $4, $5 from group_robot
         where enabled and $1 = any(topics) and (department_id = $2 or union_wide)
         order by robot_id",
        topic.as_str(),
        department_id,
        title,
        body,
        link
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// A message claimed for sending, with what its robot needs to send it.
pub struct Claimed {
    pub message_id: i64,
    pub robot_id: i64,
    /// Including this one.
    pub attempts: i32,
    pub title: String,
    pub body: String,
    pub link: String,
    pub platform: Platform,
    pub webhook_url: String,
    pub secret: String,
    pub log_only: bool,
}

/// Claim the oldest due message of each enabled robot (at most `limit` rows looked at), and
/// lease it for `lease_secs`: rows another process holds are skipped, and a process that
/// dies mid-send leaves its rows to the others when the lease ends. No lock outlives this statement.
pub async fn claim_due(db: impl PgExecutor<'_>, limit: i64, lease_secs: f64) -> sqlx::Result<Vec<Claimed>> {
    sqlx::query_as!(
        Claimed,
        r#"with due as (
               select o.message_id, o.robot_id from robot_outbox o join group_robot r on r.robot_id = o.robot_id
               where o.sent_at is null and o.gave_up_at is null and o.next_attempt_at <= now() and r.enabled
               order by o.message_id limit $1
               for update of o skip locked
           ), first as (select distinct on (robot_id) message_id from due order by robot_id, message_id)
           update robot_outbox o set attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
           from first, group_robot r
           where o.message_id = first.message_id and r.robot_id = o.robot_id
           returning o.message_id, o.robot_id, o.attempts, o.title, o.body, o.link,
                     r.platform as "platform!: Platform", r.webhook_url as "webhook_url!", r.secret as "secret!",
                     r.log_only as "log_only!""#,
        limit,
        lease_secs
    )
    .fetch_all(db)
    .await
}

/// The message went (`http`) or was written to the log (`log`); its robot's last success is now.
pub async fn update_sent(db: impl PgExecutor<'_>, message_id: i64, transport: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "with m as (update robot_outbox set sent_at = now(), transport = $2 where message_id = $1 returning robot_id)
         update group_robot set last_success_at = now() where robot_id = (select robot_id from m)",
        message_id,
        transport
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The message failed: retried after 1 minute × 2^(tries − 1), at most a day; given up after
/// `max_attempts` tries. The robot's last error is this one.
pub async fn update_failed(
    db: impl PgExecutor<'_>,
    message_id: i64,
    (kind, detail): (&str, &str),
    max_attempts: i32,
) -> sqlx::Result<()> {
    sqlx::query!(
        "with m as (
             update robot_outbox set
                 next_attempt_at = now() + least(interval '1 minute' * power(2, attempts - 1), interval '1 day'),
                 gave_up_at = case when attempts >= $4 then now() end,
                 last_error_kind = $2, last_error = $3
             where message_id = $1 returning robot_id)
         update group_robot set last_error_kind = $2, last_error = $3, last_error_at = now()
         where robot_id = (select robot_id from m)",
        message_id,
        kind,
        detail,
        max_attempts
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A message as the robot's page lists it.
pub struct MessageRow {
    pub robot_id: i64,
    pub topic: String,
    pub title: String,
    pub created_at: DateTime<Utc>,
    pub attempts: i32,
    pub sent_at: Option<DateTime<Utc>>,
    pub transport: Option<String>,
    pub gave_up_at: Option<DateTime<Utc>>,
    pub last_error_kind: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
}

/// The latest `per_robot` messages of each of the department's robots.
pub async fn list_recent_messages(
    db: impl PgExecutor<'_>,
    department_id: i64,
    per_robot: i64,
) -> sqlx::Result<Vec<MessageRow>> {
    sqlx::query_as!(
        MessageRow,
        r#"select o.robot_id as "robot_id!", o.topic as "topic!", o.title as "title!", o.created_at as "created_at!",
                  o.attempts as "attempts!", o.sent_at, o.transport, o.gave_up_at, o.last_error_kind,
                  o.next_attempt_at as "next_attempt_at!"
           from group_robot r cross join lateral (
               select * from robot_outbox o where o.robot_id = r.robot_id order by o.message_id desc limit $2
           ) o
           where r.department_id = $1
           order by o.robot_id, o.message_id desc"#,
        department_id,
        per_robot
    )
    .fetch_all(db)
    .await
}
