//! Command line and environment: every flag is also an environment variable.
//! Owns parsing only; nothing here touches the network or the database.

use std::{path::PathBuf, time::Duration};

mod args;
mod campus;

pub use args::*;
pub use campus::{CampusArgs, CasConfig, OidcConfig};

/// Five photos of 5 MiB and the text around them.
pub const UPLOAD_LIMIT: usize = 5 * 5 * 1024 * 1024 + 1024 * 1024;

/// The settings the running web application needs, derived from the command line.
#[derive(Debug, Clone)]
pub struct Config {
    pub secure_cookies: bool,
    /// scheme://host[:port] that `Origin` headers must match, when known.
    pub public_origin: Option<String>,
    pub trust_proxy: bool,
    pub request_timeout: Duration,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    pub body_limit_bytes: usize,
    /// The limit for forms with photos (multipart): five photos and the text.
    pub upload_limit_bytes: usize,
    pub data_dir: PathBuf,
    /// Where uploads live (`PORTAL_STORAGE_URL`; the data directory's `uploads` by default).
    pub storage: crate::uploads::Storage,
    pub complaint_accept_days: i32,
    pub complaint_reply_days: i32,
    pub office_answer_days: i32,
    pub agenda_after_days: i32,
    pub lost_found_retention_days: i32,
    pub first_bulletin: i32,
    /// How long an anonymous visitor's public page may be shared (`web::page_cache`).
    pub page_cache: Duration,
    pub rate_limits: crate::web::limits::RateLimits,
    /// The address students use, without a trailing slash (campus sign-in's service URL).
    pub public_url: Option<String>,
    /// Campus sign-in through the school's CAS server, when configured.
    pub cas: Option<CasConfig>,
    /// Campus sign-in through the school's OpenID provider, when configured.
    pub oidc: Option<OidcConfig>,
    /// The portal's own password login and registration.
    pub local_login: bool,
    /// {学号}@this reaches the holder of a student number.
    pub campus_mail_domain: Option<String>,
    /// Group robots write every message to the log instead of sending it (`PORTAL_ROBOTS=log`).
    pub robots_log_only: bool,
    /// Group robot webhooks at loopback addresses are accepted (tests, local trials).
    pub robots_loopback: bool,
}

impl Config {
    /// Fails only on a `PORTAL_STORAGE_URL` that names no storage.
    pub fn from_args(serve: &ServeArgs, global: &GlobalArgs) -> anyhow::Result<Self> {
        let public_origin = serve.public_url.as_deref().map(origin_of);
        Ok(Self {
            secure_cookies: public_origin.as_deref().is_some_and(|o| o.starts_with("https://")),
            public_origin,
            trust_proxy: serve.trust_proxy,
            request_timeout: Duration::from_secs(serve.request_timeout_secs),
            session_idle: Duration::from_secs(serve.session_idle_minutes * 60),
            session_absolute: Duration::from_secs(serve.session_absolute_hours * 3600),
            body_limit_bytes: 2 * 1024 * 1024,
            upload_limit_bytes: UPLOAD_LIMIT,
            data_dir: global.data_dir.clone(),
            storage: crate::uploads::Storage::from_url(global.storage_url.as_deref(), &global.data_dir)?,
            complaint_accept_days: serve.complaint_accept_days,
            complaint_reply_days: serve.complaint_reply_days,
            office_answer_days: serve.office_answer_days,
            agenda_after_days: serve.agenda_after_days,
            lost_found_retention_days: serve.lost_found_retention_days,
            first_bulletin: serve.first_bulletin,
            page_cache: Duration::from_millis(serve.page_cache_ms),
            rate_limits: crate::web::limits::RateLimits {
                registrations: serve.limit_registrations,
                filings: serve.limit_filings,
                photos: serve.limit_photos,
                password_resets: serve.limit_password_resets,
                writes: serve.write_limits(),
            },
            public_url: serve.public_url.as_deref().map(|u| u.trim_end_matches('/').to_string()),
            cas: serve.campus.cas(),
            oidc: serve.campus.oidc(),
            local_login: serve.campus.local_login,
            campus_mail_domain: serve.campus.campus_mail_domain.clone().filter(|d| !d.trim().is_empty()),
            robots_log_only: serve.robots == RobotDelivery::Log,
            robots_loopback: serve.robots_loopback,
        })
    }

