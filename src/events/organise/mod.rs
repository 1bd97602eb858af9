//! The organisers' side (`/d/{dept}/events`, departments that run events): events and
//! their rules, the witnesses and the draw, the door (attendance) and the export.
//! Who may do what is the route groups' (`Desk::Events` and a role); every event is
//! read with its department in the SQL (`fetch_event_of_department`).

pub mod door;
pub mod drawing;
pub mod edit;

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};
use chrono::{Duration, Utc};
use serde_json::{json, Value};

use super::{
    forms::{EventForm, EventValues, WitnessForm},
    paths::EventPath,
    places,
    queries::{self, ApplicationRow, CollegeFigures, Event, EventFilter, EventRow, Witness},
};
use crate::{
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult},
    reception::forms::local_input,
    web::{
        context::redirect_with_flash, dept_access::Need, render, DeptAccess, DeptRole, FormErrors, Html422, Layout,
        Path,
    },
};

/// A window still open may close later or sooner, but not in the past: what came in
/// meanwhile would sit in the pool after its published close. (A closed window's times
/// stand; the SQL keeps them.)
fn closes_ahead(v: EventValues, still_open: bool) -> Result<EventValues, FormErrors> {
    if still_open && v.applications_close_at <= Utc::now() {
        return Err(FormErrors::one("applications_close_at", "form.events.closes_in_past"));
    }
    Ok(v)
}

/// This department's event, or 404.
async fn own_event(state: &AppState, access: &DeptAccess, event_id: i64) -> AppResult<Event> {
    queries::fetch_event_of_department(&state.db, event_id, access.dept.department_id).await?.ok_or(AppError::NotFound)
}

fn base(access: &DeptAccess) -> String {
    format!("/d/{}/events", access.dept.slug)
}

/// Every organiser step is audited against its event.
async fn audit_step(
    db: impl sqlx::PgExecutor<'_>,
    access: &DeptAccess,
    action: Action,
    event_id: i64,
    before: Option<Value>,
    after: Value,
) -> sqlx::Result<()> {
    let (actor, dept) = (Some(access.viewer.user_id), Some(access.dept.department_id));
    audit::record(db, actor, dept, action, "event", &event_id.to_string(), before, Some(after)).await
}

fn row(v: &EventValues) -> EventRow<'_> {
    EventRow {
        title: &v.title,
        description: &v.description,
        place: &v.place,
        starts_at: v.starts_at,
        ends_at: v.ends_at,
        places: v.places,
        applications_open_at: v.applications_open_at,
        applications_close_at: v.applications_close_at,
        colleges: &v.colleges,
        grades: &v.grades,
        questions: &v.questions,
        selection: &v.selection,
        quota_rule: &v.quota_rule,
        public_value_source: &v.public_value_source,
        reveal_deadline: v.reveal_deadline,
        confirm_hours: v.confirm_hours,
    }
}

#[derive(Template)]
#[template(path = "events/organise_list.html")]
struct ListPage {
    layout: Layout,
    access: DeptAccess,
    events: Vec<Event>,
    now: chrono::DateTime<Utc>,
    can_edit: bool,
    editing_id: i64,
    form: EventForm,
    errors: FormErrors,
}

async fn list_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    form: EventForm,
    errors: FormErrors,
) -> AppResult<String> {
    let filter = EventFilter { department_id: Some(access.dept.department_id), limit: 200, ..EventFilter::default() };
    let events = queries::find_events(&state.db, &filter).await?;
    let can_edit = access.may(Need::Act(DeptRole::ViceHead));
    render(ListPage { layout, access, events, now: Utc::now(), can_edit, editing_id: 0, form, errors })
}

pub async fn list_events(State(state): State<AppState>, layout: Layout, access: DeptAccess) -> AppResult<Html<String>> {
    // A new event: in two weeks, 11:00–13:00; applications from now for a week; a draw, one place per college first.
    let day = (Utc::now() + Duration::days(14)).with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let close = (Utc::now() + Duration::days(7)).with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let form = EventForm {
        starts_at: format!("{day}T11:00"),
        ends_at: format!("{day}T13:00"),
        places: "20".into(),
        applications_open_at: local_input(&Utc::now()),
        applications_close_at: format!("{close}T20:00"),
        selection: "draw".into(),
        quota_rule: "one_per_college".into(),
        confirm_hours: "48".into(),
        ..EventForm::default()
    };
    Ok(Html(list_page(&state, layout, access, form, FormErrors::default()).await?))
}

