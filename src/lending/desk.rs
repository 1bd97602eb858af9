//! The department's side (`/d/{dept}/lending`, departments that run lending): the
//! staffed desk (lend by code and 学号, take back at a station, late or lost alike), stock
//! per station against capacity and minimum with the rebalancing list, recorded moves,
//! new stations and tagged items, and the printable label sheet. Every statement is
//! scoped by the department in its SQL.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};
use chrono::{DateTime, Utc};

use super::{
    forms::{ItemStateForm, ItemsForm, LendForm, MoveForm, ReturnForm, StationForm, SETTABLE_STATES},
    model::{self, Move},
    queries::{self, setup::KindRules, Label, LoanRow, StationStock},
};
use crate::{
    app::AppState,
    error::AppResult,
    web::{context::redirect_with_flash, dept_access::Need, render, DeptAccess, DeptRole, FormErrors, Html422, Layout},
};

/// What the forms of the desk page hold: what was typed, and its errors.
#[derive(Default)]
pub struct Typed {
    pub lend: LendForm,
    pub take: ReturnForm,
    pub moving: MoveForm,
    pub station: StationForm,
    pub items: ItemsForm,
    pub state: ItemStateForm,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "lending/desk.html")]
struct DeskPage {
    layout: Layout,
    slug: String,
    stations: Vec<StationStock>,
    moves: Vec<Move>,
    loans: Vec<LoanRow>,
    now: DateTime<Utc>,
    kinds: Vec<KindRules>,
    settable: [&'static str; 3],
    /// A vice-head or the head: the station and kind setup shows.
    can_setup: bool,
    typed: Typed,
}

impl DeskPage {
    fn overdue(&self) -> impl Iterator<Item = &LoanRow> {
        self.loans.iter().filter(|l| l.due_at < self.now && !l.lost)
    }
    fn lost(&self) -> impl Iterator<Item = &LoanRow> {
        self.loans.iter().filter(|l| l.lost)
    }
    /// Where items can be returned, moved to or added: the open stations.
    fn open_stations(&self) -> impl Iterator<Item = &StationStock> {
        self.stations.iter().filter(|s| !s.closed)
    }
}

async fn desk_page(state: &AppState, layout: Layout, access: &DeptAccess, typed: Typed) -> AppResult<String> {
    let dept = access.dept.department_id;
    let now = Utc::now();
    let stations = queries::list_station_stock(&state.db, dept).await?;
    let loans = queries::list_open_loans(&state.db, dept, false, now).await?;
    let kinds = queries::setup::list_kinds(&state.db).await?;
    let moves = model::rebalancing(&stations);
    let (slug, can_setup) = (access.dept.slug.clone(), access.may(Need::Act(DeptRole::ViceHead)));
    render(DeskPage { layout, slug, stations, moves, loans, now, kinds, settable: SETTABLE_STATES, can_setup, typed })
}

pub(super) fn back(access: &DeptAccess) -> String {
    format!("/d/{}/lending", access.dept.slug)
}

pub(super) async fn refused(
    state: &AppState,
    layout: Layout,
    access: &DeptAccess,
    typed: Typed,
) -> AppResult<Response> {
    Ok(Html422(desk_page(state, layout, access, typed).await?).into_response())
}

pub async fn show_desk(State(state): State<AppState>, layout: Layout, access: DeptAccess) -> AppResult<Html<String>> {
    Ok(Html(desk_page(&state, layout, &access, Typed::default()).await?))
}

/// The staffed desk lends: the item must be this department's.
pub async fn lend(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(form): Form<LendForm>,
) -> AppResult<Response> {
    let (code, student_no) = match form.parse() {
        Ok(v) => v,
        Err(errors) => return refused(&state, layout, &access, Typed { lend: form, errors, ..Typed::default() }).await,
    };
    let outcome = match queries::find_student(&state.db, &student_no).await? {
        Some(user) => {
            let (dept, officer) = (Some(access.dept.department_id), Some(access.viewer.user_id));
            queries::borrow(&state.db, &code, user, dept, officer, Utc::now()).await?
        }
        None => "no_student".to_string(),
    };
    if outcome == "lent" {
        return Ok(redirect_with_flash(&back(&access), "flash.lending.lent", Some(&code)));
    }
    let field = if outcome == "no_item" || outcome == "not_available" { "lend_code" } else { "lend_student_no" };
    let errors = FormErrors::one(field, model::borrow_message(&outcome));
    refused(&state, layout, &access, Typed { lend: form, errors, ..Typed::default() }).await
}

/// The desk takes an item back at one of its stations: on time, late, or found after it was lost.
pub async fn take_back(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(form): Form<ReturnForm>,
) -> AppResult<Response> {
    let (code, station) = match form.parse() {
        Ok(v) => v,
        Err(errors) => return refused(&state, layout, &access, Typed { take: form, errors, ..Typed::default() }).await,
    };
    let item_dept = queries::fetch_item(&state.db, &code).await?.map(|i| i.department_id);
    let outcome = if item_dept == Some(access.dept.department_id) {
        queries::give_back(&state.db, &code, station, None, Some(access.viewer.user_id), Utc::now()).await?
    } else {
        "no_item".to_string()
    };
    if outcome == "returned" {
        return Ok(redirect_with_flash(&back(&access), "flash.lending.returned", Some(&code)));
    }
    let field = if outcome == "no_station" { "return_station" } else { "return_code" };
    let errors = FormErrors::one(field, model::return_message(&outcome));
    refused(&state, layout, &access, Typed { take: form, errors, ..Typed::default() }).await
}

/// Record carrying stock from one station to another (as many as are there, up to the count).
pub async fn move_stock(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(form): Form<MoveForm>,
) -> AppResult<Response> {
    let (from, to, count) = match form.parse() {
        Ok(v) => v,
        Err(errors) => {
            return refused(&state, layout, &access, Typed { moving: form, errors, ..Typed::default() }).await
        }
    };
    let dept = access.dept.department_id;
    let moved = queries::move_stock(&state.db, dept, from, to, count, access.viewer.user_id).await?;
    if moved == 0 {
        let errors = FormErrors::one("move_count", "form.lending.nothing_to_move");
        return refused(&state, layout, &access, Typed { moving: form, errors, ..Typed::default() }).await;
    }
    Ok(redirect_with_flash(&back(&access), "flash.lending.moved", Some(&moved.to_string())))
}

pub async fn create_station(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(form): Form<StationForm>,
) -> AppResult<Response> {
    let v = match form.parse() {
        Ok(v) => v,
        Err(errors) => {
            return refused(&state, layout, &access, Typed { station: form, errors, ..Typed::default() }).await
        }
    };
    let inserted = queries::insert_station(&state.db, access.dept.department_id, &v.station()).await;
    match inserted {
        Ok(_) => Ok(redirect_with_flash(&back(&access), "flash.lending.station_added", Some(&v.name))),
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("lending_station_name_key") => {
            let errors = FormErrors::one("name", "form.lending.station_taken");
            refused(&state, layout, &access, Typed { station: form, errors, ..Typed::default() }).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn add_items(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(form): Form<ItemsForm>,
) -> AppResult<Response> {
    let (station, kind, prefix, count) = match form.parse() {
        Ok(v) => v,
        Err(errors) => {
            return refused(&state, layout, &access, Typed { items: form, errors, ..Typed::default() }).await
        }
    };
    let codes = queries::insert_items(&state.db, access.dept.department_id, station, &kind, &prefix, count).await?;
    if codes.is_empty() {
        let errors = FormErrors::one("items_station", "form.lending.no_station");
        return refused(&state, layout, &access, Typed { items: form, errors, ..Typed::default() }).await;
    }
    Ok(redirect_with_flash(&back(&access), "flash.lending.items_added", Some(&codes.len().to_string())))
}

#[derive(Template)]
#[template(path = "lending/labels.html")]
struct LabelsPage {
    layout: Layout,
    slug: String,
    labels: Vec<Label>,
}

impl LabelsPage {
    /// A label's QR code: it carries the item's page, where a student borrows it.
    fn qr(&self, code: &str) -> String {
        crate::web::qr::svg(&format!("{}{}", self.layout.origin, self.borrow_path(code)), 22)
    }

    /// The item's page, printed under its QR code for whoever cannot scan.
    fn borrow_path(&self, code: &str) -> String {
        format!("/umbrellas/i/{code}")
    }
}

/// The label sheet: one QR code per item, to print on sticker paper.
pub async fn labels(State(state): State<AppState>, layout: Layout, access: DeptAccess) -> AppResult<Html<String>> {
    let labels = queries::list_labels(&state.db, access.dept.department_id).await?;
    Ok(Html(render(LabelsPage { layout, slug: access.dept.slug.clone(), labels })?))
}
