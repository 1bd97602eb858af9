//! An answer form becomes the answers stored: every question checked by its kind, the
//! conditions evaluated on the server (a hidden question is not required and its answer
//! is dropped), every message at once, beside its question.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{json, Map, Value};

use super::model::{is_shown, Question};
use crate::web::forms::{multi_line, one_line};

const SHORT_TEXT: usize = 200;
const LONG_TEXT: usize = 5000;

/// Question id → catalogue key of the message beside it.
#[derive(Debug, Default, Clone)]
pub struct AnswerErrors(BTreeMap<i64, &'static str>);

impl AnswerErrors {
    pub fn get(&self, question_id: &i64) -> Option<&'static str> {
        self.0.get(question_id).copied()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// The submitted fields, in order (a multiple choice sends its name once per ticked box).
pub type Fields = Vec<(String, String)>;

/// A questionnaire's questions as inputs (`templates/surveys/_questions.html`), with what
/// was typed and the messages beside them: the answer page's, and an application's
/// questions of its department.
#[derive(Default)]
pub struct AnswerInputs {
    pub questions: Vec<Question>,
    pub fields: Fields,
    pub errors: AnswerErrors,
}

impl AnswerInputs {
    pub fn typed(&self, name: &str) -> &str {
        self.fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }
    pub fn checked(&self, name: &str, value: &i64) -> bool {
        let value = value.to_string();
        self.fields.iter().any(|(k, v)| k == name && *v == value)
    }
    pub fn picked(&self, name: &str, value: &usize) -> bool {
        self.checked(name, &(*value as i64))
    }
    /// A section title starts here (it differs from the question before).
    pub fn section_at(&self, i: &usize) -> Option<&str> {
        let q = &self.questions[*i];
        let before = i.checked_sub(1).map(|b| self.questions[b].section.as_str());
        (!q.section.is_empty() && before != Some(q.section.as_str())).then_some(q.section.as_str())
    }
    /// The question and option a conditional question depends on.
    pub fn condition(&self, q: &Question) -> Option<(String, String)> {
        let on = self.questions.iter().find(|e| Some(e.question_id) == q.show_if_question)?;
        let option = on.options.get(q.show_if_option? as usize)?;
        Some((on.prompt.clone(), option.clone()))
    }
}

fn values<'a>(fields: &'a Fields, name: &str) -> Vec<&'a str> {
    fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty()).collect()
}

fn index(raw: &str, len: usize) -> Result<usize, &'static str> {
    match raw.parse::<usize>() {
        Ok(i) if i < len => Ok(i),
        _ => Err("surveys.answer.invalid_choice"),
    }
}

/// One question's answer: `Ok(None)` when left empty (fine unless required).
fn answer(q: &Question, fields: &Fields) -> Result<Option<Value>, &'static str> {
    let raw = values(fields, &q.field());
    let first = raw.first().copied();
    match q.kind.as_str() {
        "single" => first.map(|r| index(r, q.options.len()).map(|i| json!(i))).transpose(),
        "multiple" => {
            let mut picked = raw.iter().map(|r| index(r, q.options.len())).collect::<Result<Vec<_>, _>>()?;
            picked.sort_unstable();
            picked.dedup();
            if picked.len() > q.max_choices.map_or(usize::MAX, |m| m.max(1) as usize) {
                return Err("surveys.answer.too_many");
            }
            Ok((!picked.is_empty()).then(|| json!(picked)))
        }
        "short_text" | "long_text" => {
            let typed = fields.iter().find(|(k, _)| *k == q.field()).map_or("", |(_, v)| v.as_str());
            // Control characters are refused (a NUL cannot even be stored in jsonb).
            let text = if q.kind == "short_text" {
                one_line(typed, SHORT_TEXT, false)
            } else {
                multi_line(typed, LONG_TEXT, false)
            }?;
            Ok((!text.is_empty()).then(|| json!(text)))
        }
        "scale" => first
            .map(|r| match r.parse::<i64>() {
                Ok(n) if (1..=i64::from(q.scale_max.unwrap_or(5))).contains(&n) => Ok(json!(n)),
                _ => Err("surveys.answer.invalid_choice"),
            })
            .transpose(),
        "number" => first
            .map(|r| match r.parse::<f64>() {
                Ok(n) if n.is_finite() && n.abs() < 1e12 => Ok(json!(n)),
                _ => Err("surveys.answer.not_a_number"),
            })
            .transpose(),
        "date" => first
            .map(|r| {
                NaiveDate::parse_from_str(r, "%Y-%m-%d")
                    .map(|d| json!(d.to_string()))
                    .map_err(|_| "surveys.answer.not_a_date")
            })
            .transpose(),
        "ranking" => ranking(q, fields),
        "matrix" => matrix(q, fields),
        _ => Err("surveys.answer.invalid_choice"),
    }
}

/// Each option's rank (1 = first): all empty, or every rank used once. Stored as the
/// options in rank order.
fn ranking(q: &Question, fields: &Fields) -> Result<Option<Value>, &'static str> {
    let n = q.options.len();
    let ranks: Vec<Option<&str>> = (0..n).map(|i| values(fields, &q.sub_field(&i)).first().copied()).collect();
    if ranks.iter().all(Option::is_none) {
        return Ok(None);
    }
    let mut order = vec![usize::MAX; n];
    for (option, rank) in ranks.iter().enumerate() {
        let rank = rank.and_then(|r| r.parse::<usize>().ok()).filter(|r| (1..=n).contains(r));
        match rank {
            Some(r) if order[r - 1] == usize::MAX => order[r - 1] = option,
            _ => return Err("surveys.answer.ranking"),
        }
    }
    Ok(Some(json!(order)))
}

/// One column per row: all rows or none.
fn matrix(q: &Question, fields: &Fields) -> Result<Option<Value>, &'static str> {
    let picks: Vec<Option<&str>> =
        (0..q.matrix_rows.len()).map(|r| values(fields, &q.sub_field(&r)).first().copied()).collect();
    if picks.iter().all(Option::is_none) {
        return Ok(None);
    }
    let row = |p: &Option<&str>| p.ok_or("surveys.answer.matrix_incomplete").and_then(|r| index(r, q.options.len()));
    Ok(Some(json!(picks.iter().map(row).collect::<Result<Vec<_>, _>>()?)))
}

/// The answers to store, keyed by question id, or every question's message.
pub fn parse(questions: &[Question], fields: &Fields) -> Result<Map<String, Value>, AnswerErrors> {
    let mut answers = Map::new();
    let mut errors = AnswerErrors::default();
    for q in questions {
        if !is_shown(q, &answers) {
            continue;
        }
        match answer(q, fields) {
            Ok(Some(v)) => {
                answers.insert(q.key(), v);
            }
            Ok(None) if q.required => {
                errors.0.insert(q.question_id, "surveys.answer.required");
            }
            Ok(None) => {}
            Err(key) => {
                errors.0.insert(q.question_id, key);
            }
        }
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
#[path = "answers_tests.rs"]
mod tests;
