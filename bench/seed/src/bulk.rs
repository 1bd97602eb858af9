//! Bulk loads: a table's indexes and foreign keys set aside while its rows go in, and
//! put back (so checked) once at the end.

use std::time::Instant;

use anyhow::Context;
use sqlx::PgConnection;

use super::Progress;

/// The indexes and foreign keys of a table, dropped for a bulk load; returns the DDL that restores them.
/// A load then maintains no index row by row, and each foreign key is checked by one join at the end.
pub(crate) async fn set_aside(tx: &mut PgConnection, table: &str) -> anyhow::Result<Vec<String>> {
    let keys = sqlx::query!(
        r#"select quote_ident(conname) as "name!", pg_get_constraintdef(oid) as "def!"
           from pg_constraint where conrelid = $1::text::regclass and contype = 'f' order by conname"#,
        table
    )
    .fetch_all(&mut *tx)
    .await?;
    // Indexes behind a constraint (the primary key, unique keys) stay.
    let indexes = sqlx::query!(
        r#"select i.indexrelid::regclass::text as "name!", pg_get_indexdef(i.indexrelid) as "def!"
           from pg_index i
           where i.indrelid = $1::text::regclass
             and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid and c.conrelid = i.indrelid)
           order by 1"#,
        table
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut restore = vec![];
    for k in keys {
        sqlx::query(&format!("alter table {table} drop constraint {}", k.name)).execute(&mut *tx).await?;
        restore.push(format!("alter table {table} add constraint {} {}", k.name, k.def));
    }
    for i in indexes {
        sqlx::query(&format!("drop index {}", i.name)).execute(&mut *tx).await?;
        // Indexes first: the checks of the keys can use them.
        restore.insert(0, i.def);
    }
    Ok(restore)
}

pub(crate) async fn put_back(tx: &mut PgConnection, restore: Vec<String>, progress: &Progress) -> anyhow::Result<()> {
    let began = Instant::now();
    let n = restore.len();
    for ddl in restore {
        sqlx::query(&ddl).execute(&mut *tx).await.with_context(|| format!("restoring: {ddl}"))?;
    }
    progress.done(&format!("indexes and keys ({n})"), 0, began);
    Ok(())
}
