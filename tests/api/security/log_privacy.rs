//! Nothing sensitive in the logs. The real binary, logging everything at debug level
//! (what an operator turns on to chase a problem), serves a whole journey: a student
//! registers, mistypes and then types their password, files an anonymous complaint
//! with a photo, changes their password and asks for a reset link; a handler works
//! the complaint. Its output then names none of the secrets: no password, no session
//! or CSRF token, no reset link, and nothing that identifies the anonymous reporter.

use std::time::Duration;

use axum::http::StatusCode;

use crate::helpers::{png, HttpBrowser, PortalProcess, TestApp};

const STUDENT_NO: &str = "2026700001";
const NAME: &str = "匿名投诉的秘密同学";
const EMAIL: &str = "secret.reporter@stu.example.edu.cn";
const PASSWORD: &str = "Correct-Horse-Battery-9";
const MISTYPED: &str = "Correct-Horse-Battery-8";
const NEW_PASSWORD: &str = "Another-Long-Passphrase-7";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_journey_logged_at_debug_names_no_secret_and_not_the_anonymous_reporter() {
    let app = TestApp::spawn().await;
    let handler_id = app.create_user("2026700002", "权益部干事").await;
    app.grant("2026700002", "rights", "member").await;
    let mut portal = PortalProcess::start(&app.db_url, &[("RUST_LOG", "debug")]).await;

    let mut student = HttpBrowser::new(&portal.url);
    student.get("/register").await;
    let r = student
        .post_form(
            "/register",
            &[
                ("student_no", STUDENT_NO),
                ("name", NAME),
                ("college", "法学院"),
                ("email", EMAIL),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "registered: {}", r.body);

    let mut phone = HttpBrowser::new(&portal.url);
    phone.get("/login").await;
    let r = phone.post_form("/login", &[("student_no", STUDENT_NO), ("password", MISTYPED), ("next", "/")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "the mistyped password is refused");
    let r = phone.post_form("/login", &[("student_no", STUDENT_NO), ("password", PASSWORD), ("next", "/")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "logged in");
    phone.get("/complaints/new").await;
    let fields = [
        ("category", "teaching"),
        ("title", "辅导员要求周末义务加班"),
        ("location", "文科楼 204"),
        ("description", "连续三个周末被要求到办公室整理材料，不去就扣综测分。"),
        ("visibility", "public"),
        ("anonymous", "on"),
    ];
    let r = phone.post_multipart("/complaints/new", &fields, &[("photos", "notice.png", &png())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "filed: {}", r.body);
    let tracking_no = r.location().expect("filed").trim_start_matches("/complaints/").to_string();

    let session = union_portal::web::session::insert_session(&app.db, handler_id).await.expect("session");
    let mut handler = HttpBrowser::signed_in(&portal.url, &session);
    assert_eq!(handler.get("/d/rights/complaints").await.status, StatusCode::OK);
    let staff_page = format!("/d/rights/complaints/{tracking_no}");
    assert_eq!(handler.get(&staff_page).await.status, StatusCode::OK);
    let r = handler.post_form(&format!("{staff_page}/reply"), &[("body", "已转教务处核实，请耐心等待。")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "replied: {}", r.body);
    let r = handler.post_form(&format!("{staff_page}/note"), &[("body", "学院那边先别透露投诉人")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "noted: {}", r.body);
    assert_eq!(phone.get(&format!("/complaints/{tracking_no}")).await.status, StatusCode::OK);

    phone.get("/account/password").await;
    let change = [("current_password", PASSWORD), ("new_password", NEW_PASSWORD), ("password_confirm", NEW_PASSWORD)];
    assert_eq!(phone.post_form("/account/password", &change).await.status, StatusCode::SEE_OTHER);
    let mut forgetful = HttpBrowser::new(&portal.url);
    forgetful.get("/password-reset").await;
    forgetful.post_form("/password-reset", &[("student_no", STUDENT_NO)]).await;
    // The reset link and its mail are made just after the answer, and the development outbox
    // writes mails to the log every 5 s: wait until the link exists and every mail is written.
    for _ in 0..100 {
        let (links, waiting): (i64, i64) = sqlx::query_as(
            "select (select count(*) from password_reset), (select count(*) from mail_outbox where sent_at is null)",
        )
        .fetch_one(&app.db)
        .await
        .expect("outbox");
        if links > 0 && waiting == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    portal.terminate();
    assert!(portal.wait_exit(Duration::from_secs(30)).await.is_some(), "the portal exits, its log flushed");
    let log = portal.output();

    // The log really is the journey's, at debug level.
    for expected in
        ["account registered", "login failed", "login succeeded", "complaint filed", "mail (development outbox)"]
    {
        assert!(log.contains(expected), "the log has {expected:?}:\n{log}");
    }
    let reporter_id = app.user_id(STUDENT_NO).await.to_string();
    let mut secrets = vec![
        ("a password", PASSWORD.to_string()),
        ("a mistyped password", MISTYPED.to_string()),
        ("the new password", NEW_PASSWORD.to_string()),
        ("the reporter's student number", STUDENT_NO.to_string()),
        ("the reporter's name", NAME.to_string()),
        ("the reporter's e-mail address", EMAIL.to_string()),
        ("the handler's session", session.token.clone()),
        ("the handler's CSRF token", session.csrf_token.clone()),
        ("a reset link", "password-reset/choose".to_string()),
    ];
    for browser in [&student, &phone, &forgetful] {
        let tokens = browser.jar.iter().filter(|(name, _)| name.contains("session") || name.contains("csrf"));
        secrets.extend(tokens.map(|(_, value)| ("a session or CSRF cookie", value.clone())));
        secrets.extend(browser.csrf.iter().map(|t| ("a CSRF token", t.clone())));
    }
    for (what, secret) in &secrets {
        assert!(!log.contains(secret.as_str()), "the log shows {what} ({secret}):\n{log}");
    }
    // The anonymous complaint's own lines (its filing, its tracking number) do not say who filed it.
    let reporter = format!("user_id={reporter_id}");
    for line in log.lines().filter(|l| l.contains("/complaints/new") || l.contains(tracking_no.as_str())) {
        assert!(!line.contains(&reporter), "a line about the anonymous complaint names its reporter: {line}");
    }
}

/// An office invitation's token is its path (`/offices/invites/{token}`): the access log, the
/// CSRF refusal and the development outbox write the path with the token replaced, never the token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_office_invitation_token_in_a_path_never_reaches_the_log() {
    let app = TestApp::spawn().await;
    let presidium = app.create_user("2026700011", "主席").await;
    app.grant_union("2026700011", "presidium").await;
    let invitee = app.create_user("T19700012", "后勤处王老师").await;
    let office: i64 = sqlx::query_scalar("select office_id from school_office where name_zh = '后勤处'")
        .fetch_one(&app.db)
        .await
        .expect("后勤处");
    let mut portal = PortalProcess::start(&app.db_url, &[("RUST_LOG", "debug")]).await;

    let session = union_portal::web::session::insert_session(&app.db, presidium).await.expect("session");
    let mut presidium = HttpBrowser::signed_in(&portal.url, &session);
    let r = presidium
        .post_form(&format!("/presidium/offices/{office}/invites"), &[("email", "wang@hq.example.edu.cn")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "invited: {}", r.body);
    // A second invitation whose token the test knows: opened, refused without CSRF, accepted.
    let token = union_portal::web::session::random_token();
    sqlx::query(
        "insert into office_invite (office_id, email, token_hash, expires_at) values ($1, 'li@hq.example.edu.cn', $2, now() + interval '1 day')",
    )
    .bind(office)
    .bind(union_portal::web::session::hash_token(&token))
    .execute(&app.db)
    .await
    .expect("an invitation");
    let link = format!("/offices/invites/{token}");
    assert_eq!(HttpBrowser::new(&portal.url).get(&link).await.status, StatusCode::OK);
    let session = union_portal::web::session::insert_session(&app.db, invitee).await.expect("session");
    let mut forged = HttpBrowser::signed_in(&portal.url, &session);
    forged.csrf = Some("not-the-token".into());
    assert_eq!(forged.post_form(&format!("{link}/accept"), &[]).await.status, StatusCode::FORBIDDEN);
    let mut invitee = HttpBrowser::signed_in(&portal.url, &session);
    assert_eq!(invitee.get(&link).await.status, StatusCode::OK);
    assert_eq!(invitee.post_form(&format!("{link}/accept"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(invitee.get(&link).await.status, StatusCode::GONE);
    for _ in 0..100 {
        if app.scalar("select count(*) from mail_outbox where sent_at is null").await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    portal.terminate();
    assert!(portal.wait_exit(Duration::from_secs(30)).await.is_some(), "the portal exits, its log flushed");
    let log = portal.output();

    assert!(log.contains("/offices/invites/(token)/accept"), "the requests are logged, redacted:\n{log}");
    assert!(log.contains("csrf: missing or wrong token"), "the forged POST was refused and logged");
    assert!(log.contains("(secret link, not logged)"), "the invitation mail was written without its link");
    assert!(!log.contains(&token), "the token is in the log:\n{log}");
    for (i, _) in log.match_indices("/offices/invites/") {
        assert!(
            log[i..].starts_with("/offices/invites/(token)"),
            "a token in the log: {}",
            &log[i..(i + 60).min(log.len())]
        );
    }
}
