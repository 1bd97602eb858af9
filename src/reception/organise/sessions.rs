//! A session's own details: the list and a new session, an edit (which may move
//! the time, tell everyone and fill freed seats), and closing sign-up early.

use askama::Template;
use axum::{
    extract::State,
    response::{Html, IntoResponse, Response},
    Form,
};
use chrono::{Duration, Utc};
use serde_json::{json, Value};

use super::{audit_step, base, manage_page, own_session, Typed};
use crate::{
    app::AppState,
    audit,
    error::AppResult,
    notifications::notify,
    reception::{
        forms::{local_input, SessionForm, SessionValues},
        paths::SessionPath,
        public::title,
        queries::{self, Session, SessionFilter, SessionRow},
    },
    robots,
    web::{
        context::redirect_with_flash, dept_access::Need, render, DeptAccess, DeptRole, FormErrors, Html422, Layout,
        Path,
    },
};

#[derive(Template)]
#[template(path = "reception/organise_list.html")]
struct ListPage {
    layout: Layout,
    access: DeptAccess,
    sessions: Vec<Session>,
    /// Display flag: a new session is the vice-heads' (the route group's rule).
    can_edit: bool,
    /// 0 for a new session's form.
    editing_id: i64,
    form: SessionForm,
    errors: FormErrors,
}

async fn list_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    form: SessionForm,
    errors: FormErrors,
) -> AppResult<String> {
    let filter =
        SessionFilter { department_id: Some(access.dept.department_id), limit: 200, ..SessionFilter::default() };
    let sessions = queries::find_sessions(&state.db, &filter).await?;
    let can_edit = access.may(Need::Act(DeptRole::ViceHead));
    render(ListPage { layout, access, sessions, can_edit, editing_id: 0, form, errors })
}

pub async fn list_sessions(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
) -> AppResult<Html<String>> {
    // A new session: next week, 14:00–16:00, sign-up open from now to the evening before.
    let day = (Utc::now() + Duration::days(7)).with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let form = SessionForm {
        kind: "leaders".into(),
        starts_at: format!("{day}T14:00"),
        ends_at: format!("{day}T16:00"),
        open_seats: "20".into(),
        signup_opens_at: local_input(&Utc::now()),
        signup_closes_at: format!("{}T20:00", day.pred_opt().unwrap_or(day)),
        ..SessionForm::default()
    };
    Ok(Html(list_page(&state, layout, access, form, FormErrors::default()).await?))
}

fn row(v: &SessionValues) -> SessionRow<'_> {
    SessionRow {
        kind: &v.kind,
        starts_at: v.starts_at,
        ends_at: v.ends_at,
        time_confirmed: v.time_confirmed,
        place: &v.place,
        topic: &v.topic,
        open_seats: v.open_seats,
        signup_opens_at: v.signup_opens_at,
        signup_closes_at: v.signup_closes_at,
    }
}

/// Leaders and college seats are replaced as a whole with each save.
async fn save_parts(tx: &mut sqlx::PgConnection, session_id: i64, v: &SessionValues) -> sqlx::Result<()> {
    queries::delete_leaders(&mut *tx, session_id).await?;
    for (i, (name, title)) in v.leaders.iter().enumerate() {
        queries::insert_leader(&mut *tx, session_id, i as i16, name, title).await?;
    }
    let colleges: Vec<String> = v.quotas.iter().map(|q| q.0.clone()).collect();
    queries::delete_unused_quotas(&mut *tx, session_id, &colleges).await?;
    for (college, seats) in &v.quotas {
        queries::upsert_quota(&mut *tx, session_id, college, *seats).await?;
    }
    Ok(())
}

pub async fn create_session(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(form): Form<SessionForm>,
) -> AppResult<Response> {
    let v = match form.parse() {
        Ok(v) => v,
        Err(errors) => return Ok(Html422(list_page(&state, layout, access, form, errors).await?).into_response()),
    };
    let mut tx = state.db.begin().await?;
    let number = queries::next_session_number(&mut *tx, &v.kind).await?;
    let (dept, actor) = (access.dept.department_id, access.viewer.user_id);
    let session_id = queries::insert_session(&mut *tx, &row(&v), number, dept, actor).await?;
    save_parts(&mut tx, session_id, &v).await?;
    tell_groups(&mut tx, session_id, false).await?;
    let after = json!({ "kind": v.kind, "number": number, "starts_at": v.starts_at, "place": v.place });
    audit_step(&mut *tx, &access, session_id, None, after).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(
        &format!("{}/{session_id}", base(&access)),
        "flash.reception.created",
        Some(&number.to_string()),
    ))
}

