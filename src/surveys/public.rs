//! The respondents' side: the list of open and published questionnaires, a questionnaire
//! with its identity mode stated before the questions, answering it, and its published
//! results (never free text).

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, IntoResponse, Response},
    Form,
};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{
    anonymity::{self, Outcome, Respondent},
    answers::{self, AnswerErrors, AnswerInputs, Fields},
    model::Question,
    paths::SurveyPath,
    queries::{self, RespondentFacts, Survey},
    results::{self, Tally, MIN_GROUP},
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    web::{context::redirect_with_flash, render, Html422, Layout, Path},
};

#[derive(Template)]
#[template(path = "surveys/list.html")]
struct ListPage {
    layout: Layout,
    surveys: Vec<Survey>,
    now: DateTime<Utc>,
}

pub async fn list_surveys(State(state): State<AppState>, layout: Layout) -> AppResult<Html<String>> {
    let now = Utc::now();
    let surveys = queries::list_surveys(&state.db, None, now).await?;
    Ok(Html(render(ListPage { layout, surveys, now })?))
}

/// The answer form, for respondents and (as a preview) for its department.
#[derive(Template)]
#[template(path = "surveys/show.html")]
pub(super) struct AnswerPage {
    pub layout: Layout,
    pub s: Survey,
    pub now: DateTime<Utc>,
    /// Why the viewer may not answer (a catalogue key), if they may not.
    pub barred: Option<&'static str>,
    pub preview: bool,
    pub inputs: AnswerInputs,
    pub code_error: Option<&'static str>,
}

impl AnswerPage {
    fn needs_login(&self) -> bool {
        self.barred == Some("surveys.barred.login")
    }
}

/// What keeps this viewer from answering now, if anything (the SQL checks it again).
async fn barred(
    state: &AppState,
    s: &Survey,
    who: Option<(i64, &RespondentFacts)>,
    now: DateTime<Utc>,
) -> AppResult<Option<&'static str>> {
    if s.for_position {
        return Ok(Some("surveys.barred.position"));
    }
    if now < s.opens_at {
        return Ok(Some("surveys.barred.upcoming"));
    }
    if !s.is_open(now) {
        return Ok(Some("surveys.barred.closed"));
    }
    if !s.identity().once_per_student() {
        return Ok(None);
    }
    Ok(match who {
        None => Some("surveys.barred.login"),
        Some((_, f)) if !f.verified => Some("surveys.barred.verify"),
        Some((_, f)) if f.answered => Some("surveys.barred.answered"),
        Some((user_id, _)) if !queries::fetch_admits(&state.db, s.survey_id, user_id).await? => {
            Some("surveys.barred.audience")
        }
        Some(_) => None,
    })
}

async fn load(state: &AppState, survey_id: i64) -> AppResult<(Survey, Vec<Question>)> {
    let mut conn = state.db.acquire().await?;
    let s = queries::fetch_survey(&mut *conn, survey_id).await?.ok_or(AppError::NotFound)?;
    let questions = queries::list_questions(&mut *conn, survey_id).await?;
    Ok((s, questions))
}

async fn facts_of(state: &AppState, layout: &Layout, s: &Survey) -> AppResult<Option<RespondentFacts>> {
    match layout.viewer.as_ref() {
        Some(v) => Ok(queries::fetch_respondent(&state.db, v.user_id, s.series_id).await?),
        None => Ok(None),
    }
}

#[derive(Deserialize, Default)]
pub struct CodeQuery {
    /// A printed code's QR leads here with its code filled in.
    #[serde(default)]
    code: String,
}

