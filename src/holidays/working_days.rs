//! Working-day arithmetic on the Chinese calendar, a pure rule: a day works when it
//! is Monday to Friday and not a public holiday, or when it is a make-up working day
//! (调休上班). Days are Shanghai days. No database and no clock here: the calendar's
//! days and the time are parameters, so the rule is unit-tested with fixed vectors.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Asia::Shanghai;

/// What a day of the calendar table says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// A public holiday (放假): no work even on a weekday.
    Holiday,
    /// A make-up working day (调休上班): work even on a weekend.
    Workday,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }

    pub fn parse(s: &str) -> Option<DayKind> {
        match s {
            "holiday" => Some(DayKind::Holiday),
            "workday" => Some(DayKind::Workday),
            _ => None,
        }
    }
}

/// A search for the next working day gives up after this many days: the table is edited
/// a day at a time, so no real calendar comes near; it only keeps a mistaken one from
/// hanging a request.
const SEARCH_LIMIT: u64 = 3660;

/// The days that differ from the plain week. Empty: weekends off, nothing else.
#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    days: HashMap<NaiveDate, DayKind>,
}

/// The filing times whose deadline of some working days has passed at some moment:
/// everything filed before `before`, and what was filed from then until `until` at an
/// earlier time of its (Shanghai) day than `time_of_day`. `complaints::queries` asks
/// exactly this of the database, so the queue's SQL and `WorkCalendar::add_working_days`
/// never disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LateFilings {
    pub before: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub time_of_day: NaiveTime,
}

impl LateFilings {
    /// Whether something filed at `filed` is late (what the SQL asks, in Rust).
    pub fn contains(&self, filed: DateTime<Utc>) -> bool {
        filed < self.before || (filed < self.until && filed.with_timezone(&Shanghai).time() < self.time_of_day)
    }
}

