//! A commitment made on a complaint's page: by a school office or by this department, with an
//! owner who is reminded; public on the board and on the complaint's timeline
//! (`reception::commitments`, which owns commitments).

use axum::{extract::State, response::Response, Form};

use super::{case_page, case_url, own_complaint};
use crate::{
    app::AppState,
    complaints::{forms::TransitionForm, queries, ComplaintPath},
    error::AppResult,
    reception::{
        commitments::{make_commitment, CommitmentInput, ComplaintCommitmentForm, COMPLAINT_FIELDS},
        queries::NewCommitment,
    },
    web::{context::redirect_with_flash, DeptAccess, FormErrors, Layout, Path},
};

pub async fn add_commitment(
    State(state): State<AppState>,
    layout: Layout,
    access: DeptAccess,
    Path(ComplaintPath { tracking_no }): Path<ComplaintPath>,
    Form(form): Form<ComplaintCommitmentForm>,
) -> AppResult<Response> {
    let c = own_complaint(&state, &access, &tracking_no).await?;
    let offices = queries::list_offices(&state.db).await?;
    let input = CommitmentInput::from(form);
    let mut errors = FormErrors::default();
    let office_ids: Vec<i64> = offices.iter().map(|o| o.office_id).collect();
    let parsed = input.parse(&COMPLAINT_FIELDS, &office_ids, true, &mut errors);
    let typed = TransitionForm { commitment: input, ..TransitionForm::default() };
    let Some(v) = parsed.filter(|_| errors.is_empty()) else {
        return case_page(&state, layout, access, c, errors, typed).await;
    };
    let by = match v.office_id.and_then(|id| offices.iter().find(|o| o.office_id == id)) {
        Some(o) => o.name_zh.clone(),
        None => access.dept.name_zh.clone(),
    };
    let new = NewCommitment {
        minute: None,
        what: &v.what,
        office_id: v.office_id,
        owner_id: v.owner_id,
        due_on: v.due_on,
        complaint_id: Some(c.complaint_id),
        keeper_department_id: access.dept.department_id,
    };
    let timeline = format!("{by}：{}（{}）", v.what, v.due_on);
    let mut tx = state.db.begin().await?;
    if make_commitment(&mut tx, access.viewer.user_id, &new, &timeline).await?.is_none() {
        drop(tx);
        let errors = FormErrors::one(COMPLAINT_FIELDS.owner, "form.commitment.owner");
        return case_page(&state, layout, access, c, errors, typed).await;
    }
    tx.commit().await?;
    state.cached.commitment_records.clear();
    Ok(redirect_with_flash(&case_url(&access, &c.tracking_no), "flash.commitment.made", None))
}
