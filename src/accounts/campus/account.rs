//! The account of a person the school vouched for (CAS or OpenID Connect).

use serde_json::json;

use super::{cas::CampusPerson, queries};
use crate::{
    app::AppState,
    audit::{self, Action},
    error::AppResult,
    notifications::notify,
    web::session,
};

/// Theirs if verified, a new verified one otherwise. An unverified account holding the number
/// gives it up first (disabled, renamed aside, sessions ended, audited, administrators told);
/// nothing of it moves to the new account. None: the verified account was disabled by an
/// administrator. `source` is `cas` or `oidc`.
pub async fn take_in(state: &AppState, person: &CampusPerson, lang: &str, source: &str) -> AppResult<Option<i64>> {
    let name = crate::web::forms::one_line(&person.name, 50, true).unwrap_or_else(|_| person.student_no.clone());
    let directory = queries::Directory {
        student_no: &person.student_no,
        name: &name,
        college: person.college.trim(),
        email: person.email.trim(),
        lang,
        source,
    };
    // A password nobody was given: the account signs in through the school (or after a reset by mail).
    let unusable_hash = state.hasher.hash(session::random_token()).await?;
    let mut tx = state.db.begin().await?;
    let user_id = match queries::lock_holder(&mut *tx, &person.student_no).await? {
        Some(h) if h.verified && h.disabled => return Ok(None),
        Some(h) if h.verified => {
            queries::refresh_campus_user(&mut *tx, h.user_id, &directory).await?;
            h.user_id
        }
        Some(squatter) => {
            let renamed = queries::set_aside(&mut tx, squatter.user_id).await?;
            let user_id = queries::insert_campus_user(&mut *tx, &directory, &unusable_hash).await?;
            let (before, after) = (json!({ "student_no": person.student_no }), json!({ "student_no": renamed }));
            let object = squatter.user_id.to_string();
            audit::record(&mut *tx, None, None, Action::NumberTakenBack, "user", &object, Some(before), Some(after))
                .await?;
            let admins = queries::list_admin_ids(&mut *tx).await?;
            notify(&mut *tx, &admins, None, "notify.account.number_taken_back", &renamed, "/admin/users").await?;
            tracing::warn!(squatter = squatter.user_id, user_id, "campus sign-in took a number back");
            user_id
        }
        None => queries::insert_campus_user(&mut *tx, &directory, &unusable_hash).await?,
    };
    // A campus card with this number may have come in before the number was vouched for.
    crate::lost_found::cards::tell_newly_verified_owner(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(Some(user_id))
}
