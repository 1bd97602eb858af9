//! The department's robots page (`/d/{dept}/robots`): each robot with its webhook masked,
//! its topics, its last success and last error and its latest messages; heads add,
//! change, test and remove them (the route groups' rule; every robot is read with its
//! department in the SQL). A webhook's key and a secret are never written into a page
//! once saved, and never into the audit trail.

use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    forms::{RobotForm, RobotValues},
    model::Platform,
    queries::{self, RobotRow},
    view::page,
};
use crate::{
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult, ResultExt},
    web::{context::redirect_with_flash, DeptAccess, FormErrors, Html422, Layout, Path},
};

/// `/d/{dept}/robots/{robot_id}/…`.
#[derive(Deserialize)]
pub struct RobotPath {
    pub robot_id: i64,
}

pub async fn list_robots(State(state): State<AppState>, layout: Layout, access: DeptAccess) -> AppResult<Html<String>> {
    Ok(Html(page(&state, layout, access, -1, RobotForm::default(), FormErrors::default()).await?))
}

fn base(access: &DeptAccess) -> String {
    format!("/d/{}/robots", access.dept.slug)
}

/// A robot as its audit entry records it: what it does, not where its webhook points.
fn facts(name: &str, platform: Platform, topics: &[String], flags: (bool, bool, bool), has_secret: bool) -> Value {
    let (union_wide, enabled, log_only) = flags;
    json!({ "name": name, "platform": platform.as_str(), "topics": topics, "union_wide": union_wide,
            "enabled": enabled, "log_only": log_only, "signed": has_secret })
}

async fn save(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    robot_id: Option<i64>,
    form: RobotForm,
) -> AppResult<Response> {
    let dept = access.dept.department_id;
    let mut tx = state.db.begin().await?;
    let before = match robot_id {
        Some(id) => Some(queries::lock_robot_of_department(&mut tx, id, dept).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    let v = match form.parse(before.as_ref().map(|r| r.platform), state.config.robots_loopback) {
        Ok(v) => v,
        Err(errors) => {
            drop(tx);
            return refused(state, layout, access, robot_id, form, errors).await;
        }
    };
    let id = match write(&mut tx, &access, robot_id, &v).await {
        Ok(id) => id,
        Err(AppError::Conflict(_)) => {
            drop(tx);
            let errors = FormErrors::one("name", "form.name.taken");
            return refused(state, layout, access, robot_id, form, errors).await;
        }
        Err(e) => return Err(e),
    };
    if !v.enabled {
        queries::update_pending_given_up(&mut tx, id).await?;
    }
    let topics: Vec<String> = v.topics.iter().map(|t| t.as_str().to_string()).collect();
    let has_secret = match &v.secret {
        Some(s) => !s.is_empty(),
        None => before.as_ref().is_some_and(|r| r.has_secret),
    };
    let mut after = facts(&v.name, v.platform, &topics, (v.union_wide, v.enabled, v.log_only), has_secret);
    after["webhook_changed"] = Value::from(v.webhook_url.is_some());
    let before =
        before.map(|r| facts(&r.name, r.platform, &r.topics, (r.union_wide, r.enabled, r.log_only), r.has_secret));
    let actor = Some(access.viewer.user_id);
    let object = id.to_string();
    audit::record(&mut *tx, actor, Some(dept), Action::RobotSave, "group_robot", &object, before, Some(after)).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&base(&access), "flash.robots.saved", None))
}

/// A new robot, or a change to one of this department's; a name the department already
/// gave another robot is a conflict the form answers beside the name.
async fn write(
    tx: &mut sqlx::PgConnection,
    access: &DeptAccess,
    robot_id: Option<i64>,
    v: &RobotValues,
) -> AppResult<i64> {
    let row = RobotRow {
        name: &v.name,
        webhook_url: v.webhook_url.as_deref(),
        secret: v.secret.as_deref(),
        topics: &v.topics,
        union_wide: v.union_wide,
        enabled: v.enabled,
        log_only: v.log_only,
    };
    let dept = access.dept.department_id;
    let taken = || AppError::Conflict("");
    match robot_id {
        Some(id) => queries::update_robot(tx, id, dept, &row)
            .await
            .on_constraint("group_robot_name_key", taken)
            .and_then(|found| found.ok_or(AppError::NotFound)),
        None => queries::insert_robot(tx, dept, v.platform, &row, access.viewer.user_id)
            .await
            .on_constraint("group_robot_name_key", taken),
    }
}

/// The page again, its refused form keeping what was typed (but the secret): 422.
async fn refused(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    robot_id: Option<i64>,
    form: RobotForm,
    errors: FormErrors,
) -> AppResult<Response> {
    let form = RobotForm { secret: String::new(), ..form };
    Ok(Html422(page(state, layout, access, robot_id.unwrap_or(0), form, errors).await?).into_response())
}

pub async fn create_robot(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(form): Form<RobotForm>,
) -> AppResult<Response> {
    save(&state, layout, access, None, form).await
}

pub async fn update_robot(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<RobotPath>,
    Form(form): Form<RobotForm>,
) -> AppResult<Response> {
    save(&state, layout, access, Some(p.robot_id), form).await
}

/// Queue a test message to this department's robot; the page shows how it went.
pub async fn test_robot(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(p): Path<RobotPath>,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    let r = queries::lock_robot_of_department(&mut tx, p.robot_id, access.dept.department_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !r.enabled {
        return Err(AppError::Conflict("error.409.robot_disabled"));
    }
    let m = super::messages::test(&r.name);
    queries::insert_message(&mut *tx, r.robot_id, "test", (&m.title, &m.lines.join("\n"), &m.link)).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&base(&access), "flash.robots.test_queued", None))
}

pub async fn remove_robot(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(p): Path<RobotPath>,
) -> AppResult<Response> {
    let dept = access.dept.department_id;
    let mut tx = state.db.begin().await?;
    let r = queries::lock_robot_of_department(&mut tx, p.robot_id, dept).await?.ok_or(AppError::NotFound)?;
    if !queries::delete_robot(&mut tx, r.robot_id, dept).await? {
        return Err(AppError::NotFound);
    }
    let before = facts(&r.name, r.platform, &r.topics, (r.union_wide, r.enabled, r.log_only), r.has_secret);
    let (actor, object) = (Some(access.viewer.user_id), r.robot_id.to_string());
    audit::record(&mut *tx, actor, Some(dept), Action::RobotRemove, "group_robot", &object, Some(before), None).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&base(&access), "flash.robots.removed", None))
}
