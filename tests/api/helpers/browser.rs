//! `Browser`: one visitor in process (cookies, the last CSRF token seen, a client address), and the responses it reads.

use std::collections::HashMap;

use axum::{
    body::Body,
    http::{header, HeaderMap, Method, Request, StatusCode},
    Router,
};
use tower::ServiceExt;

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as sent, for downloads that are not text.
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn location(&self) -> Option<&str> {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok())
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    /// The value of a form field as the page shows it.
    pub fn field_value(&self, name: &str) -> Option<String> {
        let doc = scraper::Html::parse_document(&self.body);
        // The page's own form first: the header has forms too (language, logout).
        let in_main = scraper::Selector::parse(&format!("main [name=\"{name}\"]")).expect("selector");
        let anywhere = scraper::Selector::parse(&format!("[name=\"{name}\"]")).expect("selector");
        doc.select(&in_main)
            .next()
            .or_else(|| doc.select(&anywhere).next())
            .and_then(|e| e.value().attr("value").map(str::to_string))
    }
    /// The value of the input with this id.
    pub fn value_by_id(&self, id: &str) -> Option<String> {
        let doc = scraper::Html::parse_document(&self.body);
        let sel = scraper::Selector::parse(&format!("#{id}")).expect("selector");
        doc.select(&sel).next().and_then(|e| e.value().attr("value").map(str::to_string))
    }

    /// Text of the error message tied to a field (`aria-describedby`).
    pub fn field_error(&self, name: &str) -> Option<String> {
        let doc = scraper::Html::parse_document(&self.body);
        let sel = scraper::Selector::parse(&format!("#e-{name}")).expect("selector");
        doc.select(&sel).next().map(|e| e.text().collect::<String>().trim().to_string())
    }
}

pub struct Browser {
    router: Router,
    pub jar: HashMap<String, String>,
    pub csrf: Option<String>,
    pub ip: String,
}

impl Browser {
    pub fn new(router: Router) -> Browser {
        Browser { router, jar: HashMap::new(), csrf: None, ip: "192.0.2.10".into() }
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        self.send(Method::GET, path, None, &[]).await
    }

    /// Submit a form the way a browser would, with the CSRF token of the last page.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        if self.csrf.is_none() {
            self.get("/").await;
        }
        let token = self.csrf.clone().unwrap_or_default();
        let body = form_body(&token, fields);
        self.post_raw(path, body, &[(header::CONTENT_TYPE.as_str(), "application/x-www-form-urlencoded")]).await
    }

    /// Submit a multipart form (text fields, then files as `(field, file name, bytes)`), token first.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> TestResponse {
        if self.csrf.is_none() {
            self.get("/").await;
        }
        let token = self.csrf.clone().unwrap_or_default();
        let (body, content_type) = multipart_body(&token, fields, files);
        self.send_bytes(Method::POST, path, body, &[(header::CONTENT_TYPE.as_str(), content_type.as_str())]).await
    }

    pub async fn post_raw(&mut self, path: &str, body: String, headers: &[(&str, &str)]) -> TestResponse {
        self.send(Method::POST, path, Some(body), headers).await
    }

    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        body: Option<String>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        self.send_bytes(method, path, body.map(String::into_bytes).unwrap_or_default(), headers).await
    }

    pub async fn send_bytes(
        &mut self,
        method: Method,
        path: &str,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("x-forwarded-for", &self.ip)
            .header(header::HOST, "portal.test");
        if let Some(cookies) = cookie_header(&self.jar) {
            req = req.header(header::COOKIE, cookies);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req.body(Body::from(body)).expect("request");
        let response = self.router.clone().oneshot(req).await.expect("router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        keep_cookies(&mut self.jar, &mut self.csrf, &headers);
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("body");
        let body = String::from_utf8_lossy(&bytes).into_owned();
        let page = TestResponse { status, headers, body, bytes: bytes.to_vec() };
        if let Some(token) = page.field_value("csrf_token") {
            self.csrf = Some(token);
        }
        page
    }

    /// Log in through the real form.
    pub async fn login(&mut self, student_no: &str, password: &str) -> TestResponse {
        self.get("/login").await;
        self.post_form("/login", &[("student_no", student_no), ("password", password)]).await
    }
}

/// A urlencoded form with the CSRF token first.
pub(super) fn form_body(token: &str, fields: &[(&str, &str)]) -> String {
    let mut all: Vec<(&str, &str)> = vec![("csrf_token", token)];
    all.extend_from_slice(fields);
    serde_urlencoded::to_string(&all).expect("encode form")
}

/// A multipart body (token first, then the text fields, then the files) and its content type.
pub(super) fn multipart_body(token: &str, fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (Vec<u8>, String) {
    let boundary = "----portal-test-boundary-7MA4YWxkTrZu0gW";
    let mut body: Vec<u8> = vec![];
    for (name, value) in std::iter::once(("csrf_token", token)).chain(fields.iter().copied()) {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    for (name, file_name, bytes) in files {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (body, format!("multipart/form-data; boundary={boundary}"))
}

pub(super) fn cookie_header(jar: &HashMap<String, String>) -> Option<String> {
    (!jar.is_empty()).then(|| jar.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "))
}

/// Keep the cookies a response sets, as a browser would.
pub(super) fn keep_cookies(jar: &mut HashMap<String, String>, csrf: &mut Option<String>, headers: &HeaderMap) {
    for set in headers.get_all(header::SET_COOKIE) {
        let set = set.to_str().expect("cookie header");
        let pair = set.split(';').next().expect("cookie pair");
        let (name, value) = pair.split_once('=').expect("name=value");
        if name == "portal_session" {
            // A new session brings a new CSRF token: read it from the next page.
            *csrf = None;
        }
        if set.contains("Max-Age=0") {
            jar.remove(name);
        } else {
            jar.insert(name.to_string(), value.to_string());
        }
    }
}
