//! The statements of campus sign-in: who holds a number, taking it back from an unverified
//! holder, the campus account itself, and the sessions a CAS ticket started.

use sqlx::PgExecutor;

/// The account holding a student number, locked until the sign-in's transaction ends.
pub struct Holder {
    pub user_id: i64,
    pub verified: bool,
    pub disabled: bool,
}

pub async fn lock_holder(db: impl PgExecutor<'_>, student_no: &str) -> sqlx::Result<Option<Holder>> {
    sqlx::query_as!(
        Holder,
        r#"select user_id, verified_by is not null as "verified!", disabled_at is not null as "disabled!"
           from app_user where student_no = $1 for update"#,
        student_no
    )
    .fetch_optional(db)
    .await
}

/// An unverified holder gives the number up: disabled, its number renamed aside (kept for the
/// record as `学号~user id`), every session ended. Returns the renamed number.
pub async fn set_aside(tx: &mut sqlx::PgConnection, user_id: i64) -> sqlx::Result<String> {
    let renamed = sqlx::query_scalar!(
        "update app_user set student_no = student_no || '~' || user_id, disabled_at = coalesce(disabled_at, now())
         where user_id = $1 and verified_by is null
         returning student_no",
        user_id
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!("delete from user_session where user_id = $1", user_id).execute(&mut *tx).await?;
    Ok(renamed)
}

/// What the school's directory says of a person.
pub struct Directory<'a> {
    pub student_no: &'a str,
    pub name: &'a str,
    pub college: &'a str,
    pub email: &'a str,
    pub lang: &'a str,
    /// `cas` or `oidc`: how the school vouched.
    pub source: &'a str,
}

/// A verified campus account; its password hash is of a secret nobody was given.
pub async fn insert_campus_user(db: impl PgExecutor<'_>, d: &Directory<'_>, unusable_hash: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into app_user (student_no, name, college, email, password_hash, lang, identity_source, verified_by, verified_at)
         values ($1, $2, $3, $4, $5, $6, $7, $7, now())
         returning user_id",
        d.student_no,
        d.name,
        d.college,
        d.email,
        unusable_hash,
        d.lang,
        d.source
    )
    .fetch_one(db)
    .await
}

/// A verified account signs in through the school: the directory's name and college are the truth;
/// a mail address the student chose stays.
pub async fn refresh_campus_user(db: impl PgExecutor<'_>, user_id: i64, d: &Directory<'_>) -> sqlx::Result<()> {
    sqlx::query!(
        "update app_user
            set name = case when $2 = '' then name else $2 end,
                college = case when $3 = '' then college else $3 end,
                email = case when email = '' then $4 else email end,
                identity_source = $5
          where user_id = $1",
        user_id,
        d.name,
        d.college,
        d.email,
        d.source
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The union's administrators, told when a number is taken back.
pub async fn list_admin_ids(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar!(
        "select distinct r.user_id from union_role r join app_user u using (user_id)
         where r.role = 'admin' and u.disabled_at is null"
    )
    .fetch_all(db)
    .await
}

/// Tie a session to the CAS ticket that started it (both hashed).
pub async fn mark_cas_ticket(db: impl PgExecutor<'_>, session_hash: &[u8], ticket_hash: &[u8]) -> sqlx::Result<()> {
    sqlx::query!("update user_session set cas_ticket_hash = $2 where session_hash = $1", session_hash, ticket_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Single logout: end the sessions that ticket started. Returns how many.
pub async fn end_cas_sessions(db: impl PgExecutor<'_>, ticket_hash: &[u8]) -> sqlx::Result<u64> {
    Ok(sqlx::query!("delete from user_session where cas_ticket_hash = $1", ticket_hash)
        .execute(db)
        .await?
        .rows_affected())
}

/// An OpenID sign-in under way, found by the hash of the browser's cookie.
pub async fn insert_pending(
    db: impl PgExecutor<'_>,
    pending_hash: &[u8],
    p: &super::oidc::Start,
    next: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into oidc_pending (pending_hash, state, nonce, pkce_verifier, next) values ($1, $2, $3, $4, $5)",
        pending_hash,
        p.state,
        p.nonce,
        p.pkce_verifier,
        next
    )
    .execute(db)
    .await?;
    Ok(())
}

pub struct PendingRow {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub next: String,
}

/// Take (and so end) a sign-in under way, if it is not older than ten minutes; older ones go too.
pub async fn take_pending(tx: &mut sqlx::PgConnection, pending_hash: &[u8]) -> sqlx::Result<Option<PendingRow>> {
    sqlx::query!("delete from oidc_pending where created_at < now() - interval '10 minutes'").execute(&mut *tx).await?;
    sqlx::query_as!(
        PendingRow,
        "delete from oidc_pending where pending_hash = $1 returning state, nonce, pkce_verifier, next",
        pending_hash
    )
    .fetch_optional(&mut *tx)
    .await
}

/// Mail verification links made for this account in the last hour (at most a few are sent).
pub async fn count_recent_mail_verifications(db: impl PgExecutor<'_>, user_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from mail_verification where user_id = $1 and created_at > now() - interval '1 hour'"#,
        user_id
    )
    .fetch_one(db)
    .await
}

/// A verification link for the account, and its mail to the number's campus address.
pub async fn insert_mail_verification(
    tx: &mut sqlx::PgConnection,
    user_id: i64,
    token_hash: &[u8],
    (to, subject, body, link): (&str, &str, &str, &str),
) -> sqlx::Result<()> {
    sqlx::query!("insert into mail_verification (token_hash, user_id) values ($1, $2)", token_hash, user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "insert into mail_outbox (to_address, subject, body, link, link_is_secret) values ($1, $2, $3, $4, true)",
        to,
        subject,
        body,
        link
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Use a verification link of this account: unused, under a day old. True when it was.
pub async fn use_mail_verification(db: impl PgExecutor<'_>, token_hash: &[u8], user_id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update mail_verification set used_at = now()
         where token_hash = $1 and user_id = $2 and used_at is null and created_at > now() - interval '1 day'",
        token_hash,
        user_id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
