//! Reference data changed by any process reaches every process at once: a trigger
//! (migrations/0051_reference_changes.sql) NOTIFYs `portal_reference` with the table's name,
//! and each process LISTENs on a session of its own (the primary itself: PgBouncer's
//! transaction mode cannot hold a LISTEN) and forgets what it kept from that table. The
//! few seconds' TTL of `Cached` stays as the net below: after a lost connection everything
//! kept is forgotten too, since notifications sent meanwhile are gone.

use std::time::Duration;

use sqlx::postgres::PgListener;

use super::{AppState, Cached};

pub const CHANNEL: &str = "portal_reference";

impl Cached {
    /// Forget what was read from `table`.
    pub fn changed(&self, table: &str) {
        match table {
            "complaint_category" => self.categories.clear(),
            "school_office" => self.offices.clear(),
            "department" => self.departments.clear(),
            "membership" | "term" => self.members.clear(),
            "calendar_day" => {
                self.calendar.clear();
                self.queue_first_pages.clear();
            }
            "commitment" => self.commitment_records.clear(),
            "collection_point" => self.points.clear(),
            "bulletin" => self.latest_bulletin.clear(),
            "dorm_building" => self.dorm_buildings.clear(),
            "inspection_round" => self.inspections_latest.clear(),
            "inspection_group_standing" => self.ranking_colleges.clear(),
            _ => {}
        }
    }

    /// Forget all reference data (a notification may have been missed).
    pub fn forget_reference_data(&self) {
        const TABLES: [&str; 11] = [
            "complaint_category",
            "school_office",
            "department",
            "membership",
            "calendar_day",
            "commitment",
            "collection_point",
            "bulletin",
            "dorm_building",
            "inspection_round",
            "inspection_group_standing",
        ];
        for table in TABLES {
            self.changed(table);
        }
    }
}

/// Listen until the process ends, connecting again a second after any failure.
pub async fn listen_forever(state: AppState, url: String) {
    loop {
        if let Err(error) = listen(&state, &url).await {
            tracing::warn!(%error, "listening for reference-data changes failed; trying again");
        }
        state.cached.forget_reference_data();
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn listen(state: &AppState, url: &str) -> sqlx::Result<()> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    // Whatever changed before the LISTEN took effect.
    state.cached.forget_reference_data();
    loop {
        match listener.try_recv().await? {
            Some(notice) => state.cached.changed(notice.payload()),
            // The connection was lost and is made again at the next call: anything sent
            // meanwhile is lost with it.
            None => state.cached.forget_reference_data(),
        }
    }
}
