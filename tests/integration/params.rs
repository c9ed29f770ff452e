//! Every number on the command line is checked as its flag is parsed: a bad value is an error
//! naming the flag, the value and the range, with exit status 2, never an empty answer or a
//! store without topics. And every error is said once, in words that fit what happened.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::support::{built, ok, sample_archive, stderr, stdout, weeklens};

/// Each bad value: the arguments, the flag as clap names it, the value.
const BAD: &[(&[&str], &str, &str)] = &[
    (&["build", "--archive", "a", "--k", "1"], "--k", "1"),
    (&["build", "--archive", "a", "--k", "100000"], "--k", "100000"),
    (&["build", "--archive", "a", "--k", "201"], "--k", "201"),
    (&["build", "--archive", "a", "--dims", "1"], "--dims", "1"),
    (
        &["build", "--archive", "a", "--dims", "100000"],
        "--dims",
        "100000",
    ),
    (&["build", "--archive", "a", "--dims", "301"], "--dims", "301"),
    (&["related", "1:article:1", "-k", "0"], "-k", "0"),
    (&["related", "1:article:1", "-k", "1001"], "-k", "1001"),
    (
        &["related", "--text", "x", "--min-score", "NaN"],
        "--min-score",
        "NaN",
    ),
    (
        &["related", "--text", "x", "--min-score", "inf"],
        "--min-score",
        "inf",
    ),
    (
        &["related", "--text", "x", "--min-score", "2"],
        "--min-score",
        "2",
    ),
    (
        &["related", "--text", "x", "--min-score=-0.5"],
        "--min-score",
        "-0.5",
    ),
    (&["related", "--all", "--min-score", "x"], "--min-score", "x"),
    (&["past-years", "d.md", "-k", "0"], "-k", "0"),
    (&["past-years", "d.md", "-k", "101"], "-k", "101"),
    (
        &["past-years", "d.md", "--min-score", "NaN"],
        "--min-score",
        "NaN",
    ),
    (
        &["past-years", "d.md", "--min-score", "1.5"],
        "--min-score",
        "1.5",
    ),
    (
        &["past-years", "d.md", "--min-age-weeks", "5201"],
        "--min-age-weeks",
        "5201",
    ),
    (
        &["past-years", "d.md", "--base-url", "ftp://x/"],
        "--base-url",
        "ftp://x/",
    ),
    (
        &["past-years", "d.md", "--base-url", "http://"],
        "--base-url",
        "http://",
    ),
    (
        &["past-years", "d.md", "--heading-url", "https://"],
        "--heading-url",
        "https://",
    ),
    (&["check", "d.md", "--date", "2023-02-30"], "--date", "2023-02-30"),
    (
        &["past-years", "d.md", "--date", "+262143-12-31"],
        "--date",
        "+262143-12-31",
    ),
    (&["trends", "--since", "2023-5-1x"], "--since", "2023-5-1x"),
    (&["terms", "--top", "0"], "--top", "0"),
    (&["terms", "--issue", "0"], "--issue", "0"),
    (&["terms", "--issue", "100000"], "--issue", "100000"),
    (&["terms", "--season", "0"], "--season", "0"),
    (&["terms", "--season", "3335"], "--season", "3335"),
    (&["trends", "--window", "0"], "--window", "0"),
    (&["trends", "--top", "0"], "--top", "0"),
    (&["trends", "--min-new", "0"], "--min-new", "0"),
    (&["trends", "--alpha0-terms", "0"], "--alpha0-terms", "0"),
    (&["trends", "--alpha0-terms", "NaN"], "--alpha0-terms", "NaN"),
    (&["trends", "--alpha0-topics", "inf"], "--alpha0-topics", "inf"),
    (&["trends", "--alpha0-topics=-1"], "--alpha0-topics", "-1"),
    (&["trends", "--alpha0-terms", "1e200"], "--alpha0-terms", "1e200"),
    (&["report", "--season", "0"], "--season", "0"),
    (&["report", "--season", "4294967295"], "--season", "4294967295"),
    (&["report", "--from", "0", "--to", "3"], "--from", "0"),
    (&["report", "--from", "1", "--to", "100000"], "--to", "100000"),
    (&["vocab", "pairs", "--top", "0"], "--top", "0"),
    (&["vocab", "pairs", "--min-entries", "0"], "--min-entries", "0"),
    (&["vocab", "pairs", "--min-pmi", "NaN"], "--min-pmi", "NaN"),
    (&["vocab", "df", "--top", "0"], "--top", "0"),
    (&["synth", "--out", "o", "--entries", "0"], "--entries", "0"),
    (
        &["synth", "--out", "o", "--entries", "2000001"],
        "--entries",
        "2000001",
    ),
];

