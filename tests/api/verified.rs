//! One number, one person: what is bound to a student number (roles, found campus cards,
//! delegate seats) goes only to an account whose number someone vouched for.

use axum::http::StatusCode;

use crate::{
    campus::{campus_portal, sign_in},
    helpers::*,
};

/// An account made through the registration form: nobody vouched for its number.
async fn registered(app: &TestApp, student_no: &str, name: &str) -> i64 {
    let mut b = app.browser();
    b.get("/register").await;
    let form = [
        ("student_no", student_no),
        ("name", name),
        ("college", "法学院"),
        ("email", "someone@example.com"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ];
    assert!(b.post_form("/register", &form).await.status.is_redirection(), "registered");
    app.user_id(student_no).await
}

async fn verified_by(app: &TestApp, user_id: i64) -> Option<String> {
    sqlx::query_scalar("select verified_by from app_user where user_id = $1")
        .bind(user_id)
        .fetch_one(&app.db)
        .await
        .expect("account")
}

#[tokio::test]
async fn a_role_is_refused_to_an_unverified_account_beside_the_field_and_by_the_database() {
    let app = TestApp::spawn().await;
    let head = app.create_user("2026300001", "部长").await;
    app.grant("2026300001", "rights", "head").await;
    let admin = app.create_user("2026300002", "管理员").await;
    app.grant_union("2026300002", "admin").await;
    assert_eq!(verified_by(&app, head).await.as_deref(), Some("cli"), "command-line accounts are vouched for");
    let stranger = registered(&app, "2026300003", "自称同学").await;
    assert_eq!(verified_by(&app, stranger).await, None, "a registration proves nothing");

    let mut h = app.browser_signed_in(head).await;
    h.get("/d/rights/members").await;
    let r = h.post_form("/d/rights/members/add", &[("student_no", "2026300003"), ("role", "member")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.field_error("student_no").is_some_and(|e| e.contains("尚未验证")), "{:?}", r.field_error("student_no"));
    assert_eq!(r.field_value("student_no").as_deref(), Some("2026300003"), "the form keeps what was typed");
    let mut a = app.browser_signed_in(admin).await;
    a.get("/admin/memberships").await;
    let r = a.post_form("/admin/union-roles/grant", &[("student_no", "2026300003"), ("role", "presidium")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("尚未验证"));
    assert_eq!(app.scalar(&format!("select count(*) from membership where user_id = {stranger}")).await, 0);
    assert_eq!(app.scalar(&format!("select count(*) from union_role where user_id = {stranger}")).await, 0);
    // The same rule in the database, for any path that would go around the forms.
    let direct = sqlx::query(
        "insert into membership (user_id, department_id, term_id, role)
         select $1, d.department_id, t.term_id, 'member' from department d, term t where d.slug = 'rights' and t.is_current",
    )
    .bind(stranger)
    .execute(&app.db)
    .await;
    assert!(direct.is_err_and(|e| e.to_string().contains("verified")), "the trigger refuses it");

    // Vouched for, the same grant goes through.
    sqlx::query("update app_user set verified_by = 'admin', verified_at = now() where user_id = $1")
        .bind(stranger)
        .execute(&app.db)
        .await
        .expect("verify");
    h.get("/d/rights/members").await;
    let r = h.post_form("/d/rights/members/add", &[("student_no", "2026300003"), ("role", "member")]).await;
    assert!(r.status.is_redirection(), "{}", r.status);
}

#[tokio::test]
async fn a_found_card_tells_only_a_verified_owner_and_the_owner_verified_later_is_told_at_once() {
    let (app, base) = campus_portal().await;
    let officer = app.create_user("2026300011", "权益部员").await;
    app.grant("2026300011", "rights", "member").await;
    let mut desk = app.browser_signed_in(officer).await;
    let point = app.point_id("北区图书馆").await;
    // Someone registered the number of 孙一鸣's card before he did.
    let squatter = registered(&app, "2024010003", "冒名者").await;

    let item = app.found_item(&point).category("card").card("2024010003", "孙一鸣").by(&mut desk).register().await;
    assert_eq!(app.notified("2024010003", "notify.lost.card_found").await, 0, "an unverified holder is not told");
    let mut s = app.browser_signed_in(squatter).await;
    let page = s.get(&format!("/lost-found/items/{item}")).await;
    assert!(!page.body.contains("孙一鸣"), "nor shown the card as theirs");

    // The real student signs in through the school: the card is his, and he hears of it at once.
    let mut b = app.browser();
    sign_in(&mut b, &base, "/me", ("2024010003", "campus-pass-3")).await;
    let owner = app.user_id("2024010003").await;
    assert_ne!(owner, squatter);
    let told: i64 = sqlx::query_scalar(
        "select count(*) from notification where user_id = $1 and message_key = 'notify.lost.card_found'",
    )
    .bind(owner)
    .fetch_one(&app.db)
    .await
    .expect("count");
    assert_eq!(told, 1);
    let owner_of_item: Option<i64> = sqlx::query_scalar("select owner_id from found_item where item_id = $1")
        .bind(item)
        .fetch_one(&app.db)
        .await
        .expect("item");
    assert_eq!(owner_of_item, Some(owner));
    // Signing in again does not tell him twice.
    sign_in(&mut app.browser(), &base, "/me", ("2024010003", "campus-pass-3")).await;
    assert_eq!(
        app.scalar(&format!(
            "select count(*) from notification where user_id = {owner} and message_key = 'notify.lost.card_found'"
        ))
        .await,
        1
    );
}

#[tokio::test]
async fn administrators_see_who_vouched_for_each_number_filter_the_unverified_and_verify_one() {
    let app = TestApp::spawn().await;
    let admin = app.create_user("2026300021", "管理员").await;
    app.grant_union("2026300021", "admin").await;
    let stranger = registered(&app, "2026300022", "新同学").await;
    let officer = app.create_user("2026300023", "权益部员").await;
    app.grant("2026300023", "rights", "member").await;
    let mut desk = app.browser_signed_in(officer).await;
    let point = app.point_id("北区图书馆").await;
    app.found_item(&point).category("card").card("2026300022", "新同学").by(&mut desk).register().await;

    let mut a = app.browser_signed_in(admin).await;
    let all = a.get("/admin/users").await;
    assert!(all.body.contains("由服务器管理员创建") && all.body.contains("未验证"), "each account's verification");
    let only = a.get("/admin/users?unverified=1").await;
    assert!(only.body.contains("2026300022") && !only.body.contains("2026300021"), "the filter");

    let r = a.post_form(&format!("/admin/users/{stranger}/verify"), &[]).await;
    assert!(r.status.is_redirection());
    assert_eq!(verified_by(&app, stranger).await.as_deref(), Some("admin"));
    assert_eq!(app.scalar("select count(*) from audit_log where action = 'user.verify'").await, 1, "audited");
    assert_eq!(app.notified("2026300022", "notify.lost.card_found").await, 1, "the waiting card is told at once");
    assert!(!a.get("/admin/users?unverified=1").await.body.contains("2026300022"));
}

#[tokio::test]
async fn a_taken_number_tells_the_numbers_campus_address_never_the_holders_or_the_typed_one() {
    let app = TestApp::spawn_with(|c| c.campus_mail_domain = Some("stu.example.edu.cn".into())).await;
    registered(&app, "2026300031", "先注册的人").await; // someone@example.com, unverified
    let mut real = app.browser();
    real.get("/register").await;
    let form = [
        ("student_no", "2026300031"),
        ("name", "真正的同学"),
        ("college", "法学院"),
        ("email", "typed@example.org"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ];
    assert!(real.post_form("/register", &form).await.status.is_redirection(), "the same answer as ever");
    let to: Vec<String> =
        sqlx::query_scalar("select to_address from mail_outbox where subject = '有人尝试用你的学号注册学生会门户'")
            .fetch_all(&app.db)
            .await
            .expect("mails");
    assert_eq!(to, vec!["2026300031@stu.example.edu.cn".to_string()]);

    // Without a campus domain, an unverified holder's address is not trusted either: nobody is mailed.
    let app = TestApp::spawn().await;
    registered(&app, "2026300032", "先注册的人").await;
    let mut real = app.browser();
    real.get("/register").await;
    let form = [
        ("student_no", "2026300032"),
        ("name", "真正的同学"),
        ("college", "法学院"),
        ("email", "typed@example.org"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ];
    real.post_form("/register", &form).await;
    assert_eq!(
        app.scalar("select count(*) from mail_outbox where subject = '有人尝试用你的学号注册学生会门户'").await,
        0
    );
}

#[tokio::test]
async fn a_link_to_the_numbers_campus_mail_verifies_only_the_account_it_was_made_for() {
    let app = TestApp::spawn_with(|c| c.campus_mail_domain = Some("stu.example.edu.cn".into())).await;
    let student = registered(&app, "2026300041", "新生").await;
    let other = registered(&app, "2026300042", "别人").await;
    let mut b = app.browser_signed_in(student).await;
    let me = b.get("/me").await;
    assert!(me.body.contains("学号尚未验证") && me.body.contains("action=\"/account/verify-mail\""));

    assert!(b.post_form("/account/verify-mail", &[]).await.status.is_redirection());
    let (to, link): (String, String) =
        sqlx::query_as("select to_address, link from mail_outbox where link like '/account/verify-mail/%' order by mail_id desc limit 1")
            .fetch_one(&app.db)
            .await
            .expect("the mail");
    assert_eq!(to, "2026300041@stu.example.edu.cn", "the number's campus inbox, not the typed address");
    let token = link.split("token=").nth(1).expect("token").to_string();

    // Someone else's session cannot use it.
    let mut o = app.browser_signed_in(other).await;
    o.get(&link).await;
    o.post_form("/account/verify-mail/confirm", &[("token", &token)]).await;
    assert_eq!(verified_by(&app, other).await, None);

    let page = b.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("新生"), "the page names the account it confirms");
    assert!(b.post_form("/account/verify-mail/confirm", &[("token", &token)]).await.status.is_redirection());
    assert_eq!(verified_by(&app, student).await.as_deref(), Some("campus_mail"));
    assert!(!b.get("/me").await.body.contains("学号尚未验证"));

    // A few links an hour, no more.
    let mut o = app.browser_signed_in(other).await;
    for _ in 0..3 {
        o.get("/me").await;
        assert!(o.post_form("/account/verify-mail", &[]).await.status.is_redirection());
    }
    o.get("/me").await;
    assert_eq!(o.post_form("/account/verify-mail", &[]).await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn handlers_see_that_a_reporters_number_is_unverified() {
    let app = TestApp::spawn().await;
    let handler = app.create_user("2026300051", "权益部员").await;
    app.grant("2026300051", "rights", "member").await;
    let stranger = registered(&app, "2026300052", "自称同学").await;
    let mut s = app.browser_signed_in(stranger).await;
    let unverified = app.complaint().title("宿舍热水时有时无").by(&mut s).file().await;
    let mut v = app.browser_signed_in(app.create_user("2026300053", "已验证同学").await).await;
    let verified = app.complaint().title("图书馆空调太冷").by(&mut v).file().await;
    let mut h = app.browser_signed_in(handler).await;
    assert!(h.get(&format!("/d/rights/complaints/{unverified}")).await.body.contains("未验证"));
    assert!(!h.get(&format!("/d/rights/complaints/{verified}")).await.body.contains("未验证"));
}

#[tokio::test]
async fn a_reception_seat_needs_a_verified_account() {
    let app = TestApp::spawn().await;
    let organiser = app.create_user("2026300061", "组织者").await;
    app.grant("2026300061", "rights", "vice_head").await;
    let mut o = app.browser_signed_in(organiser).await;
    let session = app.reception_session("rights").open_seats("10").by(&mut o).create().await;
    let code = app.session_code(session).await;
    let stranger = registered(&app, "2026300062", "自称同学").await;
    let mut s = app.browser_signed_in(stranger).await;
    s.get(&format!("/reception/{code}")).await;
    let r = s.post_form(&format!("/reception/{code}/signup"), &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("验证学号"), "the page says why");
    assert_eq!(app.scalar(&format!("select count(*) from reception_signup where user_id = {stranger}")).await, 0);
    let mut v = app.browser_signed_in(app.create_user("2026300063", "已验证同学").await).await;
    v.get(&format!("/reception/{code}")).await;
    assert!(v.post_form(&format!("/reception/{code}/signup"), &[]).await.status.is_redirection());
}
