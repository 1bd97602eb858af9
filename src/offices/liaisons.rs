//! The presidium's page of office liaisons (`/presidium/offices`): who answers for
//! each school office. A liaison is added by the number of a verified account (a
//! staff member's 工号 after one campus sign-in); the trigger of migration 0026
//! refuses any other, whatever the page checked.

use askama::Template;
use axum::{extract::State, response::Response, Form};
use serde_json::json;

use super::{
    invites::InviteForm,
    queries::{self, invites::PendingInvite, Liaison, Office},
    LiaisonPath,
};
use crate::{
    app::AppState,
    audit::{self, Action},
    error::{AppError, AppResult},
    web::{
        context::{redirect_with_flash, CurrentUser},
        forms::one_line,
        render, FormErrors, Layout, Path,
    },
};

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct LiaisonForm {
    pub office_id: String,
    pub student_no: String,
}

#[derive(Template)]
#[template(path = "offices/liaisons.html")]
struct LiaisonsPage {
    layout: Layout,
    offices: Vec<Office>,
    liaisons: Vec<Liaison>,
    /// Invitations by mail still waiting to be accepted.
    invites: Vec<PendingInvite>,
    /// What was typed and why it was refused (adding by number).
    errors: FormErrors,
    form: LiaisonForm,
    /// The office whose invitation form was refused (0: none), what was typed and why.
    invite_office: i64,
    invite_errors: FormErrors,
    invite_form: InviteForm,
}

impl LiaisonsPage {
    /// The office's pending invitations.
    fn invites_of(&self, office_id: &i64) -> Vec<&PendingInvite> {
        self.invites.iter().filter(|i| i.office_id == *office_id).collect()
    }
}

/// Which of the page's forms came back refused, with what was typed.
pub(super) enum Failed {
    Nothing,
    Add { errors: FormErrors, form: LiaisonForm },
    Invite { office_id: i64, errors: FormErrors, form: InviteForm },
}

pub(super) async fn page(state: &AppState, layout: Layout, failed: Failed) -> AppResult<Response> {
    let offices = queries::list_offices(&state.db).await?;
    let liaisons = queries::list_liaisons(&state.db).await?;
    let invites = queries::invites::list_pending(&state.db).await?;
    let refused = !matches!(failed, Failed::Nothing);
    let (errors, form, invite_office, invite_errors, invite_form) = match failed {
        Failed::Nothing => {
            (FormErrors::default(), LiaisonForm::default(), 0, FormErrors::default(), InviteForm::default())
        }
        Failed::Add { errors, form } => (errors, form, 0, FormErrors::default(), InviteForm::default()),
        Failed::Invite { office_id, errors, form } => {
            (FormErrors::default(), LiaisonForm::default(), office_id, errors, form)
        }
    };
    let page =
        LiaisonsPage { layout, offices, liaisons, invites, errors, form, invite_office, invite_errors, invite_form };
    Ok(crate::web::forms::page_or_422(render(page)?, refused))
}

pub async fn show_liaisons(State(state): State<AppState>, layout: Layout) -> AppResult<Response> {
    page(&state, layout, Failed::Nothing).await
}

pub async fn add_liaison(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(viewer): CurrentUser,
    Form(form): Form<LiaisonForm>,
) -> AppResult<Response> {
    let mut errors = FormErrors::default();
    let office_id = form.office_id.parse::<i64>().unwrap_or(0);
    if !queries::office_exists(&state.db, office_id).await? {
        errors.add("office_id", "form.office.choose");
    }
    let number = errors.take("student_no", one_line(&form.student_no, 32, true));
    let candidate = match errors.is_empty() {
        true => queries::fetch_candidate(&state.db, office_id, &number).await?,
        false => None,
    };
    let refusal = match &candidate {
        _ if !errors.is_empty() => None,
        None => Some("form.liaison.no_account"),
        Some(c) if !c.verified => Some("form.liaison.unverified"),
        Some(c) if c.already => Some("form.liaison.already"),
        Some(_) => None,
    };
    if let Some(key) = refusal {
        errors.add("student_no", key);
    }
    let (Some(user_id), true) = (candidate.map(|c| c.user_id), errors.is_empty()) else {
        return page(&state, layout, Failed::Add { errors, form }).await;
    };
    let mut tx = state.db.begin().await?;
    if !make_liaison(&mut tx, office_id, user_id, Some(viewer.user_id)).await? {
        return Err(AppError::Conflict("error.409.already_done"));
    }
    let after = json!({ "office_id": office_id, "student_no": number });
    let object = format!("{office_id}:{user_id}");
    audit::record(
        &mut *tx,
        Some(viewer.user_id),
        None,
        Action::LiaisonAdd,
        "office_liaison",
        &object,
        None,
        Some(after),
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_with_flash("/presidium/offices", "flash.liaison_added", Some(&number)))
}

pub async fn remove_liaison(
    State(state): State<AppState>,
    CurrentUser(viewer): CurrentUser,
    Path(LiaisonPath { office_id, user_id }): Path<LiaisonPath>,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    if !queries::delete_liaison(&mut *tx, office_id, user_id).await? {
        return Err(AppError::NotFound);
    }
    let object = format!("{office_id}:{user_id}");
    let before = json!({ "office_id": office_id, "user_id": user_id });
    audit::record(
        &mut *tx,
        Some(viewer.user_id),
        None,
        Action::LiaisonRemove,
        "office_liaison",
        &object,
        Some(before),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(redirect_with_flash("/presidium/offices", "flash.liaison_removed", None))
}

/// Make the account a liaison of the office (added by the presidium member, or by whoever sent the
/// invitation it accepted); the new liaison hears of it, with the way to their desk. False when
/// it already was one.
pub(super) async fn make_liaison(
    tx: &mut sqlx::PgConnection,
    office_id: i64,
    user_id: i64,
    added_by: Option<i64>,
) -> AppResult<bool> {
    let added = queries::insert_liaison(&mut *tx, office_id, user_id, added_by.unwrap_or(user_id)).await?;
    if added {
        let desk = "/office";
        crate::notifications::notify(&mut *tx, &[user_id], added_by, "notify.office.liaison_added", "", desk).await?;
    }
    Ok(added)
}
