//! The portal as a cluster, started by the project's own `scripts/cluster`: three processes
//! behind HAProxy (round robin, health checks on `/readyz`), their pools through PgBouncer,
//! a primary with a streaming replica for public reads, uploads in an S3
//! server (the shared writes of events and plans are in `cluster_writes.rs`). One test, one cluster (it takes seconds to start), its checks one after another; each
//! prints a figure (run with `--nocapture` to see them) and the cluster is stopped at the end,
//! also when a check fails.

use std::{
    collections::HashMap,
    path::PathBuf,
    process::Command,
    time::{Duration, Instant},
};

use axum::http::StatusCode;
use sqlx::PgPool;
use union_portal::{app::AppState, config::Config};

use super::faults::students;
use crate::helpers::{png, HttpBrowser, PASSWORD};

/// What `scripts/cluster up DIR` started, stopped by `scripts/cluster down DIR` when dropped.
struct Cluster {
    dir: PathBuf,
    env: HashMap<String, String>,
}

fn script() -> String {
    format!("{}/scripts/cluster", env!("CARGO_MANIFEST_DIR"))
}

impl Cluster {
    fn up() -> Cluster {
        let dir = std::env::temp_dir().join(format!("union-portal-cluster-{}", std::process::id()));
        // Made first: if starting fails half-way, dropping it stops what did start.
        let mut cluster = Cluster { dir: dir.clone(), env: HashMap::new() };
        let status = Command::new(script())
            .args(["up", &dir.to_string_lossy()])
            .env("PORTAL_BIN", env!("CARGO_BIN_EXE_union-portal"))
            .status()
            .expect("run scripts/cluster (scripts/test installs what it needs)");
        assert!(status.success(), "scripts/cluster up failed: its logs were in {}", dir.display());
        let text = std::fs::read_to_string(dir.join("env")).expect("the cluster's env file");
        cluster.env = text
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.trim_matches('"').to_string()))
            .collect();
        cluster
    }

    fn var(&self, name: &str) -> &str {
        self.env.get(name).map(String::as_str).unwrap_or_else(|| panic!("{name} in the cluster's env"))
    }

    fn portals(&self) -> Vec<String> {
        self.var("PORTAL_URLS").split_whitespace().map(str::to_string).collect()
    }

    fn fault(&self, what: &str) {
        let status = Command::new(script()).args([what, &self.dir.to_string_lossy()]).status().expect(what);
        assert!(status.success(), "scripts/cluster {what}");
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(script()).args(["down", &self.dir.to_string_lossy()]).status();
    }
}

