//! One room: its details edited (capacity, college, gender, walking order, retired) and
//! its residents added or removed one at a time (a student lives in one room: adding
//! them here moves them from another).

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};
use serde::Deserialize;
use serde_json::json;

use super::{audit_step, base, can_edit, import::gender_of};
use crate::{
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult},
    inspections::{
        paths::RoomPath,
        queries::rooms::{self as q, Resident, RoomRow},
    },
    web::{context::redirect_with_flash, forms::one_line, render, DeptAccess, FormErrors, Html422, Layout, Path},
};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RoomForm {
    pub capacity: String,
    pub college: String,
    pub gender: String,
    pub walk_order: String,
    /// A ticked box sends "on".
    pub retired: Option<String>,
}

struct RoomValues {
    capacity: i32,
    college: String,
    gender: &'static str,
    walk_order: i32,
    retired: bool,
}

impl RoomForm {
    fn of(r: &RoomRow) -> RoomForm {
        RoomForm {
            capacity: r.capacity.to_string(),
            college: r.college.clone(),
            gender: r.gender.clone(),
            walk_order: r.walk_order.to_string(),
            retired: r.retired_at.map(|_| "on".into()),
        }
    }

    fn parse(&self) -> Result<RoomValues, FormErrors> {
        let mut errors = FormErrors::default();
        let mut number = |field, raw: &str, range: std::ops::RangeInclusive<i32>, key| {
            let n = raw.trim().parse().ok().filter(|n| range.contains(n));
            if n.is_none() {
                errors.add(field, key);
            }
            n.unwrap_or(0)
        };
        let capacity = number("capacity", &self.capacity, 1..=20, "inspections.setup.csv.capacity");
        let walk_order = number("walk_order", &self.walk_order, 0..=10_000, "form.number.invalid");
        let college = errors.take("college", one_line(&self.college, 60, false));
        let gender = gender_of(&self.gender).unwrap_or_else(|| {
            errors.add("gender", "inspections.setup.csv.gender");
            "x"
        });
        errors.into_result(RoomValues { capacity, college, gender, walk_order, retired: self.retired.is_some() })
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ResidentForm {
    pub student_no: String,
}

#[derive(Template)]
#[template(path = "inspections/setup/room.html")]
struct RoomPage {
    layout: Layout,
    access: DeptAccess,
    room: RoomRow,
    residents: Vec<Resident>,
    can_edit: bool,
    form: RoomForm,
    errors: FormErrors,
    resident: ResidentForm,
    resident_errors: FormErrors,
}

/// What the room page's two forms hold when one comes back.
#[derive(Default)]
struct Typed {
    form: Option<RoomForm>,
    errors: FormErrors,
    resident: ResidentForm,
    resident_errors: FormErrors,
}

async fn room_of(state: &AppState, room_id: i64) -> AppResult<RoomRow> {
    q::fetch_room(&state.db, room_id).await?.ok_or(AppError::NotFound)
}

async fn room_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    room: RoomRow,
    typed: Typed,
) -> AppResult<String> {
    let residents = q::list_residents(&state.db, room.room_id).await?;
    let can_edit = can_edit(&access);
    let form = typed.form.unwrap_or_else(|| RoomForm::of(&room));
    let Typed { errors, resident, resident_errors, .. } = typed;
    render(RoomPage { layout, access, room, residents, can_edit, form, errors, resident, resident_errors })
}

pub async fn show_room(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<RoomPath>,
) -> AppResult<Html<String>> {
    let room = room_of(&state, p.room_id).await?;
    Ok(Html(room_page(&state, layout, access, room, Typed::default()).await?))
}

fn facts(r: &RoomRow) -> serde_json::Value {
    json!({ "capacity": r.capacity, "college": r.college, "gender": r.gender, "walk_order": r.walk_order,
            "retired": r.retired_at.is_some() })
}

pub async fn update_room(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<RoomPath>,
    Form(form): Form<RoomForm>,
) -> AppResult<Response> {
    let room = room_of(&state, p.room_id).await?;
    let v = match form.parse() {
        Ok(v) => v,
        Err(errors) => {
            let typed = Typed { form: Some(form), errors, ..Typed::default() };
            return Ok(Html422(room_page(&state, layout, access, room, typed).await?).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    q::update_room(&mut *tx, room.room_id, v.capacity, &v.college, v.gender, v.walk_order, v.retired).await?;
    let after = q::fetch_room(&mut *tx, room.room_id).await?.ok_or(AppError::NotFound)?;
    let (before, after) = audit::changes(facts(&room), facts(&after));
    audit_step(&mut *tx, &access, Action::InspectionRoomSave, ("dorm_room", room.room_id), Some(before), after).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/rooms/{}", base(&access), room.room_id), "flash.saved", None))
}

pub async fn add_resident(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<RoomPath>,
    Form(form): Form<ResidentForm>,
) -> AppResult<Response> {
    let room = room_of(&state, p.room_id).await?;
    let student_no = match one_line(&form.student_no, 32, true) {
        Ok(s) if !s.chars().any(char::is_whitespace) => s,
        Ok(_) | Err(_) => {
            let resident_errors = FormErrors::one("student_no", "inspections.setup.resident.student_no");
            let typed = Typed { resident: form, resident_errors, ..Typed::default() };
            return Ok(Html422(room_page(&state, layout, access, room, typed).await?).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    q::upsert_residents(&mut *tx, std::slice::from_ref(&student_no), &[room.room_id]).await?;
    let after = json!({ "resident_added": student_no });
    audit_step(&mut *tx, &access, Action::InspectionResidents, ("dorm_room", room.room_id), None, after).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/rooms/{}#residents", base(&access), room.room_id), "flash.saved", None))
}

pub async fn remove_resident(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(p): Path<RoomPath>,
    Form(form): Form<ResidentForm>,
) -> AppResult<Response> {
    let room = room_of(&state, p.room_id).await?;
    let mut tx = state.db.begin().await?;
    if !q::delete_resident(&mut *tx, room.room_id, form.student_no.trim()).await? {
        return Err(AppError::NotFound);
    }
    let after = json!({ "resident_removed": form.student_no.trim() });
    audit_step(&mut *tx, &access, Action::InspectionResidents, ("dorm_room", room.room_id), None, after).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/rooms/{}#residents", base(&access), room.room_id), "flash.saved", None))
}
