//! SQL of the weekly digest. Each week is `[since, until)`; what concerns one student is
//! read by their `user_id` only, so no statement here can put another student's complaint
//! or lost report into a mail.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

/// An account that gets the digest: switched on, with an address, not disabled.
pub struct Recipient {
    pub user_id: i64,
    pub email: String,
    pub lang: String,
}

pub async fn list_recipients(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Recipient>> {
    sqlx::query_as!(
        Recipient,
        "select user_id, email, lang from app_user
         where weekly_digest and email <> '' and disabled_at is null order by user_id"
    )
    .fetch_all(db)
    .await
}

pub struct Bulletin {
    pub number: i32,
    pub item_count: i32,
}

/// The newest lost-and-found bulletin published in the week.
pub async fn fetch_newest_bulletin(
    db: impl PgExecutor<'_>,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> sqlx::Result<Option<Bulletin>> {
    sqlx::query_as!(
        Bulletin,
        "select number, item_count from bulletin where published_at >= $1 and published_at < $2
         order by number desc limit 1",
        since,
        until
    )
    .fetch_optional(db)
    .await
}

pub struct ReceptionDay {
    pub code: String,
    pub starts_at: DateTime<Utc>,
    pub topic: String,
    pub seats_left: i64,
}

/// The first reception day after `now` whose sign-up has not closed and has open seats left.
pub async fn fetch_next_reception_day(
    db: impl PgExecutor<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<ReceptionDay>> {
    sqlx::query_as!(
        ReceptionDay,
        r#"select k.path_prefix || s.number as "code!", s.starts_at, s.topic, x.seats_left as "seats_left!"
           from reception_session s join reception_kind k using (kind)
           cross join lateral (select s.open_seats - count(*) as seats_left from reception_signup g
                               where g.session_id = s.session_id and g.status = 'seat') x
           where s.starts_at > $1 and s.signup_closes_at > $1 and s.signup_closed_early_at is null
             and x.seats_left > 0
           order by s.starts_at, s.session_id limit 1"#,
        now
    )
    .fetch_optional(db)
    .await
}

pub struct OpenEvent {
    pub event_id: i64,
    pub title: String,
    pub applications_close_at: DateTime<Utc>,
}

/// Events taking applications at `now`, the soonest deadline first.
pub async fn list_open_events(db: impl PgExecutor<'_>, now: DateTime<Utc>) -> sqlx::Result<Vec<OpenEvent>> {
    sqlx::query_as!(
        OpenEvent,
        "select event_id, title, applications_close_at from event
         where cancelled_at is null and applications_open_at <= $1 and applications_close_at > $1
         order by applications_close_at, event_id limit 20",
        now
    )
    .fetch_all(db)
    .await
}

pub struct MovedCommitment {
    pub commitment_id: i64,
    pub what: String,
    pub status: String,
}

/// Commitments whose status changed in the week (an update whose status differs from the
/// one before it; a commitment starts `pending`), with the status they have now.
pub async fn list_moved_commitments(
    db: impl PgExecutor<'_>,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> sqlx::Result<Vec<MovedCommitment>> {
    sqlx::query_as!(
        MovedCommitment,
        "with steps as (
             select u.commitment_id, u.created_at, u.status_after,
                    lag(u.status_after, 1, 'pending') over (partition by u.commitment_id order by u.update_id) as before
             from commitment_update u
             where u.commitment_id in (select commitment_id from commitment_update where created_at >= $1 and created_at < $2)
         )
         select m.commitment_id, m.what, m.status from commitment m
         where m.commitment_id in (select commitment_id from steps
                                   where created_at >= $1 and created_at < $2 and status_after <> before)
         order by m.commitment_id limit 20",
        since,
        until
    )
    .fetch_all(db)
    .await
}

pub struct MatchedItem {
    pub item_id: i64,
    pub category: String,
    pub description: String,
}

/// Found items still held that are likely the student's: a campus card with their number
/// registered in the week, or a match with one of their open lost reports made in the week.
pub async fn list_matched_items(
    db: impl PgExecutor<'_>,
    user_id: i64,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> sqlx::Result<Vec<MatchedItem>> {
    sqlx::query_as!(
        MatchedItem,
        "select i.item_id, i.category, i.description from found_item i
         where i.status = 'held'
           and ((i.owner_id = $1 and i.registered_at >= $2 and i.registered_at < $3)
                or exists (select 1 from lost_match m join lost_report r using (report_id)
                           where m.item_id = i.item_id and r.owner_id = $1 and r.status = 'open'
                             and m.created_at >= $2 and m.created_at < $3))
         order by i.item_id limit 20",
        user_id,
        since,
        until
    )
    .fetch_all(db)
    .await
}

pub struct ComplaintNews {
    pub tracking_no: String,
    pub status: String,
    pub news: i64,
}

/// The student's own complaints that others acted on in the week, in what the student sees
/// of them (public events). A complaint an officer filed anonymously on someone's behalf has
/// the officer as its reporter: it is not the officer's own and is left out.
pub async fn list_complaint_news(
    db: impl PgExecutor<'_>,
    user_id: i64,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> sqlx::Result<Vec<ComplaintNews>> {
    sqlx::query_as!(
        ComplaintNews,
        r#"select c.tracking_no, c.status, count(*) as "news!" from complaint c join complaint_event e using (complaint_id)
           where c.reporter_id = $1 and c.filed_by is distinct from c.reporter_id
             and e.is_public and e.kind <> 'submitted' and e.actor_id is distinct from c.reporter_id
             and e.created_at >= $2 and e.created_at < $3
           group by c.complaint_id order by c.complaint_id limit 20"#,
        user_id,
        since,
        until
    )
    .fetch_all(db)
    .await
}

/// Keep the hash of a digest's unsubscribe token for its account.
pub async fn insert_unsubscribe_token(db: impl PgExecutor<'_>, token_hash: &[u8], user_id: i64) -> sqlx::Result<()> {
    sqlx::query!("insert into digest_unsubscribe (token_hash, user_id) values ($1, $2)", token_hash, user_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Queue the digest mail with its `List-Unsubscribe` URL.
pub async fn insert_digest_mail(
    db: impl PgExecutor<'_>,
    to: &str,
    subject: &str,
    body: &str,
    unsubscribe_url: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into mail_outbox (to_address, subject, body, list_unsubscribe) values ($1, $2, $3, $4)",
        to,
        subject,
        body,
        unsubscribe_url
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Tokens of digests sent before `before` stop working.
pub async fn delete_old_tokens(db: impl PgExecutor<'_>, before: DateTime<Utc>) -> sqlx::Result<u64> {
    let done = sqlx::query!("delete from digest_unsubscribe where created_at < $1", before).execute(db).await?;
    Ok(done.rows_affected())
}

/// Whether a token is one of a digest still kept.
pub async fn fetch_token_valid(db: impl PgExecutor<'_>, token_hash: &[u8]) -> sqlx::Result<bool> {
    let found = sqlx::query_scalar!("select user_id from digest_unsubscribe where token_hash = $1", token_hash)
        .fetch_optional(db)
        .await?;
    Ok(found.is_some())
}

/// Switch off the digest of the token's account; false for an unknown token.
pub async fn update_digest_off_by_token(db: impl PgExecutor<'_>, token_hash: &[u8]) -> sqlx::Result<bool> {
    let done = sqlx::query_scalar!(
        "update app_user set weekly_digest = false
         where user_id = (select user_id from digest_unsubscribe where token_hash = $1) returning user_id",
        token_hash
    )
    .fetch_optional(db)
    .await?;
    Ok(done.is_some())
}

pub async fn update_digest_on(db: impl PgExecutor<'_>, user_id: i64, on: bool) -> sqlx::Result<()> {
    sqlx::query!("update app_user set weekly_digest = $2 where user_id = $1", user_id, on).execute(db).await?;
    Ok(())
}
