//! Pictures for the demo's found items: the item's colour in a simple shape for its
//! category (an umbrella's canopy, a cup with its handle, a card…) on a desk-coloured
//! background, no text. Made in memory as PNG and handed to the same checks and
//! storage as an officer's upload, so each has its thumbnail like any photo.

use image::{ImageFormat, Rgb, RgbImage};

const WIDTH: u32 = 640;
const HEIGHT: u32 = 480;
const DESK: [u8; 3] = [226, 218, 202];
const SHADOW: [u8; 3] = [196, 188, 172];

/// One part of a shape, with how bright it is drawn (1.0: the item's colour).
enum Part {
    /// Centre, width, height, corner radius.
    Rect(f32, f32, f32, f32, f32, f32),
    /// Centre and radius.
    Disc(f32, f32, f32, f32),
    /// Centre, outer and inner radius.
    Ring(f32, f32, f32, f32, f32),
    /// The upper half of a disc: centre and radius.
    Dome(f32, f32, f32, f32),
}

impl Part {
    /// The part's shade at (x, y), when the point is inside it.
    fn at(&self, x: f32, y: f32) -> Option<f32> {
        let (inside, shade) = match *self {
            Part::Rect(cx, cy, w, h, r, shade) => {
                let (dx, dy) = (((x - cx).abs() - (w / 2.0 - r)).max(0.0), ((y - cy).abs() - (h / 2.0 - r)).max(0.0));
                (dx * dx + dy * dy <= r * r, shade)
            }
            Part::Disc(cx, cy, r, shade) => ((x - cx).hypot(y - cy) <= r, shade),
            Part::Ring(cx, cy, outer, inner, shade) => {
                let d = (x - cx).hypot(y - cy);
                (d <= outer && d >= inner, shade)
            }
            Part::Dome(cx, cy, r, shade) => (y <= cy && (x - cx).hypot(y - cy) <= r, shade),
        };
        inside.then_some(shade)
    }
}

fn parts(category: &str) -> Vec<Part> {
    use Part::*;
    match category {
        "umbrella" => vec![
            Dome(320.0, 250.0, 190.0, 1.0),
            Rect(320.0, 330.0, 14.0, 170.0, 4.0, 0.6),
            Ring(296.0, 410.0, 31.0, 17.0, 0.6),
            Rect(290.0, 385.0, 40.0, 30.0, 0.0, 0.0),
        ],
        "electronics" => vec![Rect(320.0, 250.0, 230.0, 170.0, 80.0, 1.0), Rect(320.0, 212.0, 228.0, 4.0, 0.0, 0.85)],
        "card" => vec![Rect(320.0, 240.0, 340.0, 214.0, 18.0, 1.0), Rect(320.0, 170.0, 340.0, 40.0, 0.0, 0.75)],
        "wallet" => vec![
            Rect(320.0, 250.0, 320.0, 220.0, 22.0, 1.0),
            Rect(380.0, 250.0, 200.0, 90.0, 16.0, 0.8),
            Disc(440.0, 250.0, 14.0, 1.2),
        ],
        "keys" => vec![
            Ring(220.0, 240.0, 72.0, 52.0, 1.0),
            Rect(370.0, 240.0, 200.0, 28.0, 6.0, 1.0),
            Rect(440.0, 262.0, 20.0, 26.0, 0.0, 1.0),
            Rect(400.0, 262.0, 20.0, 18.0, 0.0, 1.0),
            Disc(300.0, 240.0, 36.0, 1.0),
        ],
        "books" => vec![Rect(320.0, 240.0, 260.0, 340.0, 8.0, 1.0), Rect(205.0, 240.0, 30.0, 340.0, 0.0, 0.7)],
        "clothing" => vec![
            Rect(320.0, 290.0, 230.0, 260.0, 12.0, 1.0),
            Rect(320.0, 185.0, 420.0, 90.0, 20.0, 1.0),
            Disc(320.0, 140.0, 40.0, 0.8),
        ],
        // A cup or flask: the body and its handle.
        _ => vec![
            Ring(410.0, 250.0, 62.0, 40.0, 0.85),
            Rect(320.0, 250.0, 170.0, 260.0, 20.0, 1.0),
            Rect(320.0, 128.0, 180.0, 26.0, 10.0, 0.8),
        ],
    }
}

/// The colour the officer wrote, or one that suits the category.
fn colour(named: &str, category: &str) -> [u8; 3] {
    match named {
        "蓝色" => [52, 101, 164],
        "黑色" => [44, 44, 50],
        "白色" => [246, 246, 242],
        "棕色" => [125, 82, 50],
        "灰色" => [128, 130, 134],
        _ => match category {
            "keys" => [176, 176, 186],
            "books" => [176, 58, 48],
            "card" => [40, 110, 190],
            _ => [90, 140, 90],
        },
    }
}

fn scale(c: [u8; 3], by: f32) -> Rgb<u8> {
    Rgb(c.map(|v| (f32::from(v) * by).clamp(0.0, 255.0) as u8))
}

/// Whichever part drawn last covers (x, y).
fn shade_at(parts: &[Part], x: f32, y: f32) -> Option<f32> {
    parts.iter().rev().find_map(|p| p.at(x, y))
}

/// A PNG picture of an item of `category` in the colour named.
pub fn picture(category: &str, named_colour: &str) -> anyhow::Result<Vec<u8>> {
    let parts = parts(category);
    let item = colour(named_colour, category);
    let image = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let (x, y) = (x as f32, y as f32);
        match shade_at(&parts, x, y) {
            // Shade 0 cuts a part away (the hook's open side).
            Some(shade) if shade > 0.0 => scale(item, shade),
            _ if shade_at(&parts, x - 10.0, y - 10.0).is_some_and(|s| s > 0.0) => Rgb(SHADOW),
            _ => Rgb(DESK),
        }
    });
    let mut out = vec![];
    image.write_to(&mut std::io::Cursor::new(&mut out), ImageFormat::Png)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_category_is_a_picture_the_photo_checks_accept_in_the_items_colour() {
        for category in crate::lost_found::model::CATEGORIES {
            let png = picture(category, "蓝色").expect("drawn");
            let processed = crate::uploads::process(&png).expect("accepted like an upload");
            assert_eq!((processed.width, processed.height), (WIDTH, HEIGHT));
            let image = image::load_from_memory(&png).expect("decoded").to_rgb8();
            let blue = image.pixels().filter(|p| p.0 == [52, 101, 164]).count();
            assert!(blue > 10_000, "{category}: the item fills part of the picture");
        }
    }
}
