//! `/me/room`: the viewer's room, its published results and appeals, and the photos it
//! shares; anyone without a room on record (or unverified) is told so, never shown another.

use askama::Template;
use axum::{
    extract::State,
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};

use crate::{
    app::AppState,
    error::AppResult,
    inspections::{
        model::Term,
        queries::{
            appeals::{self, MyAppeal},
            residents::{self, MyDeduction, MyResult, MyRoom, SharedPhoto, MOST_SHARED},
        },
    },
    web::{forms::today, render, CurrentUser, FormErrors, Layout},
};

/// One published result with what belongs to it.
pub struct ResultView {
    pub r: MyResult,
    pub deductions: Vec<MyDeduction>,
    pub appeal: Option<MyAppeal>,
    /// Within the appeal days, and the room has not appealed this term.
    pub can_appeal: bool,
    /// Within the appeal days, but the term's one appeal is used.
    pub term_used: bool,
}

/// A form of the page that came back refused: which one, its errors and what was typed.
#[derive(Default)]
pub struct Retry {
    /// The result whose appeal form it was (0: the photo form).
    pub result_id: i64,
    pub errors: FormErrors,
    pub typed: String,
}

#[derive(Template)]
#[template(path = "inspections/residents/room.html")]
struct RoomPage {
    layout: Layout,
    verified: bool,
    room: Option<MyRoom>,
    results: Vec<ResultView>,
    photos: Vec<SharedPhoto>,
    most_shared: i64,
    retry: Retry,
}

fn views(results: Vec<MyResult>, mut deductions: Vec<MyDeduction>, appeals: &mut Vec<MyAppeal>) -> Vec<ResultView> {
    let used: Vec<String> = appeals.iter().map(|a| a.term.clone()).collect();
    results
        .into_iter()
        .map(|r| {
            let (mine, rest): (Vec<MyDeduction>, Vec<MyDeduction>) =
                std::mem::take(&mut deductions).into_iter().partition(|d| d.result_id == r.result_id);
            deductions = rest;
            let appeal = appeals.iter().position(|a| a.result_id == r.result_id).map(|i| appeals.remove(i));
            let term_used = used.contains(&Term::of(r.held_on).key());
            let can_appeal = r.appeal_open && !term_used;
            ResultView {
                term_used: r.appeal_open && term_used && appeal.is_none(),
                r,
                deductions: mine,
                appeal,
                can_appeal,
            }
        })
        .collect()
}

/// The page, with a refused form's errors beside it (422) or as it stands (200).
pub async fn page(state: &AppState, layout: Layout, user_id: i64, retry: Retry) -> AppResult<Response> {
    let mut conn = state.db.acquire().await?;
    let room = residents::fetch_my_room(&mut *conn, user_id).await?;
    let verified = room.is_some() || residents::fetch_verified(&mut *conn, user_id).await?;
    let (results, photos) = match &room {
        Some(_) => {
            let results = residents::list_my_results(&mut *conn, user_id).await?;
            let deductions = residents::list_my_deductions(&mut *conn, user_id).await?;
            let mut appeals = appeals::list_my_appeals(&mut *conn, user_id).await?;
            let term = Term::of(today()).key();
            let photos = residents::list_shared_photos(&mut *conn, user_id, &term).await?;
            (views(results, deductions, &mut appeals), photos)
        }
        None => (vec![], vec![]),
    };
    drop(conn);
    let status = if retry.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = RoomPage { layout, verified, room, results, photos, most_shared: MOST_SHARED, retry };
    Ok((status, Html(render(page)?)).into_response())
}

pub async fn show_room(
    State(state): State<AppState>,
    layout: Layout,
    CurrentUser(user): CurrentUser,
) -> AppResult<Response> {
    page(&state, layout, user.user_id, Retry::default()).await
}
