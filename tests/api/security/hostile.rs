//! Hostile input against every form and every query parameter: NUL and control
//! characters, invalid UTF-8, 1 MB strings, RTL overrides, emoji, SQL and template
//! syntax, path traversal, overflowing numbers, impossible dates, duplicate, missing
//! and unknown fields, wrong content types, 100-part multipart bodies and hostile
//! file names. Every answer must be a page (never a 500, never a panic), a refusal
//! must say why in Chinese, and a refused submission must change no row.
//!
//! The forms are discovered: every page the authorization table knows is opened by
//! every role that may read it, and its `<form>`s are read (action and field names).
//! A form whose action is no POST route of the table fails the discovery test; a POST
//! route whose form no page shows must be listed in `HAND_LISTED`, with its fields.
//! The routes, the actors and a valid submission for each come from authz/ (the table, the world and its forms).

use std::collections::{BTreeMap, BTreeSet};

use axum::http::{Method, StatusCode};
use proptest::{prelude::*, strategy::ValueTree, test_runner::TestRunner};
use tokio::sync::OnceCell;

use super::authz::{self, Expect, Row, World, TABLE};
use crate::helpers::{Browser, TestResponse};

const ONE_MB: usize = 1024 * 1024;
/// Random submissions per form, on top of the classic payloads for every field.
const CASES_PER_FORM: u32 = 16;

/// POST routes that take no form: browsers post CSP reports as JSON on their own
/// (tests/api/security/csp.rs sends them oversized, mistyped and malformed bodies).
/// Browsers' CSP reports, and the CAS server's single-logout requests (a SAML message it posts
/// itself; `campus.rs` sends real ones): no page of ours shows a form for either.
const NOT_FORMS: &[&str] = &["/csp-report", "/auth/cas"];

/// Forms that no page shows in the authorization table's world (the object is not
/// in the state that offers them), with the fields the page would show.
const HAND_LISTED: &[(&str, &[&str])] = &[
    // A disabled user, a resolved complaint, an expired or unclaimed item, a started plan,
    // a session with delegates, questions and complaints for its agenda, a notification,
    // another student's question.
    ("/admin/users/{user_id}/enable", &[]),
    // An unverified account (every account of the world was made verified), and its own
    // campus-mail verification (the world has no campus mail domain).
    ("/admin/users/{user_id}/verify", &[]),
    ("/account/verify-mail", &[]),
    ("/account/verify-mail/confirm", &["token"]),
    // Giving back an umbrella: its page shows the form only to the student who holds it.
    ("/umbrellas/i/{code}/return", &["return_station"]),
    // The weekly digest's one-click unsubscribe: its page needs a token from a sent digest.
    ("/digest/unsubscribe", &["List-Unsubscribe"]),
    ("/complaints/{tracking_no}/confirm", &["rating", "body"]),
    ("/complaints/{tracking_no}/reopen", &["body"]),
    ("/d/{dept}/lost-found/expired/dispose", &["ids"]),
    ("/d/{dept}/lost-found/items/{item_id}/dispose", &[]),
    (
        "/d/{dept}/plans/{plan_id}/actions/{action_id}/progress",
        &["base", "done_on", "notes", "progress", "status", "version"],
    ),
    ("/d/{dept}/plans/{plan_id}/public", &["public"]),
    // The plan's steps, one route each since the steps are grouped by who takes them:
    // the world's plan is a draft, whose page offers only `submit`.
    ("/d/{dept}/plans/{plan_id}/steps/approve", &[]),
    ("/d/{dept}/plans/{plan_id}/steps/return", &["comment"]),
    ("/d/{dept}/plans/{plan_id}/steps/review", &[]),
    ("/d/{dept}/plans/{plan_id}/steps/start", &[]),
    ("/d/{dept}/reception/{session_id}/agenda/complaint", &["complaint_id"]),
    // A complaint the daily job put on the agenda (the world's questions are students' own).
    ("/d/{dept}/reception/{session_id}/questions/{question_id}/take-off", &["off_reason"]),
    ("/d/{dept}/reception/{session_id}/delegates/{delegate_id}/remove", &[]),
    ("/d/{dept}/reception/{session_id}/questions/{question_id}/agenda", &[]),
    // A pending invitation by mail (the world's are made by the rows that open or revoke one).
    ("/presidium/offices/invites/{invite_id}/revoke", &[]),
    ("/me/notifications/read", &[]),
    ("/reception/{code}/questions/{question_id}/vote", &[]),
    // An event's buttons that only its stages show: the owner's place to confirm, the witness's
    // commitment and reveal, the draw of a frozen pool, and the door once a student is found.
    ("/events/{event_id}/confirm", &[]),
    ("/events/{event_id}/commit", &["commitment"]),
    ("/events/{event_id}/reveal", &["secret"]),
    ("/d/{dept}/events/{event_id}/draw", &["public_value"]),
    ("/d/{dept}/events/{event_id}/attendance/{application_id}", &[]),
    // A questionnaire's publishing, which its builder offers once it has closed, and its
    // single-use codes, offered for open questionnaires with codes (the world's is open now).
    ("/d/{dept}/surveys/{survey_id}/publish", &[]),
    ("/d/{dept}/surveys/{survey_id}/codes", &["count"]),
    // A student's own applications: the world's owner applied to 生活部 by SQL, which the
    // discovering visitors (staff of rights) never see under /me.
    ("/me/applications/{application_id}/withdraw", &[]),
    ("/me/applications/{application_id}/slot", &["slot_id"]),
    ("/me/applications/{application_id}/accept", &[]),
    ("/me/applications/{application_id}/decline", &[]),
];

