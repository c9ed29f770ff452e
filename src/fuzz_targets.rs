//! The bodies of the fuzz targets (`fuzz/fuzz_targets/`), kept in the library so that the test
//! running their seed corpus on every `cargo test` (`tests/integration/fuzz_corpus.rs`) checks
//! exactly what the fuzzer checks. Not part of the library's interface.
//!
//! Each body takes the bytes a file could hold, runs them through the stages that read files —
//! [`crate::archive::decode_text`], [`crate::parse`], [`crate::ingest`], [`crate::draft`] and
//! [`crate::check`] — and panics when an invariant of their output breaks: that is how libFuzzer
//! and the test learn of it. The invariants are the cheap ones the later stages rely on (titles
//! present and folded, positions numbered 1, 2, 3 … per category, lines inside the file, links
//! unique), not only "no panic".

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::LazyLock;

use chrono::NaiveDate;

use crate::archive::{decode_text, SourceFile};
use crate::check::{self, Archive, Identities, NEAR_DUPLICATE};
use crate::diagnostic::Diagnostic;
use crate::draft::Draft;
use crate::ingest;
use crate::model::{Category, Entry, Issue, Translation};
use crate::parse::{self, markdown::fold_space, CompiledIssue, ParsedEntry, ParsedIssue};
use crate::related::RelatedIndex;
use crate::tokenize::Tokenizer;
use crate::vectorize::{self, FittedTfIdf, TfIdfParams};

/// Splits one input of the `parse_issue` target into a weekly issue, its English translation and
/// a season compilation (ASCII's record separator: text never holds it, and a fuzzer finds it
/// in one mutation).
pub const PART_SEPARATOR: u8 = 0x1e;

/// The name the inputs are read under: a weekly issue's, so that the file name's date is used.
const ISSUE_NAME: &str = "2024-06-08-weekly.md";

/// The `parse_issue` target: `zh [RS en [RS compilation]]`, each part any bytes. The weekly part
/// is parsed as the archive's files are, the translation joined to it and the compilation's
/// block of its number filled in, as `build` does.
pub fn parse_issue(data: &[u8]) {
    let mut parts = data.splitn(3, |&b| b == PART_SEPARATOR);
    let zh = parts.next().unwrap_or_default();
    let en = parts.next();
    let compilation = parts.next();

    let zh = read_issue(ISSUE_NAME, zh);
    let en = en.and_then(|bytes| read_issue("en/2024-06-08-weekly.md", bytes));
    let blocks = compilation.and_then(|bytes| read_compilation("2024-07-13-sweekly.md", bytes));
    let Some(zh) = zh else { return };

    if let Some(en) = &en {
        let pairs = ingest::pair(&zh.entries, &en.entries);
        assert_eq!(pairs.len(), zh.entries.len());
        let mut used = vec![false; en.entries.len()];
        for k in pairs.into_iter().flatten() {
            assert!(!used[k], "English entry {k} paired twice");
            used[k] = true;
        }
    }
    let Some(number) = zh.number else { return };
    let compiled = blocks.and_then(|blocks| {
        blocks
            .into_iter()
            .find(|b| b.number == number && b.entries.iter().any(|e| e.url.is_some()))
            .map(|b| ("2024-07-13-sweekly.md".to_string(), b))
    });
    let file = SourceFile {
        name: ISSUE_NAME.to_string(),
        path: PathBuf::from(ISSUE_NAME),
        date: NaiveDate::from_ymd_opt(2024, 6, 8).expect("a valid date"),
        translation: None,
    };
    let parsed_entries = zh.entries.len();
    let (issue, entries) = ingest::assemble(
        number,
        &file,
        zh,
        en.ok_or(Translation::Missing),
        compiled.as_ref(),
    );
    assert_eq!(entries.len(), parsed_entries);
    assert_eq!(
        issue.counts.total() + issue.withdrawn,
        u32::try_from(entries.len()).expect("entries fit u32")
    );
    assert!(issue.paired as usize <= entries.len() && issue.filled as usize <= entries.len());
    let paired = entries
        .iter()
        .filter(|e| !e.withdrawn && e.en_title.is_some())
        .count();
    assert_eq!(issue.paired as usize, paired);
    for e in &entries {
        assert_eq!(e.issue, number);
        assert!(issue.translation == Translation::Present || e.en_title.is_none());
    }
}

