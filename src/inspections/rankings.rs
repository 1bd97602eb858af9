//! Rankings publish themselves: publishing a round, or an appeal that changes a score,
//! recomputes the standings of the week, month and term holding the round, in the same
//! transaction, so a page never shows a ranking its results do not add up to.

use chrono::NaiveDate;
use sqlx::PgConnection;

use super::{
    model::{civilised, Grade, Period},
    queries::rankings,
};

/// Recompute the three periods holding `held_on` from their published results.
pub async fn refresh(tx: &mut PgConnection, held_on: NaiveDate) -> sqlx::Result<()> {
    for period in [Period::Week, Period::Month, Period::Term] {
        let (from, to) = period.days(held_on);
        let rooms = rankings::tally_period(tx, from, to).await?;
        let marks: Vec<bool> = rooms
            .iter()
            .map(|r| {
                let grades: Vec<Grade> = r.grades.iter().filter_map(|g| Grade::from_key(g)).collect();
                period == Period::Term && civilised(&grades)
            })
            .collect();
        rankings::replace_standings(tx, period.key(), from, &rooms, &marks).await?;
    }
    Ok(())
}