/// Asserts that no line of `text` says a part (split at ": ") twice, as "X: X" did.
fn said_once(text: &str) {
    for line in text.lines() {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for part in line.split(": ").map(str::trim).filter(|p| p.len() > 3) {
            *seen.entry(part).or_default() += 1;
        }
        let twice: Vec<_> = seen.iter().filter(|(_, &n)| n > 1).collect();
        assert!(twice.is_empty(), "said more than once: {twice:?} in\n{text}");
    }
}

#[test]
fn each_bad_value_names_its_flag_its_value_and_the_range() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("store");
    for (args, flag, value) in BAD {
        let output = weeklens(&store, args);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(&format!("invalid value '{value}' for '{flag}")),
            "{args:?} names neither {flag} nor {value}: {err}"
        );
        // The range: clap's own words for whole numbers, ours for the rest.
        assert!(
            err.contains("is not in") || err.contains("give "),
            "{args:?} names no range: {err}"
        );
        assert!(stdout(&output).is_empty(), "{args:?} printed an answer");
        said_once(&err);
    }
    assert!(!store.exists(), "no bad value got as far as a store");
}

#[test]
fn the_ranges_are_in_the_help() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("store");
    let build = ok(&store, &["build", "--help"]);
    assert!(build.contains("2 to 200"), "{build}");
    assert!(build.contains("2 to 300"), "{build}");
    let related = ok(&store, &["related", "--help"]);
    assert!(related.contains("1 to 1000"), "{related}");
    assert!(related.contains("from 0 to 1"), "{related}");
}

#[test]
fn good_values_at_the_ends_of_the_ranges_are_taken() {
    let (_dir, store) = built(&sample_archive());
    ok(
        &store,
        &["related", "--text", "asyncio", "-k", "1000", "--min-score", "0"],
    );
    ok(
        &store,
        &["related", "--text", "asyncio", "-k", "1", "--min-score", "1"],
    );
    ok(&store, &["terms", "--top", "1"]);
    ok(
        &store,
        &["trends", "--window", "1", "--top", "1", "--min-new", "1"],
    );
}

#[test]
fn a_k_above_the_archive_fails_and_leaves_the_store_as_it_was() {
    let (_dir, store) = built(&sample_archive());
    let before = crate::support::snapshot(&store);
    let topics = ok(&store, &["topics", "--format", "json"]);
    let archive = sample_archive();
    let archive = archive.to_str().expect("utf-8");
    // 200 is a k the flag takes; the sample archive has fewer entries to cluster. 100000 is
    // refused as it is parsed.
    for k in ["200", "100000"] {
        let output = weeklens(&store, &["build", "--archive", archive, "--k", k]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "--k {k}: {err}");
        assert!(
            err.contains(&format!("--k {k}")) || err.contains(&format!("'{k}' for '--k")),
            "{err}"
        );
        said_once(&err);
        assert_eq!(
            crate::support::snapshot(&store),
            before,
            "--k {k} changed the store"
        );
    }
    let err = stderr(&weeklens(&store, &["build", "--archive", archive, "--k", "200"]));
    assert!(err.contains("was left as it was"), "{err}");
    assert_eq!(ok(&store, &["topics", "--format", "json"]), topics);
}

