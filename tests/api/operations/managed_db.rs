//! The real binary with its own managed PostgreSQL: created on first start,
//! reused afterwards, and never left running.

use std::{
    io::{BufRead, BufReader},
    os::unix::fs::PermissionsExt,
    path::Path,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

const BIN: &str = env!("CARGO_BIN_EXE_union-portal");

/// Processes whose command line mentions `dir` (the postmaster names its data directory).
fn processes_using(dir: &Path) -> Vec<String> {
    let needle = dir.to_string_lossy().to_string();
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .filter(|c| c.contains(&needle) && !c.contains(BIN))
        .collect()
}

fn data_dir() -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix("portal-managed-").tempdir_in("/tmp").expect("temp dir");
    // The PostgreSQL user must be able to reach its directory inside.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    dir
}

fn run(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "info")
        .output()
        .expect("run the portal");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

#[test]
fn the_managed_database_is_created_then_reused_and_never_left_running() {
    let dir = data_dir();
    let (ok, text) = run(dir.path(), &["migrate"]);
    assert!(ok, "{text}");
    assert!(text.contains("creating the managed PostgreSQL cluster"), "{text}");
    assert!(dir.path().join("postgres/PG_VERSION").exists());
    assert!(processes_using(dir.path()).is_empty(), "PostgreSQL still running: {:?}", processes_using(dir.path()));

    let (ok, text) = run(
        dir.path(),
        &[
            "admin",
            "create-user",
            "--student-no",
            "2026300001",
            "--name",
            "测试",
            "--password",
            "tunnel railing 57 dorm",
        ],
    );
    assert!(ok, "{text}");
    assert!(text.contains("using the existing database cluster"), "reused: {text}");
    let (ok, text) =
        run(dir.path(), &["admin", "grant", "--student-no", "2026300001", "--dept", "rights", "--role", "head"]);
    assert!(ok, "{text}");
    let (ok, text) =
        run(dir.path(), &["admin", "grant", "--student-no", "2026300001", "--dept", "nosuch", "--role", "head"]);
    assert!(!ok && text.contains("no such department"), "{text}");
    assert!(processes_using(dir.path()).is_empty());
}

/// Starts `serve`, reading what it prints until it has printed its URL and `enough` holds
/// (or a minute passes): the process, its URL and what it printed, and the rest of its output
/// (kept open: the portal must not find its stdout closed).
fn serving(mut serve: Command, enough: impl Fn(&str) -> bool) -> (std::process::Child, String, String, Output) {
    let mut child = serve.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("start the portal");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    let (mut url, mut printed) = (None, String::new());
    while (url.is_none() || !enough(&printed)) && Instant::now() < deadline {
        let Some(Ok(line)) = lines.next() else { break };
        printed.push_str(&line);
        printed.push('\n');
        url = url.or_else(|| line.strip_prefix("union-portal is serving at ").map(str::to_string));
    }
    let url = url.unwrap_or_else(|| panic!("no URL printed:\n{printed}"));
    (child, url, printed, lines)
}

type Output = std::io::Lines<BufReader<std::process::ChildStdout>>;

/// `GET /readyz` over a plain TCP connection: the raw response.
fn readyz(url: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(url.trim_start_matches("http://")).expect("connect");
    stream.write_all(b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response
}

#[test]
fn serve_prints_its_url_serves_and_stops_its_database_on_sigterm() {
    let dir = data_dir();
    let mut serve = Command::new(BIN);
    serve.args(["serve", "--addr", "127.0.0.1:0", "--data-dir"]).arg(dir.path()).env_remove("DATABASE_URL");

    let (mut child, url, printed, _output) = serving(serve, |_| true);

    assert!(printed.contains("One-time password:"), "the first admin's password is printed once");
    let response = readyz(&url);
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(!processes_using(dir.path()).is_empty(), "PostgreSQL runs while the portal does");

    nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), nix::sys::signal::Signal::SIGTERM)
        .expect("SIGTERM");
    let status = child.wait().expect("wait");
    assert!(status.success(), "clean exit: {status}");
    assert!(processes_using(dir.path()).is_empty(), "no PostgreSQL left behind: {:?}", processes_using(dir.path()));
}

/// Removes a cluster folder the test made outside its temporary folders, even when the test fails.
struct RemoveOnDrop(Option<std::path::PathBuf>);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(dir) = self.0.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The portal as a new user first runs it: from the project folder, with no flags.
fn first_run(project: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(project)
        .env_remove("DATABASE_URL")
        .env_remove("PORTAL_DATA_DIR")
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1");
    cmd
}

/// The folder a log names after `cluster=`.
fn cluster_named(log: &str) -> Option<std::path::PathBuf> {
    let at = log.find("cluster=")? + "cluster=".len();
    let path: String = log[at..].chars().take_while(|c| !c.is_whitespace() && *c != '"').collect();
    Some(path.into())
}

#[test]
fn as_root_in_a_home_folder_postgres_cannot_enter_the_first_run_works_and_says_where_the_cluster_went() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("skipped: only root hands the cluster to the `postgres` user");
        return;
    }
    // A home folder of mode 0700 (as /root is) with the project cloned inside.
    let home = tempfile::Builder::new().prefix("portal-home-").tempdir_in("/tmp").expect("temp dir");
    std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o700)).expect("chmod");
    let project = home.path().join("union-portal");
    std::fs::create_dir(&project).expect("project folder");
    let project_mode = std::fs::metadata(&project).expect("project").permissions().mode();

    let out = first_run(&project, &["migrate"]).output().expect("run the portal");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let cluster = cluster_named(&text);
    let _cleanup = RemoveOnDrop(cluster.as_ref().and_then(|c| c.parent()).map(Path::to_path_buf));
    assert!(out.status.success(), "{text}");
    let cluster = cluster.unwrap_or_else(|| panic!("the log names where the cluster went:\n{text}"));
    assert!(cluster.starts_with("/var/lib/union-portal/"), "{}", cluster.display());
    assert!(
        text.contains(&format!("cannot enter {}", home.path().display())) && text.contains("instead"),
        "the log says why: {text}"
    );
    assert!(cluster.join("PG_VERSION").exists(), "the cluster is there");
    assert!(!project.join("var/postgres/PG_VERSION").exists());
    assert!(processes_using(&cluster).is_empty(), "PostgreSQL still running: {:?}", processes_using(&cluster));
    let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode();
    assert_eq!(mode(home.path()) & 0o7777, 0o700, "the home folder is left as it was");
    assert_eq!(mode(&project), project_mode, "and the project folder too");

    // Served: the same cluster, with its data, and ready.
    let told = |p: &str| p.contains("cluster=") && p.contains("using the existing database cluster");
    let (mut child, url, printed, _output) = serving(first_run(&project, &["serve", "--addr", "127.0.0.1:0"]), told);
    assert_eq!(cluster_named(&printed).as_deref(), Some(cluster.as_path()), "the same cluster again:\n{printed}");
    assert!(printed.contains("using the existing database cluster"), "{printed}");
    let response = readyz(&url);
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), nix::sys::signal::Signal::SIGTERM)
        .expect("SIGTERM");
    assert!(child.wait().expect("wait").success());
    assert!(processes_using(&cluster).is_empty(), "no PostgreSQL left behind");
    assert_eq!(mode(home.path()) & 0o7777, 0o700, "still as it was");
}
