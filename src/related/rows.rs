//! The rows `related` ranks by: each entry's TF-IDF row with its title's terms counted again, a
//! name (a PEP, a word the archive writes with a capital, a listed name) weighed up, the
//! archive's filler left out, unit length; and the terms two rows share.

use std::cmp::Ordering;

use rayon::prelude::*;

use crate::model::Entry;
use crate::tokenize::Tokenizer;
use crate::vectorize::{FittedTfIdf, SparseVector};

/// How much a title's terms count on top of the same terms in the whole entry, in the rows
/// `related` ranks by. An entry's title says what it is about; its description also carries
/// asides (a note that the author gave talks on it at two conferences, that the editor once
/// translated the tool's docs), lists of platforms and the like, which made suggestions about the
/// aside rather than the entry (QUALITY.md, "Related entries read by hand").
/// Title-only entries keep their rows (their title row is their row). Weights tried on the 36
/// entries read by hand: 0.25 and 0.5 took the wrong suggestions in the top 5 from 56 to about
/// 43; at 1 a headline-like title (a version number and praise) drowned a precise description,
/// and description terms that were the real link (tox, in an article on nox) no longer reached
/// the other entry. Above 0.3 one re-share lost its first place to an entry whose title shares
/// "practice", so recall@1 would drop: 0.25 was kept while a match on one common word alone was
/// left out. Once any shared term counts (issue 16, item 1), the title is what keeps a common
/// word of a description from deciding: on the mined set 0.25 / 0.5 / 1 / 1.5 / 2.5 gave
/// recall@10 0.837 / 0.861 / 0.885 / 0.886 / 0.875 (dev) and 0.829 / 0.850 / 0.873 / 0.884 /
/// 0.872 (held-out), MRR highest at 1, and precision@5 of the judged set rose at 1 (dev 0.312 →
/// 0.343, held-out 0.374 → 0.410; QUALITY.md, "Related: what changed in session 8").
pub const TITLE_WEIGHT: f32 = 1.0;

/// The row `related` ranks by: `row` (the entry's TF-IDF row, unit length) plus
/// [`TITLE_WEIGHT`] times `title` (the TF-IDF row of its titles alone, unit length), scaled back
/// to unit length, so that scores stay cosines in 0…1.
pub fn title_weighted(row: &SparseVector, title: &SparseVector) -> SparseVector {
    let (mut i, mut j) = (0, 0);
    let mut pairs: Vec<(u32, f32)> = Vec::with_capacity(row.indices.len() + title.indices.len());
    while i < row.indices.len() || j < title.indices.len() {
        let a = row.indices.get(i).copied().unwrap_or(u32::MAX);
        let b = title.indices.get(j).copied().unwrap_or(u32::MAX);
        match a.cmp(&b) {
            Ordering::Less => {
                pairs.push((a, row.values[i]));
                i += 1;
            }
            Ordering::Greater => {
                pairs.push((b, TITLE_WEIGHT * title.values[j]));
                j += 1;
            }
            Ordering::Equal => {
                pairs.push((a, row.values[i] + TITLE_WEIGHT * title.values[j]));
                i += 1;
                j += 1;
            }
        }
    }
    let norm = pairs.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
    let (indices, values) = pairs
        .into_iter()
        .map(|(t, v)| (t, if norm > 0.0 { v / norm } else { 0.0 }))
        .unzip();
    SparseVector { indices, values }
}

/// The TF-IDF row of a title in either language or both.
pub fn title_row<'a>(
    tokenizer: &Tokenizer,
    vocabulary: &FittedTfIdf,
    titles: impl IntoIterator<Item = &'a str>,
) -> SparseVector {
    let mut terms = Vec::new();
    for title in titles {
        tokenizer.plain_terms_into(title, &mut terms);
    }
    vocabulary.transform(&terms)
}

