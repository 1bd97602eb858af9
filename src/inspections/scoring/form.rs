//! A room's score sheet as typed, and what it becomes: an outcome, deductions checked against
//! the round's rubric version, and the score and grade they make. No database and no HTTP here.

use crate::{
    inspections::{
        model::{self, Boundaries, Grade, Outcome},
        queries::{results::SavedDeduction, Item},
    },
    web::{
        forms::{multi_line, one_line, FORM},
        FormErrors,
    },
};

/// What was typed under one rubric item: the preset reasons ticked (by their place in the
/// item's list) and one deduction of the inspector's own.
#[derive(Debug, Clone, Default)]
pub struct ItemInput {
    pub item_id: i64,
    pub presets: Vec<usize>,
    pub custom_points: String,
    pub custom_reason: String,
}

/// The whole sheet as typed, one `ItemInput` per item of the round's rubric, in its order.
#[derive(Debug, Clone, Default)]
pub struct ScoreForm {
    pub outcome: String,
    pub note: String,
    pub revision: String,
    pub items: Vec<ItemInput>,
    /// A field named an item that is not in the round's rubric.
    pub unknown_item: bool,
}

/// One deduction to save.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub item_id: i64,
    pub points: i32,
    pub reason: String,
}

/// A sheet that parsed: what a save writes.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub outcome: Outcome,
    pub note: String,
    /// The revision the form was loaded with (0: none was saved).
    pub revision: i32,
    pub findings: Vec<Finding>,
    pub score: Option<i32>,
    pub grade: Option<Grade>,
    pub vetoed: bool,
}

/// The sheet's errors: the form's own and one per item line (its custom deduction or photo).
#[derive(Debug, Clone, Default)]
pub struct SheetErrors {
    pub form: FormErrors,
    pub items: Vec<(i64, &'static str)>,
}

impl SheetErrors {
    pub fn is_empty(&self) -> bool {
        self.form.is_empty() && self.items.is_empty()
    }
    pub fn item(&self, item_id: i64) -> Option<&'static str> {
        self.items.iter().find(|(id, _)| *id == item_id).map(|(_, key)| *key)
    }
    pub fn merge(&mut self, other: SheetErrors) {
        self.form.merge(other.form);
        for (id, key) in other.items {
            self.add_item(id, key);
        }
    }
    pub fn add_item(&mut self, item_id: i64, key: &'static str) {
        if self.item(item_id).is_none() {
            self.items.push((item_id, key));
        }
    }
}

/// The item id a field such as `points_12` names, for the fields of this sheet.
fn item_of<'a>(name: &'a str, prefix: &str) -> Option<&'a str> {
    name.strip_prefix(prefix)
}

impl ScoreForm {
    /// The multipart form's text fields, laid out over the round's rubric.
    pub fn read(fields: Vec<(String, String)>, items: &[Item]) -> ScoreForm {
        let mut form = ScoreForm {
            items: items.iter().map(|i| ItemInput { item_id: i.item_id, ..ItemInput::default() }).collect(),
            ..ScoreForm::default()
        };
        for (name, value) in fields {
            match name.as_str() {
                "outcome" => form.outcome = value,
                "note" => form.note = value,
                "revision" => form.revision = value,
                _ => form.item_field(&name, value),
            }
        }
        form
    }

    fn item_field(&mut self, name: &str, value: String) {
        let (id, kind) = if let Some(id) = item_of(name, "preset_") {
            (id, 0)
        } else if let Some(id) = item_of(name, "points_") {
            (id, 1)
        } else if let Some(id) = item_of(name, "reason_") {
            (id, 2)
        } else {
            return;
        };
        let Some(input) = id.parse::<i64>().ok().and_then(|id| self.items.iter_mut().find(|i| i.item_id == id)) else {
            self.unknown_item = true;
            return;
        };
        match kind {
            0 => match value.parse::<usize>() {
                Ok(index) => input.presets.push(index),
                Err(_) => self.unknown_item = true,
            },
            1 => input.custom_points = value,
            _ => input.custom_reason = value,
        }
    }

