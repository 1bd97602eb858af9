//! SQL of reception days, one function per statement, by sub-resource: sessions,
//! delegates, sign-ups, questions, minutes, commitments. Every statement about one
//! department's object names the department too (`fetch_*_of_department`).

mod commitment_owners;
mod commitment_records;
mod commitment_updates;
mod commitments;
mod day_page;
mod delegates;
mod leaders;
mod minutes;
mod overdue;
mod questions;
mod reminders;
mod sessions;
mod signups;

pub use commitment_owners::*;
pub use commitment_records::*;
pub use commitment_updates::*;
pub use commitments::*;
pub use day_page::*;
pub use delegates::*;
pub use leaders::*;
pub use minutes::*;
pub use overdue::*;
pub use questions::*;
pub use reminders::*;
pub use sessions::*;
pub use signups::*;
