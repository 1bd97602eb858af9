//! The rubric: the current version shown, and an edit saved as the next version (an old
//! version never changes: the rounds that used it keep it). A plain form without
//! JavaScript: one row per item, preset reasons one per line ("2 床铺未整理"), and a few
//! empty rows for new items.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};
use serde_json::json;

use super::{audit_step, base, can_edit};
use crate::{
    app::AppState,
    audit::Action,
    error::AppResult,
    inspections::{
        model::parse_reason,
        queries::{self, rubrics, Item, Rubric},
    },
    web::{context::redirect_with_flash, forms::one_line, render, DeptAccess, FormErrors, Html422, Layout},
};

/// Empty rows under the items, for new ones.
const SPARE_ROWS: usize = 3;
const MAX_ITEMS: usize = 40;

#[derive(Debug, Default, Clone)]
pub struct ItemForm {
    pub name: String,
    pub max_points: String,
    pub veto: bool,
    pub reasons: String,
    pub errors: FormErrors,
}

impl ItemForm {
    fn is_blank(&self) -> bool {
        self.name.trim().is_empty() && self.max_points.trim().is_empty() && self.reasons.trim().is_empty() && !self.veto
    }
}

#[derive(Debug, Default, Clone)]
pub struct RubricForm {
    pub excellent_min: String,
    pub good_min: String,
    pub pass_min: String,
    pub items: Vec<ItemForm>,
    /// About the whole form and the boundaries; each row has its own.
    pub errors: FormErrors,
}

/// An item ready to save.
struct ItemValues {
    name: String,
    max_points: i32,
    veto: bool,
    reasons: Vec<String>,
}

struct RubricValues {
    bounds: (i32, i32, i32),
    items: Vec<ItemValues>,
}

