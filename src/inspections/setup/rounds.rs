//! Rounds: starting one (with the rubric version current then, kept for good), its page
//! (progress per building and floor, the results as drafts, the inspectors), naming and
//! removing inspectors, and publishing once, which tells each room's residents.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

use super::{audit_step, base, can_edit, dashboard::dashboard_page, grade_key, own_round, InspectorPath};
use crate::{
    app::AppState,
    audit::Action,
    error::{AppError, AppResult},
    inspections::{
        model::ROUND_KINDS,
        paths::RoundPath,
        queries::{self, rounds as q, rounds::Round},
    },
    notifications::queries::notify,
    web::{
        context::redirect_with_flash,
        forms::{filter_day, one_line},
        render, DeptAccess, FormErrors, Html422, Layout, Path,
    },
};

/// A new round as typed: its kind, its day and the buildings ticked.
#[derive(Debug, Default, Clone)]
pub struct RoundForm {
    pub kind: String,
    pub held_on: String,
    pub buildings: Vec<i64>,
}

impl RoundForm {
    /// From the form's pairs: `building` comes once per ticked box.
    fn from_pairs(pairs: Vec<(String, String)>) -> RoundForm {
        let mut form = RoundForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "kind" => form.kind = v,
                "held_on" => form.held_on = v,
                "building" => form.buildings.extend(v.parse::<i64>().ok()),
                _ => {}
            }
        }
        form
    }

    fn parse(&self) -> Result<(String, NaiveDate), FormErrors> {
        let mut errors = FormErrors::default();
        if !ROUND_KINDS.contains(&self.kind.as_str()) {
            errors.add("kind", "inspections.setup.round.kind_invalid");
        }
        let day = filter_day(&self.held_on);
        if day.is_none() {
            errors.add("held_on", "form.date.invalid");
        }
        if self.buildings.is_empty() {
            errors.add("buildings", "inspections.setup.round.no_buildings");
        }
        match day {
            Some(day) => errors.into_result((self.kind.clone(), day)),
            None => Err(errors),
        }
    }
}

pub async fn create_round(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let form = RoundForm::from_pairs(pairs);
    let rubric = queries::current_rubric(&state.db).await?;
    let parsed = form.parse().and_then(|v| match &rubric {
        Some(r) => Ok((v, r.clone())),
        None => Err(FormErrors::one("form", "inspections.setup.round.no_rubric")),
    });
    let ((kind, day), rubric) = match parsed {
        Ok(v) => v,
        Err(errors) => {
            return Ok(Html422(dashboard_page(&state, layout, access, Some(form), errors).await?).into_response())
        }
    };
    let mut tx = state.db.begin().await?;
    let dept = access.dept.department_id;
    let round_id = q::insert_round(&mut *tx, dept, &kind, day, rubric.rubric_id, access.viewer.user_id).await?;
    let added = q::insert_round_buildings(&mut *tx, round_id, &form.buildings).await?;
    if added == 0 {
        return Err(AppError::NotFound);
    }
    let after = json!({ "kind": kind, "held_on": day, "rubric_version": rubric.version, "buildings": form.buildings });
    audit_step(&mut *tx, &access, Action::InspectionRoundSave, ("inspection_round", round_id), None, after).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/rounds/{round_id}", base(&access)), "flash.saved", None))
}

#[derive(Template)]
#[template(path = "inspections/setup/round.html")]
struct RoundPage {
    layout: Layout,
    access: DeptAccess,
    round: Round,
    progress: Vec<q::Progress>,
    results: Vec<q::ResultRow>,
    inspectors: Vec<q::Inspector>,
    can_edit: bool,
    student_no: String,
    errors: FormErrors,
}

impl RoundPage {
    fn grade(&self, grade: &Option<String>) -> String {
        self.layout.t(&grade_key(grade)).into_owned()
    }
}

