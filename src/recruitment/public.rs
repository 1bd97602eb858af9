//! The students' side: `/recruitment` lists the rounds with every department's positions;
//! a position's page carries the application (an order of preference, a statement and the
//! department's own questions), for verified students within the round's window.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{
    forms::parse_apply,
    paths::PositionPath,
    queries::{self, applications as apps, PositionRow, Round},
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    notifications::queries::notify,
    surveys::{
        answers::{self, AnswerInputs, Fields},
        queries::list_questions,
    },
    web::{context::redirect_with_flash, render, CurrentUser, FormErrors, Html422, Layout, Path},
};

#[derive(Template)]
#[template(path = "recruitment/list.html")]
struct ListPage {
    layout: Layout,
    rounds: Vec<(Round, Vec<PositionRow>)>,
    now: DateTime<Utc>,
}

pub async fn list_rounds(State(state): State<AppState>, layout: Layout) -> AppResult<Html<String>> {
    let now = Utc::now();
    let mut rounds = vec![];
    for round in queries::list_current_rounds(&state.db, now).await? {
        let positions = queries::list_positions(&state.db, round.round_id, None).await?;
        rounds.push((round, positions));
    }
    Ok(Html(render(ListPage { layout, rounds, now })?))
}

#[derive(Template)]
#[template(path = "recruitment/position.html")]
struct PositionPage {
    layout: Layout,
    round: Round,
    position: PositionRow,
    now: DateTime<Utc>,
    /// Why the viewer may not apply (a catalogue key), if they may not.
    barred: Option<&'static str>,
    /// The department's questions, what was typed and the messages beside them.
    inputs: AnswerInputs,
    errors: FormErrors,
}

impl PositionPage {
    fn typed(&self, name: &str) -> &str {
        self.inputs.typed(name)
    }
}

async fn position_page(
    state: &AppState,
    layout: Layout,
    position_id: i64,
    fields: Fields,
    errors: (FormErrors, answers::AnswerErrors),
) -> AppResult<String> {
    let position = queries::fetch_position(&state.db, position_id).await?.ok_or(AppError::NotFound)?;
    let round = queries::fetch_round(&state.db, position.round_id).await?.ok_or(AppError::NotFound)?;
    let questions = match position.survey_id {
        Some(id) => list_questions(&state.db, id).await?,
        None => vec![],
    };
    let now = Utc::now();
    let barred = match &layout.viewer {
        _ if !round.is_open(now) => Some("recruitment.barred.closed"),
        None => Some("recruitment.barred.login"),
        Some(_) => None,
    };
    let inputs = AnswerInputs { questions, fields, errors: errors.1 };
    render(PositionPage { layout, round, position, now, barred, inputs, errors: errors.0 })
}

pub async fn show_position(
    State(state): State<AppState>,
    layout: Layout,
    Path(p): Path<PositionPath>,
) -> AppResult<Html<String>> {
    Ok(Html(position_page(&state, layout, p.position_id, vec![], Default::default()).await?))
}

/// A verified student applies (the insert checks the window, the verification and the
/// choices again); a refusal is said beside its field, the typed text kept.
#[tracing::instrument(skip_all, fields(position_id = p.position_id))]
pub async fn apply(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    layout: Layout,
    Path(p): Path<PositionPath>,
    Form(fields): Form<Fields>,
) -> AppResult<Response> {
    let position = queries::fetch_position(&state.db, p.position_id).await?.ok_or(AppError::NotFound)?;
    let round = queries::fetch_round(&state.db, position.round_id).await?.ok_or(AppError::NotFound)?;
    let questions = match position.survey_id {
        Some(id) => list_questions(&state.db, id).await?,
        None => vec![],
    };
    let parsed = (parse_apply(&fields, round.max_choices), answers::parse(&questions, &fields));
    let (values, answers) = match parsed {
        (Ok(v), Ok(a)) => (v, a),
        (v, a) => {
            let errors = (v.err().unwrap_or_default(), a.err().unwrap_or_default());
            return Ok(Html422(position_page(&state, layout, p.position_id, fields, errors).await?).into_response());
        }
    };
    let answers = Value::Object(answers);
    let row = apps::NewApplication {
        position_id: position.position_id,
        user_id: viewer.user_id,
        preference: values.preference,
        statement: &values.statement,
        survey_id: position.survey_id,
        answers: &answers,
    };
    if take_application(&state, &row, &position).await? {
        return Ok(redirect_with_flash("/me/applications", "flash.recruitment.applied", Some(&position.title)));
    }
    let errors = (FormErrors::one("preference", refusal(&state, &row).await?), Default::default());
    Ok(Html422(position_page(&state, layout, p.position_id, fields, errors).await?).into_response())
}

/// The application and the student's confirmation (portal and mail), together; false when
/// the insert refused it.
async fn take_application(state: &AppState, row: &apps::NewApplication<'_>, position: &PositionRow) -> AppResult<bool> {
    let mut tx = state.db.begin().await?;
    if apps::insert_application(&mut *tx, row).await?.is_none() {
        return Ok(false);
    }
    let label = format!("{} · {}", position.dept_name_zh, position.title);
    notify(&mut *tx, &[row.user_id], None, "notify.recruitment.applied", &label, "/me/applications").await?;
    tx.commit().await?;
    Ok(true)
}

/// Why the insert refused an application: the preference's message, or a page of its own
/// (not verified, not open).
async fn refusal(state: &AppState, row: &apps::NewApplication<'_>) -> AppResult<&'static str> {
    let why = apps::fetch_apply_refusal(&state.db, row.position_id, row.user_id, row.preference).await?;
    Ok(match why {
        w if !w.verified => return Err(AppError::Conflict("recruitment.barred.verify")),
        w if !w.open => return Err(AppError::Conflict("recruitment.barred.closed")),
        w if w.department_taken => "form.recruitment.department_taken",
        w if w.preference_taken => "form.recruitment.preference_taken",
        _ => "form.recruitment.number",
    })
}
