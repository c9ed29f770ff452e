//! `weeklens synth`: a synthetic archive the parser reads without a warning, holding the entries
//! asked for in about the real archive's mix, the same for the same seed.

use std::fs;
use std::path::Path;

use weeklens::model::{Category, IssueFormat, Lang, Translation};
use weeklens::store::Store;

use crate::support::{built, ok, stderr, weeklens};

fn synth(dir: &Path, entries: u32, seed: u32) {
    ok(
        &dir.join("unused-store"),
        &[
            "synth",
            "--entries",
            &entries.to_string(),
            "--out",
            dir.to_str().expect("utf-8 path"),
            "--seed",
            &seed.to_string(),
        ],
    );
}

#[test]
fn synthetic_archive_parses_with_no_warnings_in_the_real_mix() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    synth(&archive, 3000, 7);
    let (_store_dir, store) = built(&archive);
    let store = Store::open(&store).expect("store opens");
    assert!(store.diagnostics().is_empty(), "{:?}", store.diagnostics());
    let issues = store.issues().expect("issues");
    let entries = store.entries().expect("entries");
    assert_eq!(entries.len(), 3000);
    assert!(entries.iter().all(|e| !e.withdrawn));

    // Every file has its translation, every entry its English counterpart.
    assert!(issues.iter().all(|i| i.translation == Translation::Present));
    assert!(entries.iter().all(|e| e.en_title.is_some()));
    // The counts the intros state are the counts found.
    for issue in &issues {
        for c in [
            Category::Article,
            Category::Project,
            Category::Media,
            Category::Discussion,
        ] {
            if let Some(stated) = issue.stated.get(c) {
                assert_eq!(stated, issue.counts.get(c), "#{} {c}", issue.number);
            }
        }
    }

    // About 25 entries an issue, and about a third of the issues titles only.
    let per_issue = entries.len() as f64 / issues.len() as f64;
    assert!((22.0..28.0).contains(&per_issue), "{per_issue} entries an issue");
    let titles_only = issues
        .iter()
        .filter(|i| i.format == IssueFormat::TitlesOnly)
        .count() as f64;
    let share = titles_only / issues.len() as f64;
    assert!((0.2..0.45).contains(&share), "{share} of issues titles only");

    let share = |f: &dyn Fn(&weeklens::model::Entry) -> bool| {
        entries.iter().filter(|e| f(e)).count() as f64 / entries.len() as f64
    };
    let articles = share(&|e| e.category == Category::Article);
    let projects = share(&|e| e.category == Category::Project);
    let media = share(&|e| e.category == Category::Media);
    assert!((0.43..0.54).contains(&articles), "articles {articles}");
    assert!((0.41..0.52).contains(&projects), "projects {projects}");
    assert!((0.015..0.055).contains(&media), "media {media}");
    let english = share(&|e| e.lang == Lang::En);
    assert!((0.03..0.08).contains(&english), "English sources {english}");

    // Chinese text with English words inside it; the translation in English.
    let full: Vec<_> = entries.iter().filter(|e| e.url.is_some()).collect();
    let with_latin = full
        .iter()
        .filter(|e| e.description.chars().any(|c| c.is_ascii_alphabetic()))
        .count() as f64
        / full.len() as f64;
    assert!(
        with_latin > 0.5,
        "{with_latin} of descriptions hold English words"
    );
    assert!(full
        .iter()
        .all(|e| e.en_description.as_deref().is_some_and(|d| d.is_ascii())));

    // Some URLs come back from earlier issues, as in the real archive (0.7%).
    let mut seen = std::collections::HashSet::new();
    let reshared = full.iter().filter(|e| !seen.insert(e.url.clone())).count();
    assert!((1..60).contains(&reshared), "{reshared} re-shares");
}

#[test]
fn same_seed_writes_the_same_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b, c) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("c"));
    synth(&a, 400, 1);
    synth(&b, 400, 1);
    synth(&c, 400, 2);
    let read = |root: &Path| {
        let mut names: Vec<_> = fs::read_dir(root)
            .expect("dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        names.sort();
        names
            .iter()
            .filter(|n| n.to_str().is_some_and(|n| n.ends_with(".md")))
            .map(|n| {
                fs::read_to_string(root.join(n)).expect("file")
                    + &fs::read_to_string(root.join("en").join(n)).expect("translation")
            })
            .collect::<Vec<String>>()
    };
    assert_eq!(read(&a), read(&b));
    assert_ne!(read(&a), read(&c));
}

#[test]
fn zero_entries_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("archive");
    let output = weeklens(
        &dir.path().join("store"),
        &["synth", "--entries", "0", "--out", out.to_str().expect("utf-8")],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--entries"), "{}", stderr(&output));
}
