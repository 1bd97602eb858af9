//! The two clocks of a school office's record, computed from its forwarded cases:
//! the office's (forwarding → its first answer, against a deadline in working days)
//! and the union's (filing → the union's first public reply) on the same cases, so
//! neither is charged with the other's delay. Time and the calendar are parameters:
//! tests fix both.

use chrono::{DateTime, Utc};

use crate::holidays::WorkCalendar;

/// A complaint forwarded to an office, as its clocks need it.
#[derive(Debug, Clone)]
pub struct ForwardedCase {
    pub office_id: i64,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub forwarded_at: DateTime<Utc>,
    pub first_public_reply_at: Option<DateTime<Utc>>,
    pub office_answered_at: Option<DateTime<Utc>>,
}

/// One office's figures over a set of forwarded cases.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfficeClock {
    pub forwarded: usize,
    /// Median days from forwarding to the office's first answer, over the answered cases.
    pub office_median_days: Option<f64>,
    pub office_answered: usize,
    /// Answered within the deadline, of the cases whose answer or deadline has come.
    pub within_deadline: usize,
    pub deadline_passed_or_answered: usize,
    /// Open cases the office has not answered although its deadline has passed.
    pub overdue_now: usize,
    /// Median days from filing to the union's first public reply, on the same cases.
    pub union_median_days: Option<f64>,
    pub union_replied: usize,
}

impl OfficeClock {
    /// Percent answered within the deadline, when any case has reached it.
    pub fn within_deadline_percent(&self) -> Option<i64> {
        let n = self.deadline_passed_or_answered;
        (n > 0).then(|| ((self.within_deadline as f64 / n as f64) * 100.0).round() as i64)
    }
}

/// When the office must have answered a case forwarded at `forwarded_at`.
pub fn answer_by(forwarded_at: DateTime<Utc>, days: i32, calendar: &WorkCalendar) -> DateTime<Utc> {
    calendar.add_working_days(forwarded_at, days)
}

/// Is the office past its deadline on this case at `now` (open and unanswered)?
pub fn is_overdue(case: &ForwardedCase, now: DateTime<Utc>, days: i32, calendar: &WorkCalendar) -> bool {
    past_deadline((&case.status, case.forwarded_at, case.office_answered_at), now, days, calendar)
}

/// The rule of `is_overdue` for any case's (status, forwarded at, office answered at).
pub fn past_deadline(
    (status, forwarded_at, answered_at): (&str, DateTime<Utc>, Option<DateTime<Utc>>),
    now: DateTime<Utc>,
    days: i32,
    calendar: &WorkCalendar,
) -> bool {
    let open = !matches!(status, "rejected" | "resolved");
    open && answered_at.is_none() && now > answer_by(forwarded_at, days, calendar)
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 0 { (values[mid - 1] + values[mid]) / 2.0 } else { values[mid] })
}

fn days_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_seconds() as f64 / 86_400.0
}

