//! Deciding appeals: the list (waiting first), and a decision with its reason. A changed
//! score replaces the result's (the first score is kept), graded again with the round's
//! own rubric (a veto still fails the room); rankings read results, so they follow.
//! The room's residents are told either way.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};
use serde::Deserialize;
use serde_json::json;

use super::{audit_step, base, can_edit, grade_key};
use crate::{
    app::AppState,
    audit::Action,
    error::{AppError, AppResult},
    inspections::{
        model::Boundaries,
        paths::AppealPath,
        queries::{decisions as q, rooms, rubrics},
    },
    notifications::queries::notify,
    web::{context::redirect_with_flash, forms::multi_line, render, DeptAccess, FormErrors, Html422, Layout, Path},
};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct DecideForm {
    /// `upheld` or `changed`.
    pub decision: String,
    pub new_score: String,
    pub reason: String,
}

impl DecideForm {
    /// The decision, the new score when changed (within the rubric's full marks), the reason.
    fn parse(&self, full_marks: i32) -> Result<(&'static str, Option<i32>, String), FormErrors> {
        let mut errors = FormErrors::default();
        let reason = errors.take("reason", multi_line(&self.reason, 500, true));
        let decision = match self.decision.as_str() {
            "upheld" => "upheld",
            "changed" => "changed",
            _ => {
                errors.add("decision", "inspections.setup.appeal.decision_invalid");
                "upheld"
            }
        };
        let score = self.new_score.trim().parse::<i32>().ok().filter(|s| (0..=full_marks).contains(s));
        if decision == "changed" && score.is_none() {
            errors.add("new_score", "inspections.setup.appeal.score_range");
        }
        errors.into_result((decision, score.filter(|_| decision == "changed"), reason))
    }
}

#[derive(Template)]
#[template(path = "inspections/setup/appeals.html")]
struct AppealsPage {
    layout: Layout,
    access: DeptAccess,
    appeals: Vec<q::AppealRow>,
    can_edit: bool,
    /// The appeal whose form came back, with what was typed.
    typed_id: i64,
    form: DecideForm,
    errors: FormErrors,
}

impl AppealsPage {
    fn grade(&self, grade: &Option<String>) -> String {
        self.layout.t(&grade_key(grade)).into_owned()
    }
}

async fn appeals_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    typed: (i64, DecideForm, FormErrors),
) -> AppResult<String> {
    let appeals = q::list_appeals(&state.db, access.dept.department_id).await?;
    let can_edit = can_edit(&access);
    let (typed_id, form, errors) = typed;
    render(AppealsPage { layout, access, appeals, can_edit, typed_id, form, errors })
}

pub async fn list_appeals(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
) -> AppResult<Html<String>> {
    Ok(Html(appeals_page(&state, layout, access, (0, DecideForm::default(), FormErrors::default())).await?))
}

pub async fn decide_appeal(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<AppealPath>,
    Form(form): Form<DecideForm>,
) -> AppResult<Response> {
    if !q::appeal_of_department(&state.db, p.appeal_id, access.dept.department_id).await? {
        return Err(AppError::NotFound);
    }
    let mut tx = state.db.begin().await?;
    let Some(w) = q::lock_waiting(&mut *tx, p.appeal_id, access.dept.department_id).await? else {
        return Err(AppError::Conflict("error.409.inspections_appeal_decided"));
    };
    let full = rubrics::full_marks(&mut *tx, w.rubric_id).await?;
    let (decision, new_score, reason) = match form.parse(full) {
        Ok(v) => v,
        Err(errors) => {
            drop(tx);
            let html = appeals_page(&state, layout, access, (p.appeal_id, form, errors)).await?;
            return Ok(Html422(html).into_response());
        }
    };
    record_decision(&mut tx, &access, &w, (decision, new_score, &reason)).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/appeals", base(&access)), "flash.inspections.appeal_decided", None))
}

/// The decision written: a changed score graded again with the round's own boundaries
/// (a veto still fails the room), the residents told, the trail written.
async fn record_decision(
    tx: &mut sqlx::PgConnection,
    access: &DeptAccess,
    w: &q::Waiting,
    (decision, new_score, reason): (&str, Option<i32>, &str),
) -> AppResult<()> {
    let mut grade = None;
    if let Some(score) = new_score {
        let bounds = Boundaries { excellent_min: w.excellent_min, good_min: w.good_min, pass_min: w.pass_min };
        let g = bounds.grade(score, w.vetoed).key();
        q::update_result_score(&mut *tx, w.result_id, score, g).await?;
        grade = Some(g);
    }
    // A changed score re-ranks at once (rankings are kept as rows: `rankings::refresh`).
    crate::inspections::rankings::refresh(&mut *tx, w.held_on).await?;
    q::update_decided(&mut *tx, w.appeal_id, decision, new_score, reason, access.viewer.user_id).await?;
    let residents = rooms::list_resident_users(&mut *tx, &[w.room_id]).await?;
    let (key, param) = match new_score {
        Some(s) => ("notify.inspections.appeal_changed", s.to_string()),
        None => ("notify.inspections.appeal_upheld", String::new()),
    };
    notify(&mut *tx, &residents, None, key, &param, "/me/room").await?;
    let before = json!({ "score": w.score, "outcome": w.outcome });
    let after = json!({ "decision": decision, "score": new_score, "grade": grade, "reason": reason });
    let object = ("inspection_appeal", w.appeal_id);
    audit_step(&mut *tx, access, Action::InspectionAppealDecide, object, Some(before), after).await?;
    Ok(())
}