/// Routes that are no page to read forms from (files, feeds, photos).
fn is_page(route: &str) -> bool {
    ![".csv", ".xlsx", ".atom", ".ics", ".md", ".json", ".py", "/photo", "/static/", "/healthz", "/readyz"]
        .iter()
        .any(|not| route.contains(not))
}

/// The payloads every field gets, one at a time.
fn classic_payloads() -> Vec<String> {
    let mut v: Vec<String> = [
        "\0",
        "a\0b",
        "\u{1}\u{7}\u{1b}[31m\u{7f}",
        "line\r\nbreak",
        "\u{202E}gnp.exe",
        "\u{200B}\u{200C}\u{200D}\u{FEFF}",
        "👨\u{200D}👩\u{200D}👧\u{200D}👦🏳\u{FE0F}\u{200D}🌈",
        "'; drop table app_user; --",
        "\" or 1=1 --",
        "{{ 7*7 }}",
        "{% raw %}",
        "${7*7}",
        "<script>alert(1)</script>",
        "../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "99999999999999999999",
        "-1",
        "0",
        "1e309",
        "NaN",
        "-9223372036854775809",
        "2026-02-30",
        "0000-00-00T25:61",
        "99999-12-31",
        "",
        "   ",
        "\u{FFFD}\u{FFFF}\u{10FFFF}",
        "%00%FF",
    ]
    .into_iter()
    .map(str::to_string)
    .collect();
    v.push("a".repeat(ONE_MB));
    v.push("界".repeat(20_000));
    v
}

/// Random hostile text: arbitrary characters (control ones included), pieces of
/// the classic payloads glued together, numbers, long runs.
fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(classic_payloads().into_iter().filter(|p| p.len() < 100).collect::<Vec<_>>());
    prop_oneof![
        3 => prop::collection::vec(any::<char>(), 0..40).prop_map(|v| v.into_iter().collect()),
        2 => prop::collection::vec(pieces, 1..4).prop_map(|v| v.concat()),
        1 => "[-+0-9.eE]{1,30}",
        1 => prop::collection::vec(any::<char>(), 200..3000).prop_map(|v| v.into_iter().collect()),
    ]
}

/// What a page shows: a form of `method` posting to `action` with these field names.
#[derive(Debug)]
struct FoundForm {
    method: String,
    action: String,
    fields: BTreeSet<String>,
    files: BTreeSet<String>,
}

fn forms_of(page_path: &str, body: &str) -> Vec<FoundForm> {
    let doc = scraper::Html::parse_document(body);
    let form_sel = scraper::Selector::parse("form").expect("selector");
    let field_sel =
        scraper::Selector::parse("input[name], textarea[name], select[name], button[name]").expect("selector");
    doc.select(&form_sel)
        .map(|form| {
            let mut found = FoundForm {
                method: form.value().attr("method").unwrap_or("get").to_ascii_uppercase(),
                action: form.value().attr("action").filter(|a| !a.is_empty()).unwrap_or(page_path).to_string(),
                fields: BTreeSet::new(),
                files: BTreeSet::new(),
            };
            for field in form.select(&field_sel) {
                let name = field.value().attr("name").expect("selected by name").to_string();
                if name == "csrf_token" {
                    continue;
                }
                if field.value().attr("type") == Some("file") {
                    found.files.insert(name);
                } else {
                    found.fields.insert(name);
                }
            }
            found
        })
        .collect()
}

/// Query parameter names of the links on a page, by the route they lead to.
fn link_params(body: &str) -> Vec<(String, String)> {
    let doc = scraper::Html::parse_document(body);
    let sel = scraper::Selector::parse("a[href*='?']").expect("selector");
    let mut out = vec![];
    for a in doc.select(&sel) {
        let href = a.value().attr("href").unwrap_or_default();
        if let Some((path, query)) = href.split_once('?') {
            for (k, _) in form_urlencoded::parse(query.as_bytes()) {
                out.push((path.to_string(), k.into_owned()));
            }
        }
    }
    out
}

