//! The words of reception days: a session's public code, a commitment's state on
//! a given day, and the iCalendar text (RFC 5545) phone calendars subscribe to.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Asia::Shanghai;

/// A session's public code: the kind's prefix and the number (`148`, `jw3`).
pub fn code(prefix: &str, number: i32) -> String {
    format!("{prefix}{number}")
}

/// `jw3` → ("jw", 3); `148` → ("", 148).
pub fn parse_code(code: &str) -> Option<(&str, i32)> {
    let digits = code.find(|c: char| c.is_ascii_digit())?;
    let (prefix, number) = code.split_at(digits);
    if !prefix.bytes().all(|b| b.is_ascii_lowercase()) || prefix.len() > 10 {
        return None;
    }
    Some((prefix, number.parse().ok()?))
}

/// A commitment as the board shows it on `today`: overdue is computed, never stored.
pub fn commitment_state(status: &str, due_on: NaiveDate, done_on: Option<NaiveDate>, today: NaiveDate) -> &'static str {
    match status {
        "done" if done_on.is_some_and(|d| d <= due_on) => "done",
        "done" => "done_late",
        _ if today > due_on => "overdue",
        "in_progress" => "in_progress",
        _ => "pending",
    }
}

/// A student's sign-up (`reception_signup.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum SignupStatus {
    Seat,
    Waiting,
    Cancelled,
}

impl SignupStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SignupStatus::Seat => "seat",
            SignupStatus::Waiting => "waiting",
            SignupStatus::Cancelled => "cancelled",
        }
    }
}

/// Where a commitment stands as its organisers report it (`commitment.status`,
/// `commitment_update.status_after`); overdue is computed, never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum CommitmentStatus {
    Pending,
    InProgress,
    Done,
}

impl CommitmentStatus {
    pub const ALL: [CommitmentStatus; 3] =
        [CommitmentStatus::Pending, CommitmentStatus::InProgress, CommitmentStatus::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            CommitmentStatus::Pending => "pending",
            CommitmentStatus::InProgress => "in_progress",
            CommitmentStatus::Done => "done",
        }
    }
    pub fn parse(s: &str) -> Option<CommitmentStatus> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// One calendar event.
pub struct CalendarEvent<'a> {
    pub uid: String,
    pub sequence: i32,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub confirmed: bool,
    pub summary: &'a str,
    pub location: &'a str,
    pub description: &'a str,
    pub url: String,
    pub updated_at: DateTime<Utc>,
}

/// TEXT values: backslash, semicolon, comma and line breaks escaped (RFC 5545 3.3.11).
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets, never inside a UTF-8 character (RFC 5545 3.1).
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

fn local(at: &DateTime<Utc>) -> String {
    at.with_timezone(&Shanghai).format("%Y%m%dT%H%M%S").to_string()
}

/// The whole calendar, in Asia/Shanghai (a VTIMEZONE is included: China has no daylight saving).
pub fn calendar(name: &str, events: &[CalendarEvent], generated_at: DateTime<Utc>) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//union-portal//reception//ZH".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", escape_text(name)),
        "X-WR-TIMEZONE:Asia/Shanghai".into(),
        "BEGIN:VTIMEZONE".into(),
        "TZID:Asia/Shanghai".into(),
        "BEGIN:STANDARD".into(),
        "DTSTART:19700101T000000".into(),
        "TZOFFSETFROM:+0800".into(),
        "TZOFFSETTO:+0800".into(),
        "TZNAME:CST".into(),
        "END:STANDARD".into(),
        "END:VTIMEZONE".into(),
    ];
    for e in events {
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}", e.uid),
            format!("DTSTAMP:{}", generated_at.format("%Y%m%dT%H%M%SZ")),
            format!("LAST-MODIFIED:{}", e.updated_at.format("%Y%m%dT%H%M%SZ")),
            format!("SEQUENCE:{}", e.sequence),
            format!("DTSTART;TZID=Asia/Shanghai:{}", local(&e.starts_at)),
            format!("DTEND;TZID=Asia/Shanghai:{}", local(&e.ends_at)),
            format!("STATUS:{}", if e.confirmed { "CONFIRMED" } else { "TENTATIVE" }),
            format!("SUMMARY:{}", escape_text(e.summary)),
            format!("LOCATION:{}", escape_text(e.location)),
            format!("DESCRIPTION:{}", escape_text(e.description)),
            format!("URL:{}", e.url),
            "END:VEVENT".into(),
        ]);
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in &lines {
        fold(line, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_name_the_kind_and_the_number() {
        assert_eq!(parse_code("148"), Some(("", 148)));
        assert_eq!(parse_code("jw3"), Some(("jw", 3)));
        assert_eq!((parse_code("jw"), parse_code("../1"), parse_code("99999999999")), (None, None, None));
        assert_eq!(code("jw", 3), "jw3");
    }

    #[test]
    fn commitment_statuses_read_back_what_they_write() {
        for s in CommitmentStatus::ALL {
            assert_eq!(CommitmentStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(CommitmentStatus::parse("overdue"), None, "overdue is computed, never stored");
    }

    #[test]
    fn overdue_starts_the_day_after_the_due_date() {
        let due: NaiveDate = "2026-12-31".parse().unwrap();
        let (before, on, after) = (due.pred_opt().unwrap(), due, due.succ_opt().unwrap());
        assert_eq!(commitment_state("pending", due, None, before), "pending");
        assert_eq!(commitment_state("in_progress", due, None, on), "in_progress", "due today is not late yet");
        assert_eq!(commitment_state("in_progress", due, None, after), "overdue");
        assert_eq!(commitment_state("done", due, Some(on), after), "done");
        assert_eq!(commitment_state("done", due, Some(after), after), "done_late");
    }

    #[test]
    fn long_chinese_lines_fold_between_characters_and_text_is_escaped() {
        let mut out = String::new();
        fold(&format!("SUMMARY:{}", "校领导接待日".repeat(10)), &mut out);
        assert!(out.split("\r\n").all(|l| l.len() <= 75));
        assert!(std::str::from_utf8(out.as_bytes()).is_ok());
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
