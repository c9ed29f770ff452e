//! The shipped sample archive builds, and what it holds comes through: both formats, the
//! translations, the compilation, the untranslated file.

use std::fs;

use weeklens::model::{Category, IssueFormat, Translation};
use weeklens::store::Store;

use crate::support::{built, ok, sample_archive, stderr, stdout, weeklens};

#[test]
fn sample_builds_with_every_issue() {
    let (_dir, store) = built(&sample_archive());
    let store = Store::open(&store).expect("store opens");
    let issues = store.issues().expect("issues");
    let numbers: Vec<u32> = issues.iter().map(|i| i.number).collect();
    assert_eq!(numbers, vec![1, 2, 3, 4, 28, 29, 30, 31, 55, 56, 57, 58]);
    // The one quirk said: #30's translation carries #29's number in its title (its links are
    // #30's, so it is paired, its title left out).
    let said: Vec<String> = store.diagnostics().iter().map(ToString::to_string).collect();
    assert_eq!(
        said,
        [
            "en/2023-12-09-weekly.md: its title names issue #29, but `2023-12-09-weekly.md` is issue \
          #30; this file holds the links of 11 of its 11 linked entries, so they are paired, but its \
          title is not used"
        ]
    );

    let format = |n: u32| issues.iter().find(|i| i.number == n).map(|i| i.format);
    assert_eq!(format(1), Some(IssueFormat::Full));
    assert_eq!(format(57), Some(IssueFormat::TitlesOnly));
    assert_eq!(format(58), Some(IssueFormat::TitlesOnly));
}

#[test]
fn title_only_issue_is_filled_from_the_compilation() {
    let (_dir, store) = built(&sample_archive());
    let store = Store::open(&store).expect("store opens");
    let issues = store.issues().expect("issues");
    let entries = store.entries().expect("entries");
    let issue57 = issues.iter().find(|i| i.number == 57).expect("#57");
    assert_eq!(
        issue57.filled,
        issue57.counts.total(),
        "every entry of #57 is in the compilation"
    );
    assert!(entries
        .iter()
        .filter(|e| e.issue == 57)
        .all(|e| e.url.is_some() && !e.description.is_empty()));
    let issue58 = issues.iter().find(|i| i.number == 58).expect("#58");
    assert_eq!(issue58.filled, 0);
    assert!(entries.iter().filter(|e| e.issue == 58).all(|e| e.url.is_none()));
    // The compilation adds no entries of its own.
    let total: u32 = issues.iter().map(|i| i.counts.total() + i.withdrawn).sum();
    assert_eq!(total as usize, entries.len());
}

#[test]
fn translations_pair_by_url_despite_drops_swaps_and_wrong_numbers() {
    let (_dir, store) = built(&sample_archive());
    let store = Store::open(&store).expect("store opens");
    let issues = store.issues().expect("issues");
    let entries = store.entries().expect("entries");
    let issue = |n: u32| issues.iter().find(|i| i.number == n).expect("issue");

    // #1's translation dropped one entry and swapped two others.
    assert_eq!(issue(1).paired, issue(1).counts.total() - 1);
    let swapped: Vec<_> = entries
        .iter()
        .filter(|e| e.issue == 1 && e.category == Category::Article && e.position <= 3)
        .collect();
    for e in swapped {
        let en = e.en_title.as_deref().unwrap_or_default();
        assert!(!en.is_empty(), "{} has an English title", e.id());
    }
    // #3's translation was left in Chinese: nothing pairs, and stats says why.
    assert_eq!(issue(3).translation, Translation::Untranslated);
    assert_eq!(issue(3).paired, 0);
    // #30's English title gives #29; the file name decides.
    assert_eq!(issue(30).paired, issue(30).counts.total());
}

#[test]
fn stats_agree_with_every_stated_count() {
    let (_dir, store) = built(&sample_archive());
    // Not --strict: the sample's #30 translation is titled #29, which the build warns about.
    let json = ok(&store, &["stats", "--format", "json"]);
    let stats: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(stats["totals"]["issues"], 12);
    assert_eq!(stats["totals"]["issues_off"], 0);
    let table = ok(&store, &["stats"]);
    assert!(table.contains("the translation is left in Chinese"), "{table}");
    assert!(
        table.contains("\nfill: entries filled in from a season compilation;"),
        "{table}"
    );
}

#[test]
fn same_archive_same_bytes() {
    let (_a, first) = built(&sample_archive());
    let (_b, second) = built(&sample_archive());
    for file in ["issues.parquet", "entries.parquet", "manifest.json"] {
        let a = fs::read(crate::support::store_file(&first, file)).expect("read");
        let b = fs::read(crate::support::store_file(&second, file)).expect("read");
        assert!(a == b, "{file} differs between two builds of the same archive");
    }
}