/// The `draft` target: any bytes as a draft file, read as `check` and `past-years` read it (its
/// number and date), then checked against a small archive held in memory, as `check` does with
/// the store's.
pub fn draft(data: &[u8]) {
    for name in ["draft.md", "2024-06-08-draft.md"] {
        let Ok(text) = decode_text(data.to_vec(), name) else {
            return;
        };
        let draft = Draft::from_text(name.to_string(), &text);
        assert_issue(name, &text, &draft.issue, &draft.problems);

        let known = &*KNOWN;
        for issues in [&[][..], &known.issues[..]] {
            let number = draft.number(issues);
            let last = issues.iter().map(|i| i.number).max().unwrap_or(0);
            assert_eq!(number, draft.issue.number.unwrap_or(last + 1));
            let date = draft.date(None, issues);
            if let Some(stated) = draft.issue.date {
                assert_eq!(date, stated);
            }
        }

        let date = draft.date(None, &known.issues);
        let archive = Archive {
            ranking: crate::related::Ranking {
                entries: &known.entries,
                issues: &known.issues,
                vocabulary: &known.vocabulary,
                related_rows: &known.rows,
                related_index: &known.index,
            },
            identities: &known.identities,
        };
        let entries = &draft.issue.entries;
        let results = check::check(entries, date, draft.issue.number, &archive, Tokenizer::shared());
        let live: Vec<&ParsedEntry> = entries.iter().filter(|e| !e.withdrawn).collect();
        assert_eq!(results.len(), live.len());
        for (result, entry) in results.iter().zip(live) {
            assert_eq!(
                (result.category, result.position, &result.title),
                (entry.category, entry.position, &entry.title)
            );
            for hit in &result.hits {
                assert!(!hit.reasons.is_empty());
                assert!(draft.issue.number.is_none_or(|n| hit.issue < n));
                for reason in &hit.reasons {
                    if let check::Reason::SimilarText(score) | check::Reason::SimilarTranslation(score) =
                        reason
                    {
                        assert!(
                            score.is_finite() && *score >= NEAR_DUPLICATE && *score <= 1.0 + 1e-4,
                            "score {score}"
                        );
                    }
                }
            }
        }
        let table = check::render_table(&results);
        let found = results.iter().filter(|r| r.repeats()).count();
        assert!(
            table.contains(&format!(
                "{found} of {} draft entries were shared before",
                results.len()
            )),
            "{table}"
        );
        serde_json::to_string(&results).expect("results serialise");
    }
}

/// Decodes and parses one weekly issue file, checking what the parser gives; `None` for bytes
/// that are not UTF-8 (after checking the diagnostic that says so).
fn read_issue(name: &str, bytes: &[u8]) -> Option<ParsedIssue> {
    let text = decoded(name, bytes)?;
    let (issue, diagnostics) = parse::parse_issue(name, &text);
    assert_issue(name, &text, &issue, &diagnostics);
    Some(issue)
}

/// Decodes and parses a season compilation, checking its blocks.
fn read_compilation(name: &str, bytes: &[u8]) -> Option<Vec<CompiledIssue>> {
    let text = decoded(name, bytes)?;
    let (blocks, diagnostics) = parse::parse_compilation(name, &text);
    let lines = text.lines().count();
    assert_diagnostics(name, lines, &diagnostics);
    for block in &blocks {
        assert!(block.number <= 9999, "block #{}", block.number);
        assert_entries(lines, &block.entries);
    }
    // A build reads only the blocks it needs: those must be read exactly as the whole file's.
    let (even, _) = parse::parse_compilation_blocks(name, &text, |n| n % 2 == 0);
    let whole_even: Vec<&CompiledIssue> = blocks.iter().filter(|b| b.number % 2 == 0).collect();
    assert_eq!(even.iter().collect::<Vec<_>>(), whole_even);
    Some(blocks)
}

/// [`decode_text`], checked: a byte sequence that is not UTF-8 is named with a line of the file.
fn decoded(name: &str, bytes: &[u8]) -> Option<String> {
    match decode_text(bytes.to_vec(), name) {
        Ok(text) => {
            // A leading byte-order mark goes (one: a second is text), every line ends in LF, and
            // the text is composed (NFC): an accent reads alike however it was written.
            assert!(!text.contains('\r'));
            assert!(unicode_normalization::is_nfc(&text));
            assert_eq!(
                text.starts_with('\u{feff}'),
                bytes.starts_with(&[0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf])
            );
            Some(text)
        }
        Err(d) => {
            let lines = bytes.split(|&b| b == b'\n').count();
            assert!(d.line.is_some_and(|l| (1..=lines).contains(&l)), "{d}");
            assert_eq!(d.file, name);
            None
        }
    }
}