    /// Settings for tests: plain http, proxy headers trusted so tests can act from several addresses.
    pub fn for_tests(data_dir: PathBuf) -> Self {
        Self {
            storage: crate::uploads::Storage::local(&data_dir),
            secure_cookies: false,
            public_origin: None,
            trust_proxy: true,
            request_timeout: Duration::from_secs(30),
            session_idle: Duration::from_secs(12 * 3600),
            session_absolute: Duration::from_secs(30 * 24 * 3600),
            body_limit_bytes: 2 * 1024 * 1024,
            upload_limit_bytes: UPLOAD_LIMIT,
            data_dir,
            complaint_accept_days: 2,
            complaint_reply_days: 7,
            office_answer_days: 5,
            agenda_after_days: 14,
            lost_found_retention_days: 90,
            first_bulletin: 57,
            // Tests look at a page right after changing it.
            page_cache: Duration::ZERO,
            // Tests file and register much; the limits' own tests turn them on.
            rate_limits: crate::web::limits::RateLimits::default(),
            public_url: None,
            cas: None,
            oidc: None,
            local_login: true,
            campus_mail_domain: None,
            robots_log_only: false,
            // The tests' fake robot servers listen on loopback.
            robots_loopback: true,
        }
    }
}

/// `https://portal.example.edu/some/path` → `https://portal.example.edu`.
fn origin_of(url: &str) -> String {
    let url = url.trim_end_matches('/');
    match url.find("://") {
        Some(i) => match url[i + 3..].find('/') {
            Some(j) => url[..i + 3 + j].to_string(),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use clap::Parser;

    use super::*;

    #[test]
    fn origin_drops_the_path() {
        assert_eq!(origin_of("https://a.example/x/y"), "https://a.example");
        assert_eq!(origin_of("http://127.0.0.1:3000/"), "http://127.0.0.1:3000");
    }

    #[test]
    fn the_command_line_parses() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
        let cli = Cli::parse_from(["union-portal", "--addr", "0.0.0.0:8080"]);
        assert!(cli.command.is_none());
        assert_eq!(cli.serve.addr, "0.0.0.0:8080");
        let cli = Cli::parse_from(["union-portal", "admin", "grant", "--student-no", "1", "--union", "admin"]);
        assert!(matches!(cli.command, Some(Command::Admin(AdminCommand::Grant { .. }))));
        assert!(Cli::try_parse_from(["union-portal", "seed-bench"]).is_err(), "benchmark data is bench/seed's");
        let cli = Cli::parse_from(["union-portal", "backup", "--to", "b.tar", "--data-dir", "/srv/portal"]);
        assert!(matches!(cli.command, Some(Command::Backup { to }) if to == Path::new("b.tar")));
        assert_eq!(cli.global.data_dir, PathBuf::from("/srv/portal"));
        assert!(matches!(
            Cli::parse_from(["union-portal", "restore", "--from", "b.tar"]).command,
            Some(Command::Restore { from }) if from == Path::new("b.tar")
        ));
    }

    #[test]
    fn the_default_grace_outlasts_the_request_timeout() {
        let serve = |args: &[&str]| Cli::parse_from(std::iter::once("union-portal").chain(args.iter().copied())).serve;
        let defaults = serve(&[]);
        assert!(defaults.shutdown_grace() > Duration::from_secs(defaults.request_timeout_secs));
        assert_eq!(serve(&["--request-timeout-secs", "90"]).shutdown_grace(), Duration::from_secs(95));
        assert_eq!(serve(&["--shutdown-grace-secs", "3"]).shutdown_grace(), Duration::from_secs(3), "as configured");
    }
}
