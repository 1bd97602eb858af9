//! Friendly error pages in the visitor's language for every error response that
//! is not already a page: the app's own errors, and those of the layers (404,
//! 405, 408, 413, panics). They show a request id, never internal detail.

use askama::Template;
use axum::{
    extract::Request,
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};

use super::{i18n::Lang, layout::Layout};
use crate::error::ErrorPage;

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorTemplate {
    layout: Layout,
    status: u16,
    title_key: &'static str,
    message_key: &'static str,
    detail_key: Option<&'static str>,
    request_id: String,
}

pub async fn render_error_pages(req: Request, next: Next) -> Response {
    let lang = Lang::from_headers(req.headers());
    let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let response = next.run(req).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let marker = response.extensions().get::<ErrorPage>().copied();
    let is_html = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if marker.is_none() && is_html {
        return response; // a real page, such as a form shown again with its errors
    }
    let (title_key, message_key) = keys(status);
    let page = ErrorTemplate {
        layout: Layout::minimal(lang),
        status: status.as_u16(),
        title_key,
        message_key,
        detail_key: marker.and_then(|m| m.detail),
        request_id,
    };
    let body = page.render().unwrap_or_else(|_| status.to_string());
    let (parts, _) = response.into_parts();
    let mut fresh = (status, Html(body)).into_response();
    for name in [header::RETRY_AFTER, header::ALLOW, header::SET_COOKIE, header::LOCATION] {
        for value in parts.headers.get_all(&name) {
            fresh.headers_mut().append(name.clone(), value.clone());
        }
    }
    fresh.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    fresh
}

fn keys(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        403 => ("error.403.title", "error.403.message"),
        404 => ("error.404.title", "error.404.message"),
        405 => ("error.405.title", "error.405.message"),
        408 => ("error.408.title", "error.408.message"),
        409 => ("error.409.title", "error.409.message"),
        413 => ("error.413.title", "error.413.message"),
        429 => ("error.429.title", "error.429.message"),
        503 => ("error.503.title", "error.503.message"),
        s if s >= 500 => ("error.500.title", "error.500.message"),
        _ => ("error.400.title", "error.400.message"),
    }
}
