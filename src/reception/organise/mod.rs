//! The organisers' side (`/d/{dept}/reception`, departments that organise
//! reception days): sessions and their time, delegates, closing sign-up, the
//! agenda, the minutes with their commitments (updates on those are `commitments::updates`).
//! Who may do what is the route groups' (`Desk::Reception` and a role); every
//! session or commitment is read with its department in the SQL.

pub mod agenda;
pub mod delegates;
pub mod minutes;
pub mod sessions;

use askama::Template;
use axum::{
    extract::State,
    response::{Html, Response},
};
use serde_json::{json, Value};

use super::{
    forms::{local_input, DelegateForm, MinuteForm, SessionForm},
    paths::SessionPath,
    queries::{self, AgendaComplaint, Commitment, CommitmentFilter, Delegate, Question, Quota, Session, SignupRow},
};
use crate::{
    app::AppState,
    audit::{self, Action},
    complaints::queries::Office,
    error::{AppError, AppResult},
    lost_found::model::mask_number,
    web::{context::redirect_with_flash, dept_access::Need, render, DeptAccess, DeptRole, FormErrors, Layout, Path},
};

/// This department's session, or 404.
async fn own_session(state: &AppState, access: &DeptAccess, session_id: i64) -> AppResult<Session> {
    queries::fetch_session_of_department(&state.db, session_id, access.dept.department_id)
        .await?
        .ok_or(AppError::NotFound)
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
#[template(path = "reception/organise.html")]
struct ManagePage {
    layout: Layout,
    access: DeptAccess,
    s: Session,
    /// Display flag: the session's own form is the vice-heads' (the route group's rule).
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
    /// The question whose taking-off was refused, and the reason typed.
    off_question_id: i64,
    off_reason: String,
    offices: Vec<Office>,
    /// Who may answer for a commitment made in the minutes.
    owners: Vec<queries::OwnerChoice>,
    minutes: Vec<queries::Minute>,
    commitments: Vec<Commitment>,
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
    off_question_id: i64,
    off_reason: String,
}

async fn manage_page(
    state: &AppState,
    layout: Layout,
    access: DeptAccess,
    s: Session,
    typed: Typed,
) -> AppResult<String> {
    let (id, db) = (s.session_id, &state.db);
    let form = match typed.form {
        Some(f) => f,
        None => saved_form(state, &s).await?,
    };
    let of_session = CommitmentFilter { session_id: Some(id), ..CommitmentFilter::default() };
    render(ManagePage {
        can_edit: access.may(Need::Act(DeptRole::ViceHead)),
        editing_id: s.session_id,
        quotas: queries::list_quotas(db, id).await?,
        delegates: queries::list_delegates(db, id).await?,
        signups: queries::list_signups(db, id).await?,
        questions: queries::list_questions(db, id).await?,
        offices: crate::complaints::queries::list_offices(db).await?,
        owners: queries::list_owner_choices(db, access.dept.department_id).await?,
        minutes: queries::list_minutes(db, id).await?,
        commitments: queries::find_commitments(db, &of_session).await?,
        agenda_complaints: queries::list_agenda_complaints(db, id, access.dept.department_id).await?,
        layout,
        access,
        s,
        form,
        errors: typed.errors,
        delegate_form: typed.delegate_form,
        minute_form: typed.minute_form,
        off_question_id: typed.off_question_id,
        off_reason: typed.off_reason,
    })
}

pub async fn manage_session(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(p): Path<SessionPath>,
) -> AppResult<Html<String>> {
    let s = own_session(&state, &access, p.session_id).await?;
    Ok(Html(manage_page(&state, layout, access, s, Typed::default()).await?))
}