/// Terms left out of the rows `related` ranks by, on top of the tokenizer's stop words. 工具 (11%
/// of the entries), tool (10%) and librari (library, 10%) are the most frequent terms that no stop
/// list holds, and reading suggestions by hand they were the only shared term, or the heaviest,
/// of suggestions an editor would reject (a video translation tool for an article on a test
/// runner; a mini-program tech stack for an article on tool calling). They stay in the shared
/// vocabulary: topics are fitted on it, and changing it there (with another change) left only
/// 89% of the entries in their topic when an issue was added.
pub const RELATED_STOP_TERMS: [&str; 3] = ["工具", "tool", "librari"];

/// How much a term that names something ([`is_name`]) counts against another term of the same
/// TF-IDF weight, in the rows `related` ranks by: what an entry is about (the project, library,
/// PEP or product it names) weighs more than how it is described. Measured with the title weight
/// at 1 (QUALITY.md, "Related: what changed in session 8"): 1.15, 1.3 and 1.6 on the mined set
/// gave recall@10 0.896 / 0.893 / 0.882 (dev) and 0.882 / 0.893 / 0.874 (held-out); 1.3 also
/// raised precision@5 of the judged set (dev 0.343 → 0.352, held-out 0.410 → 0.436, wrong
/// suggestions 152 → 138), while 1.5–2 with the title at 0.25 drowned the rest of a title and
/// lost known relevant entries.
pub const NAME_WEIGHT: f32 = 1.3;

/// Project, library, product and company names the archive writes in lower case (a name
/// written with capitals is known by its case): `data/names.txt`.
const NAMES: &str = include_str!("../../data/names.txt");

fn names() -> &'static rustc_hash::FxHashSet<String> {
    static SET: std::sync::OnceLock<rustc_hash::FxHashSet<String>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        NAMES
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect()
    })
}

/// Whether a term names something, from the term and the form the archive writes it in
/// (`FittedTfIdf::shown`): a PEP (`pep686`), a word the archive writes with a capital (Django,
/// PyPI, FastAPI, GIL, "Python 3.13"), or a name of `data/names.txt`. In this archive English
/// words inside the Chinese text are nearly all names, and a term's most frequent form is
/// lower case unless it is one; the title-case words of English titles that slip in (Guide,
/// Talk) are few and rare.
pub fn is_name(term: &str, shown: &str) -> bool {
    let pep = term
        .strip_prefix("pep")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    pep || shown.bytes().any(|b| b.is_ascii_uppercase())
        || names().contains(term)
        || names().contains(&shown.to_lowercase())
}

/// Each term's factor in the rows `related` ranks by: 0 for [`RELATED_STOP_TERMS`],
/// [`NAME_WEIGHT`] for a name ([`is_name`]), 1 otherwise.
pub fn term_factors(vocabulary: &FittedTfIdf) -> Vec<f32> {
    vocabulary
        .terms()
        .iter()
        .zip(vocabulary.shown())
        .map(|(t, s)| factor_of(t, s))
        .collect()
}

/// Term `t`'s factor, as [`term_factors`] gives it: for a row or two, where making every
/// term's factor would cost more than the rows (a query at a million entries).
fn term_factor(vocabulary: &FittedTfIdf, t: u32) -> f32 {
    let term = vocabulary.terms().get(t as usize);
    let shown = vocabulary.shown().get(t as usize);
    term.zip(shown)
        .map_or(1.0, |(term, shown)| factor_of(term, shown))
}

/// The factor of the term `term`, shown as `shown`: 0 for [`RELATED_STOP_TERMS`],
/// [`NAME_WEIGHT`] for a name ([`is_name`]), 1 otherwise.
pub fn factor_of(term: &str, shown: &str) -> f32 {
    if RELATED_STOP_TERMS.contains(&term) {
        0.0
    } else if is_name(term, shown) {
        NAME_WEIGHT
    } else {
        1.0
    }
}

