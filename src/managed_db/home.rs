//! Where the cluster lives. Normally in the folder asked for (`var/postgres`). But
//! as root PostgreSQL runs as `postgres`, and a project cloned under a home folder
//! of mode 0700 (`/root`, most containers) is out of its reach: initdb fails. The
//! user's folders are theirs, so their permissions are never changed; the cluster
//! goes instead to a folder of its own under `/var/lib/union-portal`, named after
//! the folder asked for, so every later run finds the same data, and the log says
//! where and why each time.

use std::{
    ffi::OsStr,
    fs,
    os::unix::{ffi::OsStrExt, fs::PermissionsExt},
    path::{Path, PathBuf},
};

use anyhow::{bail, Context};
use sha2::{Digest, Sha256};

use super::{command_as, RunAs};

/// Where the clusters of projects out of the `postgres` user's reach live.
pub const ELSEWHERE: &str = "/var/lib/union-portal";

/// The data directory to use for `asked` (absolute): `asked` itself, unless we are
/// root and the `postgres` user cannot reach it.
pub fn resolve(asked: PathBuf, run_as: RunAs) -> anyhow::Result<PathBuf> {
    if !nix::unistd::geteuid().is_root() || asked.join("PG_VERSION").exists() {
        return Ok(asked);
    }
    let home = Path::new(ELSEWHERE).join(name_for(&asked));
    let data_dir = home.join("postgres");
    let parent = asked.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("/"));
    // The portal's own data folder (`var`): made now, as it would be for the uploads anyway.
    fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
    let blocked = first_unreachable(&parent, run_as)?;
    if data_dir.join("PG_VERSION").exists() {
        // Made on an earlier run: its data stays in use even if the way has opened since.
        tracing::warn!(
            cluster = %data_dir.display(),
            "the database cluster for {} lives in {}, where an earlier run put it because the PostgreSQL user \
             could not reach the data folder",
            asked.display(),
            data_dir.display()
        );
        return Ok(data_dir);
    }
    let Some(blocked) = blocked else {
        return Ok(asked);
    };
    make_reachable_home(&home, &asked)?;
    if let Some(still) = first_unreachable(&home, run_as)? {
        bail!(
            "the PostgreSQL user cannot enter {} (above {}), nor {} (above {}); pass a --data-dir it can reach, \
             or set DATABASE_URL to a server you run",
            blocked.display(),
            asked.display(),
            still.display(),
            data_dir.display()
        );
    }
    tracing::warn!(
        cluster = %data_dir.display(),
        blocked = %blocked.display(),
        "the PostgreSQL user cannot enter {} (a folder on the way to {}), so the database cluster lives in {} instead; \
         its permissions were left as they are. To keep the cluster beside the project, pass a --data-dir that \
         `postgres` can reach",
        blocked.display(),
        asked.display(),
        data_dir.display()
    );
    Ok(data_dir)
}

/// A stable, short name for the folder asked for: the same project finds the same
/// cluster on every run, and the socket's path stays short.
fn name_for(asked: &Path) -> String {
    let digest = Sha256::digest(asked.as_os_str().as_encoded_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Our own folders, root's and open to enter (0755), with a note naming the project
/// they belong to. The cluster folder inside is handed to `postgres` by initdb's caller.
fn make_reachable_home(home: &Path, asked: &Path) -> anyhow::Result<()> {
    for dir in [Path::new(ELSEWHERE), home] {
        if !dir.is_dir() {
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            fs::set_permissions(dir, fs::Permissions::from_mode(0o755))
                .with_context(|| format!("opening {} to the PostgreSQL user", dir.display()))?;
        }
    }
    let note = home.join("source.txt");
    if !note.exists() {
        fs::write(
            &note,
            format!(
                "The managed PostgreSQL cluster of the union-portal whose --data-dir asks for {}\n\
                 (a folder the `postgres` user cannot reach).\n",
                asked.display()
            ),
        )
        .with_context(|| format!("writing {}", note.display()))?;
    }
    Ok(())
}

/// The first folder from `/` down to `dir` that the PostgreSQL user may not enter, if any.
/// Asked of the system as that user, so groups and ACLs count as they will for initdb.
fn first_unreachable(dir: &Path, run_as: RunAs) -> anyhow::Result<Option<PathBuf>> {
    let mut chain: Vec<&Path> = dir.ancestors().collect();
    chain.reverse();
    let out = command_as("/bin/sh".into(), run_as)
        .args(["-c", r#"for d in "$@"; do if [ ! -x "$d" ]; then printf '%s' "$d"; exit 1; fi; done"#, "sh"])
        .args(&chain)
        .output()
        .context("asking whether the PostgreSQL user can reach the data folder")?;
    if out.status.success() {
        return Ok(None);
    }
    if out.stdout.is_empty() {
        bail!("checking the data folder as the PostgreSQL user failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(Some(PathBuf::from(OsStr::from_bytes(&out.stdout))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_is_stable_short_and_differs_per_folder() {
        let a = name_for(Path::new("/root/union-portal/var/postgres"));
        assert_eq!(a, name_for(Path::new("/root/union-portal/var/postgres")));
        assert_eq!(a.len(), 16);
        assert_ne!(a, name_for(Path::new("/root/other/var/postgres")));
        // The socket path must stay under PostgreSQL's limit.
        assert!(Path::new(ELSEWHERE).join(a).join("postgres/.s.PGSQL.5432").as_os_str().len() < 90);
    }
}