/// The figures of these cases (all of one office) at `now`.
pub fn office_clock(cases: &[&ForwardedCase], now: DateTime<Utc>, days: i32, calendar: &WorkCalendar) -> OfficeClock {
    let mut out = OfficeClock { forwarded: cases.len(), ..OfficeClock::default() };
    let mut office_days = vec![];
    let mut union_days = vec![];
    for c in cases {
        let by = answer_by(c.forwarded_at, days, calendar);
        if let Some(answered) = c.office_answered_at {
            office_days.push(days_between(c.forwarded_at, answered));
            out.deadline_passed_or_answered += 1;
            out.within_deadline += usize::from(answered <= by);
        } else if now > by {
            out.deadline_passed_or_answered += 1;
        }
        out.overdue_now += usize::from(is_overdue(c, now, days, calendar));
        if let Some(replied) = c.first_public_reply_at {
            union_days.push(days_between(c.created_at, replied));
        }
    }
    (out.office_answered, out.union_replied) = (office_days.len(), union_days.len());
    (out.office_median_days, out.union_median_days) = (median(office_days), median(union_days));
    out
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::holidays::DayKind;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("time").to_utc()
    }

    fn case(created: &str, forwarded: &str, union: Option<&str>, office: Option<&str>) -> ForwardedCase {
        ForwardedCase {
            office_id: 1,
            status: "forwarded".into(),
            created_at: at(created),
            forwarded_at: at(forwarded),
            first_public_reply_at: union.map(at),
            office_answered_at: office.map(at),
        }
    }

    /// 国庆: 1–7 October 2026 off, Saturday 10 October a make-up working day.
    fn national_day() -> WorkCalendar {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 10, d).expect("day");
        let mut days: Vec<(NaiveDate, DayKind)> = (1..=7).map(|d| (day(d), DayKind::Holiday)).collect();
        days.push((day(10), DayKind::Workday));
        WorkCalendar::new(days)
    }

    #[test]
    fn the_office_clock_starts_at_forwarding_and_the_union_clock_at_filing() {
        let cal = WorkCalendar::new([]);
        // Filed Monday, the union replied at once (before forwarding), forwarded Wednesday,
        // the office answered Friday: the office took 2 days, not 0 and not 4.
        let c = case(
            "2026-11-02T02:00:00Z",
            "2026-11-04T02:00:00Z",
            Some("2026-11-02T03:00:00Z"),
            Some("2026-11-06T02:00:00Z"),
        );
        let clock = office_clock(&[&c], at("2026-11-20T00:00:00Z"), 5, &cal);
        assert_eq!(clock.office_median_days, Some(2.0));
        assert_eq!(clock.union_median_days, Some(1.0 / 24.0));
        assert_eq!((clock.within_deadline, clock.deadline_passed_or_answered), (1, 1));
        assert_eq!(clock.within_deadline_percent(), Some(100));
    }

    #[test]
    fn a_holiday_does_not_count_against_the_office() {
        let cal = national_day();
        // Forwarded Wednesday 30 September: the five working days are 8, 9, 10 (the make-up Saturday),
        // 12 and 13 October, never a day of the holiday.
        let forwarded = "2026-09-30T02:00:00Z";
        assert_eq!(answer_by(at(forwarded), 5, &cal), at("2026-10-13T02:00:00Z"));
        let in_time = case("2026-09-29T02:00:00Z", forwarded, None, Some("2026-10-13T01:00:00Z"));
        let late = case("2026-09-29T02:00:00Z", forwarded, None, Some("2026-10-14T01:00:00Z"));
        let waiting = case("2026-09-29T02:00:00Z", forwarded, None, None);
        let now = at("2026-10-09T00:00:00Z");
        let clock = office_clock(&[&in_time, &late, &waiting], now, 5, &cal);
        assert_eq!(clock.overdue_now, 0, "on 9 October the waiting case is not overdue: the holiday stopped the clock");
        assert_eq!((clock.within_deadline, clock.deadline_passed_or_answered), (1, 2));
        let later = office_clock(&[&in_time, &late, &waiting], at("2026-10-14T00:00:00Z"), 5, &cal);
        assert_eq!(later.overdue_now, 1);
        assert_eq!((later.within_deadline, later.deadline_passed_or_answered), (1, 3));
        assert_eq!(later.within_deadline_percent(), Some(33));
        let median = later.office_median_days.expect("two answers");
        assert!((median - (13.5 - 1.0 / 24.0)).abs() < 1e-9, "13 and 14 days less an hour: {median}");
    }

    #[test]
    fn closed_cases_are_never_overdue_and_no_cases_give_no_figures() {
        let cal = WorkCalendar::new([]);
        let mut c = case("2026-11-02T02:00:00Z", "2026-11-02T02:00:00Z", None, None);
        c.status = "resolved".into();
        assert!(!is_overdue(&c, at("2026-12-30T00:00:00Z"), 5, &cal));
        let none = office_clock(&[], at("2026-12-30T00:00:00Z"), 5, &cal);
        assert_eq!(none.office_median_days, None);
        assert_eq!(none.within_deadline_percent(), None);
    }
}
