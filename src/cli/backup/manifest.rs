//! backup.txt: what a backup is (portal version, last migration, time), read back before
//! a restore so that a backup from a newer portal is refused.

use std::{fs, path::Path};

use anyhow::{bail, Context};

use super::{DUMP, MAGIC, MANIFEST};

/// What backup.txt says about a backup.
#[derive(Debug, PartialEq)]
pub(super) struct Manifest {
    pub portal: String,
    pub migration: i64,
    pub created: String,
}

impl Manifest {
    /// Read an unpacked archive's backup.txt; refuse what is not a backup, or one made
    /// by a newer portal than this one (its migrations would be unknown here).
    pub fn read(work: &Path, archive: &Path) -> anyhow::Result<Manifest> {
        let text = fs::read_to_string(work.join(MANIFEST)).ok().filter(|t| t.starts_with(MAGIC));
        let (Some(text), true) = (text, work.join(DUMP).is_file()) else {
            bail!("{} is not a union-portal backup (it lacks {MANIFEST} or {DUMP})", archive.display());
        };
        let manifest = Manifest::parse(&text).with_context(|| format!("{MANIFEST} in {}", archive.display()))?;
        let known = crate::MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        if manifest.migration > known {
            bail!(
                "the backup was made by union-portal {} at migration {}; this portal knows migrations up to {known}: restore with a newer union-portal",
                manifest.portal,
                manifest.migration
            );
        }
        Ok(manifest)
    }

    fn parse(text: &str) -> anyhow::Result<Manifest> {
        let field = |key: &str| {
            text.lines().find_map(|l| l.strip_prefix(key)?.strip_prefix(": ")).unwrap_or_default().trim().to_string()
        };
        let migration = field("migration").parse().context("no migration number")?;
        Ok(Manifest { portal: field("portal"), migration, created: field("created") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_gives_back_what_backup_wrote() {
        let text = format!("{MAGIC}\nportal: 0.1.0\nmigration: 20260101000014\ncreated: 2026-05-02T08:00:00Z\ndatabase: x\nuploads: 4 files\n");
        assert_eq!(
            Manifest::parse(&text).expect("parsed"),
            Manifest { portal: "0.1.0".into(), migration: 20260101000014, created: "2026-05-02T08:00:00Z".into() }
        );
        assert!(Manifest::parse(MAGIC).is_err());
    }
}
