//! Campus sign-in through the school's OpenID provider (a real one: node-oidc-provider, started
//! by the harness on loopback): discovery, the authorization code with PKCE, state and nonce,
//! the ID token verified, and every way a sign-in that is not this browser's own is refused.

use axum::http::StatusCode;
use union_portal::config::OidcConfig;

use crate::helpers::*;

async fn oidc_portal() -> TestApp {
    let op = oidc_provider();
    TestApp::spawn_with(move |c| {
        // As served: anonymous pages shared for two seconds.
        c.page_cache = std::time::Duration::from_secs(2);
        c.public_url = Some(OIDC_PORTAL.into());
        c.oidc = Some(OidcConfig {
            issuer: op.issuer.clone(),
            client_id: "union-portal".into(),
            client_secret: Some(OIDC_SECRET.into()),
            number_claim: "student_no".into(),
            name_claim: "name".into(),
            college_claim: "college".into(),
            email_claim: "email".into(),
        });
    })
    .await
}

/// The portal sends the browser to the provider; returns where the provider sends it back.
async fn to_provider_and_back(b: &mut Browser, next: &str, login: &str) -> String {
    let out = b.get(&format!("/auth/oidc/login?next={}", union_portal::web::forms::url_encode(next))).await;
    assert!(out.status.is_redirection(), "{}: {}", out.status, out.body);
    let authorize = out.location().expect("to the provider").to_string();
    assert!(authorize.starts_with(&oidc_provider().issuer), "{authorize}");
    assert!(authorize.contains("code_challenge_method=S256") && authorize.contains("nonce="), "PKCE and a nonce");
    let back = sign_in_at_provider(&authorize, login).await;
    back.strip_prefix(OIDC_PORTAL).expect("back to the portal").to_string()
}

fn refused(r: &TestResponse) -> bool {
    r.status == StatusCode::FORBIDDEN && r.body.contains("id=\"login-message\"")
}

#[tokio::test]
async fn the_first_openid_sign_in_makes_a_verified_account_from_the_claims_and_the_next_reuses_it() {
    let app = oidc_portal().await;
    let mut b = app.browser();
    assert!(b.get("/login").await.body.contains("id=\"oidc-sign-in\""));
    let back = to_provider_and_back(&mut b, "/me", "2024010002").await;
    let r = b.get(&back).await;
    assert_eq!(r.location(), Some("/me"), "{}: {}", r.status, r.body);
    let me = b.get("/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert!(me.body.contains("高远"), "the name comes from the ID token");
    let row: (String, String, String) =
        sqlx::query_as("select college, identity_source, verified_by from app_user where student_no = '2024010002'")
            .fetch_one(&app.db)
            .await
            .expect("the account");
    assert_eq!(row, ("机械工程学院".into(), "oidc".into(), "oidc".into()));

    let mut other = app.browser();
    let back = to_provider_and_back(&mut other, "https://evil.example/", "2024010002").await;
    assert_eq!(other.get(&back).await.location(), Some("/"), "next never leaves the portal");
    assert_eq!(app.scalar("select count(*) from app_user where student_no like '2024010002%'").await, 1);
}

#[tokio::test]
async fn a_wrong_state_a_code_for_another_browser_and_a_used_code_are_refused_with_no_session() {
    let app = oidc_portal().await;

    // The state the provider sends back must be the one this browser's sign-in was given.
    let mut b = app.browser();
    let back = to_provider_and_back(&mut b, "/me", "2024010003").await;
    let forged = back.replace("state=", "state=x");
    assert!(refused(&b.get(&forged).await), "a wrong state");
    assert!(b.get("/me").await.status.is_redirection(), "no session");
    // The sign-in under way was used up by that attempt: the right state does not help now.
    assert!(refused(&b.get(&back).await), "a sign-in is checked once");

    // A code and state delivered to a browser that did not start the sign-in (login CSRF).
    let mut starter = app.browser();
    let back = to_provider_and_back(&mut starter, "/me", "2024010003").await;
    let mut victim = app.browser();
    assert!(refused(&victim.get(&back).await), "another browser's code");
    assert!(victim.get("/me").await.status.is_redirection());

    // A code from one sign-in brought to another sign-in of the same browser: the provider
    // refuses it (PKCE binds it to its own sign-in, the nonce the ID token carries too).
    let mut c = app.browser();
    let first = to_provider_and_back(&mut c, "/me", "2024010003").await;
    let second_start = c.get("/auth/oidc/login?next=%2Fme").await;
    let second_state = second_start
        .location()
        .and_then(|l| l.split("state=").nth(1))
        .map(|s| s.split('&').next().unwrap_or_default().to_string())
        .expect("a state");
    let code = first.split("code=").nth(1).and_then(|s| s.split('&').next()).expect("a code");
    let mixed = format!("/auth/oidc/callback?code={code}&state={second_state}");
    assert!(refused(&c.get(&mixed).await), "a code of another sign-in");
    assert!(c.get("/me").await.status.is_redirection());
}

#[tokio::test]
async fn without_an_openid_provider_configured_there_is_no_openid_sign_in() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    assert!(!b.get("/login").await.body.contains("oidc-sign-in"));
    assert_eq!(b.get("/auth/oidc/login?next=%2F").await.status, StatusCode::NOT_FOUND);
    assert_eq!(b.get("/auth/oidc/callback?code=x&state=y").await.status, StatusCode::NOT_FOUND);
}
