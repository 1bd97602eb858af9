//! What every API answer shares: JSON bodies, the error shape, paging by cursor with a
//! `Link` header, ETags with `If-None-Match`, and the language of error messages.

use axum::{
    body::{to_bytes, Body},
    extract::Request,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    Json,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::web::Lang;

/// Most items one page may hold, and how many when not asked.
pub const MAX_PER_PAGE: i64 = 100;
pub const DEFAULT_PER_PAGE: i64 = 30;

/// A refused request: `{ "error": "...", "field": "..." }`, the message in the language
/// `Accept-Language` prefers (Chinese unless English comes first).
#[derive(Debug)]
pub enum ApiError {
    /// A parameter the API cannot read: its name and the catalogue key of the message.
    BadParam {
        field: &'static str,
        key: &'static str,
    },
    NotFound,
    /// A value the database refused as data (a NUL byte in a path or a parameter): 400.
    Refused,
    /// The database is away, or a fault of ours: logged, never shown.
    Internal(anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Sorted as the pages sort it (`AppError`): a value refused as data is the request's fault,
/// and its message, which may quote the value, is not logged.
impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        crate::error::AppError::from(e).into()
    }
}

impl From<crate::error::AppError> for ApiError {
    fn from(e: crate::error::AppError) -> Self {
        match e {
            crate::error::AppError::NotFound => ApiError::NotFound,
            crate::error::AppError::BadRequest => ApiError::Refused,
            other => ApiError::Internal(anyhow::anyhow!("{other}")),
        }
    }
}

/// The error body (documented in the OpenAPI document).
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in Chinese (or English when Accept-Language asks for it).
    pub error: String,
    /// The query parameter at fault, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// The error keeps its kind until `json_errors` writes it in the request's language.
#[derive(Clone, Copy)]
struct ErrorKind {
    field: Option<&'static str>,
    key: &'static str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, kind) = match self {
            ApiError::BadParam { field, key } => (StatusCode::BAD_REQUEST, ErrorKind { field: Some(field), key }),
            ApiError::NotFound => (StatusCode::NOT_FOUND, ErrorKind { field: None, key: "api.error.not_found" }),
            ApiError::Refused => (StatusCode::BAD_REQUEST, ErrorKind { field: None, key: "api.error.bad_request" }),
            ApiError::Internal(e) => {
                tracing::error!(error = %e, "api request failed");
                (StatusCode::SERVICE_UNAVAILABLE, ErrorKind { field: None, key: "api.error.unavailable" })
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(kind);
        response
    }
}

/// Accept-Language: English when an English tag comes before any Chinese one.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    for tag in accept.split(',').map(|t| t.split(';').next().unwrap_or("").trim().to_ascii_lowercase()) {
        if tag.starts_with("en") {
            return Lang::En;
        }
        if tag.starts_with("zh") {
            return Lang::Zh;
        }
    }
    Lang::Zh
}

/// Turns every error of the API (its own, a layer's 405 or 408, a panic's 500) into the JSON
/// error body; no HTML page and no internal detail.
pub async fn json_errors(req: Request, next: Next) -> Response {
    let lang = lang_of(req.headers());
    let response = next.run(req).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let kind = response.extensions().get::<ErrorKind>().copied().unwrap_or(ErrorKind {
        field: None,
        key: match status {
            StatusCode::NOT_FOUND => "api.error.not_found",
            StatusCode::METHOD_NOT_ALLOWED => "api.error.method",
            s if s.is_server_error() => "api.error.unavailable",
            _ => "api.error.bad_request",
        },
    });
    let body = ErrorBody { error: lang.t(kind.key).into_owned(), field: kind.field.map(str::to_string) };
    let (parts, _) = response.into_parts();
    let mut fresh = (status, Json(body)).into_response();
    for name in [header::ALLOW, header::RETRY_AFTER, header::ACCESS_CONTROL_ALLOW_ORIGIN, header::VARY] {
        for value in parts.headers.get_all(&name) {
            fresh.headers_mut().append(name.clone(), value.clone());
        }
    }
    fresh.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    fresh
}

