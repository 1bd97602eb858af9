//! The plan's workflow: submitted by its heads, approved or returned by the presidium, started and reviewed.

use axum::{extract::State, response::Response, Form};
use serde_json::json;

use super::{finish, invalid, plan_url, refuse, OwnPlan};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    notifications::notify,
    plans::{
        forms::EditForm,
        model::{self, Actor},
        queries,
    },
    web::{context::redirect_with_flash, FormErrors, Layout},
};

// One handler per workflow step, so each sits in the route group of its actor:
// the department's heads submit, start and review; the presidium (from outside the
// department) approves and returns (plans/mod.rs).
crate::web::forms::one_handler_per_form!(
    (State(state): State<AppState>, layout: Layout, target: OwnPlan, Form(form): Form<EditForm>)
    step => take_step(state, layout, target, step, form);
    submit_plan => "submit", approve_plan => "approve", return_plan => "return", start_plan => "start", review_plan => "review"
);

/// Who hears of a step: the department hears the presidium's decision; the presidium hears of a submission.
async fn told_of_step(
    tx: &mut sqlx::PgConnection,
    plan: &queries::Plan,
    actor: Actor,
    step: &str,
) -> sqlx::Result<Vec<i64>> {
    match actor {
        Actor::Presidium => crate::departments::queries::current_member_ids(&mut *tx, plan.department_id).await,
        Actor::Head if step == "submit" => queries::list_presidium_ids(tx).await,
        Actor::Head => Ok(vec![]),
    }
}

/// A workflow step: `submit`, `approve`, `return`, `start` or `review`, if the plan's state allows it.
async fn take_step(
    state: AppState,
    layout: Layout,
    OwnPlan { access, plan }: OwnPlan,
    step: &'static str,
    form: EditForm,
) -> AppResult<Response> {
    let (to, actor) = model::step(step, plan.status).ok_or(AppError::Conflict("error.409.plan_step"))?;
    let comment = match step {
        "return" => match crate::web::forms::multi_line(&form.comment, 5_000, true) {
            Ok(c) => c,
            Err(key) => {
                let errors = FormErrors::one("comment", key);
                let url = format!("{}/steps/return", plan_url(&access, plan.plan_id));
                return refuse(&state, layout, access, plan, invalid("return", url, form, errors)).await;
            }
        },
        _ => String::new(),
    };
    let mut tx = state.db.begin().await?;
    // Edits lock the plan too: the review's count of open actions cannot race them.
    queries::lock_plan_status(&mut tx, plan.plan_id).await?;
    // The review records the outcome of every action: none may be left open.
    if step == "review" && queries::count_open_actions(&mut tx, plan.plan_id).await? > 0 {
        return Err(AppError::Conflict("error.409.plan_actions_open"));
    }
    if queries::move_plan_status(&mut tx, plan.plan_id, plan.status, to, &comment).await? == 0 {
        return Err(AppError::Conflict("error.409.plan_step"));
    }
    let link = plan_url(&access, plan.plan_id);
    let audience = told_of_step(&mut tx, &plan, actor, step).await?;
    let key = format!("notify.plan.{to}");
    notify(&mut *tx, &audience, Some(access.viewer.user_id), &key, &plan.title, &link).await?;
    // The update moved the plan only from `plan.status`: that is the state before.
    let change = (Some(json!({ "status": plan.status })), json!({ "status": to, "comment": comment }));
    finish(tx, &access, plan.plan_id, &format!("plan.version.{to}"), change).await?;
    Ok(redirect_with_flash(&link, "flash.plan.step", None))
}
