//! What tests upload: images as a phone might send them.

/// A small PNG, as a phone might send one.
pub fn png() -> Vec<u8> {
    let mut out = vec![];
    image::DynamicImage::new_rgb8(40, 30)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encode");
    out
}
