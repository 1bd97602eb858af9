//! The per-request context: who is asking, in which language, with which CSRF
//! token and flash message. `load_context` builds it once per request (one query
//! for a logged-in visitor, none for an anonymous one); extractors read it.

use std::sync::Arc;

use axum::{
    extract::{FromRequestParts, Request, State},
    http::{header, request::Parts, HeaderValue, Method},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::CookieJar;

use super::{
    i18n::Lang,
    page_cache,
    session::{self, FLASH_COOKIE},
};
use crate::{app::AppState, error::AppError};

use super::flash::{parse_flash, secure_flash_cookies, sets_cookie};
pub use super::flash::{redirect_with_flash, Flash};
use super::viewer::fetch_viewer;
pub use super::viewer::{HeldRole, Viewer};

#[derive(Debug, Clone)]
pub struct RequestContext {
    pub viewer: Option<Arc<Viewer>>,
    pub lang: Lang,
    pub csrf_token: String,
    pub flash: Option<Flash>,
    /// Path and query of this request, for "come back here" links.
    pub path: String,
    /// scheme://host of the portal as students reach it (`web::base_url`), for absolute links:
    /// QR codes on paper, link previews.
    pub origin: String,
}

pub async fn load_context(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(req.headers());
    let config = &state.config;
    let session_token = jar.get(session::session_cookie_name(config)).map(|c| c.value().to_string());
    let viewer = match session_token {
        Some(token) => match fetch_viewer(&state, &token).await {
            Ok(v) => v.map(Arc::new),
            Err(e) => return e.into_response(),
        },
        None => None,
    };
    // A user who must change the password (the first admin) may do only that.
    if viewer.as_ref().is_some_and(|v| v.must_change_password)
        && !matches!(req.uri().path(), "/account/password" | "/logout")
    {
        return Redirect::to("/account/password").into_response();
    }
    let (csrf_token, new_csrf_cookie) = csrf_token_for(&jar, config, viewer.as_deref());
    let flash_name = session::flash_cookie_name(config);
    let after = AfterResponse {
        new_csrf_cookie,
        stale_session_cookie: jar.get(session::session_cookie_name(config)).is_some() && viewer.is_none(),
        had_flash: jar.get(flash_name).is_some(),
        is_get: req.method() == Method::GET,
        logged_in: viewer.is_some(),
    };
    let flash = jar.get(flash_name).and_then(|c| parse_flash(c.value()));
    let path = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
    let lang = Lang::from_headers(req.headers());
    let origin = super::base_url(&state, req.headers());
    let context = RequestContext { viewer, lang, csrf_token, flash, path, origin };
    let shared_page = !after.logged_in
        && after.is_get
        && !after.had_flash
        && !config.page_cache.is_zero()
        && page_cache::may_share(req.uri().path());
    let mut response = run_or_cached(&state, req, next, context, shared_page).await;
    after.set_headers(config, response.headers_mut());
    response
}

/// The CSRF token of this request: the session's, or the anonymous visitor's cookie's, or a
/// new one (also returned second, to be set as the visitor's cookie).
fn csrf_token_for(
    jar: &CookieJar,
    config: &crate::config::Config,
    viewer: Option<&Viewer>,
) -> (String, Option<String>) {
    let anon_csrf = jar.get(session::csrf_cookie_name(config)).map(|c| c.value().to_string()).filter(|v| v.len() == 43);
    match (viewer, anon_csrf) {
        (Some(v), _) => (v.csrf_token.clone(), None),
        (None, Some(t)) => (t, None),
        (None, None) => {
            let t = session::random_token();
            (t.clone(), Some(t))
        }
    }
}

/// The handler's response; for an anonymous GET, the page micro-cache's (see `page_cache`).
async fn run_or_cached(
    state: &AppState,
    mut req: Request,
    next: Next,
    context: RequestContext,
    shared_page: bool,
) -> Response {
    // A shared page is kept under its path and the parameters it reads, and under the
    // origin its feeds' links name (the Host, when no public origin is configured).
    let canonical = shared_page.then(|| page_cache::canonical(req.uri().path(), req.uri().query()));
    let key = canonical.as_ref().map(|c| format!("{}{c}", context.origin));
    let lookup = key.as_ref().map(|key| state.pages.lookup(context.lang, key, state.config.page_cache));
    match (lookup, canonical, key) {
        (Some(page_cache::Lookup::Page(page)), ..) => page.response(&context.csrf_token),
        (Some(page_cache::Lookup::Render), Some(canonical), Some(key)) => {
            // Rendered from exactly what its key holds: other parameters never reach the
            // handler. (`path`, for "come back here" links, keeps them: a page that sends
            // the visitor to log in must bring them back to what they asked for.)
            if let Ok(uri) = canonical.parse() {
                *req.uri_mut() = uri;
            }
            let (lang, csrf_token) = (context.lang, context.csrf_token.clone());
            let rendered_with = page_cache::TOKEN_PLACEHOLDER.to_string();
            req.extensions_mut().insert(RequestContext { csrf_token: rendered_with, ..context });
            let response = next.run(req).await;
            state.pages.finish(lang, key, response, &csrf_token).await
        }
        _ => {
            req.extensions_mut().insert(context);
            next.run(req).await
        }
    }
}

/// What the request said that the response's headers answer.
struct AfterResponse {
    new_csrf_cookie: Option<String>,
    stale_session_cookie: bool,
    had_flash: bool,
    is_get: bool,
    logged_in: bool,
}

impl AfterResponse {
    fn set_headers(self, config: &crate::config::Config, headers: &mut axum::http::HeaderMap) {
        if let Some(token) = self.new_csrf_cookie {
            let name = session::csrf_cookie_name(config);
            headers.append(header::SET_COOKIE, session::cookie_header(config, name, &token, None));
        }
        if self.stale_session_cookie {
            headers.append(header::SET_COOKIE, session::removal_header(config, session::session_cookie_name(config)));
        }
        // A flash is shown once: on the first page rendered after it was set.
        let flash_name = session::flash_cookie_name(config);
        let is_page = headers.get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
        if self.had_flash && self.is_get && is_page && !sets_cookie(headers, FLASH_COOKIE) {
            headers.append(header::SET_COOKIE, session::removal_header(config, flash_name));
        }
        if config.secure_cookies {
            secure_flash_cookies(headers, flash_name);
        }
        if !headers.contains_key(header::CACHE_CONTROL) {
            // What a logged-in user gets (pages, registers, exports) holds personal data: never
            // kept anywhere. Anonymous pages carry a CSRF token: not in a shared cache.
            if self.logged_in {
                headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            } else if is_page {
                headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
            }
        }
    }
}

fn context(parts: &Parts) -> Result<&RequestContext, AppError> {
    // Missing only if a route was mounted outside `load_context`: fail closed.
    parts
        .extensions
        .get::<RequestContext>()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("request context missing")))
}

/// The logged-in user; anonymous visitors are sent to the login page and back.
pub struct CurrentUser(pub Arc<Viewer>);

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let ctx = context(parts)?;
        match &ctx.viewer {
            Some(v) => Ok(CurrentUser(v.clone())),
            None => Err(AppError::Unauthenticated(ctx.path.clone())),
        }
    }
}

/// The logged-in user, if any.
pub struct MaybeUser(pub Option<Arc<Viewer>>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        Ok(MaybeUser(context(parts)?.viewer.clone()))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestContext {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        context(parts).cloned()
    }
}

/// The client's address, for rate limits (see `app::client_ip`).
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(crate::app::client_ip(&state.config, parts)))
    }
}
