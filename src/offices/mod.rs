//! School offices (学校职能部门) in the portal: each office's public record
//! (`/offices/{slug}`: the office's clock and the union's, the share answered in time,
//! what waits now, commitments kept, per term), the liaison's desk (`/office`: what was
//! forwarded to their office, answered there), and the presidium's page of liaisons.
//! Owns `office_liaison` and the office's columns of `complaint` (`forwarded_at` is set
//! by the complaint workflow when it forwards).

mod clock;
mod desk;
mod invites;
mod liaisons;
mod public;
pub mod queries;

pub use clock::{office_clock, ForwardedCase, OfficeClock};
pub use invites::redacted_path;

use axum::{
    extract::Request,
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};

use crate::{
    app::AppState,
    error::AppError,
    web::{context::RequestContext, dept_access::require_presidium},
};

/// `/offices/{slug}`
#[derive(serde::Deserialize)]
pub struct OfficeSlugPath {
    pub slug: String,
}

/// `/presidium/offices/{office_id}/liaisons/{user_id}/remove`
#[derive(serde::Deserialize)]
pub struct LiaisonPath {
    pub office_id: i64,
    pub user_id: i64,
}

pub fn router() -> Router<AppState> {
    let public = Router::new()
        .route("/offices", get(public::list_offices))
        .route("/offices/{slug}", get(public::show_office))
        .route("/offices/{slug}/report", get(public::print_report))
        // By token: the page says what to do; accepting needs a signed-in, verified account.
        .route("/offices/invites/{token}", get(invites::show))
        .route("/offices/invites/{token}/accept", post(invites::accept));
    let desk = Router::new()
        .route("/office", get(desk::list_cases))
        .route("/office/complaints/{tracking_no}", get(desk::show_case))
        .route("/office/complaints/{tracking_no}/answer", post(desk::answer))
        .route("/office/complaints/{tracking_no}/ask", post(desk::ask))
        .route("/office/complaints/{tracking_no}/plan", post(desk::plan))
        .route("/office/complaints/{tracking_no}/done", post(desk::mark_done))
        .route(
            "/office/commitments/{commitment_id}/update",
            post(crate::reception::commitments::updates::update_by_liaison)
                .layer(axum::extract::DefaultBodyLimit::max(crate::config::UPLOAD_LIMIT)),
        )
        .route_layer(middleware::from_fn(require_liaison));
    let presidium = Router::new()
        .route("/presidium/offices", get(liaisons::show_liaisons))
        .route("/presidium/offices/liaisons", post(liaisons::add_liaison))
        .route("/presidium/offices/{office_id}/liaisons/{user_id}/remove", post(liaisons::remove_liaison))
        .route("/presidium/offices/{office_id}/invites", post(invites::invite))
        .route("/presidium/offices/invites/{invite_id}/revoke", post(invites::revoke))
        .route_layer(middleware::from_fn(require_presidium));
    public.merge(desk).merge(presidium)
}

/// The liaison's desk: only accounts that answer for an office. The desk's queries
/// keep to the viewer's own offices again (`queries::desk`).
async fn require_liaison(req: Request, next: Next) -> Response {
    let Some(ctx) = req.extensions().get::<RequestContext>() else {
        return AppError::Forbidden.into_response();
    };
    match &ctx.viewer {
        None => AppError::Unauthenticated(ctx.path.clone()).into_response(),
        Some(v) if !v.liaison_offices.is_empty() => next.run(req).await,
        Some(_) => {
            tracing::warn!(path = req.uri().path(), "denied: not an office liaison");
            AppError::Forbidden.into_response()
        }
    }
}
