//! The web app manifest (`/manifest.webmanifest`): a student can put the portal on the
//! home screen, where it opens like an app, named in their language, with the icons of
//! `static/`. A route rather than a file, for the catalogue's name and the icons'
//! fingerprinted URLs.

use axum::{
    http::{header, HeaderMap, HeaderValue},
    response::{IntoResponse, Response},
};
use serde_json::json;

use super::{assets, Lang};

/// `--brand` and `--bg` of static/app.css: the title bar and the splash screen.
pub const THEME_COLOUR: &str = "#b3261e";
pub const BACKGROUND_COLOUR: &str = "#f6f7f9";

pub async fn serve_manifest(headers: HeaderMap) -> Response {
    let lang = Lang::from_headers(&headers);
    let icon = |name: &str, size: &str, purpose: &str| json!({ "src": assets::url(name), "sizes": size, "type": "image/png", "purpose": purpose });
    let manifest = json!({
        "id": "/",
        "name": lang.t("site.name"),
        "short_name": lang.t("site.short_name"),
        "description": lang.t("site.description"),
        "lang": lang.code(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            icon("icon-192.png", "192x192", "any"),
            icon("icon-512.png", "512x512", "any"),
            icon("icon-maskable-512.png", "512x512", "maskable"),
        ],
    });
    let mut response = ([(header::CONTENT_TYPE, "application/manifest+json")], manifest.to_string()).into_response();
    // Named in the language the cookie chose; checked again each time (it is a few hundred bytes).
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, no-cache"));
    h.insert(header::VARY, HeaderValue::from_static("cookie"));
    response
}
