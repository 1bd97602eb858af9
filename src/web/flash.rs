//! Flash messages: a catalogue key (and one parameter) carried by a short-lived cookie
//! from a redirect to the next page, shown there once. Only keys under `flash.` are read back.

use axum::{
    http::{header, HeaderValue},
    response::{IntoResponse, Redirect, Response},
};

use super::session::FLASH_COOKIE;

#[derive(Debug, Clone)]
pub struct Flash {
    pub key: String,
    pub param: Option<String>,
}

/// Behind https the flash cookie set by a handler is renamed `__Host-flash` and made
/// `Secure` (`redirect_with_flash` knows no settings; it already says `Path=/` and no Domain).
pub(super) fn secure_flash_cookies(headers: &mut axum::http::HeaderMap, name: &str) {
    let is_flash = |v: &HeaderValue| v.as_bytes().starts_with(format!("{FLASH_COOKIE}=").as_bytes());
    let cookies: Vec<HeaderValue> = headers.get_all(header::SET_COOKIE).iter().cloned().collect();
    if !cookies.iter().any(is_flash) {
        return;
    }
    headers.remove(header::SET_COOKIE);
    for cookie in cookies {
        let secured = match cookie.to_str() {
            Ok(text) if is_flash(&cookie) => match text.strip_prefix(FLASH_COOKIE) {
                Some(rest) => {
                    let secure = if text.contains("; Secure") { "" } else { "; Secure" };
                    HeaderValue::from_str(&format!("{name}{rest}{secure}")).unwrap_or(cookie)
                }
                None => cookie,
            },
            _ => cookie,
        };
        headers.append(header::SET_COOKIE, secured);
    }
}

pub(super) fn sets_cookie(headers: &axum::http::HeaderMap, name: &str) -> bool {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.as_bytes().starts_with(name.as_bytes()) && v.as_bytes().get(name.len()) == Some(&b'='))
}

pub(super) fn parse_flash(value: &str) -> Option<Flash> {
    let decoded = percent_decode(value);
    let (key, param) = match decoded.split_once('|') {
        Some((k, p)) => (k.to_string(), Some(p.to_string())),
        None => (decoded, None),
    };
    // Only catalogue keys under `flash.` are shown; anything else is ignored.
    (key.starts_with("flash.")
        && key.len() < 80
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_'))
    .then_some(Flash { key, param })
}

fn percent_decode(s: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A redirect (303) that shows a flash message, from the catalogue, on the next page.
pub fn redirect_with_flash(to: &str, key: &'static str, param: Option<&str>) -> Response {
    let value = match param {
        Some(p) => super::forms::url_encode(&format!("{key}|{p}")),
        None => key.to_string(),
    };
    let cookie = format!("{FLASH_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=120");
    let mut response = Redirect::to(to).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flash_accepts_only_catalogue_keys() {
        assert_eq!(parse_flash("flash.logged_in").map(|f| f.key), Some("flash.logged_in".into()));
        let f = parse_flash("flash.filed%7CQY-2026-000001").expect("flash with a parameter");
        assert_eq!(f.param.as_deref(), Some("QY-2026-000001"));
        assert!(parse_flash("<script>").is_none());
        assert!(parse_flash("nav.home").is_none());
    }
}
