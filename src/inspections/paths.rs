//! The shapes of inspections' paths, parsed where they enter (a path that does not parse
//! is the friendly 404). `{dept}` is the department middleware's and is left out.

use serde::Deserialize;

/// `…/rounds/{round_id}`.
#[derive(Deserialize)]
pub struct RoundPath {
    pub round_id: i64,
}

/// `…/rounds/{round_id}/rooms/{room_id}`.
#[derive(Deserialize)]
pub struct RoundRoomPath {
    pub round_id: i64,
    pub room_id: i64,
}

/// `…/rooms/{room_id}`.
// The department's room pages (`setup`) take it; until they land nothing here does.
#[derive(Deserialize)]
pub struct RoomPath {
    pub room_id: i64,
}

/// `…/results/{result_id}`.
#[derive(Deserialize)]
pub struct ResultPath {
    pub result_id: i64,
}

/// `…/appeals/{appeal_id}`.
#[derive(Deserialize)]
pub struct AppealPath {
    pub appeal_id: i64,
}

/// `…/photos/{photo_id}`.
#[derive(Deserialize)]
pub struct PhotoPath {
    pub photo_id: i64,
}

/// `…/deductions/{deduction_id}`.
#[derive(Deserialize)]
pub struct DeductionPath {
    pub deduction_id: i64,
}
