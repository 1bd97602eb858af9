//! Matches between found items and lost reports (the scoring is `matching`'s).

use chrono::NaiveDate;
use sqlx::{PgConnection, PgExecutor};

/// A found campus card matches its owner's open card reports; how many.
pub async fn match_card_to_reports(tx: &mut PgConnection, item_id: i64, card_student_no: &str) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "insert into lost_match (item_id, report_id, score)
         select $1, r.report_id, 100 from lost_report r join app_user u on u.user_id = r.owner_id
         where u.student_no = $2 and r.category = 'card' and r.status = 'open'
         on conflict do nothing",
        item_id,
        card_student_no
    )
    .execute(tx)
    .await?;
    Ok(done.rows_affected())
}

/// A new card report matches the held cards of its owner's number; how many.
pub async fn match_report_to_cards(tx: &mut PgConnection, report_id: i64) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "insert into lost_match (item_id, report_id, score)
         select i.item_id, r.report_id, 100 from lost_report r join app_user u on u.user_id = r.owner_id
         join found_item i on i.card_student_no = u.student_no and i.status = 'held'
         where r.report_id = $1 and r.category = 'card'
         on conflict do nothing",
        report_id
    )
    .execute(tx)
    .await?;
    Ok(done.rows_affected())
}

pub struct CandidateReport {
    pub report_id: i64,
    pub owner_id: i64,
    pub category: String,
    pub what: String,
    pub description: String,
    pub place: String,
    pub lost_on: NaiveDate,
}

/// Open reports lost within `days` of the same category or sharing a word (`any`, a tsquery), newest first.
pub async fn list_candidate_reports(
    db: impl PgExecutor<'_>,
    (from, to): (NaiveDate, NaiveDate),
    category: &str,
    any: &str,
) -> sqlx::Result<Vec<CandidateReport>> {
    sqlx::query_as!(
        CandidateReport,
        r#"select report_id, owner_id, category, what, description, place, lost_on from lost_report
           where status = 'open' and lost_on between $1 and $2
             and (category = $3 or ($4 <> '' and search_doc @@ $4::text::tsquery))
           order by report_id desc limit 2000"#,
        from,
        to,
        category,
        any,
    )
    .fetch_all(db)
    .await
}

pub struct CandidateItem {
    pub item_id: i64,
    pub category: String,
    pub colour: String,
    pub description: String,
    pub found_place: String,
    pub found_on: NaiveDate,
}

/// Held items found within `days` of the same category or sharing a word (`any`, a tsquery), newest first.
pub async fn list_candidate_items(
    db: impl PgExecutor<'_>,
    (from, to): (NaiveDate, NaiveDate),
    category: &str,
    any: &str,
) -> sqlx::Result<Vec<CandidateItem>> {
    sqlx::query_as!(
        CandidateItem,
        r#"select item_id, category, colour, description, found_place, found_on from found_item
           where status = 'held' and found_on between $1 and $2
             and (category = $3 or ($4 <> '' and search_doc @@ $4::text::tsquery))
           order by item_id desc limit 2000"#,
        from,
        to,
        category,
        any,
    )
    .fetch_all(db)
    .await
}

/// Store a match; false when it was known already.
pub async fn insert_match(tx: &mut PgConnection, item_id: i64, report_id: i64, score: i32) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "insert into lost_match (item_id, report_id, score) values ($1, $2, $3) on conflict do nothing",
        item_id,
        report_id,
        score
    )
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
