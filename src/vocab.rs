//! Tools for keeping the tokenizer's word lists honest, measured on the archive itself:
//! candidate terms for the jieba user dictionary (adjacent pairs that jieba splits but that
//! occur together far more often than chance), the document frequency of terms, which is what
//! justifies the domain stop words, and the names the stemmer would change (`data/names.txt`).
//! Reads the entries from the store.

use std::fmt::Write as _;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::escape::terminal_padded;
use crate::model::Entry;
use crate::tokenize::Tokenizer;

/// An adjacent pair of jieba segments that may be one term.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairCandidate {
    pub term: String,
    pub left: String,
    pub right: String,
    /// Entries holding the pair.
    pub entries: u32,
    /// Pointwise mutual information of the pair over all adjacent segments, in bits.
    pub pmi: f64,
}

/// Adjacent segments of the entries' Chinese text seen in at least `min_entries` entries, with
/// a PMI of at least `min_pmi` bits, that jieba does not know as one word and that hold no stop
/// word; most frequent first.
pub fn pair_candidates(
    tokenizer: &Tokenizer,
    entries: &[Entry],
    min_entries: u32,
    min_pmi: f64,
    top: usize,
) -> Vec<PairCandidate> {
    let mut unigrams: FxHashMap<&str, u64> = FxHashMap::default();
    let mut bigrams: FxHashMap<(&str, &str), u64> = FxHashMap::default();
    let mut bigram_entries: FxHashMap<(&str, &str), u32> = FxHashMap::default();
    let mut total = 0u64;
    for entry in entries.iter().filter(|e| !e.withdrawn) {
        let mut seen = Vec::new();
        for text in [entry.title.as_str(), entry.description.as_str()] {
            for run in text.split(|c: char| !('\u{4E00}'..='\u{9FFF}').contains(&c)) {
                if run.is_empty() {
                    continue;
                }
                let segments = tokenizer.segments(run);
                for s in &segments {
                    *unigrams.entry(s).or_default() += 1;
                    total += 1;
                }
                for pair in segments.windows(2) {
                    let key = (pair[0], pair[1]);
                    *bigrams.entry(key).or_default() += 1;
                    seen.push(key);
                }
            }
        }
        seen.sort_unstable();
        seen.dedup();
        for key in seen {
            *bigram_entries.entry(key).or_default() += 1;
        }
    }
    let total = total.max(1) as f64;
    let mut out: Vec<PairCandidate> = bigrams
        .into_iter()
        .filter_map(|((left, right), count)| {
            let in_entries = bigram_entries.get(&(left, right)).copied().unwrap_or(0);
            let term = format!("{left}{right}");
            let chars = term.chars().count();
            // A pair with a function word (了, 这, 等 …) is grammar, not a term.
            if in_entries < min_entries
                || !(3..=6).contains(&chars)
                || tokenizer.knows(&term)
                || tokenizer.is_stop_word(left)
                || tokenizer.is_stop_word(right)
            {
                return None;
            }
            let p_ab = count as f64 / total;
            let p_a = unigrams[left] as f64 / total;
            let p_b = unigrams[right] as f64 / total;
            let pmi = (p_ab / (p_a * p_b)).log2();
            (pmi >= min_pmi).then(|| PairCandidate {
                term,
                left: left.to_string(),
                right: right.to_string(),
                entries: in_entries,
                pmi: (pmi * 100.0).round() / 100.0,
            })
        })
        .collect();
    out.sort_by(|a, b| b.entries.cmp(&a.entries).then_with(|| a.term.cmp(&b.term)));
    out.truncate(top);
    out
}

/// A term with the share of entries it occurs in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermFrequency {
    pub term: String,
    pub entries: u32,
    pub share: f64,
    /// Issues it occurs in.
    pub issues: u32,
    /// How unevenly it spreads over the issues: Gries's deviation of proportions (2008), half
    /// the sum over issues of |the issue's share of the term's entries − the issue's share of
    /// the archive's text|. Near 0 for a word every issue uses as much as it writes (filler);
    /// towards 1 for a subject, whose entries gather in the weeks it was news (AI, a release, a
    /// PEP) or in one kind of issue.
    pub dp: f64,
    /// On the domain stop list (dropped from every other output).
    pub domain_stop_word: bool,
}

