//! Making a commitment, wherever it is made: in a session's minutes or on a complaint's page;
//! promised by a school office or by the union department that keeps it, with a named owner who
//! is reminded (`reminders.rs`). Updates on it are in `updates`.

pub mod updates;

use chrono::NaiveDate;
use serde_json::json;

use crate::{
    audit::{self, Action},
    error::AppResult,
    notifications::notify,
    reception::queries::{self, NewCommitment},
    web::{forms::filter_day, FormErrors},
};

/// The names of a form's commitment fields: the minutes' own, and a complaint's page's (which
/// has another office field, for forwarding).
pub struct FieldNames {
    pub what: &'static str,
    pub by: &'static str,
    pub owner: &'static str,
    pub due: &'static str,
}

pub const MINUTE_FIELDS: FieldNames =
    FieldNames { what: "commitment", by: "office_id", owner: "owner_id", due: "due_on" };
pub const COMPLAINT_FIELDS: FieldNames =
    FieldNames { what: "commitment", by: "commitment_by", owner: "commitment_owner", due: "commitment_due" };

/// The commitment on a complaint's page, under `COMPLAINT_FIELDS`' names.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct ComplaintCommitmentForm {
    pub commitment: String,
    pub commitment_by: String,
    pub commitment_owner: String,
    pub commitment_due: String,
}

impl From<ComplaintCommitmentForm> for CommitmentInput {
    fn from(f: ComplaintCommitmentForm) -> Self {
        Self {
            commitment: f.commitment,
            office_id: f.commitment_by,
            owner_id: f.commitment_owner,
            due_on: f.commitment_due,
        }
    }
}

/// The commitment part of a form, as typed.
#[derive(Debug, Default, Clone)]
pub struct CommitmentInput {
    pub commitment: String,
    /// A school office's id, or `dept`: the keeper department promises it itself.
    pub office_id: String,
    /// A liaison of the office or a member of the department; empty for all the office's liaisons.
    pub owner_id: String,
    pub due_on: String,
}

pub struct CommitmentValues {
    pub what: String,
    pub office_id: Option<i64>,
    pub owner_id: Option<i64>,
    pub due_on: NaiveDate,
}

impl CommitmentInput {
    /// The commitment, None when none was typed (and it is optional), or errors beside its fields.
    pub fn parse(
        &self,
        names: &FieldNames,
        offices: &[i64],
        required: bool,
        errors: &mut FormErrors,
    ) -> Option<CommitmentValues> {
        let what = errors.take(names.what, crate::web::forms::multi_line(&self.commitment, 500, required));
        if what.is_empty() {
            return None;
        }
        let by_department = self.office_id.trim() == "dept";
        let office = self.office_id.trim().parse::<i64>().ok().filter(|o| offices.contains(o));
        if !by_department && office.is_none() {
            errors.add(names.by, "form.commitment.office");
        }
        let owner = self.owner_id.trim();
        let owner_id = owner.parse::<i64>().ok();
        if owner_id.is_none() && (by_department || !owner.is_empty()) {
            errors.add(names.owner, "form.commitment.owner");
        }
        let due_on = filter_day(&self.due_on);
        if due_on.is_none() {
            errors.add(names.due, "form.date.invalid");
        }
        let due_on = due_on.filter(|_| by_department || office.is_some())?;
        Some(CommitmentValues { what, office_id: office, owner_id, due_on })
    }
}

/// Record a commitment: audited, on its complaint's timeline (`timeline` is the event's text),
/// and told to its owner and to those who asked and voted. None when the owner may not answer
/// for it (the form says so beside the owner field).
pub async fn make_commitment(
    tx: &mut sqlx::PgConnection,
    actor: i64,
    c: &NewCommitment<'_>,
    timeline: &str,
) -> AppResult<Option<i64>> {
    let Some(commitment_id) = queries::insert_commitment(&mut *tx, c).await? else {
        return Ok(None);
    };
    let after = json!({ "what": c.what, "office_id": c.office_id, "owner_id": c.owner_id, "due_on": c.due_on });
    let (id, dept) = (commitment_id.to_string(), Some(c.keeper_department_id));
    audit::record(&mut *tx, Some(actor), dept, Action::CommitmentSave, "commitment", &id, None, Some(after)).await?;
    if let Some(cid) = c.complaint_id {
        crate::reception::on_complaint_timeline(&mut *tx, cid, Some(actor), "commitment", timeline).await?;
    }
    let link = format!("/commitments/{commitment_id}");
    let owner: Vec<i64> = c.owner_id.into_iter().collect();
    notify(&mut *tx, &owner, Some(actor), "notify.commitment.owner", c.what, &link).await?;
    let audience = queries::commitment_audience(&mut *tx, commitment_id).await?;
    notify(&mut *tx, &audience, Some(actor), "notify.reception.commitment", c.what, &link).await?;
    Ok(Some(commitment_id))
}
