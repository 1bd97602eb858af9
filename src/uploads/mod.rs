//! Photos: checked by content (JPEG, PNG, WebP only), size- and pixel-limited
//! against decompression bombs, decoded and re-encoded as JPEG so that no
//! metadata (EXIF, GPS) survives, with the phone's rotation applied first;
//! thumbnails; stored under the data directory with random names. Owns no
//! routes: each area serves its photos behind its own visibility rules.

use std::{
    io::Cursor,
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, LazyLock,
    },
    time::Duration,
};

use image::{codecs::jpeg::JpegEncoder, DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use tokio::sync::Semaphore;

use crate::web::limits::WaitingBound;

/// Largest file accepted, in bytes.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// Largest side of a decoded image, in pixels.
const MAX_SIDE: u32 = 12_000;
/// Most pixels in one photo: a 48-megapixel phone photo passes, a few kilobytes of
/// PNG that claim 100 megapixels (a decompression bomb) are refused before decoding.
pub const MAX_PIXELS: u64 = 50_000_000;
/// Most memory one decode may take: 50 megapixels of RGB, with room for the decoder.
const MAX_DECODE_BYTES: u64 = 192 * 1024 * 1024;
/// Most photo requests waiting for a decoder; past it the form says "busy, try again"
/// at once, rather than holding ever more uploaded bodies in memory.
const MOST_WAITING: usize = 16;
const THUMB_SIDE: u32 = 480;
const FULL_SIDE: u32 = 2_560;

pub struct Processed {
    pub full: Vec<u8>,
    pub thumb: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Check and re-encode one upload. The error is a catalogue key for the form.
pub fn process(bytes: &[u8]) -> Result<Processed, &'static str> {
    if bytes.len() > MAX_BYTES {
        return Err("form.photo.too_large");
    }
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| "form.photo.not_image")?;
    if !matches!(reader.format(), Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) {
        return Err("form.photo.not_image");
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| "form.photo.not_image")?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err("form.photo.too_many_pixels");
    }
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| "form.photo.not_image")?;
    if let Some(o) = orientation {
        image.apply_orientation(o);
    }
    let full = if image.width() > FULL_SIDE || image.height() > FULL_SIDE {
        image.thumbnail(FULL_SIDE, FULL_SIDE)
    } else {
        image
    };
    let thumb = full.thumbnail(THUMB_SIDE, THUMB_SIDE);
    Ok(Processed { width: full.width(), height: full.height(), full: jpeg(&full)?, thumb: jpeg(&thumb)? })
}

/// Encoding from pixels writes no metadata at all.
fn jpeg(image: &DynamicImage) -> Result<Vec<u8>, &'static str> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 85).encode_image(&image.to_rgb8()).map_err(|_| "form.photo.not_image")?;
    Ok(out)
}

/// A new random file name: 32 hex digits and `.jpg`.
pub fn new_name() -> String {
    let bytes: [u8; 16] = rand::random();
    format!("{}.jpg", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// Where a stored file lives; `None` for a name the portal did not make.
pub fn path_of(data_dir: &Path, name: &str) -> Option<PathBuf> {
    let stem = name.strip_suffix(".jpg")?;
    (stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| data_dir.join("uploads").join(&stem[..2]).join(name))
}

pub async fn store(data_dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = path_of(data_dir, name).ok_or_else(|| std::io::Error::other("bad upload name"))?;
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir).await?;
    }
    tokio::fs::write(path, bytes).await
}

pub async fn remove(data_dir: &Path, name: &str) {
    if let Some(path) = path_of(data_dir, name) {
        let _ = tokio::fs::remove_file(path).await;
    }
}

pub async fn read(data_dir: &Path, name: &str) -> std::io::Result<Vec<u8>> {
    let path = path_of(data_dir, name).ok_or_else(|| std::io::Error::other("bad upload name"))?;
    tokio::fs::read(path).await
}

/// `?size=thumb` on a photo's address asks for its thumbnail.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SizeQuery {
    size: String,
}

impl SizeQuery {
    pub fn thumb(&self) -> bool {
        self.size == "thumb"
    }
}

