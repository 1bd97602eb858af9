//! Outgoing mail. Every mail is first written to the outbox table; a background
//! sender delivers what is unsent. Without SMTP settings (the development
//! default) delivering means writing the mail to the log.

use sqlx::PgExecutor;

use crate::web::Lang;

/// Queue a mail whose subject and body are catalogue keys, in Chinese (the union's language).
pub async fn queue(db: impl PgExecutor<'_>, to: &str, subject_key: &str, body_key: &str) -> sqlx::Result<()> {
    let subject = Lang::Zh.t(subject_key);
    let body = Lang::Zh.t(body_key);
    sqlx::query!(
        "insert into mail_outbox (to_address, subject, body) values ($1, $2, $3)",
        to,
        subject.as_ref(),
        body.as_ref()
    )
    .execute(db)
    .await?;
    tracing::info!(subject = subject_key, "mail queued");
    Ok(())
}

/// Deliver unsent mail every few seconds. Rows are claimed with `skip locked`, so
/// several portal processes never send the same mail twice.
pub async fn deliver_forever(db: sqlx::PgPool, base_url: String) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
    loop {
        tick.tick().await;
        if let Err(e) = deliver_to_log(&db, &base_url).await {
            tracing::warn!(error = %e, "mail delivery failed; will retry");
        }
    }
}

/// The development transport: each mail goes to the log, and is marked sent.
pub async fn deliver_to_log(db: &sqlx::PgPool, base_url: &str) -> sqlx::Result<usize> {
    let mut tx = db.begin().await?;
    let mails = sqlx::query!(
        "select mail_id, subject, body, link from mail_outbox where sent_at is null order by mail_id limit 100 for update skip locked"
    )
    .fetch_all(&mut *tx)
    .await?;
    for m in &mails {
        // The address stays out of the log; the text is the notification's own.
        tracing::info!(mail_id = m.mail_id, subject = %m.subject, link = %format!("{base_url}{}", m.link), "mail (development outbox)");
        sqlx::query!("update mail_outbox set sent_at = now(), transport = 'log' where mail_id = $1", m.mail_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(mails.len())
}
