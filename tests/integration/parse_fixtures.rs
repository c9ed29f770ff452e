//! Every format variant of the archive, one small fixture each (`tests/fixtures/issues/`). The
//! first line of a fixture states the counts it must parse to; the snapshot pins every field.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;

use weeklens::model::Category;
use weeklens::parse::{parse_compilation, parse_issue, ParsedEntry, ParsedIssue};

use crate::support::repo;

fn fixture(name: &str) -> String {
    let path = repo().join("tests/fixtures/issues").join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `key=value` pairs of the fixture's first line `<!-- expect: … -->`.
fn expectations(text: &str) -> BTreeMap<String, String> {
    let first = text.lines().next().unwrap_or_default();
    let inner = first
        .strip_prefix("<!-- expect:")
        .and_then(|s| s.strip_suffix("-->"))
        .unwrap_or_else(|| panic!("first line states no expectations: {first}"));
    inner
        .split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn render(entries: &[ParsedEntry]) -> String {
    let mut out = String::new();
    for e in entries {
        let _ = writeln!(
            out,
            "{}:{} number={:?} line={} lang={:?}{}",
            e.category,
            e.position,
            e.number,
            e.line,
            e.lang,
            if e.withdrawn { " WITHDRAWN" } else { "" }
        );
        let _ = writeln!(out, "  title: {}", e.title);
        let _ = writeln!(out, "  url: {}", e.url.as_deref().unwrap_or("-"));
        for link in &e.links {
            let _ = writeln!(out, "  link: {link}");
        }
        for alt in &e.image_alts {
            let _ = writeln!(out, "  image alt: {alt}");
        }
        for line in e.description.lines() {
            let _ = writeln!(out, "  | {line}");
        }
    }
    out
}

fn check_issue(name: &str) -> ParsedIssue {
    let text = fixture(name);
    let expect = expectations(&text);
    let (issue, diagnostics) = parse_issue(name, &text);
    assert!(diagnostics.is_empty(), "{name}: {diagnostics:?}");

    assert_eq!(
        issue.number.map(|n| n.to_string()),
        expect.get("number").cloned(),
        "{name}: number"
    );
    let format = if issue.titles_only() {
        "titles_only"
    } else {
        "full"
    };
    assert_eq!(
        Some(format),
        expect.get("format").map(String::as_str),
        "{name}: format"
    );
    for category in Category::ALL {
        let want: usize = expect
            .get(category.as_str())
            .map_or(0, |v| v.parse().expect("count"));
        let got = issue
            .entries
            .iter()
            .filter(|e| e.category == category && !e.withdrawn)
            .count();
        assert_eq!(
            got,
            want,
            "{name}: {category} entries\n{}",
            render(&issue.entries)
        );
    }
    let withdrawn = issue.entries.iter().filter(|e| e.withdrawn).count();
    assert_eq!(withdrawn.to_string(), expect["withdrawn"], "{name}: withdrawn");

    let stated: Vec<String> = Category::ALL
        .iter()
        .filter_map(|&c| issue.stated.get(c).map(|n| format!("{c}:{n}")))
        .collect();
    let stated = if stated.is_empty() {
        "none".to_string()
    } else {
        stated.join(",")
    };
    assert_eq!(stated, expect["stated"], "{name}: stated counts");
    issue
}

#[test]
fn plain_headings() {
    let issue = check_issue("plain_headings.md");
    insta::assert_snapshot!(render(&issue.entries));
}

#[test]
fn linked_headings() {
    let issue = check_issue("linked_headings.md");
    insta::assert_snapshot!(render(&issue.entries));
}

#[test]
fn titles_only() {
    let issue = check_issue("titles_only.md");
    assert!(
        issue.date.is_none(),
        "no front matter, no date: the file name gives it"
    );
    insta::assert_snapshot!(render(&issue.entries));
}

#[test]
fn special_issue_with_numbered_headings() {
    let issue = check_issue("special_newsletters.md");
    insta::assert_snapshot!(render(&issue.entries));
}

#[test]
fn book_giveaway() {
    let issue = check_issue("book_giveaway.md");
    insta::assert_snapshot!(render(&issue.entries));
}

/// A translation quotes the book's title instead of 《》: the book is its entry all the same, not
/// the reply keyword or the number quoted before it.
#[test]
fn book_giveaway_in_english() {
    let issue = check_issue("en_book_giveaway.md");
    let book = issue
        .entries
        .iter()
        .find(|e| e.category == Category::Book)
        .expect("a book");
    assert_eq!(book.title, "The Testing Book: From Start to Finish");
}

#[test]
fn english_translation() {
    let issue = check_issue("en_translation.md");
    assert!(issue.cjk_share < 0.1, "an English file reads as English");
    insta::assert_snapshot!(render(&issue.entries));
}

#[test]
fn compilation_blocks() {
    let text = fixture("compilation.md");
    let (blocks, diagnostics) = parse_compilation("compilation.md", &text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let summary: Vec<String> = blocks
        .iter()
        .map(|b| {
            let counts: Vec<String> = Category::ALL
                .iter()
                .filter_map(|&c| {
                    let n = b.entries.iter().filter(|e| e.category == c).count();
                    (n > 0).then(|| format!("{c}={n}"))
                })
                .collect();
            format!("{}:{}", b.number, counts.join(","))
        })
        .collect();
    assert_eq!(summary.join(";"), expectations(&text)["blocks"]);
}

#[test]
fn crlf_and_missing_final_newline_read_the_same() {
    let text = fixture("linked_headings.md");
    let crlf = text.replace('\n', "\r\n");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("x.md");
    fs::write(&path, crlf.trim_end()).expect("write");
    let read = weeklens::archive::read_text(&path, "x.md").expect("utf-8");
    let (a, _) = parse_issue("x.md", &text);
    let (b, _) = parse_issue("x.md", &read);
    assert_eq!(a.entries, b.entries);
}

#[test]
fn a_build_reads_only_the_compilation_blocks_it_asks_for() {
    let text = fixture("compilation.md");
    let (all, _) = parse_compilation("compilation.md", &text);
    assert!(all.len() >= 2, "the fixture holds several blocks");
    let wanted = all[1].number;
    let (some, diagnostics) =
        weeklens::parse::parse_compilation_blocks("compilation.md", &text, |n| n == wanted);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(some.len(), 1);
    assert_eq!(some[0].number, wanted);
    assert_eq!(some[0].entries, all[1].entries);
}
