//! `HttpBrowser`: one visitor over real TCP, to a portal served by `app::serve` or by the binary.

use std::collections::HashMap;

use axum::http::{header, Method};
use union_portal::web::session;

use super::*;

/// One visitor over real TCP, to a portal served by `app::serve` or by the binary:
/// a cookie jar, the last CSRF token seen, a client address (sent as X-Forwarded-For,
/// read only by a portal that trusts proxies). Point `base` at another process to
/// go there with the same cookies.
pub struct HttpBrowser {
    /// e.g. `http://127.0.0.1:40123`
    pub base: String,
    client: reqwest::Client,
    pub jar: HashMap<String, String>,
    pub csrf: Option<String>,
    pub ip: String,
}

impl HttpBrowser {
    pub fn new(base: &str) -> HttpBrowser {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .expect("HTTP client");
        HttpBrowser {
            base: base.trim_end_matches('/').to_string(),
            client,
            jar: HashMap::new(),
            csrf: None,
            ip: "192.0.2.20".into(),
        }
    }

    /// Logged in with a session made in the database (`session::insert_session`).
    pub fn signed_in(base: &str, session: &session::NewSession) -> HttpBrowser {
        let mut b = HttpBrowser::new(base);
        b.jar.insert("portal_session".into(), session.token.clone());
        b.csrf = Some(session.csrf_token.clone());
        b
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        self.try_send(Method::GET, path, vec![], None).await.unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// Submit a form the way a browser would, with the CSRF token of the last page.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        self.try_post_form(path, fields).await.unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    pub async fn try_post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> reqwest::Result<TestResponse> {
        if self.csrf.is_none() {
            self.try_send(Method::GET, "/", vec![], None).await?;
        }
        let body = form_body(self.csrf.as_deref().unwrap_or_default(), fields);
        self.try_send(Method::POST, path, body.into_bytes(), Some("application/x-www-form-urlencoded")).await
    }

    /// A multipart form (text fields, then files as `(field, file name, bytes)`), token first.
    pub async fn try_post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> reqwest::Result<TestResponse> {
        if self.csrf.is_none() {
            self.try_send(Method::GET, "/", vec![], None).await?;
        }
        let (body, content_type) = multipart_body(self.csrf.as_deref().unwrap_or_default(), fields, files);
        self.try_send(Method::POST, path, body, Some(&content_type)).await
    }

    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> TestResponse {
        self.try_post_multipart(path, fields, files).await.unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    /// One request; an error only when the portal does not answer (refused, reset, timed out).
    pub async fn try_send(
        &mut self,
        method: Method,
        path: &str,
        body: Vec<u8>,
        content_type: Option<&str>,
    ) -> reqwest::Result<TestResponse> {
        let mut req = self.client.request(method, format!("{}{path}", self.base)).header("x-forwarded-for", &self.ip);
        if let Some(cookies) = cookie_header(&self.jar) {
            req = req.header(header::COOKIE, cookies);
        }
        if let Some(content_type) = content_type {
            req = req.header(header::CONTENT_TYPE, content_type);
        }
        let response = req.body(body).send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        keep_cookies(&mut self.jar, &mut self.csrf, &headers);
        let bytes = response.bytes().await?;
        let page =
            TestResponse { status, body: String::from_utf8_lossy(&bytes).into_owned(), headers, bytes: bytes.to_vec() };
        if let Some(token) = page.field_value("csrf_token") {
            self.csrf = Some(token);
        }
        Ok(page)
    }
}
