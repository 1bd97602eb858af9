//! Accounts: register, log in, log out, change or reset the password, the student's own page.
//! Owns `app_user`, `user_session` writes and `login_attempt`; roles belong to
//! `departments`.

pub mod campus;
pub mod forms;
mod handlers;
mod login;
pub mod password;
pub mod queries;
pub(crate) mod rate_limit;
mod reset;

use axum::{routing::get, routing::post, Router};

pub use crate::web::forms::one_line;
pub use forms::StudentNo;

use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/register", get(handlers::new_registration).post(handlers::create_registration))
        .route("/login", get(login::new_login).post(login::create_login))
        .route("/logout", post(login::logout))
        .route("/account/password", get(handlers::edit_password).post(handlers::update_password))
        .route("/me", get(handlers::show_me))
        .route("/password-reset", get(reset::new_request).post(reset::create_request))
        .route("/password-reset/choose", get(reset::choose_password).post(reset::save_password))
        .route("/account/verify-mail", post(campus::mail::send_link))
        .route("/account/verify-mail/confirm", get(campus::mail::confirm_page).post(campus::mail::confirm))
        .merge(campus::router())
}

/// Create an account from the command line or the demo seed (validated like the form), verified.
pub async fn create_account(
    state: &AppState,
    student_no: &str,
    name: &str,
    password: &str,
    email: &str,
    college: &str,
    must_change_password: bool,
) -> anyhow::Result<Option<i64>> {
    let student_no =
        StudentNo::parse(student_no).map_err(|k| anyhow::anyhow!("student number: {}", crate::web::Lang::En.t(k)))?;
    let name = one_line(name, 50, true).map_err(|k| anyhow::anyhow!("name: {}", crate::web::Lang::En.t(k)))?;
    if let Some(k) = password::weakness(password, &[student_no.as_str()]) {
        anyhow::bail!("password: {}", crate::web::Lang::En.t(k));
    }
    let hash = state.hasher.hash(password.to_string()).await?;
    let mut tx = state.db.begin().await?;
    let created = queries::insert_user(
        &mut *tx,
        student_no.as_str(),
        &name,
        college.trim(),
        email.trim(),
        &hash,
        must_change_password,
    )
    .await?;
    // Whoever runs the server vouches for the numbers it creates (the first administrator, the demo).
    if let Some(user_id) = created {
        queries::mark_verified(&mut *tx, user_id, "cli").await?;
    }
    tx.commit().await?;
    Ok(created)
}
