//! The presidium's side, `/presidium/recruitment`: opening a round (its window, the answer
//! deadline, how many departments a student may choose, the term the accepted join) and
//! the figures per department and stage, never the content of an application.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};
use chrono::{DateTime, Utc};
use serde_json::json;

use super::{
    forms::RoundForm,
    model,
    queries::{self, Round, StageCount},
};
use crate::{
    app::AppState,
    audit,
    error::AppResult,
    web::{context::redirect_with_flash, render, CurrentUser, FormErrors, Html422, Layout},
};

#[derive(Template)]
#[template(path = "recruitment/presidium.html")]
struct OverviewPage {
    layout: Layout,
    rounds: Vec<(Round, Vec<StageCount>)>,
    now: DateTime<Utc>,
    form: RoundForm,
    errors: FormErrors,
}

impl OverviewPage {
    fn status(&self, status: &str) -> &'static str {
        model::status_key(status)
    }
}

async fn overview(state: &AppState, layout: Layout, form: RoundForm, errors: FormErrors) -> AppResult<String> {
    let now = Utc::now();
    let mut rounds = vec![];
    for round in queries::list_current_rounds(&state.db, now).await? {
        let counts = queries::count_stages(&state.db, round.round_id).await?;
        rounds.push((round, counts));
    }
    render(OverviewPage { layout, rounds, now, form, errors })
}

pub async fn show_overview(State(state): State<AppState>, layout: Layout) -> AppResult<Html<String>> {
    let form = RoundForm { max_choices: "2".into(), ..RoundForm::default() };
    Ok(Html(overview(&state, layout, form, FormErrors::default()).await?))
}

pub async fn open_round(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    layout: Layout,
    Form(form): Form<RoundForm>,
) -> AppResult<Response> {
    let values = match form.parse() {
        Ok(v) => v,
        Err(errors) => return Ok(Html422(overview(&state, layout, form, errors).await?).into_response()),
    };
    let mut tx = state.db.begin().await?;
    let round_id = queries::insert_round(&mut *tx, &values.row(), viewer.user_id).await?;
    let after = json!({ "title": values.title, "max_choices": values.max_choices, "term": values.term_name });
    let action = audit::Action::RecruitmentRoundSave;
    audit::record(
        &mut *tx,
        Some(viewer.user_id),
        None,
        action,
        "recruitment_round",
        &round_id.to_string(),
        None,
        Some(after),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_with_flash("/presidium/recruitment", "flash.recruitment.round_opened", Some(&values.title)))
}
