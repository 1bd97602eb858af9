//! Chart geometry for server-rendered SVG: every coordinate is computed here,
//! so a template only places what it is given. Charts draw in a fixed viewBox
//! and scale to the width of the page (360 px phones included); labels sit above
//! horizontal bars, so long office names never squeeze the bars.

/// One value to draw: its label and its text are already in the page's language.
pub struct Datum {
    pub label: String,
    pub value: f64,
    /// How the value reads ("12", "2.5", "75%", "18/30").
    pub shown: String,
    /// What the value is out of (seats offered): drawn as an outlined track behind the bar.
    pub capacity: Option<f64>,
}

impl Datum {
    pub fn count(label: impl Into<String>, n: i64) -> Datum {
        Datum { label: label.into(), value: n as f64, shown: n.to_string(), capacity: None }
    }
}

/// One bar (or column) placed in the viewBox.
#[derive(Debug)]
pub struct Bar {
    pub label: String,
    pub shown: String,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// Where the value's text goes.
    pub text_x: f64,
    pub text_y: f64,
    /// Where the label goes.
    pub label_x: f64,
    pub label_y: f64,
    /// The outlined track's width, when the value is out of a capacity.
    pub track: Option<f64>,
}

#[derive(Debug)]
pub struct Chart {
    /// Unique on the page: the SVG's title is `{id}-title`.
    pub id: &'static str,
    /// Columns (months along the bottom) rather than horizontal bars.
    pub columns: bool,
    pub view_w: f64,
    pub view_h: f64,
    /// The baseline of a column chart.
    pub axis_y: f64,
    pub bars: Vec<Bar>,
    empty: bool,
}

impl Chart {
    /// Nothing to draw: no rows, or every value (and capacity) zero. Pages say "no data yet" instead.
    pub fn is_empty(&self) -> bool {
        self.empty
    }
}

fn nothing_in(data: &[Datum]) -> bool {
    data.iter().all(|d| d.value <= 0.0 && d.capacity.unwrap_or(0.0) <= 0.0)
}

pub const VIEW_W: f64 = 320.0;
/// Right of the longest bar: room for its value ("100%", "120/150").
const VALUE_ROOM: f64 = 64.0;
const ROW_H: f64 = 44.0;
const BAR_H: f64 = 16.0;
const COLUMN_TOP: f64 = 18.0;
const PLOT_H: f64 = 120.0;
/// A value above zero stays visible however small it is next to the largest.
const MIN_LENGTH: f64 = 2.0;

/// Coordinates to one decimal: shorter markup, no `0.30000000000000004`.
fn r1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn scaled(value: f64, max: f64, room: f64) -> f64 {
    if value <= 0.0 || max <= 0.0 {
        0.0
    } else {
        r1((value / max * room).max(MIN_LENGTH))
    }
}

/// Horizontal bars, one row each: label above, bar below, value after the bar.
pub fn horizontal(id: &'static str, data: Vec<Datum>) -> Chart {
    let empty = nothing_in(&data);
    let max = data.iter().map(|d| d.value.max(d.capacity.unwrap_or(0.0))).fold(0.0, f64::max);
    let plot_w = VIEW_W - VALUE_ROOM;
    let bars = data
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            let top = i as f64 * ROW_H;
            let width = scaled(d.value, max, plot_w);
            let track = d.capacity.map(|c| scaled(c, max, plot_w));
            Bar {
                x: 0.0,
                y: top + 22.0,
                width,
                height: BAR_H,
                text_x: r1(width.max(track.unwrap_or(0.0)) + 6.0),
                text_y: top + 35.0,
                label_x: 0.0,
                label_y: top + 16.0,
                track,
                label: d.label,
                shown: d.shown,
            }
        })
        .collect::<Vec<_>>();
    let view_h = bars.len() as f64 * ROW_H + 4.0;
    Chart { id, columns: false, view_w: VIEW_W, view_h, axis_y: 0.0, bars, empty }
}

