//! The organisers' side (`/d/{dept}/reception`, departments that organise
//! reception days): sessions and their time, delegates, closing sign-up, the
//! agenda, the minutes with their commitments, and updates on those commitments.

use askama::Template;
use axum::{
    extract::{multipart::Multipart, Path, State},
    response::{Html, IntoResponse, Response},
    Form,
};
use chrono::{Duration, Utc};
use serde_json::{json, Value};

use super::{
    forms::{local_input, DelegateForm, MinuteForm, SessionForm, SessionValues},
    public::title,
    queries::{self, Commitment, CommitmentFilter, Delegate, Question, Quota, Session, SessionFilter, SignupRow},
};
use crate::{
    accounts::forms::StudentNo,
    app::AppState,
    audit::{self, Action},
    complaints::queries::Office,
    error::{AppError, AppResult},
    lost_found::model::mask_number,
    notifications::notify,
    uploads,
    web::{context::redirect_with_flash, forms::one_line, render, DeptAccess, DeptRole, FormErrors, Html422, Layout},
};

fn require_organising(access: &DeptAccess) -> AppResult<()> {
    if access.dept.organises_reception {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// This department's session, or 404.
async fn own_session(state: &AppState, access: &DeptAccess, session_id: &str) -> AppResult<Session> {
    require_organising(access)?;
    let id: i64 = session_id.parse().map_err(|_| AppError::NotFound)?;
    let s = queries::fetch_session(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if s.department_id == access.dept.department_id {
        Ok(s)
    } else {
        Err(AppError::NotFound)
    }
}

fn base(access: &DeptAccess) -> String {
    format!("/d/{}/reception", access.dept.slug)
}

/// Every organiser step is audited against its session.
async fn audit_step(
    db: impl sqlx::PgExecutor<'_>,
    access: &DeptAccess,
    session_id: i64,
    before: Option<Value>,
    after: Value,
) -> sqlx::Result<()> {
    let actor = Some(access.viewer.user_id);
    let dept = Some(access.dept.department_id);
    let id = session_id.to_string();
    audit::record(db, actor, dept, Action::SessionSave, "reception_session", &id, before, Some(after)).await
}

/// A change of this session's made in `tx`: its audit entry in the same transaction, commit, back to the page.
async fn session_row_changed(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    access: &DeptAccess,
    s: &Session,
    (before, after): (Option<Value>, Value),
    anchor: &str,
) -> AppResult<Response> {
    audit_step(&mut *tx, access, s.session_id, before, after).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/{}#{anchor}", base(access), s.session_id), "flash.saved", None))
}

/// A delegate as the trail names them: the student number masked (personal data), the name and college.
fn delegate_facts(student_no: &str, name: &str, college: &str) -> Value {
    json!({ "student_no": mask_number(student_no), "name": name, "college": college })
}

#[derive(Template)]
#[template(path = "reception/organise_list.html")]
struct ListPage {
    layout: Layout,
    access: DeptAccess,
    sessions: Vec<Session>,
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
    let can_edit = access.is_at_least(DeptRole::ViceHead);
    render(ListPage { layout, access, sessions, can_edit, editing_id: 0, form, errors })
}

pub async fn list_sessions(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
) -> AppResult<Html<String>> {
    require_organising(&access)?;
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

/// Leaders and college seats are replaced as a whole with each save.
async fn save_parts(tx: &mut sqlx::PgConnection, session_id: i64, v: &SessionValues) -> sqlx::Result<()> {
    sqlx::query!("delete from reception_leader where session_id = $1", session_id).execute(&mut *tx).await?;
    for (i, (name, title)) in v.leaders.iter().enumerate() {
        sqlx::query!(
            "insert into reception_leader (session_id, position, name, title) values ($1, $2, $3, $4)",
            session_id,
            i as i16,
            name,
            title
        )
        .execute(&mut *tx)
        .await?;
    }
    // Quotas with delegates already entered stay (their seats may change); others go.
    let colleges: Vec<String> = v.quotas.iter().map(|q| q.0.clone()).collect();
    sqlx::query!(
        "delete from reception_quota q where session_id = $1 and not (college = any($2))
         and not exists (select 1 from reception_delegate d where d.session_id = q.session_id and d.college = q.college)",
        session_id,
        &colleges
    )
    .execute(&mut *tx)
    .await?;
    for (college, seats) in &v.quotas {
        sqlx::query!(
            "insert into reception_quota (session_id, college, seats) values ($1, $2, $3)
             on conflict (session_id, college) do update set seats = excluded.seats",
            session_id,
            college,
            seats
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

pub async fn create_session(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Form(form): Form<SessionForm>,
) -> AppResult<Response> {
    require_organising(&access)?;
    let v = match form.parse() {
        Ok(v) => v,
        Err(errors) => return Ok(Html422(list_page(&state, layout, access, form, errors).await?).into_response()),
    };
    let mut tx = state.db.begin().await?;
    // The next number of its kind, atomically: two organisers never share one.
    let number = sqlx::query_scalar!(
        "update reception_kind set last_number = last_number + 1 where kind = $1 returning last_number",
        v.kind
    )
    .fetch_one(&mut *tx)
    .await?;
    let session_id = sqlx::query_scalar!(
        "insert into reception_session (kind, number, department_id, starts_at, ends_at, time_confirmed, place, topic,
                                        open_seats, signup_opens_at, signup_closes_at, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning session_id",
        v.kind,
        number,
        access.dept.department_id,
        v.starts_at,
        v.ends_at,
        v.time_confirmed,
        v.place,
        v.topic,
        v.open_seats,
        v.signup_opens_at,
        v.signup_closes_at,
        access.viewer.user_id
    )
    .fetch_one(&mut *tx)
    .await?;
    save_parts(&mut tx, session_id, &v).await?;
    let after = json!({ "kind": v.kind, "number": number, "starts_at": v.starts_at, "place": v.place });
    let actor = Some(access.viewer.user_id);
    let dept = Some(access.dept.department_id);
    audit::record(
        &mut *tx,
        actor,
        dept,
        Action::SessionSave,
        "reception_session",
        &session_id.to_string(),
        None,
        Some(after),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_with_flash(
        &format!("{}/{session_id}", base(&access)),
        "flash.reception.created",
        Some(&number.to_string()),
    ))
}

#[derive(Template)]
#[template(path = "reception/organise.html")]
struct ManagePage {
    layout: Layout,
    access: DeptAccess,
    s: Session,
    can_edit: bool,
    editing_id: i64,
    form: SessionForm,
    errors: FormErrors,
    quotas: Vec<Quota>,
    delegates: Vec<Delegate>,
    delegate_form: DelegateForm,
    signups: Vec<SignupRow>,
    questions: Vec<Question>,
    agenda_complaints: Vec<AgendaComplaint>,
    minute_form: MinuteForm,
    offices: Vec<Office>,
    minutes: Vec<queries::Minute>,
    commitments: Vec<Commitment>,
}

pub struct AgendaComplaint {
    pub complaint_id: i64,
    pub tracking_no: String,
    pub title: String,
    pub supporters: i64,
}

/// The session's form as saved.
async fn saved_form(state: &AppState, s: &Session) -> AppResult<SessionForm> {
    let leaders = queries::list_leaders(&state.db, s.session_id).await?;
    let quotas = queries::list_quotas(&state.db, s.session_id).await?;
    Ok(SessionForm {
        kind: s.kind.clone(),
        starts_at: local_input(&s.starts_at),
        ends_at: local_input(&s.ends_at),
        time_confirmed: s.time_confirmed.then(|| "on".into()),
        place: s.place.clone(),
        topic: s.topic.clone(),
        leaders: leaders.iter().map(|l| format!("{} {}", l.name, l.title)).collect::<Vec<_>>().join("\n"),
        quotas: quotas.iter().map(|q| format!("{} {}", q.college, q.seats)).collect::<Vec<_>>().join("\n"),
        open_seats: s.open_seats.to_string(),
        signup_opens_at: local_input(&s.signup_opens_at),
        signup_closes_at: local_input(&s.signup_closes_at),
    })
}

/// What a failed form brings back to the page; everything else shows as saved.
#[derive(Default)]
struct Typed {
    form: Option<SessionForm>,
    delegate_form: DelegateForm,
    minute_form: MinuteForm,
    errors: FormErrors,
}

async fn manage_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    s: Session,
    typed: Typed,
) -> AppResult<String> {
    let id = s.session_id;
    let form = match typed.form {
        Some(f) => f,
        None => saved_form(state, &s).await?,
    };
    let agenda_complaints = sqlx::query_as!(
        AgendaComplaint,
        r#"select c.complaint_id, c.tracking_no, c.title,
                  (select count(*) from complaint_support p where p.complaint_id = c.complaint_id) as "supporters!"
           from complaint c where c.on_reception_agenda and c.merged_into_id is null
             and (c.is_public or c.department_id = $2)
             and not exists (select 1 from reception_question q where q.session_id = $1 and q.complaint_id = c.complaint_id)
           order by 4 desc, c.complaint_id limit 50"#,
        id,
        access.dept.department_id
    )
    .fetch_all(&state.db)
    .await?;
    render(ManagePage {
        can_edit: access.is_at_least(DeptRole::ViceHead),
        editing_id: s.session_id,
        quotas: queries::list_quotas(&state.db, id).await?,
        delegates: queries::list_delegates(&state.db, id).await?,
        signups: queries::list_signups(&state.db, id).await?,
        questions: queries::list_questions(&state.db, id).await?,
        offices: crate::complaints::queries::list_offices(&state.db).await?,
        minutes: queries::list_minutes(&state.db, id).await?,
        commitments: queries::find_commitments(
            &state.db,
            &CommitmentFilter { session_id: Some(id), ..CommitmentFilter::default() },
        )
        .await?,
        agenda_complaints,
        layout,
        access,
        s,
        form,
        errors: typed.errors,
        delegate_form: typed.delegate_form,
        minute_form: typed.minute_form,
    })
}

pub async fn manage_session(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path((_, session_id)): Path<(String, String)>,
) -> AppResult<Html<String>> {
    let s = own_session(&state, &access, &session_id).await?;
    Ok(Html(manage_page(&state, layout, access, s, Typed::default()).await?))
}

/// Change the details; a changed or confirmed time bumps the calendar SEQUENCE and tells everyone concerned.
pub async fn update_session(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path((_, session_id)): Path<(String, String)>,
    Form(form): Form<SessionForm>,
) -> AppResult<Response> {
    let s = own_session(&state, &access, &session_id).await?;
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
    let now = sqlx::query!(
        "select starts_at, ends_at, time_confirmed, place from reception_session where session_id = $1 for update",
        s.session_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let time_changed =
        v.starts_at != now.starts_at || v.ends_at != now.ends_at || v.time_confirmed != now.time_confirmed;
    let place_changed = v.place != now.place;
    let before = session_facts(&mut tx, s.session_id).await?;
    sqlx::query!(
        "update reception_session set starts_at = $2, ends_at = $3, time_confirmed = $4, place = $5, topic = $6,
                open_seats = $7, signup_opens_at = $8, signup_closes_at = $9,
                sequence = sequence + case when $10 or place <> $5 then 1 else 0 end, updated_at = now()
         where session_id = $1",
        s.session_id,
        v.starts_at,
        v.ends_at,
        v.time_confirmed,
        v.place,
        v.topic,
        v.open_seats,
        v.signup_opens_at,
        v.signup_closes_at,
        time_changed
    )
    .execute(&mut *tx)
    .await?;
    save_parts(&mut tx, s.session_id, &v).await?;
    // More seats: the waiting list moves up first, in order, before anyone new can take them.
    let promoted = super::seats::fill_open_seats(&mut tx, s.session_id).await?;
    let link = format!("/reception/{}", s.code());
    notify(&mut *tx, &promoted, None, "notify.reception.promoted", &title(&s), &link).await?;
    let (before, after) = audit::changes(before, session_facts(&mut tx, s.session_id).await?);
    let actor = Some(access.viewer.user_id);
    let dept = Some(access.dept.department_id);
    let id = s.session_id.to_string();
    audit::record(&mut *tx, actor, dept, Action::SessionSave, "reception_session", &id, Some(before), Some(after))
        .await?;
    if time_changed || place_changed {
        let audience = queries::audience(&mut *tx, s.session_id).await?;
        notify(&mut *tx, &audience, actor, "notify.reception.time_changed", &title(&s), &link).await?;
    }
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/{}", base(&access), s.session_id), "flash.saved", None))
}

/// Everything an edit of the session can change, read in the edit's transaction (before and after it).
async fn session_facts(tx: &mut sqlx::PgConnection, session_id: i64) -> sqlx::Result<Value> {
    let r = sqlx::query!(
        "select starts_at, ends_at, time_confirmed, place, topic, open_seats, signup_opens_at, signup_closes_at
         from reception_session where session_id = $1",
        session_id
    )
    .fetch_one(&mut *tx)
    .await?;
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
    Path((_, session_id)): Path<(String, String)>,
) -> AppResult<Response> {
    let s = own_session(&state, &access, &session_id).await?;
    let mut tx = state.db.begin().await?;
    sqlx::query!(
        "update reception_session set signup_closed_early_at = coalesce(signup_closed_early_at, now()), updated_at = now()
         where session_id = $1",
        s.session_id
    )
    .execute(&mut *tx)
    .await?;
    let before = json!({ "signup_closed_early": s.signup_closed_early_at.is_some() });
    audit_step(&mut *tx, &access, s.session_id, Some(before), json!({ "signup_closed_early": true })).await?;
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/{}", base(&access), s.session_id), "flash.reception.signup_closed", None))
}

pub async fn add_delegate(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path((_, session_id)): Path<(String, String)>,
    Form(form): Form<DelegateForm>,
) -> AppResult<Response> {
    let s = own_session(&state, &access, &session_id).await?;
    let mut errors = FormErrors::default();
    let student_no =
        errors.take("delegate_student_no", StudentNo::parse(&form.student_no).map(|n| n.as_str().to_string()));
    let name = errors.take("delegate_name", one_line(&form.name, 50, true));
    let college = errors.take("delegate_college", one_line(&form.college, 40, true));
    let mut tx = state.db.begin().await?;
    // Lock the session: two organisers cannot fill the same last seat twice.
    sqlx::query_scalar!("select session_id from reception_session where session_id = $1 for update", s.session_id)
        .fetch_one(&mut *tx)
        .await?;
    let quota = sqlx::query!(
        r#"select q.seats, (select count(*) from reception_delegate d where d.session_id = q.session_id and d.college = q.college) as "filled!"
           from reception_quota q where q.session_id = $1 and q.college = $2"#,
        s.session_id,
        college
    )
    .fetch_optional(&mut *tx)
    .await?;
    match quota {
        None if college.is_empty() => {}
        None => errors.add("delegate_college", "form.reception.choose_college"),
        Some(q) if q.filled >= i64::from(q.seats) => errors.add("delegate_college", "form.reception.college_full"),
        Some(_) => {}
    }
    if errors.is_empty() {
        let user_id = crate::lost_found::queries::user_by_student_no(&mut *tx, &student_no).await?.map(|u| u.0);
        let inserted = sqlx::query!(
            "insert into reception_delegate (session_id, college, student_no, name, user_id) values ($1, $2, $3, $4, $5)
             on conflict (session_id, student_no) do nothing",
            s.session_id,
            college,
            student_no,
            name,
            user_id
        )
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            errors.add("delegate_student_no", "form.reception.delegate_twice");
        } else {
            let after = json!({ "delegate_added": delegate_facts(&student_no, &name, &college) });
            audit_step(&mut *tx, &access, s.session_id, None, after).await?;
        }
    }
    if !errors.is_empty() {
        drop(tx);
        let typed = Typed { delegate_form: form, errors, ..Typed::default() };
        return Ok(Html422(manage_page(&state, layout, access, s, typed).await?).into_response());
    }
    tx.commit().await?;
    Ok(redirect_with_flash(&format!("{}/{}#delegates", base(&access), s.session_id), "flash.saved", None))
}

pub async fn remove_delegate(
    State(state): State<AppState>,
    access: DeptAccess,
    Path((_, session_id, delegate_id)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let s = own_session(&state, &access, &session_id).await?;
    let delegate_id: i64 = delegate_id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    let removed = sqlx::query!(
        "delete from reception_delegate where delegate_id = $1 and session_id = $2 returning student_no, name, college",
        delegate_id,
        s.session_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let before = json!({ "delegate": delegate_facts(&removed.student_no, &removed.name, &removed.college) });
    let after = json!({ "delegate_removed": delegate_id });
    session_row_changed(tx, &access, &s, (Some(before), after), "delegates").await
}

/// Put a question on the agenda or take it off.
pub async fn toggle_agenda(
    State(state): State<AppState>,
    access: DeptAccess,
    Path((_, session_id, question_id)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let s = own_session(&state, &access, &session_id).await?;
    let question_id: i64 = question_id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    let on_agenda = sqlx::query_scalar!(
        "update reception_question set on_agenda = not on_agenda where question_id = $1 and session_id = $2
         returning on_agenda",
        question_id,
        s.session_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let before = json!({ "question_id": question_id, "on_agenda": !on_agenda });
    let after = json!({ "question_id": question_id, "on_agenda": on_agenda });
    session_row_changed(tx, &access, &s, (Some(before), after), "questions").await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct AgendaComplaintForm {
    complaint_id: String,
}

/// A complaint marked for the agenda becomes a question of this session, raised by its reporter
/// (anonymously: the complaint speaks for itself), so they hear of every update on what is promised.
/// A private complaint's title stays private: the public sees that a private complaint is on the agenda.
pub async fn add_complaint_to_agenda(
    State(state): State<AppState>,
    access: DeptAccess,
    Path((_, session_id)): Path<(String, String)>,
    Form(form): Form<AgendaComplaintForm>,
) -> AppResult<Response> {
    let s = own_session(&state, &access, &session_id).await?;
    let complaint_id: i64 = form.complaint_id.parse().map_err(|_| AppError::NotFound)?;
    // Another department's private complaint is not found (not "already done"): the answer
    // must not tell which ids are complaints on the agenda.
    let offered = sqlx::query_scalar!(
        r#"select exists(select 1 from complaint c where c.complaint_id = $1 and c.on_reception_agenda
                         and (c.is_public or c.department_id = $2)) as "offered!""#,
        complaint_id,
        access.dept.department_id
    )
    .fetch_one(&state.db)
    .await?;
    if !offered {
        return Err(AppError::NotFound);
    }
    let mut tx = state.db.begin().await?;
    let question_id = sqlx::query_scalar!(
        "insert into reception_question (session_id, author_id, body, is_anonymous, complaint_id, on_agenda)
         select $1, c.reporter_id, case when c.is_public then c.title else '（一件不公开的投诉）' end, true, c.complaint_id, true
         from complaint c
         where c.complaint_id = $2 and c.on_reception_agenda and (c.is_public or c.department_id = $3)
           and not exists (select 1 from reception_question q where q.session_id = $1 and q.complaint_id = c.complaint_id)
         returning question_id",
        s.session_id,
        complaint_id,
        access.dept.department_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::Conflict("error.409.already_done"))?;
    let after = json!({ "agenda_complaint": complaint_id, "question_id": question_id, "on_agenda": true });
    session_row_changed(tx, &access, &s, (None, after), "questions").await
}

/// Record one question raised at the session, its answer, and any commitment.
pub async fn add_minute(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path((_, session_id)): Path<(String, String)>,
    Form(form): Form<MinuteForm>,
) -> AppResult<Response> {
    let s = own_session(&state, &access, &session_id).await?;
    let offices: Vec<i64> =
        crate::complaints::queries::list_offices(&state.db).await?.iter().map(|o| o.office_id).collect();
    let mut parsed = form.parse(&offices);
    // A submitted question brings its text, its asker and its complaint.
    let question = match parsed.as_ref().ok().and_then(|v| v.question_id) {
        Some(qid) => {
            let q = sqlx::query!(
                "select q.body, q.is_anonymous, q.complaint_id, u.name from reception_question q
                 join app_user u on u.user_id = q.author_id where q.question_id = $1 and q.session_id = $2",
                qid,
                s.session_id
            )
            .fetch_optional(&state.db)
            .await?;
            if q.is_none() {
                let mut errors = FormErrors::default();
                errors.add("question_id", "form.reception.choose_question");
                parsed = Err(errors);
            }
            q
        }
        None => None,
    };
    let v = match parsed {
        Ok(v) => v,
        Err(errors) => {
            let typed = Typed { minute_form: form, errors, ..Typed::default() };
            return Ok(Html422(manage_page(&state, layout, access, s, typed).await?).into_response());
        }
    };
    let (question_text, asked_by, complaint_id) = match &question {
        Some(q) => (
            if v.question.is_empty() { q.body.clone() } else { v.question.clone() },
            if q.is_anonymous { String::new() } else { q.name.clone() },
            q.complaint_id,
        ),
        None => (v.question.clone(), v.asked_by.clone(), None),
    };
    let mut tx = state.db.begin().await?;
    let minute_id = sqlx::query_scalar!(
        "insert into reception_minute (session_id, question_id, asked_by, question, answered_by, answer, recorded_by)
         values ($1, $2, $3, $4, $5, $6, $7) returning minute_id",
        s.session_id,
        v.question_id,
        asked_by,
        question_text,
        v.answered_by,
        v.answer,
        access.viewer.user_id
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!("update reception_session set minutes_updated_at = now() where session_id = $1", s.session_id)
        .execute(&mut *tx)
        .await?;
    let after =
        json!({ "minute": minute_id, "question": audit::clip(&question_text), "answer": audit::clip(&v.answer) });
    audit_step(&mut *tx, &access, s.session_id, None, after).await?;
    if let Some((what, office_id, due_on)) = &v.commitment {
        let commitment_id = sqlx::query_scalar!(
            "insert into commitment (minute_id, session_id, what, office_id, due_on, complaint_id)
             values ($1, $2, $3, $4, $5, $6) returning commitment_id",
            minute_id,
            s.session_id,
            what,
            office_id,
            due_on,
            complaint_id
        )
        .fetch_one(&mut *tx)
        .await?;
        let after = json!({ "what": what, "office_id": office_id, "due_on": due_on });
        let actor = Some(access.viewer.user_id);
        let id = commitment_id.to_string();
        audit::record(
            &mut *tx,
            actor,
            Some(access.dept.department_id),
            Action::CommitmentSave,
            "commitment",
            &id,
            None,
            Some(after),
        )
        .await?;
        if let Some(cid) = complaint_id {
            let body = format!("{}：{what}（{}）", title(&s), due_on);
            super::on_complaint_timeline(&mut tx, cid, actor, "commitment", &body).await?;
        }
        let audience = queries::commitment_audience(&mut *tx, commitment_id).await?;
        let link = format!("/commitments/{commitment_id}");
        notify(&mut *tx, &audience, actor, "notify.reception.commitment", what, &link).await?;
    }
    tx.commit().await?;
    Ok(redirect_with_flash(
        &format!("{}/{}#minutes", base(&access), s.session_id),
        "flash.reception.minute_saved",
        None,
    ))
}

/// A dated update on a commitment, with optional photo evidence (multipart).
pub async fn update_commitment(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path((_, commitment_id)): Path<(String, String)>,
    multipart: Multipart,
) -> AppResult<Response> {
    require_organising(&access)?;
    let id: i64 = commitment_id.parse().map_err(|_| AppError::NotFound)?;
    let c = queries::fetch_commitment(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if c.dept_slug != access.dept.slug {
        return Err(AppError::NotFound);
    }
    let (fields, photos) = match uploads::read_multipart(multipart, "photo").await {
        Ok(read) => read,
        Err(rejection) => return Ok(rejection),
    };
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let (raw_body, status) = (field("body"), field("status"));
    let mut errors = FormErrors::default();
    let body = errors.take("body", crate::web::forms::multi_line(&raw_body, 2000, true));
    if !matches!(status.as_str(), "pending" | "in_progress" | "done") {
        errors.add("status", "form.reception.choose_status");
    }
    if let Err(refused) = state.limits.photos.check(&access.viewer.user_id, photos.len() as u32) {
        errors.add("photo", "form.rate_limited");
        let page = super::public::commitment_page(&state, layout, c, errors, (raw_body, status)).await?;
        return Ok(crate::web::limits::too_many(page, refused));
    }
    let processed = uploads::process_all(photos, 1).await.map_err(AppError::Internal)?;
    let photo = match processed {
        Ok(p) => p,
        Err(key) => {
            errors.add("photo", key);
            vec![]
        }
    };
    if !errors.is_empty() {
        return Ok(Html422(super::public::commitment_page(&state, layout, c, errors, (raw_body, status)).await?)
            .into_response());
    }
    let data_dir = &state.config.data_dir;
    let stored = uploads::store_all(data_dir, &photo).await.map_err(|e| AppError::Internal(e.into()))?;
    let result = record_update(&state, &access, &c, &body, &status, stored.first()).await;
    if result.is_err() {
        uploads::remove_all(data_dir, &stored).await;
    }
    result?;
    Ok(redirect_with_flash(&format!("/commitments/{id}"), "flash.reception.update_saved", None))
}

async fn record_update(
    state: &AppState,
    access: &DeptAccess,
    c: &Commitment,
    body: &str,
    status: &str,
    photo: Option<&uploads::StoredPhoto>,
) -> AppResult<()> {
    let mut tx = state.db.begin().await?;
    let actor = Some(access.viewer.user_id);
    sqlx::query!(
        "insert into commitment_update (commitment_id, author_id, body, status_after, photo_name, thumb_name)
         values ($1, $2, $3, $4, $5, $6)",
        c.commitment_id,
        access.viewer.user_id,
        body,
        status,
        photo.map(|p| p.0.as_str()),
        photo.map(|p| p.1.as_str())
    )
    .execute(&mut *tx)
    .await?;
    // The day it was done is the day it was first reported done.
    sqlx::query!(
        "update commitment set status = $2, updated_at = now(),
                done_on = case when $2 = 'done' then coalesce(done_on, (now() at time zone 'Asia/Shanghai')::date) end
         where commitment_id = $1",
        c.commitment_id,
        status
    )
    .execute(&mut *tx)
    .await?;
    let before = Some(json!({ "status": c.status }));
    let after = Some(json!({ "status": status, "body": body }));
    let id = c.commitment_id.to_string();
    audit::record(
        &mut *tx,
        actor,
        Some(access.dept.department_id),
        Action::CommitmentSave,
        "commitment",
        &id,
        before,
        after,
    )
    .await?;
    let complaint_id =
        sqlx::query_scalar!("select complaint_id from commitment where commitment_id = $1", c.commitment_id)
            .fetch_one(&mut *tx)
            .await?;
    if let Some(cid) = complaint_id {
        super::on_complaint_timeline(&mut tx, cid, actor, "commitment_update", &format!("{}：{body}", c.what)).await?;
    }
    let audience = queries::commitment_audience(&mut *tx, c.commitment_id).await?;
    let link = format!("/commitments/{}", c.commitment_id);
    notify(&mut *tx, &audience, actor, "notify.reception.commitment_update", &c.what, &link).await?;
    tx.commit().await?;
    Ok(())
}
