//! Event forms and the values they become: an event's details, an application's
//! answers, a witness's commitment and reveal, the draw's public value.

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use crate::{
    reception::forms::{local_time, pairs},
    web::{
        forms::{multi_line, one_line},
        FormErrors,
    },
};

/// An event's details as the organisers edit them (new or existing).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct EventForm {
    pub title: String,
    pub description: String,
    pub place: String,
    /// `datetime-local` values, in Shanghai time.
    pub starts_at: String,
    pub ends_at: String,
    pub places: String,
    pub applications_open_at: String,
    pub applications_close_at: String,
    /// One college per line (or separated by 、/，); empty: every college.
    pub colleges: String,
    /// Entry years separated by spaces or commas; empty: every grade.
    pub grades: String,
    /// One question per line, at most five.
    pub questions: String,
    /// `first_come` or `draw`.
    pub selection: String,
    /// `none`, `fixed`, `proportional`, `one_per_college`.
    pub quota_rule: String,
    /// For `fixed`: one college per line, then its places.
    pub quotas: String,
    pub public_value_source: String,
    pub reveal_deadline: String,
    pub confirm_hours: String,
}

pub struct EventValues {
    pub title: String,
    pub description: String,
    pub place: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub places: i32,
    pub applications_open_at: DateTime<Utc>,
    pub applications_close_at: DateTime<Utc>,
    pub colleges: Vec<String>,
    pub grades: Vec<i32>,
    pub questions: Vec<String>,
    pub selection: String,
    pub quota_rule: String,
    pub quotas: Vec<(String, i32)>,
    pub public_value_source: String,
    pub reveal_deadline: DateTime<Utc>,
    pub confirm_hours: i32,
}

fn number(raw: &str, range: std::ops::RangeInclusive<i32>) -> Result<i32, &'static str> {
    match raw.trim().parse::<i32>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err("form.number.invalid"),
    }
}