pub async fn create_event(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(form): Form<EventForm>,
) -> AppResult<Response> {
    let v = match form.parse().and_then(|v| closes_ahead(v, true)) {
        Ok(v) => v,
        Err(errors) => return Ok(Html422(list_page(&state, layout, access, form, errors).await?).into_response()),
    };
    let mut tx = state.db.begin().await?;
    let event_id = queries::insert_event(&mut tx, &row(&v), access.dept.department_id, access.viewer.user_id).await?;
    queries::replace_fixed_quotas(&mut tx, event_id, &v.quotas).await?;
    let told = crate::robots::messages::Event {
        event_id,
        title: &v.title,
        place: &v.place,
        starts_at: v.starts_at,
        opens_at: v.applications_open_at,
        closes_at: v.applications_close_at,
        places: v.places,
    };
    let told = crate::robots::messages::event_opening(&told);
    crate::robots::announce(&mut *tx, crate::robots::Topic::Events, Some(access.dept.department_id), &told).await?;
    let after = json!({ "title": v.title, "starts_at": v.starts_at, "places": v.places, "selection": v.selection });
    audit_step(&mut *tx, &access, Action::EventSave, event_id, None, after).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/{event_id}", base(&access)), "flash.events.created", None))
}

#[derive(Template)]
#[template(path = "events/organise.html")]
struct ManagePage {
    layout: Layout,
    access: DeptAccess,
    e: Event,
    now: chrono::DateTime<Utc>,
    figures: Vec<CollegeFigures>,
    applications: Vec<ApplicationRow>,
    witnesses: Vec<Witness>,
    /// Why the draw cannot run yet (a catalogue key), when it cannot.
    draw_blocked: Option<&'static str>,
    can_edit: bool,
    /// The event the edit form saves.
    editing_id: i64,
    form: EventForm,
    errors: FormErrors,
    witness_form: WitnessForm,
    witness_errors: FormErrors,
}

impl ManagePage {
    /// Holding a place at an event that has begun, and not seen at the door.
    fn no_show(&self, a: &ApplicationRow) -> bool {
        self.now >= self.e.starts_at && a.attended_at.is_none() && matches!(a.status.as_str(), "selected" | "confirmed")
    }
}

/// What the manage page's forms hold when one of them comes back with errors.
#[derive(Default)]
pub struct Typed {
    pub form: Option<EventForm>,
    pub errors: FormErrors,
    pub witness_form: WitnessForm,
    pub witness_errors: FormErrors,
}

/// The form as the event is now.
fn form_of(e: &Event, quotas: &[(String, i32)]) -> EventForm {
    EventForm {
        title: e.title.clone(),
        description: e.description.clone(),
        place: e.place.clone(),
        starts_at: local_input(&e.starts_at),
        ends_at: local_input(&e.ends_at),
        places: e.places.to_string(),
        applications_open_at: local_input(&e.applications_open_at),
        applications_close_at: local_input(&e.applications_close_at),
        colleges: e.colleges.join("\n"),
        grades: e.grades.iter().map(i32::to_string).collect::<Vec<_>>().join(" "),
        questions: e.questions.join("\n"),
        selection: e.selection.clone(),
        quota_rule: e.quota_rule.clone(),
        quotas: quotas.iter().map(|(c, n)| format!("{c} {n}")).collect::<Vec<_>>().join("\n"),
        public_value_source: e.public_value_source.clone(),
        reveal_deadline: local_input(&e.reveal_deadline),
        confirm_hours: e.confirm_hours.to_string(),
    }
}

async fn manage_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    e: Event,
    typed: Typed,
) -> AppResult<String> {
    let mut conn = state.db.acquire().await?;
    let figures = queries::list_college_figures(&mut *conn, e.event_id).await?;
    let applications = queries::list_applications(&mut *conn, e.event_id, None).await?;
    let witnesses = queries::list_witnesses(&mut *conn, e.event_id).await?;
    let quotas = queries::list_fixed_quotas(&mut *conn, e.event_id).await?;
    drop(conn);
    let now = Utc::now();
    let draw_blocked = if !e.is_draw() || e.drawn_at.is_some() {
        None
    } else if e.pool_frozen_at.is_none() {
        Some("events.draw.not_closed")
    } else {
        // The public value is typed with the draw itself: only the witnesses can block it here.
        places::draw_blocked(&witnesses, e.reveal_deadline, false, "", now)
    };
    let can_edit = access.may(Need::Act(DeptRole::ViceHead));
    let form = typed.form.unwrap_or_else(|| form_of(&e, &quotas));
    let Typed { errors, witness_form, witness_errors, .. } = typed;
    let editing_id = e.event_id;
    render(ManagePage {
        layout,
        access,
        e,
        now,
        figures,
        applications,
        witnesses,
        draw_blocked,
        can_edit,
        editing_id,
        form,
        errors,
        witness_form,
        witness_errors,
    })
}

pub async fn manage_event(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<EventPath>,
) -> AppResult<Html<String>> {
    let e = super::public::frozen_if_due(&state, own_event(&state, &access, p.event_id).await?).await?;
    Ok(Html(manage_page(&state, layout, access, e, Typed::default()).await?))
}
