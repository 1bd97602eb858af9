//! What a department's plan route names, read before its handler runs: a plan of
//! this department (the department is in the SQL) and, for the editor, a goal or an
//! action of that plan. Anything else is a 404; a plan whose state locks its content
//! is a 409. Who may act at all is the route group's (plans/mod.rs).

use axum::{extract::FromRequestParts, http::request::Parts};

use super::own_plan;
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    plans::{
        model,
        queries::{self, Plan},
        PlanActionPath, PlanGoalPath, PlanPath,
    },
    web::{DeptAccess, Path},
};

/// A plan of this department.
pub struct OwnPlan {
    pub access: DeptAccess,
    pub plan: Plan,
}

impl FromRequestParts<AppState> for OwnPlan {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let access = DeptAccess::from_request_parts(parts, state).await?;
        let Path(PlanPath { plan_id }) = Path::from_request_parts(parts, state).await?;
        let plan = own_plan(state, &access, plan_id).await?;
        Ok(OwnPlan { access, plan })
    }
}

/// A plan of this department whose content may be edited in its state.
pub struct EditablePlan {
    pub access: DeptAccess,
    pub plan: Plan,
}

impl FromRequestParts<AppState> for EditablePlan {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let OwnPlan { access, plan } = OwnPlan::from_request_parts(parts, state).await?;
        if !model::content_editable(plan.status) {
            return Err(AppError::Conflict("error.409.plan_locked"));
        }
        Ok(EditablePlan { access, plan })
    }
}

/// A goal of an editable plan.
pub struct EditableGoal {
    pub access: DeptAccess,
    pub plan: Plan,
    pub goal_id: i64,
}

impl FromRequestParts<AppState> for EditableGoal {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let EditablePlan { access, plan } = EditablePlan::from_request_parts(parts, state).await?;
        let Path(PlanGoalPath { goal_id, .. }) = Path::from_request_parts(parts, state).await?;
        let goal_id = queries::fetch_goal_of_plan(&state.db, goal_id, plan.plan_id).await?.ok_or(AppError::NotFound)?;
        Ok(EditableGoal { access, plan, goal_id })
    }
}

/// An action of a plan: its goal and its owner.
pub struct PlanAction {
    pub access: DeptAccess,
    pub plan: Plan,
    pub action_id: i64,
    pub goal_id: i64,
    pub owner: Option<i64>,
}

/// The action the path names, of `plan`.
async fn action_named(parts: &mut Parts, state: &AppState, access: DeptAccess, plan: Plan) -> AppResult<PlanAction> {
    let Path(PlanActionPath { action_id, .. }) = Path::from_request_parts(parts, state).await?;
    let found = queries::fetch_action_of_plan(&state.db, action_id, plan.plan_id).await?;
    let (goal_id, owner) = found.ok_or(AppError::NotFound)?;
    Ok(PlanAction { access, plan, action_id, goal_id, owner })
}

/// An action of a plan of this department, whatever its state (members report progress on theirs).
pub struct OwnAction(pub PlanAction);

impl FromRequestParts<AppState> for OwnAction {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let OwnPlan { access, plan } = OwnPlan::from_request_parts(parts, state).await?;
        action_named(parts, state, access, plan).await.map(OwnAction)
    }
}

/// An action of an editable plan.
pub struct EditableAction(pub PlanAction);

impl FromRequestParts<AppState> for EditableAction {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let EditablePlan { access, plan } = EditablePlan::from_request_parts(parts, state).await?;
        action_named(parts, state, access, plan).await.map(EditableAction)
    }
}
