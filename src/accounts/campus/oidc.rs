//! OpenID Connect as a relying party, with the `openidconnect` crate: discovery of the school's
//! provider, the authorization code flow with PKCE (S256), `state` and `nonce` checked, and the ID
//! token verified (signature against the provider's keys, issuer, audience, expiry, nonce) before
//! any claim is read. Which claim holds the student number, the name, the college and the mail is
//! configuration (`OidcConfig`).

use base64::Engine;
use openidconnect::{
    core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata},
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl,
    Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};

use super::cas::{CampusPerson, Refusal};
use crate::config::OidcConfig;

type Client =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// A sign-in about to leave for the provider: where to send the browser, and what it must bring back.
pub struct Start {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// What the callback checks the provider's answer against (kept server-side, used once).
pub struct Pending {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

fn unreadable(what: &'static str) -> impl Fn(String) -> Refusal {
    move |detail| {
        tracing::warn!(what, detail, "oidc: refused");
        Refusal::Unreadable
    }
}

async fn client(http: &reqwest::Client, config: &OidcConfig, redirect_uri: &str) -> Result<Client, Refusal> {
    let issuer = IssuerUrl::new(config.issuer.clone()).map_err(|e| unreadable("issuer")(e.to_string()))?;
    let metadata =
        CoreProviderMetadata::discover_async(issuer, http).await.map_err(|e| unreadable("discovery")(e.to_string()))?;
    let secret = config.client_secret.clone().map(ClientSecret::new);
    let redirect = RedirectUrl::new(redirect_uri.to_string()).map_err(|e| unreadable("redirect")(e.to_string()))?;
    Ok(CoreClient::from_provider_metadata(metadata, ClientId::new(config.client_id.clone()), secret)
        .set_redirect_uri(redirect))
}

/// The provider's authorization URL for a new sign-in, with a fresh state, nonce and PKCE challenge.
pub async fn start(http: &reqwest::Client, config: &OidcConfig, redirect_uri: &str) -> Result<Start, Refusal> {
    let client = client(http, config, redirect_uri).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("profile".into()))
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    Ok(Start {
        url: url.to_string(),
        state: state.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
    })
}

/// Exchange the code (with the PKCE verifier) and verify the ID token; then read the person from
/// its claims. The caller has already checked `state`.
pub async fn finish(
    http: &reqwest::Client,
    config: &OidcConfig,
    redirect_uri: &str,
    code: &str,
    pending: Pending,
) -> Result<CampusPerson, Refusal> {
    let client = client(http, config, redirect_uri).await?;
    let request = client
        .exchange_code(AuthorizationCode::new(code.to_string()))
        .map_err(|e| unreadable("token")(e.to_string()))?;
    let tokens = request
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier))
        .request_async(http)
        .await
        .map_err(|e| unreadable("code exchange")(e.to_string()))?;
    let id_token = tokens.id_token().ok_or_else(|| unreadable("id token")("missing".into()))?;
    let verifier = client.id_token_verifier();
    id_token.claims(&verifier, &Nonce::new(pending.nonce)).map_err(|e| unreadable("id token")(e.to_string()))?;
    // Verified: signature, issuer, audience, expiry and nonce. Now its payload can be read,
    // including the school's own claims (学号, 学院) the core claims type does not name.
    let claims = payload(&id_token.to_string()).ok_or_else(|| unreadable("id token payload")(String::new()))?;
    person_of(config, &claims)
}

fn payload(jwt: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let part = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).ok()?;
    serde_json::from_slice(&bytes).ok()
}

pub fn person_of(
    config: &OidcConfig,
    claims: &serde_json::Map<String, serde_json::Value>,
) -> Result<CampusPerson, Refusal> {
    let claim = |name: &str| match claims.get(name) {
        Some(serde_json::Value::String(s)) => s.trim().to_string(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let student_no = claim(&config.number_claim);
    if student_no.is_empty() {
        return Err(Refusal::NoNumber);
    }
    Ok(CampusPerson {
        student_no,
        name: claim(&config.name_claim),
        college: claim(&config.college_claim),
        email: claim(&config.email_claim),
    })
}
