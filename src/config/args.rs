//! The command line: commands, and every flag of `serve` (each also an environment variable).

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
    /// The primary itself, when DATABASE_URL is a pooler such as PgBouncer: migrations, commands,
    /// backups and the LISTEN for reference-data changes then go straight to the primary.
    /// Requests still use DATABASE_URL.
    #[arg(long, env = "PORTAL_DIRECT_DATABASE_URL", global = true, hide_env_values = true)]
    pub direct_database_url: Option<String>,
    /// Where the managed database and uploads live.
    #[arg(long, env = "PORTAL_DATA_DIR", default_value = "var", global = true)]
    pub data_dir: PathBuf,
    /// Where uploads live: `s3://bucket/prefix` for any S3-compatible service (endpoint,
    /// region and keys from AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY),
    /// or `file:///folder`. Default: the data directory's `uploads` folder.
    #[arg(long, env = "PORTAL_STORAGE_URL", global = true)]
    pub storage_url: Option<String>,
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
    Serve(Box<ServeArgs>),
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
    /// Copy every upload from the storage in use (PORTAL_STORAGE_URL, or the data directory's
    /// folder) to another: a bucket or a folder. Resumable: what is already there with the same
    /// size is skipped. Point PORTAL_STORAGE_URL at the new place afterwards.
    StorageCopy {
        /// Where to: `s3://bucket/prefix` or `file:///folder`.
        #[arg(long)]
        to: String,
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
    #[command(flatten)]
    pub campus: super::CampusArgs,
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
    /// Working days a school office has from forwarding to its first answer (its clock on `/offices`).
    #[arg(long, env = "PORTAL_OFFICE_ANSWER_DAYS", default_value_t = 5, value_parser = clap::value_parser!(i32).range(1..=60))]
    pub office_answer_days: i32,
    /// Days past its deadline after which an open complaint goes on the next 校领导接待日's agenda by itself.
    #[arg(long, env = "PORTAL_AGENDA_AFTER_DAYS", default_value_t = 14, value_parser = clap::value_parser!(i32).range(0..=365))]
    pub agenda_after_days: i32,
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
    /// A read replica for public lists, search and statistics (anonymous visitors only: a
    /// signed-in student always reads the primary, their own writes included). When it does
    /// not answer, those reads go to the primary.
    #[arg(long, env = "PORTAL_READ_DATABASE_URL", hide_env_values = true)]
    pub read_database_url: Option<String>,
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
    /// Event applications, withdrawals, confirmations and a witness's commitments and reveals one student may make in an hour (0: no limit).
    #[arg(long, env = "PORTAL_LIMIT_EVENT_PRESSES", default_value_t = 30)]
    pub limit_event_presses: u32,
    /// Group robots: `send` delivers to the chats; `log` writes every message to the log
    /// instead (a copy of a real installation, trying things out).
    #[arg(long, env = "PORTAL_ROBOTS", value_enum, default_value_t = RobotDelivery::Send)]
    pub robots: RobotDelivery,
    /// Accept group robot webhooks at loopback addresses over http (tests and local trials
    /// with a fake robot; never on a real installation).
    #[arg(long, env = "PORTAL_ROBOTS_LOOPBACK")]
    pub robots_loopback: bool,
}

/// Where group robots' messages go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RobotDelivery {
    Send,
    Log,
}

impl ServeArgs {
    /// The per-kind hourly limits on students' writes, as `web::limits` counts them.
    pub(super) fn write_limits(&self) -> crate::web::limits::WriteLimits {
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
            (Write::EventPresses, self.limit_event_presses),
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