#[test]
fn errors_are_said_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_built, store) = built(&sample_archive());
    let missing = dir.path().join("missing");
    let missing = missing.to_str().expect("utf-8");
    let cases: Vec<(Vec<&str>, &Path)> = vec![
        (vec!["build", "--archive", missing], &store),
        (vec!["check", missing], &store),
        (vec!["past-years", missing], &store),
        (vec!["stats"], Path::new(missing)),
        (
            vec!["export", "entries", "-o", "/nonexistent-dir/out.jsonl"],
            &store,
        ),
    ];
    for (args, store) in &cases {
        let output = weeklens(store, args);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        said_once(&err);
    }
    // A table file gone from the store.
    fs::remove_file(crate::support::store_file(&store, "entries.parquet")).expect("remove a table");
    let output = weeklens(&store, &["stats"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    said_once(&err);
}

const GOOD: &str = "---\ntitle: 'Python 潮流周刊#1：好的一期'\npubDate: 2023-05-13\n---\n\n## 🦄文章&教程\n\n1、[标题](https://a.dev/x)\n\n描述。\n";

#[test]
fn a_strict_build_says_nothing_was_skipped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    fs::create_dir(&archive).expect("mkdir");
    fs::write(archive.join("2023-05-13-weekly.md"), GOOD).expect("write");
    fs::write(
        archive.join("2023-05-20-weekly.md"),
        b"---\ntitle: 'x'\n---\n\n\xff broken\n",
    )
    .expect("write");
    fs::write(
        archive.join("2023-05-27-weekly.md"),
        "# 没有编号\n\n## 🦄文章&教程\n",
    )
    .expect("write");
    let store = dir.path().join("store");
    let archive = archive.to_str().expect("utf-8");

    let output = weeklens(&store, &["build", "--strict", "--archive", archive]);
    let err = stderr(&output);
    assert!(!output.status.success(), "{err}");
    assert!(err.contains("2023-05-20-weekly.md:5: not UTF-8"), "{err}");
    assert!(err.contains("2023-05-27-weekly.md:1: no issue number"), "{err}");
    assert!(!err.contains("skipped"), "a strict build skips nothing: {err}");
    said_once(&err);

    // Without --strict the same files are skipped, and it says so.
    let output = weeklens(&store, &["build", "--archive", archive]);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(
        err.contains("not UTF-8 (invalid byte at offset 20); file skipped"),
        "{err}"
    );
    assert!(
        err.contains("no issue number (`#N`) in the title; file skipped"),
        "{err}"
    );
}

#[test]
fn a_front_matter_that_never_closes_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    fs::create_dir(&archive).expect("mkdir");
    fs::write(archive.join("2023-05-13-weekly.md"), GOOD).expect("write");
    // The closing `---` was lost: the title with its number is inside the unclosed block.
    fs::write(
        archive.join("2023-05-20-weekly.md"),
        "---\ntitle: 'Python 潮流周刊#2：没有结尾'\npubDate: 2023-05-20\n\n## 🦄文章&教程\n\n1、[标题](https://b.dev/y)\n",
    )
    .expect("write");
    let store = dir.path().join("store");
    let output = weeklens(&store, &["build", "--archive", archive.to_str().expect("utf-8")]);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(
        err.contains("2023-05-20-weekly.md:1: the front matter opened by `---` here is never closed"),
        "{err}"
    );
}

