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

// --- Liaisons invited by mail ---------------------------------------------------------

const INVITEE: &str = "wang.laoshi@hq.example.edu.cn";

/// The presidium invites `email` to answer for 后勤处; the answer.
async fn invite(c: &mut Cast, email: &str) -> crate::helpers::TestResponse {
    let logistics = office_id(&c.app, "后勤处").await;
    c.presidium.get("/presidium/offices").await;
    c.presidium.post_form(&format!("/presidium/offices/{logistics}/invites"), &[("email", email)]).await
}

/// The token of the newest invitation mailed to `email`, and whether its link is kept out of the log.
async fn mailed_token(app: &TestApp, email: &str) -> (String, bool) {
    let (link, secret): (String, bool) = sqlx::query_as(
        "select link, link_is_secret from mail_outbox where to_address = $1 order by mail_id desc limit 1",
    )
    .bind(email)
    .fetch_one(&app.db)
    .await
    .expect("an invitation mail");
    let token = link.strip_prefix("/offices/invites/").expect("the invitation's link").to_string();
    (token, secret)
}

async fn invite_state(app: &TestApp, email: &str) -> (bool, bool) {
    sqlx::query_as(
        "select accepted_at is not null, revoked_at is not null from office_invite where email = $1
         order by invite_id desc limit 1",
    )
    .bind(email)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_mailed_invitation_makes_a_verified_account_the_offices_liaison_once() {
    let mut c = cast().await;
    let ours = forwarded(&mut c, "后勤处", false).await;
    let r = invite(&mut c, INVITEE).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (token, secret) = mailed_token(&c.app, INVITEE).await;
    assert!(secret, "the link is never written to the log and is blanked once delivered");
    assert!(token.len() >= 40, "a long random token");
    let subject: String = sqlx::query_scalar("select subject from mail_outbox where to_address = $1")
        .bind(INVITEE)
        .fetch_one(&c.app.db)
        .await
        .unwrap();
    assert!(subject.contains("后勤处"), "the mail, in Chinese, names the office: {subject}");
    let stored: i64 = sqlx::query_scalar("select count(*) from office_invite where token_hash = $1")
        .bind(union_portal::web::session::hash_token(&token))
        .fetch_one(&c.app.db)
        .await
        .unwrap();
    assert_eq!(stored, 1, "only the token's hash is kept");
    let page = c.presidium.get("/presidium/offices").await;
    assert!(page.body.contains(INVITEE), "the presidium sees the pending invitation");
    let audited = c.app.scalar("select count(*) from audit_log where action = 'office_liaison.invite'").await;
    assert_eq!(audited, 1);

    // Not signed in: which office, and sign in to come back here; the link goes to no other site.
    let link = format!("/offices/invites/{token}");
    let mut visitor = c.app.browser();
    let r = visitor.get(&link).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("后勤处") && r.body.contains("统一身份认证"));
    let next = format!("/login?next={link}");
    assert!(r.body.contains(&next), "sign-in returns to the invitation: {}", r.body);
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
    assert!(!r.body.contains("/accept"), "no button before sign-in");
    let r = visitor.post_form(&format!("{link}/accept"), &[]).await;
    assert_eq!(r.location(), Some(next.as_str()), "a signed-out POST goes to sign-in and back to the page");

    // Signed in with a verified account: the button, then the desk with the office's cases.
    let invitee = c.app.create_user("T19880002", "后勤处李老师").await;
    let mut invitee = c.app.browser_signed_in(invitee).await;
    let r = invitee.get(&link).await;
    assert!(r.body.contains("接受邀请") && r.body.contains(&format!("{link}/accept")));
    assert_eq!(invitee.get("/office").await.status, StatusCode::FORBIDDEN, "not a liaison yet");
    let r = invitee.post_form(&format!("{link}/accept"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), Some("/office"));
    let desk = invitee.get("/office").await;
    assert_eq!(desk.status, StatusCode::OK);
    assert!(desk.body.contains(&ours), "the new liaison sees what was forwarded to 后勤处");
    assert_eq!(c.app.notified("T19880002", "notify.office.liaison_added").await, 1, "and is told");
    assert_eq!(invite_state(&c.app, INVITEE).await, (true, false));
    let audited = c.app.scalar("select count(*) from audit_log where action = 'office_liaison.accept'").await;
    assert_eq!(audited, 1);
    assert!(!c.presidium.get("/presidium/offices").await.body.contains(INVITEE), "no longer pending");

    // Once only: another verified account, or the same page again, gets a clear page.
    let other = c.app.create_user("T19880003", "后勤处赵老师").await;
    let mut other = c.app.browser_signed_in(other).await;
    other.get("/").await;
    let r = other.post_form(&format!("{link}/accept"), &[]).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert!(r.body.contains("这个邀请已经被接受"));
    assert_eq!(other.get("/office").await.status, StatusCode::FORBIDDEN);
    assert_eq!(visitor.get(&link).await.status, StatusCode::GONE);
}

