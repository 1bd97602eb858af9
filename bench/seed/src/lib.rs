//! `bench-seed --scale N`: a university's worth of benchmark data, fast. At N = 1:
//! 50,000 students; 200,000 complaints with 1,000,000 timeline events and 300,000
//! supports; 1,000,000 found items in 100 bulletins; 100,000 lost reports; 200
//! reception days with 20,000 questions and 2,000 commitments; 100 plans with
//! 3,000 actions; 8,000 dorm rooms in 100 buildings with 32,000 residents, inspected
//! every Wednesday for 16 weeks (128,000 results) and ranked; 40 umbrella stations
//! with 24,000 umbrellas and a term's 60,000 loans, 1,500 of them open. Every count scales with N
//! (the 16 weeks do not).
//!
//! Rows are generated inside PostgreSQL (`insert … select … from generate_series`)
//! from the phrase lists in `words`, passed as arrays; search documents are made
//! by `union_portal::search` from the same phrases, so the portal finds generated rows as
//! it finds typed ones. One transaction: indexes and foreign keys of the big tables
//! are set aside during the load and put back (and so checked) once at the end;
//! nothing is left half-seeded. Refuses a database that holds complaints or found
//! items, so it never mixes with real data.

mod bulk;
mod complaints;
mod inspections;
mod lending;
mod lost_found;
mod people;
mod plans;
mod reception;
mod surveys;
pub mod words;

use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::{ConnectOptions, Connection, PgConnection};

use union_portal::app::AppState;

pub(crate) use bulk::{put_back, set_aside};

/// Every benchmark account has this password (benchmark data only).
pub const BENCH_PASSWORD: &str = "bench-xuesheng-2026";

/// The benchmark's dates span the last three years.
const SPAN_DAYS: f64 = 3.0 * 365.0;

/// How many rows of each kind a scale makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub students: i64,
    pub complaints: i64,
    pub events: i64,
    pub supports: i64,
    pub found_items: i64,
    pub bulletins: i64,
    pub lost_reports: i64,
    pub sessions: i64,
    pub questions: i64,
    pub commitments: i64,
    pub plans: i64,
    pub actions: i64,
    pub dorm_buildings: i64,
    pub dorm_rooms: i64,
    pub dorm_residents: i64,
    pub inspection_rounds: i64,
    pub inspection_results: i64,
    pub lending_stations: i64,
    pub lending_items: i64,
    /// A term's loans, the open ones of today among them.
    pub lending_loans: i64,
    pub lending_open: i64,
    /// Answers to the published questionnaire (a graduating year).
    pub survey_answers: i64,
}

impl Counts {
    pub fn for_scale(scale: f64) -> Counts {
        let n = |base: f64| ((base * scale).round() as i64).max(1);
        // Two at least: a supporter is never the reporter.
        let students = n(50_000.0).max(2);
        let dorm_rooms = n(8_000.0);
        let lending_stations = n(4.0 * lending::STATIONS_PER_DISTRICT as f64);
        let dorm_buildings = (dorm_rooms + inspections::ROOMS_PER_BUILDING - 1) / inspections::ROOMS_PER_BUILDING;
        Counts {
            students,
            complaints: n(200_000.0),
            events: n(1_000_000.0),
            supports: n(300_000.0),
            found_items: n(1_000_000.0),
            bulletins: n(100.0),
            lost_reports: n(100_000.0),
            sessions: n(200.0),
            questions: n(20_000.0),
            commitments: n(2_000.0),
            plans: n(100.0),
            actions: n(3_000.0),
            dorm_buildings,
            dorm_rooms,
            // Four to a room while there are students enough.
            dorm_residents: (dorm_rooms * inspections::BEDS).min(students),
            inspection_rounds: inspections::ROUNDS,
            inspection_results: dorm_rooms * inspections::ROUNDS,
            lending_stations,
            lending_items: lending_stations * lending::ITEMS_PER_STATION,
            lending_loans: n(60_000.0),
            lending_open: n(1_500.0),
            survey_answers: n(8_000.0),
        }
    }
}

/// What a benchmark needs to know about the data: logins and pages worth fetching.
#[derive(Debug, Clone)]
pub struct Report {
    pub counts: Counts,
    pub seconds: f64,
    /// A student who filed `complaint_path`.
    pub student: String,
    /// A member of the rights department (handles complaints, runs lost and found).
    pub handler: String,
    /// The head of the rights department.
    pub head: String,
    pub complaint_path: String,
    /// The public board 500 pages deep (its keyset cursor).
    pub deep_board_path: String,
    pub bulletin_path: String,
    pub plan_path: String,
    pub reception_path: String,
    /// The term's dorm ranking of one building, as a student looks up their own.
    pub building_ranking_path: String,
    /// The published questionnaire's public results.
    pub survey_results_path: String,
}

