//! The figures themselves, in no language: what the public page shows and what
//! the cache keeps. Shares are whole percentages, rounded; a share of nothing is
//! `None` (shown as —), never 0 %.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgPool;

use super::queries::{self, Attendance, CategoryCount, CommitmentRow, LostTotals, MonthCount, ReplyTime, StatusCount};
use crate::complaints::status::ComplaintStatus;

/// `part` of `whole` in whole percent.
pub fn percent(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 200 + whole) / (whole * 2))
}

pub struct StatsFigures {
    pub computed_at: DateTime<Utc>,
    pub by_category: Vec<CategoryCount>,
    pub by_month: Vec<MonthCount>,
    pub outcomes: Outcomes,
    pub reply_times: Vec<ReplyTime>,
    pub lost: LostTotals,
    pub commitments: Vec<CommitmentTally>,
    pub attendance: Vec<Attendance>,
    pub lending: crate::lending::stats::LendingFigures,
}

#[tracing::instrument(skip_all)]
pub async fn load(db: &PgPool) -> sqlx::Result<StatsFigures> {
    let today = crate::web::forms::today();
    Ok(StatsFigures {
        computed_at: Utc::now(),
        by_category: queries::count_by_category(db).await?,
        by_month: queries::count_by_month(db).await?,
        outcomes: Outcomes::new(queries::count_by_status(db, None).await?, queries::count_confirmed(db).await?),
        reply_times: queries::list_reply_times(db).await?,
        lost: queries::fetch_lost_totals(db, None).await?,
        commitments: tally_by_office(&queries::list_commitments(db, None).await?, today),
        attendance: queries::list_attendance(db).await?,
        lending: crate::lending::stats::LendingFigures::load(db).await?,
    })
}