/// The route of the table that a concrete path (no query) matches: placeholders match
/// one segment; the route with the most literal segments wins.
fn route_of(method: &str, path: &str) -> Option<&'static str> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let segs: Vec<&str> = path.split('/').collect();
    TABLE
        .iter()
        .filter(|r| r.method == method)
        .filter_map(|r| {
            let pattern: Vec<&str> = r.route.split('/').collect();
            let fits = pattern.len() == segs.len()
                && pattern.iter().zip(&segs).all(|(p, s)| p.starts_with('{') && !s.is_empty() || p == s);
            fits.then(|| (pattern.iter().filter(|p| !p.starts_with('{')).count(), r.route))
        })
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, route)| route)
}

/// What the pages show: POST routes with their fields (and file fields), GET routes with their parameters.
#[derive(Debug, Default)]
struct Discovered {
    posts: BTreeMap<&'static str, BTreeSet<String>>,
    files: BTreeMap<&'static str, BTreeSet<String>>,
    queries: BTreeMap<&'static str, BTreeSet<String>>,
    /// Actions that are no route of the table: `page → action`.
    unknown: Vec<String>,
}

/// The roles in the order an actor is chosen: the anonymous visitor first (public
/// forms), then the least privileged who may act.
const ACTOR_ORDER: [usize; 9] = [0, 1, 2, 5, 7, 8, 3, 4, 6];

fn actor_for(row: &Row, wanted: Expect) -> Option<usize> {
    ACTOR_ORDER.iter().copied().find(|&i| row.expect[i] == wanted)
}

async fn discover(w: &World) -> Discovered {
    let mut d = Discovered::default();
    let mut attempt = 10_000;
    for row in TABLE.iter().filter(|r| r.method == "GET" && is_page(r.route)) {
        attempt += 1;
        let (path, _) = w.prepare(row, attempt).await;
        for (i, _) in row.expect.iter().enumerate().filter(|(_, e)| **e == Expect::Ok) {
            let mut b = w.browser_for(i).await;
            let page = b.get(&path).await;
            if page.status != StatusCode::OK {
                continue;
            }
            for form in forms_of(&path, &page.body) {
                match route_of(&form.method, &form.action) {
                    Some(route) if form.method == "POST" => {
                        d.posts.entry(route).or_default().extend(form.fields);
                        d.files.entry(route).or_default().extend(form.files);
                    }
                    Some(route) => d.queries.entry(route).or_default().extend(form.fields),
                    None => d.unknown.push(format!("{path} → {} {}", form.method, form.action)),
                }
            }
            for (target, param) in link_params(&page.body) {
                let target = if target.is_empty() { path.split('?').next().unwrap_or_default() } else { &target };
                if let Some(route) = route_of("GET", target) {
                    d.queries.entry(route).or_default().insert(param);
                }
            }
        }
    }
    d
}

/// Discovered once for the whole module: the forms do not depend on the test's data.
async fn discovered(w: &World) -> &'static Discovered {
    static FOUND: OnceCell<Discovered> = OnceCell::const_new();
    FOUND.get_or_init(|| discover(w)).await
}

/// The fields a POST route's form has: discovered, hand-listed, and those of the
/// valid submission (hidden fields a page may leave out).
fn fields_of(d: &Discovered, route: &str, valid: &[(String, String)]) -> BTreeSet<String> {
    let mut fields = d.posts.get(route).cloned().unwrap_or_default();
    if let Some((_, listed)) = HAND_LISTED.iter().find(|(r, _)| *r == route) {
        fields.extend(listed.iter().map(|f| f.to_string()));
    }
    fields.extend(valid.iter().map(|(k, _)| k.clone()));
    fields
}

/// A journal of changed rows: a row trigger on every table but those every request
/// touches (sessions, login throttling, job bookkeeping) counts inserts, updates and
/// deletes per table, in the same transaction, so a change rolled back leaves no
/// count. "A refusal changed nothing" is then one cheap read of the journal.
const JOURNAL: &str = r#"
create table hostile_change (table_name text primary key, n bigint not null);
create function hostile_count() returns trigger language plpgsql security definer as $$
begin
  insert into hostile_change values (TG_TABLE_NAME, 1)
    on conflict (table_name) do update set n = hostile_change.n + 1;
  return null;
