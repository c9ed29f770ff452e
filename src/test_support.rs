//! What the unit tests of several modules share.

use std::path::{Path, PathBuf};

/// The sample archive built into a temporary store (kept while the directory lives).
pub(crate) fn sample_store() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("store");
    crate::build(&crate::BuildParams {
        archive: Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample"),
        store: store.clone(),
        strict: false,
        cluster: crate::cluster::ClusterParams::default(),
        fresh_topics: false,
    })
    .expect("the sample builds");
    (dir, store)
}
