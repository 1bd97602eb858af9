//! The shapes of recruitment's paths, parsed where they enter. `{dept}` is the department
//! middleware's and is left out.

use serde::Deserialize;

/// `/recruitment/positions/{position_id}`.
#[derive(Deserialize)]
pub struct PositionPath {
    pub position_id: i64,
}

/// `/me/applications/{application_id}/…` and `/d/{dept}/recruitment/applications/{application_id}`.
#[derive(Deserialize)]
pub struct ApplicationPath {
    pub application_id: i64,
}
