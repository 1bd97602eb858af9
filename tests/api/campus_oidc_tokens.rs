//! ID tokens a real provider would never issue, from a hostile one: the portal must verify the
//! token before it believes a word of it. The hostile provider here serves real discovery, keys
//! and a token endpoint; its ID tokens are signed with another key than the one it publishes, or
//! expired, or carry another sign-in's nonce, or — the control — well made (then the sign-in works, so the refusals prove the checks).

use std::sync::{Arc, Mutex};

use axum::{
    extract::State,
    routing::{get, post},
    Json, Router,
};
use chrono::{Duration, Utc};
use openidconnect::{
    core::{CoreIdToken, CoreIdTokenClaims, CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey},
    Audience, EmptyAdditionalClaims, IssuerUrl, JsonWebKeyId, Nonce, PrivateSigningKey, StandardClaims,
    SubjectIdentifier,
};
use serde_json::json;
use union_portal::config::OidcConfig;

use crate::helpers::*;

fn rsa_key(kid: &str) -> CoreRsaPrivateSigningKey {
    let out = std::process::Command::new("openssl")
        .args(["genrsa", "-traditional", "2048"])
        .output()
        .expect("openssl genrsa");
    let pem = String::from_utf8(out.stdout).expect("pem");
    CoreRsaPrivateSigningKey::from_pem(&pem, Some(JsonWebKeyId::new(kid.into()))).expect("an RSA key")
}

#[derive(Clone, Copy, PartialEq)]
enum Token {
    WellMade,
    OtherKey,
    Expired,
    WrongNonce,
}

#[derive(Clone)]
struct Hostile {
    issuer: String,
    published: Arc<CoreRsaPrivateSigningKey>,
    other: Arc<CoreRsaPrivateSigningKey>,
    /// The nonce of the sign-in under way (read from the authorization URL) and the token to issue.
    next: Arc<Mutex<(String, Token)>>,
}

async fn discovery(State(h): State<Hostile>) -> Json<serde_json::Value> {
    Json(json!({
        "issuer": h.issuer, "authorization_endpoint": format!("{}/authorize", h.issuer),
        "token_endpoint": format!("{}/token", h.issuer), "jwks_uri": format!("{}/jwks", h.issuer),
        "response_types_supported": ["code"], "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }))
}

async fn jwks(State(h): State<Hostile>) -> Json<serde_json::Value> {
    Json(json!({ "keys": [h.published.as_verification_key()] }))
}

async fn token(State(h): State<Hostile>) -> Json<serde_json::Value> {
    let (nonce, kind) = h.next.lock().expect("lock").clone();
    let now = Utc::now();
    let (issued, expires) = if kind == Token::Expired {
        (now - Duration::hours(2), now - Duration::hours(1))
    } else {
        (now, now + Duration::minutes(5))
    };
    let claims = CoreIdTokenClaims::new(
        IssuerUrl::new(h.issuer.clone()).expect("issuer"),
        vec![Audience::new("union-portal".into())],
        expires,
        issued,
        StandardClaims::new(SubjectIdentifier::new("2024010001".into())),
        EmptyAdditionalClaims {},
    )
    .set_nonce(Some(Nonce::new(if kind == Token::WrongNonce { "another sign-in's nonce".into() } else { nonce })));
    let key = if kind == Token::OtherKey { &h.other } else { &h.published };
    let id_token = CoreIdToken::new(claims, key.as_ref(), CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256, None, None)
        .expect("signed");
    Json(json!({ "access_token": "a", "token_type": "Bearer", "expires_in": 300, "id_token": id_token.to_string() }))
}

#[tokio::test]
async fn an_id_token_signed_with_another_key_expired_or_with_another_nonce_is_refused_and_a_well_made_one_is_not() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("listen");
    let issuer = format!("http://{}", listener.local_addr().expect("addr"));
    let hostile = Hostile {
        issuer: issuer.clone(),
        published: Arc::new(rsa_key("published")),
        other: Arc::new(rsa_key("published")),
        next: Arc::new(Mutex::new((String::new(), Token::WellMade))),
    };
    let provider = Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(jwks))
        .route("/token", post(token))
        .with_state(hostile.clone());
    tokio::spawn(async move { axum::serve(listener, provider).await });
    let app = TestApp::spawn_with(move |c| {
        c.public_url = Some(OIDC_PORTAL.into());
        c.oidc = Some(OidcConfig {
            issuer,
            client_id: "union-portal".into(),
            client_secret: Some("s".into()),
            number_claim: "sub".into(),
            name_claim: "name".into(),
            college_claim: "college".into(),
            email_claim: "email".into(),
        });
    })
    .await;

    let cases =
        [(Token::OtherKey, false), (Token::Expired, false), (Token::WrongNonce, false), (Token::WellMade, true)];
    for (kind, signed_in) in cases {
        let mut b = app.browser();
        let out = b.get("/auth/oidc/login?next=%2Fme").await;
        let authorize = out.location().expect("to the provider").to_string();
        let param = |name: &str| {
            // Random base64url values: nothing to decode.
            authorize.split(&format!("{name}=")).nth(1).expect(name).split('&').next().expect(name).to_string()
        };
        *hostile.next.lock().expect("lock") = (param("nonce"), kind);
        let r = b.get(&format!("/auth/oidc/callback?code=c&state={}", param("state"))).await;
        assert_eq!(r.status.is_redirection(), signed_in, "{}", r.status);
        assert_eq!(b.get("/me").await.status.is_success(), signed_in);
    }
}
