//! The working calendar over the real router and database: national day and a make-up
//! Saturday in the deadlines, an administrator's change moving a deadline, the
//! calendar's admin page and its bad input.

use axum::http::StatusCode;
use chrono::{DateTime, Datelike, Days, Utc};
use union_portal::{
    complaints::{deadlines, queries},
    holidays,
};

use crate::helpers::{Browser, TestApp};

struct Cast {
    app: TestApp,
    student: Browser,
    handler: Browser,
    admin: Browser,
}

async fn cast() -> Cast {
    let app = TestApp::spawn().await;
    let student = app.create_user("2026300001", "报修同学").await;
    let handler = app.create_user("2026300002", "权益部员").await;
    let admin = app.create_user("2026300003", "管理员").await;
    app.grant("2026300002", "rights", "member").await;
    app.grant_union("2026300003", "admin").await;
    Cast {
        student: app.browser_signed_in(student).await,
        handler: app.browser_signed_in(handler).await,
        admin: app.browser_signed_in(admin).await,
        app,
    }
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("time").with_timezone(&Utc)
}

/// A complaint to the rights department, filed at `filed`; its tracking number.
async fn filed_at(c: &mut Cast, filed: DateTime<Utc>) -> String {
    let no = c.app.complaint().by(&mut c.student).file().await;
    c.app.complaint_filed_at(&no, filed).await;
    no
}

/// The overdue part of the rights department's queue at `now`, as the queue's SQL finds it.
async fn overdue_in_queue(c: &Cast, now: DateTime<Utc>) -> Vec<String> {
    let department_id: i64 = sqlx::query_scalar("select department_id from department where slug = 'rights'")
        .fetch_one(&c.app.db)
        .await
        .unwrap();
    let calendar = holidays::calendar(&c.app.state).await.unwrap();
    let overdue = deadlines::Overdue::at(now, &c.app.state.config, &calendar);
    let mut found = vec![];
    for status in [None, Some("submitted")] {
        // Both statements: the shared first page and the filtered one.
        let filter = queries::QueueFilter { department_id, status, assignee_id: None, query: None, category_id: None };
        let rows = queries::list_open_queue(&c.app.db, &filter, Some(&overdue), None).await.unwrap();
        found.push(rows.into_iter().map(|r| r.tracking_no).collect::<Vec<_>>());
    }
    assert_eq!(found[0], found[1], "the first page and the filtered query agree");
    found.remove(0)
}

#[tokio::test]
async fn a_complaint_filed_before_national_day_is_not_overdue_until_the_second_working_day_after() {
    let mut c = cast().await;
    // Wednesday 30 September 2026, 10:00: 中秋 was 25–27 September, 国庆 is 1–7 October.
    let no = filed_at(&mut c, at("2026-09-30T10:00:00+08:00")).await;
    // Answered in public at once: the first-reply deadline counts seven calendar days
    // (on 7 October), and this test is about the acceptance deadline alone.
    sqlx::query("update complaint set first_public_reply_at = $2 where tracking_no = $1")
        .bind(&no)
        .bind(at("2026-09-30T11:00:00+08:00"))
        .execute(&c.app.db)
        .await
        .unwrap();
    for day in 1..=7 {
        let now = at(&format!("2026-10-0{day}T18:00:00+08:00"));
        assert_eq!(deadlines::run_daily(&c.app.state, now).await.unwrap(), (0, 0), "10-0{day} is a holiday");
        assert!(overdue_in_queue(&c, now).await.is_empty(), "not in the overdue queue on 10-0{day}");
    }
    // Thursday 8 October is the first working day, Friday 9 October the second: due at 10:00.
    let before = at("2026-10-09T09:59:00+08:00");
    assert_eq!(deadlines::run_daily(&c.app.state, before).await.unwrap(), (0, 0));
    assert!(overdue_in_queue(&c, before).await.is_empty());
    let after = at("2026-10-09T10:01:00+08:00");
    assert_eq!(deadlines::run_daily(&c.app.state, after).await.unwrap(), (1, 0), "overdue from 10:00 on the 9th");
    assert_eq!(overdue_in_queue(&c, after).await, vec![no]);
}