end $$;
do $$
declare t record;
begin
  for t in select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
             and c.relname not in ('user_session', 'login_attempt', 'daily_job', '_sqlx_migrations', 'hostile_change') loop
    execute format('create trigger hostile_count after insert or update or delete on %I
                    for each row execute function hostile_count()', t.relname);
  end loop;
end $$;
"#;

async fn journal(w: &World) {
    sqlx::raw_sql(JOURNAL).execute(&w.app.db).await.expect("the change journal");
}

/// `table=changes;` for every table changed so far.
async fn digest(w: &World) -> String {
    sqlx::query_scalar(
        "select coalesce(string_agg(table_name || '=' || n, ';' order by table_name), '') from hostile_change",
    )
    .fetch_one(&w.app.db)
    .await
    .expect("digest")
}

/// The tables whose rows differ between two digests.
fn changed_tables(before: &str, after: &str) -> Vec<String> {
    let split = |s: &str| s.split(';').map(str::to_string).collect::<BTreeSet<_>>();
    let (b, a) = (split(before), split(after));
    a.symmetric_difference(&b)
        .filter_map(|e| e.split('=').next().map(str::to_string))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// A value as a failure message shows it: escaped, at most 80 characters.
fn shown(v: &str) -> String {
    let d = format!("{v:?}");
    if d.chars().count() > 80 {
        format!("{}… ({} bytes)", d.chars().take(80).collect::<String>(), v.len())
    } else {
        d
    }
}

/// The verdict on one answer: never a 5xx; a refusal is a page with a Chinese message
/// (a re-shown form or a friendly error page; the open data API's JSON error) and, for a
/// submission, changed nothing.
fn judge(what: &str, r: &TestResponse, changed: Option<Vec<String>>, failures: &mut Vec<String>) {
    let status = r.status;
    if status.is_server_error() {
        failures.push(format!("{what}: {status}"));
        return;
    }
    if !status.is_client_error() {
        return;
    }
    let allowed = [400, 403, 404, 405, 409, 410, 413, 415, 422, 429];
    if !allowed.contains(&status.as_u16()) {
        failures.push(format!("{what}: unexpected {status}"));
    }
    let html = r.header("content-type").is_some_and(|c| c.starts_with("text/html")) && has_chinese(&r.body);
    // The open data API refuses in JSON: `{"error": "…"}`, in Chinese unless asked otherwise.
    let json = r.header("content-type").is_some_and(|c| c.starts_with("application/json"))
        && serde_json::from_str::<serde_json::Value>(&r.body)
            .ok()
            .and_then(|v| v["error"].as_str().map(has_chinese))
            .unwrap_or(false);
    if !html && !json {
        failures.push(format!("{what}: {status} without a page that says why: {}", shown(&r.body)));
    }
    if let Some(tables) = changed.filter(|t| !t.is_empty()) {
        failures.push(format!("{what}: refused ({status}) but changed {tables:?}"));
    }
}

fn report(failures: &[String]) {
    let first: Vec<&str> = failures.iter().take(150).map(String::as_str).collect();
    assert!(
        failures.is_empty(),
        "{} hostile requests went wrong (first {}):\n{}",
        failures.len(),
        first.len(),
        first.join("\n")
    );
}

/// The CSRF token the browser's pages carry.
async fn token(b: &mut Browser) -> String {
    b.get("/").await.field_value("csrf_token").expect("a CSRF token on the home page")
}

/// One POST route under attack, as one role, with a valid submission to vary.
struct Target<'w> {
    w: &'w World,
    row: &'static Row,
    actor: usize,
    b: Browser,
    path: String,
    valid: Vec<(String, String)>,
    multipart: bool,
    attempt: usize,
    before: String,
}

impl<'w> Target<'w> {
    async fn new(w: &'w World, row: &'static Row, attempt: usize) -> Option<Target<'w>> {
        let actor = actor_for(row, Expect::Done).or_else(|| actor_for(row, Expect::Invalid))?;
        let (path, valid) = w.prepare(row, attempt).await;
        let mut b = w.browser_for(actor).await;
        b.ip = format!("198.51.100.{}", attempt % 250);
        let multipart = authz::MULTIPART.contains(&row.route);
        let before = digest(w).await;
        Some(Target { w, row, actor, b, path, valid, multipart, attempt, before })
    }

    /// After a success the object may be gone and the browser someone else: start again.
    async fn renew(&mut self) {
        self.attempt += 1;
        let (path, valid) = self.w.prepare(self.row, self.attempt).await;
        self.path = path;
        self.valid = valid;
        self.b = self.w.browser_for(self.actor).await;
        self.b.ip = format!("198.51.100.{}", self.attempt % 250);
    }

    async fn judge(&mut self, what: String, r: TestResponse, failures: &mut Vec<String>) {
        let after = digest(self.w).await;
        let what = format!("POST {} ({}) {what}", self.path, authz::ROLES[self.actor]);
        let changed = r.status.is_client_error().then(|| changed_tables(&self.before, &after));
        judge(&what, &r, changed, failures);
        self.before = after;
        if r.status.is_redirection() || r.status.is_success() {
            self.renew().await;
            self.before = digest(self.w).await;
        }
    }

    /// Submit these fields the way the route's form does (urlencoded or multipart).
    async fn submit(&mut self, fields: &[(String, String)], files: &[(&str, &str, &[u8])]) -> TestResponse {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        if self.multipart {
            self.b.post_multipart(&self.path, &fields, files).await
        } else {
            self.b.post_form(&self.path, &fields).await
        }
    }

    /// The valid submission with `field` set to `value` (added when the valid one lacks it).
    fn with(&self, field: &str, value: &str) -> Vec<(String, String)> {
        let mut form = self.valid.clone();
        match form.iter_mut().find(|(k, _)| k == field) {
            Some(entry) => entry.1 = value.to_string(),
            None => form.push((field.to_string(), value.to_string())),
        }
        form
    }

    async fn send_raw(&mut self, body: Vec<u8>, content_type: Option<&str>) -> TestResponse {
        let token = token(&mut self.b).await;
        let mut headers = vec![("x-csrf-token", token.as_str())];
        if let Some(ct) = content_type {
            headers.push(("content-type", ct));
        }
        let path = self.path.clone();
        self.b.send_bytes(Method::POST, &path, body, &headers).await
    }
}

