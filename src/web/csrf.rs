//! CSRF protection for every state-changing request: the browser must say the
//! request is same-origin (Sec-Fetch-Site / Origin), and the form must carry the
//! token of this session (or, before login, of this browser's CSRF cookie).
//! A refusal is a 403 page and a log line.

use axum::{
    body::Body,
    extract::{MatchedPath, Request, State},
    http::{header, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};
use subtle::ConstantTimeEq;

use super::context::RequestContext;
use crate::{app::AppState, error::AppError};

pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "x-csrf-token";

pub async fn verify_csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // Safe methods change nothing; TRACE goes on to the router, which answers 405.
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE) {
        return next.run(req).await;
    }
    if is_one_click_unsubscribe(&req) {
        return next.run(req).await;
    }
    if let Err(reason) = same_origin(&state, &req) {
        tracing::warn!(reason, path = %crate::offices::redacted_path(req.uri().path()), "csrf: refused a cross-site request");
        return AppError::Forbidden.into_response();
    }
    let Some(expected) = req.extensions().get::<RequestContext>().map(|c| c.csrf_token.clone()) else {
        return AppError::Forbidden.into_response();
    };
    let (parts, body) = req.into_parts();
    let multipart = is_multipart(&parts.headers);
    // Only a form that takes photos may be as large as an upload; any other body, multipart
    // or not, is held to the small limit before it is buffered here.
    let limit =
        if multipart && takes_photos(&parts) { state.config.upload_limit_bytes } else { state.config.body_limit_bytes };
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => return crate::error::error_page(axum::http::StatusCode::PAYLOAD_TOO_LARGE, None),
    };
    let sent = parts
        .headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| form_field(&parts.headers, &bytes));
    let sent = match sent {
        None if multipart => multipart_field(&parts.headers, bytes.clone()).await,
        other => other,
    };
    let ok = sent.is_some_and(|s| s.as_bytes().ct_eq(expected.as_bytes()).into());
    if !ok {
        tracing::warn!(path = %crate::offices::redacted_path(parts.uri.path()), "csrf: missing or wrong token");
        return AppError::Forbidden.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Browsers say where a request comes from; anything cross-site is refused.
fn same_origin(state: &AppState, req: &Request) -> Result<(), &'static str> {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return Err("sec-fetch-site");
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let same = match &state.config.public_origin {
            Some(expected) => origin == expected,
            // No public URL configured: compare hosts only, so the portal also works
            // behind a TLS-terminating proxy. Browsers do not let pages forge `Origin`.
            None => {
                let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
                origin.split_once("://").is_some_and(|(_, h)| h == host)
            }
        };
        if !same {
            return Err("origin");
        }
    }
    Ok(())
}

/// RFC 8058's one-click unsubscribe: a mail client POSTs to the digest's `List-Unsubscribe`
/// URL from its own servers, with no session, cookie, token or `Origin` of ours. It is the one
/// exempt route: what it can do is switch one digest off, and only with the random token
/// the mail carries, which is the proof a CSRF token would be (`digest::unsubscribe`).
fn is_one_click_unsubscribe(req: &Request) -> bool {
    *req.method() == Method::POST
        && req.extensions().get::<MatchedPath>().is_some_and(|m| m.as_str() == crate::digest::UNSUBSCRIBE_PATH)
}

/// The routes whose multipart forms carry photos (their handlers raise the body limit
/// to `config::UPLOAD_LIMIT` too); matched paths as the router names them.
pub const PHOTO_ROUTES: [&str; 8] = [
    "/complaints/new",
    "/d/{dept}/lost-found/items",
    "/d/{dept}/commitments/{commitment_id}/update",
    "/office/commitments/{commitment_id}/update",
    "/lost-found/found/new",
    "/inspect/rounds/{round_id}/rooms/{room_id}",
    "/me/room/results/{result_id}/appeal",
    "/me/room/photos",
];

fn takes_photos(parts: &axum::http::request::Parts) -> bool {
    parts.extensions.get::<MatchedPath>().is_some_and(|m| PHOTO_ROUTES.contains(&m.as_str()))
}

fn is_multipart(headers: &axum::http::HeaderMap) -> bool {
    headers.get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"multipart/form-data"))
}

/// The token in a multipart form: forms put it first, so parsing stops early.
async fn multipart_field(headers: &axum::http::HeaderMap, body: axum::body::Bytes) -> Option<String> {
    let boundary = multer::parse_boundary(headers.get(header::CONTENT_TYPE)?.to_str().ok()?).ok()?;
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some(FIELD) {
            return field.text().await.ok();
        }
    }
    None
}

fn form_field(headers: &axum::http::HeaderMap, body: &[u8]) -> Option<String> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return None;
    }
    form_urlencoded::parse(body).find(|(k, _)| k == FIELD).map(|(_, v)| v.into_owned())
}
