//! The shapes of events' paths, parsed where they enter (a path that does not parse is
//! the friendly 404). `{dept}` is the department middleware's and is left out.

use serde::Deserialize;

/// `/events/{event_id}/…` and `/d/{dept}/events/{event_id}/…`.
#[derive(Deserialize)]
pub struct EventPath {
    pub event_id: i64,
}

/// `/d/{dept}/events/{event_id}/witnesses/{witness_id}/remove`.
#[derive(Deserialize)]
pub struct WitnessPath {
    pub event_id: i64,
    pub witness_id: i64,
}

/// `/d/{dept}/events/{event_id}/attendance/{application_id}`.
#[derive(Deserialize)]
pub struct AttendancePath {
    pub event_id: i64,
    pub application_id: i64,
}
