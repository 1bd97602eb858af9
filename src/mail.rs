//! Outgoing mail. Every mail is first written to the outbox table; a background
//! sender delivers what is unsent. Without SMTP settings (the development
//! default) delivering means writing the mail to the log.

use sqlx::PgExecutor;

use crate::web::Lang;

/// Queue a mail whose subject and body are catalogue keys, in the recipient's language.
pub async fn queue(
    db: impl PgExecutor<'_>,
    to: &str,
    lang: Lang,
    subject_key: &str,
    body_key: &str,
) -> sqlx::Result<()> {
    let subject = lang.t(subject_key);
    let body = lang.t(body_key);
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

/// A catalogue text with its parameter in every language, as JSON keyed by language
/// code: for statements that mail several accounts, where SQL picks each recipient's
/// (`app_user.lang`, Chinese when missing).
pub fn texts(key: &str, param: &str) -> serde_json::Value {
    let by_lang =
        Lang::ALL.iter().map(|l| (l.code().to_string(), serde_json::Value::from(l.t(key).replace("%{param}", param))));
    serde_json::Value::Object(by_lang.collect())
}

/// How mail leaves the portal.
#[derive(Clone)]
pub enum Transport {
    /// Development default: the log (the outbox table keeps every mail).
    Log,
    Smtp {
        mailer: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
        from: lettre::message::Mailbox,
    },
    /// lettre's stub: every mail built exactly as for SMTP and kept in memory (tests read
    /// the headers and text that would have gone out).
    Stub {
        stub: lettre::transport::stub::AsyncStubTransport,
        from: lettre::message::Mailbox,
    },
}

impl Transport {
    /// `smtp_url` such as `smtps://user:password@smtp.example.edu` or `smtp://relay:25`.
    pub fn from_settings(smtp_url: Option<&str>, from: &str) -> anyhow::Result<Transport> {
        let Some(url) = smtp_url else { return Ok(Transport::Log) };
        let mailer = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("PORTAL_SMTP_URL is not a valid SMTP URL: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = from.parse().map_err(|e| anyhow::anyhow!("PORTAL_MAIL_FROM is not a valid address: {e}"))?;
        Ok(Transport::Smtp { mailer, from })
    }
}

/// Deliver unsent mail every few seconds. Rows are claimed with `skip locked`, so
/// several portal processes never send the same mail twice.
pub async fn deliver_forever(db: sqlx::PgPool, transport: Transport, base_url: String) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
    loop {
        tick.tick().await;
        if let Err(e) = deliver(&db, &transport, &base_url).await {
            tracing::warn!(error = %e, "mail delivery failed; will retry");
        }
    }
}

/// Deliver up to 100 unsent mails; returns how many left the outbox.
pub async fn deliver(db: &sqlx::PgPool, transport: &Transport, base_url: &str) -> sqlx::Result<usize> {
    let mut tx = db.begin().await?;
    let mails = sqlx::query!(
        "select mail_id, to_address, subject, body, link, link_is_secret, list_unsubscribe from mail_outbox where sent_at is null
         order by mail_id limit 100 for update skip locked"
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut done = 0;
    for m in &mails {
        let link = if m.link.is_empty() { String::new() } else { format!("{base_url}{}", m.link) };
        let outcome = match transport {
            // The address stays out of the log; the text is the notification's own.
            Transport::Log => {
                // A secret link (a password reset) opens an account: never into the log.
                let link = if m.link_is_secret { "(secret link, not logged)" } else { link.as_str() };
                tracing::info!(mail_id = m.mail_id, subject = %m.subject, %link, "mail (development outbox)");
                Some("log")
            }
            Transport::Smtp { mailer, from } => {
                let body = format!("{}\n\n{link}", m.body);
                match message(from, &m.to_address, &m.subject, &body, &m.list_unsubscribe) {
                    Ok(message) => send_smtp(mailer, message).await,
                    Err(settled) => Some(settled),
                }
            }
            Transport::Stub { stub, from } => {
                let body = format!("{}\n\n{link}", m.body);
                match message(from, &m.to_address, &m.subject, &body, &m.list_unsubscribe) {
                    Ok(message) => lettre::AsyncTransport::send(stub, message).await.ok().map(|_| "stub"),
                    Err(settled) => Some(settled),
                }
            }
        };
        if let Some(transport) = outcome {
            // Once delivered, a secret link is kept nowhere in the portal.
            sqlx::query!(
                "update mail_outbox set sent_at = now(), transport = $2,
                     link = case when link_is_secret then '' else link end
                 where mail_id = $1",
                m.mail_id,
                transport
            )
            .execute(&mut *tx)
            .await?;
            done += 1;
        }
    }
    tx.commit().await?;
    Ok(done)
}

/// The mail as it leaves; `Err(reason)` settles a mail that can never be sent. A digest
/// carries RFC 2369's `List-Unsubscribe` and RFC 8058's `List-Unsubscribe-Post`, so mail
/// clients offer a one-click unsubscribe that POSTs to the URL.
fn message(
    from: &lettre::message::Mailbox,
    to: &str,
    subject: &str,
    body: &str,
    list_unsubscribe: &str,
) -> Result<lettre::Message, &'static str> {
    use lettre::message::header::{HeaderName, HeaderValue};
    let Ok(to) = to.parse::<lettre::message::Mailbox>() else {
        tracing::warn!("mail to an invalid address dropped");
        return Err("invalid-address");
    };
    let mut builder = lettre::Message::builder()
        .from(from.clone())
        .to(to)
        .subject(subject)
        .header(lettre::message::header::ContentType::TEXT_PLAIN);
    if !list_unsubscribe.is_empty() {
        let name = HeaderName::new_from_ascii_str("List-Unsubscribe");
        builder = builder.raw_header(HeaderValue::new(name, format!("<{list_unsubscribe}>")));
        let name = HeaderName::new_from_ascii_str("List-Unsubscribe-Post");
        builder = builder.raw_header(HeaderValue::new(name, "List-Unsubscribe=One-Click".to_string()));
    }
    builder.body(body.to_string()).map_err(|_| "invalid-message")
}

/// `Some(transport)` once the mail is settled (sent, or refused for good); `None` to retry later.
async fn send_smtp(
    mailer: &lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    message: lettre::Message,
) -> Option<&'static str> {
    use lettre::AsyncTransport;
    match mailer.send(message).await {
        Ok(_) => Some("smtp"),
        Err(e) if e.is_permanent() => {
            tracing::warn!(error = %e, "mail refused for good by the SMTP server");
            Some("refused")
        }
        Err(e) => {
            tracing::warn!(error = %e, "SMTP delivery failed; will retry");
            None
        }
    }
}