/// Every field with every classic payload, then random submissions, then the
/// structural attacks (missing, duplicate and unknown fields, raw bytes, wrong types).
async fn attack_form(w: &World, d: &Discovered, row: &'static Row, attempt: usize, failures: &mut Vec<String>) {
    let Some(mut t) = Target::new(w, row, attempt).await else { return };
    let fields: Vec<String> = fields_of(d, row.route, &t.valid).into_iter().collect();
    for field in &fields {
        for payload in classic_payloads() {
            let form = t.with(field, &payload);
            let r = t.submit(&form, &[]).await;
            t.judge(format!("{field}={}", shown(&payload)), r, failures).await;
        }
    }
    random_submissions(&mut t, &fields, failures).await;
    structural_attacks(&mut t, &fields, failures).await;
    if t.multipart {
        multipart_attacks(&mut t, failures).await;
    }
}

async fn random_submissions(t: &mut Target<'_>, fields: &[String], failures: &mut Vec<String>) {
    // Deterministic: a failure seen once is seen again on the next run.
    let mut runner = TestRunner::deterministic();
    let strategy = prop::collection::vec((any::<bool>(), hostile_text()), fields.len());
    for _ in 0..CASES_PER_FORM {
        let choice = strategy.new_tree(&mut runner).expect("a case").current();
        let mut form = t.valid.clone();
        let mut what = vec![];
        for (field, (replace, value)) in fields.iter().zip(choice) {
            if replace {
                form.retain(|(k, _)| k != field);
                form.push((field.clone(), value.clone()));
                what.push(format!("{field}={}", shown(&value)));
            }
        }
        let r = t.submit(&form, &[]).await;
        t.judge(format!("random {}", what.join(" ")), r, failures).await;
    }
}

