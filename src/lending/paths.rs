//! The shapes of lending's paths, parsed where they enter. `{dept}` is the department
//! middleware's and is left out.

use serde::Deserialize;

/// `/umbrellas/i/{code}/…`: an item's tag, as printed in its QR code.
#[derive(Deserialize)]
pub struct ItemPath {
    pub code: String,
}
