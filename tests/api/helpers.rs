//! TestApp: the real router over a fresh PostgreSQL database per test.
//!
//! One throwaway cluster per test binary (or the server in TEST_DATABASE_URL);
//! a migrated template database; each test clones it (CREATE DATABASE … TEMPLATE)
//! in a few milliseconds. The cluster dies with the test process (see managed_db).
//! `Browser` is one visitor: a cookie jar, the last CSRF token seen, a client address.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicU32, Ordering},
        OnceLock,
    },
};

use axum::{
    body::Body,
    http::{header, HeaderMap, Method, Request, StatusCode},
    Router,
};
use sqlx::{Connection, PgConnection, PgPool};
use tower::ServiceExt;
use union_portal::{
    app::{self, AppState},
    config::Config,
    managed_db::Cluster,
    web::session,
};

pub const PASSWORD: &str = "tunnel railing 57 dorm";

struct Server {
    /// URL of the maintenance database, e.g. …/postgres.
    admin_url: String,
    template: String,
    _cluster: Option<Cluster>,
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let (admin_url, cluster) = match std::env::var("TEST_DATABASE_URL") {
            Ok(url) => (url, None),
            Err(_) => {
                let cluster = Cluster::start_throwaway().expect("start a throwaway PostgreSQL for the tests");
                (cluster.url("postgres"), Some(cluster))
            }
        };
        let template = format!("portal_template_{}", std::process::id());
        // Its own thread and runtime: the caller may be inside any test's runtime.
        let (url, name) = (admin_url.clone(), template.clone());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async move {
                let mut conn = PgConnection::connect(&url).await.expect("connect to the test server");
                sqlx::query(&format!("create database {name}")).execute(&mut conn).await.expect("create template");
                let pool = PgPool::connect(&db_url(&url, &name)).await.expect("connect to template");
                union_portal::MIGRATOR.run(&pool).await.expect("migrate template");
                pool.close().await;
            })
        })
        .join()
        .expect("template set-up");
        Server { admin_url, template, _cluster: cluster }
    })
}

/// The same server URL with another database name.
fn db_url(server_url: &str, db: &str) -> String {
    let (base, query) =
        server_url.split_once('?').map(|(b, q)| (b, format!("?{q}"))).unwrap_or((server_url, String::new()));
    let base = &base[..base.rfind('/').expect("URL has a database")];
    format!("{base}/{db}{query}")
}

