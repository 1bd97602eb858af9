//! Photos: checked by content (JPEG, PNG, WebP only), size- and pixel-limited
//! against decompression bombs, decoded and re-encoded as JPEG so that no
//! metadata (EXIF, GPS) survives, with the phone's rotation applied first;
//! thumbnails; stored under the data directory with random names. Owns no
//! routes: each area serves its photos behind its own visibility rules.

mod decoders;
mod gate;
mod storage;
pub use storage::{copy_everything, Copied, Storage};

pub use decoders::{decodes_running, hold_every_decoder, process_all};
pub use gate::{gate_uploads, read_multipart, read_multipart_files, UploadGate, MOST_LARGE_BODIES};

use std::io::Cursor;

use image::{codecs::jpeg::JpegEncoder, DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// Largest file accepted, in bytes.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// Largest side of a decoded image, in pixels.
const MAX_SIDE: u32 = 12_000;
/// Most pixels in one photo: a 48-megapixel phone photo passes, a few kilobytes of
/// PNG that claim 100 megapixels (a decompression bomb) are refused before decoding.
pub const MAX_PIXELS: u64 = 50_000_000;
/// Most memory one decode may take: 50 megapixels of RGB, with room for the decoder.
const MAX_DECODE_BYTES: u64 = 192 * 1024 * 1024;
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

/// A name the portal made (`new_name`); anything else is never looked up.
pub fn is_upload_name(name: &str) -> bool {
    name.strip_suffix(".jpg").is_some_and(|stem| stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Where a stored file lives in the local folder (`Storage::local`: backups and restores
/// copy that folder); `None` for a name the portal did not make.
pub fn path_of(data_dir: &std::path::Path, name: &str) -> Option<std::path::PathBuf> {
    is_upload_name(name).then(|| data_dir.join("uploads").join(&name[..2]).join(name))
}

fn object_of(storage: &Storage, name: &str) -> std::io::Result<object_store::path::Path> {
    if is_upload_name(name) {
        Ok(storage.object(name))
    } else {
        Err(std::io::Error::other("bad upload name"))
    }
}

pub async fn store(storage: &Storage, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let object = object_of(storage, name)?;
    storage.store().put(&object, bytes.to_vec().into()).await.map_err(std::io::Error::other)?;
    Ok(())
}

pub async fn remove(storage: &Storage, name: &str) {
    if let Ok(object) = object_of(storage, name) {
        let _ = storage.store().delete(&object).await;
    }
}

pub async fn read(storage: &Storage, name: &str) -> std::io::Result<Vec<u8>> {
    let object = object_of(storage, name)?;
    let got = storage.store().get(&object).await.map_err(std::io::Error::other)?;
    Ok(got.bytes().await.map_err(std::io::Error::other)?.to_vec())
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

/// A stored photo as a response, streamed from storage: JPEG, cached by anyone only when
/// `public`, and never treated as a page by the browser. A file that is gone is a 404; a
/// bucket that does not answer, a 503.
pub async fn photo_response(
    storage: &Storage,
    name: &str,
    public: bool,
) -> crate::error::AppResult<axum::response::Response> {
    use crate::error::AppError;
    use axum::{
        http::{header, HeaderValue},
        response::IntoResponse,
    };
    let object = object_of(storage, name).map_err(|_| AppError::NotFound)?;
    let got = match storage.store().get(&object).await {
        Ok(got) => got,
        Err(object_store::Error::NotFound { .. }) => return Err(AppError::NotFound),
        Err(error) => {
            tracing::warn!(%error, "the upload storage did not answer");
            return Err(AppError::Unavailable);
        }
    };
    let length = got.meta.size;
    let body = axum::body::Body::from_stream(got.into_stream());
    let cache = if public { "public, max-age=86400" } else { "private, no-store" };
    let mut response = ([(header::CONTENT_TYPE, "image/jpeg")], body).into_response();
    response.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    // Served bytes are ours, but never let a browser treat them as a page.
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox"));
    Ok(response)
}

/// A photo stored as its full size and thumbnail: `(full name, thumb name, width, height)`.
pub type StoredPhoto = (String, String, u32, u32);

/// Store processed photos under new names; on failure nothing stays behind.
pub async fn store_all(storage: &Storage, photos: &[Processed]) -> std::io::Result<Vec<StoredPhoto>> {
    let mut stored: Vec<StoredPhoto> = vec![];
    for p in photos {
        let (full, thumb) = (new_name(), new_name());
        let saved = match store(storage, &full, &p.full).await {
            Ok(()) => store(storage, &thumb, &p.thumb).await,
            Err(e) => Err(e),
        };
        stored.push((full, thumb, p.width, p.height));
        if let Err(e) = saved {
            remove_all(storage, &stored).await;
            return Err(e);
        }
    }
    Ok(stored)
}

/// A stored photo copied under new names, for another record that must not lose it when
/// the first is deleted (an inspection's photo attached to the complaint it opened).
pub async fn copy(storage: &Storage, full: &str, thumb: &str) -> std::io::Result<StoredPhoto> {
    let (full_bytes, thumb_bytes) = (read(storage, full).await?, read(storage, thumb).await?);
    let reader = ImageReader::new(Cursor::new(&full_bytes)).with_guessed_format()?;
    let (width, height) = reader.into_dimensions().map_err(std::io::Error::other)?;
    let processed = Processed { full: full_bytes, thumb: thumb_bytes, width, height };
    let mut stored = store_all(storage, std::slice::from_ref(&processed)).await?;
    stored.pop().ok_or_else(|| std::io::Error::other("nothing stored"))
}

/// Remove stored photos (a save that failed after storing them leaves no orphans).
pub async fn remove_all(storage: &Storage, stored: &[StoredPhoto]) {
    for (full, thumb, ..) in stored {
        remove(storage, full).await;
        remove(storage, thumb).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn png(w: u32, h: u32) -> Vec<u8> {
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

    #[test]
    fn only_names_the_portal_made_map_to_paths() {
        let name = new_name();
        assert!(is_upload_name(&name));
        for evil in [
            "../../etc/passwd",
            "x.jpg",
            "../0123456789abcdef0123456789abcdef.jpg",
            "0123456789abcdef0123456789abcdeg.jpg",
        ] {
            assert!(!is_upload_name(evil), "{evil}");
        }
    }
}
