//! What an event is at a moment (its phase), who may apply, and the small values its
//! pages show: application numbers, the code shown at the door, statuses.

use chrono::{DateTime, Utc};
use rand::Rng;

use super::queries::Event;

/// Where an event stands, as its pages and buttons need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Cancelled,
    /// Applications not open yet.
    Announced,
    Open,
    /// The window has closed; a draw event waits for its reveals and its draw.
    Closed,
    /// Drawn (or first come first served and closed): places are known, confirmations run.
    Decided,
    /// It has begun or is over.
    Held,
}

impl Event {
    pub fn phase(&self, now: DateTime<Utc>) -> Phase {
        if self.cancelled_at.is_some() {
            Phase::Cancelled
        } else if now >= self.starts_at {
            Phase::Held
        } else if now < self.applications_open_at {
            Phase::Announced
        } else if now < self.applications_close_at {
            Phase::Open
        } else if self.is_draw() && self.drawn_at.is_none() {
            Phase::Closed
        } else {
            Phase::Decided
        }
    }
    pub fn is_draw(&self) -> bool {
        self.selection == "draw"
    }
    /// The window has closed and the pool is not frozen yet: the next reader freezes it.
    pub fn freeze_due(&self, now: DateTime<Utc>) -> bool {
        self.is_draw()
            && self.pool_frozen_at.is_none()
            && self.cancelled_at.is_none()
            && now >= self.applications_close_at
    }
    /// Catalogue key of the phase's name (a reference: templates pass their fields so).
    pub fn phase_key(&self, now: &DateTime<Utc>) -> &'static str {
        match self.phase(*now) {
            Phase::Cancelled => "events.phase.cancelled",
            Phase::Announced => "events.phase.announced",
            Phase::Open => "events.phase.open",
            Phase::Closed => "events.phase.closed",
            Phase::Decided => "events.phase.decided",
            Phase::Held => "events.phase.held",
        }
    }
    pub fn selection_key(&self) -> &'static str {
        if self.is_draw() {
            "events.selection.draw"
        } else {
            "events.selection.first_come"
        }
    }
    pub fn quota_rule_key(&self) -> &'static str {
        match self.quota_rule.as_str() {
            "fixed" => "events.quota.fixed",
            "proportional" => "events.quota.proportional",
            "one_per_college" => "events.quota.one_per_college",
            _ => "events.quota.none",
        }
    }
    /// Whether a student of this college and student number may apply (verification apart).
    pub fn admits(&self, college: &str, student_no: &str) -> bool {
        let college_ok = self.colleges.is_empty() || self.colleges.iter().any(|c| c == college);
        let grade_ok = self.grades.is_empty() || grade_of(student_no).is_some_and(|g| self.grades.contains(&g));
        college_ok && grade_ok
    }
    pub fn places_left(&self) -> i64 {
        (i64::from(self.places) - self.taken).max(0)
    }
}

/// The entry year (年级) a student number begins with: 2023010001 → 2023.
pub fn grade_of(student_no: &str) -> Option<i32> {
    let year: i32 = student_no.get(..4)?.parse().ok()?;
    (1950..=2100).contains(&year).then_some(year)
}

/// The code a student shows at the door: six characters nobody misreads (no 0/O, 1/I/L).
pub fn new_check_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..6).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

/// An application's status as stored.
pub fn status_key(status: &str) -> &'static str {
    match status {
        "applied" => "events.status.applied",
        "selected" => "events.status.selected",
        "confirmed" => "events.status.confirmed",
        "waiting" => "events.status.waiting",
        "lapsed" => "events.status.lapsed",
        _ => "events.status.withdrawn",
    }
}

/// Until when a student given a place has to confirm it: the event's hours, but never
/// after the event begins.
pub fn confirm_deadline(now: DateTime<Utc>, hours: i32, starts_at: DateTime<Utc>) -> DateTime<Utc> {
    (now + chrono::Duration::hours(i64::from(hours))).min(starts_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grade_is_the_entry_year_the_number_begins_with() {
        assert_eq!(grade_of("2023010001"), Some(2023));
        assert_eq!(grade_of("T-001"), None);
        assert_eq!(grade_of("12"), None);
    }

    #[test]
    fn check_codes_avoid_look_alike_characters() {
        for _ in 0..200 {
            let code = new_check_code();
            assert_eq!(code.len(), 6);
            assert!(!code.contains(['0', 'O', '1', 'I', 'L']), "{code}");
        }
    }
}
