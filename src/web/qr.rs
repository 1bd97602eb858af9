//! QR codes for paper: a URL becomes an inline SVG that prints crisp at any size, so a
//! notice board, a poster or a receipt leads back to its page. The `qrcode` crate
//! encodes; the drawing is here, as one `<path>` of runs of dark modules. (The crate's
//! own SVG renderer starts with an XML prolog, which HTML does not allow, and draws every
//! module apart: about twice the bytes.)

use qrcode::{Color, QrCode};

/// Light modules around the code: the four the standard asks for, so a phone finds its edges
/// on a busy notice board.
pub const QUIET_ZONE: usize = 4;

/// The SVG of a QR code of `url`, `mm` millimetres wide, light background included (it
/// scans on any paper and on a dark screen). The portal's URLs always fit; one that does
/// not (over 2 KB) draws nothing rather than failing the page, whose URL is in text too.
pub fn svg(url: &str, mm: u32) -> String {
    let code = match QrCode::new(url.as_bytes()) {
        Ok(code) => code,
        Err(e) => {
            tracing::warn!(error = %e, len = url.len(), "no QR code for this URL");
            return String::new();
        }
    };
    let width = code.width();
    let size = width + 2 * QUIET_ZONE;
    let modules = code.to_colors();
    let mut path = String::with_capacity(width * width * 2);
    for (y, row) in modules.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            let run = row[x..].iter().take_while(|c| **c == Color::Dark).count();
            if run > 0 {
                let (left, top) = (x + QUIET_ZONE, y + QUIET_ZONE);
                path.push_str(&format!("M{left} {top}h{run}v1h-{run}z"));
            }
            x += run.max(1);
        }
    }
    format!(
        "<svg class=\"qr-code\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         width=\"{mm}mm\" height=\"{mm}mm\" shape-rendering=\"crispEdges\" aria-hidden=\"true\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_is_one_path_inside_a_quiet_zone() {
        let svg = svg("https://portal.example.edu/events/12", 30);
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"), "no XML prolog: {svg}");
        assert_eq!(svg.matches("<path").count(), 1);
        assert!(svg.contains("width=\"30mm\""));
        // Version 3 (29 modules) for a URL of this length, with four light modules on each side.
        assert!(svg.contains("viewBox=\"0 0 37 37\""), "{svg}");
        assert!(svg.contains("d=\"M4 4h7v1h-7z"), "the finder pattern's top row starts at the quiet zone: {svg}");
    }

    #[test]
    fn text_in_a_url_cannot_break_out_of_the_svg() {
        let svg = svg("https://portal.example.edu/?q=\"><script>", 20);
        assert!(!svg.contains("script"), "only the modules are drawn, never the text");
    }

    #[test]
    fn a_url_too_long_for_any_code_draws_nothing() {
        assert_eq!(svg(&"x".repeat(5000), 20), "");
    }
}
