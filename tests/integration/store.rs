//! The store survives failed builds, refuses a second writer and names a stale schema.

use std::fs;

use weeklens::store::{self, Store, Tables, SCHEMA_VERSION};
use weeklens::Error;

use crate::support::{built, sample_archive, stderr, weeklens};

#[test]
fn failed_build_leaves_the_previous_store() {
    let (dir, store) = built(&sample_archive());
    let before = fs::read(store.join("entries.parquet")).expect("read");
    let missing = dir.path().join("no-such-archive");
    let output = weeklens(&store, &["build", "--archive", missing.to_str().expect("utf-8")]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("no-such-archive"), "{}", stderr(&output));
    assert_eq!(fs::read(store.join("entries.parquet")).expect("read"), before);
    Store::open(&store).expect("the previous store still opens");
}

#[test]
fn a_second_writer_is_refused_while_the_lock_is_held() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store_dir = dir.path().join("store");
    let lock = fs::File::create(dir.path().join("store.lock")).expect("lock file");
    lock.lock().expect("hold the lock");
    let err = store::write(&store_dir, &Tables::default()).expect_err("locked");
    assert!(matches!(err, Error::StoreLocked(_)), "{err}");
    drop(lock);
    store::write(&store_dir, &Tables::default()).expect("free again");
}

#[test]
fn another_schema_version_says_to_rebuild() {
    let (_dir, store) = built(&sample_archive());
    let manifest = store.join("manifest.json");
    let text = fs::read_to_string(&manifest).expect("read");
    let old = text.replace(
        &format!("\"schema_version\": {SCHEMA_VERSION}"),
        "\"schema_version\": 0",
    );
    assert_ne!(old, text);
    fs::write(&manifest, old).expect("write");
    let output = weeklens(&store, &["stats"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("rebuild"), "{}", stderr(&output));
}

#[test]
fn reading_a_missing_store_says_to_build() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = weeklens(&dir.path().join("nothing"), &["stats"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("weeklens build"), "{}", stderr(&output));
}

#[test]
fn records_round_trip_through_parquet() {
    let (_dir, store) = built(&sample_archive());
    let opened = Store::open(&store).expect("open");
    let tables = Tables {
        issues: opened.issues().expect("issues"),
        entries: opened.entries().expect("entries"),
        diagnostics: opened.diagnostics().to_vec(),
        vocabulary: Some(opened.vocabulary().expect("vocabulary")),
        vectors: opened
            .vectors(opened.entries().expect("entries").len())
            .expect("vectors"),
        related_rows: opened
            .related_rows(opened.entries().expect("entries").len())
            .expect("related rows"),
        assignments: opened.assignments().expect("assignments"),
        topics: opened.topics().expect("topics"),
        topic_quality: opened.topic_quality().cloned(),
    };
    let dir = tempfile::tempdir().expect("temp dir");
    store::write(&dir.path().join("again"), &tables).expect("write");
    let again = Store::open(&dir.path().join("again")).expect("open");
    assert_eq!(again.issues().expect("issues"), tables.issues);
    assert_eq!(again.entries().expect("entries"), tables.entries);
    assert_eq!(again.assignments().expect("assignments"), tables.assignments);
    assert_eq!(again.topics().expect("topics"), tables.topics);
    let n = tables.entries.len();
    assert_eq!(again.related_rows(n).expect("related rows"), tables.related_rows);
    // The stored ranking rows are the ones `related` would compute from the stored TF-IDF rows.
    let recomputed = weeklens::related::related_rows(
        &tables.entries,
        &tables.vectors,
        &crate::support::title_terms(&tables.entries),
        tables.vocabulary.as_ref().expect("vocabulary"),
    );
    assert_eq!(tables.related_rows, recomputed);
    assert_eq!(
        again.vocabulary().expect("vocabulary"),
        tables.vocabulary.expect("fitted")
    );
    assert_eq!(
        again.vectors(tables.entries.len()).expect("vectors"),
        tables.vectors
    );
}

#[test]
fn build_timings_name_every_stage_on_stderr_and_leave_stdout_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = sample_archive();
    let archive = archive.to_str().expect("utf-8");
    let plain = weeklens(&dir.path().join("a"), &["build", "--archive", archive]);
    let timed = weeklens(
        &dir.path().join("b"),
        &["build", "--archive", archive, "--timings"],
    );
    assert!(timed.status.success(), "{}", stderr(&timed));
    let err = stderr(&timed);
    let stages: Vec<&str> = err
        .lines()
        .filter_map(|l| l.trim_start().split_once(" ms  ").map(|(_, stage)| stage))
        .collect();
    assert_eq!(
        stages,
        [
            "read and parse, load the dictionary",
            "tokenise and vectorise, write the entries",
            "find the topics, write the vectors",
            "write the topics, put the store in place"
        ]
    );
    assert!(!stderr(&plain).contains(" ms  "));
    // What a script reads does not change, the store's name aside.
    let summary = |o: &std::process::Output| {
        crate::support::stdout(o)
            .split_once(':')
            .map(|(_, rest)| rest.to_string())
    };
    assert_eq!(summary(&plain), summary(&timed));
}

#[test]
fn topics_for_other_entries_are_named_as_corrupt() {
    let (_dir, store) = built(&sample_archive());
    // The same archive less one issue: its topics are for fewer entries.
    let smaller = tempfile::tempdir().expect("temp dir");
    copy_dir(&sample_archive(), smaller.path());
    let dropped = fs::read_dir(smaller.path())
        .expect("archive")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .min()
        .expect("an issue");
    fs::remove_file(&dropped).expect("drop an issue");
    let (_other_dir, other) = built(smaller.path());
    fs::copy(
        other.join("assignments.parquet"),
        store.join("assignments.parquet"),
    )
    .expect("copy");
    let err = Store::open(&store)
        .expect("opens")
        .topics_by_entry()
        .expect_err("counts differ");
    assert!(err.to_string().contains("assignments.parquet"), "{err}");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    fs::create_dir_all(to).expect("dir");
    for entry in fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).expect("copy");
        }
    }
}