impl Report {
    /// `bench.key=value` lines for scripts, after a readable summary.
    pub fn print(&self) {
        println!("\nbenchmark data ready in {:.1} s; every password is {BENCH_PASSWORD}", self.seconds);
        println!("  student  {}   (filed {})", self.student, self.complaint_path);
        println!("  handler  {}   (rights member: /d/rights/complaints)", self.handler);
        println!("  head     {}   (rights head)", self.head);
        println!();
        for (key, value) in [
            ("seconds", format!("{:.1}", self.seconds)),
            ("password", BENCH_PASSWORD.to_string()),
            ("student", self.student.clone()),
            ("handler", self.handler.clone()),
            ("head", self.head.clone()),
            ("complaint_path", self.complaint_path.clone()),
            ("deep_board_path", self.deep_board_path.clone()),
            ("bulletin_path", self.bulletin_path.clone()),
            ("plan_path", self.plan_path.clone()),
            ("reception_path", self.reception_path.clone()),
            ("building_ranking_path", self.building_ranking_path.clone()),
            ("survey_results_path", self.survey_results_path.clone()),
        ] {
            println!("bench.{key}={value}");
        }
    }
}

/// Progress, one line per table, with the time it took and the time so far.
pub(crate) struct Progress {
    start: Instant,
}

impl Progress {
    fn done(&self, what: &str, rows: u64, began: Instant) {
        let rows = if rows > 0 { format!("{rows:>9} rows") } else { " ".repeat(14) };
        println!(
            "  {what:<26} {rows} {:>7.1} s   (at {:>6.1} s)",
            began.elapsed().as_secs_f64(),
            self.start.elapsed().as_secs_f64()
        );
    }
}

/// What the generators share: the scale's counts, the accounts, the transaction's clock.
pub(crate) struct Seed {
    pub counts: Counts,
    pub people: people::People,
    /// `now()` of the transaction: every generated time is before it (or a planned session after it).
    pub now: DateTime<Utc>,
    pub first_bulletin: i32,
    /// The dorm building whose term ranking the benchmark reads.
    pub building: i64,
}

