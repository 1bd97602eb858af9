//! The school's CAS server for the campus sign-in tests: django-cas-server, a real CAS 3.0
//! server (tests/servers/cas), installed by `scripts/lib/cas.sh` (scripts/test does it), started
//! once per test binary on loopback and ended with it. Its directory (campus_users.py) has three
//! students, 2024010001–3, whose password is `campus-pass-N`.

use std::{
    net::TcpStream,
    path::Path,
    process::{Command, Stdio},
    sync::OnceLock,
    time::Duration,
};

/// Start a server the tests need and wait until it listens on `port`. It is ended (SIGTERM; the
/// CAS server then removes its files) when the thread that started it ends: a thread of its own
/// that lives as long as the test process.
pub(super) fn start_for_the_tests(mut command: Command, port: u16, what: &'static str) {
    use std::os::unix::process::CommandExt;
    unsafe {
        command.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
            Ok(())
        });
    }
    let (started, ready) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut child = command.spawn().unwrap_or_else(|e| panic!("start {what}: {e}"));
        started.send(()).expect("tell");
        let _ = child.wait();
    });
    ready.recv().expect("started");
    for _ in 0..400 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what} did not start on port {port}");
}

use axum::http::header;

pub struct CasServer {
    /// e.g. http://127.0.0.1:41234/cas
    pub url: String,
}

pub fn cas_server() -> &'static CasServer {
    static CAS: OnceLock<CasServer> = OnceLock::new();
    CAS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/servers/cas");
        let python = dir.join(".venv/bin/python");
        assert!(python.exists(), "the test CAS server is not installed: run scripts/test (it installs it)");
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let mut command = Command::new(python);
        command
            .arg(dir.join("serve.py"))
            .arg(port.to_string())
            .arg(r"^http://127\.0\.0\.1:\d+/auth/cas(\?.*)?$")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        start_for_the_tests(command, port, "the test CAS server");
        CasServer { url: format!("http://127.0.0.1:{port}/cas") }
    })
}

/// A student's browser at the CAS server: its own cookies there.
pub struct CasVisit {
    pub client: reqwest::Client,
    /// Where the CAS server sends the browser back: the service URL with `ticket=ST-…`.
    pub back: String,
}

/// Sign in at the CAS server the way a browser does: open the login page the portal sent the
/// browser to, fill in the form (its hidden fields as the page gives them) and follow nothing.
pub async fn sign_in_at_cas(login_url: &str, username: &str, password: &str) -> CasVisit {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let page = client.get(login_url).send().await.expect("CAS login page").text().await.expect("body");
    let mut fields: Vec<(String, String)> = {
        let doc = scraper::Html::parse_document(&page);
        let hidden = scraper::Selector::parse("form input[type=hidden]").expect("selector");
        doc.select(&hidden)
            .filter_map(|i| Some((i.attr("name")?.to_string(), i.attr("value").unwrap_or("").to_string())))
            .collect()
    };
    fields.push(("username".into(), username.into()));
    fields.push(("password".into(), password.into()));
    let post_url = login_url.split('?').next().expect("url");
    let response = client
        .post(post_url)
        .header(header::REFERER.as_str(), login_url)
        .form(&fields)
        .send()
        .await
        .expect("CAS login form");
    let back = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    CasVisit { client, back }
}
