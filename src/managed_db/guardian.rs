//! The guardian: a small shell that starts the postmaster and holds the read end of a pipe
//! from the portal; when the pipe closes (the portal exited, however) it stops PostgreSQL.

use std::{
    io::{BufRead, BufReader, Read},
    os::unix::process::CommandExt,
    path::Path,
    process::{Child, ChildStdin, Stdio},
};

use anyhow::{anyhow, Context};

use super::{command_as, Kind, RunAs, PORT};

// Each line on the guardian's stdin is an order (`stop`, `start`: outage tests);
// the end of its input stops PostgreSQL for good. `pid` is emptied once the server
// is gone, so no stale process id is ever signalled.
const GUARDIAN: &str = r#"
run() {
    "$PGBIN/postgres" -D "$PGDATA" -k "$PGSOCK" -p "$PGPORT" -c listen_addresses= \
        -c unix_socket_permissions=0700 $PGEXTRA </dev/null >>"$PGDATA/postgres.log" 2>&1 &
    pid=$!
}
halt() {
    if [ -n "$pid" ]; then kill -INT "$pid" 2>/dev/null; wait "$pid"; pid=; fi
}
run
echo "$pid"
while read -r order; do
    case "$order" in
        stop) halt ;;
        start) kill -0 "$pid" 2>/dev/null || run ;;
    esac
done
halt
if [ -n "$PGREMOVE" ]; then rm -rf "$PGREMOVE"; fi
"#;

pub(super) fn spawn_guardian(
    bin: &Path,
    data_dir: &Path,
    socket_dir: &Path,
    run_as: RunAs,
    kind: Kind,
) -> anyhow::Result<(Child, ChildStdin)> {
    let extra = match kind {
        Kind::Persistent => "-c max_connections=100",
        // Tests can lose their data on a crash; they gain a lot of speed.
        Kind::Throwaway => "-c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
    };
    let remove = if kind == Kind::Throwaway { data_dir.as_os_str() } else { "".as_ref() };
    let mut child = command_as("/bin/sh".into(), run_as)
        .args(["-c", GUARDIAN])
        .env("PGBIN", bin)
        .env("PGDATA", data_dir)
        .env("PGSOCK", socket_dir)
        .env("PGPORT", PORT.to_string())
        .env("PGEXTRA", extra)
        .env("PGREMOVE", remove)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        // Its own process group: a Ctrl-C in the terminal reaches the portal, which
        // finishes its requests first and only then lets the database go.
        .process_group(0)
        .spawn()
        .context("starting PostgreSQL")?;
    let stdin = child.stdin.take().ok_or_else(|| anyhow!("no pipe to the PostgreSQL guardian"))?;
    let mut stdout =
        BufReader::new(child.stdout.take().ok_or_else(|| anyhow!("no pipe from the PostgreSQL guardian"))?);
    let mut pid = String::new();
    stdout.read_line(&mut pid)?;
    // Drain anything else so the guardian never blocks on a full pipe.
    std::thread::spawn(move || {
        let _ = stdout.read_to_end(&mut Vec::new());
    });
    tracing::info!(dir = %data_dir.display(), pid = pid.trim(), "started the managed PostgreSQL");
    Ok((child, stdin))
}
