//! Reading the rooms' and residents' CSV (pasted from a spreadsheet): columns found by
//! their heading (English or Chinese), every bad line reported with its number, and
//! nothing returned unless every line is good. No database here; the handler checks
//! that the residents' rooms exist.

use std::collections::{HashMap, HashSet};

/// One bad cell: its line in the text, its column (a catalogue key) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub column: &'static str,
    pub key: &'static str,
}

pub struct RoomImport {
    pub building: String,
    pub room: String,
    pub floor: i32,
    pub walk_order: i32,
    pub capacity: i32,
    pub college: String,
    pub gender: String,
}

pub struct ResidentImport {
    pub line: u64,
    pub student_no: String,
    pub building: String,
    pub room: String,
}

/// Where each column is, and the lines after the heading with their numbers.
type Records = (HashMap<&'static str, usize>, Vec<(u64, Vec<String>)>);

/// A whole university's rooms fit; a paste bigger than this is a mistake.
const MAX_LINES: usize = 10_000;

const HEADINGS: [(&str, &[&str]); 7] = [
    ("building", &["building", "楼栋", "楼号", "宿舍楼"]),
    ("room", &["room", "房间", "房间号", "寝室", "寝室号"]),
    ("floor", &["floor", "楼层"]),
    ("capacity", &["capacity", "床位", "床位数", "人数"]),
    ("college", &["college", "学院"]),
    ("gender", &["gender", "性别"]),
    ("student_no", &["student_no", "student number", "学号"]),
];

/// The catalogue key of a column's name.
fn column_key(column: &str) -> &'static str {
    match column {
        "building" => "inspections.setup.col.building",
        "room" => "inspections.setup.col.room",
        "floor" => "inspections.setup.col.floor",
        "capacity" => "inspections.setup.col.capacity",
        "college" => "inspections.setup.col.college",
        "gender" => "inspections.setup.col.gender",
        _ => "inspections.setup.col.student_no",
    }
}

/// The text's records after its heading line, each with its line number, and where each
/// column is; or the heading's error.
fn records(text: &str, required: &[&str]) -> Result<Records, LineError> {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let mut rows = vec![];
    for record in reader.records() {
        let record = record.map_err(|e| LineError {
            line: e.position().map_or(rows.len() as u64 + 1, |p| p.line()),
            column: "inspections.setup.col.line",
            key: "inspections.setup.csv.unreadable",
        })?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        rows.push((line, record.iter().map(str::to_string).collect::<Vec<_>>()));
    }
    let header_error =
        |line| LineError { line, column: "inspections.setup.col.line", key: "inspections.setup.csv.header" };
    let Some((line, heading)) = rows.first() else {
        return Err(LineError { line: 1, column: "inspections.setup.col.line", key: "inspections.setup.csv.empty" });
    };
    let mut at = HashMap::new();
    for (i, cell) in heading.iter().enumerate() {
        let cell = cell.trim_start_matches('\u{feff}').to_lowercase();
        if let Some((name, _)) = HEADINGS.iter().find(|(_, names)| names.contains(&cell.as_str())) {
            at.entry(*name).or_insert(i);
        }
    }
    if required.iter().any(|c| !at.contains_key(c)) {
        return Err(header_error(*line));
    }
    if rows.len() > MAX_LINES + 1 {
        return Err(LineError {
            line: *line,
            column: "inspections.setup.col.line",
            key: "inspections.setup.csv.too_many",
        });
    }
    rows.remove(0);
    Ok((at, rows))
}

/// A cell by column name (empty when the column or the cell is missing).
fn cell<'a>(at: &HashMap<&'static str, usize>, row: &'a [String], column: &str) -> &'a str {
    at.get(column).and_then(|i| row.get(*i)).map_or("", String::as_str)
}

/// The floor a room number says: its last run of digits less the last two ("1203" → 12).
pub fn floor_of(room: &str) -> Option<i32> {
    let digits: String =
        room.chars().rev().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
    let digits: String = digits.chars().rev().collect();
    (digits.len() >= 3).then(|| digits[..digits.len() - 2].parse().ok()).flatten()
}

/// 男/女 or m/f (x: a mixed floor), as stored.
pub fn gender_of(raw: &str) -> Option<&'static str> {
    match raw.to_lowercase().as_str() {
        "男" | "m" | "male" => Some("m"),
        "女" | "f" | "female" => Some("f"),
        "x" | "混合" => Some("x"),
        _ => None,
    }
}

fn text(raw: &str, max: usize) -> Result<String, &'static str> {
    if raw.is_empty() {
        Err("inspections.setup.csv.required")
    } else if raw.chars().count() > max {
        Err("form.too_long")
    } else if raw.chars().any(char::is_control) {
        Err("form.invalid_characters")
    } else {
        Ok(raw.to_string())
    }
}