/// What a parsed issue promises the stages after it.
fn assert_issue(name: &str, text: &str, issue: &ParsedIssue, diagnostics: &[Diagnostic]) {
    let lines = text.lines().count();
    assert_diagnostics(name, lines, diagnostics);
    assert_entries(lines, &issue.entries);
    assert_eq!(issue.number, parse::issue_number(&issue.title));
    assert!(
        (0.0..=1.0).contains(&issue.cjk_share),
        "cjk share {}",
        issue.cjk_share
    );
    for link in &issue.past_links {
        assert!(link.issue.is_none_or(|n| n <= 99_999));
    }
    assert_eq!(
        issue.titles_only(),
        issue.entries.iter().any(|e| !e.withdrawn)
            && issue
                .entries
                .iter()
                .filter(|e| !e.withdrawn)
                .all(|e| e.circled && e.url.is_none())
    );
}

fn assert_diagnostics(name: &str, lines: usize, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        assert_eq!(d.file, name);
        assert!(d.line.is_none_or(|l| (1..=lines.max(1)).contains(&l)), "{d}");
    }
}

/// Entries of one file (or one compilation block): titles present and folded, positions 1, 2, 3 …
/// per category in file order, lines inside the file and increasing, links unique.
fn assert_entries(lines: usize, entries: &[ParsedEntry]) {
    let mut positions: BTreeMap<Category, u32> = BTreeMap::new();
    let mut previous_line = 0;
    for e in entries {
        assert!(!e.title.is_empty(), "empty title at line {}", e.line);
        assert_eq!(
            e.title,
            fold_space(&e.title),
            "title not folded at line {}",
            e.line
        );
        let position = positions.entry(e.category).or_default();
        *position += 1;
        assert_eq!(e.position, *position, "position of the entry at line {}", e.line);
        assert!((1..=lines).contains(&e.line), "line {} of {lines}", e.line);
        assert!(
            e.line > previous_line,
            "entry at line {} after line {previous_line}",
            e.line
        );
        previous_line = e.line;
        assert!(e.url.as_ref().is_none_or(|u| !u.is_empty()));
        assert!(!e.withdrawn || e.url.is_none());
        assert!(!e.circled || e.number.is_some_and(|n| (1..=50).contains(&n)));
        assert!(e.number.is_none_or(|n| n <= 999));
        let mut seen = std::collections::BTreeSet::new();
        for link in &e.links {
            assert!(!link.is_empty() && Some(link) != e.url.as_ref());
            assert!(seen.insert(link), "link {link} twice at line {}", e.line);
        }
        assert!(e.image_alts.iter().all(|a| !a.is_empty()));
    }
}

/// The archive the `draft` target checks against: two issues of the shipped sample, read as a
/// build reads them, vectorised and indexed as the store holds them.
struct Known {
    issues: Vec<Issue>,
    entries: Vec<Entry>,
    vocabulary: FittedTfIdf,
    rows: Vec<crate::vectorize::SparseVector>,
    index: RelatedIndex,
    identities: Identities,
}

static KNOWN: LazyLock<Known> = LazyLock::new(|| {
    let files = [
        (
            "2023-05-13-weekly.md",
            include_str!("../data/sample/2023-05-13-weekly.md"),
        ),
        (
            "2023-12-09-weekly.md",
            include_str!("../data/sample/2023-12-09-weekly.md"),
        ),
    ];
    let mut issues = Vec::new();
    let mut entries = Vec::new();
    for (name, text) in files {
        let (parsed, _) = parse::parse_issue(name, text);
        let number = parsed.number.expect("the sample's issues are numbered");
        let file = SourceFile {
            name: name.to_string(),
            path: PathBuf::from(name),
            date: NaiveDate::parse_from_str(&name[..10], "%Y-%m-%d").expect("a dated name"),
            translation: None,
        };
        let (issue, found) = ingest::assemble(number, &file, parsed, Err(Translation::Missing), None);
        issues.push(issue);
        entries.extend(found);
    }
    let tokenizer = Tokenizer::shared();
    let documents = vectorize::entry_documents(tokenizer, &entries);
    let vocabulary = TfIdfParams::default()
        .check()
        .expect("the default TF-IDF parameters are valid")
        .fit(&documents);
    let rows: Vec<_> = documents
        .iter()
        .map(|d| vocabulary.row(&vocabulary.counts(d)))
        .collect();
    let index = RelatedIndex::build(&rows, &entries, vocabulary.terms().len());
    let identities = Identities::of(&entries);
    Known {
        issues,
        entries,
        vocabulary,
        rows,
        index,
        identities,
    }
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_known_archive_has_entries_to_match() {
        assert_eq!(KNOWN.issues.len(), 2);
        assert!(KNOWN.entries.len() > 10);
        assert!(!KNOWN.vocabulary.terms().is_empty());
    }
}
