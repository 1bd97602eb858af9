//! Reception forms and the values they become.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;
use serde::Deserialize;

use crate::{
    reception::commitments::{CommitmentInput, CommitmentValues, MINUTE_FIELDS},
    web::{
        forms::{multi_line, one_line},
        FormErrors,
    },
};

/// A session's details as the organisers edit them (new or existing).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct SessionForm {
    pub kind: String,
    /// `datetime-local` values, in Shanghai time.
    pub starts_at: String,
    pub ends_at: String,
    /// A checkbox: the time is fixed (otherwise 待定).
    pub time_confirmed: Option<String>,
    pub place: String,
    pub topic: String,
    /// One leader per line: name, then title.
    pub leaders: String,
    /// One college per line: name, then seats for its delegates.
    pub quotas: String,
    pub open_seats: String,
    pub signup_opens_at: String,
    pub signup_closes_at: String,
}

pub struct SessionValues {
    pub kind: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_confirmed: bool,
    pub place: String,
    pub topic: String,
    pub leaders: Vec<(String, String)>,
    pub quotas: Vec<(String, i32)>,
    pub open_seats: i32,
    pub signup_opens_at: DateTime<Utc>,
    pub signup_closes_at: DateTime<Utc>,
}

/// `YYYY-MM-DDTHH:MM` in Shanghai.
pub fn local_time(raw: &str) -> Result<DateTime<Utc>, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("form.required");
    }
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| "form.datetime.invalid")?;
    use chrono::Datelike;
    if !(2000..=2100).contains(&naive.year()) {
        return Err("form.datetime.invalid");
    }
    Shanghai.from_local_datetime(&naive).single().map(|t| t.with_timezone(&Utc)).ok_or("form.datetime.invalid")
}

/// The value a `datetime-local` field shows for a moment.
pub fn local_input(at: &DateTime<Utc>) -> String {
    at.with_timezone(&Shanghai).format("%Y-%m-%dT%H:%M").to_string()
}

