//! Results: answers counted per question (charts with their tables), free text listed,
//! filters by college and entry year. In anonymous mode a group of fewer than five is
//! never shown, on the page or in the exports. Plain functions over the stored answers.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{model::Question, queries::ResponseRow};
use crate::stats::chart::{self, Chart, Datum};

/// The smallest group of anonymous answers shown on its own.
pub const MIN_GROUP: usize = 5;

/// One question's figures.
pub struct Tally {
    pub q: Question,
    pub answered: usize,
    /// Choices, scales, rankings and dates.
    pub chart: Option<Chart>,
    /// A matrix: each row with its count per column.
    pub matrix: Vec<(String, Vec<i64>)>,
    /// A number question: count, mean, smallest, largest.
    pub summary: Option<(String, String, String)>,
    /// Free text (never on the public page).
    pub texts: Vec<String>,
}

/// Which answers a result page counts.
#[derive(Default, Clone)]
pub struct Filter {
    pub college: Option<String>,
    pub grade: Option<i32>,
}

impl Filter {
    pub fn keeps(&self, r: &ResponseRow) -> bool {
        self.college.as_ref().is_none_or(|c| *c == r.college) && self.grade.is_none_or(|g| r.grade == Some(g))
    }
    pub fn is_empty(&self) -> bool {
        self.college.is_none() && self.grade.is_none()
    }
}

/// Groups with their sizes (a college, an entry year).
pub type Sizes<K> = Vec<(K, usize)>;

/// The groups a filter may choose, with their sizes; in anonymous mode only those of five or more.
pub fn groups(rows: &[ResponseRow], anonymous: bool) -> (Sizes<String>, Sizes<i32>) {
    let mut colleges: BTreeMap<String, usize> = BTreeMap::new();
    let mut grades: BTreeMap<i32, usize> = BTreeMap::new();
    for r in rows {
        if !r.college.is_empty() {
            *colleges.entry(r.college.clone()).or_default() += 1;
        }
        if let Some(g) = r.grade {
            *grades.entry(g).or_default() += 1;
        }
    }
    let big = |n: &usize| !anonymous || *n >= MIN_GROUP;
    (colleges.into_iter().filter(|(_, n)| big(n)).collect(), grades.into_iter().filter(|(_, n)| big(n)).collect())
}

/// The answers a filter keeps, or None when they are a group too small to show.
pub fn filtered<'a>(rows: &'a [ResponseRow], filter: &Filter, anonymous: bool) -> Option<Vec<&'a ResponseRow>> {
    let kept: Vec<&ResponseRow> = rows.iter().filter(|r| filter.keeps(r)).collect();
    let too_small = anonymous && !filter.is_empty() && kept.len() < MIN_GROUP;
    (!too_small).then_some(kept)
}

fn index(v: &Value) -> Option<usize> {
    v.as_u64().map(|n| n as usize)
}

fn counts(q: &Question, answers: &[&Value]) -> Vec<i64> {
    let mut n = vec![0i64; q.options.len()];
    for a in answers {
        let picked: Vec<usize> = match a {
            Value::Array(items) => items.iter().filter_map(index).collect(),
            other => index(other).into_iter().collect(),
        };
        for i in picked {
            if let Some(slot) = n.get_mut(i) {
                *slot += 1;
            }
        }
    }
    n
}

