//! The portal's own PostgreSQL cluster, used when no `DATABASE_URL` is given.
//!
//! The postmaster is started by a small guardian shell that holds the read end of
//! a pipe from this process. When the portal exits — cleanly, by Ctrl-C, SIGTERM
//! or even SIGKILL — the pipe closes, and the guardian stops PostgreSQL (and, for
//! throwaway test clusters, removes its directory). So no PostgreSQL is ever left
//! behind. Tests of an outage can stop and start the server in between (`pause`,
//! `resume`): the guardian and the data stay. The cluster listens on a unix socket only, in a directory that only its
//! owner (and root) can enter. As root, a data folder the `postgres` user cannot reach
//! moves the cluster elsewhere (`home`). Everything here is blocking; call it off the runtime.

use std::{
    fs,
    io::Write,
    os::unix::{fs::PermissionsExt, process::CommandExt},
    path::{Path, PathBuf},
    process::{Child, ChildStdin, Command},
    time::{Duration, Instant},
};

use anyhow::{anyhow, bail, Context};

mod guardian;
mod home;

use guardian::spawn_guardian;

const PORT: u16 = 5432;

/// Who runs PostgreSQL: the current user, or `postgres` when we are root.
#[derive(Debug, Clone, Copy)]
struct RunAs {
    uid: u32,
    gid: u32,
}

#[derive(Debug)]
pub struct Cluster {
    data_dir: PathBuf,
    socket_dir: PathBuf,
    /// The guardian, when this process started the cluster; `None` when it reused a running one.
    guardian: Option<(Child, ChildStdin)>,
    /// True when initdb ran in this start.
    pub created: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Kept across runs (the portal's `var/postgres`).
    Persistent,
    /// Tuned for speed and removed when the owning process exits (tests).
    Throwaway,
}

impl Cluster {
    /// Start (initdb on first use) the cluster in `data_dir`, or join it when already running.
    pub fn start(data_dir: &Path, kind: Kind) -> anyhow::Result<Cluster> {
        let bin = find_bin_dir()?;
        let run_as = run_as()?;
        let data_dir = home::resolve(absolute(data_dir)?, run_as)?;
        let socket_dir = data_dir.clone();
        if socket_dir.as_os_str().len() > 90 {
            bail!(
                "the data directory path {} is too long for a unix socket; pass a shorter --data-dir",
                data_dir.display()
            );
        }
        let created = !data_dir.join("PG_VERSION").exists();
        if created {
            init(&bin, &data_dir, run_as)?;
        }
        let mut cluster = Cluster { data_dir, socket_dir, guardian: None, created };
        if is_ready(&bin, &cluster.socket_dir) {
            tracing::info!(dir = %cluster.data_dir.display(), "joining the running managed PostgreSQL");
            return Ok(cluster);
        }
        cluster.guardian = Some(spawn_guardian(&bin, &cluster.data_dir, &cluster.socket_dir, run_as, kind)?);
        cluster.wait_ready(&bin)?;
        Ok(cluster)
    }

    /// A fresh cluster in a new temporary directory, gone when this process exits.
    pub fn start_throwaway() -> anyhow::Result<Cluster> {
        let dir =
            std::env::temp_dir().join(format!("union-portal-test-{}-{}", std::process::id(), rand::random::<u32>()));
        Self::start(&dir, Kind::Throwaway)
    }

    /// Connection URL for database `db` over the unix socket.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@localhost:{PORT}/{db}?host={}", self.socket_dir.display())
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Did this process start the cluster (and will it stop it)?
    pub fn owned(&self) -> bool {
        self.guardian.is_some()
    }