/// Items separated by new lines, 、，, or commas.
fn items(raw: &str) -> Vec<String> {
    raw.split(['\n', '、', '，', ',']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

impl EventForm {
    pub fn parse(&self) -> Result<EventValues, FormErrors> {
        let mut errors = FormErrors::default();
        let mut time = |field: &'static str, raw: &str| match local_time(raw) {
            Ok(t) => Some(t),
            Err(key) => {
                errors.add(field, key);
                None
            }
        };
        let starts_at = time("starts_at", &self.starts_at);
        let ends_at = time("ends_at", &self.ends_at);
        let opens = time("applications_open_at", &self.applications_open_at);
        let closes = time("applications_close_at", &self.applications_close_at);
        let reveal =
            if self.reveal_deadline.trim().is_empty() { None } else { time("reveal_deadline", &self.reveal_deadline) };
        if let (Some(s), Some(e)) = (starts_at, ends_at) {
            if e <= s {
                errors.add("ends_at", "form.reception.ends_before_start");
            }
        }
        if let (Some(o), Some(c)) = (opens, closes) {
            if c <= o {
                errors.add("applications_close_at", "form.reception.closes_before_opens");
            }
        }
        if let (Some(c), Some(s)) = (closes, starts_at) {
            if c > s {
                errors.add("applications_close_at", "form.events.closes_after_start");
            }
        }
        if let (Some(c), Some(r)) = (closes, reveal) {
            if r < c {
                errors.add("reveal_deadline", "form.events.reveal_before_close");
            }
        }
        let title = errors.take("title", one_line(&self.title, 100, true));
        let description = errors.take("description", multi_line(&self.description, 5000, false));
        let place = errors.take("place", one_line(&self.place, 100, true));
        let places = number(&self.places, 1..=10_000).map_err(|k| errors.add("places", k)).unwrap_or(0);
        let confirm_hours =
            number(&self.confirm_hours, 1..=336).map_err(|k| errors.add("confirm_hours", k)).unwrap_or(48);
        let colleges = items(&self.colleges);
        if colleges.len() > 60 || colleges.iter().any(|c| c.chars().count() > 40) {
            errors.add("colleges", "form.too_long");
        }
        let mut grades = vec![];
        for g in self.grades.split([' ', ',', '，', '、', '\n']).map(str::trim).filter(|g| !g.is_empty()) {
            match g.trim_end_matches('级').parse::<i32>() {
                Ok(y) if (1950..=2100).contains(&y) => grades.push(y),
                _ => errors.add("grades", "form.events.grades"),
            }
        }
        let questions: Vec<String> =
            self.questions.lines().map(str::trim).filter(|q| !q.is_empty()).map(str::to_string).collect();
        if questions.len() > 5 {
            errors.add("questions", "form.events.five_questions");
        } else if questions.iter().any(|q| q.chars().count() > 100) {
            errors.add("questions", "form.too_long");
        }
        let controls = |t: &str| t.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t');
        for (field, text) in [
            ("colleges", &self.colleges),
            ("questions", &self.questions),
            ("quotas", &self.quotas),
            ("grades", &self.grades),
        ] {
            if controls(text) {
                errors.add(field, "form.invalid_characters");
            }
        }
        if !matches!(self.selection.as_str(), "first_come" | "draw") {
            errors.add("selection", "form.events.selection");
        }
        if !matches!(self.quota_rule.as_str(), "none" | "fixed" | "proportional" | "one_per_college") {
            errors.add("quota_rule", "form.events.quota_rule");
        }
        let mut quotas = vec![];
        for (college, n) in pairs(&self.quotas) {
            match n.parse::<i32>() {
                Ok(n) if (1..=10_000).contains(&n) && college.chars().count() <= 40 => quotas.push((college, n)),
                _ => errors.add("quotas", "form.reception.quota_line"),
            }
        }
        quotas.sort();
        if quotas.windows(2).any(|w| w[0].0 == w[1].0) {
            errors.add("quotas", "form.reception.quota_twice");
        }
        if self.quota_rule == "fixed" && quotas.is_empty() {
            errors.add("quotas", "form.events.quotas_needed");
        }
        if quotas.iter().map(|q| q.1).sum::<i32>() > places && places > 0 {
            errors.add("quotas", "form.events.quotas_over_places");
        }
        let public_value_source = errors.take("public_value_source", one_line(&self.public_value_source, 200, false));
        let (Some(starts_at), Some(ends_at), Some(opens), Some(closes)) = (starts_at, ends_at, opens, closes) else {
            return Err(errors);
        };
        errors.into_result(EventValues {
            title,
            description,
            place,
            starts_at,
            ends_at,
            places,
            applications_open_at: opens,
            applications_close_at: closes,
            colleges,
            grades,
            questions,
            selection: self.selection.clone(),
            // Quotas divide places in a draw; first come first served has none.
            quota_rule: if self.selection == "draw" { self.quota_rule.clone() } else { "none".into() },
            quotas: if self.quota_rule == "fixed" { quotas } else { vec![] },
            public_value_source,
            // Unset: a day after the close.
            reveal_deadline: reveal.unwrap_or(closes + Duration::days(1)),
            confirm_hours,
        })
    }
}

/// An application: the answers to the event's questions, `a1` … `a5`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ApplyForm {
    pub a1: String,
    pub a2: String,
    pub a3: String,
    pub a4: String,
    pub a5: String,
}

/// The field an answer lives in, by the question's place.
pub const ANSWER_FIELDS: [&str; 5] = ["a1", "a2", "a3", "a4", "a5"];

impl ApplyForm {
    pub fn answer(&self, i: usize) -> &str {
        [&self.a1, &self.a2, &self.a3, &self.a4, &self.a5].get(i).map_or("", |s| s.as_str())
    }
    /// One answer per question, each required, up to 300 characters.
    pub fn parse(&self, questions: usize) -> Result<Vec<String>, FormErrors> {
        let mut errors = FormErrors::default();
        let answers = (0..questions.min(5))
            .map(|i| errors.take(ANSWER_FIELDS[i], multi_line(self.answer(i), 300, true)))
            .collect();
        errors.into_result(answers)
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct WitnessForm {
    pub student_no: String,
    pub label: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct CommitForm {
    /// Lowercase hex SHA-256 of the secret (computed in the witness's browser or their own terminal).
    pub commitment: String,
}

impl CommitForm {
    pub fn parse(&self) -> Result<String, FormErrors> {
        let hash = self.commitment.trim().to_ascii_lowercase();
        if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(hash)
        } else {
            Err(FormErrors::one("commitment", "form.events.commitment"))
        }
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RevealForm {
    pub secret: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct DrawForm {
    pub public_value: String,
}

#[cfg(test)]
#[path = "forms_tests.rs"]
mod tests;
