//! The department's setup of lending (`/d/{dept}/lending/…`): a station's page, where a
//! vice-head edits it or closes it once its shelf is empty; an item put in repair,
//! retired or back on the shelf at the desk; a kind's page with its rules (loan time,
//! loans a student may hold, reminder, lost after). The route groups in `mod.rs` say
//! who may do what; the statements are scoped by the department.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};

use super::{
    desk::{self, Typed},
    forms::{ItemStateForm, KindForm, StationForm},
    paths::{KindPath, StationPath},
    queries::{
        setup::{self, KindRules},
        StationStock,
    },
};
use crate::{
    app::AppState,
    error::{AppError, AppResult},
    web::{
        context::redirect_with_flash, dept_access::Need, render, DeptAccess, DeptRole, FormErrors, Html422, Layout,
        Path,
    },
};

#[derive(Template)]
#[template(path = "lending/station.html")]
struct StationPage {
    layout: Layout,
    slug: String,
    station: StationStock,
    can_edit: bool,
    form: StationForm,
    errors: FormErrors,
}

fn station_form(s: &StationStock) -> StationForm {
    StationForm {
        name: s.name.clone(),
        district: s.district.clone(),
        place: s.place.clone(),
        opening_hours: s.opening_hours.clone(),
        capacity: s.capacity.to_string(),
        min_stock: s.min_stock.to_string(),
        on_duty: s.on_duty.clone(),
        closed: if s.closed { "on".into() } else { String::new() },
    }
}

async fn station_of(state: &AppState, access: &DeptAccess, station_id: i64) -> AppResult<StationStock> {
    setup::fetch_station(&state.db, access.dept.department_id, station_id).await?.ok_or(AppError::NotFound)
}

fn station_page(
    layout: Layout,
    access: &DeptAccess,
    station: StationStock,
    form: StationForm,
    errors: FormErrors,
) -> AppResult<String> {
    let can_edit = access.may(Need::Act(DeptRole::ViceHead));
    render(StationPage { layout, slug: access.dept.slug.clone(), station, can_edit, form, errors })
}

pub async fn show_station(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(path): Path<StationPath>,
) -> AppResult<Html<String>> {
    let station = station_of(&state, &access, path.station_id).await?;
    let form = station_form(&station);
    Ok(Html(station_page(layout, &access, station, form, FormErrors::default())?))
}

/// Save a station's details; closing needs an empty shelf (the update checks it again).
pub async fn update_station(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(path): Path<StationPath>,
    Form(form): Form<StationForm>,
) -> AppResult<Response> {
    let station = station_of(&state, &access, path.station_id).await?;
    let v = match form.parse() {
        Ok(v) => v,
        Err(errors) => return Ok(Html422(station_page(layout, &access, station, form, errors)?).into_response()),
    };
    let dept = access.dept.department_id;
    let errors = match setup::update_station(&state.db, dept, station.station_id, &v.station(), v.closed).await {
        Ok(true) => return Ok(redirect_with_flash(&desk::back(&access), "flash.lending.station_saved", Some(&v.name))),
        Ok(false) => FormErrors::one("closed", "form.lending.close_with_stock"),
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("lending_station_name_key") => {
            FormErrors::one("name", "form.lending.station_taken")
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Html422(station_page(layout, &access, station, form, errors)?).into_response())
}

/// The desk puts an item in repair, retires it or puts it back on the shelf.
pub async fn set_item_state(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(form): Form<ItemStateForm>,
) -> AppResult<Response> {
    let (code, to) = match form.parse() {
        Ok(v) => v,
        Err(errors) => {
            return desk::refused(&state, layout, &access, Typed { state: form, errors, ..Typed::default() }).await
        }
    };
    let error = match setup::set_item_state(&state.db, access.dept.department_id, &code, to).await? {
        Some((_, true)) => {
            let key = match to {
                "repair" => "flash.lending.item_repair",
                "retired" => "flash.lending.item_retired",
                _ => "flash.lending.item_available",
            };
            return Ok(redirect_with_flash(&desk::back(&access), key, Some(&code)));
        }
        Some((before, false)) if before == "on_loan" => "form.lending.state_on_loan",
        Some(_) => "form.lending.state_lost",
        None => "lending.refused.no_item",
    };
    let errors = FormErrors::one("state_code", error);
    desk::refused(&state, layout, &access, Typed { state: form, errors, ..Typed::default() }).await
}

#[derive(Template)]
#[template(path = "lending/kind.html")]
struct KindPage {
    layout: Layout,
    slug: String,
    kind: KindRules,
    can_edit: bool,
    form: KindForm,
    errors: FormErrors,
}

async fn kind_of(state: &AppState, kind: &str) -> AppResult<KindRules> {
    setup::fetch_kind(&state.db, kind).await?.ok_or(AppError::NotFound)
}

fn kind_page(
    layout: Layout,
    access: &DeptAccess,
    kind: KindRules,
    form: KindForm,
    errors: FormErrors,
) -> AppResult<String> {
    let can_edit = access.may(Need::Act(DeptRole::ViceHead));
    render(KindPage { layout, slug: access.dept.slug.clone(), kind, can_edit, form, errors })
}

pub async fn show_kind(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(path): Path<KindPath>,
) -> AppResult<Html<String>> {
    let kind = kind_of(&state, &path.kind).await?;
    let form = KindForm::from_rules(&kind);
    Ok(Html(kind_page(layout, &access, kind, form, FormErrors::default())?))
}

/// New rules for a kind: the next loans follow them, loans already made keep their due time.
pub async fn update_kind(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(path): Path<KindPath>,
    Form(form): Form<KindForm>,
) -> AppResult<Response> {
    let kind = kind_of(&state, &path.kind).await?;
    let rules = match form.parse(&kind) {
        Ok(rules) => rules,
        Err(errors) => return Ok(Html422(kind_page(layout, &access, kind, form, errors)?).into_response()),
    };
    if !setup::update_kind(&state.db, &rules).await? {
        return Err(AppError::NotFound);
    }
    let name = layout.t(&format!("lending.kind.{}", rules.kind));
    Ok(redirect_with_flash(&desk::back(&access), "flash.lending.kind_saved", Some(&name)))
}