/// Successful GETs get a weak ETag (a hash of the body; weak because the compression layer
/// outside may send it gzipped or not) and may be cached for a minute;
/// a request whose `If-None-Match` names the ETag gets 304 and no body.
pub async fn conditional_get(req: Request, next: Next) -> Response {
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_string);
    let response = next.run(req).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // The API's answers are small JSON documents, built in memory anyway.
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let etag = format!("W/\"{}\"", &hex(&Sha256::digest(&bytes))[..32]);
    // If-None-Match compares weakly: with or without the W/ prefix.
    let bare = etag.trim_start_matches("W/");
    let matches = if_none_match
        .is_some_and(|v| v.split(',').any(|t| t.trim() == "*" || t.trim().trim_start_matches("W/") == bare));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        parts.headers.insert(header::ETAG, value);
    }
    parts.headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
    if matches {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_TYPE);
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `?cursor=&per_page=`: the page size, checked; the cursor is read by each list.
#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// From a previous page's `next`.
    pub cursor: String,
    /// 1 to 100 (30 when not given).
    pub per_page: String,
}

impl Paging {
    pub fn per_page(&self) -> ApiResult<i64> {
        if self.per_page.is_empty() {
            return Ok(DEFAULT_PER_PAGE);
        }
        match self.per_page.parse::<i64>() {
            Ok(n) if (1..=MAX_PER_PAGE).contains(&n) => Ok(n),
            _ => Err(ApiError::BadParam { field: "per_page", key: "api.error.per_page" }),
        }
    }

    /// The cursor read by `parse`; a cursor given and unreadable is a 400.
    pub fn cursor<T>(&self, parse: impl Fn(&str) -> Option<T>) -> ApiResult<Option<T>> {
        if self.cursor.is_empty() {
            return Ok(None);
        }
        parse(&self.cursor).map(Some).ok_or(ApiError::BadParam { field: "cursor", key: "api.error.cursor" })
    }

    /// The cursor of a list the pages number rather than key: how many items came before.
    pub fn offset(&self) -> ApiResult<i64> {
        Ok(self.cursor(|c| c.parse::<i64>().ok().filter(|n| (0..=1_000_000).contains(n)))?.unwrap_or(0))
    }
}

/// One page of a list: `next` is the absolute URL of the page after it (also in `Link`).
#[derive(Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub per_page: i64,
    pub next: Option<String>,
}

impl<T: Serialize> IntoResponse for Page<T> {
    fn into_response(self) -> Response {
        let next = self.next.clone();
        with_link(Json(self), next.as_deref())
    }
}

/// A JSON answer with `Link: <next>; rel="next"` when there is a page after it.
pub fn with_link(body: impl IntoResponse, next: Option<&str>) -> Response {
    let link = next.and_then(|n| HeaderValue::from_str(&format!("<{n}>; rel=\"next\"")).ok());
    let mut response = body.into_response();
    if let Some(link) = link {
        response.headers_mut().insert(header::LINK, link);
    }
    response
}

/// The URL of the next page: this request's path and query with `cursor` replaced.
pub fn next_url(origin: &str, path: &str, query: &[(&str, &str)], cursor: Option<String>) -> Option<String> {
    let cursor = cursor?;
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in query.iter().filter(|(k, v)| *k != "cursor" && !v.is_empty()) {
        q.append_pair(k, v);
    }
    q.append_pair("cursor", &cursor);
    Some(format!("{origin}{path}?{}", q.finish()))
}

/// The portal's public origin (or this request's host), for the absolute `url` of each object.
pub struct Origin(pub String);

impl axum::extract::FromRequestParts<crate::app::AppState> for Origin {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &crate::app::AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Origin(crate::web::base_url(state, &parts.headers)))
    }
}