#[test]
fn a_draft_without_entries_is_refused() {
    let (dir, store) = built(&sample_archive());
    let cases = [
        ("empty.md", ""),
        ("blank.md", "\n  \n"),
        (
            "prose.md",
            "---\ntitle: Python 潮流周刊#59：草稿\npubDate: 2024-06-01\n---\n\n只有一段导语，还没有条目。\n",
        ),
    ];
    for (name, text) in cases {
        let path = dir.path().join(name);
        fs::write(&path, text).expect("write draft");
        let path = path.to_str().expect("utf-8");
        for command in ["check", "past-years"] {
            let output = weeklens(&store, &[command, path]);
            let err = stderr(&output);
            assert_eq!(output.status.code(), Some(2), "{command} {name}: {err}");
            assert!(err.contains(&format!("{path} holds no entry: ")), "{err}");
            assert!(stdout(&output).is_empty(), "{command} {name} printed an answer");
            said_once(&err);
        }
    }
    // A draft whose only entry is numbered past three digits says so, with the line.
    let path = dir.path().join("long.md");
    fs::write(
        &path,
        "## 🦄文章&教程\n\n1000、[uv 为什么这么快？](https://example.com/uv)\n",
    )
    .expect("write draft");
    let path = path.to_str().expect("utf-8");
    let output = weeklens(&store, &["check", path]);
    let err = stderr(&output);
    assert!(
        err.contains(&format!(
            "{path} holds no entry: line 3: `1000、` numbers an entry"
        )),
        "{err}"
    );
    // A NUL byte in an entry's line is no text: said with its line, not as a draft without a
    // section heading (session 25's battery).
    let path = dir.path().join("nul.md");
    fs::write(&path, "## 🦄文章&教程\n\n1、[标\0题 uv](https://example.com/a)\n").expect("write draft");
    let path = path.to_str().expect("utf-8");
    for command in ["check", "past-years"] {
        let output = weeklens(&store, &[command, path]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{command}: {err}");
        assert!(
            err.contains(&format!("{path}:3: not text: it holds a NUL byte")),
            "{err}"
        );
    }
}

/// Messages that named the wrong thing (the battery of session 16): each now says what was given.
#[test]
fn messages_name_what_was_given() {
    let (dir, store) = built(&sample_archive());
    let refused = |args: &[&str], needle: &str| {
        let output = weeklens(&store, args);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?} lacks {needle:?}: {err}");
        said_once(&err);
        err
    };
    // Reader numbers that are not UTF-8 are named by the line of the bad byte.
    let reads = dir.path().join("reads.csv");
    std::fs::write(&reads, b"issue,reads\n1,\xff120\n").expect("reads");
    let out = dir.path().join("reports");
    refused(
        &[
            "report",
            "--season",
            "1",
            "--out",
            out.to_str().expect("utf-8"),
            "--metrics",
            reads.to_str().expect("utf-8"),
        ],
        &format!("--metrics {}:2: not UTF-8", reads.display()),
    );
    // A number too large for any count is too large, not "not a whole number".
    let err = refused(
        &["trends", "--top", "99999999999999999999"],
        "99999999999999999999 is too large; give 1 to 18446744073709551615",
    );
    assert!(!err.contains("not a whole number"), "{err}");
    refused(
        &["related", "1:article:1", "-k", "99999999999999999999"],
        "is too large; give 1 to 1000",
    );
    // A range from the first issue is advised about --from, and counts only the issues in it.
    let err = refused(
        &["trends", "--from", "1", "--to", "20"],
        "nothing before the window: issues 1 to 20 begin with the store's first issue, #1; choose a --from after 1",
    );
    assert!(!err.contains("--window") && !err.contains("--since"), "{err}");
    // An empty address is said to be empty.
    let err = refused(&["related", "--url", ""], "`--url` is empty");
    assert!(!err.contains("no entry  in"), "{err}");
}

#[test]
fn a_front_matter_that_never_opens_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    fs::create_dir(&archive).expect("mkdir");
    fs::write(archive.join("2023-05-13-weekly.md"), GOOD).expect("write");
    // The opening `---` was lost, and the title's quotes do not pair.
    fs::write(
        archive.join("2023-05-20-weekly.md"),
        "title: \"Python 潮流周刊#2：没有开头'\npubDate: 2023-05-20\n---\n\n## 🦄文章&教程\n\n1、[标题](https://b.dev/y)\n\n描述。\n",
    )
    .expect("write");
    let store = dir.path().join("store");
    let output = weeklens(&store, &["build", "--archive", archive.to_str().expect("utf-8")]);
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    assert!(
        err.contains("2023-05-20-weekly.md:1: the front matter closed by `---` on line 3 is never opened"),
        "{err}"
    );
}