async fn structural_attacks(t: &mut Target<'_>, fields: &[String], failures: &mut Vec<String>) {
    let r = t.submit(&[], &[]).await;
    t.judge("with no field at all".into(), r, failures).await;
    for field in fields {
        let mut form = t.valid.clone();
        form.retain(|(k, _)| k != field);
        let r = t.submit(&form, &[]).await;
        t.judge(format!("without {field}"), r, failures).await;
        let mut form = t.valid.clone();
        form.push((field.clone(), "again".into()));
        form.push((field.clone(), "\0".into()));
        let r = t.submit(&form, &[]).await;
        t.judge(format!("with {field} three times"), r, failures).await;
    }
    let mut form = t.valid.clone();
    for (k, v) in [
        ("reporter_id", "1"),
        ("status", "closed"),
        ("department_id", "1"),
        ("user_id", "1"),
        ("is_public", "true"),
        ("role", "admin"),
        ("a[b][c]", "x"),
        ("", "nameless"),
        ("\u{202E}\0", "x"),
    ] {
        form.push((k.to_string(), v.to_string()));
    }
    let r = t.submit(&form, &[]).await;
    t.judge("with unknown extra fields".into(), r, failures).await;
    // Bytes that are no UTF-8, escaped and raw: a lone surrogate, 0xFF, NUL.
    let token = token(&mut t.b).await;
    for bad in [&b"%ED%A0%80%FF%FE%00"[..], &b"\xFF\xFE\x00\xED\xA0\x80"[..]] {
        let mut body = format!("csrf_token={token}").into_bytes();
        for field in fields {
            body.extend(format!("&{field}=").as_bytes());
            body.extend_from_slice(bad);
        }
        // To a photo form these are also the wrong type of body; both must be answered.
        let r = t.send_raw(body, Some("application/x-www-form-urlencoded")).await;
        t.judge(format!("every field as the bytes {}", shown(&String::from_utf8_lossy(bad))), r, failures).await;
    }
    let urlencoded = serde_urlencoded::to_string(&t.valid).expect("encode").into_bytes();
    let kinds: [(&str, Option<&str>, Vec<u8>); 6] = [
        ("text/plain", Some("text/plain"), urlencoded.clone()),
        ("application/json", Some("application/json"), br#"{"title": "x", "csrf_token": 1}"#.to_vec()),
        ("multipart without a boundary", Some("multipart/form-data"), urlencoded.clone()),
        ("urlencoded declared as multipart", Some("multipart/form-data; boundary=xyz"), urlencoded.clone()),
        ("no content type", None, urlencoded.clone()),
        ("a content type of garbage", Some("garbage/;;;=="), urlencoded),
    ];
    for (what, ct, body) in kinds {
        let r = t.send_raw(body, ct).await;
        t.judge(format!("sent as {what}"), r, failures).await;
    }
    // A multipart body of 100 parts to whatever the route is.
    let boundary = "hostile-boundary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n");
    for i in 0..100 {
        let name = fields.get(i % fields.len().max(1)).cloned().unwrap_or_else(|| format!("x{i}"));
        body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{i}\0\r\n"));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    let r = t.send_raw(body.into_bytes(), Some(&format!("multipart/form-data; boundary={boundary}"))).await;
    t.judge("a multipart body of 100 parts".into(), r, failures).await;
}

/// Photo forms: hostile file names, too many files, files that are no image.
async fn multipart_attacks(t: &mut Target<'_>, failures: &mut Vec<String>) {
    let png = crate::helpers::png();
    let valid = t.valid.clone();
    for name in ["../../x.jpg", "C:\\x.jpg", "a\0b.jpg", "\u{202E}gpj.exe", "/etc/passwd", "%2e%2e%2fx.jpg", ""] {
        let r = t.submit(&valid, &[("photos", name, &png)]).await;
        t.judge(format!("a photo named {}", shown(name)), r, failures).await;
    }
    let many: Vec<(&str, &str, &[u8])> = (0..100).map(|_| ("photos", "p.png", png.as_slice())).collect();
    let r = t.submit(&valid, &many).await;
    t.judge("100 photos".into(), r, failures).await;
    let r = t.submit(&valid, &[("photos", "x.jpg", b"<?php system($_GET[1]); ?>")]).await;
    t.judge("a photo that is a script".into(), r, failures).await;
}

/// The POST rows of the table whose route satisfies `pick`, attacked one after another.
async fn attack_forms(pick: fn(&str) -> bool) {
    let w = authz::world().await;
    journal(&w).await;
    let d = discovered(&w).await;
    let mut failures = vec![];
    for (n, row) in TABLE.iter().enumerate().filter(|(_, r)| r.method == "POST" && pick(r.route)) {
        attack_form(&w, d, row, 20_000 + n * 1_000, &mut failures).await;
    }
    report(&failures);
}

#[tokio::test]
async fn every_form_a_page_shows_is_a_route_the_hostile_tests_attack() {
    let w = authz::world().await;
    let d = discovered(&w).await;
    assert!(d.unknown.is_empty(), "forms posting to no route of the table: {:#?}", d.unknown);
    let posts: BTreeSet<&str> = TABLE.iter().filter(|r| r.method == "POST").map(|r| r.route).collect();
    let unseen: Vec<&&str> = posts
        .iter()
        .filter(|r| !d.posts.contains_key(**r) && !NOT_FORMS.contains(r) && !HAND_LISTED.iter().any(|(h, _)| h == *r))
        .collect();
    assert!(unseen.is_empty(), "POST routes whose form no page shows and HAND_LISTED lacks: {unseen:?}");
    let stale: Vec<&str> = HAND_LISTED.iter().map(|(r, _)| *r).filter(|r| d.posts.contains_key(r)).collect();
    assert!(stale.is_empty(), "hand-listed forms that a page shows after all (remove them): {stale:?}");
    assert!(d.posts.len() > 40 && d.queries.contains_key("/complaints"), "discovery found the forms: {d:#?}");
}

#[tokio::test]
async fn hostile_values_in_the_public_and_account_forms_are_refused_cleanly() {
    attack_forms(|r| !r.starts_with("/d/") && !r.starts_with("/admin")).await;
}

#[tokio::test]
async fn hostile_values_in_the_complaint_and_lost_found_staff_forms_are_refused_cleanly() {
    attack_forms(|r| r.starts_with("/d/{dept}/complaints") || r.starts_with("/d/{dept}/lost-found")).await;
}

#[tokio::test]
async fn hostile_values_in_the_reception_plan_and_member_staff_forms_are_refused_cleanly() {
    attack_forms(|r| {
        r.starts_with("/d/")
            && !r.starts_with("/d/{dept}/complaints")
            && !r.starts_with("/d/{dept}/lost-found")
            && !r.starts_with("/d/{dept}/events")
    })
    .await;
}

#[tokio::test]
async fn hostile_values_in_the_event_staff_forms_are_refused_cleanly() {
    attack_forms(|r| r.starts_with("/d/{dept}/events")).await;
}

#[tokio::test]
async fn hostile_values_in_the_admin_forms_are_refused_cleanly() {
    attack_forms(|r| r.starts_with("/admin")).await;
}

/// Names tried on every page besides those its forms and links use.
const COMMON_PARAMS: [&str; 12] =
    ["q", "page", "after", "before", "cursor", "next", "status", "category", "point", "from", "to", "size"];

#[tokio::test]
async fn hostile_query_parameters_on_every_page_are_answered_cleanly() {
    let w = authz::world().await;
    let d = discovered(&w).await;
    let mut failures = vec![];
    let raw_queries =
        ["q=%FF%FE%00", "q=%ED%A0%80", "q=%00&q=%00", "page=99999999999999999999&page=-1", "%00=%00", "q"];
    for (n, row) in TABLE.iter().enumerate().filter(|(_, r)| r.method == "GET" && r.route != "/healthz") {
        let Some(actor) = actor_for(row, Expect::Ok) else { continue };
        let (path, _) = w.prepare(row, 40_000 + n).await;
        let mut b = w.browser_for(actor).await;
        let mut params: BTreeSet<String> = COMMON_PARAMS.iter().map(|p| p.to_string()).collect();
        params.extend(d.queries.get(row.route).cloned().unwrap_or_default());
        let join = if path.contains('?') { '&' } else { '?' };
        for payload in classic_payloads() {
            // A URI holds at most 64 KiB: the long ones go in one parameter, cut to fit.
            let long = payload.len() > 10_000;
            let names: Vec<&String> = if long { params.iter().take(1).collect() } else { params.iter().collect() };
            let payload: String = if long { payload.chars().take(5_000).collect() } else { payload };
            let encoded = union_portal::web::forms::url_encode(&payload);
            let query: Vec<String> = names.iter().map(|p| format!("{p}={encoded}")).collect();
            let url = format!("{path}{join}{}", query.join("&"));
            let r = b.get(&url).await;
            judge(
                &format!("GET {path} ({}) every parameter={}", authz::ROLES[actor], shown(&payload)),
                &r,
                None,
                &mut failures,
            );
        }
        for raw in raw_queries {
            let r = b.get(&format!("{path}{join}{raw}")).await;
            judge(&format!("GET {path}{join}{raw}"), &r, None, &mut failures);
        }
    }
    report(&failures);
}

/// Segments put in place of each placeholder of every route.
const HOSTILE_SEGMENTS: [&str; 13] = [
    "99999999999999999999",
    "-1",
    "0",
    "abc",
    "%00",
    "a%00b",
    "%FF%FE",
    "..%2F..%2Fetc%2Fpasswd",
    "1e309",
    "NaN",
    "%E2%80%AE1",
    "%F0%9F%98%80",
    "'%20or%201=1",
];

#[tokio::test]
async fn hostile_path_segments_on_every_route_are_answered_cleanly() {
    let w = authz::world().await;
    journal(&w).await;
    let mut failures = vec![];
    for (n, row) in TABLE.iter().enumerate().filter(|(_, r)| r.route.contains('{')) {
        let wanted = if row.method == "GET" { Expect::Ok } else { Expect::Done };
        let Some(actor) = actor_for(row, wanted) else { continue };
        let (path, form) = w.prepare(row, 50_000 + n).await;
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let mut b = w.browser_for(actor).await;
        let pattern: Vec<&str> = row.route.split('/').collect();
        let segs: Vec<&str> = path.split('?').next().unwrap_or_default().split('/').collect();
        for (i, _) in pattern.iter().enumerate().filter(|(_, p)| p.starts_with('{')) {
            for bad in HOSTILE_SEGMENTS {
                let mut s = segs.clone();
                s[i] = bad;
                let url = s.join("/");
                let before = digest(&w).await;
                let r = if row.method == "GET" {
                    b.get(&url).await
                } else if authz::MULTIPART.contains(&row.route) {
                    b.post_multipart(&url, &fields, &[]).await
                } else {
                    b.post_form(&url, &fields).await
                };
                let changed = if r.status.is_client_error() && row.method == "POST" {
                    Some(changed_tables(&before, &digest(&w).await))
                } else {
                    None
                };
                judge(&format!("{} {url} ({})", row.method, authz::ROLES[actor]), &r, changed, &mut failures);
            }
        }
    }
    report(&failures);
}

#[test]
fn the_photo_routes_of_the_csrf_check_are_the_routes_that_take_photos() {
    let mut photo_routes = union_portal::web::csrf::PHOTO_ROUTES.to_vec();
    let mut multipart = authz::MULTIPART.to_vec();
    photo_routes.sort_unstable();
    multipart.sort_unstable();
    assert_eq!(photo_routes, multipart, "the multipart forms of the authorization table");
    let raised: usize = crate::security::route_discovery::sources()
        .iter()
        .map(|(_, src)| src.matches("DefaultBodyLimit::max(crate::config::UPLOAD_LIMIT)").count())
        .sum();
    assert_eq!(raised, photo_routes.len(), "each route that raises its body limit for photos, and no other");
}

#[tokio::test]
async fn the_change_journal_sees_a_saved_form_and_nothing_of_a_refused_one() {
    let w = authz::world().await;
    journal(&w).await;
    let row = TABLE.iter().find(|r| r.route == "/reception/{code}/questions").expect("the question form");
    let (path, _) = w.prepare(row, 1).await;
    let mut student = w.browser_for(1).await;
    let before = digest(&w).await;
    let r = student.post_form(&path, &[("body", "\0")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(digest(&w).await, before, "a refusal is not in the journal");
    let r = student.post_form(&path, &[("body", "图书馆能否延长开放时间？")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(changed_tables(&before, &digest(&w).await), ["reception_question"], "a saved question is");
}

/// The row of the table for this route, and a browser of the role that may act on it.
async fn acting_on(w: &World, route: &str) -> (String, Vec<(String, String)>, Browser) {
    let row = TABLE.iter().find(|r| r.route == route && r.method == "POST").expect("a row of the table");
    let (path, form) = w.prepare(row, 90_000).await;
    let actor = actor_for(row, Expect::Done).expect("someone may act");
    (path, form, w.browser_for(actor).await)
}

#[tokio::test]
async fn a_nul_in_a_key_a_form_sends_back_is_a_message_beside_the_field() {
    let w = authz::world().await;
    journal(&w).await;
    for (route, field, message) in [
        ("/d/{dept}/complaints/{tracking_no}/transfer", "dept", "请选择"),
        ("/d/{dept}/complaints/{tracking_no}/merge", "into", ""),
        ("/admin/complaint-setup/categories/add", "dept", ""),
        ("/admin/memberships/grant", "dept", ""),
    ] {
        let (path, valid, mut b) = acting_on(&w, route).await;
        let before = digest(&w).await;
        let mut form: Vec<(&str, &str)> = valid.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        form.retain(|(k, _)| *k != field);
        form.push((field, "rights\0"));
        let r = b.post_form(&path, &form).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{route}: {}", shown(&r.body));
        let said = r.field_error(field).unwrap_or_default();
        assert!(!said.is_empty() && said.contains(message), "{route}: a message beside {field}: {said:?}");
        assert_eq!(digest(&w).await, before, "{route}: nothing saved");
    }
}

#[tokio::test]
async fn a_nul_in_a_search_or_filter_is_searched_without_it() {
    let w = authz::world().await;
    let admin = w.browser_for(8).await;
    for (mut b, url) in [
        (w.browser_for(0).await, "/complaints?category=%00&q=%00"),
        (w.browser_for(0).await, "/complaints?category=canteen%00"),
        (admin, "/admin/users?q=2026%00"),
    ] {
        let r = b.get(url).await;
        assert_eq!(r.status, StatusCode::OK, "{url}");
    }
}

#[tokio::test]
async fn a_nul_or_an_overflowing_number_in_a_path_is_a_friendly_page_not_a_500() {
    let w = authz::world().await;
    let mut anonymous = w.browser_for(0).await;
    for url in
        ["/complaints/%00", "/complaints/a%00b/photos/1", "/complaints/QY-2026-000001/photos/99999999999999999999"]
    {
        let r = anonymous.get(url).await;
        assert!(matches!(r.status.as_u16(), 400 | 404), "{url}: {}", r.status);
        assert!(r.body.contains("请求有误") || r.body.contains("页面不存在"), "{url}: the friendly page");
    }
    let mut admin = w.browser_for(8).await;
    // An id that does not parse names nothing: the portal's Path answers the friendly 404.
    let r = admin.post_form("/admin/users/abc/disable", &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("页面不存在") && !r.body.contains("Cannot parse"), "not axum's text: {}", shown(&r.body));
}

#[tokio::test]
async fn a_form_sent_as_another_type_gets_a_friendly_page() {
    let w = authz::world().await;
    let (path, _, mut b) = acting_on(&w, "/reception/{code}/questions").await;
    let token = token(&mut b).await;
    for ct in ["text/plain", "application/json", "multipart/form-data"] {
        let r = b
            .send_bytes(Method::POST, &path, b"body=x".to_vec(), &[("x-csrf-token", &token), ("content-type", ct)])
            .await;
        assert!(matches!(r.status.as_u16(), 400 | 415), "{ct}: {}", r.status);
        assert!(
            r.body.contains("请求有误") && r.header("content-type").unwrap_or_default().starts_with("text/html"),
            "{ct}"
        );
    }
}