/// Complaints by status (every status, in workflow order), and the shares resolved and confirmed.
#[derive(Debug)]
pub struct Outcomes {
    pub by_status: Vec<(&'static str, i64)>,
    pub total: i64,
    pub resolved: i64,
    pub confirmed: i64,
}

impl Outcomes {
    pub fn new(counts: Vec<StatusCount>, confirmed: i64) -> Outcomes {
        let n = |s: &str| counts.iter().find(|c| c.status == s).map_or(0, |c| c.n);
        let by_status: Vec<_> = ComplaintStatus::ALL.iter().map(|s| (s.as_str(), n(s.as_str()))).collect();
        Outcomes { total: by_status.iter().map(|(_, n)| n).sum(), resolved: n("resolved"), confirmed, by_status }
    }
    /// Of every complaint filed.
    pub fn resolved_share(&self) -> Option<i64> {
        percent(self.resolved, self.total)
    }
    /// Of the resolved ones: the reporter agreed it was resolved.
    pub fn confirmed_share(&self) -> Option<i64> {
        percent(self.confirmed, self.resolved)
    }
}

impl LostTotals {
    pub fn registered(&self) -> i64 {
        self.held + self.claimed + self.returned + self.disposed
    }
    /// Back with the owner: claimed at a point, or returned directly.
    pub fn back_with_owner(&self) -> i64 {
        self.claimed + self.returned
    }
    pub fn returned_share(&self) -> Option<i64> {
        percent(self.back_with_owner(), self.registered())
    }
    pub fn card_share(&self) -> Option<i64> {
        percent(self.cards_returned, self.cards)
    }
    /// Each state with its count, for a chart.
    pub fn by_state(&self) -> [(&'static str, i64); 4] {
        [("held", self.held), ("claimed", self.claimed), ("returned", self.returned), ("disposed", self.disposed)]
    }
}

/// Commitments of one office (or all of a department's), by how they stand today.
#[derive(Debug, Default, PartialEq)]
pub struct CommitmentTally {
    pub name_zh: String,
    pub name_en: String,
    /// Done on or before the due date.
    pub on_time: i64,
    pub late: i64,
    /// Past the due date and not done.
    pub overdue: i64,
    /// Not done, not yet due.
    pub open: i64,
}

impl CommitmentTally {
    fn add(&mut self, c: &CommitmentRow, today: NaiveDate) {
        // The board's rule, so the two pages never disagree.
        match crate::reception::model::commitment_state(&c.status, c.due_on, c.done_on, today) {
            "done" => self.on_time += 1,
            "done_late" => self.late += 1,
            "overdue" => self.overdue += 1,
            _ => self.open += 1,
        }
    }
    /// Due by now: done (late or not) or past the due date.
    pub fn due(&self) -> i64 {
        self.on_time + self.late + self.overdue
    }
    pub fn on_time_share(&self) -> Option<i64> {
        percent(self.on_time, self.due())
    }
    pub fn total(&self) -> i64 {
        self.due() + self.open
    }
}

/// One tally per promiser (office or department), in the order of `rows` (grouped by promiser).
pub fn tally_by_office(rows: &[CommitmentRow], today: NaiveDate) -> Vec<CommitmentTally> {
    let mut out: Vec<(&str, CommitmentTally)> = vec![];
    for c in rows {
        if out.last().is_none_or(|(key, _)| *key != c.by_key) {
            let t = CommitmentTally { name_zh: c.name_zh.clone(), name_en: c.name_en.clone(), ..Default::default() };
            out.push((&c.by_key, t));
        }
        if let Some((_, t)) = out.last_mut() {
            t.add(c, today);
        }
    }
    out.into_iter().map(|(_, t)| t).collect()
}

/// Every row in one tally (a department's own commitments).
pub fn tally_all(rows: &[CommitmentRow], today: NaiveDate) -> CommitmentTally {
    let mut t = CommitmentTally::default();
    rows.iter().for_each(|c| t.add(c, today));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(office_id: i64, status: &str, due: &str, done: Option<&str>) -> CommitmentRow {
        CommitmentRow {
            by_key: format!("o{office_id}"),
            name_zh: format!("处{office_id}"),
            name_en: format!("Office {office_id}"),
            status: status.into(),
            due_on: due.parse().unwrap(),
            done_on: done.map(|d| d.parse().unwrap()),
        }
    }

    #[test]
    fn shares_round_to_whole_percent_and_a_share_of_nothing_is_none() {
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(1, 8), Some(13), "12.5 rounds up");
        assert_eq!(percent(0, 5), Some(0));
        assert_eq!(percent(0, 0), None);
    }

    #[test]
    fn commitments_count_as_on_time_late_overdue_or_open_per_office() {
        let today: NaiveDate = "2026-05-10".parse().unwrap();
        let rows = [
            row(1, "done", "2026-05-01", Some("2026-05-01")),
            row(1, "done", "2026-05-01", Some("2026-05-02")),
            row(1, "in_progress", "2026-05-09", None),
            row(1, "pending", "2026-05-10", None),
            row(2, "pending", "2026-04-01", None),
        ];
        let t = tally_by_office(&rows, today);
        assert_eq!(t.len(), 2);
        assert_eq!((t[0].on_time, t[0].late, t[0].overdue, t[0].open), (1, 1, 1, 1));
        assert_eq!(t[0].on_time_share(), Some(33), "one of the three due by now");
        assert_eq!((t[1].overdue, t[1].on_time_share()), (1, Some(0)));
        assert_eq!(tally_all(&rows, today).total(), 5);
    }

    #[test]
    fn outcomes_list_every_status_and_share_of_the_right_whole() {
        let counts =
            vec![StatusCount { status: "resolved".into(), n: 2 }, StatusCount { status: "submitted".into(), n: 6 }];
        let o = Outcomes::new(counts, 1);
        assert_eq!(o.by_status.len(), ComplaintStatus::ALL.len());
        assert_eq!(o.total, 8);
        assert_eq!((o.resolved_share(), o.confirmed_share()), (Some(25), Some(50)));
    }
}