/// A stored photo as a response: JPEG, cached by anyone only when `public`, and never
/// treated as a page by the browser. A file that is gone is a 404.
pub async fn photo_response(
    data_dir: &Path,
    name: &str,
    public: bool,
) -> crate::error::AppResult<axum::response::Response> {
    use axum::{
        http::{header, HeaderValue},
        response::IntoResponse,
    };
    let bytes = read(data_dir, name).await.map_err(|_| crate::error::AppError::NotFound)?;
    let cache = if public { "public, max-age=86400" } else { "private, no-store" };
    let mut response = ([(header::CONTENT_TYPE, "image/jpeg")], bytes).into_response();
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    // Served bytes are ours, but never let a browser treat them as a page.
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox"));
    Ok(response)
}

/// A photo stored as its full size and thumbnail: `(full name, thumb name, width, height)`.
pub type StoredPhoto = (String, String, u32, u32);

/// Store processed photos under new names; on failure nothing stays behind.
pub async fn store_all(data_dir: &Path, photos: &[Processed]) -> std::io::Result<Vec<StoredPhoto>> {
    let mut stored: Vec<StoredPhoto> = vec![];
    for p in photos {
        let (full, thumb) = (new_name(), new_name());
        let saved = match store(data_dir, &full, &p.full).await {
            Ok(()) => store(data_dir, &thumb, &p.thumb).await,
            Err(e) => Err(e),
        };
        stored.push((full, thumb, p.width, p.height));
        if let Err(e) = saved {
            remove_all(data_dir, &stored).await;
            return Err(e);
        }
    }
    Ok(stored)
}

/// Remove stored photos (a save that failed after storing them leaves no orphans).
pub async fn remove_all(data_dir: &Path, stored: &[StoredPhoto]) {
    for (full, thumb, ..) in stored {
        remove(data_dir, full).await;
        remove(data_dir, thumb).await;
    }
}

/// The text fields of a multipart form and the files chosen in its `file_field`.
/// Fields the form does not know are the caller's to ignore.
pub async fn read_multipart(
    mut multipart: axum::extract::Multipart,
    file_field: &str,
) -> Result<(Vec<(String, String)>, Vec<axum::body::Bytes>), axum::response::Response> {
    use axum::response::IntoResponse;
    let mut fields = vec![];
    let mut files = vec![];
    while let Some(field) = multipart.next_field().await.map_err(IntoResponse::into_response)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == file_field {
            let chosen = field.file_name().is_some_and(|f| !f.is_empty());
            let bytes = field.bytes().await.map_err(IntoResponse::into_response)?;
            if chosen && !bytes.is_empty() {
                files.push(bytes);
            }
        } else {
            let text = field.text().await.map_err(IntoResponse::into_response)?;
            fields.push((name, text));
        }
    }
    Ok((fields, files))
}

/// Decoding is CPU- and memory-heavy: one request's photos at a time per spare core,
/// so a burst of uploads queues here instead of taking every core and hundreds of MB.
static DECODERS: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    Arc::new(Semaphore::new(decoder_count(cores)))
});
static WAITING: WaitingBound = WaitingBound::new(MOST_WAITING);
/// Decodes running now (for tests and operators: never more than the decoders).
static RUNNING: AtomicUsize = AtomicUsize::new(0);

fn decoder_count(cores: usize) -> usize {
    cores.saturating_sub(1).max(1)
}

/// Check and re-encode photos off the async runtime; the first problem is a catalogue key.
pub async fn process_all(
    photos: Vec<axum::body::Bytes>,
    max: usize,
) -> anyhow::Result<Result<Vec<Processed>, &'static str>> {
    if photos.len() > max {
        return Ok(Err("form.photo.too_many"));
    }
    if photos.is_empty() {
        return Ok(Ok(vec![]));
    }
    let Some(waiting) = WAITING.take() else {
        return Ok(Err("form.photo.busy"));
    };
    let decoder = DECODERS.clone().acquire_owned().await?;
    // The decoder and the queue place go with the decode, not with this request: a
    // request that times out or whose client goes away drops this future, but the
    // blocking decode runs on, and must keep counting against the bound until it ends.
    let done = tokio::task::spawn_blocking(move || {
        let _held = (decoder, waiting);
        RUNNING.fetch_add(1, Ordering::AcqRel);
        let done = photos.iter().map(|p| process(p)).collect::<Result<Vec<_>, _>>();
        RUNNING.fetch_sub(1, Ordering::AcqRel);
        done
    })
    .await?;
    Ok(done)
}

