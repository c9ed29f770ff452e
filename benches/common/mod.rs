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

/// The archives plus a synthetic one of `entries` entries, named; the temporary directory must
/// outlive the bench.
#[allow(dead_code)]
pub fn archives_with_synthetic(entries: u64) -> (Vec<(String, PathBuf)>, tempfile::TempDir) {
    let (name, dir) = synthetic(entries);
    let mut out: Vec<(String, PathBuf)> = archives().into_iter().map(|(n, p)| (n.to_string(), p)).collect();
    out.push((name, dir.path().to_path_buf()));
    (out, dir)
}

/// Each live entry's terms, as the build tokenises them.
#[allow(dead_code)]
pub fn live_documents(root: &std::path::Path) -> Vec<Vec<String>> {
    let archive = weeklens::archive::Archive::open(root).expect("archive opens");
    let tokenizer = weeklens::tokenize::Tokenizer::shared();
    weeklens::ingest::ingest(&archive)
        .tables
        .entries
        .iter()
        .filter(|e| !e.withdrawn)
        .map(|e| weeklens::vectorize::entry_terms(tokenizer, e))
        .collect()
}

/// A store built from `root` into a temporary directory (fresh topics), with its path; the
/// directory must outlive the bench.
#[allow(dead_code)]
pub fn built_store(root: PathBuf) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("store");
    weeklens::build(&weeklens::BuildParams {
        archive: root,
        store: store.clone(),
        strict: false,
        cluster: weeklens::cluster::ClusterParams::default(),
        fresh_topics: true,
    })
    .expect("build");
    (dir, store)
}
