//! The figures in the page's language: labels and charts, built per request from
//! the cached figures (cheap: no query), because the language differs per visitor.

use chrono::NaiveDate;

use super::{
    chart::{self, Chart, Datum},
    figures::{CommitmentTally, Outcomes, StatsFigures},
    queries::{Attendance, LostTotals, ReplyTime},
};
use crate::web::{Lang, Layout};

/// "3月" / "Mar" under a column; "2026年3月" / "Mar 2026" in a table.
pub fn month_label(lang: Lang, month: &NaiveDate, short: bool) -> String {
    let format = match (lang, short) {
        (Lang::Zh, true) => "%-m月",
        (Lang::Zh, false) => "%Y年%-m月",
        (Lang::En, true) => "%b",
        (Lang::En, false) => "%b %Y",
    };
    month.format(format).to_string()
}

/// A share for people: "75%", or "—" when there is nothing to share.
pub fn shown_share(share: Option<i64>) -> String {
    share.map_or_else(|| "—".to_string(), |p| format!("{p}%"))
}

/// Days to one decimal: "2.5", or "—".
pub fn shown_days(days: Option<f64>) -> String {
    days.map_or_else(|| "—".to_string(), |d| format!("{d:.1}"))
}

impl ReplyTime {
    pub fn median_shown(&self) -> String {
        shown_days(self.median_days)
    }
    pub fn union_median_shown(&self) -> String {
        shown_days(self.union_median_days)
    }
}

impl CommitmentTally {
    pub fn share_shown(&self) -> String {
        shown_share(self.on_time_share())
    }
}

impl Attendance {
    pub fn label(&self, layout: &Layout) -> String {
        let number = self.number.to_string();
        layout
            .tf("stats.reception.session", &[("number", &number), ("kind", layout.pick(&self.kind_zh, &self.kind_en))])
    }
    /// The day it was held, in the page's language.
    pub fn day(&self, layout: &Layout) -> String {
        layout.date(&self.starts_at.with_timezone(&chrono_tz::Asia::Shanghai).date_naive())
    }
    pub fn share_shown(&self) -> String {
        shown_share(super::figures::percent(self.taken, self.offered))
    }
}

impl LostTotals {
    /// "3 (60%)": back with their owner, of all registered.
    pub fn back_text(&self, layout: &Layout) -> String {
        let n = self.back_with_owner().to_string();
        layout.tf("stats.count_share", &[("n", &n), ("share", &shown_share(self.returned_share()))])
    }
    /// "3 of 4 (75%)": campus cards returned, of all found.
    pub fn cards_text(&self, layout: &Layout) -> String {
        let (returned, cards) = (self.cards_returned.to_string(), self.cards.to_string());
        let share = shown_share(self.card_share());
        layout.tf("stats.lost.cards_returned", &[("returned", &returned), ("cards", &cards), ("share", &share)])
    }
    /// Held, claimed, returned, disposed.
    pub fn chart(&self, id: &'static str, layout: &Layout) -> Chart {
        let data = self.by_state().iter().map(|(s, n)| Datum::count(layout.t_of("lost.item_status.", s), *n)).collect();
        chart::horizontal(id, data)
    }
}

impl Outcomes {
    pub fn resolved_shown(&self) -> String {
        shown_share(self.resolved_share())
    }
    pub fn confirmed_shown(&self) -> String {
        shown_share(self.confirmed_share())
    }
    /// Complaints per status, in workflow order.
    pub fn chart(&self, id: &'static str, layout: &Layout) -> Chart {
        let data = self.by_status.iter().map(|(s, n)| Datum::count(layout.complaint_status(s), *n)).collect();
        chart::horizontal(id, data)
    }
}

/// The public page's charts and the words around them.
pub struct StatsView {
    /// "Figures as of …".
    pub as_of: String,
    pub category: Chart,
    pub month: Chart,
    /// The months as a table shows them, with their counts.
    pub months: Vec<(String, i64)>,
    pub status: Chart,
    pub reply: Chart,
    pub lost: Chart,
    pub commitments: Chart,
    pub attendance: Chart,
}

impl StatsView {
    pub fn new(f: &StatsFigures, layout: &Layout) -> StatsView {
        let pick = |zh: &str, en: &str| layout.pick(zh, en).to_string();
        let category = f.by_category.iter().map(|c| Datum::count(pick(&c.name_zh, &c.name_en), c.n)).collect();
        let month = f.by_month.iter().map(|m| Datum::count(month_label(layout.lang, &m.month, true), m.n)).collect();
        StatsView {
            as_of: layout.t_param("stats.as_of", &layout.date_time(&f.computed_at)),
            category: chart::horizontal("chart-category", category),
            month: chart::columns("chart-month", month),
            months: f.by_month.iter().map(|m| (month_label(layout.lang, &m.month, false), m.n)).collect(),
            status: f.outcomes.chart("chart-status", layout),
            reply: reply_chart(&f.reply_times, layout),
            lost: f.lost.chart("chart-lost", layout),
            commitments: commitment_chart(&f.commitments, layout),
            attendance: attendance_chart(&f.attendance, layout),
        }
    }
}

/// Median days per office, for the offices with at least one reply.
fn reply_chart(times: &[ReplyTime], layout: &Layout) -> Chart {
    let data = times
        .iter()
        .filter_map(|r| {
            let label = layout.pick(&r.name_zh, &r.name_en).to_string();
            Some(Datum { label, value: r.median_days?, shown: r.median_shown(), capacity: None })
        })
        .collect();
    chart::horizontal("chart-reply", data)
}

/// The share kept on time, per office with something due.
fn commitment_chart(tallies: &[CommitmentTally], layout: &Layout) -> Chart {
    let data = tallies
        .iter()
        .filter_map(|t| {
            let share = t.on_time_share()?;
            let label = layout.pick(&t.name_zh, &t.name_en).to_string();
            // A share of 0 is still a row: a bar of nothing, and its "0%".
            Some(Datum { label, value: share as f64, shown: t.share_shown(), capacity: Some(100.0) })
        })
        .collect();
    chart::horizontal("chart-commitments", data)
}

/// Seats taken out of seats offered, per session.
fn attendance_chart(sessions: &[Attendance], layout: &Layout) -> Chart {
    let data = sessions
        .iter()
        .map(|a| Datum {
            label: a.label(layout),
            value: a.taken as f64,
            shown: format!("{}/{}", a.taken, a.offered),
            capacity: Some(a.offered as f64),
        })
        .collect();
    chart::horizontal("chart-attendance", data)
}
