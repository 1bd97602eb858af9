//! Lending's section of `/stats`: loans per week, the share returned, items lost and the
//! busiest stations (computed with the rest of the figures, and cached with them).

use super::queries::jobs::{self, BusyStation, LendingTotals, WeekLoans};

#[derive(Default)]
pub struct LendingFigures {
    pub per_week: Vec<WeekLoans>,
    pub totals: LendingTotals,
    pub busiest: Vec<BusyStation>,
}

impl LendingFigures {
    pub async fn load(db: &sqlx::PgPool) -> sqlx::Result<LendingFigures> {
        Ok(LendingFigures {
            per_week: jobs::list_loans_per_week(db).await?,
            totals: jobs::fetch_totals(db).await?,
            busiest: jobs::list_busiest_stations(db).await?,
        })
    }

    /// The share of loans returned, as shown: "87%", or "—" before the first loan.
    pub fn return_rate(&self) -> String {
        if self.totals.loans == 0 {
            return "—".into();
        }
        format!("{}%", self.totals.returned * 100 / self.totals.loans)
    }
}