#[tokio::test]
async fn a_make_up_saturday_counts_as_a_working_day() {
    let mut c = cast().await;
    // Friday 9 October 2026, 15:00: Saturday 10 October is a make-up working day (调休),
    // so the second working day is Monday 12 October, not Tuesday 13.
    let no = filed_at(&mut c, at("2026-10-09T15:00:00+08:00")).await;
    let monday = at("2026-10-12T15:01:00+08:00");
    assert_eq!(deadlines::run_daily(&c.app.state, monday).await.unwrap(), (1, 0));
    assert_eq!(overdue_in_queue(&c, monday).await, vec![no.clone()]);
    assert!(overdue_in_queue(&c, at("2026-10-12T14:59:00+08:00")).await.is_empty());
    // Filed on the make-up Saturday itself: Monday and Tuesday follow.
    c.app.complaint_filed_at(&no, at("2026-10-10T09:00:00+08:00")).await;
    assert!(overdue_in_queue(&c, at("2026-10-13T08:59:00+08:00")).await.is_empty());
    assert_eq!(overdue_in_queue(&c, at("2026-10-13T09:01:00+08:00")).await, vec![no]);
}

/// The accept-by date and time the complaint's page shows, as digits (2026年10月9日 10:00 → 202610091000).
async fn accept_by_shown(b: &mut Browser, no: &str) -> u64 {
    let page = b.get(&format!("/complaints/{no}")).await.body;
    let doc = scraper::Html::parse_document(&page);
    let dt = scraper::Selector::parse("dt").unwrap();
    let label = doc.select(&dt).find(|e| e.text().collect::<String>() == "受理期限").expect("an accept-by date");
    let value = label.next_siblings().find_map(scraper::ElementRef::wrap).expect("its value");
    let text: String = value.text().collect();
    // 年, 月, 日 and the time, each part at its fixed width.
    let parts: Vec<u64> = text.split(|c: char| !c.is_ascii_digit()).filter_map(|p| p.parse().ok()).collect();
    parts.iter().zip([100_000_000u64, 1_000_000, 10_000, 100, 1]).map(|(p, w)| p * w).sum()
}

/// Today and the six days before it, in Shanghai, as `YYYY-MM-DD`.
fn last_week() -> Vec<String> {
    let today = union_portal::web::forms::today();
    (0..7).map(|i| (today - Days::new(i)).to_string()).collect()
}

