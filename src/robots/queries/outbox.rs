//! The outbox: messages written in the announcing transaction, claimed one per robot at a
//! time by whichever process delivers, then marked sent or failed.

use sqlx::PgExecutor;

use crate::robots::model::{Platform, Topic};

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
    gather_secs: i32,
) -> sqlx::Result<u64> {
    // A gathering message (one not yet due, never tried) with the same title and link takes
    // the body as more lines; the other robots get a new row, due after `gather_secs`. A row
    // a process claims meanwhile is re-checked under its lock and no longer matches.
    let told = sqlx::query_scalar!(
        r#"with robots as (
             select robot_id from group_robot
             where enabled and $1 = any(topics) and (department_id = $2 or union_wide)
           ), gathered as (
             update robot_outbox o set body = o.body || E'\n' || $4
             from robots r
             where $6 > 0 and o.robot_id = r.robot_id and o.topic = $1 and o.title = $3 and o.link = $5
               and o.sent_at is null and o.gave_up_at is null and o.attempts = 0 and o.next_attempt_at > now()
             returning o.robot_id
           ), added as (
             insert into robot_outbox (robot_id, topic, title, body, link, next_attempt_at)
             select robot_id, $1, $3, $4, $5, now() + make_interval(secs => $6) from robots
             where robot_id not in (select robot_id from gathered)
             order by robot_id
             returning robot_id
           )
           select (select count(*) from gathered) + (select count(*) from added) as "told!""#,
        topic.as_str(),
        department_id,
        title,
        body,
        link,
        gather_secs
    )
    .fetch_one(db)
    .await?;
    Ok(told as u64)
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
