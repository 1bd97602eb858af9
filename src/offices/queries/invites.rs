//! Invitations by mail to answer for a school office (`office_invite`, migration 0032):
//! the presidium's pending list, the one-time link looked up by its hash, its use.

use sqlx::PgExecutor;

/// A pending invitation on the presidium's page.
pub struct PendingInvite {
    pub invite_id: i64,
    pub office_id: i64,
    pub email: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// What a link names, whatever became of it.
pub struct InviteByToken {
    pub office_id: i64,
    pub name_zh: String,
    pub name_en: String,
    /// `pending`, `accepted`, `revoked` or `expired`.
    pub state: String,
}

/// Invitations this presidium member sent in the last hour (the page's rate limit).
pub async fn count_recent(db: impl PgExecutor<'_>, invited_by: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from office_invite where invited_by = $1 and created_at > now() - interval '1 hour'"#,
        invited_by
    )
    .fetch_one(db)
    .await
}

/// An invitation of this office to this address still waits (addresses compare without case).
pub async fn pending_exists(db: impl PgExecutor<'_>, office_id: i64, email: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from office_invite where office_id = $1 and lower(email) = lower($2)
               and accepted_at is null and revoked_at is null and expires_at > now()) as "e!""#,
        office_id,
        email
    )
    .fetch_one(db)
    .await
}

/// The invitation and its mail; the link is a secret (never logged, blanked once delivered).
pub async fn insert(
    tx: &mut sqlx::PgConnection,
    (office_id, email, invited_by): (i64, &str, i64),
    token_hash: &[u8],
    valid_days: i32,
    (subject, body, link): (&str, &str, &str),
) -> sqlx::Result<i64> {
    let invite_id = sqlx::query_scalar!(
        "insert into office_invite (office_id, email, token_hash, invited_by, expires_at)
         values ($1, $2, $3, $4, now() + make_interval(days => $5)) returning invite_id",
        office_id,
        email,
        token_hash,
        invited_by,
        valid_days
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into mail_outbox (to_address, subject, body, link, link_is_secret) values ($1, $2, $3, $4, true)",
        email,
        subject,
        body,
        link
    )
    .execute(&mut *tx)
    .await?;
    Ok(invite_id)
}

pub async fn list_pending(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<PendingInvite>> {
    sqlx::query_as!(
        PendingInvite,
        "select invite_id, office_id, email, expires_at from office_invite
         where accepted_at is null and revoked_at is null and expires_at > now()
         order by office_id, created_at"
    )
    .fetch_all(db)
    .await
}

/// Revoke a pending invitation; `None` when there is none by that id (used, revoked, expired or unknown).
pub async fn revoke(db: impl PgExecutor<'_>, invite_id: i64, by: i64) -> sqlx::Result<Option<(i64, String)>> {
    let row = sqlx::query!(
        "update office_invite set revoked_at = now(), revoked_by = $2
         where invite_id = $1 and accepted_at is null and revoked_at is null and expires_at > now()
         returning office_id, email",
        invite_id,
        by
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.office_id, r.email)))
}

pub async fn fetch_by_token(db: impl PgExecutor<'_>, token_hash: &[u8]) -> sqlx::Result<Option<InviteByToken>> {
    sqlx::query_as!(
        InviteByToken,
        r#"select i.office_id, o.name_zh, o.name_en,
                  case when i.accepted_at is not null then 'accepted'
                       when i.revoked_at is not null then 'revoked'
                       when i.expires_at <= now() then 'expired'
                       else 'pending' end as "state!"
           from office_invite i join school_office o using (office_id) where i.token_hash = $1"#,
        token_hash
    )
    .fetch_optional(db)
    .await
}

/// An invitation just used.
pub struct Accepted {
    pub invite_id: i64,
    pub office_id: i64,
    pub invited_by: Option<i64>,
}

/// Use a pending invitation for this account, under a lock (of two tabs, one succeeds);
/// `None` when the link no longer works.
pub async fn accept(tx: &mut sqlx::PgConnection, token_hash: &[u8], user_id: i64) -> sqlx::Result<Option<Accepted>> {
    sqlx::query_as!(
        Accepted,
        "update office_invite set accepted_at = now(), accepted_by = $2
         where token_hash = $1 and accepted_at is null and revoked_at is null and expires_at > now()
         returning invite_id, office_id, invited_by",
        token_hash,
        user_id
    )
    .fetch_optional(&mut *tx)
    .await
}