/// A fresh, migrated database, and its URL.
pub async fn fresh_database() -> (PgPool, String) {
    static N: AtomicU32 = AtomicU32::new(0);
    let server = server();
    let name = format!("portal_test_{}_{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst));
    let mut conn = PgConnection::connect(&server.admin_url).await.expect("connect");
    sqlx::query(&format!("create database {name} template {}", server.template))
        .execute(&mut conn)
        .await
        .expect("clone template");
    conn.close().await.ok();
    let url = db_url(&server.admin_url, &name);
    let pool =
        sqlx::postgres::PgPoolOptions::new().max_connections(8).connect(&url).await.expect("connect to test database");
    (pool, url)
}

/// A new database with nothing in it (no migrations, no tables), and its URL: for restoring into.
pub async fn empty_database() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let server = server();
    let name = format!("portal_empty_{}_{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst));
    let mut conn = PgConnection::connect(&server.admin_url).await.expect("connect");
    // template0: template1 of a shared server may hold objects of its own.
    sqlx::query(&format!("create database {name} template template0"))
        .execute(&mut conn)
        .await
        .expect("create an empty database");
    conn.close().await.ok();
    db_url(&server.admin_url, &name)
}

pub struct TestApp {
    pub router: Router,
    /// The tables' owner (the test's own access); the router uses `state.db`.
    pub db: PgPool,
    pub state: AppState,
    /// The database's URL, for a second "process" on the same database.
    pub db_url: String,
    /// Uploads of this test; removed with the app.
    pub data_dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        if std::env::var("TEST_LOG").is_ok() {
            let _ = tracing_subscriber::fmt().with_env_filter("warn").try_init();
        }
        let (db, db_url) = fresh_database().await;
        let data_dir = tempfile::tempdir().expect("data dir");
        let mut config = Config::for_tests(data_dir.path().to_path_buf());
        adjust(&mut config);
        // As in the binary: requests run as the restricted `portal_app`; `db`, the
        // tables' owner, is for arranging and checking what a test needs.
        let app_db = union_portal::db::app_pool(&db_url, 8).expect("app pool");
        let state = AppState::new(app_db, config);
        let mut conn = db.acquire().await.expect("conn");
        union_portal::departments::roles::ensure_current_term(&mut conn).await.expect("term");
        drop(conn);
        TestApp { router: app::router(state.clone()), db, state, db_url, data_dir }
    }

    pub fn browser(&self) -> Browser {
        Browser::new(self.router.clone())
    }

    /// An account with the test password; returns its id.
    pub async fn create_user(&self, student_no: &str, name: &str) -> i64 {
        union_portal::accounts::create_account(
            &self.state,
            student_no,
            name,
            PASSWORD,
            &format!("{student_no}@stu.example.edu.cn"),
            "计算机学院",
            false,
        )
        .await
        .expect("create account")
        .expect("student number unused")
    }

    pub async fn grant(&self, student_no: &str, dept: &str, role: &str) -> i64 {
        let role = union_portal::web::DeptRole::parse(role).expect("role");
        union_portal::departments::roles::grant_dept_role(&self.db, None, student_no, dept, role)
            .await
            .expect("grant")
            .expect("granted")
    }

    pub async fn grant_union(&self, student_no: &str, role: &str) {
        union_portal::departments::roles::grant_union_role(&self.db, None, student_no, role)
            .await
            .expect("grant")
            .expect("granted");
    }

    /// The id of the account with this student number.
    pub async fn user_id(&self, student_no: &str) -> i64 {
        sqlx::query_scalar("select user_id from app_user where student_no = $1")
            .bind(student_no)
            .fetch_one(&self.db)
            .await
            .expect("an account with this student number")
    }

    /// A photo checked, re-encoded and stored the way the upload forms store one.
    pub async fn stored_photo(&self) -> union_portal::uploads::StoredPhoto {
        let processed = union_portal::uploads::process(&png()).expect("a valid photo");
        let mut stored =
            union_portal::uploads::store_all(&self.state.config.data_dir, &[processed]).await.expect("stored");
        stored.remove(0)
    }

    /// A browser logged in as `user_id` without going through the login form (fast).
    pub async fn browser_signed_in(&self, user_id: i64) -> Browser {
        let new = session::insert_session(&self.db, user_id).await.expect("session");
        let mut b = self.browser();
        b.jar.insert("portal_session".into(), new.token);
        b
    }
}

/// A small PNG, as a phone might send one.
pub fn png() -> Vec<u8> {
    let mut out = vec![];
    image::DynamicImage::new_rgb8(40, 30)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encode");
    out
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as sent, for downloads that are not text.
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn location(&self) -> Option<&str> {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok())
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    /// The value of a form field as the page shows it.
    pub fn field_value(&self, name: &str) -> Option<String> {
        let doc = scraper::Html::parse_document(&self.body);
        // The page's own form first: the header has forms too (language, logout).
        let in_main = scraper::Selector::parse(&format!("main [name=\"{name}\"]")).expect("selector");
        let anywhere = scraper::Selector::parse(&format!("[name=\"{name}\"]")).expect("selector");
        doc.select(&in_main)
            .next()
            .or_else(|| doc.select(&anywhere).next())
            .and_then(|e| e.value().attr("value").map(str::to_string))
    }
    /// The value of the input with this id.
    pub fn value_by_id(&self, id: &str) -> Option<String> {
        let doc = scraper::Html::parse_document(&self.body);
        let sel = scraper::Selector::parse(&format!("#{id}")).expect("selector");
        doc.select(&sel).next().and_then(|e| e.value().attr("value").map(str::to_string))
    }

    /// Text of the error message tied to a field (`aria-describedby`).
    pub fn field_error(&self, name: &str) -> Option<String> {
        let doc = scraper::Html::parse_document(&self.body);
        let sel = scraper::Selector::parse(&format!("#e-{name}")).expect("selector");
        doc.select(&sel).next().map(|e| e.text().collect::<String>().trim().to_string())
    }
}

pub struct Browser {
    router: Router,
    pub jar: HashMap<String, String>,
    csrf: Option<String>,
    pub ip: String,
}

impl Browser {
    pub fn new(router: Router) -> Browser {
        Browser { router, jar: HashMap::new(), csrf: None, ip: "192.0.2.10".into() }
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        self.send(Method::GET, path, None, &[]).await
    }