    fn wait_ready(&mut self, bin: &Path) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if is_ready(bin, &self.socket_dir) {
                return Ok(());
            }
            if let Some((child, _)) = &mut self.guardian {
                if let Some(status) = child.try_wait()? {
                    bail!("PostgreSQL stopped while starting ({status}); its log:\n{}", self.log_tail());
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        bail!("PostgreSQL did not become ready within 60 s; its log:\n{}", self.log_tail())
    }

    fn log_tail(&self) -> String {
        let log = fs::read_to_string(self.data_dir.join("postgres.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }

    /// Stop the server as an outage would (fast shutdown: open connections are ended),
    /// keeping the cluster and its data; `resume` starts it again. Only for a cluster
    /// this process started.
    pub fn pause(&mut self) -> anyhow::Result<()> {
        self.order("stop")?;
        // The postmaster removes its pid file as the very last thing it does.
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.data_dir.join("postmaster.pid").exists() {
            if Instant::now() > deadline {
                bail!("PostgreSQL did not stop within 60 s; its log:\n{}", self.log_tail());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }

    /// Start the server again after `pause`, and wait until it accepts connections.
    pub fn resume(&mut self) -> anyhow::Result<()> {
        self.order("start")?;
        let bin = find_bin_dir()?;
        self.wait_ready(&bin)
    }

    fn order(&mut self, order: &str) -> anyhow::Result<()> {
        let Some((_, stdin)) = &mut self.guardian else {
            bail!("this process did not start the cluster, so it cannot stop or start it");
        };
        writeln!(stdin, "{order}").and_then(|()| stdin.flush()).context("ordering the PostgreSQL guardian")
    }

    /// Stop the cluster if this process started it, and wait until it is gone.
    pub fn stop(mut self) {
        if let Some((mut child, stdin)) = self.guardian.take() {
            drop(stdin); // the guardian's signal to shut PostgreSQL down
            let _ = child.wait();
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Some((mut child, stdin)) = self.guardian.take() {
            drop(stdin);
            let _ = child.wait();
        }
    }
}

/// PostgreSQL's server binaries: PATH, `pg_config --bindir`, or Debian's versioned directories.
pub fn find_bin_dir() -> anyhow::Result<PathBuf> {
    let has_server = |dir: &Path| ["postgres", "initdb", "pg_isready"].iter().all(|b| dir.join(b).is_file());
    if let Some(path) = std::env::var_os("PATH") {
        // A PATH entry may hold symlinks to a few of the binaries: follow `postgres` home.
        let real_dir =
            |d: PathBuf| fs::canonicalize(d.join("postgres")).ok().and_then(|p| p.parent().map(Path::to_path_buf));
        if let Some(dir) = std::env::split_paths(&path).filter_map(real_dir).find(|d| has_server(d)) {
            return Ok(dir);
        }
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_server(&dir) {
            return Ok(dir);
        }
    }
    let mut versioned: Vec<PathBuf> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|d| has_server(d))
        .collect();
    versioned.sort_by_key(|d| {
        d.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).and_then(|v| v.parse::<u32>().ok()).unwrap_or(0)
    });
    versioned.pop().ok_or_else(|| {
        anyhow!(
            "PostgreSQL server binaries (postgres, initdb) were not found in PATH, `pg_config --bindir` \
             or /usr/lib/postgresql/*/bin.\nInstall them with `apt-get install postgresql` (Debian/Ubuntu) \
             or `dnf install postgresql-server`, or set DATABASE_URL to a server you run."
        )
    })
}

fn run_as() -> anyhow::Result<RunAs> {
    let uid = nix::unistd::geteuid();
    if !uid.is_root() {
        return Ok(RunAs { uid: uid.as_raw(), gid: nix::unistd::getegid().as_raw() });
    }
    // PostgreSQL refuses to run as root.
    let user = nix::unistd::User::from_name("postgres")?.ok_or_else(|| {
        anyhow!("running as root, PostgreSQL needs the `postgres` system user: install it with `apt-get install postgresql`")
    })?;
    Ok(RunAs { uid: user.uid.as_raw(), gid: user.gid.as_raw() })
}

fn absolute(dir: &Path) -> anyhow::Result<PathBuf> {
    Ok(if dir.is_absolute() { dir.to_path_buf() } else { std::env::current_dir()?.join(dir) })
}

fn command_as(program: PathBuf, run_as: RunAs) -> Command {
    let mut cmd = Command::new(program);
    if nix::unistd::geteuid().is_root() {
        // From `/`: the folder the portal was started in may be closed to that user.
        cmd.uid(run_as.uid).gid(run_as.gid).env("HOME", "/tmp").current_dir("/");
    }
    cmd.env("LC_ALL", "C.UTF-8");
    cmd
}

fn init(bin: &Path, data_dir: &Path, run_as: RunAs) -> anyhow::Result<()> {
    fs::create_dir_all(data_dir).with_context(|| format!("creating {}", data_dir.display()))?;
    nix::unistd::chown(data_dir, Some(run_as.uid.into()), Some(run_as.gid.into()))
        .with_context(|| format!("handing {} to the PostgreSQL user", data_dir.display()))?;
    fs::set_permissions(data_dir, fs::Permissions::from_mode(0o700))?;
    tracing::info!(dir = %data_dir.display(), "creating the managed PostgreSQL cluster");
    let out = command_as(bin.join("initdb"), run_as)
        .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions", "-D"])
        .arg(data_dir)
        .output()
        .context("running initdb")?;
    if !out.status.success() {
        bail!(
            "initdb failed (does the PostgreSQL user have access to every folder above {}?):\n{}",
            data_dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

fn is_ready(bin: &Path, socket_dir: &Path) -> bool {
    if !socket_dir.join(format!(".s.PGSQL.{PORT}")).exists() {
        return false;
    }
    Command::new(bin.join("pg_isready"))
        .arg("-q")
        .arg("-h")
        .arg(socket_dir)
        .args(["-p", &PORT.to_string(), "-U", "postgres", "-t", "2"])
        .status()
        .is_ok_and(|s| s.success())
}