pub async fn seed(state: &AppState, scale: f64) -> anyhow::Result<Report> {
    anyhow::ensure!(scale.is_finite() && scale > 0.0 && scale <= 1000.0, "--scale must be above 0 and at most 1000");
    let counts = Counts::for_scale(scale);
    let progress = Progress { start: Instant::now() };
    println!("seeding benchmark data at scale {scale}: {counts:?}");
    // Its own connection: statements that run for seconds are the plan here, not worth a warning each.
    let options = state.db.connect_options().as_ref().clone().disable_statement_logging();
    let mut conn = PgConnection::connect_with(&options).await.context("connecting to the database")?;
    let mut tx = conn.begin().await?;
    refuse_real_data(&mut tx).await?;
    // One big transaction: nothing to wait for at commit, room to sort and build indexes.
    // A fixed seed: the same scale makes the same data (its times relative to now).
    sqlx::raw_sql(
        "set local synchronous_commit = off; set local work_mem = '256MB'; set local maintenance_work_mem = '1GB';
         select setseed(0.2026)",
    )
    .execute(&mut *tx)
    .await?;
    let now = sqlx::query_scalar!(r#"select now() as "now!""#).fetch_one(&mut *tx).await?;
    let began = Instant::now();
    let people = people::create(&mut tx, state, &counts).await?;
    progress.done("app_user", people.students.len() as u64, began);
    let mut seed = Seed { counts, people, now, first_bulletin: state.config.first_bulletin, building: 0 };
    complaints::seed(&mut tx, &seed, &progress).await?;
    lost_found::seed(&mut tx, &seed, &progress).await?;
    reception::seed(&mut tx, &seed, &progress).await?;
    plans::seed(&mut tx, &seed, &progress).await?;
    seed.building = inspections::seed(&mut tx, &seed, &progress).await?;
    lending::seed(&mut tx, &seed, &progress).await?;
    surveys::seed(&mut tx, &seed, &progress).await?;
    let began = Instant::now();
    tx.commit().await?;
    progress.done("commit", 0, began);
    let began = Instant::now();
    // Statistics for the planner, and the visibility map, so the first pages are not the slow ones.
    sqlx::raw_sql("vacuum (analyze)").execute(&mut conn).await?;
    // The term's loans move each station's stock thousands of times in one transaction: forty
    // rows left in 500 pages, which `/umbrellas` would read whole on every request. A live
    // portal's stock changes a few hundred times a day, and autovacuum keeps the table at a few
    // pages; this is the table as it would be.
    sqlx::raw_sql("vacuum (full, analyze) lending_station").execute(&mut conn).await?;
    conn.close().await?;
    progress.done("vacuum (analyze)", 0, began);
    let mut report = samples(state, &seed).await?;
    report.seconds = progress.start.elapsed().as_secs_f64();
    Ok(report)
}

async fn refuse_real_data(tx: &mut PgConnection) -> anyhow::Result<()> {
    let taken = sqlx::query_scalar!(
        r#"select exists(select 1 from complaint) or exists(select 1 from found_item) as "taken!""#
    )
    .fetch_one(&mut *tx)
    .await?;
    if taken {
        anyhow::bail!(
            "this database already holds complaints or found items: bench-seed fills only an empty portal (use a fresh database)"
        );
    }
    Ok(())
}

/// Logins and pages for the benchmark, read from what was generated.
async fn samples(state: &AppState, seed: &Seed) -> anyhow::Result<Report> {
    let db = &state.db;
    let complaint = sqlx::query!(
        r#"select c.tracking_no, u.student_no
           from complaint c join app_user u on u.user_id = c.reporter_id join department d using (department_id)
           where c.is_public and d.slug = 'rights' and c.status = 'resolved' and c.created_at < now() - interval '30 days'
             and (select count(*) from complaint_event e where e.complaint_id = c.complaint_id) >= 5
           order by c.created_at desc limit 1"#
    )
    .fetch_optional(db)
    .await?;
    let complaint = match complaint {
        Some(c) => (c.tracking_no, c.student_no),
        None => sqlx::query!(
            r#"select c.tracking_no, u.student_no from complaint c join app_user u on u.user_id = c.reporter_id
               where c.is_public order by c.created_at desc limit 1"#
        )
        .fetch_one(db)
        .await
        .map(|c| (c.tracking_no, c.student_no))
        .context("no public complaint was generated")?,
    };
    // The 15,000th public complaint: where the board's 500th page begins.
    let deep = sqlx::query!(
        r#"select created_at, complaint_id from complaint where is_public
           order by created_at desc, complaint_id desc offset 14999 limit 1"#
    )
    .fetch_optional(db)
    .await?;
    let deep_board_path = match deep {
        Some(d) => format!("/complaints?before={}_{}", d.created_at.timestamp_micros(), d.complaint_id),
        None => "/complaints".to_string(),
    };
    let bulletin = sqlx::query_scalar!("select max(number) from bulletin").fetch_one(db).await?.unwrap_or_default();
    let plan =
        sqlx::query_scalar!("select plan_id from plan where is_public order by period desc, plan_id desc limit 1")
            .fetch_optional(db)
            .await?;
    let session = sqlx::query_scalar!(
        r#"select k.path_prefix || s.number as "code!" from reception_session s join reception_kind k using (kind)
           where s.minutes_updated_at is not null order by s.starts_at desc limit 1"#
    )
    .fetch_optional(db)
    .await?;
    let survey = sqlx::query_scalar!("select survey_id from survey where published_at is not null limit 1")
        .fetch_optional(db)
        .await?;
    Ok(Report {
        counts: seed.counts,
        seconds: 0.0,
        student: complaint.1,
        handler: seed.people.handler.clone(),
        head: seed.people.head.clone(),
        complaint_path: format!("/complaints/{}", complaint.0),
        deep_board_path,
        bulletin_path: format!("/lost-found/bulletins/{bulletin}"),
        plan_path: plan.map_or_else(|| "/plans".to_string(), |id| format!("/plans/{id}")),
        reception_path: session.map_or_else(|| "/reception".to_string(), |code| format!("/reception/{code}")),
        building_ranking_path: format!("/inspections/rankings?period=term&building={}", seed.building),
        survey_results_path: survey.map_or_else(|| "/surveys".to_string(), |id| format!("/surveys/{id}/results")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_scale_and_never_reach_zero() {
        let one = Counts::for_scale(1.0);
        assert_eq!(
            (one.students, one.complaints, one.events, one.found_items),
            (50_000, 200_000, 1_000_000, 1_000_000)
        );
        let tiny = Counts::for_scale(0.001);
        assert_eq!((tiny.complaints, tiny.bulletins, tiny.sessions, tiny.plans, tiny.actions), (200, 1, 1, 1, 3));
        assert_eq!(Counts::for_scale(0.000_001).students, 2);
        assert_eq!(
            (one.dorm_buildings, one.dorm_rooms, one.dorm_residents, one.inspection_results),
            (100, 8_000, 32_000, 128_000)
        );
        assert_eq!((tiny.dorm_buildings, tiny.dorm_rooms, tiny.inspection_rounds), (1, 8, 16));
        assert_eq!((one.lending_stations, one.lending_items, one.lending_open), (40, 24_000, 1_500));
        assert_eq!((tiny.lending_stations, tiny.lending_items), (1, 600));
    }
}
