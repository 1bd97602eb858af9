//! Reading a photo form's body: who may send one, how many large bodies are read at
//! once, and the form's fields and files.

use std::{sync::Arc, time::Duration};

use tokio::sync::Semaphore;

/// Most requests to an upload route whose large bodies may be read at once: each
/// may hold `config::UPLOAD_LIMIT` in memory while it is read and decoded.
pub const MOST_LARGE_BODIES: usize = 8;
/// How long a large body waits for its turn before the form is answered "busy".
const LARGE_BODY_WAIT: Duration = Duration::from_secs(3);

/// Before any body of a photo form is read: refuse a visitor without a session (to
/// the login page, as the route itself would), and past `MOST_LARGE_BODIES` large
/// bodies being read at once answer "busy" at once. Layered inside `load_context`
/// and outside the CSRF check, which reads the body.
#[derive(Clone)]
pub struct UploadGate {
    large_bodies: Arc<Semaphore>,
    /// A body up to this size is not large: it is held to it anyway.
    small: usize,
}

impl UploadGate {
    pub fn new(small_body_limit: usize) -> Self {
        UploadGate { large_bodies: Arc::new(Semaphore::new(MOST_LARGE_BODIES)), small: small_body_limit }
    }
}

pub async fn gate_uploads(
    axum::extract::State(gate): axum::extract::State<UploadGate>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::{
        extract::MatchedPath,
        http::{header, Method, StatusCode},
        response::IntoResponse,
    };
    let photo_route = req.method() == Method::POST
        && req.extensions().get::<MatchedPath>().is_some_and(|m| crate::web::csrf::PHOTO_ROUTES.contains(&m.as_str()));
    if !photo_route {
        return next.run(req).await;
    }
    match req.extensions().get::<crate::web::context::RequestContext>() {
        Some(ctx) if ctx.viewer.is_some() => {}
        Some(ctx) => return crate::error::AppError::Unauthenticated(ctx.path.clone()).into_response(),
        None => return crate::error::AppError::Forbidden.into_response(),
    }
    // The body's announced length; without one (chunked) it may be as large as any.
    let length = axum::body::HttpBody::size_hint(req.body()).upper();
    if length.is_some_and(|n| n <= gate.small as u64) {
        return next.run(req).await;
    }
    // Waiting here reads nothing: the client's bytes stay in its socket meanwhile.
    let slot = tokio::time::timeout(LARGE_BODY_WAIT, gate.large_bodies.clone().acquire_owned()).await;
    let Ok(Ok(_reading)) = slot else {
        tracing::warn!(path = req.uri().path(), "uploads: too many large bodies at once");
        let mut busy = crate::error::error_page(StatusCode::SERVICE_UNAVAILABLE, None);
        busy.headers_mut().insert(header::RETRY_AFTER, axum::http::HeaderValue::from_static("5"));
        return busy;
    };
    next.run(req).await
}

/// The text fields of a multipart form and the files chosen in its `file_field`.
/// Fields the form does not know are the caller's to ignore.
pub async fn read_multipart(
    multipart: axum::extract::Multipart,
    file_field: &str,
) -> Result<(Vec<(String, String)>, Vec<axum::body::Bytes>), axum::response::Response> {
    let (fields, files) = read_multipart_files(multipart, |name| name == file_field).await?;
    Ok((fields, files.into_iter().map(|(_, bytes)| bytes).collect()))
}

/// The text fields of a multipart form and the files chosen in the fields `is_file` names,
/// each with its field's name (a form with one photo input per line, such as a score sheet).
pub async fn read_multipart_files(
    mut multipart: axum::extract::Multipart,
    is_file: impl Fn(&str) -> bool,
) -> Result<(Vec<(String, String)>, Vec<(String, axum::body::Bytes)>), axum::response::Response> {
    use axum::response::IntoResponse;
    let mut fields = vec![];
    let mut files = vec![];
    while let Some(field) = multipart.next_field().await.map_err(IntoResponse::into_response)? {
        let name = field.name().unwrap_or_default().to_string();
        if is_file(&name) {
            let chosen = field.file_name().is_some_and(|f| !f.is_empty());
            let bytes = field.bytes().await.map_err(IntoResponse::into_response)?;
            if chosen && !bytes.is_empty() {
                files.push((name, bytes));
            }
        } else {
            let text = field.text().await.map_err(IntoResponse::into_response)?;
            fields.push((name, text));
        }
    }
    Ok((fields, files))
}
