//! The builder's forms and the values they become: a questionnaire's settings, and one
//! question (with the rule on what may change once people have answered).

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::model::{audience_needs_ref, Identity, Question, AUDIENCES, KINDS};
use crate::{
    reception::forms::local_time,
    web::{
        forms::{multi_line, one_line},
        FormErrors,
    },
};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct SurveyForm {
    pub title: String,
    pub intro: String,
    /// `datetime-local` values, in Shanghai time.
    pub opens_at: String,
    pub closes_at: String,
    pub audience: String,
    /// Colleges separated by new lines, 、 or commas; empty: every college.
    pub colleges: String,
    /// Entry years; empty: every grade.
    pub grades: String,
    /// The event, reception day or building of a "people of something" audience.
    pub audience_ref: String,
    pub identity: String,
    /// "on" when an open questionnaire takes printed codes.
    pub with_codes: String,
}

pub struct SurveyValues {
    pub title: String,
    pub intro: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub audience: String,
    pub colleges: Vec<String>,
    pub grades: Vec<i32>,
    pub audience_ref: Option<i64>,
    pub identity: Identity,
    pub with_codes: bool,
}

fn items(raw: &str) -> Vec<String> {
    raw.split(['\n', '、', '，', ',']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

fn lines(raw: &str) -> Vec<String> {
    raw.lines().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

impl SurveyForm {
    pub fn parse(&self) -> Result<SurveyValues, FormErrors> {
        let mut errors = FormErrors::default();
        let mut time = |field: &'static str, raw: &str| local_time(raw).map_err(|k| errors.add(field, k)).ok();
        let (opens_at, closes_at) = (time("opens_at", &self.opens_at), time("closes_at", &self.closes_at));
        if let (Some(o), Some(c)) = (opens_at, closes_at) {
            if c <= o {
                errors.add("closes_at", "form.reception.closes_before_opens");
            }
        }
        let title = errors.take("title", one_line(&self.title, 100, true));
        let intro = errors.take("intro", multi_line(&self.intro, 2000, false));
        let identity = Identity::parse(&self.identity);
        if identity.is_none() {
            errors.add("identity", "form.surveys.identity");
        }
        // Open mode is for everyone with the link; named and anonymous need a student audience.
        let audience = match identity {
            Some(Identity::Open) => "everyone".to_string(),
            _ if self.audience == "everyone" => "students".to_string(),
            _ => self.audience.clone(),
        };
        if !AUDIENCES.contains(&audience.as_str()) {
            errors.add("audience", "form.surveys.audience");
        }
        let audience_ref = match (audience_needs_ref(&audience), self.audience_ref.trim().parse::<i64>()) {
            (false, _) => None,
            (true, Ok(id)) if id > 0 => Some(id),
            (true, _) => {
                errors.add("audience_ref", "form.surveys.audience_ref");
                None
            }
        };
        let colleges = items(&self.colleges);
        if colleges.len() > 60 || colleges.iter().any(|c| c.chars().count() > 40 || c.chars().any(char::is_control)) {
            errors.add("colleges", "form.too_long");
        }
        let mut grades = vec![];
        for g in self.grades.split([' ', ',', '，', '、', '\n']).map(str::trim).filter(|g| !g.is_empty()) {
            match g.trim_end_matches('级').parse::<i32>() {
                Ok(y) if (1950..=2100).contains(&y) => grades.push(y),
                _ => errors.add("grades", "form.events.grades"),
            }
        }
        let with_codes = identity == Some(Identity::Open) && self.with_codes == "on";
        match (opens_at, closes_at, identity) {
            (Some(opens_at), Some(closes_at), Some(identity)) if errors.is_empty() => Ok(SurveyValues {
                title,
                intro,
                opens_at,
                closes_at,
                audience,
                colleges,
                grades,
                audience_ref,
                identity,
                with_codes,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct QuestionForm {
    pub section: String,
    pub kind: String,
    pub prompt: String,
    /// "on" when required.
    pub required: String,
    /// One option (or matrix column) per line.
    pub options: String,
    /// One matrix row per line.
    pub matrix_rows: String,
    pub max_choices: String,
    /// 5 or 10.
    pub scale_max: String,
    /// "question_id:option" of an earlier choice question, or empty.
    pub show_if: String,
}

pub struct QuestionValues {
    pub section: String,
    pub kind: String,
    pub prompt: String,
    pub required: bool,
    pub options: Vec<String>,
    pub matrix_rows: Vec<String>,
    pub max_choices: Option<i32>,
    pub scale_max: Option<i32>,
    pub show_if: Option<(i64, i32)>,
}

impl QuestionForm {
    /// The form of an existing question, for its edit form.
    pub fn of(q: &Question) -> QuestionForm {
        QuestionForm {
            section: q.section.clone(),
            kind: q.kind.clone(),
            prompt: q.prompt.clone(),
            required: if q.required { "on".into() } else { String::new() },
            options: q.options.join("\n"),
            matrix_rows: q.matrix_rows.join("\n"),
            max_choices: q.max_choices.map(|m| m.to_string()).unwrap_or_default(),
            scale_max: q.scale_max.map(|m| m.to_string()).unwrap_or_default(),
            show_if: match (q.show_if_question, q.show_if_option) {
                (Some(on), Some(o)) => format!("{on}:{o}"),
                _ => String::new(),
            },
        }
    }

    /// `earlier`: the questions before this one (conditions may only look back at choices).
    pub fn parse(&self, earlier: &[Question]) -> Result<QuestionValues, FormErrors> {
        let mut errors = FormErrors::default();
        let kind = self.kind.trim().to_string();
        if !KINDS.contains(&kind.as_str()) {
            errors.add("kind", "form.surveys.kind");
        }
        let prompt = errors.take("prompt", one_line(&self.prompt, 300, true));
        let section = errors.take("section", one_line(&self.section, 100, false));
        let options = lines(&self.options);
        let matrix_rows = lines(&self.matrix_rows);
        let needs_options = matches!(kind.as_str(), "single" | "multiple" | "ranking" | "matrix");
        if needs_options && !(2..=30).contains(&options.len()) {
            errors.add("options", "form.surveys.options");
        } else if options.iter().chain(&matrix_rows).any(|o| one_line(o, 100, true).is_err()) {
            errors.add("options", "form.too_long");
        }
        if kind == "matrix" && !(1..=30).contains(&matrix_rows.len()) {
            errors.add("matrix_rows", "form.surveys.matrix_rows");
        }
        let max_choices = match (kind.as_str(), self.max_choices.trim()) {
            ("multiple", "") => None,
            ("multiple", raw) => match raw.parse::<i32>() {
                Ok(n) if n >= 1 && (n as usize) <= options.len().max(1) => Some(n),
                _ => {
                    errors.add("max_choices", "form.surveys.max_choices");
                    None
                }
            },
            _ => None,
        };
        let scale_max = match (kind.as_str(), self.scale_max.trim()) {
            ("scale", "10") => Some(10),
            ("scale", _) => Some(5),
            _ => None,
        };
        let show_if = match self.show_if.trim().split_once(':') {
            None => None,
            Some((q, o)) => {
                let parsed = q.parse::<i64>().ok().zip(o.parse::<i32>().ok());
                let valid = parsed.filter(|(q, o)| {
                    earlier.iter().any(|e| e.question_id == *q && e.is_choice() && (*o as usize) < e.options.len())
                });
                if valid.is_none() {
                    errors.add("show_if", "form.surveys.show_if");
                }
                valid
            }
        };
        let keep = |v: Vec<String>, used: bool| if used { v } else { vec![] };
        errors.into_result(QuestionValues {
            section,
            required: self.required == "on",
            options: keep(options, needs_options),
            matrix_rows: keep(matrix_rows, kind == "matrix"),
            kind,
            prompt,
            max_choices,
            scale_max,
            show_if,
        })
    }
}

/// Once people have answered, a question may only have its wording fixed: the same kind,
/// as many options and rows, the same limits and the same requirement. Anything else
/// needs a new version. (A condition is set when the question is added and stays.)
pub fn wording_only(old: &Question, new: &QuestionValues) -> bool {
    old.kind == new.kind
        && old.options.len() == new.options.len()
        && old.matrix_rows.len() == new.matrix_rows.len()
        && old.max_choices == new.max_choices
        && old.scale_max == new.scale_max
        && old.required == new.required
}
