//! Command line and environment: every flag is also an environment variable.
//! Owns parsing only; nothing here touches the network or the database.

use std::{path::PathBuf, time::Duration};

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "union-portal", version, about = "学生会门户 — the student union portal")]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
    /// `serve` is the default command; its flags also work without the word `serve`.
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// PostgreSQL server to use. Without it the portal runs its own cluster under the data directory.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Where the managed database and uploads live.
    #[arg(long, env = "PORTAL_DATA_DIR", default_value = "var", global = true)]
    pub data_dir: PathBuf,
    /// Log format.
    #[arg(long, env = "PORTAL_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal (the default).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Manage accounts and roles.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Fill the database with realistic demo content (safe to run twice).
    SeedDemo,
    /// Back up the database and the uploaded photos into one tar file (README "Backup and restore").
    Backup {
        /// The file to write; it must not exist yet.
        #[arg(long)]
        to: PathBuf,
    },
    /// Restore a backup into an empty database and a data directory without uploads.
    Restore {
        /// A tar file written by `backup`.
        #[arg(long)]
        from: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an account.
    CreateUser {
        #[arg(long)]
        student_no: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        password: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        college: String,
    },
    /// Give an account a role in a department (this term) or a union-wide role.
    Grant {
        #[arg(long)]
        student_no: String,
        /// Department slug, e.g. rights, life, girls, safety, infra, publicity, news, office.
        #[arg(long, requires = "role", conflicts_with = "union")]
        dept: Option<String>,
        #[arg(long, value_parser = ["member", "vice_head", "head"])]
        role: Option<String>,
        #[arg(long, value_parser = ["presidium", "admin"], required_unless_present = "dept")]
        union: Option<String>,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "PORTAL_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: String,
    /// The address students use, e.g. https://portal.example.edu. An https URL turns on
    /// Secure/__Host- cookies and HSTS.
    #[arg(long, env = "PORTAL_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Take the client address from X-Forwarded-For (only behind a reverse proxy you run).
    #[arg(long, env = "PORTAL_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// Seconds a request may take before it is answered 408.
    #[arg(long, env = "PORTAL_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout_secs: u64,
    /// Seconds in-flight requests get to finish after SIGTERM [default: the request
    /// timeout and 5 more, so no request that may still run is cut off].
    #[arg(long, env = "PORTAL_SHUTDOWN_GRACE")]
    pub shutdown_grace_secs: Option<u64>,
    /// Minutes without activity after which a session ends.
    #[arg(long, env = "PORTAL_SESSION_IDLE_MINUTES", default_value_t = 12 * 60)]
    pub session_idle_minutes: u64,
    /// Hours after login after which a session ends whatever the activity.
    #[arg(long, env = "PORTAL_SESSION_ABSOLUTE_HOURS", default_value_t = 30 * 24)]
    pub session_absolute_hours: u64,
    /// Days a new complaint may wait to be accepted before it is overdue.
    #[arg(long, env = "PORTAL_COMPLAINT_ACCEPT_DAYS", default_value_t = 2)]
    pub complaint_accept_days: i32,
    /// Days to the first public reply on a complaint before it is overdue.
    #[arg(long, env = "PORTAL_COMPLAINT_REPLY_DAYS", default_value_t = 7)]
    pub complaint_reply_days: i32,
    /// Days a found item is kept at its point before it may be disposed of.
    #[arg(long, env = "PORTAL_LOST_FOUND_RETENTION_DAYS", default_value_t = 90, value_parser = clap::value_parser!(i32).range(1..=3650))]
    pub lost_found_retention_days: i32,
    /// Number of the first lost-and-found bulletin the portal publishes (the union had published 56 on paper).
    #[arg(long, env = "PORTAL_FIRST_BULLETIN", default_value_t = 57, value_parser = clap::value_parser!(i32).range(1..))]
    pub first_bulletin: i32,
    /// SMTP server for mail, e.g. smtps://user:password@smtp.example.edu. Without it mail goes to the log.
    #[arg(long, env = "PORTAL_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Sender of the portal's mail.
    #[arg(long, env = "PORTAL_MAIL_FROM", default_value = "学生会门户 <noreply@localhost>")]
    pub mail_from: String,
    /// Milliseconds anonymous visitors may be shown a public page rendered for someone
    /// else (0: never). Peaks of thousands opening the same page cost one rendering.
    #[arg(long, env = "PORTAL_PAGE_CACHE_MS", default_value_t = 2000)]
    pub page_cache_ms: u64,
    /// Database connections in the pool (at least 2: the first start holds one while it
    /// creates the administrator with another).
    #[arg(long, env = "PORTAL_DB_POOL_SIZE", default_value_t = 16, value_parser = clap::value_parser!(u32).range(2..))]
    pub db_pool_size: u32,
    /// Distinct student numbers one address may register in an hour (a campus NAT puts
    /// thousands behind one address); requests are capped at three times that, and one
    /// number gets a hundredth, at least one (0: no limit).
    #[arg(long, env = "PORTAL_LIMIT_REGISTRATIONS", default_value_t = 1000)]
    pub limit_registrations: u32,
    /// Complaints one student may file in an hour (0: no limit).
    #[arg(long, env = "PORTAL_LIMIT_FILINGS", default_value_t = 20)]
    pub limit_filings: u32,
    /// Photos one user may upload in an hour (0: no limit).
    #[arg(long, env = "PORTAL_LIMIT_PHOTOS", default_value_t = 120)]
    pub limit_photos: u32,
    /// Distinct student numbers one address may ask reset links for in an hour; requests
    /// are capped at three times that, and one number gets a hundredth, at least one (0: no limit).
    #[arg(long, env = "PORTAL_LIMIT_PASSWORD_RESETS", default_value_t = 200)]
    pub limit_password_resets: u32,
    /// Replies to, reopenings and confirmations of their own complaints one student may make in an hour (0: no limit).
    #[arg(long, env = "PORTAL_LIMIT_COMPLAINT_UPDATES", default_value_t = 30)]
    pub limit_complaint_updates: u32,
    /// 同问 one student may add in an hour (0: no limit).
    #[arg(long, env = "PORTAL_LIMIT_SUPPORTS", default_value_t = 60)]
    pub limit_supports: u32,
    /// Reception sign-ups, cancellations and follows one student may make in an hour (0: no limit).
    #[arg(long, env = "PORTAL_LIMIT_RECEPTION_SIGNUPS", default_value_t = 30)]
    pub limit_reception_signups: u32,
    /// Reception questions one student may ask in an hour (0: no limit).
    #[arg(long, env = "PORTAL_LIMIT_QUESTIONS", default_value_t = 10)]
    pub limit_questions: u32,
    /// Votes on reception questions one student may cast in an hour (0: no limit).
    #[arg(long, env = "PORTAL_LIMIT_VOTES", default_value_t = 120)]
    pub limit_votes: u32,
    /// Lost reports one student may file or close in an hour (0: no limit).
    #[arg(long, env = "PORTAL_LIMIT_LOST_REPORTS", default_value_t = 20)]
    pub limit_lost_reports: u32,
    /// Changes to their notification settings (all read, mail on or off) one user may make in an hour (0: no limit).
    #[arg(long, env = "PORTAL_LIMIT_NOTIFICATION_SETTINGS", default_value_t = 60)]
    pub limit_notification_settings: u32,
}

impl ServeArgs {
    /// The per-kind hourly limits on students' writes, as `web::limits` counts them.
    fn write_limits(&self) -> crate::web::limits::WriteLimits {
        use crate::web::limits::Write;
        let mut limits = crate::web::limits::WriteLimits::default();
        for (kind, per_hour) in [
            (Write::ComplaintUpdates, self.limit_complaint_updates),
            (Write::Supports, self.limit_supports),
            (Write::ReceptionSignups, self.limit_reception_signups),
            (Write::Questions, self.limit_questions),
            (Write::Votes, self.limit_votes),
            (Write::LostReports, self.limit_lost_reports),
            (Write::NotificationSettings, self.limit_notification_settings),
        ] {
            limits[kind] = per_hour;
        }
        limits
    }
}

impl ServeArgs {
    /// The time in-flight requests get after SIGTERM: as configured, or by default long
    /// enough for any request to finish or time out (and its answer to leave).
    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_secs(self.shutdown_grace_secs.unwrap_or(self.request_timeout_secs + 5))
    }
}

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
    pub complaint_accept_days: i32,
    pub complaint_reply_days: i32,
    pub lost_found_retention_days: i32,
    pub first_bulletin: i32,
    /// How long an anonymous visitor's public page may be shared (`web::page_cache`).
    pub page_cache: Duration,
    pub rate_limits: crate::web::limits::RateLimits,
}