impl WorkCalendar {
    pub fn new(days: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> Self {
        Self { days: days.into_iter().collect() }
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        match self.days.get(&day) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The `n`th working day after `day` (`day` itself when `n` is 0 or less).
    pub fn working_day_after(&self, day: NaiveDate, n: i32) -> NaiveDate {
        let mut d = day;
        let mut left = n;
        let mut steps = 0;
        while left > 0 && steps < SEARCH_LIMIT {
            let Some(next) = d.checked_add_days(Days::new(1)) else { break };
            d = next;
            steps += 1;
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// `start` plus `n` working days: the same Shanghai time of day on the `n`th working
    /// day after the day of `start`.
    pub fn add_working_days(&self, start: DateTime<Utc>, n: i32) -> DateTime<Utc> {
        let local = start.with_timezone(&Shanghai);
        let day = self.working_day_after(local.date_naive(), n);
        shanghai(day, local.time()).unwrap_or(start)
    }

    /// What filed when is past its `n`-working-day deadline at `now`. A filing's deadline
    /// is its time of day on the day `working_day_after` gives its day; that day never
    /// comes earlier for a later day, so the days whose deadline day is before today form
    /// a prefix (all late), those whose deadline day is today a range after it (late
    /// when filed earlier in the day than now), and the rest are not late.
    pub fn late_filings(&self, now: DateTime<Utc>, n: i32) -> LateFilings {
        let local = now.with_timezone(&Shanghai);
        let today = local.date_naive();
        let due = |d: NaiveDate| self.working_day_after(d, n);
        let back = |d: NaiveDate| d.checked_sub_days(Days::new(1));
        // The first day whose deadline is not before today…
        let mut first = today;
        let mut steps = 0;
        while let Some(prev) = back(first).filter(|p| due(*p) >= today) {
            if steps >= SEARCH_LIMIT {
                break;
            }
            first = prev;
            steps += 1;
        }
        // …and the first whose deadline is after today.
        let mut after = first;
        while due(after) <= today && steps < 2 * SEARCH_LIMIT {
            let Some(next) = after.checked_add_days(Days::new(1)) else { break };
            after = next;
            steps += 1;
        }
        let midnight = |d: NaiveDate| shanghai(d, NaiveTime::MIN).unwrap_or(now);
        LateFilings { before: midnight(first), until: midnight(after), time_of_day: local.time() }
    }
}

/// `day` at `time` in Shanghai (one answer: Shanghai has no daylight saving).
fn shanghai(day: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    Shanghai.from_local_datetime(&day.and_time(time)).single().map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("time").with_timezone(&Utc)
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day")
    }

    /// 国庆 and 中秋 2026 as the State Council set them, with their make-up Sundays and Saturday.
    fn autumn_2026() -> WorkCalendar {
        let mut days: Vec<(NaiveDate, DayKind)> = vec![
            (day("2026-09-20"), DayKind::Workday),
            (day("2026-09-25"), DayKind::Holiday),
            (day("2026-09-26"), DayKind::Holiday),
            (day("2026-09-27"), DayKind::Holiday),
            (day("2026-10-10"), DayKind::Workday),
        ];
        days.extend((1..=7).map(|d| (day(&format!("2026-10-0{d}")), DayKind::Holiday)));
        WorkCalendar::new(days)
    }

    #[test]
    fn an_empty_calendar_skips_weekends_only() {
        let c = WorkCalendar::default();
        // Thursday 10:00 + 2 = Monday 10:00; Saturday + 2 = Tuesday; Monday + 2 = Wednesday.
        assert_eq!(c.add_working_days(at("2026-11-26T10:00:00+08:00"), 2), at("2026-11-30T10:00:00+08:00"));
        assert_eq!(c.add_working_days(at("2026-11-28T09:00:00+08:00"), 2), at("2026-12-01T09:00:00+08:00"));
        assert_eq!(c.add_working_days(at("2026-11-23T09:00:00+08:00"), 2), at("2026-11-25T09:00:00+08:00"));
        assert_eq!(c.add_working_days(at("2026-11-23T09:00:00+08:00"), 0), at("2026-11-23T09:00:00+08:00"));
    }

    #[test]
    fn national_day_is_not_worked_and_the_make_up_saturday_is() {
        let c = autumn_2026();
        assert!(!c.is_working_day(day("2026-10-05")), "a Monday of 国庆");
        assert!(c.is_working_day(day("2026-10-10")), "the 调休 Saturday");
        assert!(c.is_working_day(day("2026-09-20")), "the 调休 Sunday");
        assert!(!c.is_working_day(day("2026-09-25")), "中秋, a Friday");
        assert!(!c.is_working_day(day("2026-10-11")), "a plain Sunday");
        // Wednesday 30 September + 2: Thursday 8 and Friday 9 October.
        assert_eq!(c.add_working_days(at("2026-09-30T10:00:00+08:00"), 2), at("2026-10-09T10:00:00+08:00"));
        // Friday 9 October + 2: the make-up Saturday, then Monday.
        assert_eq!(c.add_working_days(at("2026-10-09T10:00:00+08:00"), 2), at("2026-10-12T10:00:00+08:00"));
        // Friday 18 September + 1: the make-up Sunday 20th.
        assert_eq!(c.add_working_days(at("2026-09-18T16:00:00+08:00"), 1), at("2026-09-20T16:00:00+08:00"));
        // Thursday 24 September + 2: 中秋 Friday to Sunday, then Monday and Tuesday.
        assert_eq!(c.add_working_days(at("2026-09-24T08:30:00+08:00"), 2), at("2026-09-29T08:30:00+08:00"));
        // Filed on a holiday: counted from the holiday.
        assert_eq!(c.add_working_days(at("2026-10-03T22:00:00+08:00"), 2), at("2026-10-09T22:00:00+08:00"));
    }

    #[test]
    fn a_calendar_of_nothing_but_holidays_still_answers() {
        let c = WorkCalendar::new((0..SEARCH_LIMIT + 10).map(|i| (day("2026-01-01") + Days::new(i), DayKind::Holiday)));
        let far = c.add_working_days(at("2026-01-01T10:00:00+08:00"), 2);
        assert!(far > at("2035-01-01T00:00:00+08:00"));
        let late = c.late_filings(at("2026-06-01T10:00:00+08:00"), 2);
        assert!(late.before <= at("2026-01-01T00:00:00+08:00"));
    }

    #[test]
    fn late_filings_around_national_day_are_those_before_the_deadline_day() {
        let c = autumn_2026();
        // Friday 9 October 10:30: Wednesday 30 September is due today at its time of day.
        let late = c.late_filings(at("2026-10-09T10:30:00+08:00"), 2);
        assert_eq!(late.before, at("2026-09-30T00:00:00+08:00"));
        assert_eq!(late.until, at("2026-10-08T00:00:00+08:00"), "filed 30 Sep to 7 Oct: due today");
        assert!(late.contains(at("2026-09-30T10:00:00+08:00")));
        assert!(!late.contains(at("2026-09-30T11:00:00+08:00")));
        assert!(late.contains(at("2026-10-05T09:00:00+08:00")), "filed on a holiday, due today 09:00");
        assert!(!late.contains(at("2026-10-08T09:00:00+08:00")));
        // During the holiday, nothing filed since Tuesday 29 September 00:00 is late.
        let late = c.late_filings(at("2026-10-05T12:00:00+08:00"), 2);
        assert_eq!((late.before, late.until), (at("2026-09-29T00:00:00+08:00"), at("2026-09-29T00:00:00+08:00")));
    }

    #[test]
    fn late_filings_agree_with_add_working_days_at_every_hour() {
        // Every filing hour of 12 September to 20 October against every hour from then to
        // 25 October, on the autumn calendar and on the plain week, for 1 to 3 days.
        for c in [autumn_2026(), WorkCalendar::default()] {
            for n in 0..=3 {
                let mut now = at("2026-09-14T00:30:00+08:00");
                while now < at("2026-10-25T00:00:00+08:00") {
                    let late = c.late_filings(now, n);
                    let mut filed = at("2026-09-12T00:00:00+08:00");
                    while filed < at("2026-10-20T00:00:00+08:00") {
                        let expected = now > c.add_working_days(filed, n);
                        assert_eq!(late.contains(filed), expected, "n={n} now={now} filed={filed}");
                        filed += chrono::Duration::minutes(97);
                    }
                    now += chrono::Duration::minutes(113);
                }
            }
        }
    }

    #[test]
    fn a_day_kind_reads_back_what_it_writes() {
        for k in [DayKind::Holiday, DayKind::Workday] {
            assert_eq!(DayKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(DayKind::parse("weekend"), None);
    }
}
