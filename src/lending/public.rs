//! The students' side: the stations with what is available now (`/umbrellas`), an
//! item's page behind its QR tag where a signed-in, verified student borrows it or gives
//! it back at a station, and one's own loans (`/me/loans`) with the code a staffed desk
//! scans.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};
use chrono::Utc;

use super::{
    forms::{item_code, ReturnForm},
    model,
    paths::ItemPath,
    queries::{self, ItemView, LoanRow, PublicStation, StationChoice},
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    web::{context::redirect_with_flash, render, CurrentUser, FormErrors, Html422, Layout, Path},
};

#[derive(Template)]
#[template(path = "lending/stations.html")]
struct StationsPage {
    layout: Layout,
    /// Stations grouped by district, in order.
    districts: Vec<(String, Vec<PublicStation>)>,
}

pub async fn list_stations(State(state): State<AppState>, layout: Layout) -> AppResult<Html<String>> {
    let mut districts: Vec<(String, Vec<PublicStation>)> = Vec::new();
    for s in queries::list_public_stations(&state.db).await? {
        match districts.last_mut() {
            Some((d, list)) if *d == s.district => list.push(s),
            _ => districts.push((s.district.clone(), vec![s])),
        }
    }
    Ok(Html(render(StationsPage { layout, districts })?))
}

#[derive(Template)]
#[template(path = "lending/item.html")]
struct ItemPage {
    layout: Layout,
    item: ItemView,
    stations: Vec<StationChoice>,
    /// The viewer holds this item.
    mine: bool,
    form: ReturnForm,
    errors: FormErrors,
}

async fn item_page(
    state: &AppState,
    layout: Layout,
    code: &str,
    form: ReturnForm,
    errors: FormErrors,
) -> AppResult<String> {
    let code = item_code(code).map_err(|_| AppError::NotFound)?;
    let item = queries::fetch_item(&state.db, &code).await?.ok_or(AppError::NotFound)?;
    let viewer = layout.viewer.as_ref().map(|v| v.user_id);
    let mine = viewer.is_some() && item.borrower_id == viewer;
    let stations = if mine { queries::list_station_choices(&state.db, item.department_id).await? } else { vec![] };
    render(ItemPage { layout, item, stations, mine, form, errors })
}

pub async fn show_item(
    State(state): State<AppState>,
    layout: Layout,
    Path(p): Path<ItemPath>,
) -> AppResult<Html<String>> {
    Ok(Html(item_page(&state, layout, &p.code, ReturnForm::default(), FormErrors::default()).await?))
}

/// The student's own scan: borrow this item now (the SQL checks verified, limits, overdue).
pub async fn borrow(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    layout: Layout,
    Path(p): Path<ItemPath>,
) -> AppResult<Response> {
    let code = item_code(&p.code).map_err(|_| AppError::NotFound)?;
    let outcome = queries::borrow(&state.db, &code, viewer.user_id, None, None, Utc::now()).await?;
    if outcome == "lent" {
        return Ok(redirect_with_flash("/me/loans", "flash.lending.lent", Some(&code)));
    }
    let errors = FormErrors::one("borrow", model::borrow_message(&outcome));
    Ok(Html422(item_page(&state, layout, &code, ReturnForm::default(), errors).await?).into_response())
}

/// The student gives back the item they hold, at the station they chose.
pub async fn give_back(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    layout: Layout,
    Path(p): Path<ItemPath>,
    Form(form): Form<ReturnForm>,
) -> AppResult<Response> {
    let typed = ReturnForm { return_code: p.code.clone(), ..form };
    let (code, station) = match typed.parse() {
        Ok(v) => v,
        Err(errors) => return Ok(Html422(item_page(&state, layout, &p.code, typed, errors).await?).into_response()),
    };
    let outcome = queries::give_back(&state.db, &code, station, Some(viewer.user_id), None, Utc::now()).await?;
    if outcome == "returned" {
        return Ok(redirect_with_flash("/me/loans", "flash.lending.returned", Some(&code)));
    }
    let errors = FormErrors::one("return_station", model::return_message(&outcome));
    Ok(Html422(item_page(&state, layout, &code, typed, errors).await?).into_response())
}

#[derive(Template)]
#[template(path = "lending/mine.html")]
struct MinePage {
    layout: Layout,
    loans: Vec<LoanRow>,
    student_no: String,
    now: chrono::DateTime<Utc>,
}

pub async fn my_loans(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    layout: Layout,
) -> AppResult<Html<String>> {
    let loans = queries::list_my_loans(&state.db, viewer.user_id).await?;
    let student_no = viewer.student_no.clone();
    Ok(Html(render(MinePage { layout, loans, student_no, now: Utc::now() })?))
}
