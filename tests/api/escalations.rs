//! The presidium's escalations (issue 19): the queue, and each step the presidium can
//! take on an escalated case — reply, note, forward, transfer, agenda, send back.

use axum::http::StatusCode;

use crate::helpers::{Browser, TestApp};

struct Cast {
    app: TestApp,
    student: Browser,
    handler: Browser,
    presidium: Browser,
}

async fn cast() -> Cast {
    let app = TestApp::spawn().await;
    let student = app.create_user("2026191001", "投诉同学").await;
    let handler = app.create_user("2026191002", "权益部员").await;
    let presidium = app.create_user("2026191003", "主席团成员").await;
    app.grant("2026191002", "rights", "member").await;
    app.grant_union("2026191003", "presidium").await;
    Cast {
        student: app.browser_signed_in(student).await,
        handler: app.browser_signed_in(handler).await,
        presidium: app.browser_signed_in(presidium).await,
        app,
    }
}

/// A complaint the rights department escalated to the presidium.
async fn escalated(c: &mut Cast) -> String {
    let no = c.app.complaint().by(&mut c.student).file().await;
    let r = c.handler.post_form(&format!("/d/rights/complaints/{no}/escalate"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    no
}

#[tokio::test]
async fn the_queue_lists_open_escalations_for_the_presidium_only() {
    let mut c = cast().await;
    let up = escalated(&mut c).await;
    let not_up = c.app.complaint().by(&mut c.student).file().await;
    let queue = c.presidium.get("/presidium/escalations").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains(&up) && !queue.body.contains(&not_up));
    assert!(queue.body.contains("权益服务部"), "with its department");
    assert_eq!(c.presidium.get(&format!("/presidium/escalations/{not_up}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(c.handler.get("/presidium/escalations").await.status, StatusCode::FORBIDDEN);
    let r = c.handler.post_form(&format!("/presidium/escalations/{up}/reply"), &[("body", "我来答复")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a department member cannot act as the presidium");
}

#[tokio::test]
async fn the_presidium_replies_notes_and_forwards_and_the_student_sees_only_what_is_public() {
    let mut c = cast().await;
    let no = escalated(&mut c).await;
    let case = format!("/presidium/escalations/{no}");
    let r = c.presidium.post_form(&format!("{case}/reply"), &[("body", "主席团已督促后勤尽快处理。")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = c.presidium.post_form(&format!("{case}/note"), &[("body", "内部：这个部门已经拖了两周")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = c.presidium.post_form(&format!("{case}/forward"), &[("office_id", ""), ("body", "请处理")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("office_id").is_some());
    let office: i64 = sqlx::query_scalar("select office_id from school_office where name_zh = '后勤处'")
        .fetch_one(&c.app.db)
        .await
        .unwrap();
    let r = c.presidium.post_form(&format!("{case}/forward"), &[("office_id", &office.to_string())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let (status, forwarded): (String, bool) =
        sqlx::query_as("select status, forwarded_at is not null from complaint where tracking_no = $1")
            .bind(&no)
            .fetch_one(&c.app.db)
            .await
            .unwrap();
    assert_eq!((status.as_str(), forwarded), ("forwarded", true), "accepted and forwarded in one step");
    let page = c.student.get(&format!("/complaints/{no}")).await;
    assert!(page.body.contains("主席团已督促后勤尽快处理") && page.body.contains("主席团"));
    assert!(!page.body.contains("这个部门已经拖了两周"), "the note is internal");
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log a join app_user u on u.user_id = a.actor_id
         where u.student_no = '2026191003' and a.object_id = $1",
    )
    .bind(&no)
    .fetch_one(&c.app.db)
    .await
    .unwrap();
    assert_eq!(audited, 3, "reply, note and forward are audited");
}

#[tokio::test]
async fn sent_back_with_instructions_the_case_leaves_the_queue_and_the_department_is_told() {
    let mut c = cast().await;
    let no = escalated(&mut c).await;
    let case = format!("/presidium/escalations/{no}");
    let r = c.presidium.post_form(&format!("{case}/send-back"), &[("body", "   ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("send_back_body").is_some());
    let r = c.presidium.post_form(&format!("{case}/send-back"), &[("body", "请三天内答复同学并说明原因。")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), Some("/presidium/escalations"));
    assert!(!c.presidium.get("/presidium/escalations").await.body.contains(&no));
    assert_eq!(c.presidium.get(&case).await.status, StatusCode::NOT_FOUND, "no longer the presidium's to act on");
    let staff = c.handler.get(&format!("/d/rights/complaints/{no}")).await;
    assert!(staff.body.contains("请三天内答复同学并说明原因"), "the department reads the instructions");
    assert!(!c.student.get(&format!("/complaints/{no}")).await.body.contains("请三天内答复"));
    let told: i64 = sqlx::query_scalar(
        "select count(*) from notification n join app_user u using (user_id)
         where u.student_no = '2026191002' and n.message_key = 'notify.complaint.sent_back'",
    )
    .fetch_one(&c.app.db)
    .await
    .unwrap();
    assert_eq!(told, 1);
}

#[tokio::test]
async fn the_presidium_transfers_a_case_and_puts_one_on_the_agenda() {
    let mut c = cast().await;
    let moved = escalated(&mut c).await;
    let r = c.presidium.post_form(&format!("/presidium/escalations/{moved}/transfer"), &[("dept", "nosuch")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = c.presidium.post_form(&format!("/presidium/escalations/{moved}/transfer"), &[("dept", "life")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let dept = c.app.department_of(&moved).await;
    assert_eq!(dept, "life");
    let agenda = escalated(&mut c).await;
    let r = c.presidium.post_form(&format!("/presidium/escalations/{agenda}/agenda"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = c.presidium.post_form(&format!("/presidium/escalations/{agenda}/agenda"), &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "once");
}
