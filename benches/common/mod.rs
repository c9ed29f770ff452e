//! What the benches share: the archives they run on.

use std::path::PathBuf;

/// The sample archive and, when `WEEKLENS_ARCHIVE` names it, the real one.
pub fn archives() -> Vec<(&'static str, PathBuf)> {
    let mut out = vec![(
        "sample",
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/sample"),
    )];
    if let Some(real) = std::env::var_os("WEEKLENS_ARCHIVE") {
        out.push(("real", PathBuf::from(real)));
    }
    out
}
