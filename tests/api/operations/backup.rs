//! Backup and restore with the real binary and the test PostgreSQL server: a demo
//! installation with photos, backed up while it serves, restored into an empty
//! database and a new data directory, serves the same pages and photos; restore
//! refuses a database or a data directory that holds anything, and changes nothing.
//!
//! Pages are compared byte for byte. Nothing in a body is normalised: the per-visitor
//! value, the anonymous CSRF token, is made equal instead by sending both servers the
//! same `portal_csrf` cookie (the logged-in pages carry their session's token, which
//! the backup holds). Of the headers only the status and `Content-Type` are compared:
//! `x-request-id`, `date` and `set-cookie` differ per request by design.

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::http::StatusCode;
use sqlx::PgPool;

use crate::helpers::{empty_database, Browser, PASSWORD};

const BIN: &str = env!("CARGO_BIN_EXE_union-portal");
const DEMO_STUDENT: &str = "2025990001";
const RIGHTS_HEAD: &str = "2023010001";

/// One command of the portal against `url` and `data_dir`: (succeeded, everything it printed).
fn portal(url: &str, data_dir: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run the portal");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// `union-portal serve` on a free port, its log kept; stopped with SIGTERM when dropped.
struct Served {
    child: Child,
    base: String,
    log: Arc<Mutex<String>>,
}

impl Served {
    fn start(url: &str, data_dir: &Path) -> Served {
        let mut child = Command::new(BIN)
            .args(["serve", "--addr", "127.0.0.1:0", "--page-cache-ms", "0", "--data-dir"])
            .arg(data_dir)
            .env("DATABASE_URL", url)
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the portal");
        let log = Arc::new(Mutex::new(String::new()));
        let (lines, sink) = (BufReader::new(child.stdout.take().expect("stdout")).lines(), log.clone());
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let mut log = sink.lock().expect("log");
                log.push_str(&line);
                log.push('\n');
            }
        });
        let mut served = Served { child, base: String::new(), log };
        let line = served.wait_for("union-portal is serving at ");
        served.base = line.trim().trim_start_matches("union-portal is serving at ").to_string();
        served
    }

    /// The first line of the log holding `needle`, waiting up to a minute for it.
    fn wait_for(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let log = self.log.lock().expect("log").clone();
            if let Some(line) = log.lines().find(|l| l.contains(needle)) {
                return line.to_string();
            }
            assert!(Instant::now() < deadline, "no `{needle}` in the log:\n{log}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        let _ = self.child.wait();
    }
}

struct Page {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

async fn fetch(client: &reqwest::Client, base: &str, path: &str, cookie: &str) -> Page {
    let r = client
        .get(format!("{base}{path}"))
        // Both servers are asked for the same host: absolute links (feeds) then agree.
        .header("host", "portal.test")
        .header("cookie", cookie)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = r.status().as_u16();
    let content_type = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    Page { status, content_type, body: r.bytes().await.expect("body").to_vec() }
}

/// Where two bodies part, with some text of each around it.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let at = a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
    let around = |s: &[u8]| String::from_utf8_lossy(&s[at.saturating_sub(300)..(at + 300).min(s.len())]).into_owned();
    format!("at byte {at} of {} / {}:\n--- A\n{}\n--- B\n{}", a.len(), b.len(), around(a), around(b))
}

async fn user_id(db: &PgPool, student_no: &str) -> i64 {
    sqlx::query_scalar("select user_id from app_user where student_no = $1")
        .bind(student_no)
        .fetch_one(db)
        .await
        .expect("demo account")
}

fn png(seed: u8) -> Vec<u8> {
    let image = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, seed]));
    let mut out = vec![];
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encode");
    out
}

