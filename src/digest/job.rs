//! The weekly job: once a week, in one process (`jobs::claim_weekly_run`), every account
//! that wants the digest gets one mail about the past seven days, through the outbox so a
//! failed delivery is retried. The clock is a parameter: tests move it.

use chrono::{DateTime, Duration, Utc};

use super::{compose, queries};
use crate::{
    app::AppState,
    web::{session, Lang},
};

/// The job's name in `daily_job`, where its week is claimed.
pub const JOB: &str = "weekly_digest";
/// How long a digest's unsubscribe link works.
pub const TOKEN_KEEP_DAYS: i64 = 60;

/// This week's digests, unless another process (or an earlier run) had the week already:
/// `None` then, else how many mails were queued.
pub async fn run_weekly(state: &AppState, base_url: &str, now: DateTime<Utc>) -> anyhow::Result<Option<usize>> {
    if !crate::jobs::claim_weekly_run(&state.db, JOB, now).await? {
        return Ok(None);
    }
    Ok(Some(send_digests(state, base_url, now).await?))
}

/// Queue the digest of the seven days before `now` for every account that wants it and has
/// something in it; returns how many were queued.
pub async fn send_digests(state: &AppState, base_url: &str, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let db = &state.db;
    let since = now - Duration::days(7);
    queries::delete_old_tokens(db, now - Duration::days(TOKEN_KEEP_DAYS)).await?;
    let week = compose::Week {
        bulletin: queries::fetch_newest_bulletin(db, since, now).await?,
        reception: queries::fetch_next_reception_day(db, now).await?,
        events: queries::list_open_events(db, now).await?,
        commitments: queries::list_moved_commitments(db, since, now).await?,
    };
    let mut sent = 0;
    for r in queries::list_recipients(db).await? {
        let mine = compose::Mine {
            items: queries::list_matched_items(db, r.user_id, since, now).await?,
            complaints: queries::list_complaint_news(db, r.user_id, since, now).await?,
        };
        let token = session::random_token();
        let unsubscribe = format!("{base_url}/digest/unsubscribe?t={token}");
        let lang = Lang::parse(&r.lang).unwrap_or_default();
        let Some(mail) = compose::compose(lang, base_url, now, &week, &mine, &unsubscribe) else {
            continue;
        };
        // The token and the mail together: a mail whose link would not work is never queued.
        let mut tx = db.begin().await?;
        queries::insert_unsubscribe_token(&mut *tx, &session::hash_token(&token), r.user_id).await?;
        queries::insert_digest_mail(&mut *tx, &r.email, &mail.subject, &mail.body, &unsubscribe).await?;
        tx.commit().await?;
        sent += 1;
    }
    Ok(sent)
}

/// Every hour each process tries to claim the week; the first after Monday 08:00
/// (Shanghai) sends it. A process started later in a week that was not sent sends it then.
pub async fn run_forever(state: AppState, base_url: String) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        match run_weekly(&state, &base_url, Utc::now()).await {
            Ok(Some(sent)) => tracing::info!(sent, "weekly digest queued"),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "weekly digest failed"),
        }
    }
}