fn tally(q: &Question, answers: Vec<&Value>, public: bool) -> Tally {
    let mut t =
        Tally { q: q.clone(), answered: answers.len(), chart: None, matrix: vec![], summary: None, texts: vec![] };
    match q.kind.as_str() {
        "single" | "multiple" => {
            let data = q.options.iter().zip(counts(q, &answers)).map(|(o, n)| Datum::count(o.clone(), n)).collect();
            t.chart = Some(chart::horizontal("survey", data));
        }
        "scale" => {
            let points = q.scale_points();
            let data = points
                .iter()
                .map(|p| Datum::count(p.to_string(), answers.iter().filter(|a| a.as_i64() == Some(*p)).count() as i64))
                .collect();
            t.chart = Some(chart::columns("survey", data));
        }
        "ranking" => t.chart = Some(ranking(q, &answers)),
        "matrix" => {
            t.matrix = q
                .matrix_rows
                .iter()
                .enumerate()
                .map(|(r, label)| {
                    let mut n = vec![0i64; q.options.len()];
                    for c in answers.iter().filter_map(|a| a.get(r).and_then(index)) {
                        if let Some(slot) = n.get_mut(c) {
                            *slot += 1;
                        }
                    }
                    (label.clone(), n)
                })
                .collect();
        }
        "number" => {
            let xs: Vec<f64> = answers.iter().filter_map(|a| a.as_f64()).collect();
            if !xs.is_empty() {
                let mean = xs.iter().sum::<f64>() / xs.len() as f64;
                let (lo, hi) = xs.iter().fold((f64::MAX, f64::MIN), |(l, h), x| (l.min(*x), h.max(*x)));
                t.summary = Some((format!("{mean:.2}"), lo.to_string(), hi.to_string()));
            }
        }
        "date" => {
            let mut days: BTreeMap<&str, i64> = BTreeMap::new();
            for d in answers.iter().filter_map(|a| a.as_str()) {
                *days.entry(d).or_default() += 1;
            }
            t.chart = Some(chart::horizontal("survey", days.into_iter().map(|(d, n)| Datum::count(d, n)).collect()));
        }
        _ if !public => t.texts = answers.iter().filter_map(|a| a.as_str()).map(str::to_string).collect(),
        _ => {}
    }
    t
}

/// A ranking as points: first of n gets n points, last gets 1; shown with the mean rank.
fn ranking(q: &Question, answers: &[&Value]) -> Chart {
    let n = q.options.len();
    let mut points = vec![0i64; n];
    let mut rank_sum = vec![0usize; n];
    for order in answers.iter().filter_map(|a| a.as_array()) {
        for (place, option) in order.iter().filter_map(index).enumerate().filter(|(_, o)| *o < n) {
            points[option] += (n - place) as i64;
            rank_sum[option] += place + 1;
        }
    }
    let data = q
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let mean = if answers.is_empty() { 0.0 } else { rank_sum[i] as f64 / answers.len() as f64 };
            Datum { label: o.clone(), value: points[i] as f64, shown: format!("{mean:.1}"), capacity: None }
        })
        .collect();
    chart::horizontal("survey", data)
}

/// Every question's figures over these answers. `public`: free text is left out.
pub fn tallies(questions: &[Question], rows: &[&ResponseRow], public: bool) -> Vec<Tally> {
    questions
        .iter()
        .filter(|q| !(public && q.is_free_text()))
        .map(|q| tally(q, rows.iter().filter_map(|r| r.answers.get(q.key())).collect(), public))
        .collect()
}

/// Every public question's figures from the counts made at publishing (`{"total", "counts":
/// [{"k", "v", "n"}]}`): each answer counted as often as it was given. The number of answers too.
pub fn published_tallies(questions: &[Question], counted: &Value) -> (Vec<Tally>, usize) {
    let total = counted.get("total").and_then(Value::as_u64).unwrap_or(0) as usize;
    let counts: Vec<(&str, &Value, usize)> = counted
        .get("counts")
        .and_then(Value::as_array)
        .map(|all| {
            all.iter()
                .filter_map(|c| Some((c.get("k")?.as_str()?, c.get("v")?, c.get("n")?.as_u64()? as usize)))
                .collect()
        })
        .unwrap_or_default();
    let tallies = questions
        .iter()
        .filter(|q| !q.is_free_text())
        .map(|q| {
            let key = q.key();
            let answers = counts.iter().filter(|(k, _, _)| *k == key).flat_map(|(_, v, n)| std::iter::repeat_n(*v, *n));
            tally(q, answers.collect(), true)
        })
        .collect();
    (tallies, total)
}

/// One answer to one question, as a spreadsheet cell.
pub fn cell(q: &Question, answer: Option<&Value>) -> String {
    let option = |v: &Value| index(v).and_then(|i| q.options.get(i)).cloned().unwrap_or_default();
    match (q.kind.as_str(), answer) {
        (_, None) => String::new(),
        ("single", Some(v)) => option(v),
        ("multiple" | "ranking", Some(Value::Array(items))) => items.iter().map(option).collect::<Vec<_>>().join("；"),
        ("matrix", Some(Value::Array(items))) => q
            .matrix_rows
            .iter()
            .zip(items)
            .map(|(row, v)| format!("{row}：{}", option(v)))
            .collect::<Vec<_>>()
            .join("；"),
        (_, Some(Value::String(s))) => s.clone(),
        (_, Some(v)) => v.to_string(),
    }
}

#[cfg(test)]
#[path = "results_tests.rs"]
mod tests;