fn figure(what: &str) {
    println!("cluster: {what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_processes_behind_a_balancer_behave_as_one_portal() {
    let cluster = tokio::task::spawn_blocking(Cluster::up).await.expect("start the cluster");
    let primary = PgPool::connect(cluster.var("PRIMARY_URL")).await.expect("the primary");
    let data_dir = tempfile::tempdir().expect("data dir");
    let state = AppState::new(primary.clone(), Config::for_tests(data_dir.path().to_path_buf()));

    one_student_across_three_processes(&cluster).await;
    uploads_copy_out_of_the_bucket_and_resume(&cluster);
    the_replica_serves_the_public_board(&cluster).await;
    seats_are_shared(&cluster, &state).await;
    super::cluster_writes::applications_are_shared(cluster.var("CLUSTER_URL"), &cluster.portals(), &state).await;
    super::cluster_writes::two_editors_meet_one_conflict(&cluster.portals(), &state).await;
    limits_hold_as_one(&cluster, &state).await;
    a_killed_process_loses_no_acknowledged_write(&cluster, &state).await;
    reads_survive_the_replica_and_pgbouncer(&cluster, &state).await;
}

/// Register on one process, log in on another, file with photos on the third; every process
/// serves the photos, the same bytes.
async fn one_student_across_three_processes(cluster: &Cluster) {
    let p = cluster.portals();
    let mut b = HttpBrowser::new(&p[0]);
    b.get("/register").await;
    let fields = [
        ("student_no", "2026790001"),
        ("name", "三地同学"),
        ("college", "法学院"),
        ("email", "three@stu.example.edu.cn"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ];
    assert_eq!(b.post_form("/register", &fields).await.status, StatusCode::SEE_OTHER, "registered on #1");
    b.base = p[1].clone();
    b.get("/login").await;
    let r = b.post_form("/login", &[("student_no", "2026790001"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "logged in on #2");
    b.base = p[2].clone();
    b.get("/complaints/new").await;
    let fields = [
        ("category", "dorm"),
        ("title", "宿舍楼热水器坏了"),
        ("location", "西区3号楼"),
        ("description", "三楼热水器一周没有热水。"),
        ("visibility", "public"),
    ];
    let photo = png();
    let files = [("photos", "a.png", photo.as_slice()), ("photos", "b.png", photo.as_slice())];
    let r = b.post_multipart("/complaints/new", &fields, &files).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "filed on #3: {}", r.body);
    let case = r.location().expect("the new complaint").to_string();
    let page = b.get(&case).await;
    let photos: Vec<String> = page
        .body
        .match_indices(&format!("{case}/photos/"))
        .map(|(i, _)| page.body[i..].split('"').next().unwrap_or_default().to_string())
        .collect();
    assert!(photos.len() >= 2, "the page shows both photos");
    let mut first: Option<Vec<u8>> = None;
    for url in &p {
        b.base = url.clone();
        let r = b.get(&photos[0]).await;
        assert_eq!(r.status, StatusCode::OK, "{url} serves the photo");
        assert_eq!(first.get_or_insert_with(|| r.bytes.clone()), &r.bytes, "the same bytes from {url}");
    }
    let listing =
        reqwest::get(format!("http://127.0.0.1:{}/portal?list-type=2&prefix=uploads/", cluster.var("S3_PORT")))
            .await
            .expect("the bucket's listing")
            .text()
            .await
            .expect("listing");
    let objects = listing.matches("<Key>").count();
    assert!(objects >= 4, "two photos and their thumbnails in the bucket: {listing}");
    figure(&format!(
        "registered on #1, logged in on #2, filed 2 photos on #3: {objects} objects in the bucket, served by all 3"
    ));
}

/// `union-portal storage-copy` takes every upload out of the bucket into a folder; run again,
/// it copies nothing (what is there with the same size is skipped).
fn uploads_copy_out_of_the_bucket_and_resume(cluster: &Cluster) {
    let folder = tempfile::tempdir().expect("folder");
    let to = format!("file://{}", folder.path().display());
    let copy = || {
        let out = Command::new(env!("CARGO_BIN_EXE_union-portal"))
            .args(["storage-copy", "--to", &to])
            .env("PORTAL_STORAGE_URL", "s3://portal/uploads")
            .env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{}", cluster.var("S3_PORT")))
            .envs([("AWS_ACCESS_KEY_ID", "cluster"), ("AWS_SECRET_ACCESS_KEY", "cluster"), ("AWS_REGION", "us-east-1")])
            .output()
            .expect("run storage-copy");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let first = copy();
    assert!(first.starts_with("4 copied, 0 already there"), "{first}");
    assert!(copy().starts_with("0 copied, 4 already there"), "resumable");
    let files = walk(folder.path());
    assert_eq!(files, 4, "the two photos and their thumbnails in the folder");
    figure(&format!("storage-copy out of the bucket: {}", first.trim()));
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum())
        .unwrap_or(0)
}

/// How often the replica has read `table` (index and sequential scans, as its statistics count them).
async fn table_scans(replica: &PgPool, table: &str) -> i64 {
    sqlx::query_scalar(
        "select coalesce(sum(coalesce(idx_scan, 0) + seq_scan), 0)::bigint from pg_stat_user_tables where relname = $1",
    )
    .bind(table)
    .fetch_one(replica)
    .await
    .expect("replica statistics")
}

/// Public searches through the balancer run on the replica: its own statistics count the
/// complaint table's scans (the health checks' pings touch no table).
async fn the_replica_serves_the_public_board(cluster: &Cluster) {
    let replica = PgPool::connect(cluster.var("REPLICA_URL")).await.expect("the replica");
    let scans = || table_scans(&replica, "complaint");
    let before = scans().await;
    let mut b = HttpBrowser::new(cluster.var("CLUSTER_URL"));
    for n in 0..60 {
        let r = b.get(&format!("/complaints?q=热水器{n}")).await;
        assert_eq!(r.status, StatusCode::OK);
    }
    // A backend reports its counts when it goes idle, at most once a second.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let on_replica = scans().await - before;
    figure(&format!("60 board searches through the balancer: {on_replica} scans of complaints on the replica"));
    assert!(on_replica >= 60, "the replica answered the board's reads ({on_replica})");

    // The statistics too: each process computes its figures once, on the replica.
    let loans_read = || table_scans(&replica, "lending_loan");
    let before = loans_read().await;
    for portal in cluster.portals() {
        assert_eq!(HttpBrowser::new(&portal).get("/stats").await.status, StatusCode::OK);
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let on_replica = loans_read().await - before;
    figure(&format!("/stats on each of 3 processes: {on_replica} reads of lending_loan on the replica"));
    assert!(on_replica >= 3, "the replica computed the statistics ({on_replica})");
}

/// 50 students for 20 seats, their sign-ups spread over the processes at once.
async fn seats_are_shared(cluster: &Cluster, state: &AppState) {
    const SEATS: i64 = 20;
    let organiser = students(state, 2026791001, 1).await.remove(0);
    super::faults::grant(&state.db, organiser.0, union_portal::web::DeptRole::ViceHead).await;
    let (_, code) = super::faults::open_reception(&cluster.portals()[0], &organiser.1, &state.db, SEATS).await;
    let people = students(state, 2026792001, 50).await;
    let started = Instant::now();
    let tasks: Vec<_> = people
        .iter()
        .map(|(_, s)| {
            let mut b = HttpBrowser::signed_in(cluster.var("CLUSTER_URL"), s);
            let path = format!("/reception/{code}/signup");
            tokio::spawn(async move { b.post_form(&path, &[]).await.status })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.expect("sign-up"), StatusCode::SEE_OTHER);
    }
    let took = started.elapsed();
    // In order: every seat was taken before anyone was put on the waiting list.
    let (seat, waiting, in_order): (i64, i64, bool) = sqlx::query_as(
        "select count(*) filter (where s.status = 'seat'), count(*) filter (where s.status = 'waiting'),
                max(s.queued_at) filter (where s.status = 'seat') < min(s.queued_at) filter (where s.status = 'waiting')
         from reception_signup s join reception_session r using (session_id)
         join reception_kind k using (kind) where k.path_prefix || r.number = $1",
    )
    .bind(&code)
    .fetch_one(&state.db)
    .await
    .expect("count");
    figure(&format!(
        "50 sign-ups over 3 processes in {took:.0?}: {seat} seats, {waiting} waiting, in order: {in_order}"
    ));
    assert_eq!((seat, waiting, in_order), (SEATS, 50 - SEATS, true), "20 seats and not one more, in order");
}

/// The login limit (10 failures) and the filing limit (20 an hour) count across processes.
async fn limits_hold_as_one(cluster: &Cluster, state: &AppState) {
    let (_, filer) = students(state, 2026793001, 1).await.remove(0);
    let mut b = HttpBrowser::signed_in(cluster.var("CLUSTER_URL"), &filer);
    let mut filed = 0;
    let mut refused_at = None;
    for n in 1..=21 {
        let title = format!("限额测试第{n}次");
        let fields = [
            ("category", "teaching"),
            ("title", title.as_str()),
            ("location", "教学楼"),
            ("description", "测试。"),
            ("visibility", "public"),
        ];
        match b.post_multipart("/complaints/new", &fields, &[]).await.status {
            StatusCode::SEE_OTHER => filed += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                refused_at = Some(n);
                break;
            }
            other => panic!("filing {n} answered {other}"),
        }
    }
    figure(&format!("filing limit 20 an hour over 3 processes: {filed} filed, refused at {refused_at:?}"));
    assert_eq!((filed, refused_at), (20, Some(21)), "one limit, not three");

    let mut guesser = HttpBrowser::new(cluster.var("CLUSTER_URL"));
    guesser.get("/login").await;
    let mut refused_at = None;
    for n in 1..=12 {
        let r = guesser.post_form("/login", &[("student_no", "2026793001"), ("password", "wrong guess")]).await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            refused_at = Some(n);
            break;
        }
    }
    figure(&format!("failed logins over 3 processes: refused at attempt {refused_at:?}"));
    assert_eq!(refused_at, Some(11), "ten failures, then the wait, wherever they landed");
}

/// Students file through the balancer while one process is killed: every filing the portal
/// acknowledged is in the database, and the others keep serving.
async fn a_killed_process_loses_no_acknowledged_write(cluster: &Cluster, state: &AppState) {
    let filers = students(state, 2026794001, 6).await;
    let tasks: Vec<_> = filers
        .into_iter()
        .map(|(_, s)| {
            let mut b = HttpBrowser::signed_in(cluster.var("CLUSTER_URL"), &s);
            tokio::spawn(async move {
                let (mut acknowledged, mut failed) = (vec![], 0);
                for n in 0..18 {
                    let title = format!("断电测试{n}");
                    let fields = [
                        ("category", "teaching"),
                        ("title", title.as_str()),
                        ("location", "教学楼"),
                        ("description", "测试。"),
                        ("visibility", "public"),
                    ];
                    match b.try_post_multipart("/complaints/new", &fields, &[]).await {
                        Ok(r) if r.status == StatusCode::SEE_OTHER => acknowledged
                            .push(r.location().unwrap_or_default().rsplit('/').next().unwrap_or_default().to_string()),
                        _ => failed += 1,
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                (acknowledged, failed)
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(700)).await;
    let victim: i32 = cluster.var("PORTAL_PIDS").split_whitespace().nth(1).and_then(|p| p.parse().ok()).expect("pid");
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(victim), nix::sys::signal::Signal::SIGKILL).expect("kill #2");
    let (mut acknowledged, mut failed) = (vec![], 0);
    for t in tasks {
        let (a, f) = t.await.expect("filer");
        acknowledged.extend(a);
        failed += f;
    }
    let stored: i64 = sqlx::query_scalar("select count(*) from complaint where tracking_no = any($1)")
        .bind(&acknowledged)
        .fetch_one(&state.db)
        .await
        .expect("count");
    figure(&format!(
        "#2 killed mid-load: {} acknowledged, {stored} of them stored, {failed} failed",
        acknowledged.len()
    ));
    assert_eq!(stored, acknowledged.len() as i64, "no acknowledged write lost");
    assert!(acknowledged.len() >= 80, "the other processes kept filing ({})", acknowledged.len());
    let mut b = HttpBrowser::new(cluster.var("CLUSTER_URL"));
    for _ in 0..12 {
        assert_eq!(b.get("/complaints").await.status, StatusCode::OK, "the balancer dropped #2");
    }
}

/// With the replica stopped, public reads fall back to the primary; PgBouncer restarted (the
/// primary's pool): 503s at most for a moment, then a student's page answers within seconds.
async fn reads_survive_the_replica_and_pgbouncer(cluster: &Cluster, state: &AppState) {
    let mut b = HttpBrowser::new(cluster.var("CLUSTER_URL"));
    cluster.fault("replica-stop");
    for n in 0..20 {
        let r = b.get(&format!("/complaints?q=停电{n}")).await;
        assert_eq!(r.status, StatusCode::OK, "search {n} with the replica stopped");
    }
    figure("replica stopped: 20 of 20 searches answered from the primary");
    cluster.fault("replica-start");

    let (_, student) = students(state, 2026795001, 1).await.remove(0);
    let mut b = HttpBrowser::signed_in(cluster.var("CLUSTER_URL"), &student);
    let bouncer_pid = || std::fs::read_to_string(cluster.dir.join("pgbouncer.pid")).unwrap_or_default();
    let before = bouncer_pid();
    let started = Instant::now();
    cluster.fault("pgbouncer-restart");
    assert_ne!(bouncer_pid().trim(), before.trim(), "a new PgBouncer process");
    let mut unavailable = 0;
    loop {
        let r = b.get("/me").await;
        if r.status == StatusCode::OK {
            break;
        }
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "a friendly 503 meanwhile");
        unavailable += 1;
        assert!(started.elapsed() < Duration::from_secs(10), "answers again within seconds");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    figure(&format!("PgBouncer restarted: {unavailable} answers 503, served again after {:.0?}", started.elapsed()));
}