    /// The sheet a saved result makes again: saved deductions that are a preset reason tick
    /// it; the first other one fills the item's own deduction.
    pub fn from_saved(outcome: &str, note: &str, revision: i32, saved: &[SavedDeduction], items: &[Item]) -> ScoreForm {
        let items = items
            .iter()
            .map(|item| {
                let mut input = ItemInput { item_id: item.item_id, ..ItemInput::default() };
                for d in saved.iter().filter(|d| d.item_id == item.item_id) {
                    let preset =
                        item.reasons.iter().position(|r| model::parse_reason(r) == Some((d.points, &d.reason)));
                    match preset {
                        Some(index) if !input.presets.contains(&index) => input.presets.push(index),
                        _ if input.custom_reason.is_empty() => {
                            input.custom_points = d.points.to_string();
                            input.custom_reason = d.reason.clone();
                        }
                        _ => {}
                    }
                }
                input
            })
            .collect();
        ScoreForm {
            outcome: outcome.into(),
            note: note.into(),
            revision: revision.to_string(),
            items,
            unknown_item: false,
        }
    }

    /// Check the sheet against the round's rubric and score it; every error at once.
    pub fn parse(&self, items: &[Item], boundaries: Boundaries) -> Result<Sheet, SheetErrors> {
        let mut errors = SheetErrors::default();
        let outcome = Outcome::from_key(&self.outcome);
        if outcome.is_none() {
            errors.form.add("outcome", "inspections.scoring.error.outcome");
        }
        let note = errors.form.take("note", multi_line(&self.note, 500, false));
        let revision = self.revision.trim().parse::<i32>().ok().filter(|r| *r >= 0);
        if self.unknown_item || revision.is_none() {
            errors.form.add(FORM, "inspections.scoring.error.unknown_item");
        }
        let mut findings = vec![];
        for (input, item) in self.items.iter().zip(items) {
            for index in &input.presets {
                match item.reasons.get(*index).and_then(|r| model::parse_reason(r)) {
                    Some((points, reason)) => {
                        findings.push(Finding { item_id: item.item_id, points, reason: reason.into() })
                    }
                    None => errors.form.add(FORM, "inspections.scoring.error.unknown_item"),
                }
            }
            match custom(input, item) {
                Ok(Some(f)) => findings.push(f),
                Ok(None) => {}
                Err(key) => errors.add_item(item.item_id, key),
            }
        }
        let (Some(outcome), Some(revision), true) = (outcome, revision, errors.is_empty()) else {
            return Err(errors);
        };
        // Only a room that was inspected has findings: 拒查 and nobody-in keep none.
        if outcome != Outcome::Scored {
            findings.clear();
        }
        let (score, grade, vetoed) = score(outcome, items, &findings, boundaries).ok_or_else(|| {
            let mut e = SheetErrors::default();
            e.form.add(FORM, "inspections.scoring.error.unknown_item");
            e
        })?;
        Ok(Sheet { outcome, note, revision, findings, score, grade, vetoed })
    }
}

/// The item's own deduction: points within the item's maximum and a reason, or neither.
fn custom(input: &ItemInput, item: &Item) -> Result<Option<Finding>, &'static str> {
    let (points, reason) = (input.custom_points.trim(), one_line(&input.custom_reason, 200, false)?);
    match (points.is_empty(), reason.is_empty()) {
        (true, true) => Ok(None),
        (true, false) => Err("inspections.scoring.error.points_missing"),
        (false, true) => Err("inspections.scoring.error.reason_missing"),
        (false, false) => {
            let points = points
                .parse::<i32>()
                .ok()
                .filter(|p| (0..=item.max_points).contains(p))
                .ok_or("inspections.scoring.error.points_range")?;
            Ok(Some(Finding { item_id: item.item_id, points, reason }))
        }
    }
}

/// Score, grade and veto of an outcome: a scored room by `model::tally` and the rubric's
/// boundaries; 拒查 fails without a score; nobody in has neither. `None`: a finding names an
/// item outside the rubric.
pub fn score(
    outcome: Outcome,
    items: &[Item],
    findings: &[Finding],
    boundaries: Boundaries,
) -> Option<(Option<i32>, Option<Grade>, bool)> {
    match outcome {
        Outcome::Refused => Some((None, Some(Grade::Fail), false)),
        Outcome::Absent => Some((None, None, false)),
        Outcome::Scored => {
            let rules: Vec<model::ItemRule> = items
                .iter()
                .map(|i| model::ItemRule { item_id: i.item_id, max_points: i.max_points, veto: i.veto })
                .collect();
            let taken: Vec<model::Deduction> =
                findings.iter().map(|f| model::Deduction { item_id: f.item_id, points: f.points }).collect();
            let (score, vetoed) = model::tally(&rules, &taken)?;
            Some((Some(score), Some(boundaries.grade(score, vetoed)), vetoed))
        }
    }
}

#[cfg(test)]
#[path = "form_tests.rs"]
mod tests;
