//! Every statement of group robots. A department's robot is always read and changed with
//! its department in the SQL; the outbox's statements (what is told, claimed, sent or
//! failed) are in `outbox`.

mod outbox;
pub use outbox::*;

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
