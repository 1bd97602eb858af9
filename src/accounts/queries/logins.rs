//! Login attempts (counted before the limits are checked) and the devices an account trusts.

use sqlx::PgExecutor;

/// An attempt, counted as a failure of an untrusted browser until `settle_login_attempt`:
/// written before the limits are checked, so attempts made at the same moment all
/// count against them. `device_hash`: the device cookie, when valid for this account.
pub async fn insert_login_attempt(
    db: impl PgExecutor<'_>,
    student_no: &str,
    client_ip: &str,
    device_hash: Option<&[u8]>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into login_attempt (student_no, client_ip, succeeded, device_hash, trusted)
         values ($1, $2, false, $3, false) returning login_attempt_id",
        student_no,
        client_ip,
        device_hash
    )
    .fetch_one(db)
    .await
}

/// Record how an attempt went: succeeded, and whether it was judged as a trusted browser's
/// (its failure then counts against its device cookie only).
pub async fn settle_login_attempt(
    db: impl PgExecutor<'_>,
    login_attempt_id: i64,
    succeeded: bool,
    trusted: bool,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update login_attempt set succeeded = $2, trusted = $3 where login_attempt_id = $1",
        login_attempt_id,
        succeeded,
        trusted
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Failures before this attempt (`this_attempt` is not counted).
pub async fn count_recent_failures(
    db: impl PgExecutor<'_>,
    student_no: &str,
    client_ip: &str,
    device_hash: Option<&[u8]>,
    window_secs: f64,
    this_attempt: i64,
) -> sqlx::Result<crate::accounts::rate_limit::RecentFailures> {
    sqlx::query_as!(
        crate::accounts::rate_limit::RecentFailures,
        r#"select count(*) filter (where client_ip = $2 and not trusted) as "from_address!",
                  count(distinct student_no) filter (where client_ip = $2 and not trusted) as "accounts_from_address!",
                  count(*) filter (where student_no = $1 and not trusted) as "on_account!",
                  count(*) filter (where student_no = $1 and client_ip = $2 and not trusted) as "on_account_from_address!",
                  count(*) filter (where student_no = $1 and device_hash = $3) as "on_device!"
           from login_attempt
           where not succeeded
             and attempted_at > now() - make_interval(secs => $4)
             and (client_ip = $2 or student_no = $1)
             and login_attempt_id <> $5"#,
        student_no,
        client_ip,
        device_hash,
        window_secs,
        this_attempt
    )
    .fetch_one(db)
    .await
}

/// Whether this device cookie has logged in to the account with this number (and not too long ago).
pub async fn device_is_known(
    db: impl PgExecutor<'_>,
    device_hash: &[u8],
    student_no: &str,
    valid_days: i32,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from trusted_device d join app_user u using (user_id)
                         where d.device_hash = $1 and u.student_no = $2
                           and d.last_used_at > now() - make_interval(days => $3)) as "known!""#,
        device_hash,
        student_no,
        valid_days
    )
    .fetch_one(db)
    .await
}

/// Whether this device cookie was issued by the portal (to any account), so it may be reused.
pub async fn device_exists(db: impl PgExecutor<'_>, device_hash: &[u8]) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from trusted_device where device_hash = $1) as "exists!""#,
        device_hash
    )
    .fetch_one(db)
    .await
}

/// Trust this device cookie for this account from now on.
pub async fn trust_device(db: impl PgExecutor<'_>, device_hash: &[u8], user_id: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into trusted_device (device_hash, user_id) values ($1, $2)
         on conflict (device_hash, user_id) do update set last_used_at = now()",
        device_hash,
        user_id
    )
    .execute(db)
    .await?;
    Ok(())
}
