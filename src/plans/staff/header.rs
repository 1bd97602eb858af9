//! A plan's header (title, period, the review's texts) and whether it is public.

use axum::{extract::State, response::Response, Form};
use serde_json::{json, Value};

use super::{begin_locked, conflict, finish, invalid, plan_url, refuse, EditablePlan, OwnPlan};
use crate::{
    app::AppState,
    audit,
    error::{AppError, AppResult},
    plans::{
        forms::{self, EditForm},
        model,
        queries::{self},
    },
    web::{context::redirect_with_flash, FormErrors, Layout},
};

pub async fn save_header(
    State(state): State<AppState>,
    layout: Layout,
    EditablePlan { access, plan }: EditablePlan,
    Form(form): Form<EditForm>,
) -> AppResult<Response> {
    let url = format!("{}/header", plan_url(&access, plan.plan_id));
    let v = match forms::header(&form) {
        Ok(v) => v,
        Err(errors) => return refuse(&state, layout, access, plan, invalid("header", url, form, errors)).await,
    };
    let mut tx = begin_locked(&state, plan.plan_id, model::content_editable).await?;
    // Read under the plan's lock: exactly what this save replaces.
    let was = queries::fetch_plan(&mut *tx, plan.plan_id).await?.ok_or(AppError::NotFound)?;
    let saved = match queries::update_header(&mut tx, plan.plan_id, form.version(), &v).await {
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("plan_department_period_key") => {
            drop(tx);
            let errors = FormErrors::one("period", "form.plan.period_taken");
            return refuse(&state, layout, access, plan, invalid("header", url, form, errors)).await;
        }
        other => other?,
    };
    if saved == 0 {
        drop(tx);
        return refuse(&state, layout, access, plan, conflict("header", 0, url, form)).await;
    }
    let before = header_facts(&was.title, &was.period, &was.review_achievements, &was.review_shortcomings);
    let after = header_facts(&v.title, &v.period, &v.achievements, &v.shortcomings);
    let (before, after) = audit::changes(before, after);
    finish(tx, &access, plan.plan_id, "plan.version.header", (Some(before), after)).await?;
    Ok(redirect_with_flash(&plan_url(&access, plan.plan_id), "flash.saved", None))
}

/// A plan's header as the trail records it (the review's texts clipped).
fn header_facts(title: &str, period: &str, achievements: &str, shortcomings: &str) -> Value {
    json!({ "title": title, "period": period, "review_achievements": audit::clip(achievements),
            "review_shortcomings": audit::clip(shortcomings) })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PublishForm {
    public: String,
}

pub async fn set_public(
    State(state): State<AppState>,
    OwnPlan { access, plan }: OwnPlan,
    Form(form): Form<PublishForm>,
) -> AppResult<Response> {
    let public = form.public == "1";
    if public && !plan.status.publishable() {
        return Err(AppError::Conflict("error.409.plan_not_approved"));
    }
    let mut tx = state.db.begin().await?;
    let was = queries::lock_is_public(&mut tx, plan.plan_id).await?;
    queries::set_is_public(&mut tx, plan.plan_id, public).await?;
    let what = if public { "plan.version.published" } else { "plan.version.unpublished" };
    finish(tx, &access, plan.plan_id, what, (Some(json!({ "public": was })), json!({ "public": public }))).await?;
    Ok(redirect_with_flash(&plan_url(&access, plan.plan_id), "flash.saved", None))
}
