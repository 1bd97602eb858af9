//! The shapes of lending's paths, parsed where they enter. `{dept}` is the department
//! middleware's and is left out.

use serde::Deserialize;

/// `/umbrellas/i/{code}/…`: an item's tag, as printed in its QR code.
#[derive(Deserialize)]
pub struct ItemPath {
    pub code: String,
}

/// `/d/{dept}/lending/stations/{station_id}`: one of the department's stations.
#[derive(Deserialize)]
pub struct StationPath {
    pub station_id: i64,
}

/// `/d/{dept}/lending/kinds/{kind}`: a kind of item (`umbrella`).
#[derive(Deserialize)]
pub struct KindPath {
    pub kind: String,
}