impl RubricForm {
    /// From the form's pairs: `name_3`, `max_3`, `veto_3`, `reasons_3` are the fourth row.
    fn from_pairs(pairs: Vec<(String, String)>) -> RubricForm {
        let mut form = RubricForm::default();
        for (k, v) in pairs {
            let (field, row) = k.rsplit_once('_').map_or((k.as_str(), None), |(f, n)| (f, n.parse::<usize>().ok()));
            match (field, row) {
                ("excellent", None) if k == "excellent_min" => form.excellent_min = v,
                ("good", None) if k == "good_min" => form.good_min = v,
                ("pass", None) if k == "pass_min" => form.pass_min = v,
                (field, Some(i)) if i < MAX_ITEMS + SPARE_ROWS => {
                    if form.items.len() <= i {
                        form.items.resize(i + 1, ItemForm::default());
                    }
                    let item = &mut form.items[i];
                    match field {
                        "name" => item.name = v,
                        "max" => item.max_points = v,
                        "veto" => item.veto = true,
                        "reasons" => item.reasons = v,
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        form
    }

    fn of(rubric: Option<&Rubric>, items: &[Item]) -> RubricForm {
        let mut rows: Vec<ItemForm> = items
            .iter()
            .map(|i| ItemForm {
                name: i.name.clone(),
                max_points: i.max_points.to_string(),
                veto: i.veto,
                reasons: i.reasons.join("\n"),
                errors: FormErrors::default(),
            })
            .collect();
        rows.extend(std::iter::repeat_n(ItemForm::default(), SPARE_ROWS));
        let (e, g, p) = rubric.map_or((90, 80, 60), |r| (r.excellent_min, r.good_min, r.pass_min));
        RubricForm {
            excellent_min: e.to_string(),
            good_min: g.to_string(),
            pass_min: p.to_string(),
            items: rows,
            errors: FormErrors::default(),
        }
    }

    /// Every error at once: the form's beside the boundaries, each row's beside its fields.
    fn parse(&mut self) -> Option<RubricValues> {
        let mut errors = FormErrors::default();
        let mut items = vec![];
        for row in self.items.iter_mut().filter(|r| !r.is_blank()) {
            if let Some(item) = parse_item(row) {
                items.push(item);
            }
        }
        let number = |raw: &str| raw.trim().parse::<i32>().ok().filter(|n| (0..=10_000).contains(n));
        let (e, g, p) = (number(&self.excellent_min), number(&self.good_min), number(&self.pass_min));
        for (field, v) in [("excellent_min", e), ("good_min", g), ("pass_min", p)] {
            if v.is_none() {
                errors.add(field, "form.number.invalid");
            }
        }
        let full: i32 = items.iter().map(|i| i.max_points).sum();
        if let (Some(e), Some(g), Some(p)) = (e, g, p) {
            if !(e > g && g > p) {
                errors.add("good_min", "inspections.setup.rubric.bounds_order");
            } else if e > full {
                errors.add("excellent_min", "inspections.setup.rubric.bounds_over_full");
            }
        }
        if self.items.iter().all(ItemForm::is_blank) {
            errors.add("form", "inspections.setup.rubric.no_items");
        }
        let rows_ok = self.items.iter().all(|r| r.errors.is_empty());
        let bounds = (e.unwrap_or(0), g.unwrap_or(0), p.unwrap_or(0));
        let ok = errors.is_empty() && rows_ok;
        self.errors = errors;
        ok.then_some(RubricValues { bounds, items })
    }
}

fn parse_item(row: &mut ItemForm) -> Option<ItemValues> {
    let errors = &mut row.errors;
    let name = errors.take("name", one_line(&row.name, 40, true));
    let max_points = row.max_points.trim().parse::<i32>().ok().filter(|n| (0..=100).contains(n));
    if max_points.is_none() {
        errors.add("max_points", "inspections.setup.rubric.points");
    }
    let mut reasons = vec![];
    for line in row.reasons.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match parse_reason(line) {
            Some((p, text)) if max_points.is_none_or(|m| p <= m) && text.chars().count() <= 200 => {
                reasons.push(format!("{p} {text}"));
            }
            _ => errors.add("reasons", "inspections.setup.rubric.reason_line"),
        }
    }
    let max_points = max_points?;
    errors.is_empty().then_some(ItemValues { name, max_points, veto: row.veto, reasons })
}

#[derive(Template)]
#[template(path = "inspections/setup/rubric.html")]
struct RubricPage {
    layout: Layout,
    access: DeptAccess,
    rubric: Option<Rubric>,
    items: Vec<Item>,
    full: i32,
    can_edit: bool,
    form: RubricForm,
    errors: FormErrors,
}

impl RubricPage {
    fn rows_ok(&self) -> bool {
        self.form.items.iter().all(|r| r.errors.is_empty())
    }
}

async fn rubric_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    typed: Option<RubricForm>,
) -> AppResult<String> {
    let rubric = queries::current_rubric(&state.db).await?;
    let items = match &rubric {
        Some(r) => queries::rubric_items(&state.db, r.rubric_id).await?,
        None => vec![],
    };
    let full = items.iter().map(|i| i.max_points).sum();
    let can_edit = can_edit(&access);
    let form = typed.unwrap_or_else(|| RubricForm::of(rubric.as_ref(), &items));
    let errors = form.errors.clone();
    render(RubricPage { layout, access, rubric, items, full, can_edit, form, errors })
}

pub async fn show_rubric(State(state): State<AppState>, layout: Layout, access: DeptAccess) -> AppResult<Html<String>> {
    Ok(Html(rubric_page(&state, layout, access, None).await?))
}

pub async fn save_rubric(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut form = RubricForm::from_pairs(pairs);
    let Some(v) = form.parse() else {
        return Ok(Html422(rubric_page(&state, layout, access, Some(form)).await?).into_response());
    };
    let mut tx = state.db.begin().await?;
    rubrics::lock_versions(&mut *tx).await?;
    let (e, g, p) = v.bounds;
    let (rubric_id, version) = rubrics::insert_next_rubric(&mut *tx, e, g, p, access.viewer.user_id).await?;
    for (i, item) in v.items.iter().enumerate() {
        rubrics::insert_item(&mut *tx, rubric_id, i as i32 + 1, &item.name, item.max_points, item.veto, &item.reasons)
            .await?;
    }
    let names: Vec<&str> = v.items.iter().map(|i| i.name.as_str()).collect();
    let after = json!({ "version": version, "items": names, "bounds": [e, g, p] });
    audit_step(&mut *tx, &access, Action::InspectionRubricSave, ("inspection_rubric", rubric_id), None, after).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/rubric", base(&access)), "flash.saved", None))
}