/// Lines of "name rest": each split at its first space (ASCII or full-width).
pub(crate) fn pairs(raw: &str) -> Vec<(String, String)> {
    raw.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once([' ', '\t', '　']) {
            Some((a, b)) => (a.trim().to_string(), b.trim().to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect()
}

impl SessionForm {
    pub fn parse(&self) -> Result<SessionValues, FormErrors> {
        let mut errors = FormErrors::default();
        if !matches!(self.kind.as_str(), "leaders" | "academic") {
            errors.add("kind", "form.reception.kind");
        }
        let time = |field: &'static str, raw: &str, errors: &mut FormErrors| match local_time(raw) {
            Ok(t) => Some(t),
            Err(key) => {
                errors.add(field, key);
                None
            }
        };
        let starts_at = time("starts_at", &self.starts_at, &mut errors);
        let ends_at = time("ends_at", &self.ends_at, &mut errors);
        let opens = time("signup_opens_at", &self.signup_opens_at, &mut errors);
        let closes = time("signup_closes_at", &self.signup_closes_at, &mut errors);
        if let (Some(s), Some(e)) = (starts_at, ends_at) {
            if e <= s {
                errors.add("ends_at", "form.reception.ends_before_start");
            }
        }
        if let (Some(o), Some(c)) = (opens, closes) {
            if c <= o {
                errors.add("signup_closes_at", "form.reception.closes_before_opens");
            }
        }
        let place = errors.take("place", one_line(&self.place, 100, true));
        let topic = errors.take("topic", multi_line(&self.topic, 1000, true));
        let leaders = pairs(&self.leaders);
        let controls = |t: &str| t.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t');
        if controls(&self.leaders) {
            errors.add("leaders", "form.invalid_characters");
        }
        if controls(&self.quotas) {
            errors.add("quotas", "form.invalid_characters");
        }
        if leaders.is_empty() {
            errors.add("leaders", "form.required");
        } else if leaders.len() > 20 || leaders.iter().any(|(n, t)| n.chars().count() > 30 || t.chars().count() > 60) {
            errors.add("leaders", "form.too_long");
        }
        let mut quotas = vec![];
        for (college, seats) in pairs(&self.quotas) {
            match seats.parse::<i32>() {
                Ok(n) if (1..=1000).contains(&n) && college.chars().count() <= 40 => quotas.push((college, n)),
                _ => errors.add("quotas", "form.reception.quota_line"),
            }
        }
        quotas.sort();
        if quotas.windows(2).any(|w| w[0].0 == w[1].0) {
            errors.add("quotas", "form.reception.quota_twice");
        }
        let open_seats = match self.open_seats.trim().parse::<i32>() {
            Ok(n) if (0..=10_000).contains(&n) => n,
            _ => {
                errors.add("open_seats", "form.number.invalid");
                0
            }
        };
        let (Some(starts_at), Some(ends_at), Some(signup_opens_at), Some(signup_closes_at)) =
            (starts_at, ends_at, opens, closes)
        else {
            return Err(errors);
        };
        errors.into_result(SessionValues {
            kind: self.kind.clone(),
            starts_at,
            ends_at,
            time_confirmed: self.time_confirmed.is_some(),
            place,
            topic,
            leaders,
            quotas,
            open_seats,
            signup_opens_at,
            signup_closes_at,
        })
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct QuestionForm {
    pub body: String,
    /// The tracking number of one of the asker's own complaints, or empty.
    pub complaint: String,
    pub anonymous: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct DelegateForm {
    pub college: String,
    pub student_no: String,
    pub name: String,
}

/// One question raised at the session, its answer, and any commitment.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct MinuteForm {
    /// A submitted question, or empty for one raised on the day.
    pub question_id: String,
    pub asked_by: String,
    pub question: String,
    pub answered_by: String,
    pub answer: String,
    pub commitment: String,
    /// A school office, or `dept` (the organising department promises it).
    pub office_id: String,
    pub owner_id: String,
    pub due_on: String,
}

pub struct MinuteValues {
    pub question_id: Option<i64>,
    pub asked_by: String,
    pub question: String,
    pub answered_by: String,
    pub answer: String,
    pub commitment: Option<CommitmentValues>,
}

impl MinuteForm {
    /// The commitment part, as typed.
    pub fn commitment_input(&self) -> CommitmentInput {
        CommitmentInput {
            commitment: self.commitment.clone(),
            office_id: self.office_id.clone(),
            owner_id: self.owner_id.clone(),
            due_on: self.due_on.clone(),
        }
    }

    pub fn parse(&self, offices: &[i64]) -> Result<MinuteValues, FormErrors> {
        let mut errors = FormErrors::default();
        let question_id = self.question_id.trim().parse().ok();
        let asked_by = errors.take("asked_by", one_line(&self.asked_by, 50, false));
        let question = errors.take("question", multi_line(&self.question, 2000, question_id.is_none()));
        let answered_by = errors.take("answered_by", one_line(&self.answered_by, 60, true));
        let answer = errors.take("answer", multi_line(&self.answer, 5000, true));
        let commitment = self.commitment_input().parse(&MINUTE_FIELDS, offices, false, &mut errors);
        errors.into_result(MinuteValues { question_id, asked_by, question, answered_by, answer, commitment })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_reads_its_leaders_and_college_seats_line_by_line() {
        let form = SessionForm {
            kind: "leaders".into(),
            starts_at: "2026-12-03T14:00".into(),
            ends_at: "2026-12-03T16:00".into(),
            place: "行政楼一楼会议室".into(),
            topic: "食堂与宿舍".into(),
            leaders: "王校长 副校长\n李处长　后勤处处长\n".into(),
            quotas: "法学院 3\n计算机学院 2".into(),
            open_seats: "20".into(),
            signup_opens_at: "2026-11-24T08:00".into(),
            signup_closes_at: "2026-12-02T20:00".into(),
            ..SessionForm::default()
        };
        let v = form.parse().expect("valid");
        assert_eq!(v.leaders[1], ("李处长".to_string(), "后勤处处长".to_string()));
        assert_eq!(v.quotas, [("法学院".to_string(), 3), ("计算机学院".to_string(), 2)]);
        assert_eq!(local_input(&v.starts_at), "2026-12-03T14:00", "Shanghai time both ways");
        assert!(!v.time_confirmed, "待定 unless ticked");
    }

    #[test]
    fn impossible_times_and_seats_are_field_errors() {
        let form = SessionForm {
            kind: "leaders".into(),
            starts_at: "2026-12-03T14:00".into(),
            ends_at: "2026-12-03T13:00".into(),
            quotas: "法学院 many".into(),
            open_seats: "-1".into(),
            signup_opens_at: "tomorrow".into(),
            ..SessionForm::default()
        };
        let errors = form.parse().err().expect("invalid");
        for (field, key) in [
            ("ends_at", "form.reception.ends_before_start"),
            ("signup_opens_at", "form.datetime.invalid"),
            ("quotas", "form.reception.quota_line"),
            ("open_seats", "form.number.invalid"),
            ("leaders", "form.required"),
        ] {
            assert_eq!(errors.get(field), Some(key), "{field}");
        }
    }
}