/// Photo decodes running at this moment.
pub fn decodes_running() -> usize {
    RUNNING.load(Ordering::Acquire)
}

/// Wait until no decode runs, and hold every decoder so that none starts: for
/// tests that check a decode never runs without its decoder.
pub async fn hold_every_decoder() -> anyhow::Result<tokio::sync::OwnedSemaphorePermit> {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let all = u32::try_from(decoder_count(cores))?;
    Ok(DECODERS.clone().acquire_many_owned(all).await?)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        DynamicImage::new_rgb8(w, h).write_to(&mut Cursor::new(&mut out), ImageFormat::Png).expect("png");
        out
    }

    #[test]
    fn an_image_is_re_encoded_as_jpeg_with_a_thumbnail() {
        let p = process(&png(1200, 800)).expect("processed");
        assert_eq!(&p.full[..3], &[0xFF, 0xD8, 0xFF]);
        assert_eq!((p.width, p.height), (1200, 800));
        let thumb = image::load_from_memory(&p.thumb).expect("thumb");
        assert!(thumb.width() <= THUMB_SIDE && thumb.height() <= THUMB_SIDE);
    }

    #[test]
    fn non_images_and_other_formats_are_refused_by_content() {
        assert_eq!(process(b"%PDF-1.4 not an image").err(), Some("form.photo.not_image"));
        assert_eq!(process(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;").err(), Some("form.photo.not_image"));
        let mut truncated = png(50, 50);
        truncated.truncate(40);
        assert_eq!(process(&truncated).err(), Some("form.photo.not_image"));
        assert_eq!(process(&vec![0u8; MAX_BYTES + 1]).err(), Some("form.photo.too_large"));
    }

    /// A PNG header that claims `w`×`h` pixels, followed by a few zero rows: what a
    /// decompression bomb looks like before its (tiny, highly compressed) data.
    fn claimed_png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, w, h);
            encoder.set_color(png::ColorType::Grayscale);
            let mut writer = encoder.write_header().expect("header");
            let mut stream = writer.stream_writer().expect("stream");
            std::io::Write::write_all(&mut stream, &vec![0u8; w as usize * 4]).expect("rows");
            std::io::Write::flush(&mut stream).expect("flushed into a data chunk");
            // Unfinished on purpose: the rows that would follow are what a bomb inflates.
            std::mem::forget(stream);
            std::mem::forget(writer);
        }
        out
    }

    #[test]
    fn a_decompression_bomb_is_refused_before_it_is_decoded() {
        // 11,000 × 11,000: under the side limit, 121 megapixels, a few hundred bytes.
        let bomb = claimed_png(11_000, 11_000);
        assert!(bomb.len() < 10_000, "{} bytes", bomb.len());
        assert_eq!(process(&bomb).err(), Some("form.photo.too_many_pixels"));
        // Past the side limit it is refused by the decoder's own limits.
        assert!(process(&claimed_png(20_000, 100)).is_err());
    }

    // A 48-megapixel phone photo (8,000 × 6,000) fits both limits.
    const _: () = assert!(8_000 * 6_000 <= MAX_PIXELS && 8_000 * 6_000 * 3 < MAX_DECODE_BYTES);

    #[tokio::test]
    async fn past_the_waiting_bound_photos_are_answered_busy_at_once() {
        let held: Vec<_> = (0..MOST_WAITING).map(|_| WAITING.take().expect("a place")).collect();
        let answer = process_all(vec![axum::body::Bytes::from(png(10, 10))], 1).await.expect("no failure");
        assert_eq!(answer.err(), Some("form.photo.busy"));
        drop(held);
        let answer = process_all(vec![axum::body::Bytes::from(png(10, 10))], 1).await.expect("no failure");
        assert!(answer.is_ok(), "served once the queue has room");
    }

    #[test]
    fn only_names_the_portal_made_map_to_paths() {
        let name = new_name();
        assert!(path_of(Path::new("/d"), &name).is_some());
        for evil in [
            "../../etc/passwd",
            "x.jpg",
            "../0123456789abcdef0123456789abcdef.jpg",
            "0123456789abcdef0123456789abcdeg.jpg",
        ] {
            assert!(path_of(Path::new("/d"), evil).is_none(), "{evil}");
        }
    }
}
