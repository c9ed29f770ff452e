//! The fuzz targets' seed corpus (`fuzz/corpus/<target>/`) and the inputs of the fuzzer's past
//! findings (`fuzz/regressions/<target>/`), run through the same bodies the fuzz targets run
//! (`weeklens::fuzz_targets`) on every `cargo test`, so that a machine without the nightly
//! toolchain or cargo-fuzz still checks them.

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use crate::support::repo;

/// The files of `fuzz/<kind>/<target>/`, sorted; none when the folder does not exist.
fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = repo().join("fuzz").join(kind).join(target);
    let Ok(listing) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = listing
        .map(|item| item.expect("a corpus folder lists").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs every seed and regression input of `target` through `body`; fails naming each input that
/// panicked.
fn run_all(target: &str, body: fn(&[u8])) {
    let seeds = inputs("corpus", target);
    assert!(
        seeds.len() >= 20,
        "fuzz/corpus/{target}/ holds {} seeds, expected at least 20",
        seeds.len()
    );
    let mut failed = Vec::new();
    for path in seeds.iter().chain(&inputs("regressions", target)) {
        let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if catch_unwind(AssertUnwindSafe(|| body(&bytes))).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(failed.is_empty(), "the {target} target fails on: {failed:#?}");
}

#[test]
fn the_parse_issue_corpus_passes() {
    run_all("parse_issue", weeklens::fuzz_targets::parse_issue);
}

#[test]
fn the_draft_corpus_passes() {
    run_all("draft", weeklens::fuzz_targets::draft);
}