/// Columns side by side (months): value above each, label below the baseline.
pub fn columns(id: &'static str, data: Vec<Datum>) -> Chart {
    let empty = nothing_in(&data);
    let max = data.iter().map(|d| d.value).fold(0.0, f64::max);
    let slot = VIEW_W / data.len().max(1) as f64;
    let axis_y = COLUMN_TOP + PLOT_H;
    let bars = data
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            let height = scaled(d.value, max, PLOT_H);
            let centre = r1(i as f64 * slot + slot / 2.0);
            Bar {
                x: r1(i as f64 * slot + slot * 0.2),
                y: r1(axis_y - height),
                width: r1(slot * 0.6),
                height,
                text_x: centre,
                text_y: r1(axis_y - height - 4.0),
                label_x: centre,
                label_y: axis_y + 16.0,
                track: None,
                label: d.label,
                shown: d.shown,
            }
        })
        .collect();
    Chart { id, columns: true, view_w: VIEW_W, view_h: axis_y + 22.0, axis_y, bars, empty }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(values: &[i64]) -> Vec<Datum> {
        values.iter().enumerate().map(|(i, n)| Datum::count(format!("row {i}"), *n)).collect()
    }

    #[test]
    fn the_largest_bar_fills_the_plot_and_the_others_are_proportional() {
        let c = horizontal("c", counts(&[10, 5, 0]));
        let plot_w = VIEW_W - VALUE_ROOM;
        assert_eq!(c.bars[0].width, plot_w);
        assert_eq!(c.bars[1].width, plot_w / 2.0);
        assert_eq!(c.bars[2].width, 0.0);
        assert_eq!(c.bars[1].y - c.bars[0].y, ROW_H, "one row each");
        assert!(c.bars.iter().all(|b| b.label_y < b.y && b.text_x > b.width), "label above, value after the bar");
        assert_eq!(c.view_h, 3.0 * ROW_H + 4.0);
        assert!(c.bars.iter().all(|b| b.text_x + 40.0 <= c.view_w), "room for the value's text");
    }

    #[test]
    fn a_tiny_value_stays_visible_and_all_zero_is_empty() {
        let c = horizontal("c", counts(&[1000, 1]));
        assert_eq!(c.bars[1].width, MIN_LENGTH);
        assert!(!c.is_empty());
        assert!(horizontal("c", counts(&[0, 0])).is_empty());
        assert!(horizontal("c", vec![]).is_empty());
        assert!(columns("c", counts(&[0; 12])).is_empty());
        let nothing_taken = Datum { label: "a".into(), value: 0.0, shown: "0/30".into(), capacity: Some(30.0) };
        assert!(!horizontal("c", vec![nothing_taken]).is_empty(), "the seats offered are still worth a chart");
    }

    #[test]
    fn a_capacity_scales_with_the_values_and_the_text_follows_the_track() {
        let data = vec![
            Datum { label: "a".into(), value: 18.0, shown: "18/30".into(), capacity: Some(30.0) },
            Datum { label: "b".into(), value: 10.0, shown: "10/10".into(), capacity: Some(10.0) },
        ];
        let c = horizontal("c", data);
        let plot_w = VIEW_W - VALUE_ROOM;
        assert_eq!(c.bars[0].track, Some(plot_w), "the largest capacity fills the plot");
        assert_eq!(c.bars[0].width, r1(18.0 / 30.0 * plot_w));
        assert_eq!(c.bars[0].text_x, plot_w + 6.0);
        assert_eq!(c.bars[1].width, c.bars[1].track.unwrap());
    }

    #[test]
    fn columns_share_the_width_and_stand_on_the_baseline() {
        let c = columns("m", counts(&[0, 4, 8, 2]));
        let slot = VIEW_W / 4.0;
        assert_eq!(c.bars[2].height, PLOT_H);
        assert_eq!(c.bars[1].height, PLOT_H / 2.0);
        for (i, b) in c.bars.iter().enumerate() {
            assert_eq!(b.y + b.height, c.axis_y, "column {i} stands on the baseline");
            assert_eq!(b.label_x, r1(i as f64 * slot + slot / 2.0));
            assert!(b.x >= i as f64 * slot && b.x + b.width <= (i + 1) as f64 * slot, "inside its slot");
            assert!(b.text_y < b.y && b.label_y > c.axis_y && b.label_y < c.view_h);
        }
    }
}