/// One line's room, every bad cell reported through `bad`; its walk order is the caller's.
fn room_line(
    at: &HashMap<&'static str, usize>,
    row: &[String],
    bad: &mut impl FnMut(&str, &'static str),
) -> Option<RoomImport> {
    let building = text(cell(at, row, "building"), 40).map_err(|k| bad("building", k)).ok();
    let room = text(cell(at, row, "room"), 20).map_err(|k| bad("room", k)).ok();
    let floor_raw = cell(at, row, "floor");
    let floor = match (floor_raw.is_empty(), &room) {
        (false, _) => floor_raw.parse().ok().filter(|f| (-5..=200).contains(f)).ok_or("inspections.setup.csv.floor"),
        (true, Some(r)) => floor_of(r).filter(|f| (-5..=200).contains(f)).ok_or("inspections.setup.csv.floor_needed"),
        (true, None) => Err("inspections.setup.csv.floor_needed"),
    };
    let floor = floor.map_err(|k| bad("floor", k)).ok();
    let capacity = cell(at, row, "capacity").parse().ok().filter(|c| (1..=20).contains(c));
    let capacity = capacity.ok_or("inspections.setup.csv.capacity").map_err(|k| bad("capacity", k)).ok();
    // The college may be left empty; only a bad one is an error.
    let college = match cell(at, row, "college") {
        "" => Ok(String::new()),
        raw => text(raw, 60),
    };
    let college = college.map_err(|k| bad("college", k)).ok();
    let gender = gender_of(cell(at, row, "gender")).ok_or("inspections.setup.csv.gender").map_err(|k| bad("gender", k));
    Some(RoomImport {
        building: building?,
        room: room?,
        floor: floor?,
        walk_order: 0,
        capacity: capacity?,
        college: college?,
        gender: gender.ok()?.into(),
    })
}

pub fn parse_rooms(raw: &str) -> Result<Vec<RoomImport>, Vec<LineError>> {
    let (at, rows) = records(raw, &["building", "room", "capacity", "gender"]).map_err(|e| vec![e])?;
    let mut errors = vec![];
    let mut seen = HashSet::new();
    let mut walk: HashMap<(String, i32), i32> = HashMap::new();
    let mut rooms = vec![];
    for (line, row) in rows {
        let mut bad = |column: &str, key| errors.push(LineError { line, column: column_key(column), key });
        let Some(mut room) = room_line(&at, &row, &mut bad) else {
            continue;
        };
        if !seen.insert((room.building.clone(), room.room.clone())) {
            bad("room", "inspections.setup.csv.twice");
            continue;
        }
        // Rooms are walked floor by floor in the order the sheet lists them.
        let next = walk.entry((room.building.clone(), room.floor)).or_insert(0);
        *next += 1;
        room.walk_order = *next;
        rooms.push(room);
    }
    if errors.is_empty() {
        Ok(rooms)
    } else {
        Err(errors)
    }
}

pub fn parse_residents(raw: &str) -> Result<Vec<ResidentImport>, Vec<LineError>> {
    let (at, rows) = records(raw, &["student_no", "building", "room"]).map_err(|e| vec![e])?;
    let mut errors = vec![];
    let mut seen = HashSet::new();
    let mut residents = vec![];
    for (line, row) in rows {
        let mut bad = |column: &str, key| errors.push(LineError { line, column: column_key(column), key });
        let student_no = cell(&at, &row, "student_no");
        let student_no = match text(student_no, 32) {
            Ok(s) if s.chars().any(char::is_whitespace) => Err("form.invalid_characters"),
            Ok(s) if !seen.insert(s.clone()) => Err("inspections.setup.csv.twice"),
            other => other,
        }
        .map_err(|k| bad("student_no", k));
        let building = text(cell(&at, &row, "building"), 40).map_err(|k| bad("building", k));
        let room = text(cell(&at, &row, "room"), 20).map_err(|k| bad("room", k));
        if let (Ok(student_no), Ok(building), Ok(room)) = (student_no, building, room) {
            residents.push(ResidentImport { line, student_no, building, room });
        }
    }
    if errors.is_empty() {
        Ok(residents)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_floor_comes_from_the_room_number_and_walk_order_from_the_lines() {
        assert_eq!((floor_of("305"), floor_of("A-1203"), floor_of("12")), (Some(3), Some(12), None));
        let rooms = parse_rooms(
            "楼栋,房间,床位,学院,性别\n北区24栋,301,4,计算机学院,男\n北区24栋,302,4,,m\n北区24栋,401,6,,女",
        )
        .map_err(|e| format!("{e:?}"))
        .unwrap();
        let got: Vec<_> = rooms.iter().map(|r| (r.floor, r.walk_order, r.gender.as_str())).collect();
        assert_eq!(got, [(3, 1, "m"), (3, 2, "m"), (4, 1, "f")]);
    }

    #[test]
    fn every_bad_line_is_named_by_its_number() {
        let errors = parse_rooms("building,room,capacity,gender\nB1,301,4,m\nB1,301,4,m\nB1,12,0,?\n").err().unwrap();
        let lines: Vec<_> = errors.iter().map(|e| (e.line, e.key)).collect();
        assert!(lines.contains(&(3, "inspections.setup.csv.twice")), "{lines:?}");
        assert!(lines.contains(&(4, "inspections.setup.csv.floor_needed")), "{lines:?}");
        assert!(lines.contains(&(4, "inspections.setup.csv.capacity")), "{lines:?}");
        assert!(lines.contains(&(4, "inspections.setup.csv.gender")), "{lines:?}");
    }

    #[test]
    fn a_missing_heading_is_the_first_lines_error() {
        let errors = parse_residents("2026000001,B1,301").err().unwrap();
        assert_eq!(errors[0].key, "inspections.setup.csv.header");
    }
}
