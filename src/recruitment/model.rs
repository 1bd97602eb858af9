//! The stages of an application and what each allows.

/// Stages a student sees, in the catalogue as `recruitment.status.<status>`.
pub const STATUSES: [&str; 8] =
    ["applied", "offered", "waitlisted", "declined", "accepted", "released", "expired", "withdrawn"];

/// What a department may decide on an application: an offer, its waiting list, or no.
pub const DECISIONS: [&str; 3] = ["offered", "waitlisted", "declined"];

pub fn status_key(status: &str) -> &'static str {
    match status {
        "applied" => "recruitment.status.applied",
        "offered" => "recruitment.status.offered",
        "waitlisted" => "recruitment.status.waitlisted",
        "declined" => "recruitment.status.declined",
        "accepted" => "recruitment.status.accepted",
        "released" => "recruitment.status.released",
        "expired" => "recruitment.status.expired",
        _ => "recruitment.status.withdrawn",
    }
}

/// The department may decide while the student waits for it: applied or on the waiting list.
pub fn may_decide(status: &str) -> bool {
    matches!(status, "applied" | "waitlisted")
}

/// The student may still withdraw (an offer is answered instead).
pub fn may_withdraw(status: &str) -> bool {
    matches!(status, "applied" | "waitlisted")
}

/// The student may choose an interview time while the application is alive.
pub fn may_book(status: &str) -> bool {
    matches!(status, "applied" | "waitlisted" | "offered")
}

/// The notification each decision sends the student.
pub fn decision_notice(status: &str) -> &'static str {
    match status {
        "offered" => "notify.recruitment.offered",
        "waitlisted" => "notify.recruitment.waitlisted",
        _ => "notify.recruitment.declined",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_its_own_key_and_only_waiting_applications_are_decided() {
        let keys: std::collections::HashSet<_> = STATUSES.iter().map(|s| status_key(s)).collect();
        assert_eq!(keys.len(), STATUSES.len());
        assert!(may_decide("applied") && may_decide("waitlisted"));
        assert!(!may_decide("accepted") && !may_decide("offered") && !may_decide("withdrawn"));
        assert!(!may_withdraw("offered") && !may_book("accepted"));
    }
}
