//! `/admin/users`: find accounts, disable and enable them.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{Html, Response},
};
use serde::Deserialize;
use serde_json::json;

use crate::departments::{queries, UserPath};
use crate::{
    app::AppState,
    audit,
    error::{AppError, AppResult},
    web::{context::redirect_with_flash, render, session, CurrentUser, Layout, Path},
};

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    layout: Layout,
    q: String,
    unverified: bool,
    users: Vec<queries::UserRow>,
    next_after: Option<i64>,
}

#[derive(Deserialize)]
pub struct UsersQuery {
    #[serde(default)]
    q: String,
    /// `1`: only the accounts nobody vouched for.
    #[serde(default)]
    unverified: String,
    after: Option<i64>,
}

const USERS_PAGE: i64 = 50;

pub async fn list_users(
    State(state): State<AppState>,
    layout: Layout,
    Query(query): Query<UsersQuery>,
) -> AppResult<Html<String>> {
    let q = crate::web::forms::search_text(query.q.trim()).chars().take(50).collect::<String>();
    // What the admin typed is a prefix of a student number, character for character:
    // `%`, `_` and `\` are escaped for LIKE, so `%` does not list every account.
    let unverified = query.unverified == "1";
    let users = queries::list_users_page(&state.db, &q, unverified, query.after, USERS_PAGE).await?;
    let next_after = crate::web::forms::next_cursor(&users, USERS_PAGE, |u| u.user_id);
    Ok(Html(render(UsersPage { layout, q, unverified, users, next_after })?))
}

pub async fn disable_user(
    State(state): State<AppState>,
    CurrentUser(admin): CurrentUser,
    Path(UserPath { user_id }): Path<UserPath>,
) -> AppResult<Response> {
    if user_id == admin.user_id {
        return Err(AppError::Conflict("error.409.self"));
    }
    set_disabled(&state, admin.user_id, user_id, true).await
}

pub async fn enable_user(
    State(state): State<AppState>,
    CurrentUser(admin): CurrentUser,
    Path(UserPath { user_id }): Path<UserPath>,
) -> AppResult<Response> {
    set_disabled(&state, admin.user_id, user_id, false).await
}

/// An administrator checked who holds the number (a student card, the registry): the account is
/// verified, audited, and a campus card waiting for that number is the owner's at once.
pub async fn verify_user(
    State(state): State<AppState>,
    CurrentUser(admin): CurrentUser,
    Path(UserPath { user_id }): Path<UserPath>,
) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    if queries::verify_user(&mut tx, user_id).await? {
        let (before, after) = (json!({ "verified_by": null }), json!({ "verified_by": "admin" }));
        let object = user_id.to_string();
        audit::record(
            &mut *tx,
            Some(admin.user_id),
            None,
            audit::Action::UserVerify,
            "app_user",
            &object,
            Some(before),
            Some(after),
        )
        .await?;
        crate::lost_found::cards::tell_newly_verified_owner(&mut tx, user_id).await?;
    }
    tx.commit().await?;
    Ok(redirect_with_flash("/admin/users", "flash.user_verified", None))
}

/// Disabling also ends every session of the account at once.
async fn set_disabled(state: &AppState, admin_id: i64, user_id: i64, disabled: bool) -> AppResult<Response> {
    let mut tx = state.db.begin().await?;
    if queries::set_user_disabled(&mut tx, user_id, disabled).await? {
        if disabled {
            session::delete_other_sessions(&mut *tx, user_id, None).await?;
        }
        let action = if disabled { audit::Action::UserDisable } else { audit::Action::UserEnable };
        let (before, after) = (json!({ "disabled": !disabled }), json!({ "disabled": disabled }));
        audit::record(
            &mut *tx,
            Some(admin_id),
            None,
            action,
            "app_user",
            &user_id.to_string(),
            Some(before),
            Some(after),
        )
        .await?;
    }
    tx.commit().await?;
    let flash = if disabled { "flash.user_disabled" } else { "flash.user_enabled" };
    Ok(redirect_with_flash("/admin/users", flash, None))
}