    /// Submit a form the way a browser would, with the CSRF token of the last page.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        if self.csrf.is_none() {
            self.get("/").await;
        }
        let token = self.csrf.clone().unwrap_or_default();
        let body = form_body(&token, fields);
        self.post_raw(path, body, &[(header::CONTENT_TYPE.as_str(), "application/x-www-form-urlencoded")]).await
    }

    /// Submit a multipart form (text fields, then files as `(field, file name, bytes)`), token first.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> TestResponse {
        if self.csrf.is_none() {
            self.get("/").await;
        }
        let token = self.csrf.clone().unwrap_or_default();
        let (body, content_type) = multipart_body(&token, fields, files);
        self.send_bytes(Method::POST, path, body, &[(header::CONTENT_TYPE.as_str(), content_type.as_str())]).await
    }

    pub async fn post_raw(&mut self, path: &str, body: String, headers: &[(&str, &str)]) -> TestResponse {
        self.send(Method::POST, path, Some(body), headers).await
    }

    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        body: Option<String>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        self.send_bytes(method, path, body.map(String::into_bytes).unwrap_or_default(), headers).await
    }

    pub async fn send_bytes(
        &mut self,
        method: Method,
        path: &str,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("x-forwarded-for", &self.ip)
            .header(header::HOST, "portal.test");
        if let Some(cookies) = cookie_header(&self.jar) {
            req = req.header(header::COOKIE, cookies);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req.body(Body::from(body)).expect("request");
        let response = self.router.clone().oneshot(req).await.expect("router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        keep_cookies(&mut self.jar, &mut self.csrf, &headers);
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("body");
        let body = String::from_utf8_lossy(&bytes).into_owned();
        let page = TestResponse { status, headers, body, bytes: bytes.to_vec() };
        if let Some(token) = page.field_value("csrf_token") {
            self.csrf = Some(token);
        }
        page
    }

    /// Log in through the real form.
    pub async fn login(&mut self, student_no: &str, password: &str) -> TestResponse {
        self.get("/login").await;
        self.post_form("/login", &[("student_no", student_no), ("password", password)]).await
    }
}

/// A urlencoded form with the CSRF token first.
fn form_body(token: &str, fields: &[(&str, &str)]) -> String {
    let mut all: Vec<(&str, &str)> = vec![("csrf_token", token)];
    all.extend_from_slice(fields);
    serde_urlencoded::to_string(&all).expect("encode form")
}

/// A multipart body (token first, then the text fields, then the files) and its content type.
fn multipart_body(token: &str, fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (Vec<u8>, String) {
    let boundary = "----portal-test-boundary-7MA4YWxkTrZu0gW";
    let mut body: Vec<u8> = vec![];
    for (name, value) in std::iter::once(("csrf_token", token)).chain(fields.iter().copied()) {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    for (name, file_name, bytes) in files {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (body, format!("multipart/form-data; boundary={boundary}"))
}

fn cookie_header(jar: &HashMap<String, String>) -> Option<String> {
    (!jar.is_empty()).then(|| jar.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "))
}

/// Keep the cookies a response sets, as a browser would.
fn keep_cookies(jar: &mut HashMap<String, String>, csrf: &mut Option<String>, headers: &HeaderMap) {
    for set in headers.get_all(header::SET_COOKIE) {
        let set = set.to_str().expect("cookie header");
        let pair = set.split(';').next().expect("cookie pair");
        let (name, value) = pair.split_once('=').expect("name=value");
        if name == "portal_session" {
            // A new session brings a new CSRF token: read it from the next page.
            *csrf = None;
        }
        if set.contains("Max-Age=0") {
            jar.remove(name);
        } else {
            jar.insert(name.to_string(), value.to_string());
        }
    }
}

/// One visitor over real TCP, to a portal served by `app::serve` or by the binary:
/// a cookie jar, the last CSRF token seen, a client address (sent as X-Forwarded-For,
/// read only by a portal that trusts proxies). Point `base` at another process to
/// go there with the same cookies.
pub struct HttpBrowser {
    /// e.g. `http://127.0.0.1:40123`
    pub base: String,
    client: reqwest::Client,
    pub jar: HashMap<String, String>,
    pub csrf: Option<String>,
    pub ip: String,
}

impl HttpBrowser {
    pub fn new(base: &str) -> HttpBrowser {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .expect("HTTP client");
        HttpBrowser {
            base: base.trim_end_matches('/').to_string(),
            client,
            jar: HashMap::new(),
            csrf: None,
            ip: "192.0.2.20".into(),
        }
    }

    /// Logged in with a session made in the database (`session::insert_session`).
    pub fn signed_in(base: &str, session: &session::NewSession) -> HttpBrowser {
        let mut b = HttpBrowser::new(base);
        b.jar.insert("portal_session".into(), session.token.clone());
        b.csrf = Some(session.csrf_token.clone());
        b
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        self.try_send(Method::GET, path, vec![], None).await.unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// Submit a form the way a browser would, with the CSRF token of the last page.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        self.try_post_form(path, fields).await.unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    pub async fn try_post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> reqwest::Result<TestResponse> {
        if self.csrf.is_none() {
            self.try_send(Method::GET, "/", vec![], None).await?;
        }
        let body = form_body(self.csrf.as_deref().unwrap_or_default(), fields);
        self.try_send(Method::POST, path, body.into_bytes(), Some("application/x-www-form-urlencoded")).await
    }

    /// A multipart form (text fields, then files as `(field, file name, bytes)`), token first.
    pub async fn try_post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> reqwest::Result<TestResponse> {
        if self.csrf.is_none() {
            self.try_send(Method::GET, "/", vec![], None).await?;
        }
        let (body, content_type) = multipart_body(self.csrf.as_deref().unwrap_or_default(), fields, files);
        self.try_send(Method::POST, path, body, Some(&content_type)).await
    }

    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> TestResponse {
        self.try_post_multipart(path, fields, files).await.unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    /// One request; an error only when the portal does not answer (refused, reset, timed out).
    pub async fn try_send(
        &mut self,
        method: Method,
        path: &str,
        body: Vec<u8>,
        content_type: Option<&str>,
    ) -> reqwest::Result<TestResponse> {
        let mut req = self.client.request(method, format!("{}{path}", self.base)).header("x-forwarded-for", &self.ip);
        if let Some(cookies) = cookie_header(&self.jar) {
            req = req.header(header::COOKIE, cookies);
        }
        if let Some(content_type) = content_type {
            req = req.header(header::CONTENT_TYPE, content_type);
        }
        let response = req.body(body).send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        keep_cookies(&mut self.jar, &mut self.csrf, &headers);
        let bytes = response.bytes().await?;
        let page =
            TestResponse { status, body: String::from_utf8_lossy(&bytes).into_owned(), headers, bytes: bytes.to_vec() };
        if let Some(token) = page.field_value("csrf_token") {
            self.csrf = Some(token);
        }
        Ok(page)
    }
}

/// The real binary (`union-portal serve`) on a free port of 127.0.0.1 over `database_url`,
/// with a data directory of its own. Its output is collected (and drained, so it never
/// blocks on a full pipe); it is killed if still running when dropped.
pub struct PortalProcess {
    child: std::process::Child,
    /// e.g. `http://127.0.0.1:40123`
    pub url: String,
    pub addr: std::net::SocketAddr,
    output: std::sync::Arc<std::sync::Mutex<String>>,
    _data_dir: tempfile::TempDir,
}

impl PortalProcess {
    /// Start it and wait until it says where it serves; `env` adds or overrides settings.
    pub async fn start(database_url: &str, env: &[(&str, &str)]) -> PortalProcess {
        use std::io::BufRead;
        let data_dir = tempfile::tempdir().expect("data dir");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_union-portal"))
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("PORTAL_ADDR", "127.0.0.1:0")
            .env("PORTAL_DATA_DIR", data_dir.path())
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start the portal");
        let output = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let (url_tx, url_rx) = tokio::sync::oneshot::channel();
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let out = output.clone();
        std::thread::spawn(move || {
            let mut url_tx = Some(url_tx);
            for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("union-portal is serving at ") {
                    if let Some(tx) = url_tx.take() {
                        let _ = tx.send(url.to_string());
                    }
                }
                out.lock().expect("output").push_str(&(line + "\n"));
            }
        });
        let out = output.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
                out.lock().expect("output").push_str(&(line + "\n"));
            }
        });
        let url = match tokio::time::timeout(std::time::Duration::from_secs(90), url_rx).await {
            Ok(Ok(url)) => url,
            _ => panic!("the portal did not start:\n{}", output.lock().expect("output")),
        };
        let addr = url.trim_start_matches("http://").parse().expect("address");
        PortalProcess { child, url, addr, output, _data_dir: data_dir }
    }

    pub fn output(&self) -> String {
        self.output.lock().expect("output").clone()
    }

    pub fn pid(&self) -> nix::unistd::Pid {
        nix::unistd::Pid::from_raw(self.child.id() as i32)
    }

    pub fn terminate(&self) {
        nix::sys::signal::kill(self.pid(), nix::sys::signal::Signal::SIGTERM).expect("SIGTERM");
    }

    /// The exit status, if it exits within `limit`.
    pub async fn wait_exit(&mut self, limit: std::time::Duration) -> Option<std::process::ExitStatus> {
        let deadline = std::time::Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return Some(status);
            }
            if std::time::Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

impl Drop for PortalProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
