//! Buildings, rooms and residents: the list of buildings with their counts, one
//! building's rooms (`?building=`), and the two CSV imports (rooms; residents), each
//! saving nothing unless every line is good. One room's page is `room`.

use std::collections::{BTreeSet, HashMap};

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, IntoResponse, Response},
    Form,
};
use serde::Deserialize;
use serde_json::json;

use super::{
    audit_step, base, can_edit,
    import::{parse_residents, parse_rooms, LineError, RoomImport},
};
use crate::{
    app::AppState,
    audit::Action,
    error::AppResult,
    inspections::queries::rooms::{self as q, BuildingCount, RoomLine, RoomRow},
    web::{context::redirect_with_flash, render, DeptAccess, Html422, Layout},
};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BuildingQuery {
    building: String,
}

/// A CSV as pasted, and its bad lines when it came back.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsvForm {
    csv: String,
}

/// What the two import forms hold.
#[derive(Default)]
pub struct Imports {
    rooms: String,
    rooms_errors: Vec<LineError>,
    residents: String,
    residents_errors: Vec<LineError>,
}

#[derive(Template)]
#[template(path = "inspections/setup/rooms.html")]
struct RoomsPage {
    layout: Layout,
    access: DeptAccess,
    buildings: Vec<BuildingCount>,
    /// The building whose rooms are listed.
    building: Option<BuildingCount>,
    rooms: Vec<RoomRow>,
    can_edit: bool,
    imports: Imports,
}

impl RoomsPage {
    /// "第 3 行，床位：…" for each bad cell.
    fn messages(&self, errors: &[LineError]) -> Vec<String> {
        errors
            .iter()
            .map(|e| {
                let (line, column, message) = (e.line.to_string(), self.layout.t(e.column), self.layout.t(e.key));
                self.layout
                    .tf("inspections.setup.csv.line", &[("line", &line), ("column", &column), ("message", &message)])
            })
            .collect()
    }
}

async fn rooms_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    building_id: Option<i64>,
    imports: Imports,
) -> AppResult<String> {
    let buildings = q::list_buildings(&state.db).await?;
    let building = building_id.and_then(|id| buildings.iter().find(|b| b.building_id == id)).cloned();
    let rooms = match &building {
        Some(b) => q::list_rooms_of_building(&state.db, b.building_id).await?,
        None => vec![],
    };
    let can_edit = can_edit(&access);
    render(RoomsPage { layout, access, buildings, building, rooms, can_edit, imports })
}

pub async fn list_rooms(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Query(query): Query<BuildingQuery>,
) -> AppResult<Html<String>> {
    let building = query.building.parse::<i64>().ok();
    Ok(Html(rooms_page(&state, layout, access, building, Imports::default()).await?))
}

pub async fn import_rooms(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(form): Form<CsvForm>,
) -> AppResult<Response> {
    let rooms = match parse_rooms(&form.csv) {
        Ok(rooms) => rooms,
        Err(rooms_errors) => {
            let imports = Imports { rooms: form.csv, rooms_errors, ..Imports::default() };
            return Ok(Html422(rooms_page(&state, layout, access, None, imports).await?).into_response());
        }
    };
    let texts = |f: fn(&RoomImport) -> &String| rooms.iter().map(|r| f(r).clone()).collect::<Vec<_>>();
    let numbers = |f: fn(&RoomImport) -> i32| rooms.iter().map(f).collect::<Vec<_>>();
    let (building, room) = (texts(|r| &r.building), texts(|r| &r.room));
    let (college, gender) = (texts(|r| &r.college), texts(|r| &r.gender));
    let (floor, walk_order, capacity) = (numbers(|r| r.floor), numbers(|r| r.walk_order), numbers(|r| r.capacity));
    let names: Vec<String> = building.iter().collect::<BTreeSet<_>>().into_iter().cloned().collect();
    let mut tx = state.db.begin().await?;
    q::insert_buildings(&mut *tx, &names).await?;
    let lines = RoomLine {
        building: &building,
        room: &room,
        floor: &floor,
        walk_order: &walk_order,
        capacity: &capacity,
        college: &college,
        gender: &gender,
    };
    let saved = q::upsert_rooms(&mut *tx, &lines).await?;
    let after = json!({ "rooms": saved, "buildings": names });
    audit_step(&mut *tx, &access, Action::InspectionRoomsImport, ("dorm_room_import", saved as i64), None, after)
        .await?;
    tx.commit().await?;
    state.cached.changed("dorm_building");
    let count = saved.to_string();
    Ok(redirect_with_flash(&format!("{}/rooms", base(&access)), "flash.inspections.rooms_imported", Some(&count)))
}

pub async fn import_residents(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(form): Form<CsvForm>,
) -> AppResult<Response> {
    let parsed = parse_residents(&form.csv);
    let (residents, mut errors) = match parsed {
        Ok(r) => (r, vec![]),
        Err(e) => (vec![], e),
    };
    let buildings: Vec<String> = residents.iter().map(|r| r.building.clone()).collect();
    let room_numbers: Vec<String> = residents.iter().map(|r| r.room.clone()).collect();
    let found: HashMap<i64, i64> = q::find_rooms(&state.db, &buildings, &room_numbers).await?.into_iter().collect();
    let mut room_ids = vec![];
    for (i, r) in residents.iter().enumerate() {
        match found.get(&(i as i64)) {
            Some(id) => room_ids.push(*id),
            None => errors.push(LineError {
                line: r.line,
                column: "inspections.setup.col.room",
                key: "inspections.setup.csv.no_room",
            }),
        }
    }
    if !errors.is_empty() {
        let imports = Imports { residents: form.csv, residents_errors: errors, ..Imports::default() };
        return Ok(Html422(rooms_page(&state, layout, access, None, imports).await?).into_response());
    }
    let student_nos: Vec<String> = residents.into_iter().map(|r| r.student_no).collect();
    let mut tx = state.db.begin().await?;
    q::upsert_residents(&mut *tx, &student_nos, &room_ids).await?;
    let after = json!({ "residents_imported": student_nos.len() });
    let object = ("dorm_resident_import", student_nos.len() as i64);
    audit_step(&mut *tx, &access, Action::InspectionResidents, object, None, after).await?;
    tx.commit().await?;
    let count = student_nos.len().to_string();
    Ok(redirect_with_flash(&format!("{}/rooms", base(&access)), "flash.inspections.residents_imported", Some(&count)))
}
