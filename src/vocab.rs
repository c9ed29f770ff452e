//! Tools for keeping the tokenizer's word lists honest, measured on the archive itself:
//! candidate terms for the jieba user dictionary (adjacent pairs that jieba splits but that
//! occur together far more often than chance), the document frequency of terms, which is
//! what justifies the domain stop words, and the names the stemmer would change (`data/names.txt`).
//! Reads the entries from the store.

use std::fmt::Write as _;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

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
    /// On the domain stop list (dropped from every other output).
    pub domain_stop_word: bool,
}

/// The `top` terms by document frequency, domain stop words included and marked.
pub fn document_frequencies(tokenizer: &Tokenizer, entries: &[Entry], top: usize) -> Vec<TermFrequency> {
    let mut df: FxHashMap<String, u32> = FxHashMap::default();
    let mut documents = 0u32;
    let mut terms = Vec::new();
    for entry in entries.iter().filter(|e| !e.withdrawn) {
        documents += 1;
        terms.clear();
        for text in entry.texts() {
            tokenizer.raw_terms_into(text, &mut terms);
        }
        terms.sort_unstable();
        terms.dedup();
        for term in terms.drain(..) {
            *df.entry(term).or_default() += 1;
        }
    }
    let mut out: Vec<TermFrequency> = df
        .into_iter()
        .map(|(term, entries)| TermFrequency {
            domain_stop_word: tokenizer.is_domain_stop_word(&term),
            share: (f64::from(entries) / f64::from(documents.max(1)) * 1000.0).round() / 1000.0,
            term,
            entries,
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
        let cut = format!("{} | {}", p.left, p.right);
        let _ = writeln!(
            out,
            "{:>4}  {:<12}  {:<14}  {:>7}  {:>5.2}",
            k + 1,
            p.term,
            cut,
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
        "{:>4}  {:<24}  {:>7}  {:>6}  domain stop word",
        "rank", "term", "entries", "share"
    );
    for (k, t) in terms.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:>4}  {:<24}  {:>7}  {:>5.1}%  {}",
            k + 1,
            t.term,
            t.entries,
            t.share * 100.0,
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
/// shares (`agents` and `agent` are one word, `pypy` and `pypi` two names); most frequent first.
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
    // Each stem's words that are not candidates themselves: an ordinary word's inflections.
    let mut plain_stems: FxHashMap<String, u32> = FxHashMap::default();
    for word in df.keys().filter(|w| !candidate(w)) {
        *plain_stems.entry(tokenizer.stem(word)).or_default() += 1;
    }
    let mut out: Vec<NameCandidate> = df
        .iter()
        .filter(|(word, &n)| n >= min_entries && candidate(word))
        .filter_map(|(word, &n)| {
            let stem = tokenizer.stem(word);
            (stem != *word && !plain_stems.contains_key(&stem)).then(|| NameCandidate {
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

    fn entry(position: u32, title: &str, url: &str) -> Entry {
        Entry {
            title: title.to_string(),
            url: Some(url.to_string()),
            ..Entry::stub(1, Category::Project, position)
        }
    }

    #[test]
    fn names_are_linked_or_name_shaped_words_the_stemmer_would_change() {
        let entries = vec![
            entry(
                1,
                "Pyrefly: a type checker",
                "https://github.com/facebook/pyrefly",
            ),
            entry(2, "pyrefly again, and PyPy", "https://pypi.org/project/agents/"),
            entry(3, "pypy is fast; agents and an agent", "https://example.com/x"),
            entry(4, "Kivy apps", "https://github.com/kivy/kivy"),
        ];
        let found = name_candidates(Tokenizer::shared(), &entries, 2);
        let words: Vec<&str> = found.iter().map(|n| n.word.as_str()).collect();
        // pyrefly (linked) and pypy (name-shaped) are in two entries each and the stemmer changes
        // them; agents is linked but an inflection of agent; kivy is in one entry only.
        assert_eq!(words, ["pypy", "pyrefly"]);
        assert_eq!(found[1].stem, "pyrefli");
        assert!(found[0].name_shaped && !found[0].linked);
        assert!(found[1].linked);
    }
}
