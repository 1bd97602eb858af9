//! A questionnaire's words as stored: its identity mode, its audience, the kinds of
//! question, and when a conditional question is shown. Plain functions, no I/O.

use serde_json::{Map, Value};

/// How respondents are known, chosen at creation and shown before anyone answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Identity {
    /// The department sees who answered what.
    Named,
    /// Once per student: who answered and what was answered are stored apart.
    AnonymousOnce,
    /// Anyone with the link, or one answer per printed code.
    Open,
}

impl Identity {
    pub fn parse(raw: &str) -> Option<Identity> {
        match raw {
            "named" => Some(Identity::Named),
            "anonymous_once" => Some(Identity::AnonymousOnce),
            "open" => Some(Identity::Open),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Identity::Named => "named",
            Identity::AnonymousOnce => "anonymous_once",
            Identity::Open => "open",
        }
    }
    /// Needs a signed-in, verified account and takes one answer per student.
    pub fn once_per_student(self) -> bool {
        self != Identity::Open
    }
}

pub const KINDS: [&str; 9] =
    ["single", "multiple", "short_text", "long_text", "scale", "number", "date", "ranking", "matrix"];

/// Who may answer (besides the identity mode's own rule).
pub const AUDIENCES: [&str; 5] =
    ["everyone", "students", "event_attendees", "reception_participants", "building_residents"];

/// Whether an audience names something of the portal (`audience_ref`).
pub fn audience_needs_ref(audience: &str) -> bool {
    matches!(audience, "event_attendees" | "reception_participants" | "building_residents")
}

/// One question as stored.
#[derive(Debug, Clone, Default)]
pub struct Question {
    pub question_id: i64,
    pub position: i32,
    pub section: String,
    pub kind: String,
    pub prompt: String,
    pub required: bool,
    pub options: Vec<String>,
    pub matrix_rows: Vec<String>,
    pub max_choices: Option<i32>,
    pub scale_max: Option<i32>,
    pub show_if_question: Option<i64>,
    pub show_if_option: Option<i32>,
}

impl Question {
    /// The form field (and answer key) of this question.
    pub fn field(&self) -> String {
        format!("q{}", self.question_id)
    }
    /// The field of one option (ranking) or one row (matrix).
    pub fn sub_field(&self, i: &usize) -> String {
        format!("q{}_{i}", self.question_id)
    }
    pub fn key(&self) -> String {
        self.question_id.to_string()
    }
    /// 1..=scale_max, for the scale's radio buttons.
    pub fn scale_points(&self) -> Vec<i64> {
        (1..=i64::from(self.scale_max.unwrap_or(5))).collect()
    }
    /// Rank numbers 1..=n for a ranking's selects.
    pub fn ranks(&self) -> Vec<usize> {
        (1..=self.options.len()).collect()
    }
    pub fn is_choice(&self) -> bool {
        matches!(self.kind.as_str(), "single" | "multiple")
    }
    pub fn is_free_text(&self) -> bool {
        matches!(self.kind.as_str(), "short_text" | "long_text")
    }
    pub fn kind_key(&self) -> &'static str {
        match self.kind.as_str() {
            "single" => "surveys.kind.single",
            "multiple" => "surveys.kind.multiple",
            "short_text" => "surveys.kind.short_text",
            "long_text" => "surveys.kind.long_text",
            "scale" => "surveys.kind.scale",
            "number" => "surveys.kind.number",
            "date" => "surveys.kind.date",
            "ranking" => "surveys.kind.ranking",
            _ => "surveys.kind.matrix",
        }
    }
}

/// Whether a question is shown, given the answers to the questions before it: shown when
/// it has no condition, or its condition's question was answered with the option (a
/// single choice equal to it, or a multiple choice including it). A hidden question is
/// not required and any answer to it is dropped.
pub fn is_shown(q: &Question, answers: &Map<String, Value>) -> bool {
    let (Some(on), Some(option)) = (q.show_if_question, q.show_if_option) else {
        return true;
    };
    let option = i64::from(option);
    match answers.get(&on.to_string()) {
        Some(Value::Number(n)) => n.as_i64() == Some(option),
        Some(Value::Array(items)) => items.iter().any(|v| v.as_i64() == Some(option)),
        _ => false,
    }
}

/// The entry year (年级) a student number begins with, as events read it.
pub use crate::events::model::grade_of;