/// Added to the demo through the real router on database A: a public complaint
/// with a photo, a found item with a photo, and the bulletin announcing it. Returns
/// (tracking number, found item id, bulletin path, the rights head's session token).
async fn add_photos(db: &PgPool, data_dir: &Path) -> (String, i64, String, String) {
    let config = union_portal::config::Config::for_tests(data_dir.to_path_buf());
    let router = union_portal::app::router(union_portal::app::AppState::new(db.clone(), config));
    let sign_in = |student_no: &'static str| {
        let router = router.clone();
        async move {
            let session = union_portal::web::session::insert_session(db, user_id(db, student_no).await).await;
            let token = session.expect("session").token;
            let mut b = Browser::new(router);
            b.jar.insert("portal_session".into(), token.clone());
            (b, token)
        }
    };
    let (mut student, _) = sign_in(DEMO_STUDENT).await;
    let fields = [
        ("category", "other"),
        ("title", "宿舍墙面开裂"),
        ("location", "北区57栋"),
        ("description", "见照片"),
        ("visibility", "public"),
    ];
    let r = student.post_multipart("/complaints/new", &fields, &[("photos", "wall.png", &png(1))]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "filed: {}", r.body);
    let tracking_no = r.location().expect("filed").trim_start_matches("/complaints/").to_string();

    let (mut head, token) = sign_in(RIGHTS_HEAD).await;
    let point: i64 = sqlx::query_scalar("select point_id from collection_point where name_zh = '北区图书馆'")
        .fetch_one(db)
        .await
        .expect("point");
    let (point, today) = (point.to_string(), union_portal::web::forms::today().to_string());
    let fields = [
        ("point", point.as_str()),
        ("category", "umbrella"),
        ("description", "蓝色折叠伞"),
        ("found_place", "北区图书馆门口"),
        ("found_on", today.as_str()),
    ];
    let r = head.post_multipart("/d/rights/lost-found/items", &fields, &[("photo", "umbrella.png", &png(2))]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "registered: {}", r.body);
    let item: i64 = sqlx::query_scalar("select max(item_id) from found_item").fetch_one(db).await.expect("item");
    let r = head.post_form("/d/rights/lost-found/bulletins/publish", &[]).await;
    let bulletin = r.location().expect("published").to_string();
    (tracking_no, item, bulletin, token)
}

/// The public pages to compare: every kind, the new photos, and demo rows of each area.
async fn pages_to_compare(db: &PgPool, tracking_no: &str, item: i64, bulletin: &str) -> Vec<String> {
    let strings = |sql: &'static str| async move {
        sqlx::query_scalar::<_, String>(sql).fetch_all(db).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    let photo: i64 = sqlx::query_scalar(
        "select p.photo_id from complaint_photo p join complaint c using (complaint_id) where c.tracking_no = $1",
    )
    .bind(tracking_no)
    .fetch_one(db)
    .await
    .expect("the complaint's photo");
    let mut paths: Vec<String> = [
        "/",
        "/complaints",
        "/lost-found",
        "/lost-found/bulletins",
        "/reception",
        "/commitments",
        "/plans",
        "/stats",
        "/feeds/lost-found.atom",
        "/feeds/reception.atom",
    ]
    .map(String::from)
    .into();
    paths.extend([
        format!("/complaints/{tracking_no}"),
        format!("/complaints/{tracking_no}/photos/{photo}"),
        format!("/complaints/{tracking_no}/photos/{photo}?size=thumb"),
        format!("/lost-found/items/{item}"),
        format!("/lost-found/items/{item}/photo"),
        format!("/lost-found/items/{item}/photo?size=thumb"),
        bulletin.to_string(),
        format!("{bulletin}/print"),
    ]);
    let demo = [
        "select '/complaints/' || tracking_no from complaint where is_public order by complaint_id limit 3",
        "select '/reception/' || k.path_prefix || s.number from reception_session s join reception_kind k using (kind)",
        "select '/commitments/' || commitment_id from commitment order by commitment_id limit 2",
        "select '/plans/' || plan_id from plan where is_public order by plan_id limit 2",
    ];
    for sql in demo {
        let found = strings(sql).await;
        assert!(!found.is_empty(), "the demo has rows for {sql}");
        paths.extend(found);
    }
    paths
}

