//! Lending and taking back: each one statement calling the SQL function that holds the
//! rules and the locks (migrations/0047_lending.sql).

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

/// Lend (rules and locks in `lending_borrow`): 'lent' or the reason it was not.
pub async fn borrow(
    db: impl PgExecutor<'_>,
    code: &str,
    borrower: i64,
    department_id: Option<i64>,
    officer: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<String> {
    sqlx::query_scalar!(
        r#"select lending_borrow($1, $2, $3, $4, $5) as "outcome!""#,
        code,
        borrower,
        department_id,
        officer,
        now
    )
    .fetch_one(db)
    .await
}

/// Take back (in `lending_return`): 'returned' or the reason it was not.
pub async fn give_back(
    db: impl PgExecutor<'_>,
    code: &str,
    station_id: i64,
    borrower: Option<i64>,
    officer: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<String> {
    sqlx::query_scalar!(
        r#"select lending_return($1, $2, $3, $4, $5) as "outcome!""#,
        code,
        station_id,
        borrower,
        officer,
        now
    )
    .fetch_one(db)
    .await
}