/// The `top` terms by document frequency, domain stop words included and marked.
pub fn document_frequencies(tokenizer: &Tokenizer, entries: &[Entry], top: usize) -> Vec<TermFrequency> {
    let mut df: FxHashMap<String, u32> = FxHashMap::default();
    let mut in_issues: FxHashMap<String, Vec<u32>> = FxHashMap::default();
    // The issue of each entry holding the term, repeats kept.
    let mut per_issue: std::collections::BTreeMap<u32, u32> = std::collections::BTreeMap::new();
    let mut documents = 0u32;
    let mut written = 0u32;
    let mut terms = Vec::new();
    for entry in entries.iter().filter(|e| !e.withdrawn) {
        documents += 1;
        terms.clear();
        for text in entry.texts() {
            tokenizer.raw_terms_into(text, &mut terms);
        }
        // An issue weighs by how much it writes: the archive's title-only issues have a tenth
        // of the words of its full ones, and a description word cannot fall in them.
        *per_issue.entry(entry.issue).or_default() += terms.len() as u32;
        written += terms.len() as u32;
        terms.sort_unstable();
        terms.dedup();
        for term in terms.drain(..) {
            in_issues.entry(term.clone()).or_default().push(entry.issue);
            *df.entry(term).or_default() += 1;
        }
    }
    let n = f64::from(documents.max(1));
    let all_written = f64::from(written.max(1));
    let deviation = |issues_of: &[u32]| -> f64 {
        let total = issues_of.len().max(1) as f64;
        let mut held: FxHashMap<u32, u32> = FxHashMap::default();
        for issue in issues_of {
            *held.entry(*issue).or_default() += 1;
        }
        let sum: f64 = per_issue
            .iter()
            .map(|(issue, &size)| {
                let observed = f64::from(held.get(issue).copied().unwrap_or(0)) / total;
                (observed - f64::from(size) / all_written).abs()
            })
            .sum();
        sum / 2.0
    };
    let mut out: Vec<TermFrequency> = df
        .into_iter()
        .map(|(term, entries)| {
            let mut issues_of = in_issues.remove(&term).unwrap_or_default();
            let dp = deviation(&issues_of);
            issues_of.sort_unstable();
            issues_of.dedup();
            let issues = issues_of.len() as u32;
            TermFrequency {
                domain_stop_word: tokenizer.is_domain_stop_word(&term),
                share: (f64::from(entries) / n * 1000.0).round() / 1000.0,
                issues,
                dp: (dp * 1000.0).round() / 1000.0,
                term,
                entries,
            }
        })
        .collect();
    out.sort_by(|a, b| b.entries.cmp(&a.entries).then_with(|| a.term.cmp(&b.term)));
    out.truncate(top);
    out
}

pub fn render_pairs(pairs: &[PairCandidate]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>4}  {:<12}  {:<14}  {:>7}  {:>5}",
        "rank", "term", "jieba cuts", "entries", "pmi"
    );
    for (k, p) in pairs.iter().enumerate() {
        // Terms come from the archive's text: shown without control characters.
        let cut = format!("{} | {}", p.left, p.right);
        let _ = writeln!(
            out,
            "{:>4}  {}  {}  {:>7}  {:>5.2}",
            k + 1,
            terminal_padded(&p.term, 12),
            terminal_padded(&cut, 14),
            p.entries,
            p.pmi
        );
    }
    out
}

pub fn render_frequencies(terms: &[TermFrequency]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>4}  {:<24}  {:>7}  {:>6}  {:>6}  {:>6}  domain stop word",
        "rank", "term", "entries", "share", "issues", "dp"
    );
    for (k, t) in terms.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:>4}  {}  {:>7}  {:>5.1}%  {:>6}  {:>6.2}  {}",
            k + 1,
            terminal_padded(&t.term, 24),
            t.entries,
            t.share * 100.0,
            t.issues,
            t.dp,
            if t.domain_stop_word { "yes" } else { "" }
        );
    }
    out
}

