//! The words of plans: the workflow and who may take each step, and an action's outcome.
//! A plan as text (Markdown, snapshots, diffs, the seed's prose) is `plans::text`'s.

use chrono::NaiveDate;

pub use super::text::{diff, render_markdown, to_markdown, DiffLine, Snapshot, SnapshotAction};

/// Who takes a workflow step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Head,
    Presidium,
}

/// Where a plan is in its workflow (`plan.status`, text in the database; the
/// catalogue's `plan.status.*` names it, the trail records `as_str`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, serde::Serialize)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Draft,
    Submitted,
    Approved,
    Returned,
    InProgress,
    Reviewed,
}

impl PlanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Submitted => "submitted",
            PlanStatus::Approved => "approved",
            PlanStatus::Returned => "returned",
            PlanStatus::InProgress => "in_progress",
            PlanStatus::Reviewed => "reviewed",
        }
    }

    /// A plan may be made public once approved.
    pub fn publishable(self) -> bool {
        matches!(self, PlanStatus::Approved | PlanStatus::InProgress | PlanStatus::Reviewed)
    }
}

impl std::fmt::Display for PlanStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The workflow: (step, from, to, who). Anything else is refused.
pub const STEPS: &[(&str, &[PlanStatus], PlanStatus, Actor)] = {
    use PlanStatus::*;
    &[
        ("submit", &[Draft, Returned], Submitted, Actor::Head),
        ("approve", &[Submitted], Approved, Actor::Presidium),
        ("return", &[Submitted], Returned, Actor::Presidium),
        ("start", &[Approved], InProgress, Actor::Head),
        ("review", &[InProgress], Reviewed, Actor::Head),
    ]
};

/// The step's target status and who takes it, if `step` may be taken from `from`.
pub fn step(step: &str, from: PlanStatus) -> Option<(PlanStatus, Actor)> {
    STEPS.iter().find(|(s, froms, ..)| *s == step && froms.contains(&from)).map(|(_, _, to, who)| (*to, *who))
}

/// The plan's goals and actions can be edited (by heads and vice heads) in these states.
pub fn content_editable(status: PlanStatus) -> bool {
    use PlanStatus::*;
    matches!(status, Draft | Returned | Approved | InProgress)
}

/// Members report progress on their actions once the plan is approved.
pub fn progress_open(status: PlanStatus) -> bool {
    matches!(status, PlanStatus::Approved | PlanStatus::InProgress)
}

pub const ACTION_STATUSES: [&str; 4] = ["not_started", "in_progress", "done", "dropped"];

/// An action's outcome at review: done (on time or late), dropped, or still open.
pub fn outcome(status: &str, due_on: Option<NaiveDate>, done_on: Option<NaiveDate>) -> &'static str {
    match status {
        "done" if due_on.zip(done_on).is_some_and(|(due, done)| done > due) => "late",
        "done" => "done",
        "dropped" => "dropped",
        _ => "open",
    }
}

/// Markdown to HTML with nothing active left: no scripts, event attributes or `javascript:` links.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_statuses_are_the_migrations_words() {
        use PlanStatus::*;
        let migration = include_str!("../../migrations/0011_plans.sql");
        for status in [Draft, Submitted, Approved, Returned, InProgress, Reviewed] {
            assert!(migration.contains(&format!("'{status}'")), "{status}");
            assert_eq!(serde_json::json!(status), serde_json::json!(status.as_str()), "the trail records the word");
        }
    }

    #[test]
    fn each_step_has_its_states_and_its_actor() {
        assert_eq!(step("submit", PlanStatus::Draft), Some((PlanStatus::Submitted, Actor::Head)));
        assert_eq!(step("submit", PlanStatus::Returned), Some((PlanStatus::Submitted, Actor::Head)));
        assert_eq!(step("approve", PlanStatus::Submitted), Some((PlanStatus::Approved, Actor::Presidium)));
        assert_eq!(step("approve", PlanStatus::Draft), None, "only a submitted plan is approved");
        assert_eq!(step("review", PlanStatus::Approved), None, "it must be under way first");
        assert_eq!(step("start", PlanStatus::Approved), Some((PlanStatus::InProgress, Actor::Head)));
    }

    #[test]
    fn outcomes_are_decided_by_the_day_it_was_done() {
        let due: NaiveDate = "2026-12-01".parse().unwrap();
        assert_eq!(outcome("done", Some(due), Some(due)), "done");
        assert_eq!(outcome("done", Some(due), due.succ_opt()), "late");
        assert_eq!(outcome("dropped", Some(due), None), "dropped");
        assert_eq!(outcome("in_progress", Some(due), None), "open");
    }
}
