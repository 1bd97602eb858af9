//! The inspections' SQL, one function per statement, named by intent; split by what it
//! reads and writes.

pub mod appeals;
pub mod decisions;
pub mod rankings;
pub mod residents;
pub mod results;
pub mod rooms;
pub mod rounds;
pub mod rubrics;
pub mod scores;

use sqlx::PgExecutor;

/// A rubric version's head: its number and grade boundaries.
#[derive(Debug, Clone)]
pub struct Rubric {
    pub rubric_id: i64,
    pub version: i32,
    pub excellent_min: i32,
    pub good_min: i32,
    pub pass_min: i32,
}

impl Rubric {
    pub fn boundaries(&self) -> super::model::Boundaries {
        super::model::Boundaries { excellent_min: self.excellent_min, good_min: self.good_min, pass_min: self.pass_min }
    }
}

/// One item of a rubric version, with its preset reasons ("2 床铺未整理").
#[derive(Debug, Clone)]
pub struct Item {
    pub item_id: i64,
    pub position: i32,
    pub name: String,
    pub max_points: i32,
    pub veto: bool,
    pub reasons: Vec<String>,
}

/// The rubric new rounds use: the latest version.
pub async fn current_rubric(db: impl PgExecutor<'_>) -> sqlx::Result<Option<Rubric>> {
    sqlx::query_as!(
        Rubric,
        "select rubric_id, version, excellent_min, good_min, pass_min from inspection_rubric order by version desc limit 1"
    )
    .fetch_optional(db)
    .await
}

pub async fn rubric(db: impl PgExecutor<'_>, rubric_id: i64) -> sqlx::Result<Option<Rubric>> {
    sqlx::query_as!(
        Rubric,
        "select rubric_id, version, excellent_min, good_min, pass_min from inspection_rubric where rubric_id = $1",
        rubric_id
    )
    .fetch_optional(db)
    .await
}

/// A rubric version's items in order.
pub async fn rubric_items(db: impl PgExecutor<'_>, rubric_id: i64) -> sqlx::Result<Vec<Item>> {
    sqlx::query_as!(
        Item,
        "select item_id, position, name, max_points, veto, reasons from inspection_item where rubric_id = $1 order by position",
        rubric_id
    )
    .fetch_all(db)
    .await
}
