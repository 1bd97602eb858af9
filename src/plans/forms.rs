//! The plan editor's forms. One shape serves every form of the page, so a form
//! that fails (bad input or a conflict) comes back whole, with what was typed.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::web::{
    forms::{multi_line, one_line},
    FormErrors,
};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct EditForm {
    /// The version of the thing edited, as the page showed it.
    pub version: String,
    /// The plan's version when the page was loaded: what changed since is shown on a conflict.
    pub base: String,
    pub title: String,
    pub description: String,
    pub period: String,
    pub review_achievements: String,
    pub review_shortcomings: String,
    pub owner: String,
    pub due_on: String,
    pub status: String,
    pub progress: String,
    pub notes: String,
    pub comment: String,
    pub done_on: String,
    /// `up` or `down`.
    pub direction: String,
    /// The plan to carry unfinished actions over from, when starting a new period.
    pub from: String,
}

impl EditForm {
    pub fn version(&self) -> i32 {
        self.version.trim().parse().unwrap_or(-1)
    }
    pub fn base(&self) -> Option<i32> {
        self.base.trim().parse().ok()
    }
}

pub struct HeaderValues {
    pub title: String,
    pub period: String,
    pub achievements: String,
    pub shortcomings: String,
}

pub fn header(f: &EditForm) -> Result<HeaderValues, FormErrors> {
    let mut errors = FormErrors::default();
    let title = errors.take("title", one_line(&f.title, 80, true));
    let period = errors.take("period", one_line(&f.period, 40, true));
    let achievements = errors.take("review_achievements", multi_line(&f.review_achievements, 20_000, false));
    let shortcomings = errors.take("review_shortcomings", multi_line(&f.review_shortcomings, 20_000, false));
    errors.into_result(HeaderValues { title, period, achievements, shortcomings })
}

pub fn goal(f: &EditForm) -> Result<(String, String), FormErrors> {
    let mut errors = FormErrors::default();
    let title = errors.take("title", one_line(&f.title, 80, true));
    let description = errors.take("description", multi_line(&f.description, 20_000, false));
    errors.into_result((title, description))
}

pub struct ActionValues {
    pub title: String,
    pub owner_id: Option<i64>,
    pub due_on: Option<NaiveDate>,
}

/// `members` are the department's members: an action's owner is one of them, or stays
/// who it was (a member of an earlier term, on a carried-over action).
pub fn action(f: &EditForm, members: &[(i64, String)], current: Option<i64>) -> Result<ActionValues, FormErrors> {
    let mut errors = FormErrors::default();
    let title = errors.take("title", one_line(&f.title, 200, true));
    let owner_id = match f.owner.trim() {
        "" => None,
        raw => {
            let id = raw.parse::<i64>().ok().filter(|id| members.iter().any(|(m, _)| m == id) || current == Some(*id));
            if id.is_none() {
                errors.add("owner", "form.plan.owner");
            }
            id
        }
    };
    let due_on = match f.due_on.trim() {
        "" => None,
        raw => {
            let day = crate::web::forms::filter_day(raw);
            if day.is_none() {
                errors.add("due_on", "form.date.invalid");
            }
            day
        }
    };
    errors.into_result(ActionValues { title, owner_id, due_on })
}

pub struct ProgressValues {
    pub status: String,
    pub progress: i16,
    pub notes: String,
    /// When it was actually done, if the form says (recorded at term end, it is rarely today).
    pub done_on: Option<NaiveDate>,
}

pub fn progress(f: &EditForm) -> Result<ProgressValues, FormErrors> {
    let mut errors = FormErrors::default();
    if !super::model::ACTION_STATUSES.contains(&f.status.as_str()) {
        errors.add("status", "form.plan.status");
    }
    let progress = match f.progress.trim().trim_end_matches('%').parse::<i16>() {
        Ok(p) if (0..=100).contains(&p) => p,
        _ => {
            errors.add("progress", "form.plan.progress");
            0
        }
    };
    let notes = errors.take("notes", multi_line(&f.notes, 5_000, false));
    let done_on = match f.done_on.trim() {
        "" => None,
        raw => match crate::web::forms::past_day(raw) {
            Ok(d) => Some(d),
            Err(key) => {
                errors.add("done_on", key);
                None
            }
        },
    };
    // Done is done: 100%.
    let progress = if f.status == "done" { 100 } else { progress };
    errors.into_result(ProgressValues { status: f.status.clone(), progress, notes, done_on })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_a_percentage_and_done_is_complete() {
        let f = EditForm { status: "done".into(), progress: "40%".into(), ..EditForm::default() };
        assert_eq!(progress(&f).expect("valid").progress, 100);
        let f = EditForm { status: "finished".into(), progress: "140".into(), ..EditForm::default() };
        let errors = progress(&f).err().expect("invalid");
        assert_eq!(
            (errors.get("status"), errors.get("progress")),
            (Some("form.plan.status"), Some("form.plan.progress"))
        );
    }

    #[test]
    fn an_action_owner_must_be_a_member() {
        let members = vec![(7, "李明哲".to_string())];
        let f =
            EditForm { title: "招新".into(), owner: "8".into(), due_on: "2027-01-15".into(), ..EditForm::default() };
        assert_eq!(action(&f, &members, None).err().expect("invalid").get("owner"), Some("form.plan.owner"));
        assert_eq!(action(&f, &members, Some(8)).expect("a former member stays").owner_id, Some(8));
        let f = EditForm { owner: "7".into(), ..f };
        assert_eq!(action(&f, &members, None).expect("valid").owner_id, Some(7));
    }
}
