//! Accounts over the real router: register, log in, log out, passwords, sessions, CSRF, throttling.

use axum::http::StatusCode;

use crate::helpers::{TestApp, PASSWORD};

fn register_form<'a>(
    student_no: &'a str,
    name: &'a str,
    password: &'a str,
    confirm: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("student_no", student_no),
        ("name", name),
        ("college", "法学院"),
        ("email", "li@stu.example.edu.cn"),
        ("password", password),
        ("password_confirm", confirm),
    ]
}

#[tokio::test]
async fn a_student_registers_logs_in_sees_their_page_and_logs_out() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    assert_eq!(b.get("/register").await.status, StatusCode::OK);

    let r = b.post_form("/register", &register_form("2026100001", "李同学", PASSWORD, PASSWORD)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), Some("/login"));
    assert!(b.get("/login").await.body.contains("账号已经创建"), "the flash explains what to do next");

    let r = b.login("2026100001", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), Some("/"));
    let me = b.get("/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert!(me.body.contains("李同学") && me.body.contains("2026100001"));
    assert_eq!(me.header("cache-control"), Some("no-store"), "personal pages are never cached");

    let r = b.post_form("/logout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = b.get("/me").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), Some("/login?next=/me"));
}

#[tokio::test]
async fn a_password_mismatch_keeps_what_was_typed_and_says_so_beside_the_field() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    let r =
        b.post_form("/register", &register_form("2026100002", "王 小明", PASSWORD, "something else entirely")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_value("student_no").as_deref(), Some("2026100002"));
    assert_eq!(r.field_value("name").as_deref(), Some("王 小明"));
    assert_eq!(r.field_value("college").as_deref(), Some("法学院"));
    assert_eq!(r.field_value("email").as_deref(), Some("li@stu.example.edu.cn"));
    assert_eq!(r.field_error("password_confirm").as_deref(), Some("两次输入的密码不一致。"));
    assert!(r.body.contains(r#"aria-describedby="e-password_confirm""#));
    let n = app.scalar("select count(*) from app_user").await;
    assert_eq!(n, 0, "nothing saved");
}

#[tokio::test]
async fn every_bad_field_gets_its_own_message() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    let r = b
        .post_form(
            "/register",
            &[
                ("student_no", "20-26"),
                ("name", ""),
                ("college", "理学院"),
                ("email", "nope"),
                ("password", "123456789"),
                ("password_confirm", "123456789"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_error("student_no").as_deref(), Some("学号应为 4 到 20 位字母或数字。"));
    assert_eq!(r.field_error("name").as_deref(), Some("此项为必填项。"));
    assert_eq!(r.field_error("email").as_deref(), Some("请填写有效的电子邮箱地址，例如 name@example.edu.cn。"));
    assert!(r.field_error("password").is_some_and(|e| e.contains("太容易被猜到")));
    assert_eq!(r.field_error("college"), None);
}

#[tokio::test]
async fn a_taken_student_number_gets_the_same_answer_and_changes_nothing() {
    let app = TestApp::spawn().await;
    app.create_user("2026100003", "原主人").await;
    let mut b = app.browser();
    let r = b
        .post_form(
            "/register",
            &register_form("2026100003", "冒名者", "another long passphrase", "another long passphrase"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), Some("/login"), "same answer as a new registration");
    let name: String = sqlx::query_scalar("select name from app_user where student_no = '2026100003'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(name, "原主人");
    assert_eq!(b.login("2026100003", "another long passphrase").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b.login("2026100003", PASSWORD).await.status, StatusCode::SEE_OTHER);
    let mails: i64 =
        sqlx::query_scalar("select count(*) from mail_outbox where to_address = '2026100003@stu.example.edu.cn'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(mails, 1, "the owner is told of the attempt");
}

fn without_tokens(body: &str) -> String {
    let re_like = |s: &str, attr: &str| -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find(attr) {
            out.push_str(&rest[..i + attr.len()]);
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(0);
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    };
    re_like(body, r#"name="csrf_token" value=""#)
}

#[tokio::test]
async fn an_unknown_student_number_and_a_wrong_password_look_the_same() {
    let app = TestApp::spawn().await;
    app.create_user("2026100004", "赵同学").await;
    let mut b = app.browser();
    let wrong = b.login("2026100004", "not the password at all").await;
    let unknown = b.login("2026999999", "not the password at all").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(
        without_tokens(&wrong.body).replace("2026100004", "X"),
        without_tokens(&unknown.body).replace("2026999999", "X")
    );
    assert!(wrong.body.contains("学号或密码不正确。"));
    assert_eq!(wrong.field_value("student_no").as_deref(), Some("2026100004"), "the student number is kept");
}

#[tokio::test]
async fn failed_logins_are_throttled_per_account_but_the_owner_elsewhere_still_gets_in() {
    let app = TestApp::spawn().await;
    app.create_user("2026100005", "钱同学").await;
    let mut attacker = app.browser();
    attacker.ip = "198.51.100.7".into();
    for _ in 0..10 {
        assert_eq!(attacker.login("2026100005", "guess guess guess").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = attacker.login("2026100005", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits at this address");
    assert!(r.body.contains("尝试次数过多"));
    assert_eq!(r.header("retry-after"), Some("180"));

    let mut owner = app.browser();
    owner.ip = "203.0.113.20".into();
    assert_eq!(owner.login("2026100005", PASSWORD).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_address_trying_many_accounts_is_throttled() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    b.ip = "198.51.100.8".into();
    // Fifty distinct accounts failed from one address in three minutes.
    for i in 0..50 {
        let no = format!("20261{i:05}");
        assert_eq!(b.login(&no, "guess guess guess").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(b.login("2026100999", "guess guess guess").await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_dormitory_address_where_students_mistype_stays_open_to_new_browsers() {
    let app = TestApp::spawn().await;
    app.create_user("2026100030", "新手机的同学").await;
    // Five students behind the dormitory's NAT, each mistyping nine times: 45 failures,
    // but five accounts.
    for i in 0..5 {
        let mut b = app.browser();
        b.ip = "198.51.100.30".into();
        let no = format!("20261003{i:02}");
        for _ in 0..9 {
            assert_eq!(b.login(&no, "guess guess guess").await.status, StatusCode::UNPROCESSABLE_ENTITY);
        }
    }
    let mut new_phone = app.browser();
    new_phone.ip = "198.51.100.30".into();
    assert_eq!(new_phone.login("2026100030", PASSWORD).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn after_200_failures_from_a_campus_address_a_trusted_browser_gets_in_and_guessers_wait() {
    let app = TestApp::spawn().await;
    app.create_user("2026100040", "宿舍里的同学").await;
    app.create_user("2026100041", "攻击者自己").await;
    const NAT: &str = "198.51.100.40";
    // The student has logged in from this browser before: it keeps a device cookie.
    let mut student = app.browser();
    student.ip = NAT.into();
    assert_eq!(student.login("2026100040", PASSWORD).await.status, StatusCode::SEE_OTHER);
    assert_eq!(student.jar.get("portal_device").map(String::len), Some(43), "a device cookie");
    student.post_form("/logout", &[]).await;
    assert!(student.jar.contains_key("portal_device"), "logging out keeps it");
    // So does the attacker, for an account of its own, elsewhere.
    let mut attacker = app.browser();
    assert_eq!(attacker.login("2026100041", PASSWORD).await.status, StatusCode::SEE_OTHER);
    attacker.post_form("/logout", &[]).await;
    attacker.ip = NAT.into();

    let mut limited = 0;
    for i in 0..200 {
        let no = format!("2026{:06}", (i * 7919 + 104729) % 1_000_000);
        let r = attacker.login(&no, "guess guess guess").await;
        assert!(matches!(r.status, StatusCode::UNPROCESSABLE_ENTITY | StatusCode::TOO_MANY_REQUESTS));
        limited += usize::from(r.status == StatusCode::TOO_MANY_REQUESTS);
    }
    assert_eq!(limited, 150, "fifty accounts were tried, then the address waits");

    assert_eq!(student.login("2026100040", PASSWORD).await.status, StatusCode::SEE_OTHER, "the trusted browser");
    student.post_form("/logout", &[]).await;

    // Guessing the student's password from there: refused, the attacker's own cookie
    // is for another account, and a browser without one waits like the address.
    assert_eq!(attacker.login("2026100040", "guess guess guess").await.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(attacker.login("2026100040", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
    let mut stranger = app.browser();
    stranger.ip = NAT.into();
    assert_eq!(stranger.login("2026100040", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);

    // Even with the student's own cookie (a stolen one), guesses are limited: ten, then
    // the cookie is trusted no more.
    let mut thief = app.browser();
    thief.ip = NAT.into();
    thief.jar.insert("portal_device".into(), student.jar["portal_device"].clone());
    for _ in 0..10 {
        assert_eq!(thief.login("2026100040", "guess guess guess").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(thief.login("2026100040", "guess guess guess").await.status, StatusCode::TOO_MANY_REQUESTS);
    // From an address of its own the owner, with a new browser, still gets in.
    let mut elsewhere = app.browser();
    elsewhere.ip = "203.0.113.41".into();
    assert_eq!(elsewhere.login("2026100040", PASSWORD).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_device_cookie_is_host_prefixed_and_secure_behind_https() {
    let app = TestApp::spawn_with(|c| c.secure_cookies = true).await;
    app.create_user("2026100042", "用https的同学").await;
    let mut b = app.browser();
    let r = b.login("2026100042", PASSWORD).await;
    let device = r
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("__Host-portal_device="))
        .expect("a device cookie")
        .to_string();
    assert!(device.contains("Secure") && device.contains("HttpOnly") && device.contains("Path=/"), "{device}");
}

#[tokio::test]
async fn guessing_the_current_password_on_the_change_form_is_limited_like_logging_in() {
    let app = TestApp::spawn().await;
    let id = app.create_user("2026100043", "借出手机的同学").await;
    let mut b = app.browser_signed_in(id).await;
    b.get("/account/password").await;
    let form = |current: &'static str| {
        [
            ("current_password", current),
            ("new_password", "一个全新的密码 2026"),
            ("password_confirm", "一个全新的密码 2026"),
        ]
    };
    for _ in 0..10 {
        let r = b.post_form("/account/password", &form("guess guess guess")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = b.post_form("/account/password", &form(PASSWORD)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "even the right one waits");
    assert!(r.field_error("current_password").is_some_and(|e| e.contains("尝试次数过多")));
    assert_eq!(r.header("retry-after"), Some("180"));
    let mut elsewhere = app.browser();
    elsewhere.ip = "203.0.113.43".into();
    assert_eq!(elsewhere.login("2026100043", PASSWORD).await.status, StatusCode::SEE_OTHER, "unchanged");
}

#[tokio::test]
async fn the_session_id_changes_at_login_and_the_old_one_is_dead() {
    let app = TestApp::spawn().await;
    app.create_user("2026100006", "孙同学").await;
    let mut b = app.browser();
    b.login("2026100006", PASSWORD).await;
    let first = b.jar.get("portal_session").cloned().expect("session cookie");
    b.login("2026100006", PASSWORD).await;
    let second = b.jar.get("portal_session").cloned().expect("session cookie");
    assert_ne!(first, second);

    let mut replay = app.browser();
    replay.jar.insert("portal_session".into(), first);
    let r = replay.get("/me").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the old session is anonymous now");
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    app.create_user("2026100007", "周同学").await;
    let mut b = app.browser();
    b.login("2026100007", PASSWORD).await;
    let token = b.jar.get("portal_session").cloned().expect("session cookie");
    b.post_form("/logout", &[]).await;
    let mut replay = app.browser();
    replay.jar.insert("portal_session".into(), token);
    assert_eq!(replay.get("/me").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn changing_the_password_ends_every_other_session() {
    let app = TestApp::spawn().await;
    app.create_user("2026100008", "吴同学").await;
    let mut phone = app.browser();
    phone.login("2026100008", PASSWORD).await;
    let mut laptop = app.browser();
    laptop.login("2026100008", PASSWORD).await;

    let r = laptop
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a brand new passphrase"),
                ("password_confirm", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(laptop.get("/me").await.status, StatusCode::OK, "this browser stays in");
    assert_eq!(phone.get("/me").await.status, StatusCode::SEE_OTHER, "the other is logged out");
    assert_eq!(app.browser().login("2026100008", "a brand new passphrase").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_wrong_current_password_is_refused_beside_its_field() {
    let app = TestApp::spawn().await;
    let id = app.create_user("2026100009", "郑同学").await;
    let mut b = app.browser_signed_in(id).await;
    let r = b
        .post_form(
            "/account/password",
            &[
                ("current_password", "wrong wrong wrong"),
                ("new_password", "a brand new passphrase"),
                ("password_confirm", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field_error("current_password").as_deref(), Some("当前密码不正确。"));
}

#[tokio::test]
async fn a_first_admin_must_change_the_password_before_anything_else() {
    let app = TestApp::spawn().await;
    union_portal::accounts::create_account(&app.state, "admin", "管理员", PASSWORD, "", "", true).await.unwrap();
    app.grant_union("admin", "admin").await;
    let mut b = app.browser();
    b.login("admin", PASSWORD).await;
    let r = b.get("/admin").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), Some("/account/password"));
    assert!(b.get("/account/password").await.body.contains("首次登录"));
    let r = b
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "the admin's own passphrase"),
                ("password_confirm", "the admin's own passphrase"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(b.get("/admin").await.status, StatusCode::OK);
}

#[tokio::test]
async fn login_sends_the_student_back_but_never_off_site() {
    let app = TestApp::spawn().await;
    app.create_user("2026100010", "冯同学").await;
    let mut b = app.browser();
    let r = b.get("/login?next=/me").await;
    assert_eq!(r.field_value("next").as_deref(), Some("/me"));
    let r = b.post_form("/login", &[("student_no", "2026100010"), ("password", PASSWORD), ("next", "/me")]).await;
    assert_eq!(r.location(), Some("/me"), "{} {}", r.status, r.body);
    for evil in ["//evil.example", "/\\evil.example", "javascript:alert(1)", "https://evil.example/"] {
        let mut b = app.browser();
        let r = b.post_form("/login", &[("student_no", "2026100010"), ("password", PASSWORD), ("next", evil)]).await;
        assert_eq!(r.location(), Some("/"), "{evil}");
    }
}

#[tokio::test]
async fn cross_site_and_tokenless_posts_are_refused() {
    let app = TestApp::spawn().await;
    app.create_user("2026100011", "陈同学").await;
    let mut b = app.browser();
    b.get("/login").await;
    let token = b.jar.get("portal_csrf").cloned().expect("csrf cookie");
    let form = |t: &str| format!("csrf_token={t}&student_no=2026100011&password=tunnel+railing+57+dorm");
    let urlencoded = ("content-type", "application/x-www-form-urlencoded");

    let r = b.post_raw("/login", "student_no=2026100011&password=x".into(), &[urlencoded]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no token");
    assert!(r.body.contains("没有权限"), "a friendly page");
    let r = b.post_raw("/login", form("forged-token-forged-token-forged-token-abcd"), &[urlencoded]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a foreign token");
    let r = b.post_raw("/login", form(&token), &[urlencoded, ("origin", "https://evil.example")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "another origin");
    let r = b.post_raw("/login", form(&token), &[urlencoded, ("origin", "https://portal.test.evil.example")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a look-alike host");
    let r = b.post_raw("/login", form(&token), &[urlencoded, ("sec-fetch-site", "cross-site")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "the browser says cross-site");
    let r = b
        .post_raw(
            "/login",
            form(&token),
            &[urlencoded, ("origin", "https://portal.test"), ("sec-fetch-site", "same-origin")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the same request from the portal itself works");

    // The anonymous token is stale once logged in.
    let r = b.post_raw("/logout", format!("csrf_token={token}"), &[urlencoded]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a stale token");
}

#[tokio::test]
async fn a_disabled_account_cannot_log_in_and_its_sessions_end() {
    let app = TestApp::spawn().await;
    let id = app.create_user("2026100012", "褚同学").await;
    let mut b = app.browser();
    b.login("2026100012", PASSWORD).await;
    assert_eq!(b.get("/me").await.status, StatusCode::OK);
    union_portal::accounts::create_account(&app.state, "2026000001", "管理员", PASSWORD, "", "", false).await.unwrap();
    app.grant_union("2026000001", "admin").await;
    let admin_id: i64 = sqlx::query_scalar("select user_id from app_user where student_no = '2026000001'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let mut admin = app.browser_signed_in(admin_id).await;
    assert_eq!(admin.post_form(&format!("/admin/users/{id}/disable"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(b.get("/me").await.status, StatusCode::SEE_OTHER, "the session ended");
    assert_eq!(app.browser().login("2026100012", PASSWORD).await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    b.post_form("/register", &register_form("2026100013", "卫同学", PASSWORD, PASSWORD)).await;
    let hash: String = sqlx::query_scalar("select password_hash from app_user where student_no = '2026100013'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
}

#[tokio::test]
async fn an_idle_session_and_a_too_old_session_both_end() {
    let app = TestApp::spawn().await;
    let id = app.create_user("2026100014", "蒋同学").await;
    let mut idle = app.browser_signed_in(id).await;
    let mut old = app.browser_signed_in(id).await;
    assert_eq!(idle.get("/me").await.status, StatusCode::OK);
    let hash = |b: &crate::helpers::Browser| union_portal::web::session::hash_token(&b.jar["portal_session"]);
    sqlx::query("update user_session set last_seen_at = now() - interval '13 hours' where session_hash = $1")
        .bind(hash(&idle))
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("update user_session set created_at = now() - interval '31 days' where session_hash = $1")
        .bind(hash(&old))
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(idle.get("/me").await.status, StatusCode::SEE_OTHER, "idle for longer than 12 hours");
    assert_eq!(old.get("/me").await.status, StatusCode::SEE_OTHER, "older than 30 days, however active");
}

#[tokio::test]
async fn the_admins_user_search_takes_percent_and_underscore_literally() {
    let app = TestApp::spawn().await;
    app.create_user("2026410001", "甲同学").await;
    app.create_user("2026420002", "乙同学").await;
    let admin_id = app.create_user("2026000001", "管理员").await;
    app.grant_union("2026000001", "admin").await;
    let mut admin = app.browser_signed_in(admin_id).await;
    let listed = |body: &str| -> Vec<&'static str> {
        ["2026410001", "2026420002", "2026000001"].into_iter().filter(|no| body.contains(no)).collect()
    };
    let page = admin.get("/admin/users?q=20264").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(listed(&page.body), ["2026410001", "2026420002"], "a plain prefix still finds");
    // Before the escape, `%` listed every account and `_` stood for any one digit.
    for (q, what) in [("%25", "%"), ("2026_", "2026_"), ("2026_1", "2026_1"), ("%2541", "%41"), ("%5C", "\\")] {
        let page = admin.get(&format!("/admin/users?q={q}")).await;
        assert_eq!(page.status, StatusCode::OK, "{what}");
        assert!(listed(&page.body).is_empty(), "{what} matched {:?}", listed(&page.body));
    }
}

/// The mails an address was sent: (subject, body), oldest first.
/// The mails to `to`, once there are `count` of them (a reset link and its mail are made after
/// the answer, so they may come a moment later), or what there is after five seconds.
async fn mails_to(app: &TestApp, to: &str, count: usize) -> Vec<(String, String)> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let mails: Vec<(String, String)> =
            sqlx::query_as("select subject, body from mail_outbox where to_address = $1 order by mail_id")
                .bind(to)
                .fetch_all(&app.db)
                .await
                .unwrap();
        if mails.len() >= count || std::time::Instant::now() > deadline {
            return mails;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn mail_follows_the_language_each_student_chose() {
    let app = TestApp::spawn().await;
    // One registers with the page in English, one in Chinese; a third switches to English once logged in.
    let mut en = app.browser();
    en.jar.insert("lang".into(), "en".into());
    let mut zh = app.browser();
    for (b, no, email) in
        [(&mut en, "2026500001", "en@stu.example.edu.cn"), (&mut zh, "2026500002", "zh@stu.example.edu.cn")]
    {
        let mut form = register_form(no, "语言同学", PASSWORD, PASSWORD);
        form.retain(|(k, _)| *k != "email");
        form.push(("email", email));
        assert_eq!(b.post_form("/register", &form).await.status, StatusCode::SEE_OTHER);
    }
    let switcher = app.create_user("2026500003", "切换同学").await;
    let mut sw = app.browser_signed_in(switcher).await;
    assert_eq!(sw.post_form("/lang", &[("lang", "en"), ("next", "/me")]).await.status, StatusCode::SEE_OTHER);
    let switched = "2026500003@stu.example.edu.cn";

    // A notification mail: each lost a cup, the desk registers one.
    let officer = app.create_user("2026500009", "权益部员").await;
    app.grant("2026500009", "rights", "member").await;
    let today = union_portal::web::forms::today().to_string();
    let report = [("category", "other"), ("what", "蓝色保温杯"), ("place", "图书馆"), ("lost_on", today.as_str())];
    for no in ["2026500001", "2026500002", "2026500003"] {
        let mut b = app.browser();
        assert_eq!(b.login(no, PASSWORD).await.status, StatusCode::SEE_OTHER, "{no}");
        assert_eq!(b.post_form("/lost-found/lost/new", &report).await.status, StatusCode::SEE_OTHER);
    }
    let point: i64 = sqlx::query_scalar("select point_id from collection_point where name_zh = '北区图书馆'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let point = point.to_string();
    let mut desk = app.browser_signed_in(officer).await;
    let item = [
        ("point", point.as_str()),
        ("category", "other"),
        ("description", "保温杯"),
        ("colour", "蓝色"),
        ("found_place", "北区图书馆"),
        ("found_on", today.as_str()),
    ];
    assert_eq!(desk.post_multipart("/d/rights/lost-found/items", &item, &[]).await.status, StatusCode::SEE_OTHER);
    // And a reset mail.
    for (i, no) in ["2026500001", "2026500002", "2026500003"].into_iter().enumerate() {
        let mut b = app.browser();
        b.ip = format!("192.0.2.{}", 60 + i);
        b.get("/password-reset").await;
        assert_eq!(b.post_form("/password-reset", &[("student_no", no)]).await.status, StatusCode::SEE_OTHER);
    }
    let english = ["A found item may be your “蓝色保温杯”", "Student union portal: choose a new password"];
    let chinese = ["有一件拾获物品可能是你丢失的“蓝色保温杯”", "学生会"];
    for (to, want, not) in [
        ("en@stu.example.edu.cn", english, chinese),
        (switched, english, chinese),
        ("zh@stu.example.edu.cn", chinese, english),
    ] {
        let mails = mails_to(&app, to, 2).await;
        assert_eq!(mails.len(), 2, "{to}: {mails:?}");
        assert_eq!(mails[0].1, want[0], "{to}: the notification");
        assert!(mails[1].0.contains(want[1]) && !mails[1].0.contains(not[1]), "{to}: the reset mail {:?}", mails[1]);
    }
}