#[tokio::test]
async fn an_admin_adding_holidays_moves_a_deadline_and_the_overdue_queue() {
    let mut c = cast().await;
    // Whatever the seeded calendar says about these weeks, this test decides them.
    sqlx::query("delete from calendar_day where day between current_date - 14 and current_date + 14")
        .execute(&c.app.db)
        .await
        .unwrap();
    // Filed five days ago: any four days in a row hold two weekdays, so it is overdue.
    let no = filed_at(&mut c, Utc::now() - chrono::Duration::days(5)).await;
    let queue = c.handler.get("/d/rights/complaints?overdue=1").await;
    assert!(queue.body.contains(&no), "overdue on the plain week");
    let shown_before = accept_by_shown(&mut c.student, &no).await;

    for day in last_week() {
        let r = c.admin.post_form("/admin/holidays/add", &[("day", &day), ("kind", "holiday"), ("name", "校庆")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{day}: {}", r.body);
    }
    let queue = c.handler.get("/d/rights/complaints?overdue=1").await;
    assert!(!queue.body.contains(&no), "a week of holidays: not overdue any more");
    let open = c.handler.get("/d/rights/complaints").await;
    assert!(open.body.contains(&no) && !open.body.contains("class=\"overdue\""), "and no badge");
    let shown_after = accept_by_shown(&mut c.student, &no).await;
    assert!(
        shown_before < shown_after,
        "the accept-by date on the complaint's page moved: {shown_before} → {shown_after}"
    );
    let added: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'calendar_day.add' and after->>'name' = '校庆' and actor_id is not null",
    )
    .fetch_one(&c.app.db)
    .await
    .unwrap();
    assert_eq!(added, 7, "every change is in the audit trail");

    // Deleting them brings the deadline back.
    for day in last_week() {
        let r = c.admin.post_form(&format!("/admin/holidays/{day}/delete"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    assert!(c.handler.get("/d/rights/complaints?overdue=1").await.body.contains(&no));
    let deleted: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'calendar_day.delete'")
        .fetch_one(&c.app.db)
        .await
        .unwrap();
    assert_eq!(deleted, 7);
    let again = c.admin.post_form(&format!("/admin/holidays/{}/delete", last_week()[0]), &[]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "a day not in the calendar");
    let nonsense = c.admin.post_form("/admin/holidays/not-a-day/delete", &[]).await;
    assert_eq!(nonsense.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_holiday_page_lists_the_official_schedule_by_year() {
    let mut c = cast().await;
    let page = c.admin.get("/admin/holidays?year=2026").await;
    assert_eq!(page.status, StatusCode::OK);
    for text in ["国庆节", "中秋节", "2026年10月10日", "调休上班", "星期六", "春节"] {
        assert!(page.body.contains(text), "{text}");
    }
    let this_year = union_portal::web::forms::today().year();
    let odd = c.admin.get("/admin/holidays?year=abc").await;
    assert_eq!(odd.status, StatusCode::OK);
    assert!(odd.body.contains(&format!("<h1>节假日与调休 · {this_year}</h1>")), "an odd year shows this year");
    let empty = c.admin.get("/admin/holidays?year=2031").await;
    assert!(empty.body.contains("这一年还没有节假日或调休安排。"));
}

#[tokio::test]
async fn the_holiday_form_says_what_is_wrong_beside_each_field_and_keeps_the_text() {
    let mut c = cast().await;
    let count = |db: sqlx::PgPool| async move {
        sqlx::query_scalar::<_, i64>("select count(*) from calendar_day").fetch_one(&db).await.unwrap()
    };
    let before = count(c.app.db.clone()).await;

    let r = c
        .admin
        .post_form("/admin/holidays/add", &[("day", "2027-13-01"), ("kind", "holiday"), ("name", "国庆节")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_error("day").as_deref(), Some("请填写有效日期（年-月-日）。"));
    assert_eq!(r.field_value("day").as_deref(), Some("2027-13-01"));
    assert_eq!(r.field_value("name").as_deref(), Some("国庆节"));

    let r = c.admin.post_form("/admin/holidays/add", &[("day", ""), ("kind", "weekend"), ("name", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_error("day").as_deref(), Some("此项为必填项。"));
    assert_eq!(r.field_error("kind").as_deref(), Some("请选择放假或调休上班。"));
    assert_eq!(r.field_error("name").as_deref(), Some("此项为必填项。"));

    // Wednesday 6 October 2027 cannot be a make-up working day: it is one already.
    let r = c
        .admin
        .post_form("/admin/holidays/add", &[("day", "2027-10-06"), ("kind", "workday"), ("name", "国庆节调休")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_error("kind").as_deref(), Some("周一至周五本来就上班，调休上班日应是周六或周日。"));
    assert_eq!(r.field_value("name").as_deref(), Some("国庆节调休"));
    assert!(r.body.contains("<option value=\"workday\" selected>"), "the choice is kept");
    assert!(r.body.contains("<h1>节假日与调休 · 2027</h1>"), "the page of the form's year");

    // A day already in the calendar.
    let r =
        c.admin.post_form("/admin/holidays/add", &[("day", "2026-10-01"), ("kind", "holiday"), ("name", "国庆")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_error("day").as_deref(), Some("这一天已在日历中。要修改，请先删除它再添加。"));

    let long = "节".repeat(21);
    let r =
        c.admin.post_form("/admin/holidays/add", &[("day", "2027-02-06"), ("kind", "holiday"), ("name", &long)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("name").is_some());
    assert_eq!(r.field_value("name").as_deref(), Some(long.as_str()));
    let r = c
        .admin
        .post_form("/admin/holidays/add", &[("day", "2027-02-06"), ("kind", "holiday"), ("name", "春\u{0}节")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a NUL never reaches the database");
    let r =
        c.admin.post_form("/admin/holidays/add", &[("day", "99999-01-01"), ("kind", "holiday"), ("name", "远")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    assert_eq!(count(c.app.db.clone()).await, before, "nothing was added");
    let saturday =
        c.admin.post_form("/admin/holidays/add", &[("day", "2027-01-09"), ("kind", "workday"), ("name", "调休")]).await;
    assert_eq!(saturday.status, StatusCode::SEE_OTHER, "a Saturday may be a make-up working day");
    assert_eq!(saturday.location(), Some("/admin/holidays?year=2027"));
}