/// Change the details; a changed or confirmed time bumps the calendar SEQUENCE and tells everyone concerned.
pub async fn update_session(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<SessionPath>,
    Form(form): Form<SessionForm>,
) -> AppResult<Response> {
    let s = own_session(&state, &access, p.session_id).await?;
    // The kind (and so the number) of a session never changes.
    let form = SessionForm { kind: s.kind.clone(), ..form };
    let v = match form.parse() {
        Ok(v) => v,
        Err(errors) => {
            let typed = Typed { form: Some(form), errors, ..Typed::default() };
            return Ok(Html422(manage_page(&state, layout, access, s, typed).await?).into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    // Compare with the row as it is now, locked: a concurrent edit cannot slip past the SEQUENCE or the notice.
    let now = queries::lock_session_time(&mut *tx, s.session_id).await?;
    let time_changed =
        v.starts_at != now.starts_at || v.ends_at != now.ends_at || v.time_confirmed != now.time_confirmed;
    let place_changed = v.place != now.place;
    let before = session_facts(&mut tx, s.session_id).await?;
    queries::update_session(&mut *tx, s.session_id, &row(&v), time_changed).await?;
    save_parts(&mut tx, s.session_id, &v).await?;
    // More seats: the waiting list moves up first, in order, before anyone new can take them.
    let promoted = queries::update_promote_waiting(&mut *tx, s.session_id).await?;
    let link = format!("/reception/{}", s.code());
    notify(&mut *tx, &promoted, None, "notify.reception.promoted", &title(&s), &link).await?;
    let (before, after) = audit::changes(before, session_facts(&mut tx, s.session_id).await?);
    audit_step(&mut *tx, &access, s.session_id, Some(before), after).await?;
    if time_changed || place_changed {
        let audience = queries::audience(&mut *tx, s.session_id).await?;
        let actor = Some(access.viewer.user_id);
        notify(&mut *tx, &audience, actor, "notify.reception.time_changed", &title(&s), &link).await?;
        tell_groups(&mut tx, s.session_id, true).await?;
    }
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/{}", base(&access), s.session_id), "flash.saved", None))
}

/// Tell the department's group robots of a new session, or of its new time or place, as saved in `tx`.
async fn tell_groups(tx: &mut sqlx::PgConnection, session_id: i64, changed: bool) -> sqlx::Result<()> {
    let s = queries::fetch_session(&mut *tx, session_id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let (title, code) = (title(&s), s.code());
    let told = robots::messages::Session {
        title: &title,
        code: &code,
        starts_at: s.starts_at,
        time_confirmed: s.time_confirmed,
        place: &s.place,
        topic: &s.topic,
    };
    let message =
        if changed { robots::messages::reception_changed(&told) } else { robots::messages::reception_announced(&told) };
    robots::announce(&mut *tx, robots::Topic::Reception, Some(s.department_id), &message).await?;
    Ok(())
}

/// Everything an edit of the session can change, read in the edit's transaction (before and after it).
async fn session_facts(tx: &mut sqlx::PgConnection, session_id: i64) -> sqlx::Result<Value> {
    let r = queries::fetch_session(&mut *tx, session_id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let leaders: Vec<String> = queries::list_leaders(&mut *tx, session_id)
        .await?
        .into_iter()
        .map(|l| format!("{} {}", l.name, l.title).trim().to_string())
        .collect();
    let quotas: serde_json::Map<String, Value> =
        queries::list_quotas(&mut *tx, session_id).await?.into_iter().map(|q| (q.college, q.seats.into())).collect();
    Ok(json!({
        "starts_at": r.starts_at, "ends_at": r.ends_at, "time_confirmed": r.time_confirmed, "place": r.place,
        "topic": r.topic, "open_seats": r.open_seats, "signup_opens_at": r.signup_opens_at,
        "signup_closes_at": r.signup_closes_at, "leaders": leaders, "quotas": quotas,
    }))
}

pub async fn close_signup(
    State(state): State<AppState>,
    access: DeptAccess,
    Path(p): Path<SessionPath>,
) -> AppResult<Response> {
    let s = own_session(&state, &access, p.session_id).await?;
    let mut tx = state.db.begin().await?;
    queries::update_signup_closed_early(&mut *tx, s.session_id).await?;
    let before = json!({ "signup_closed_early": s.signup_closed_early_at.is_some() });
    audit_step(&mut *tx, &access, s.session_id, Some(before), json!({ "signup_closed_early": true })).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/{}", base(&access), s.session_id), "flash.reception.signup_closed", None))
}