impl Config {
    pub fn from_args(serve: &ServeArgs, global: &GlobalArgs) -> Self {
        let public_origin = serve.public_url.as_deref().map(origin_of);
        Self {
            secure_cookies: public_origin.as_deref().is_some_and(|o| o.starts_with("https://")),
            public_origin,
            trust_proxy: serve.trust_proxy,
            request_timeout: Duration::from_secs(serve.request_timeout_secs),
            session_idle: Duration::from_secs(serve.session_idle_minutes * 60),
            session_absolute: Duration::from_secs(serve.session_absolute_hours * 3600),
            body_limit_bytes: 2 * 1024 * 1024,
            upload_limit_bytes: UPLOAD_LIMIT,
            data_dir: global.data_dir.clone(),
            complaint_accept_days: serve.complaint_accept_days,
            complaint_reply_days: serve.complaint_reply_days,
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
        }
    }

    /// Settings for tests: plain http, proxy headers trusted so tests can act from several addresses.
    pub fn for_tests(data_dir: PathBuf) -> Self {
        Self {
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
            lost_found_retention_days: 90,
            first_bulletin: 57,
            // Tests look at a page right after changing it.
            page_cache: Duration::ZERO,
            // Tests file and register much; the limits' own tests turn them on.
            rate_limits: crate::web::limits::RateLimits::default(),
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