/// A word the archive uses as a project or library name that the stemmer would change
/// (`pypy` → `pypi`, `numpy` → `numpi`): a candidate for `data/names.txt`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NameCandidate {
    pub word: String,
    /// What the stemmer makes of it.
    pub stem: String,
    /// Entries whose text holds the word, in any case.
    pub entries: u32,
    /// A repository or package name in the entries' links.
    pub linked: bool,
    /// Written with a capital after its first letter somewhere (`PyPy`, `NumPy`).
    pub name_shaped: bool,
    /// Already in `data/names.txt` or the user dictionary.
    pub listed: bool,
}

/// The repository of a GitHub link and the package of a PyPI link, lower-cased.
fn linked_name(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let mut parts = rest.split(['/', '?', '#']);
    let host = parts.next()?;
    let name = match host {
        "github.com" => parts.nth(1)?,
        "pypi.org" if parts.next()? == "project" => parts.next()?,
        _ => return None,
    };
    Some(name.trim_end_matches(".git").to_lowercase())
}

/// Words of at least 3 ASCII letters that the entries' links name (repository and package
/// names, and their parts between `-`, `_` and `.`) or that their text writes with a capital
/// after the first letter, which the stemmer changes, and whose stem no other word of the texts
/// shares (`agents` and `agent` are one word, `pypy` and `pypi` two names); most entries first.
pub fn name_candidates(tokenizer: &Tokenizer, entries: &[Entry], min_entries: u32) -> Vec<NameCandidate> {
    let mut linked: FxHashSet<String> = FxHashSet::default();
    let mut shaped: FxHashSet<String> = FxHashSet::default();
    let mut df: FxHashMap<String, u32> = FxHashMap::default();
    let letters = |w: &str| w.len() >= 3 && w.bytes().all(|b| b.is_ascii_alphabetic());
    for entry in entries.iter().filter(|e| !e.withdrawn) {
        for url in entry.url.iter().chain(&entry.links) {
            if let Some(name) = linked_name(url) {
                linked.extend(
                    name.split(['-', '_', '.'])
                        .filter(|p| letters(p))
                        .map(str::to_string),
                );
            }
        }
        let mut seen: FxHashSet<String> = FxHashSet::default();
        for text in entry.texts() {
            for word in text
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| letters(w))
            {
                if word.chars().skip(1).any(|c| c.is_ascii_uppercase()) {
                    shaped.insert(word.to_ascii_lowercase());
                }
                seen.insert(word.to_ascii_lowercase());
            }
        }
        for word in seen {
            *df.entry(word).or_default() += 1;
        }
    }
    let candidate = |w: &str| linked.contains(w) || shaped.contains(w);
    // The stems of the words that are not candidates: an ordinary word's inflections.
    let plain_stems: FxHashSet<String> = df
        .keys()
        .filter(|w| !candidate(w))
        .map(|w| tokenizer.stem(w))
        .collect();
    let mut out: Vec<NameCandidate> = df
        .iter()
        .filter(|(word, &n)| n >= min_entries && candidate(word))
        .filter_map(|(word, &n)| {
            let stem = tokenizer.stem(word);
            (stem != *word && !plain_stems.contains(&stem)).then(|| NameCandidate {
                listed: tokenizer.is_name(word),
                linked: linked.contains(word),
                name_shaped: shaped.contains(word),
                word: word.clone(),
                stem,
                entries: n,
            })
        })
        .collect();
    out.sort_by(|a, b| b.entries.cmp(&a.entries).then_with(|| a.word.cmp(&b.word)));
    out
}

