//! The portal's commands: first-start bootstrap, and the admin, demo and backup
//! commands (the database they run on is `db`'s; background loops are `jobs`').

use anyhow::Context;

use crate::{
    accounts,
    app::AppState,
    config::{AdminCommand, Config, GlobalArgs},
    departments::roles,
    web::DeptRole,
};

/// Held while a process checks for and makes the first term and administrator.
const BOOTSTRAP_LOCK: i64 = 0x506f_7274_616c_4931;

/// First start: a current term, and one administrator whose one-time password is printed once.
/// Processes starting together take turns: otherwise both find no administrator, both
/// create `admin`, and the one that loses the race refuses to start.
/// The lock is a session's, taken on `direct` (the owner's pool on the primary itself), never
/// through PgBouncer: in its transaction mode the unlock could reach another server connection
/// and leave the lock held there.
pub async fn bootstrap(state: &AppState, direct: &sqlx::PgPool) -> anyhow::Result<()> {
    let mut conn = direct.acquire().await?;
    queries::lock(&mut conn, BOOTSTRAP_LOCK).await?;
    let result = first_start(state, &mut conn).await;
    // Ending the session would release it too; unlocked, the connection can go back to the pool.
    queries::unlock(&mut conn, BOOTSTRAP_LOCK).await?;
    result
}

async fn first_start(state: &AppState, conn: &mut sqlx::PgConnection) -> anyhow::Result<()> {
    roles::ensure_current_term(conn).await?;
    if queries::has_admin(&mut *conn).await? {
        return Ok(());
    }
    let password = crate::web::session::random_token()[..20].to_string();
    let created = accounts::create_account(state, "admin", "管理员", &password, "", "", true).await?;
    if created.is_none() {
        anyhow::bail!("an account `admin` exists but holds no admin role; grant it with `union-portal admin grant --student-no admin --union admin`");
    }
    roles::grant_union_role(&state.db, None, "admin", "admin").await?.map_err(|e| anyhow::anyhow!(e))?;
    // Shown once, on the terminal only: never in the logs.
    println!("\n  First start: an administrator account was created.\n  学号 (student number): admin\n  One-time password:    {password}\n  It must be changed at first login.\n");
    Ok(())
}

pub async fn run_admin(state: &AppState, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::CreateUser { student_no, name, password, email, college } => {
            match accounts::create_account(state, &student_no, &name, &password, &email, &college, false).await? {
                Some(id) => println!("created account {student_no} (id {id})"),
                None => anyhow::bail!("an account with student number {student_no} exists already"),
            }
        }
        AdminCommand::Grant { student_no, dept, role, union } => {
            if let Some(slug) = dept {
                let role =
                    role.as_deref().and_then(DeptRole::parse).context("--role must be member, vice_head or head")?;
                roles::grant_dept_role(&state.db, None, &student_no, &slug, role)
                    .await?
                    .map_err(|e| anyhow::anyhow!("{e}: {student_no} / {slug}"))?;
                println!("{student_no} is now {} of {slug} this term", role.as_str());
            } else if let Some(union) = union {
                roles::grant_union_role(&state.db, None, &student_no, &union)
                    .await?
                    .map_err(|e| anyhow::anyhow!("{e}: {student_no}"))?;
                println!("{student_no} now has the union role {union}");
            }
        }
    }
    Ok(())
}

/// Settings for commands that do not serve: the defaults of `serve`.
pub fn command_config(global: &GlobalArgs) -> anyhow::Result<Config> {
    use clap::Parser;
    let defaults = crate::config::Cli::parse_from(["union-portal"]).serve;
    Config::from_args(&defaults, global)
}

pub mod backup;
pub mod demo;
mod queries;
