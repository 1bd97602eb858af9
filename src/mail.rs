//! Outgoing mail. For now every mail is written to the outbox table (and a log
//! line without its content); delivery by SMTP reads the outbox.

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
