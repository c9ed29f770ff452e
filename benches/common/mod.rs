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

/// A synthetic archive of `entries` entries (seed 42) in a temporary directory, with the name
/// it is reported under. Only the benches of later stages use it (parse has the real archive),
/// hence the allowance: each bench compiles this module on its own.
#[allow(dead_code)]
pub fn synthetic(entries: u64) -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let params = weeklens::synth::SynthParams { entries, seed: 42 }
        .check()
        .expect("valid synth params");
    weeklens::synth::write(&params, dir.path()).expect("synthetic archive written");
    (format!("synthetic-{entries}"), dir)
}