/// `row` with each term's weight times its factor (1 for a term without one), the terms of
/// factor 0 left out, scaled back to unit length.
fn reweighted(row: &SparseVector, factor: impl Fn(u32) -> f32) -> SparseVector {
    let (indices, values): (Vec<u32>, Vec<f32>) = row
        .indices
        .iter()
        .zip(&row.values)
        .map(|(&t, &v)| (t, v * factor(t)))
        .filter(|&(_, v)| v != 0.0)
        .unzip();
    let norm = values.iter().map(|v| v * v).sum::<f32>().sqrt();
    let values = values
        .into_iter()
        .map(|v| if norm > 0.0 { v / norm } else { 0.0 })
        .collect();
    SparseVector { indices, values }
}

/// A row as `related` ranks it: the terms of [`RELATED_STOP_TERMS`] left out, names weighted up
/// ([`term_factors`]), then the title weighted up ([`title_weighted`]). `title` is the TF-IDF
/// row of the entry's titles alone.
pub fn related_row(vocabulary: &FittedTfIdf, row: &SparseVector, title: &SparseVector) -> SparseVector {
    related_row_by(|t| term_factor(vocabulary, t), row, title)
}

/// [`related_row`] with each term's factor given by `factor`.
pub fn related_row_by(factor: impl Fn(u32) -> f32, row: &SparseVector, title: &SparseVector) -> SparseVector {
    title_weighted(&reweighted(row, &factor), &reweighted(title, &factor))
}

/// [`related_row`] with the factors of [`term_factors`] computed once, for many rows.
pub fn related_row_with(factors: &[f32], row: &SparseVector, title: &SparseVector) -> SparseVector {
    related_row_by(|t| factors.get(t as usize).copied().unwrap_or(1.0), row, title)
}

/// The rows `related` ranks by, one per entry ([`related_row`]), from the entries' TF-IDF rows
/// and their titles' (the vocabulary's TF-IDF rows of their titles' terms, as `titles.parquet`
/// keeps them). Withdrawn entries keep their empty rows.
pub fn related_rows(
    entries: &[Entry],
    vectors: &[SparseVector],
    titles: &[SparseVector],
    vocabulary: &FittedTfIdf,
) -> Vec<SparseVector> {
    let factors = term_factors(vocabulary);
    entries
        .par_iter()
        .zip(vectors)
        .zip(titles)
        .map(|((e, row), title)| {
            if e.withdrawn || row.indices.is_empty() {
                return row.clone();
            }
            related_row_with(&factors, row, title)
        })
        .collect()
}

/// The terms `a` and `b` share, heaviest first (by the product of their weights).
pub fn shared_terms(a: &SparseVector, b: &SparseVector, top: usize) -> Vec<u32> {
    let (mut i, mut j) = (0, 0);
    let mut shared = Vec::new();
    while i < a.indices.len() && j < b.indices.len() {
        match a.indices[i].cmp(&b.indices[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                shared.push((a.indices[i], a.values[i] * b.values[j]));
                i += 1;
                j += 1;
            }
        }
    }
    shared.sort_by(|x, y| {
        y.1.partial_cmp(&x.1)
            .unwrap_or(Ordering::Equal)
            .then(x.0.cmp(&y.0))
    });
    shared.into_iter().take(top).map(|(t, _)| t).collect()
}

/// The `top` terms `a` and `b` share, best first, as a person reads them (`shown` gives a
/// term's written form), each written form once: two terms can be shown alike (`mssql`, written
/// only inside `mssql-python`, is shown as that word).
pub fn shared_shown<E>(
    a: &SparseVector,
    b: &SparseVector,
    top: usize,
    mut shown: impl FnMut(u32) -> Result<String, E>,
) -> Result<Vec<String>, E> {
    let mut words: Vec<String> = Vec::new();
    for term in shared_terms(a, b, usize::MAX) {
        if words.len() == top {
            break;
        }
        let word = shown(term)?;
        if !words.contains(&word) {
            words.push(word);
        }
    }
    Ok(words)
}

/// [`shared_shown`] with the written forms at hand (`shown`, by term id, as the vocabulary
/// keeps them).
pub fn shared_words(a: &SparseVector, b: &SparseVector, top: usize, shown: &[String]) -> Vec<String> {
    super::infallible(shared_shown(a, b, top, |t| Ok(shown[t as usize].clone())))
}
