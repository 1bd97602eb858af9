//! Static files, embedded in the binary. Each is linked as `/static/NAME?v=HASH`
//! and served with an ETag; a request that names the current hash may be cached
//! for a year. Compression is the router's job.

use std::sync::OnceLock;

use axum::{
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

use super::Path;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset { name: "app.css", content_type: "text/css; charset=utf-8", body: include_bytes!("../../static/app.css") },
    // The only script: a draw witness's commitment, hashed in their own browser.
    Asset {
        name: "witness.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../../static/witness.js"),
    },
    // The link preview's card and the installed app's icons (drawn by scripts/brand-images.py).
    png("og.png", include_bytes!("../../static/og.png")),
    png("icon-192.png", include_bytes!("../../static/icon-192.png")),
    png("icon-512.png", include_bytes!("../../static/icon-512.png")),
    png("icon-maskable-512.png", include_bytes!("../../static/icon-maskable-512.png")),
    png("apple-touch-icon.png", include_bytes!("../../static/apple-touch-icon.png")),
];

const fn png(name: &'static str, body: &'static [u8]) -> Asset {
    Asset { name, content_type: "image/png", body }
}

struct Fingerprinted {
    name: &'static str,
    hash: String,
    url: String,
}

fn fingerprints() -> &'static [Fingerprinted] {
    static ALL: OnceLock<Vec<Fingerprinted>> = OnceLock::new();
    ALL.get_or_init(|| {
        ASSETS
            .iter()
            .map(|a| {
                let digest = Sha256::digest(a.body);
                let hash: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
                Fingerprinted { name: a.name, url: format!("/static/{}?v={hash}", a.name), hash }
            })
            .collect()
    })
}

/// The versioned URL of an asset.
pub fn url(name: &str) -> &'static str {
    fingerprints().iter().find(|f| f.name == name).map(|f| f.url.as_str()).unwrap_or("/static/missing")
}

/// `/static/{name}`
#[derive(serde::Deserialize)]
pub struct AssetPath {
    name: String,
}

pub async fn serve_asset(
    Path(AssetPath { name }): Path<AssetPath>,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    let Some((asset, print)) = ASSETS.iter().zip(fingerprints()).find(|(a, _)| a.name == name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{}\"", print.hash);
    let versioned = uri.query() == Some(&format!("v={}", print.hash));
    let cache = if versioned { "public, max-age=31536000, immutable" } else { "public, no-cache" };
    let mut response = if headers.get(header::IF_NONE_MATCH).is_some_and(|v| v.as_bytes() == etag.as_bytes()) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, asset.content_type)], asset.body).into_response()
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    response
}
