//! The database a backup reads or a restore writes, as the PostgreSQL tools take it: the
//! password out of the URL (into PGPASSWORD, never on a command line), the tools beside the
//! server binaries.

use std::{path::PathBuf, process::Command};

use anyhow::Context;

/// A database for the PostgreSQL tools: its URL without the password (for the
/// command line), the password (for PGPASSWORD), and words safe to print.
pub(super) struct Target {
    pub url: String,
    pub password: Option<String>,
    pub shown: String,
}

impl Target {
    pub fn new(url: &str) -> anyhow::Result<Target> {
        let options: sqlx::postgres::PgConnectOptions =
            url.parse().context("DATABASE_URL is not a valid PostgreSQL URL")?;
        let db = options.get_database().unwrap_or(options.get_username());
        let shown = match options.get_socket() {
            Some(dir) => format!("database `{db}` on the socket in {}", dir.display()),
            None => format!("database `{db}` on {}:{}", options.get_host(), options.get_port()),
        };
        let (url, password) = split_password(url);
        Ok(Target { url, password, shown })
    }

    /// pg_dump or pg_restore, with the password in its environment.
    pub fn tool(&self, name: &str) -> Command {
        let mut cmd = Command::new(tool_path(name));
        if let Some(password) = &self.password {
            cmd.env("PGPASSWORD", password);
        }
        cmd
    }
}

/// Beside the server binaries the managed database uses (the newest installed: a
/// pg_dump must not be older than the server), else from PATH.
fn tool_path(name: &str) -> PathBuf {
    crate::managed_db::find_bin_dir()
        .ok()
        .map(|dir| dir.join(name))
        .filter(|path| path.is_file())
        .unwrap_or_else(|| PathBuf::from(name))
}

/// `postgres://user:pw@host/db?password=pw&x=y` → (`postgres://user@host/db?x=y`, `pw`), decoded.
fn split_password(url: &str) -> (String, Option<String>) {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return (url.to_string(), None);
    };
    let end = url[start..].find(['/', '?', '#']).map_or(url.len(), |i| start + i);
    let mut out = url[..start].to_string();
    let mut password = None;
    match url[start..end].rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = match userinfo.split_once(':') {
                Some((user, pw)) => {
                    password = Some(percent_decode(pw));
                    user
                }
                None => userinfo,
            };
            out.push_str(&format!("{user}@{host}"));
        }
        None => out.push_str(&url[start..end]),
    }
    match url[end..].split_once('?') {
        Some((path, query)) => {
            out.push_str(path);
            let (secret, kept): (Vec<&str>, Vec<&str>) = query.split('&').partition(|p| p.starts_with("password="));
            if let Some(pw) = secret.last().and_then(|p| p.strip_prefix("password=")) {
                password = Some(percent_decode(pw));
            }
            if !kept.is_empty() {
                out.push('?');
                out.push_str(&kept.join("&"));
            }
        }
        None => out.push_str(&url[end..]),
    }
    (out, password)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url_and_is_decoded() {
        assert_eq!(
            split_password("postgres://portal:s%40cr%3At@db.example:5432/portal?sslmode=require"),
            ("postgres://portal@db.example:5432/portal?sslmode=require".into(), Some("s@cr:t".into()))
        );
        assert_eq!(
            split_password("postgres://portal@db/portal?password=p%26w&sslmode=require"),
            ("postgres://portal@db/portal?sslmode=require".into(), Some("p&w".into()))
        );
        assert_eq!(split_password("postgres://u:pw@h/d?password=x"), ("postgres://u@h/d".into(), Some("x".into())));
        let socket = "postgres://postgres@localhost:5432/postgres?host=/srv/portal/var/postgres";
        assert_eq!(split_password(socket), (socket.into(), None));
        assert_eq!(split_password("postgres://h/d"), ("postgres://h/d".into(), None));
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%e5%ad%a6%zz"), "学%zz");
    }
}