#[tokio::test]
async fn a_backup_restored_into_an_empty_database_serves_the_same_pages_and_photos() {
    // Installation A: the demo, two photos, the daily jobs done, serving.
    let (a_url, a_dir) = (empty_database().await, tempfile::tempdir().expect("dir"));
    let (ok, text) = portal(&a_url, a_dir.path(), &["seed-demo"]);
    assert!(ok, "{text}");
    let a_db = PgPool::connect(&a_url).await.expect("connect to A");
    let (tracking_no, item, bulletin, head_token) = add_photos(&a_db, a_dir.path()).await;
    let a = Served::start(&a_url, a_dir.path());
    // The day's jobs change rows: done before the backup, they are not run again by B today.
    a.wait_for("complaint deadlines checked");
    a.wait_for("lost-and-found retention checked");

    // Backed up while A serves, through a URL with a password (the server trusts; it is ignored).
    let work = tempfile::tempdir().expect("dir");
    let archive = work.path().join("portal.tar");
    let secret = "never-printed-7Hq2";
    let with_password = a_url.replacen("://postgres@", &format!("://postgres:{secret}@"), 1);
    let (ok, text) = portal(&with_password, a_dir.path(), &["backup", "--to", archive.to_str().expect("path")]);
    assert!(ok, "{text}");
    assert!(text.contains("backed up database") && text.contains("20 files from uploads/"), "{text}");
    assert!(!text.contains(secret), "no password printed: {text}");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&archive).expect("archive").permissions().mode() & 0o777, 0o600, "owner only");
    let listing = Command::new("tar").arg("-tf").arg(&archive).output().expect("tar");
    let listing = String::from_utf8_lossy(&listing.stdout).into_owned();
    let names: Vec<String> = sqlx::query_scalar(
        "select file_name from complaint_photo union all select thumb_name from complaint_photo
         union all select photo_name from found_item where photo_name is not null
         union all select thumb_name from found_item where thumb_name is not null",
    )
    .fetch_all(&a_db)
    .await
    .expect("photo names");
    // The complaint's photo, the umbrella's and the eight demo items', each with its thumbnail.
    assert_eq!(names.len(), 20);
    for name in ["backup.txt", "database.dump"].iter().map(|s| s.to_string()).chain(names.iter().cloned()) {
        assert!(listing.lines().any(|l| l.ends_with(&name)), "{name} in the archive:\n{listing}");
    }
    let manifest = Command::new("tar").arg("-xOf").arg(&archive).arg("backup.txt").output().expect("tar");
    let manifest = String::from_utf8_lossy(&manifest.stdout).into_owned();
    let migration = union_portal::MIGRATOR.iter().map(|m| m.version).max().expect("migrations");
    assert!(manifest.contains(&format!("migration: {migration}\n")), "{manifest}");
    assert!(!manifest.contains(secret), "{manifest}");

    // Installation B: an empty database and a new data directory.
    let (b_url, b_dir) = (empty_database().await, tempfile::tempdir().expect("dir"));
    let (ok, text) = portal(&b_url, b_dir.path(), &["restore", "--from", archive.to_str().expect("path")]);
    assert!(ok, "{text}");
    assert!(text.contains("restored database") && text.contains("20 files into"), "{text}");
    for name in &names {
        let [from, to] = [a_dir.path(), b_dir.path()].map(|d| union_portal::uploads::path_of(d, name).expect("path"));
        assert_eq!(std::fs::read(to).expect("restored photo"), std::fs::read(from).expect("photo"), "{name}");
    }
    let b = Served::start(&b_url, b_dir.path());

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let visitor = format!("portal_csrf={}", "v".repeat(43));
    let staff = format!("portal_session={head_token}");
    let rights_case: String = sqlx::query_scalar(
        "select tracking_no from complaint join department using (department_id) where slug = 'rights' limit 1",
    )
    .fetch_one(&a_db)
    .await
    .expect("a rights complaint");
    let mut asked: Vec<(String, &str)> = pages_to_compare(&a_db, &tracking_no, item, &bulletin)
        .await
        .into_iter()
        .map(|p| (p, visitor.as_str()))
        .collect();
    // A session created in A is valid in B: staff pages, as the head of rights.
    for path in ["/me".to_string(), "/me/notifications".into(), "/d/rights".into(), "/d/rights/complaints".into()]
        .into_iter()
        .chain([format!("/d/rights/complaints/{rights_case}"), "/d/rights/lost-found".into()])
    {
        asked.push((path, staff.as_str()));
    }
    for (path, cookie) in &asked {
        let (from_a, from_b) =
            (fetch(&client, &a.base, path, cookie).await, fetch(&client, &b.base, path, cookie).await);
        assert_eq!(from_a.status, 200, "{path} on A");
        assert_eq!((from_b.status, &from_b.content_type), (from_a.status, &from_a.content_type), "{path}");
        assert!(from_a.body == from_b.body, "{path} differs {}", first_difference(&from_a.body, &from_b.body));
    }
    let me = fetch(&client, &b.base, "/me", &staff).await;
    assert!(String::from_utf8_lossy(&me.body).contains(RIGHTS_HEAD), "B knows the session's user");
}

