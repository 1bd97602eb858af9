//! The forms of lending as typed, and their parsing: every field error at once, the
//! typed text kept for the page that shows them.

use serde::Deserialize;

use super::queries::{setup::KindRules, NewStation};
use crate::web::{
    forms::{lookup_key, one_line},
    FormErrors,
};

/// An item's tag code as typed or scanned: letters, digits and dashes.
pub fn item_code(raw: &str) -> Result<String, &'static str> {
    let code = raw.trim().to_uppercase();
    if code.is_empty() {
        return Err("form.required");
    }
    if code.len() > 32 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err("form.lending.code");
    }
    Ok(code)
}

fn number(errors: &mut FormErrors, field: &'static str, raw: &str, range: std::ops::RangeInclusive<i64>) -> i64 {
    match raw.trim().parse::<i64>() {
        Ok(n) if range.contains(&n) => n,
        _ => {
            errors.add(field, "form.lending.number");
            0
        }
    }
}

/// The staffed desk's loan: the item's code and the student's 学号.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct LendForm {
    #[serde(default)]
    pub lend_code: String,
    #[serde(default)]
    pub lend_student_no: String,
}

impl LendForm {
    pub fn parse(&self) -> Result<(String, String), FormErrors> {
        let mut errors = FormErrors::default();
        let code = errors.take("lend_code", item_code(&self.lend_code));
        let student_no = errors.take("lend_student_no", one_line(lookup_key(&self.lend_student_no), 20, true));
        errors.into_result((code, student_no))
    }
}

/// A return at a station, at the desk (`return_code`) or on the student's phone.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ReturnForm {
    #[serde(default)]
    pub return_code: String,
    #[serde(default)]
    pub return_station: String,
}

impl ReturnForm {
    pub fn parse(&self) -> Result<(String, i64), FormErrors> {
        let mut errors = FormErrors::default();
        let code = errors.take("return_code", item_code(&self.return_code));
        let station = number(&mut errors, "return_station", &self.return_station, 1..=i64::MAX);
        errors.into_result((code, station))
    }
}

/// A stock move between two of the department's stations.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    pub move_from: String,
    #[serde(default)]
    pub move_to: String,
    #[serde(default)]
    pub move_count: String,
}

impl MoveForm {
    pub fn parse(&self) -> Result<(i64, i64, i32), FormErrors> {
        let mut errors = FormErrors::default();
        let from = number(&mut errors, "move_from", &self.move_from, 1..=i64::MAX);
        let to = number(&mut errors, "move_to", &self.move_to, 1..=i64::MAX);
        let count = number(&mut errors, "move_count", &self.move_count, 1..=1000);
        if from == to && from > 0 {
            errors.add("move_to", "form.lending.same_station");
        }
        errors.into_result((from, to, count as i32))
    }
}

/// A new station, or one's details edited (only the edit page shows `closed`).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct StationForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub district: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub opening_hours: String,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub min_stock: String,
    #[serde(default)]
    pub on_duty: String,
    /// The checkbox: "on" when ticked, absent otherwise.
    #[serde(default)]
    pub closed: String,
}

pub struct StationValues {
    pub name: String,
    pub district: String,
    pub place: String,
    pub opening_hours: String,
    pub capacity: i32,
    pub min_stock: i32,
    pub on_duty: String,
    pub closed: bool,
}

impl StationValues {
    /// The values as the statements take them.
    pub fn station(&self) -> NewStation<'_> {
        NewStation {
            name: &self.name,
            district: &self.district,
            place: &self.place,
            opening_hours: &self.opening_hours,
            capacity: self.capacity,
            min_stock: self.min_stock,
            on_duty: &self.on_duty,
        }
    }
}

