//! HTTP glue shared by every area, and no business rules: the per-request context
//! (session, language, CSRF token, flash), extractors for the current user and
//! their department role, CSRF checks, error pages, static assets and the app manifest, form helpers, QR codes.

pub mod assets;
pub mod context;
pub mod csp;
pub mod csrf;
pub mod dept_access;
pub mod error_pages;
pub mod export;
pub mod flash;
pub mod forms;
pub mod i18n;
pub mod layout;
pub mod limits;
pub mod manifest;
pub mod page_cache;
pub mod path;
pub mod qr;
pub mod session;
pub mod ttl_cache;
pub mod viewer;

pub use context::{CurrentUser, MaybeUser, RequestContext, Viewer};
pub use dept_access::{DeptAccess, DeptRole};
pub use forms::{FormErrors, Html422};
pub use i18n::Lang;
pub use layout::Layout;
pub use path::Path;

/// Render a page; a template error is an internal error, never shown. The buffer
/// starts at the size of a long page, so a list is not copied again as it grows.
pub fn render(page: impl askama::Template) -> crate::error::AppResult<String> {
    const LONG_PAGE: usize = 16 * 1024;
    let mut html = String::with_capacity(LONG_PAGE);
    page.render_into(&mut html).map_err(|e| crate::error::AppError::Internal(e.into()))?;
    Ok(html)
}

/// Where the portal is, for the absolute links a feed needs.
pub fn base_url(state: &crate::app::AppState, headers: &axum::http::HeaderMap) -> String {
    if let Some(origin) = &state.config.public_origin {
        return origin.clone();
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| h.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b)))
        .unwrap_or("localhost");
    format!("http://{host}")
}