async fn round_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    round: Round,
    typed: (String, FormErrors),
) -> AppResult<String> {
    let mut conn = state.db.acquire().await?;
    let progress = q::list_progress(&mut *conn, round.round_id).await?;
    let results = q::list_results(&mut *conn, round.round_id).await?;
    let inspectors = q::list_inspectors(&mut *conn, round.round_id).await?;
    drop(conn);
    let can_edit = can_edit(&access);
    let (student_no, errors) = typed;
    render(RoundPage { layout, access, round, progress, results, inspectors, can_edit, student_no, errors })
}

pub async fn show_round(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<RoundPath>,
) -> AppResult<Html<String>> {
    let round = own_round(&state, &access, p.round_id).await?;
    Ok(Html(round_page(&state, layout, access, round, Default::default()).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InspectorForm {
    student_no: String,
}

pub async fn add_inspector(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<RoundPath>,
    Form(form): Form<InspectorForm>,
) -> AppResult<Response> {
    let round = own_round(&state, &access, p.round_id).await?;
    let mut errors = FormErrors::default();
    let student_no = errors.take("student_no", one_line(&form.student_no, 32, true));
    let user = match errors.is_empty() {
        true => q::find_eligible_inspector(&state.db, &student_no).await?,
        false => None,
    };
    let Some(user_id) = user else {
        errors.add("student_no", "inspections.setup.inspector.not_eligible");
        let html = round_page(&state, layout, access, round, (form.student_no, errors)).await?;
        return Ok(Html422(html).into_response());
    };
    let mut tx = state.db.begin().await?;
    if q::insert_inspector(&mut *tx, round.round_id, user_id).await? {
        let after = json!({ "inspector_added": user_id });
        audit_step(&mut *tx, &access, Action::InspectionRoundSave, ("inspection_round", round.round_id), None, after)
            .await?;
    }
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/rounds/{}#inspectors", base(&access), round.round_id), "flash.saved", None))
}

pub async fn remove_inspector(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(p): Path<InspectorPath>,
) -> AppResult<Response> {
    let round = own_round(&state, &access, p.round_id).await?;
    let mut tx = state.db.begin().await?;
    if !q::delete_inspector(&mut *tx, round.round_id, p.user_id).await? {
        return Err(AppError::NotFound);
    }
    let after = json!({ "inspector_removed": p.user_id });
    audit_step(&mut *tx, &access, Action::InspectionRoundSave, ("inspection_round", round.round_id), None, after)
        .await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/rounds/{}#inspectors", base(&access), round.round_id), "flash.saved", None))
}

/// Once: the results are final from then on (an appeal may still change one).
pub async fn publish_round(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(p): Path<RoundPath>,
) -> AppResult<Response> {
    let round = own_round(&state, &access, p.round_id).await?;
    let mut tx = state.db.begin().await?;
    if !q::update_published(&mut *tx, round.round_id, access.dept.department_id).await? {
        return Err(AppError::Conflict("error.409.inspections_published"));
    }
    let rooms = q::list_result_rooms(&mut *tx, round.round_id).await?;
    let residents = queries::rooms::list_resident_users(&mut *tx, &rooms).await?;
    let day = round.held_on.to_string();
    notify(&mut *tx, &residents, None, "notify.inspections.published", &day, "/me/room").await?;
    // Rankings publish themselves: the round's week, month and term, in the same transaction.
    crate::inspections::rankings::refresh(&mut tx, round.held_on).await?;
    let told = crate::robots::messages::inspections_published(round.held_on, rooms.len());
    crate::robots::announce(&mut *tx, crate::robots::Topic::Inspections, Some(access.dept.department_id), &told)
        .await?;
    let after = json!({ "published": true, "rooms": rooms.len(), "told": residents.len() });
    let object = ("inspection_round", round.round_id);
    audit_step(&mut *tx, &access, Action::InspectionRoundPublish, object, None, after).await?;
    tx.commit().await?;
    // The other processes hear it from the tables' triggers (`inspections::published`).
    state.cached.changed("inspection_round");
    state.cached.changed("inspection_group_standing");
    Ok(redirect_with_flash(
        &format!("{}/rounds/{}", base(&access), round.round_id),
        "flash.inspections.published",
        None,
    ))
}
