//! The rules of an inspection with no database in them: grades from a score and the
//! rubric's boundaries, a room's score from its deductions, academic terms, ranking
//! periods, and when a room is a 文明寝室.

use chrono::{Datelike, Days, Months, NaiveDate};

/// 优秀 / 良好 / 合格 / 不合格, stored by key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grade {
    Fail,
    Pass,
    Good,
    Excellent,
}

impl Grade {
    pub fn key(self) -> &'static str {
        match self {
            Grade::Excellent => "excellent",
            Grade::Good => "good",
            Grade::Pass => "pass",
            Grade::Fail => "fail",
        }
    }

    pub fn from_key(key: &str) -> Option<Grade> {
        [Grade::Excellent, Grade::Good, Grade::Pass, Grade::Fail].into_iter().find(|g| g.key() == key)
    }
}

/// A room's result: scored, refused (拒查, graded 不合格) or nobody in (no grade).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Scored,
    Refused,
    Absent,
}

impl Outcome {
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Scored => "scored",
            Outcome::Refused => "refused",
            Outcome::Absent => "absent",
        }
    }

    pub fn from_key(key: &str) -> Option<Outcome> {
        [Outcome::Scored, Outcome::Refused, Outcome::Absent].into_iter().find(|o| o.key() == key)
    }
}

/// 每周检查 (Wednesdays), 突击 (spot), 院查 (college) and 校查 (school) rounds.
pub const ROUND_KINDS: [&str; 4] = ["weekly", "spot", "college", "school"];

/// A rubric version's grade boundaries: the lowest score of each grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Boundaries {
    pub excellent_min: i32,
    pub good_min: i32,
    pub pass_min: i32,
}

impl Boundaries {
    /// A veto finding fails the room whatever its points.
    pub fn grade(&self, score: i32, vetoed: bool) -> Grade {
        if vetoed || score < self.pass_min {
            Grade::Fail
        } else if score >= self.excellent_min {
            Grade::Excellent
        } else if score >= self.good_min {
            Grade::Good
        } else {
            Grade::Pass
        }
    }
}

/// One item of a rubric as scoring needs it.
#[derive(Debug, Clone)]
pub struct ItemRule {
    pub item_id: i64,
    pub max_points: i32,
    pub veto: bool,
}

/// Points taken off under one item.
#[derive(Debug, Clone)]
pub struct Deduction {
    pub item_id: i64,
    pub points: i32,
}

/// The room's score and whether a veto item was found: the rubric's full marks less the
/// deductions, each item losing at most its own maximum (so one item cannot sink the rest).
/// A deduction under an item not in the rubric is the caller's error: `None`.
pub fn tally(items: &[ItemRule], deductions: &[Deduction]) -> Option<(i32, bool)> {
    let full: i32 = items.iter().map(|i| i.max_points).sum();
    let mut lost = 0;
    let mut vetoed = false;
    for item in items {
        let taken: i32 = deductions.iter().filter(|d| d.item_id == item.item_id).map(|d| d.points.max(0)).sum();
        lost += taken.min(item.max_points);
        vetoed |= item.veto && deductions.iter().any(|d| d.item_id == item.item_id);
    }
    if deductions.iter().any(|d| !items.iter().any(|i| i.item_id == d.item_id)) {
        return None;
    }
    Some(((full - lost).max(0), vetoed))
}

/// A preset reason as stored, "2 床铺未整理": its points and its words.
pub fn parse_reason(stored: &str) -> Option<(i32, &str)> {
    let (points, text) = stored.trim().split_once(' ')?;
    let points: i32 = points.parse().ok()?;
    let text = text.trim();
    ((0..=100).contains(&points) && !text.is_empty()).then_some((points, text))
}

/// An academic term: autumn runs August to January, spring February to July.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// The calendar year the term starts in.
    pub year: i32,
    pub autumn: bool,
}

impl Term {
    pub fn of(day: NaiveDate) -> Term {
        match day.month() {
            1 => Term { year: day.year() - 1, autumn: true },
            2..=7 => Term { year: day.year(), autumn: false },
            _ => Term { year: day.year(), autumn: true },
        }
    }

    /// As stored and in addresses: "2026-autumn", "2027-spring".
    pub fn key(self) -> String {
        format!("{}-{}", self.year, if self.autumn { "autumn" } else { "spring" })
    }

    pub fn from_key(key: &str) -> Option<Term> {
        let (year, season) = key.split_once('-')?;
        let year: i32 = year.parse().ok().filter(|y| (2000..=2100).contains(y))?;
        match season {
            "autumn" => Some(Term { year, autumn: true }),
            "spring" => Some(Term { year, autumn: false }),
            _ => None,
        }
    }

    /// First and last day.
    pub fn days(self) -> (NaiveDate, NaiveDate) {
        let first = NaiveDate::from_ymd_opt(self.year, if self.autumn { 8 } else { 2 }, 1).unwrap_or_default();
        // Both terms are six months: August–January and February–July.
        let last = first.checked_add_months(Months::new(6)).and_then(|d| d.pred_opt()).unwrap_or(first);
        (first, last)
    }
}

/// What a ranking covers: the week (Monday to Sunday), month or term holding a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Week,
    Month,
    Term,
}

impl Period {
    pub fn key(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::Term => "term",
        }
    }

    pub fn from_key(key: &str) -> Option<Period> {
        [Period::Week, Period::Month, Period::Term].into_iter().find(|p| p.key() == key)
    }

    /// First and last day of the period holding `day`.
    pub fn days(self, day: NaiveDate) -> (NaiveDate, NaiveDate) {
        match self {
            Period::Week => {
                let monday = day - Days::new(u64::from(day.weekday().num_days_from_monday()));
                (monday, monday + Days::new(6))
            }
            Period::Month => {
                let first = day.with_day(1).unwrap_or(day);
                let last = first.checked_add_months(Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(first);
                (first, last)
            }
            Period::Term => Term::of(day).days(),
        }
    }
}

/// Whether a room's term, its grades in round order (拒查 counts as 不合格), makes it a
/// 文明寝室: at least three graded rounds, at least half of them 优秀, and no 不合格 left
/// standing — a 不合格 is cleared by three 优秀 in a row after it.
pub fn civilised(grades: &[Grade]) -> bool {
    if grades.len() < 3 || grades.iter().filter(|g| **g == Grade::Excellent).count() * 2 < grades.len() {
        return false;
    }
    !fail_standing(grades)
}

/// Whether the last 不合格 has not yet been followed by three 优秀 in a row.
pub fn fail_standing(grades: &[Grade]) -> bool {
    let Some(last_fail) = grades.iter().rposition(|g| *g == Grade::Fail) else {
        return false;
    };
    let after = &grades[last_fail + 1..];
    !after.windows(3).any(|w| w.iter().all(|g| *g == Grade::Excellent))
}

/// The default day of a new weekly round: the Wednesday of the week holding `day`.
pub fn wednesday_of(day: NaiveDate) -> NaiveDate {
    let (monday, _) = Period::Week.days(day);
    monday + Days::new(2)
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