impl StationForm {
    pub fn parse(&self) -> Result<StationValues, FormErrors> {
        let mut errors = FormErrors::default();
        let name = errors.take("name", one_line(&self.name, 40, true));
        let district = errors.take("district", one_line(&self.district, 20, true));
        let place = errors.take("place", one_line(&self.place, 100, true));
        let opening_hours = errors.take("opening_hours", one_line(&self.opening_hours, 100, false));
        let on_duty = errors.take("on_duty", one_line(&self.on_duty, 200, false));
        let capacity = number(&mut errors, "capacity", &self.capacity, 1..=10_000) as i32;
        let min_stock = number(&mut errors, "min_stock", &self.min_stock, 0..=10_000) as i32;
        if min_stock > capacity && capacity > 0 {
            errors.add("min_stock", "form.lending.min_over_capacity");
        }
        let closed = !self.closed.is_empty();
        errors.into_result(StationValues { name, district, place, opening_hours, capacity, min_stock, on_duty, closed })
    }
}

/// New tagged items at a station.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ItemsForm {
    #[serde(default)]
    pub items_station: String,
    #[serde(default)]
    pub items_kind: String,
    #[serde(default)]
    pub items_prefix: String,
    #[serde(default)]
    pub items_count: String,
}

/// The kinds the portal knows (rows of `lending_kind`).
pub const KINDS: [&str; 2] = ["umbrella", "power_bank"];

impl ItemsForm {
    pub fn parse(&self) -> Result<(i64, String, String, i32), FormErrors> {
        let mut errors = FormErrors::default();
        let station = number(&mut errors, "items_station", &self.items_station, 1..=i64::MAX);
        if !KINDS.contains(&self.items_kind.as_str()) {
            errors.add("items_kind", "form.lending.kind");
        }
        let prefix = self.items_prefix.trim().to_uppercase();
        if prefix.is_empty() || prefix.len() > 8 || !prefix.chars().all(|c| c.is_ascii_uppercase() || c == '-') {
            errors.add("items_prefix", "form.lending.prefix");
        }
        let count = number(&mut errors, "items_count", &self.items_count, 1..=500) as i32;
        errors.into_result((station, self.items_kind.clone(), prefix, count))
    }
}

/// An item put in repair, retired or back on the shelf, by its code.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ItemStateForm {
    #[serde(default)]
    pub state_code: String,
    #[serde(default)]
    pub state_to: String,
}

/// The states the desk sets by hand (on loan and lost follow from loans).
pub const SETTABLE_STATES: [&str; 3] = ["available", "repair", "retired"];

impl ItemStateForm {
    pub fn parse(&self) -> Result<(String, &'static str), FormErrors> {
        let mut errors = FormErrors::default();
        let code = errors.take("state_code", item_code(&self.state_code));
        let state = SETTABLE_STATES.iter().find(|s| **s == self.state_to).copied();
        if state.is_none() {
            errors.add("state_to", "form.lending.state");
        }
        errors.into_result((code, state.unwrap_or_default()))
    }
}

/// A kind's rules, within the ranges the table's checks allow.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct KindForm {
    #[serde(default)]
    pub loan_hours: String,
    #[serde(default)]
    pub open_loan_limit: String,
    #[serde(default)]
    pub remind_before_hours: String,
    #[serde(default)]
    pub lost_after_days: String,
}

impl KindForm {
    pub fn from_rules(k: &KindRules) -> KindForm {
        KindForm {
            loan_hours: k.loan_hours.to_string(),
            open_loan_limit: k.open_loan_limit.to_string(),
            remind_before_hours: k.remind_before_hours.to_string(),
            lost_after_days: k.lost_after_days.to_string(),
        }
    }

    /// The rules for `kind`, its names kept.
    pub fn parse(&self, kind: &KindRules) -> Result<KindRules, FormErrors> {
        let mut errors = FormErrors::default();
        let loan_hours = number(&mut errors, "loan_hours", &self.loan_hours, 1..=2160) as i32;
        let open_loan_limit = number(&mut errors, "open_loan_limit", &self.open_loan_limit, 1..=20) as i32;
        let remind_before_hours = number(&mut errors, "remind_before_hours", &self.remind_before_hours, 0..=720) as i32;
        let lost_after_days = number(&mut errors, "lost_after_days", &self.lost_after_days, 1..=365) as i32;
        if remind_before_hours >= loan_hours && loan_hours > 0 {
            errors.add("remind_before_hours", "form.lending.remind_within_loan");
        }
        errors.into_result(KindRules {
            loan_hours,
            open_loan_limit,
            remind_before_hours,
            lost_after_days,
            ..kind.clone()
        })
    }
}
