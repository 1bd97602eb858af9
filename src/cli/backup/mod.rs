//! `backup --to FILE.tar` and `restore --from FILE.tar`: a whole installation —
//! its database and its uploaded photos — in one tar file:
//!
//! ```text
//! backup.txt         what it is: portal version, last migration, time, database, photo count
//! database.dump      pg_dump --format=custom of the portal's database
//! uploads/ab/….jpg   the data directory's uploads, as they lie on disk
//! ```
//!
//! The dump is taken first and the uploads are read after it: a photo is written
//! before its row commits, so every file the dump names is on disk by then (a newer
//! file in the archive is harmless). Restore refuses a database holding any table
//! and a data directory holding uploads, restores the dump in one transaction, and
//! only then moves the photos in. A password in the database URL reaches pg_dump
//! and pg_restore through PGPASSWORD: never on a command line (every local user can
//! read those) nor on the terminal. Blocking file work is fine here: these commands
//! serve no requests.

use std::{
    fs,
    os::unix::fs::{DirBuilderExt, OpenOptionsExt},
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use anyhow::{bail, Context};
use sqlx::{migrate::Migrate, PgPool};

use crate::db::Database;

mod manifest;
mod target;

use manifest::Manifest;
use target::Target;

const MANIFEST: &str = "backup.txt";
const DUMP: &str = "database.dump";
const UPLOADS: &str = "uploads";
/// The first line of backup.txt: names the layout above.
const MAGIC: &str = "union-portal backup, format 1";

pub async fn backup(db: &Database, data_dir: &Path, to: &Path) -> anyhow::Result<()> {
    if to.exists() {
        bail!("{} exists already: a backup never overwrites a file, choose a new name", to.display());
    }
    let migration = applied_migration(&db.pool).await?;
    let target = Target::new(&db.url)?;
    let data_dir = std::path::absolute(data_dir)?;
    let work = WorkDir::create(&std::env::temp_dir(), "union-portal-backup")?;
    let created = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let dump = work.path.join(DUMP);
    run(target.tool("pg_dump").args(["--format=custom", "--no-password", "--file"]).arg(&dump).arg(&target.url))?;
    // Only now: every photo the dump names was on disk before its row committed.
    let photos = count_files(&data_dir.join(UPLOADS), true)?;
    let manifest = format!(
        "{MAGIC}\nportal: {}\nmigration: {migration}\ncreated: {created}\ndatabase: {}\nuploads: {}\n",
        env!("CARGO_PKG_VERSION"),
        target.shown,
        files(photos)
    );
    fs::write(work.path.join(MANIFEST), manifest)?;
    write_tar(&work.path, &data_dir, to)?;
    let size = fs::metadata(to)?.len() as f64 / 1_048_576.0;
    println!(
        "backed up {} at migration {migration} and {} from {UPLOADS}/ to {} ({size:.1} MiB)\n\
         It holds personal data: keep it where only the union's administrators can read it.",
        target.shown,
        files(photos),
        to.display()
    );
    Ok(())
}

pub async fn restore(db: &Database, data_dir: &Path, from: &Path) -> anyhow::Result<()> {
    if !from.is_file() {
        bail!("{} is not a file", from.display());
    }
    let target = Target::new(&db.url)?;
    let data_dir = std::path::absolute(data_dir)?;
    refuse_unless_empty(&db.pool, &target, &data_dir).await?;
    fs::create_dir_all(&data_dir).with_context(|| format!("creating {}", data_dir.display()))?;
    let work = WorkDir::create(&data_dir, ".restore")?;
    // GNU tar refuses members with `..` and strips a leading `/`.
    run(Command::new("tar").arg("--extract").arg("--no-same-owner").arg("--file").arg(from).arg("-C").arg(&work.path))?;
    let manifest = Manifest::read(&work.path, from)?;
    let photos = count_files(&work.path.join(UPLOADS), false)?;
    // The dump grants to the portal's role, which a new server does not have yet.
    crate::db::ensure_app_role(&db.pool).await?;
    // One transaction: a restore that fails leaves the database empty, ready for another try.
    let mut restore = target.tool("pg_restore");
    restore.args(["--no-owner", "--exit-on-error", "--single-transaction", "--no-password", "--dbname"]);
    run(restore.arg(&target.url).arg(work.path.join(DUMP)))?;
    move_uploads(&work.path, &data_dir)?;
    println!(
        "restored {} from {} (made by union-portal {} at {}, migration {}) and {} into {}\n\
         Serve with this data directory and database; newer migrations are applied at start.",
        target.shown,
        from.display(),
        manifest.portal,
        manifest.created,
        manifest.migration,
        files(photos),
        data_dir.join(UPLOADS).display()
    );
    Ok(())
}

/// The newest migration the database has applied; an unmigrated database has nothing to back up.
async fn applied_migration(pool: &PgPool) -> anyhow::Result<i64> {
    let mut conn = pool.acquire().await.context("connecting to the database")?;
    let applied = conn
        .list_applied_migrations()
        .await
        .context("the database holds no portal tables (no migrations applied): nothing to back up")?;
    applied.iter().map(|m| m.version).max().context("the database has applied no migrations: nothing to back up")
}

async fn refuse_unless_empty(pool: &PgPool, target: &Target, data_dir: &Path) -> anyhow::Result<()> {
    let relations = crate::db::queries::count_user_relations(pool).await.context("connecting to the database")?;
    let uploads = data_dir.join(UPLOADS);
    let photos = count_files(&uploads, true)?;
    let mut problems = vec![];
    if relations > 0 {
        problems.push(format!("{} holds {relations} tables and sequences", target.shown));
    }
    if photos > 0 {
        problems.push(format!("{} holds {}", uploads.display(), files(photos)));
    }
    if !problems.is_empty() {
        bail!(
            "refusing to restore: {}. Restore into a new, empty database and a data directory without uploads.",
            problems.join("; ")
        );
    }
    Ok(())
}

fn files(n: u64) -> String {
    if n == 1 {
        "1 file".into()
    } else {
        format!("{n} files")
    }
}

/// Run a command to its end; its error output becomes the error.
fn run(cmd: &mut Command) -> anyhow::Result<()> {
    let name = cmd.get_program().to_string_lossy().to_string();
    let out = cmd.stdin(Stdio::null()).output().with_context(|| format!("running {name}"))?;
    if !out.status.success() {
        bail!("{name} failed ({}):\n{}", out.status, String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(())
}

/// Write the archive to `to.partial` (mode 0600) and rename it when complete, so a
/// failed backup never leaves a file that looks like one.
fn write_tar(work: &Path, data_dir: &Path, to: &Path) -> anyhow::Result<()> {
    let mut partial = to.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let _ = fs::remove_file(&partial);
    let file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&partial)
        .with_context(|| format!("creating {}", partial.display()))?;
    let mut tar = Command::new("tar");
    tar.args(["--create", "--dereference", "--file=-", "-C"]).arg(work).args([MANIFEST, DUMP]);
    if data_dir.join(UPLOADS).is_dir() {
        tar.arg("-C").arg(data_dir).arg(UPLOADS);
    }
    let out = tar.stdin(Stdio::null()).stdout(file).output().context("running tar")?;
    // GNU tar's 1 is "a file changed while it was read": a photo being saved as
    // the archive was written, which the dump does not name. 2 is a failure.
    if !matches!(out.status.code(), Some(0 | 1)) {
        let _ = fs::remove_file(&partial);
        bail!("tar failed ({}):\n{}", out.status, String::from_utf8_lossy(&out.stderr).trim());
    }
    fs::rename(&partial, to).with_context(|| format!("renaming {} to {}", partial.display(), to.display()))?;
    Ok(())
}

/// Put the restored photos in place: `uploads/` is absent or holds only empty folders.
fn move_uploads(work: &Path, data_dir: &Path) -> anyhow::Result<()> {
    let (from, to) = (work.join(UPLOADS), data_dir.join(UPLOADS));
    if !from.is_dir() {
        return Ok(());
    }
    if to.exists() {
        remove_empty_folders(&to)?;
    }
    fs::rename(&from, &to).with_context(|| format!("moving the uploads to {}", to.display()))
}

/// Remove a tree of empty folders; a file that appeared meanwhile stops it (remove_dir fails).
fn remove_empty_folders(dir: &Path) -> anyhow::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            remove_empty_folders(&entry.path())?;
        }
    }
    fs::remove_dir(dir).with_context(|| format!("removing the empty {}", dir.display()))
}

