//! The home page and the language switch.

use askama::Template;
use axum::{
    extract::State,
    http::header,
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
    Form, Router,
};
use serde::Deserialize;

use crate::{
    app::AppState,
    error::AppResult,
    events::queries::EventFilter,
    web::{forms::safe_next, i18n::LANG_COOKIE, render, session, Lang, Layout, MaybeUser},
};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    next: Option<crate::reception::queries::Session>,
    /// Whole days until the next session starts (0 on the day).
    days_to_next: i64,
    /// Events taking applications now: a card each.
    open_events: std::sync::Arc<Vec<crate::events::queries::Event>>,
}

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(show_home)).route("/lang", post(switch_language))
}

async fn show_home(State(state): State<AppState>, layout: Layout) -> AppResult<Html<String>> {
    // One connection for both statements: each trip through the pool costs a round trip more.
    let mut conn = state.db.acquire().await?;
    let next = crate::reception::queries::next_session(&mut *conn).await?;
    let open_now = EventFilter { open_at: Some(chrono::Utc::now()), limit: 3, ..EventFilter::default() };
    let open_events =
        state.cached.open_events.get_or_load((), || crate::events::queries::find_events(&mut *conn, &open_now)).await?;
    drop(conn);
    let today = crate::web::forms::today();
    let days_to_next = next
        .as_ref()
        .map(|s| (s.starts_at.with_timezone(&chrono_tz::Asia::Shanghai).date_naive() - today).num_days().max(0))
        .unwrap_or(0);
    render(HomePage { layout, next, days_to_next, open_events }).map(Html)
}

#[derive(Deserialize)]
struct LanguageForm {
    lang: String,
    #[serde(default)]
    next: String,
}

/// Remember the chosen language for a year, and on a logged-in user's account (their
/// mail is written in it).
async fn switch_language(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Form(form): Form<LanguageForm>,
) -> AppResult<Response> {
    let lang = Lang::parse(&form.lang).unwrap_or_default();
    if let Some(v) = viewer {
        crate::accounts::queries::set_language(&state.db, v.user_id, lang).await?;
    }
    let year = std::time::Duration::from_secs(365 * 24 * 3600);
    let cookie = session::cookie_header(&state.config, LANG_COOKIE, lang.code(), Some(year));
    let mut response = Redirect::to(&safe_next(Some(&form.next))).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}
