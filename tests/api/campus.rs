//! Campus sign-in (统一身份认证) against a real CAS 3.0 server (django-cas-server, started by
//! the harness on loopback): the portal's redirects, the CAS server's login form, the ticket's
//! validation, taking a squatted number back, refusals, and single logout.

use std::time::Duration;

use axum::http::StatusCode;
use union_portal::config::CasConfig;

use crate::helpers::*;

/// The portal serving on a real port (the CAS server posts single-logout requests to it),
/// configured for the test CAS server, which sends the student number as `studentNo`.
pub(crate) async fn campus_portal() -> (TestApp, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("listen");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let cas = cas_server();
    let public = base.clone();
    let app = TestApp::spawn_with(move |c| {
        // As served: anonymous pages shared for two seconds (a shared page's query is trimmed).
        c.page_cache = Duration::from_secs(2);
        c.public_url = Some(public);
        c.cas = Some(CasConfig {
            server: cas.url.clone(),
            number_attr: Some("studentNo".into()),
            name_attr: "cn".into(),
            college_attr: "college".into(),
            email_attr: "mail".into(),
        });
    })
    .await;
    let router = app.router.clone();
    tokio::spawn(union_portal::app::serve(listener, router, Duration::from_secs(1), std::future::pending()));
    (app, base)
}

/// Through the real redirects: the portal sends the browser to the CAS server, the student signs
/// in there, and the browser comes back with a ticket. Returns the portal's answer and the visit.
pub(crate) async fn sign_in(b: &mut Browser, base: &str, next: &str, who: (&str, &str)) -> (TestResponse, CasVisit) {
    let out = b.get(&format!("/auth/cas/login?next={}", union_portal::web::forms::url_encode(next))).await;
    assert!(out.status.is_redirection(), "{}", out.status);
    let login_url = out.location().expect("to the CAS server").to_string();
    assert!(login_url.starts_with(&cas_server().url), "{login_url}");
    let visit = sign_in_at_cas(&login_url, who.0, who.1).await;
    let back = visit.back.strip_prefix(base).unwrap_or_else(|| panic!("back to the portal: {}", visit.back));
    assert!(back.contains("ticket=ST-"), "{back}");
    (b.get(back).await, visit)
}

const LIN: (&str, &str) = ("2024010001", "campus-pass-1");
const GAO: (&str, &str) = ("2024010002", "campus-pass-2");
const SUN: (&str, &str) = ("2024010003", "campus-pass-3");