/// Regular files under `dir` (0 when it does not exist). With `follow_links` a link
/// counts as what it points to; without, a link or any other special file is refused
/// (a restored archive holds files and folders only).
fn count_files(dir: &Path, follow_links: bool) -> anyhow::Result<u64> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
    };
    let mut n = 0;
    for entry in entries {
        let path = entry?.path();
        let meta = if follow_links { fs::metadata(&path) } else { fs::symlink_metadata(&path) }
            .with_context(|| format!("reading {}", path.display()))?;
        if meta.is_dir() {
            n += count_files(&path, follow_links)?;
        } else if meta.is_file() {
            n += 1;
        } else {
            bail!("{}: only files and folders belong in {UPLOADS}/", path.display());
        }
    }
    Ok(n)
}

/// A private folder (mode 0700: a dump holds personal data), removed when dropped.
struct WorkDir {
    path: PathBuf,
}

impl WorkDir {
    fn create(parent: &Path, prefix: &str) -> anyhow::Result<WorkDir> {
        let path = parent.join(format!("{prefix}-{}-{:08x}", std::process::id(), rand::random::<u32>()));
        fs::DirBuilder::new().mode(0o700).create(&path).with_context(|| format!("creating {}", path.display()))?;
        Ok(WorkDir { path })
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}
