//! The robots' outbox, delivered like mail: every few seconds each process claims the
//! oldest due message of each robot (a lease, not a lock: nothing is held while a chat's
//! server answers), sends them side by side with a timeout, and records the outcome. A
//! failure is retried after 1, 2, 4 … minutes (at most a day), up to `MAX_ATTEMPTS` tries;
//! the robot keeps its last success and last error for its department's page. One robot
//! failing or hanging never holds another, nor any page (pages only write the outbox).
//!
//! Neither the webhook (its key is a password to the chat) nor the secret is ever logged,
//! and a platform's error text is cleaned of both before it is kept.

use futures_util::StreamExt;
use reqwest::{header, Url};
use serde_json::Value;
use sqlx::PgPool;

use super::{
    model::{key_of, may_call, Platform},
    platforms::{self, Outgoing},
    queries::{self, Claimed},
};
use crate::web::Lang;

/// Tries before a message is given up.
pub const MAX_ATTEMPTS: i32 = 8;
/// How long a claimed message is another process's to leave alone (far beyond the client's timeout).
const LEASE_SECS: f64 = 120.0;
/// Due rows looked at per round (one message per robot is taken from them).
const BATCH: i64 = 500;
/// Robots sent to at the same time.
const SIDE_BY_SIDE: usize = 16;
/// Enough of an answer to read its code; the rest is not read.
const ANSWER_BYTES: usize = 64 * 1024;

/// What the sender needs: the outgoing client (timeouts, no redirects), the portal's public
/// address for links, and the settings `PORTAL_ROBOTS` (log only) and `PORTAL_ROBOTS_LOOPBACK`.
#[derive(Clone)]
pub struct Sender {
    pub http: reqwest::Client,
    pub base_url: String,
    pub log_only: bool,
    pub loopback: bool,
}

impl Sender {
    pub fn new(state: &crate::app::AppState, base_url: String) -> Sender {
        let config = &state.config;
        Sender {
            http: state.http.clone(),
            base_url,
            log_only: config.robots_log_only,
            loopback: config.robots_loopback,
        }
    }
}

/// Deliver due messages every five seconds (at most one per robot each time: the platforms
/// allow about twenty a minute per robot).
pub async fn deliver_forever(db: PgPool, sender: Sender) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
    loop {
        tick.tick().await;
        if let Err(e) = deliver_due(&db, &sender).await {
            tracing::warn!(error = %e, "group robot delivery failed; will retry");
        }
    }
}

/// One round: claim, send side by side, record. How many messages were tried.
pub async fn deliver_due(db: &PgPool, sender: &Sender) -> sqlx::Result<usize> {
    let claimed = queries::claim_due(db, BATCH, LEASE_SECS).await?;
    let tried = claimed.len();
    let outcomes: Vec<(Claimed, Result<&'static str, Failure>)> = futures_util::stream::iter(claimed)
        .map(|m| async move {
            let outcome = send(sender, &m).await;
            (m, outcome)
        })
        .buffer_unordered(SIDE_BY_SIDE)
        .collect()
        .await;
    for (m, outcome) in outcomes {
        match outcome {
            Ok(transport) => queries::update_sent(db, m.message_id, transport).await?,
            Err(Failure(kind, detail)) => {
                tracing::warn!(
                    robot_id = m.robot_id,
                    message_id = m.message_id,
                    attempts = m.attempts,
                    kind,
                    "group robot message not taken; will retry"
                );
                queries::update_failed(db, m.message_id, (kind, &detail), MAX_ATTEMPTS).await?;
            }
        }
    }
    Ok(tried)
}

/// Why a message did not go: a kind (`robots.error.<kind>`) and a short detail.
struct Failure(&'static str, String);

async fn send(sender: &Sender, m: &Claimed) -> Result<&'static str, Failure> {
    let link = if m.link.is_empty() { sender.base_url.clone() } else { format!("{}{}", sender.base_url, m.link) };
    if m.log_only || sender.log_only {
        tracing::info!(robot_id = m.robot_id, message_id = m.message_id, title = %m.title, %link,
                       "group robot message (log only)");
        return Ok("log");
    }
    let webhook = Url::parse(&m.webhook_url).map_err(|_| Failure("address", String::new()))?;
    if !may_call(&webhook, m.platform, sender.loopback) {
        return Err(Failure("address", String::new()));
    }
    let zh = Lang::Zh;
    let (link_text, signature) = (zh.t("robots.msg.open"), zh.t("robots.msg.signature"));
    let outgoing =
        Outgoing { title: &m.title, body: &m.body, link: &link, link_text: &link_text, signature: &signature };
    let now_ms = chrono::Utc::now().timestamp_millis();
    let (url, body) = platforms::request(m.platform, &webhook, &m.secret, &outgoing, now_ms);
    let answer = post(&sender.http, url, &body).await?;
    match platforms::accepted(m.platform, &answer) {
        Ok(()) => {
            tracing::debug!(robot_id = m.robot_id, message_id = m.message_id, "group robot message taken");
            Ok("http")
        }
        Err(Some(detail)) => Err(Failure("platform", scrubbed(detail, &webhook, m.platform, &m.secret))),
        Err(None) => Err(Failure("answer", String::new())),
    }
}

/// POST the JSON; the answer's JSON when the status is a success. The client's errors are
/// sorted, never shown: their text names the URL, and so the key.
async fn post(http: &reqwest::Client, url: Url, body: &Value) -> Result<Value, Failure> {
    let bytes = serde_json::to_vec(body).map_err(|_| Failure("request", String::new()))?;
    let request = http.post(url).header(header::CONTENT_TYPE, "application/json").body(bytes);
    let mut response = request.send().await.map_err(|e| Failure(kind_of(&e), String::new()))?;
    let status = response.status();
    if !status.is_success() {
        return Err(Failure("http", status.as_u16().to_string()));
    }
    let mut answer = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| Failure(kind_of(&e), String::new()))? {
        answer.extend_from_slice(&chunk);
        if answer.len() > ANSWER_BYTES {
            break;
        }
    }
    serde_json::from_slice(&answer).map_err(|_| Failure("answer", String::new()))
}

fn kind_of(e: &reqwest::Error) -> &'static str {
    if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect"
    } else {
        "request"
    }
}

/// A platform's words with the robot's key and secret taken out, should it echo them.
fn scrubbed(detail: String, webhook: &Url, platform: Platform, secret: &str) -> String {
    let mut detail = detail;
    for hidden in [key_of(webhook, platform).unwrap_or_default(), secret.to_string()] {
        if !hidden.is_empty() {
            detail = detail.replace(&hidden, "••••");
        }
    }
    detail
}
