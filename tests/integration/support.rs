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

/// Each entry's id and topic in the store at `store`, read whole, and checked against the four
/// columns a rebuild reads (`Store::topics_by_entry`).
pub fn topics_by_entry(store: &Path) -> Vec<(weeklens::model::EntryId, Option<u32>)> {
    let opened = weeklens::store::Store::open(store).expect("store opens");
    let entries = opened.entries().expect("entries");
    let whole: Vec<_> = entries
        .iter()
        .map(|e| e.id())
        .zip(opened.assignments().expect("assignments"))
        .collect();
    assert_eq!(opened.topics_by_entry().expect("ids and topics"), whole);
    whole
}

/// Every file of the generation the store at `store` reads now, by its path inside it, with its
/// bytes: a build writes each into a new generation, so only the generation's name, and
/// `CURRENT` naming it, tell two builds of the same store apart.
pub fn store_files(store: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let files = snapshot(&generation(store));
    assert!(!files.is_empty(), "no file in {}", store.display());
    files
}

/// The folder of the generation the store at `store` reads now.
pub fn generation(store: &Path) -> PathBuf {
    store_file(store, "manifest.json")
        .parent()
        .expect("a generation holds the manifest")
        .to_path_buf()
}

/// Asserts that two stores hold the same files with the same bytes, naming those that differ.
pub fn assert_same_store(
    before: &std::collections::BTreeMap<PathBuf, Vec<u8>>,
    after: &std::collections::BTreeMap<PathBuf, Vec<u8>>,
    what: &str,
) {
    let names = |files: &std::collections::BTreeMap<PathBuf, Vec<u8>>| -> Vec<PathBuf> {
        files.keys().cloned().collect()
    };
    assert_eq!(names(before), names(after), "{what}: the store's files");
    let differ: Vec<&PathBuf> = before
        .iter()
        .filter(|(path, bytes)| after.get(*path) != Some(bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(differ.is_empty(), "{what}: {differ:?} differ");
}

/// The share of `before`'s assigned entries that have the same topic in `after`, as (kept, had).
pub fn kept_topics(
    before: &[(weeklens::model::EntryId, Option<u32>)],
    after: &[(weeklens::model::EntryId, Option<u32>)],
) -> (usize, usize) {
    let after: std::collections::HashMap<_, _> = after.iter().copied().collect();
    let had = before.iter().filter(|(_, t)| t.is_some()).count();
    let kept = before
        .iter()
        .filter(|(id, t)| t.is_some() && after.get(id) == Some(t))
        .count();
    (kept, had)
}

/// Each entry's title terms in both languages, tokenised on their own (not through the build's
/// single pass), for recomputing the rows `related` ranks by.
pub fn title_terms(entries: &[weeklens::model::Entry]) -> Vec<Vec<String>> {
    let tokenizer = weeklens::tokenize::Tokenizer::shared();
    entries
        .iter()
        .map(|e| {
            let mut terms = Vec::new();
            for title in std::iter::once(e.title.as_str()).chain(e.en_title.as_deref()) {
                tokenizer.plain_terms_into(title, &mut terms);
            }
            terms
        })
        .collect()
}

/// The vocabulary's TF-IDF rows of [`title_terms`]: what `titles.parquet` keeps, computed from
/// strings as a query's row is (not through the build's term ids).
pub fn title_rows(
    entries: &[weeklens::model::Entry],
    vocabulary: &weeklens::vectorize::FittedTfIdf,
) -> Vec<weeklens::vectorize::SparseVector> {
    title_terms(entries)
        .iter()
        .zip(entries)
        .map(|(t, e)| {
            if e.withdrawn {
                weeklens::vectorize::SparseVector::default()
            } else {
                vocabulary.transform(t)
            }
        })
        .collect()
}

/// The path of the file `name` in the generation the store at `store` reads now.
pub fn store_file(store: &Path, name: &str) -> PathBuf {
    weeklens::store::Store::open(store)
        .expect("store opens")
        .path(name)
}

/// Every file below `dir` (a store, an archive, a report), by relative path, with its bytes: what
/// a test compares to say that nothing was changed.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("read");
                files.insert(path.strip_prefix(dir).expect("below").to_path_buf(), bytes);
            }
        }
    }
    files
}

/// Copies the directory `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

/// Headless Chromium's flags for the browser tests: no sandbox, GPU, network or first-run work,
/// console messages on standard error.
pub const HEADLESS: [&str; 11] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
    "--hide-scrollbars",
];

/// Chromium, where the machine has it; CI installs it and must run the browser tests.
pub fn chromium() -> Option<PathBuf> {
    let found = [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.exists());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium for the browser tests"
        );
        eprintln!("no chromium: the browser test did not run");
    }
    found
}
