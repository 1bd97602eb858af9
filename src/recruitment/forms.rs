//! Recruitment's forms as typed, and their parsing: every field error at once, the typed
//! text kept for the page that shows them.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{
    model::DECISIONS,
    queries::{NewPosition, NewRound, NewSlot},
};
use crate::{
    reception::forms::local_time,
    web::{
        forms::{multi_line, one_line},
        FormErrors,
    },
};

fn number(errors: &mut FormErrors, field: &'static str, raw: &str, range: std::ops::RangeInclusive<i32>) -> i32 {
    match raw.trim().parse::<i32>() {
        Ok(n) if range.contains(&n) => n,
        _ => {
            errors.add(field, "form.recruitment.number");
            0
        }
    }
}

fn time(errors: &mut FormErrors, field: &'static str, raw: &str) -> Option<DateTime<Utc>> {
    local_time(raw).map_err(|k| errors.add(field, k)).ok()
}

/// The presidium opens a round.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RoundForm {
    pub title: String,
    pub opens_at: String,
    pub closes_at: String,
    pub answer_by: String,
    pub max_choices: String,
    /// Empty: the accepted join now (this term); else the next 届's name.
    pub term_name: String,
}

pub struct RoundValues {
    pub title: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub answer_by: DateTime<Utc>,
    pub max_choices: i32,
    pub term_name: Option<String>,
}

impl RoundValues {
    pub fn row(&self) -> NewRound<'_> {
        NewRound {
            title: &self.title,
            opens_at: self.opens_at,
            closes_at: self.closes_at,
            answer_by: self.answer_by,
            max_choices: self.max_choices,
            term_name: self.term_name.as_deref(),
        }
    }
}

impl RoundForm {
    pub fn parse(&self) -> Result<RoundValues, FormErrors> {
        let mut errors = FormErrors::default();
        let title = errors.take("title", one_line(&self.title, 100, true));
        let opens_at = time(&mut errors, "opens_at", &self.opens_at);
        let closes_at = time(&mut errors, "closes_at", &self.closes_at);
        let answer_by = time(&mut errors, "answer_by", &self.answer_by);
        if let (Some(o), Some(c)) = (opens_at, closes_at) {
            if c <= o {
                errors.add("closes_at", "form.reception.closes_before_opens");
            }
        }
        if let (Some(c), Some(a)) = (closes_at, answer_by) {
            if a < c {
                errors.add("answer_by", "form.recruitment.answer_before_close");
            }
        }
        let max_choices = number(&mut errors, "max_choices", &self.max_choices, 1..=5);
        let term_name = errors.take("term_name", one_line(&self.term_name, 40, false));
        match (opens_at, closes_at, answer_by) {
            (Some(opens_at), Some(closes_at), Some(answer_by)) if errors.is_empty() => Ok(RoundValues {
                title,
                opens_at,
                closes_at,
                answer_by,
                max_choices,
                term_name: (!term_name.is_empty()).then_some(term_name),
            }),
            _ => Err(errors),
        }
    }
}

/// A department's position in a round.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PositionForm {
    pub round_id: String,
    pub title: String,
    pub description: String,
    pub places: String,
    /// One of the department's questionnaires, or empty.
    pub survey_id: String,
}

pub struct PositionValues {
    pub round_id: i64,
    pub title: String,
    pub description: String,
    pub places: i32,
    pub survey_id: Option<i64>,
}

impl PositionValues {
    pub fn row(&self) -> NewPosition<'_> {
        NewPosition {
            round_id: self.round_id,
            title: &self.title,
            description: &self.description,
            places: self.places,
            survey_id: self.survey_id,
        }
    }
}

impl PositionForm {
    pub fn parse(&self) -> Result<PositionValues, FormErrors> {
        let mut errors = FormErrors::default();
        let round_id = self.round_id.trim().parse::<i64>().unwrap_or(0);
        let title = errors.take("title", one_line(&self.title, 50, true));
        let description = errors.take("description", multi_line(&self.description, 2000, false));
        let places = number(&mut errors, "places", &self.places, 1..=500);
        let survey_id = match self.survey_id.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    errors.add("survey_id", "form.recruitment.survey");
                    None
                }
            },
        };
        errors.into_result(PositionValues { round_id, title, description, places, survey_id })
    }
}

/// An interview slot.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct SlotForm {
    pub round_id: String,
    pub starts_at: String,
    pub minutes: String,
    pub place: String,
    pub capacity: String,
}

pub struct SlotValues {
    pub round_id: i64,
    pub starts_at: DateTime<Utc>,
    pub minutes: i32,
    pub place: String,
    pub capacity: i32,
}

impl SlotValues {
    pub fn row(&self) -> NewSlot<'_> {
        NewSlot {
            round_id: self.round_id,
            starts_at: self.starts_at,
            minutes: self.minutes,
            place: &self.place,
            capacity: self.capacity,
        }
    }
}

impl SlotForm {
    pub fn parse(&self, now: DateTime<Utc>) -> Result<SlotValues, FormErrors> {
        let mut errors = FormErrors::default();
        let round_id = self.round_id.trim().parse::<i64>().unwrap_or(0);
        let starts_at = time(&mut errors, "starts_at", &self.starts_at);
        if starts_at.is_some_and(|s| s <= now) {
            errors.add("starts_at", "form.recruitment.slot_past");
        }
        let minutes = number(&mut errors, "minutes", &self.minutes, 5..=480);
        let place = errors.take("place", one_line(&self.place, 100, true));
        let capacity = number(&mut errors, "capacity", &self.capacity, 1..=200);
        match starts_at {
            Some(starts_at) if errors.is_empty() => Ok(SlotValues { round_id, starts_at, minutes, place, capacity }),
            _ => Err(errors),
        }
    }
}

/// An interview note with an optional score.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct NoteForm {
    pub score: String,
    pub body: String,
}

impl NoteForm {
    pub fn parse(&self) -> Result<(Option<i32>, String), FormErrors> {
        let mut errors = FormErrors::default();
        let score = match self.score.trim() {
            "" => None,
            raw => Some(number(&mut errors, "score", raw, 1..=10)),
        };
        let body = errors.take("body", multi_line(&self.body, 2000, true));
        errors.into_result((score, body))
    }
}

/// The department's decision and the message the student gets with it.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct DecideForm {
    pub decision: String,
    pub message: String,
}

impl DecideForm {
    pub fn parse(&self) -> Result<(&'static str, String), FormErrors> {
        let mut errors = FormErrors::default();
        let decision = DECISIONS.iter().copied().find(|d| *d == self.decision.trim());
        if decision.is_none() {
            errors.add("decision", "form.recruitment.decision");
        }
        let message = errors.take("message", multi_line(&self.message, 1000, true));
        errors.into_result((decision.unwrap_or("declined"), message))
    }
}

/// The application's own fields (the department's questions come beside them).
pub struct ApplyValues {
    pub preference: i32,
    pub statement: String,
}

/// Parses `preference` and `statement` out of the submitted fields.
pub fn parse_apply(fields: &[(String, String)], max_choices: i32) -> Result<ApplyValues, FormErrors> {
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str());
    let mut errors = FormErrors::default();
    let preference = number(&mut errors, "preference", field("preference"), 1..=max_choices.max(1));
    let statement = errors.take("statement", multi_line(field("statement"), 2000, true));
    errors.into_result(ApplyValues { preference, statement })
}
