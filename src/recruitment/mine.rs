//! A student's own applications under `/me/applications`: each with its stage, the
//! department's message, the interview times to choose from, and the answers the stage
//! allows (withdraw; accept or turn down an offer by its deadline).

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};
use chrono::Utc;
use serde::Deserialize;

use super::{
    model,
    offers::{self, Answered},
    paths::ApplicationPath,
    queries::{self, applications as apps, SlotRow},
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    web::{context::redirect_with_flash, render, CurrentUser, Html422, Layout, Path},
};

#[derive(Template)]
#[template(path = "recruitment/mine.html")]
struct MinePage {
    layout: Layout,
    applications: Vec<(apps::MyApplication, Vec<SlotRow>)>,
    /// The application whose slot form failed, and why.
    slot_error: Option<(i64, &'static str)>,
}

impl MinePage {
    fn status(&self, status: &str) -> &'static str {
        model::status_key(status)
    }
    fn may_book(&self, a: &apps::MyApplication) -> bool {
        model::may_book(&a.status)
    }
    fn may_withdraw(&self, a: &apps::MyApplication) -> bool {
        model::may_withdraw(&a.status)
    }
    fn is_booked(&self, a: &apps::MyApplication, slot_id: &i64) -> bool {
        a.slot_id == Some(*slot_id)
    }
    fn error_of(&self, application_id: &i64) -> Option<&'static str> {
        self.slot_error.filter(|(id, _)| id == application_id).map(|(_, key)| key)
    }
}

async fn mine_page(
    state: &AppState,
    layout: Layout,
    user_id: i64,
    slot_error: Option<(i64, &'static str)>,
) -> AppResult<String> {
    let mut applications = vec![];
    for a in apps::list_mine(&state.db, user_id).await? {
        let slots = if model::may_book(&a.status) {
            queries::list_slots(&state.db, a.round_id, a.department_id).await?
        } else {
            vec![]
        };
        applications.push((a, slots));
    }
    render(MinePage { layout, applications, slot_error })
}

pub async fn my_applications(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    layout: Layout,
) -> AppResult<Html<String>> {
    Ok(Html(mine_page(&state, layout, viewer.user_id, None).await?))
}

pub async fn withdraw(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    Path(p): Path<ApplicationPath>,
) -> AppResult<Response> {
    own(&state, viewer.user_id, p.application_id).await?;
    if !apps::withdraw(&state.db, p.application_id, viewer.user_id).await? {
        return Err(AppError::Conflict("recruitment.conflict.not_waiting"));
    }
    Ok(redirect_with_flash("/me/applications", "flash.recruitment.withdrawn", None))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SlotChoice {
    pub slot_id: String,
}

/// The student chooses an interview time of the department (capacity per slot, checked
/// under the slot's lock).
pub async fn book_slot(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    layout: Layout,
    Path(p): Path<ApplicationPath>,
    Form(form): Form<SlotChoice>,
) -> AppResult<Response> {
    own(&state, viewer.user_id, p.application_id).await?;
    let booked = match form.slot_id.trim().parse::<i64>() {
        Ok(slot_id) => {
            let mut tx = state.db.begin().await?;
            let booked = apps::book_slot(&mut tx, p.application_id, viewer.user_id, slot_id).await?;
            tx.commit().await?;
            booked
        }
        Err(_) => false,
    };
    if booked {
        return Ok(redirect_with_flash("/me/applications", "flash.recruitment.booked", None));
    }
    let error = Some((p.application_id, "form.recruitment.slot_full"));
    Ok(Html422(mine_page(&state, layout, viewer.user_id, error).await?).into_response())
}

pub async fn accept(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    Path(p): Path<ApplicationPath>,
) -> AppResult<Response> {
    let answered = offers::accept(&state.db, viewer.user_id, p.application_id, Utc::now()).await?;
    answer(answered, "flash.recruitment.accepted")
}

pub async fn turn_down(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    Path(p): Path<ApplicationPath>,
) -> AppResult<Response> {
    let answered = offers::turn_down(&state.db, viewer.user_id, p.application_id).await?;
    answer(answered, "flash.recruitment.turned_down")
}

fn answer(answered: Option<Answered>, flash: &'static str) -> AppResult<Response> {
    match answered.ok_or(AppError::NotFound)? {
        Answered::Done => Ok(redirect_with_flash("/me/applications", flash, None)),
        Answered::NotOffered => Err(AppError::Conflict("recruitment.conflict.no_offer")),
        Answered::Late => Err(AppError::Conflict("recruitment.conflict.late")),
    }
}

/// Someone else's application is not there (404), whoever asks.
async fn own(state: &AppState, user_id: i64, application_id: i64) -> AppResult<()> {
    let mut conn = state.db.acquire().await?;
    match queries::offers::fetch_own(&mut conn, application_id, user_id).await? {
        Some(_) => Ok(()),
        None => Err(AppError::NotFound),
    }
}