/// The tables, and every account's row: what a refused restore must leave as it was.
async fn snapshot(url: &str) -> (String, Option<String>) {
    let db = PgPool::connect(url).await.expect("connect");
    let tables: String = sqlx::query_scalar(
        "select coalesce(string_agg(relname, ',' order by relname), '') from pg_class c
         join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'",
    )
    .fetch_one(&db)
    .await
    .expect("tables");
    let users = if tables.is_empty() {
        None
    } else {
        sqlx::query_scalar("select string_agg(u::text, '|' order by user_id) from app_user u")
            .fetch_one(&db)
            .await
            .expect("users")
    };
    db.close().await;
    (tables, users)
}

#[tokio::test]
async fn restore_refuses_a_database_or_data_directory_that_holds_anything_and_changes_nothing() {
    let (url, dir) = (empty_database().await, tempfile::tempdir().expect("dir"));
    let (ok, text) = portal(
        &url,
        dir.path(),
        &["admin", "create-user", "--student-no", "2026400001", "--name", "备份", "--password", PASSWORD],
    );
    assert!(ok, "{text}");
    let photo = union_portal::uploads::new_name();
    union_portal::uploads::store(&union_portal::uploads::Storage::local(dir.path()), &photo, b"a photo")
        .await
        .expect("store");
    let work = tempfile::tempdir().expect("dir");
    let archive = work.path().join("portal.tar");
    let archive_arg = archive.to_str().expect("path");
    let (ok, text) = portal(&url, dir.path(), &["backup", "--to", archive_arg]);
    assert!(ok, "{text}");
    let (ok, text) = portal(&url, dir.path(), &["backup", "--to", archive_arg]);
    assert!(!ok && text.contains("exists already"), "a backup is never overwritten: {text}");

    // Into a database that holds the portal: refused, the database as it was.
    let before = snapshot(&url).await;
    assert!(before.1.as_deref().is_some_and(|u| u.contains("2026400001")));
    let fresh_dir = tempfile::tempdir().expect("dir");
    let (ok, text) = portal(&url, fresh_dir.path(), &["restore", "--from", archive_arg]);
    assert!(!ok, "refused: {text}");
    assert!(text.contains("refusing to restore") && text.contains("tables"), "{text}");
    assert_eq!(snapshot(&url).await, before);
    assert_eq!(std::fs::read_dir(fresh_dir.path()).expect("dir").count(), 0, "nothing written to the data directory");

    // Into an empty database, but a data directory with uploads: refused, the database still empty.
    let empty = empty_database().await;
    let (ok, text) = portal(&empty, dir.path(), &["restore", "--from", archive_arg]);
    assert!(!ok, "refused: {text}");
    assert!(text.contains("refusing to restore") && text.contains("uploads holds 1 file."), "{text}");
    assert_eq!(snapshot(&empty).await, (String::new(), None));
    let entries: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").flatten().map(|e| e.file_name()).collect();
    assert_eq!(entries, ["uploads"], "no work folder left behind");
    let kept = std::fs::read(union_portal::uploads::path_of(dir.path(), &photo).expect("path")).expect("kept");
    assert_eq!(kept, b"a photo");

    // Into both empty: it works, and a second restore over it is refused.
    let (ok, text) = portal(&empty, fresh_dir.path(), &["restore", "--from", archive_arg]);
    assert!(ok && text.contains("1 file into"), "{text}");
    assert_eq!(snapshot(&empty).await, before);
    let (ok, text) = portal(&empty, fresh_dir.path(), &["restore", "--from", archive_arg]);
    assert!(!ok && text.contains("tables and sequences;") && text.contains("uploads holds 1 file."), "{text}");
}
