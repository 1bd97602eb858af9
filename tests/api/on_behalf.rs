//! Staff file a complaint for a student who reported elsewhere (issue 19): in the student's
//! name (a verified account, told and shown under /me) or anonymously, followed by the officer;
//! the public timeline says the union registered it.

use axum::http::StatusCode;

use crate::helpers::TestApp;

fn fields<'a>(channel: &'a str, student_no: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("channel", channel),
        ("student_no", student_no),
        ("category", "canteen"),
        ("title", "西二食堂饭菜涨价"),
        ("location", "西二食堂"),
        ("description", "同学在微博私信反映：西二食堂套餐一周内涨价两元。"),
        ("visibility", "public"),
    ]
}

#[tokio::test]
async fn an_officer_registers_a_weibo_report_in_the_students_name_and_the_student_is_told() {
    let app = TestApp::spawn().await;
    let student = app.create_user("2026193001", "微博同学").await;
    let officer = app.create_user("2026193002", "权益部员").await;
    app.grant("2026193002", "rights", "member").await;
    let mut officer = app.browser_signed_in(officer).await;
    assert_eq!(officer.get("/d/rights/complaints/new").await.status, StatusCode::OK);
    // Refused: no channel, an unknown number; what was typed stays.
    let r = officer.post_form("/d/rights/complaints/new", &fields("", "2099999999")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("channel").is_some() && r.field_error("student_no").unwrap().contains("没有这个学号"));
    assert_eq!(r.field_value("title").as_deref(), Some("西二食堂饭菜涨价"));
    let r = officer.post_form("/d/rights/complaints/new", &fields("weibo", "2026193001")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (no, reporter, channel): (String, i64, String) =
        sqlx::query_as("select tracking_no, reporter_id, channel from complaint").fetch_one(&app.db).await.unwrap();
    assert_eq!((reporter, channel.as_str()), (student, "weibo"));
    let mut student_browser = app.browser_signed_in(student).await;
    assert!(student_browser.get("/me").await.body.contains(&no), "the student sees it under /me");
    assert_eq!(app.notified("2026193001", "notify.complaint.filed_for_you").await, 1);
    let page = app.browser().get(&format!("/complaints/{no}")).await;
    assert!(page.body.contains("由学生会代为登记") && page.body.contains("微博"));
}

#[tokio::test]
async fn without_a_number_it_is_anonymous_and_an_unverified_number_is_refused() {
    let app = TestApp::spawn().await;
    app.create_user("2026193003", "未验证同学").await;
    sqlx::query("update app_user set verified_by = null, verified_at = null where student_no = '2026193003'")
        .execute(&app.db)
        .await
        .unwrap();
    let officer = app.create_user("2026193004", "权益部员").await;
    app.grant("2026193004", "rights", "member").await;
    let mut officer_browser = app.browser_signed_in(officer).await;
    let r = officer_browser.post_form("/d/rights/complaints/new", &fields("meeting", "2026193003")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("student_no").unwrap().contains("还没有验证"));
    let r = officer_browser.post_form("/d/rights/complaints/new", &fields("in_person", "")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (no, reporter, anonymous): (String, i64, bool) =
        sqlx::query_as("select tracking_no, reporter_id, is_anonymous from complaint")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((reporter, anonymous), (officer, true), "the officer follows it; nobody's name shows");
    let page = app.browser().get(&format!("/complaints/{no}")).await;
    assert!(!page.body.contains("权益部员") && page.body.contains("由学生会代为登记"));
    let mut student = app.browser_signed_in(app.user_id("2026193003").await).await;
    assert_eq!(student.get("/d/rights/complaints/new").await.status, StatusCode::FORBIDDEN);
}