pub fn render_names(names: &[NameCandidate]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<20}  {:<20}  {:>7}  {:<6}  {:<6}  listed",
        "word", "stem", "entries", "linked", "shaped"
    );
    let yes = |b: bool| if b { "yes" } else { "" };
    for n in names {
        // ASCII letters only (see name_candidates): nothing to escape or measure.
        let _ = writeln!(
            out,
            "{:<20}  {:<20}  {:>7}  {:<6}  {:<6}  {}",
            n.word,
            n.stem,
            n.entries,
            yes(n.linked),
            yes(n.name_shaped),
            yes(n.listed)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Category;

    fn entry(issue: u32, position: u32, title: &str) -> Entry {
        let mut e = Entry::stub(issue, Category::Article, position);
        e.title = title.to_string();
        e
    }

    #[test]
    fn names_are_linked_or_name_shaped_words_the_stemmer_would_change() {
        let linked = |position: u32, title: &str, url: &str| Entry {
            url: Some(url.to_string()),
            ..entry(1, position, title)
        };
        let entries = vec![
            linked(
                1,
                "Pyrefly: a type checker",
                "https://github.com/facebook/pyrefly",
            ),
            linked(2, "pyrefly again, and PyPy", "https://pypi.org/project/agents/"),
            linked(3, "pypy is fast; agents and an agent", "https://example.com/x"),
            linked(4, "Kivy apps", "https://github.com/kivy/kivy"),
        ];
        let found = name_candidates(Tokenizer::shared(), &entries, 2);
        let words: Vec<&str> = found.iter().map(|n| n.word.as_str()).collect();
        // pyrefly (linked) and pypy (written with an inner capital) are in two entries each and
        // the stemmer changes them; agents is linked but an inflection of agent; kivy is in one
        // entry only.
        assert_eq!(words, ["pypy", "pyrefly"]);
        assert_eq!(found[1].stem, "pyrefli");
        assert!(found[0].name_shaped && !found[0].linked);
        assert!(found[1].linked && !found[1].name_shaped);
        let table = render_names(&found);
        assert!(
            table.lines().nth(1).is_some_and(|l| l.starts_with("pypy ")),
            "{table}"
        );
    }

    #[test]
    fn a_chinese_term_takes_two_columns_of_the_table() {
        let rows = [("工具", 3u32), ("tool", 2)].map(|(term, entries)| TermFrequency {
            term: term.to_string(),
            entries,
            share: 0.5,
            issues: 1,
            dp: 0.0,
            domain_stop_word: false,
        });
        let table = render_frequencies(&rows);
        // The fields after the term are as wide in both lines: so are the lines when the columns
        // line up.
        let widths: Vec<usize> = table.lines().map(unicode_width::UnicodeWidthStr::width).collect();
        assert_eq!(widths[1], widths[2], "{table}");
    }

    /// A word every issue uses as much as it writes spreads evenly (DP near 0); a subject that
    /// gathers in a few issues does not (DP towards 1), at the same share of the entries.
    #[test]
    fn the_spread_tells_filler_from_a_subject_that_gathers() {
        let mut entries = Vec::new();
        for issue in 1..=10 {
            // "kubernetes" in issues 9 and 10 only, "various" once in every other issue: 5
            // entries each.
            for position in 1..=2 {
                let subject = if issue >= 9 && position <= 2 && (issue, position) != (10, 2) {
                    " kubernetes"
                } else {
                    ""
                };
                let filler = if issue % 2 == position % 2 { " various" } else { "" };
                entries.push(entry(issue, position, &format!("rust{subject}{filler}")));
            }
        }
        let terms = document_frequencies(Tokenizer::shared(), &entries, 10);
        let find = |t: &str| {
            terms
                .iter()
                .find(|f| f.term == t)
                .unwrap_or_else(|| panic!("{t}: {terms:?}"))
        };
        let (rust, subject) = (find("rust"), find("kubernet"));
        assert_eq!((rust.entries, rust.issues), (20, 10));
        assert_eq!((subject.entries, subject.issues), (3, 2));
        assert!(rust.dp < 0.1, "{rust:?}");
        assert!(subject.dp > 0.6, "{subject:?}");
        // "various" is on the domain list: counted here, and marked.
        assert!(find("various").domain_stop_word && find("various").dp < 0.2);
    }
}