/// A compilation block headed with a wrong number (`## 58` over #57's entries) fills #58 with no
/// other issue's links: it shares one title with #58 (an entry #58 shares again), so that entry
/// alone is filled and the block is named (file and line); sharing none, it fills nothing. #57 has
/// no block left. A second compilation holding another block for #57 is named with the one used.
#[test]
fn a_compilation_block_that_shares_no_title_fills_nothing_and_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    crate::support::copy_dir(&sample_archive(), &archive);
    let compilation = archive.join("2024-07-13-sweekly.md");
    let text = fs::read_to_string(&compilation).expect("compilation");
    assert!(text.contains("\n## 57 "));
    fs::write(&compilation, text.replacen("\n## 57 ", "\n## 58 ", 1)).expect("renumber");
    let store = dir.path().join("store");
    let archive_arg = archive.to_str().expect("utf-8");
    let build = || {
        let output = weeklens(&store, &["build", "--archive", archive_arg]);
        assert!(output.status.success(), "{}", stderr(&output));
        (stderr(&output), stdout(&output))
    };
    let (err, out) = build();
    assert!(
        err.contains(
            "2024-07-13-sweekly.md:12: the block of issue #58 shares only 1 of the 14 entry titles \
             of `2024-06-29-weekly.md`: only those are filled from it"
        ),
        "{err}"
    );
    assert!(out.contains("(1 filled from season compilations)"), "{out}");
    let opened = Store::open(&store).expect("store opens");
    let filled: Vec<(u32, u32)> = opened
        .issues()
        .expect("issues")
        .iter()
        .filter(|i| i.filled > 0)
        .map(|i| (i.number, i.filled))
        .collect();
    assert_eq!(filled, [(58, 1)]);
    // #58 with its re-shared title reworded: the block shares nothing with it.
    let issue58 = archive.join("2024-06-29-weekly.md");
    let own = fs::read_to_string(&issue58).expect("#58");
    assert_eq!(own.matches("自由线程 Python 的扩展兼容性清单").count(), 1);
    fs::write(
        &issue58,
        own.replace("自由线程 Python 的扩展兼容性清单", "另一份兼容性清单"),
    )
    .expect("reword");
    let (err, out) = build();
    assert!(
        err.contains(
            "2024-07-13-sweekly.md:12: the block of issue #58 shares no entry title with \
             `2024-06-29-weekly.md` (issue #58): not used to fill it"
        ),
        "{err}"
    );
    assert!(out.contains("(0 filled from season compilations)"), "{out}");
    fs::write(&issue58, own).expect("restore #58");

    // The block as it was, and another compilation whose block for #57 links one entry elsewhere.
    fs::write(&compilation, &text).expect("restore");
    let other = text.replacen("](https://", "](https://elsewhere.example.org/", 3);
    fs::write(archive.join("2024-07-20-iweekly.md"), other).expect("second compilation");
    let (err, _) = build();
    assert!(
        err.contains(
            "2024-07-20-iweekly.md:12: the block of issue #57 differs from the one at \
             `2024-07-13-sweekly.md` line 12, which fills `2024-06-22-weekly.md`"
        ),
        "{err}"
    );
    let opened = Store::open(&store).expect("store opens");
    let issues = opened.issues().expect("issues");
    let issue57 = issues.iter().find(|i| i.number == 57).expect("#57");
    assert_eq!(issue57.filled, issue57.counts.total(), "filled from the first");
    assert!(opened
        .entries()
        .expect("entries")
        .iter()
        .filter(|e| e.issue == 57)
        .all(|e| !e.url.as_deref().unwrap_or("").contains("elsewhere")));
}

/// A pubDate a year off its file name's date is named with its line and which date is used; the
/// season's report then says its dates run backwards instead of printing a negative length.
#[test]
fn a_pubdate_far_from_the_file_names_date_is_named_and_no_span_is_negative() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("archive");
    crate::support::copy_dir(&sample_archive(), &archive);
    let file = archive.join("2023-12-16-weekly.md");
    let text = fs::read_to_string(&file).expect("issue");
    assert!(text.contains("\npubDate: 2023-12-16"));
    fs::write(
        &file,
        text.replacen("\npubDate: 2023-12-16", "\npubDate: 2024-12-16", 1),
    )
    .expect("slip");
    let store = dir.path().join("store");
    let output = weeklens(&store, &["build", "--archive", archive.to_str().expect("utf-8")]);
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains(
            "2023-12-16-weekly.md:3: pubDate 2024-12-16 is 366 days after the file name's date \
             2023-12-16: the pubDate is used"
        ),
        "{err}"
    );
    // Every other file of the sample agrees with its name: one warning more than the sample's.
    assert_eq!(err.matches("warning:").count(), 2, "{err}");
    let reports = dir.path().join("reports");
    let output = weeklens(
        &store,
        &[
            "report",
            "--season",
            "2",
            "--out",
            reports.to_str().expect("utf-8"),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let summary = fs::read_to_string(reports.join("season-2/index.md")).expect("report");
    assert!(!summary.contains("-170"), "{summary}");
    assert!(summary.contains("末期的日期早于首期"), "{summary}");
}
