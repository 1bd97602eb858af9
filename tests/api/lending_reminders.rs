//! Lending's reminders with the clock moved: before the due time, when overdue, and the
//! lost mark after the kind's days overdue, each told once (portal and mail); the desk then
//! records the item found.

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use union_portal::lending::reminders::run_due;

use crate::lending::desk;

const STUDENT: &str = "2026720001";

#[tokio::test]
async fn reminders_go_out_once_before_due_and_when_overdue_and_a_long_overdue_item_becomes_lost() {
    let mut d = desk().await;
    let mut phone = d.student(STUDENT).await;
    assert_eq!(phone.post_form("/umbrellas/i/BQ0001/borrow", &[]).await.status, StatusCode::SEE_OTHER);
    let now = Utc::now();
    // An umbrella is lent for 24 hours, reminded 2 hours before, lost after 7 days overdue.
    assert_eq!(run_due(&d.app.db, now + Duration::hours(1)).await.unwrap(), 0);
    assert_eq!(run_due(&d.app.db, now + Duration::hours(23)).await.unwrap(), 1);
    assert_eq!(run_due(&d.app.db, now + Duration::hours(23)).await.unwrap(), 0, "once");
    assert_eq!(d.app.notified(STUDENT, "notify.lending.due_soon").await, 1);
    let mails = d.app.scalar("select count(*) from mail_outbox").await;
    assert!(mails >= 1, "the reminder is mailed too");

    assert_eq!(run_due(&d.app.db, now + Duration::hours(25)).await.unwrap(), 1);
    assert_eq!(d.app.notified(STUDENT, "notify.lending.overdue").await, 1);
    assert_eq!(run_due(&d.app.db, now + Duration::days(7)).await.unwrap(), 0, "not lost yet");
    assert_eq!(run_due(&d.app.db, now + Duration::days(8) + Duration::hours(1)).await.unwrap(), 1);
    assert_eq!(d.app.notified(STUDENT, "notify.lending.lost").await, 1);
    let state: String =
        sqlx::query_scalar("select state from lending_item where code = 'BQ0001'").fetch_one(&d.app.db).await.unwrap();
    assert_eq!(state, "lost");
    let mine = phone.get("/me/loans").await;
    assert!(mine.body.contains("已登记遗失") && mine.body.contains("请尽快归还到任一借用点"), "{}", mine.body);
    let desk_page = d.officer.get("/d/rights/lending").await;
    assert!(desk_page.body.contains(STUDENT), "the desk lists the lost loan");

    // Found and brought to the other station: the desk records it and the item is back in stock.
    let r = d
        .officer
        .post_form("/d/rights/lending/return", &[("return_code", "BQ0001"), ("return_station", &d.west)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let state: String =
        sqlx::query_scalar("select state from lending_item where code = 'BQ0001'").fetch_one(&d.app.db).await.unwrap();
    assert_eq!(state, "available");
    assert_eq!(d.open_loans().await, 0);
}
