//! The build's progress: each stage reported in order, every entry counted as it is tokenised,
//! and nothing of it written when standard error is not a terminal.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use weeklens::progress::{Progress, Stage};

use super::support::*;

/// What a build reported: its stages in order, and the items advanced in each.
#[derive(Default)]
struct Recorded {
    stages: Mutex<Vec<(Stage, u64)>>,
    advanced: AtomicU64,
}

impl Progress for Recorded {
    fn stage(&self, stage: Stage) {
        let done = self.advanced.swap(0, Ordering::SeqCst);
        let mut stages = self.stages.lock().expect("not poisoned");
        if let Some(last) = stages.last_mut() {
            last.1 = done;
        }
        stages.push((stage, 0));
    }

    fn advance(&self, done: u64) {
        self.advanced.fetch_add(done, Ordering::SeqCst);
    }
}

#[test]
fn a_build_reports_each_stage_and_counts_every_entry_it_tokenises() {
    let dir = tempfile::tempdir().expect("temp dir");
    let recorded = Recorded::default();
    let params = weeklens::BuildParams {
        archive: sample_archive(),
        store: dir.path().join("store"),
        strict: false,
        cluster: weeklens::cluster::ClusterParams::default(),
        fresh_topics: false,
    };
    weeklens::build_reporting(&params, &recorded).expect("the sample builds");
    let entries = weeklens::store::Store::open(&params.store)
        .expect("the store opens")
        .entries()
        .expect("its entries")
        .len() as u64;
    let mut stages = recorded.stages.into_inner().expect("not poisoned");
    if let Some(last) = stages.last_mut() {
        last.1 = recorded.advanced.load(Ordering::SeqCst);
    }
    assert_eq!(
        stages,
        [
            // 12 weekly issues, their 12 translations, 1 season compilation.
            (Stage::Parsing { files: 25 }, 0),
            (Stage::Dictionary, 0),
            (Stage::Tokenising { entries }, entries),
            (Stage::Topics, 0),
            (Stage::Writing, 0),
        ]
    );
}

#[test]
fn a_build_whose_standard_error_is_not_a_terminal_writes_no_progress() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("store");
    let archive = sample_archive();
    // `output()` pipes standard error: not a terminal.
    let output = weeklens(
        &store,
        &["build", "--archive", archive.to_str().expect("utf-8 path")],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let written = stderr(&output);
    for progress in [
        "reading and parsing",
        "loading the dictionary",
        "tokenising",
        "finding the topics",
        "putting the store in place",
        "\r",
        "\u{1b}[",
    ] {
        assert!(
            !written.contains(progress),
            "{progress:?} on a piped standard error:\n{written}"
        );
    }
    // What is left is the build's own report: its warnings, one a line.
    for line in written.lines() {
        assert!(
            line.starts_with("warning: ") || line.starts_with("note: "),
            "{line:?}"
        );
    }
}