pub async fn show_survey(
    State(state): State<AppState>,
    layout: Layout,
    Path(p): Path<SurveyPath>,
    Query(q): Query<CodeQuery>,
) -> AppResult<Html<String>> {
    let (s, questions) = load(&state, p.survey_id).await?;
    let facts = facts_of(&state, &layout, &s).await?;
    let now = Utc::now();
    let who = layout.viewer.as_ref().map(|v| v.user_id).zip(facts.as_ref());
    let barred = barred(&state, &s, who, now).await?;
    let fields = vec![("code".to_string(), q.code)];
    let page = AnswerPage {
        layout,
        s,
        now,
        barred,
        preview: false,
        inputs: AnswerInputs { questions, fields, errors: AnswerErrors::default() },
        code_error: None,
    };
    Ok(Html(render(page)?))
}

#[tracing::instrument(skip_all, fields(survey_id = p.survey_id))]
pub async fn answer_survey(
    State(state): State<AppState>,
    layout: Layout,
    Path(p): Path<SurveyPath>,
    Form(fields): Form<Fields>,
) -> AppResult<Response> {
    let (s, questions) = load(&state, p.survey_id).await?;
    let facts = facts_of(&state, &layout, &s).await?;
    let now = Utc::now();
    let user = layout.viewer.as_ref().map(|v| v.user_id);
    match barred(&state, &s, user.zip(facts.as_ref()), now).await? {
        Some("surveys.barred.login") => return Err(AppError::Unauthenticated(format!("/surveys/{}", s.survey_id))),
        Some(why) => return Err(AppError::Conflict(why)),
        None => {}
    }
    let code = fields.iter().find(|(k, _)| k == "code").map(|(_, v)| v.trim().to_uppercase());
    let missing_code = s.with_codes && code.as_deref().unwrap_or("").is_empty();
    let parsed = answers::parse(&questions, &fields);
    let refuse = |errors: AnswerErrors, code_error: Option<&'static str>, s: Survey, questions, layout| {
        let page = AnswerPage {
            layout,
            s,
            now,
            barred: None,
            preview: false,
            inputs: AnswerInputs { questions, fields: fields.clone(), errors },
            code_error,
        };
        render(page).map(|html| Html422(html).into_response())
    };
    let answers = match (parsed, missing_code) {
        (Ok(a), false) => a,
        (parsed, _) => {
            let code_error = missing_code.then_some("surveys.code.required");
            return refuse(parsed.err().unwrap_or_default(), code_error, s, questions, layout);
        }
    };
    let who = match (user, facts.as_ref()) {
        (Some(user_id), Some(facts)) if s.identity().once_per_student() => Respondent::Student { user_id, facts },
        _ => Respondent::Visitor { code: code.as_deref() },
    };
    match anonymity::take_answer(&state.db, &s, who, answers).await? {
        Outcome::Taken => Ok(redirect_with_flash(&format!("/surveys/{}", s.survey_id), "flash.surveys.answered", None)),
        Outcome::BadCode => refuse(AnswerErrors::default(), Some("surveys.code.invalid"), s, questions, layout),
        Outcome::Closed => Err(AppError::Conflict("surveys.barred.closed")),
        Outcome::Refused => Err(AppError::Conflict("surveys.barred.answered")),
    }
}

#[derive(Template)]
#[template(path = "surveys/published.html")]
struct PublishedPage {
    layout: Layout,
    s: Survey,
    tallies: Vec<Tally>,
    /// Answers counted at publishing, as the figures are.
    total: usize,
    /// An anonymous questionnaire with fewer than five answers shows no figures.
    too_few: bool,
}

pub async fn published_results(
    State(state): State<AppState>,
    layout: Layout,
    Path(p): Path<SurveyPath>,
) -> AppResult<Html<String>> {
    let (s, questions) = load(&state, p.survey_id).await?;
    if s.published_at.is_none() {
        return Err(AppError::NotFound);
    }
    let counted = queries::fetch_published_tally(&state.db, s.survey_id).await?.unwrap_or_default();
    let (tallies, total) = results::published_tallies(&questions, &counted);
    let too_few = s.is_anonymous() && total < MIN_GROUP;
    let tallies = if too_few { vec![] } else { tallies };
    Ok(Html(render(PublishedPage { layout, s, tallies, total, too_few })?))
}
