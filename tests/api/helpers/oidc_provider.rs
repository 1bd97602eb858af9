//! The school's OpenID provider for the campus sign-in tests: panva/node-oidc-provider (OpenID
//! Certified, tests/servers/oidc), installed by `scripts/lib/oidc.sh` (scripts/test does it),
//! started once per test binary on loopback and ended with it. Its one client, `union-portal`,
//! must use PKCE and may only be sent back to `OIDC_REDIRECT_URI`; its directory has the same
//! three students as the CAS server's.

use std::{
    path::Path,
    process::{Command, Stdio},
    sync::OnceLock,
};

/// The portal as the provider knows it (the tests' portal is in process: nothing listens there).
pub const OIDC_PORTAL: &str = "http://127.0.0.1:9";
pub const OIDC_REDIRECT_URI: &str = "http://127.0.0.1:9/auth/oidc/callback";
pub const OIDC_SECRET: &str = "union-portal-test-secret";

pub struct OidcProvider {
    /// The issuer, e.g. http://127.0.0.1:41235
    pub issuer: String,
}

pub fn oidc_provider() -> &'static OidcProvider {
    static OP: OnceLock<OidcProvider> = OnceLock::new();
    OP.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/servers/oidc");
        assert!(
            dir.join("node_modules/oidc-provider").exists(),
            "the test OpenID provider is not installed: run scripts/test (it installs it)"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let mut command = Command::new("node");
        command
            .arg(dir.join("serve.mjs"))
            .arg(port.to_string())
            .arg(OIDC_REDIRECT_URI)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        super::cas_server::start_for_the_tests(command, port, "the test OpenID provider");
        OidcProvider { issuer: format!("http://127.0.0.1:{port}") }
    })
}

/// A student's browser at the provider: from the authorization URL the portal sent it to, through
/// the provider's login and consent pages, to where the provider sends it back (the portal's
/// redirect URI with `code` and `state`), which is returned.
pub async fn sign_in_at_provider(authorize_url: &str, login: &str) -> String {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let absolute = |location: &str| {
        if location.starts_with("http") {
            location.to_string()
        } else {
            format!("{}{location}", oidc_provider().issuer)
        }
    };
    let mut response = client.get(authorize_url).send().await.expect("authorize");
    for _ in 0..12 {
        if let Some(location) = response.headers().get("location").and_then(|v| v.to_str().ok()) {
            let next = absolute(location);
            if next.starts_with(OIDC_REDIRECT_URI) {
                return next;
            }
            response = client.get(&next).send().await.expect("follow");
            continue;
        }
        let page = response.text().await.expect("page");
        let (action, fields) = {
            let doc = scraper::Html::parse_document(&page);
            let form = doc.select(&scraper::Selector::parse("form").expect("selector")).next();
            let form = form.unwrap_or_else(|| panic!("a form at the provider: {page}"));
            let inputs = scraper::Selector::parse("input").expect("selector");
            let fields: Vec<(String, String)> = form
                .select(&inputs)
                .filter_map(|i| {
                    let name = i.attr("name")?.to_string();
                    let value = match name.as_str() {
                        "login" => login.to_string(),
                        "password" => "any".to_string(),
                        _ => i.attr("value").unwrap_or("").to_string(),
                    };
                    Some((name, value))
                })
                .collect();
            (absolute(form.attr("action").unwrap_or("")), fields)
        };
        response = client.post(&action).form(&fields).send().await.expect("submit");
    }
    panic!("the provider never sent the browser back");
}