#[tokio::test]
async fn an_unverified_account_cannot_accept_and_the_invitation_waits() {
    let mut c = cast().await;
    invite(&mut c, INVITEE).await;
    let (token, _) = mailed_token(&c.app, INVITEE).await;
    let link = format!("/offices/invites/{token}");
    let id = c.app.create_user("T19880004", "未验证的老师").await;
    sqlx::query("update app_user set verified_by = null, verified_at = null where user_id = $1")
        .bind(id)
        .execute(&c.app.db)
        .await
        .unwrap();
    let mut unverified = c.app.browser_signed_in(id).await;
    let r = unverified.get(&link).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("你的账号还没有验证") && r.body.contains("href=\"/me\""), "says how to verify");
    assert!(!r.body.contains(&format!("{link}/accept")), "no button");
    let r = unverified.post_form(&format!("{link}/accept"), &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("你的账号还没有验证"));
    assert_eq!(unverified.get("/office").await.status, StatusCode::FORBIDDEN);
    assert_eq!(invite_state(&c.app, INVITEE).await, (false, false), "the invitation still waits");
    // Verified since (campus sign-in): the same link now works.
    verify(&c.app, "T19880004").await;
    let r = unverified.post_form(&format!("{link}/accept"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(unverified.get("/office").await.status, StatusCode::OK);
}

#[tokio::test]
async fn expired_and_revoked_invitations_are_refused_with_a_message() {
    let mut c = cast().await;
    let late = "late@hq.example.edu.cn";
    invite(&mut c, INVITEE).await;
    invite(&mut c, late).await;
    let (revoked, _) = mailed_token(&c.app, INVITEE).await;
    let (expired, _) = mailed_token(&c.app, late).await;
    let invite_id: i64 = sqlx::query_scalar("select invite_id from office_invite where email = $1")
        .bind(INVITEE)
        .fetch_one(&c.app.db)
        .await
        .unwrap();
    let revoke = format!("/presidium/offices/invites/{invite_id}/revoke");
    let r = c.presidium.post_form(&revoke, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(c.presidium.post_form(&revoke, &[]).await.status, StatusCode::NOT_FOUND, "revoked once");
    let audited = c.app.scalar("select count(*) from audit_log where action = 'office_liaison.invite_revoke'").await;
    assert_eq!(audited, 1);
    sqlx::query("update office_invite set created_at = now() - interval '15 days', expires_at = now() - interval '1 day' where email = $1")
        .bind(late)
        .execute(&c.app.db)
        .await
        .unwrap();
    let invitee = c.app.create_user("T19880005", "后勤处钱老师").await;
    let mut invitee = c.app.browser_signed_in(invitee).await;
    for (token, message) in [(revoked.as_str(), "这个邀请已被学生会撤回"), (expired.as_str(), "这个邀请已经过期")]
    {
        let link = format!("/offices/invites/{token}");
        let r = invitee.get(&link).await;
        assert_eq!(r.status, StatusCode::GONE);
        assert!(r.body.contains(message), "{message}: {}", r.body);
        let r = invitee.post_form(&format!("{link}/accept"), &[]).await;
        assert_eq!(r.status, StatusCode::GONE);
        assert!(r.body.contains(message));
    }
    let r = invitee.get("/offices/invites/not-a-real-token").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("没有找到这个邀请"));
    assert_eq!(invitee.get("/office").await.status, StatusCode::FORBIDDEN, "none of them made a liaison");
    assert!(!c.presidium.get("/presidium/offices").await.body.contains(late), "neither is pending");
}

#[tokio::test]
async fn a_bad_invitation_address_comes_back_beside_its_field_with_what_was_typed() {
    let mut c = cast().await;
    let logistics = office_id(&c.app, "后勤处").await;
    let r = invite(&mut c, "wang at hq").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("email").is_some_and(|e| e.contains("邮箱")), "{:?}", r.field_error("email"));
    assert_eq!(r.value_by_id(&format!("f-email-{logistics}")).as_deref(), Some("wang at hq"));
    assert_eq!(c.app.scalar("select count(*) from office_invite").await, 0);
    // The same address twice while the first waits: told, not mailed again.
    assert_eq!(invite(&mut c, INVITEE).await.status, StatusCode::SEE_OTHER);
    let r = invite(&mut c, &INVITEE.to_uppercase()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.field_error("email").as_deref(),
        Some("已经向这个地址发出了本部门的邀请，对方尚未接受。需要重发请先撤回。")
    );
    assert_eq!(
        c.app
            .scalar("select count(*) from mail_outbox where lower(to_address) = lower('wang.laoshi@hq.example.edu.cn')")
            .await,
        1
    );
}

#[tokio::test]
async fn a_presidium_member_sends_at_most_twenty_invitations_an_hour() {
    let mut c = cast().await;
    let logistics = office_id(&c.app, "后勤处").await;
    sqlx::query(
        "insert into office_invite (office_id, email, token_hash, invited_by, expires_at)
         select $1, 'n' || i || '@hq.example.edu.cn', sha256(i::text::bytea), u.user_id, now() + interval '14 days'
         from generate_series(1, 20) i, app_user u where u.student_no = '2026190004'",
    )
    .bind(logistics)
    .execute(&c.app.db)
    .await
    .unwrap();
    let r = invite(&mut c, INVITEE).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.header("retry-after").is_some());
    assert!(r.body.contains("操作太频繁"), "the page says why");
    assert_eq!(r.value_by_id(&format!("f-email-{logistics}")).as_deref(), Some(INVITEE), "and keeps what was typed");
    assert_eq!(
        c.app.scalar("select count(*) from mail_outbox where to_address = 'wang.laoshi@hq.example.edu.cn'").await,
        0
    );
}