#[tokio::test]
async fn the_first_campus_sign_in_makes_a_verified_account_from_the_attributes_and_the_next_reuses_it() {
    let (app, base) = campus_portal().await;
    let mut b = app.browser();
    let login_page = b.get("/login").await;
    assert!(login_page.body.contains("id=\"campus-sign-in\""), "the login page offers campus sign-in");
    let before = b.jar.get("portal_session").cloned();

    let (back, _) = sign_in(&mut b, &base, "/me", LIN).await;
    assert_eq!(back.location(), Some("/me"));
    assert_ne!(b.jar.get("portal_session").cloned(), before, "a new session id at sign-in");
    let me = b.get("/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert!(me.body.contains("林晓雨"), "the name comes from the CAS attributes");
    let row: (String, String, String, String) = sqlx::query_as(
        "select college, email, identity_source, verified_by from app_user where student_no = '2024010001'",
    )
    .fetch_one(&app.db)
    .await
    .expect("the account");
    assert_eq!(row, ("外国语学院".into(), "2024010001@stu.example.edu.cn".into(), "cas".into(), "cas".into()));

    // A second sign-in, from another browser: the same account, and `next` stays on the portal.
    let mut other = app.browser();
    let (back, _) = sign_in(&mut other, &base, "https://evil.example/", LIN).await;
    assert_eq!(back.location(), Some("/"), "next never leaves the portal");
    assert_eq!(app.scalar("select count(*) from app_user where student_no like '2024010001%'").await, 1);
    assert_eq!(other.get("/me").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_number_registered_by_someone_else_is_taken_back_and_nothing_of_theirs_moves() {
    let (app, base) = campus_portal().await;
    let admin = app.create_user("2020000001", "管理员").await;
    app.grant_union("2020000001", "admin").await;
    // The squatter registered the real student's number (an account nobody vouched for) and filed.
    let squatter = app.create_user(GAO.0, "冒名者").await;
    sqlx::query("update app_user set verified_by = null, verified_at = null where user_id = $1")
        .bind(squatter)
        .execute(&app.db)
        .await
        .expect("unverified");
    let mut squatter_browser = app.browser_signed_in(squatter).await;
    app.complaint().title("冒名者的投诉").by(&mut squatter_browser).file().await;

    let mut b = app.browser();
    let (back, _) = sign_in(&mut b, &base, "/me", GAO).await;
    assert_eq!(back.location(), Some("/me"));
    let me = b.get("/me").await;
    assert!(me.body.contains("高远") && !me.body.contains("冒名者的投诉"), "a fresh account: nothing moves");

    let renamed: (String, bool) =
        sqlx::query_as("select student_no, disabled_at is not null from app_user where user_id = $1")
            .bind(squatter)
            .fetch_one(&app.db)
            .await
            .expect("squatter");
    assert_eq!(renamed, (format!("{}~{squatter}", GAO.0), true), "disabled and renamed aside");
    let real = app.user_id(GAO.0).await;
    assert_ne!(real, squatter);
    let theirs: i64 = sqlx::query_scalar("select count(*) from complaint where reporter_id = $1")
        .bind(real)
        .fetch_one(&app.db)
        .await
        .expect("count");
    assert_eq!(theirs, 0, "the squatter's complaint stays the squatter's");
    assert!(squatter_browser.get("/me").await.status.is_redirection(), "the squatter's sessions ended");
    assert_eq!(
        app.scalar("select count(*) from audit_log where action = 'user.number_taken_back'").await,
        1,
        "audited"
    );
    let told: i64 = sqlx::query_scalar(
        "select count(*) from notification where user_id = $1 and message_key = 'notify.account.number_taken_back'",
    )
    .bind(admin)
    .fetch_one(&app.db)
    .await
    .expect("count");
    assert_eq!(told, 1, "the administrators are told");
}

#[tokio::test]
async fn forged_replayed_and_other_services_tickets_are_refused_with_no_session() {
    let (app, base) = campus_portal().await;
    let refused = |r: &TestResponse| r.status == StatusCode::FORBIDDEN && r.body.contains("id=\"login-message\"");

    let mut forger = app.browser();
    for ticket in ["ST-made-up-by-the-forger", "not-a-ticket", ""] {
        let r = forger.get(&format!("/auth/cas?next=%2Fme&ticket={ticket}")).await;
        assert!(refused(&r), "{ticket}: {} {}", r.status, r.body);
    }
    assert!(forger.get("/me").await.status.is_redirection(), "no session");

    // A good ticket works once; shown again (replayed) it is refused.
    let mut b = app.browser();
    let (first, visit) = sign_in(&mut b, &base, "/me", SUN).await;
    assert_eq!(first.location(), Some("/me"));
    let mut replayer = app.browser();
    let replay = replayer.get(visit.back.strip_prefix(&base).expect("portal")).await;
    assert!(refused(&replay), "replayed: {}", replay.status);
    assert!(replayer.get("/me").await.status.is_redirection());

    // A ticket issued for another service URL (next=/complaints) is refused where next=/me.
    let other_service = format!("{base}/auth/cas?next=%2Fcomplaints");
    let login = format!("{}/login?service={}", cas_server().url, union_portal::web::forms::url_encode(&other_service));
    let visit = sign_in_at_cas(&login, SUN.0, SUN.1).await;
    let ticket = visit.back.split("ticket=").nth(1).expect("a ticket");
    let mut wrong = app.browser();
    let r = wrong.get(&format!("/auth/cas?next=%2Fme&ticket={ticket}")).await;
    assert!(refused(&r), "wrong service: {}", r.status);
    assert!(wrong.get("/me").await.status.is_redirection());
}

#[tokio::test]
async fn single_logout_from_the_cas_server_ends_the_session_it_started() {
    let (app, base) = campus_portal().await;
    let mut b = app.browser();
    let (_, visit) = sign_in(&mut b, &base, "/me", LIN).await;
    let mut elsewhere = app.browser();
    sign_in(&mut elsewhere, &base, "/me", LIN).await;
    assert_eq!(b.get("/me").await.status, StatusCode::OK);

    // Logging out at the CAS server: it posts a SAML LogoutRequest to the portal's service URL.
    let out = visit.client.get(format!("{}/logout", cas_server().url)).send().await.expect("CAS logout");
    assert!(out.status().is_success() || out.status().is_redirection(), "{}", out.status());
    let mut ended = false;
    for _ in 0..100 {
        if b.get("/me").await.status.is_redirection() {
            ended = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ended, "the session of that CAS login ended");
    assert_eq!(elsewhere.get("/me").await.status, StatusCode::OK, "a session another ticket started stays");
    // Anyone can post to the back channel; a request naming no ticket of ours ends nothing.
    let r = app
        .browser()
        .post_raw("/auth/cas", "logoutRequest=%3Cx%3E".into(), &[("content-type", "application/x-www-form-urlencoded")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(elsewhere.get("/me").await.status, StatusCode::OK);
}

#[tokio::test]
async fn without_a_cas_server_configured_there_is_no_campus_sign_in_and_local_login_can_be_switched_off() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    assert!(!b.get("/login").await.body.contains("campus-sign-in"));
    assert_eq!(b.get("/auth/cas/login?next=%2F").await.status, StatusCode::NOT_FOUND);
    assert_eq!(b.get("/auth/cas?ticket=ST-1").await.status, StatusCode::NOT_FOUND);

    let cas = cas_server();
    let app = TestApp::spawn_with(|c| {
        c.public_url = Some("http://127.0.0.1:9".into());
        c.local_login = false;
        c.cas = Some(CasConfig {
            server: cas.url.clone(),
            number_attr: None,
            name_attr: "cn".into(),
            college_attr: "college".into(),
            email_attr: "mail".into(),
        });
    })
    .await;
    app.create_user("2024019999", "本地用户").await;
    let mut b = app.browser();
    let page = b.get("/login").await;
    assert!(page.body.contains("campus-sign-in") && !page.body.contains("name=\"password\""), "campus only");
    let r = b.login("2024019999", PASSWORD).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "no password login when it is switched off");
}
