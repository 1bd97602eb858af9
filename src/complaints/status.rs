//! The complaint workflow: which status may follow which. The SQL repeats the
//! guard (`where status = $from`), so two handlers racing cannot skip a state.
//!
//! submitted → accepted | rejected; accepted → forwarded | responded;
//! forwarded → responded; responded → resolved; resolved → accepted (reopened by the reporter).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComplaintStatus {
    Submitted,
    Accepted,
    Rejected,
    Forwarded,
    Responded,
    Resolved,
}

use ComplaintStatus::*;

impl ComplaintStatus {
    pub const ALL: [ComplaintStatus; 6] = [Submitted, Accepted, Rejected, Forwarded, Responded, Resolved];

    pub fn as_str(self) -> &'static str {
        match self {
            Submitted => "submitted",
            Accepted => "accepted",
            Rejected => "rejected",
            Forwarded => "forwarded",
            Responded => "responded",
            Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<ComplaintStatus> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn can_become(self, next: ComplaintStatus) -> bool {
        matches!(
            (self, next),
            (Submitted, Accepted)
                | (Submitted, Rejected)
                | (Accepted, Forwarded)
                | (Accepted, Responded)
                | (Forwarded, Responded)
                | (Responded, Resolved)
                | (Resolved, Accepted)
        )
    }

    /// The steps a handler may take from here (reopening is the reporter's).
    pub fn handler_next(self) -> Vec<ComplaintStatus> {
        Self::ALL.into_iter().filter(|n| self.can_become(*n) && !(self == Resolved && *n == Accepted)).collect()
    }

    /// Still waiting for the union to do something.
    pub fn is_open(self) -> bool {
        matches!(self, Submitted | Accepted | Forwarded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_the_documented_transitions_are_allowed() {
        let allowed = [
            (Submitted, Accepted),
            (Submitted, Rejected),
            (Accepted, Forwarded),
            (Accepted, Responded),
            (Forwarded, Responded),
            (Responded, Resolved),
            (Resolved, Accepted),
        ];
        for from in ComplaintStatus::ALL {
            for to in ComplaintStatus::ALL {
                assert_eq!(from.can_become(to), allowed.contains(&(from, to)), "{from:?} → {to:?}");
            }
        }
    }

    #[test]
    fn rejected_is_final_and_handlers_cannot_reopen() {
        assert!(Rejected.handler_next().is_empty());
        assert!(Resolved.handler_next().is_empty());
        assert_eq!(Submitted.handler_next(), [Accepted, Rejected]);
    }

    #[test]
    fn statuses_round_trip_through_text() {
        for s in ComplaintStatus::ALL {
            assert_eq!(ComplaintStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ComplaintStatus::parse("closed"), None);
    }
}
