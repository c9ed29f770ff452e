//! A small builder for running the CLI against a temporary store.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn sample_archive() -> PathBuf {
    repo().join("data/sample")
}

/// Runs `weeklens ARGS` with the store at `store`.
pub fn weeklens(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_weeklens"))
        .args(args)
        .env("WEEKLENS_STORE", store)
        .output()
        .expect("the weeklens binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs a command that must succeed and returns its standard output.
pub fn ok(store: &Path, args: &[&str]) -> String {
    let output = weeklens(store, args);
    assert!(
        output.status.success(),
        "weeklens {args:?} failed: {}\n{}",
        output.status,
        stderr(&output)
    );
    stdout(&output)
}

/// A temporary directory with a store built from `archive`.
pub fn built(archive: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("store");
    ok(
        &store,
        &["build", "--archive", archive.to_str().expect("utf-8 path")],
    );
    (dir, store)
}
