//! School offices in the portal (issue 19): liaison accounts that see only what was
//! forwarded to their office and never who filed it, the office's steps, the two
//! clocks on the office's public page, the presidium's page of liaisons.

use axum::http::StatusCode;

use crate::helpers::{Browser, TestApp};

struct Cast {
    app: TestApp,
    student: Browser,
    handler: Browser,
    /// 后勤处's liaison.
    liaison: Browser,
    presidium: Browser,
}

const LIAISON_NO: &str = "T19880001";

async fn verify(app: &TestApp, student_no: &str) {
    sqlx::query("update app_user set verified_by = 'cas', verified_at = now() where student_no = $1")
        .bind(student_no)
        .execute(&app.db)
        .await
        .unwrap();
}

async fn office_id(app: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("select office_id from school_office where name_zh = $1")
        .bind(name)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn cast() -> Cast {
    let app = TestApp::spawn().await;
    let student = app.create_user("2026190001", "李同学甲").await;
    let handler = app.create_user("2026190002", "权益部员").await;
    let liaison = app.create_user(LIAISON_NO, "后勤处王老师").await;
    let presidium = app.create_user("2026190004", "主席").await;
    app.grant("2026190002", "rights", "member").await;
    app.grant_union("2026190004", "presidium").await;
    verify(&app, LIAISON_NO).await;
    let mut presidium = app.browser_signed_in(presidium).await;
    let logistics = office_id(&app, "后勤处").await;
    let logistics = logistics.to_string();
    let fields = [("office_id", logistics.as_str()), ("student_no", LIAISON_NO)];
    let r = presidium.post_form("/presidium/offices/liaisons", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the presidium adds a verified account as 后勤处's liaison");
    assert_eq!(app.notified(LIAISON_NO, "notify.office.liaison_added").await, 1, "the new liaison is told");
    Cast {
        student: app.browser_signed_in(student).await,
        handler: app.browser_signed_in(handler).await,
        liaison: app.browser_signed_in(liaison).await,
        presidium,
        app,
    }
}

/// A complaint filed by the student, accepted and forwarded to `office` by the rights department.
async fn forwarded(c: &mut Cast, office: &str, anonymous: bool) -> String {
    let no = c.app.complaint().anonymous(anonymous).by(&mut c.student).file().await;
    let office = office_id(&c.app, office).await.to_string();
    for fields in [vec![("to", "accepted")], vec![("to", "forwarded"), ("office_id", office.as_str())]] {
        let r = c.handler.post_form(&format!("/d/rights/complaints/{no}/transition"), &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    no
}

#[tokio::test]
async fn the_liaison_sees_only_what_was_forwarded_to_their_office_and_never_the_reporter() {
    let mut c = cast().await;
    let ours = forwarded(&mut c, "后勤处", true).await;
    let named = forwarded(&mut c, "后勤处", false).await;
    let theirs = forwarded(&mut c, "保卫处", false).await;
    let not_forwarded = c.app.complaint().by(&mut c.student).file().await;
    let desk = c.liaison.get("/office").await;
    assert_eq!(desk.status, StatusCode::OK);
    assert!(desk.body.contains(&ours) && desk.body.contains(&named));
    assert!(!desk.body.contains(&theirs) && !desk.body.contains(&not_forwarded));
    for no in [&theirs, &not_forwarded] {
        let r = c.liaison.get(&format!("/office/complaints/{no}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "another office's case, or one not forwarded, does not exist here");
        let r = c
            .liaison
            .post_form(&format!("/office/complaints/{no}/answer"), &[("body", "已处理"), ("public", "1")])
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    for no in [&ours, &named] {
        let page = c.liaison.get(&format!("/office/complaints/{no}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("提交人的身份不向学校部门显示"));
        assert!(
            !page.body.contains("2026190001") && !page.body.contains("李同学甲"),
            "never the reporter, named or not"
        );
    }
    // The union's internal note stays the union's; a note written to the office reaches it.
    c.handler.post_form(&format!("/d/rights/complaints/{ours}/note"), &[("body", "内部：先别答复")]).await;
    c.handler
        .post_form(&format!("/d/rights/complaints/{ours}/note"), &[("body", "请后勤处尽快安排"), ("to_office", "1")])
        .await;
    let page = c.liaison.get(&format!("/office/complaints/{ours}")).await;
    assert!(!page.body.contains("内部：先别答复"));
    assert!(page.body.contains("请后勤处尽快安排"));
    // Not a liaison: no desk.
    assert_eq!(c.student.get("/office").await.status, StatusCode::FORBIDDEN);
    assert_eq!(c.handler.get(&format!("/office/complaints/{ours}")).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_office_answers_and_its_clock_stops_while_the_unions_runs_on_its_own() {
    let mut c = cast().await;
    let no = forwarded(&mut c, "后勤处", false).await;
    // Refused answers keep what was typed and say why beside the field.
    let r = c.liaison.post_form(&format!("/office/complaints/{no}/answer"), &[("body", "  "), ("public", "1")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("answer_body").is_some());
    let r = c
        .liaison
        .post_form(&format!("/office/complaints/{no}/plan"), &[("body", "周五前更换"), ("due_on", "2001-01-01")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_error("due_on").as_deref(), Some("请填写今天以后、两年以内的日期。"));
    assert!(r.body.contains("周五前更换"), "the plan typed stays");
    // A question to the union stops no clock and is not public.
    let r = c.liaison.post_form(&format!("/office/complaints/{no}/ask"), &[("body", "请问具体是哪间教室？")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let answered: Option<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("select office_answered_at from complaint where tracking_no = $1")
            .bind(&no)
            .fetch_one(&c.app.db)
            .await
            .unwrap();
    assert!(answered.is_none());
    assert!(!c.student.get(&format!("/complaints/{no}")).await.body.contains("具体是哪间教室"));
    assert!(
        c.handler.get(&format!("/d/rights/complaints/{no}")).await.body.contains("具体是哪间教室"),
        "the union sees it"
    );
    // A public answer: the student sees it under the office's name, the case is 已答复, the clock stops.
    let r = c
        .liaison
        .post_form(&format!("/office/complaints/{no}/answer"), &[("body", "已安排维修师傅周三上门。"), ("public", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.student.get(&format!("/complaints/{no}")).await;
    assert!(
        page.body.contains("已安排维修师傅周三上门")
            && page.body.contains("学校部门答复")
            && page.body.contains("后勤处")
    );
    let (status, office, union): (
        String,
        Option<chrono::DateTime<chrono::Utc>>,
        Option<chrono::DateTime<chrono::Utc>>,
    ) = sqlx::query_as(
        "select status, office_answered_at, first_public_reply_at from complaint where tracking_no = $1",
    )
    .bind(&no)
    .fetch_one(&c.app.db)
    .await
    .unwrap();
    assert_eq!(status, "responded");
    assert!(office.is_some(), "the office's clock stopped");
    assert!(union.is_none(), "the union has not replied: its own clock still runs");
    let told: i64 = sqlx::query_scalar(
        "select count(*) from notification n join app_user u using (user_id) where u.student_no = '2026190001' and n.param = $1",
    )
    .bind(&no)
    .fetch_one(&c.app.db)
    .await
    .unwrap();
    assert!(told >= 1, "the reporter is told");
    // Done, then a closed case takes no more steps.
    assert_eq!(c.liaison.post_form(&format!("/office/complaints/{no}/done"), &[]).await.status, StatusCode::SEE_OTHER);
    c.handler.post_form(&format!("/d/rights/complaints/{no}/transition"), &[("to", "resolved")]).await;
    let r = c.liaison.post_form(&format!("/office/complaints/{no}/ask"), &[("body", "还有问题")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_union_relays_an_office_answer_and_it_counts_as_the_offices() {
    let mut c = cast().await;
    let no = forwarded(&mut c, "保卫处", false).await;
    let not_yet = c.app.complaint().by(&mut c.student).file().await;
    let r = c
        .handler
        .post_form(
            &format!("/d/rights/complaints/{not_yet}/reply"),
            &[("body", "保卫处说会处理"), ("from_office", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "nothing to relay before forwarding");
    assert_eq!(r.field_error("public_reply").as_deref(), Some("这件投诉还没有转交给学校部门。"));
    let r = c
        .handler
        .post_form(
            &format!("/d/rights/complaints/{no}/reply"),
            &[("body", "保卫处答复：已加装路灯。"), ("from_office", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let both: (bool, bool) = sqlx::query_as(
        "select office_answered_at is not null, first_public_reply_at is not null from complaint where tracking_no = $1",
    )
    .bind(&no)
    .fetch_one(&c.app.db)
    .await
    .unwrap();
    assert_eq!(both, (true, true), "the relayed answer stops both clocks");
    let page = c.student.get(&format!("/complaints/{no}")).await;
    assert!(page.body.contains("学生会代为转达"));
}

#[tokio::test]
async fn the_office_page_shows_both_clocks_and_what_waits_past_the_deadline() {
    let mut c = cast().await;
    let answered = forwarded(&mut c, "后勤处", false).await;
    let waiting = forwarded(&mut c, "后勤处", false).await;
    // The term began two months ago: the figures are the term's.
    sqlx::query("update term set started_on = current_date - 60 where is_current").execute(&c.app.db).await.unwrap();
    // Filed 10 days ago, replied by the union at once, forwarded 8 days ago, answered by the office 6 days ago;
    // the other forwarded 20 days ago and never answered (past any five working days).
    sqlx::query(
        "update complaint set created_at = now() - interval '10 days', first_public_reply_at = now() - interval '10 days',
                forwarded_at = now() - interval '8 days', office_answered_at = now() - interval '6 days'
         where tracking_no = $1",
    )
    .bind(&answered)
    .execute(&c.app.db)
    .await
    .unwrap();
    sqlx::query("update complaint set forwarded_at = now() - interval '20 days' where tracking_no = $1")
        .bind(&waiting)
        .execute(&c.app.db)
        .await
        .unwrap();
    let page = c.student.get("/offices/logistics").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("学校部门联络人直接答复"), "the office has a liaison");
    assert!(page.body.contains("2.0 天"), "the office took two days from forwarding: {}", page.body);
    assert!(page.body.contains("0.0 天"), "the union replied at once");
    assert!(page.body.contains(&waiting) && page.body.contains("已超期"));
    let list = c.app.browser().get("/offices").await;
    assert!(list.body.contains("后勤处") && list.body.contains("由学生会转达"), "offices without liaisons say so");
    let report = c.app.browser().get("/offices/logistics/report").await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.body.contains("print-sheet"));
    assert_eq!(c.app.browser().get("/offices/nosuch").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_a_verified_account_becomes_a_liaison_and_the_presidium_can_remove_one() {
    let mut c = cast().await;
    c.app.create_user("2026190009", "未验证").await;
    sqlx::query("update app_user set verified_by = null, verified_at = null where student_no = '2026190009'")
        .execute(&c.app.db)
        .await
        .unwrap();
    let security = office_id(&c.app, "保卫处").await;
    let add = "/presidium/offices/liaisons";
    let office = security.to_string();
    let r = c.presidium.post_form(add, &[("office_id", &office), ("student_no", "2026190009")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("student_no").unwrap().contains("还没有验证"));
    assert_eq!(r.field_value("student_no").as_deref(), Some("2026190009"), "what was typed stays");
    let r = c.presidium.post_form(add, &[("office_id", &office), ("student_no", "9999999999")]).await;
    assert!(r.field_error("student_no").unwrap().contains("没有这个"));
    // The database refuses an unverified liaison whatever the page did.
    let refused = sqlx::query("insert into office_liaison (office_id, user_id) select $1, user_id from app_user where student_no = '2026190009'")
        .bind(security)
        .execute(&c.app.db)
        .await;
    assert!(refused.is_err());
    // Removing takes the desk away at the next request.
    let logistics = office_id(&c.app, "后勤处").await;
    let liaison = c.app.user_id(LIAISON_NO).await;
    let r = c.presidium.post_form(&format!("/presidium/offices/{logistics}/liaisons/{liaison}/remove"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(c.liaison.get("/office").await.status, StatusCode::FORBIDDEN);
    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where action like 'office_liaison.%'")
        .fetch_one(&c.app.db)
        .await
        .unwrap();
    assert_eq!(audited, 2, "the add and the removal are audited");
}
