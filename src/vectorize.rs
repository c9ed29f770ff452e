//! Terms to vectors: TF-IDF over the entries' documents. The stage after [`crate::tokenize`];
//! topics and related entries read its vectors.
//!
//! Sparse throughout; sublinear term frequency (`1 + ln tf`); smoothed idf
//! (`ln((1 + n) / (1 + df)) + 1`); every row scaled to unit L2 norm; terms in fewer than `min_df`
//! documents or in more than `max_df` of them are left out. The fitted vocabulary is kept in the
//! store and vectorises a new text without refitting.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::model::Entry;
use crate::progress::Progress;
use crate::tokenize::{Surfaces, TermIds, Tokenizer};

/// What a TF-IDF fit is asked for. [`TfIdfParams::check`] turns it into something that can fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TfIdfParams {
    /// A term must occur in at least this many documents.
    pub min_df: u32,
    /// A term must occur in at most this share of the documents (0 < max_df ≤ 1).
    pub max_df: f64,
    pub sublinear_tf: bool,
    pub smooth_idf: bool,
}

impl Default for TfIdfParams {
    fn default() -> Self {
        TfIdfParams {
            min_df: 2,
            max_df: 0.5,
            sublinear_tf: true,
            smooth_idf: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TfIdfParamsError {
    #[error("min_df must be at least 1 (got 0)")]
    MinDfZero,
    #[error("max_df must be in (0, 1] (got {0})")]
    MaxDfOutOfRange(f64),
}

/// Parameters that passed [`TfIdfParams::check`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckedTfIdfParams(TfIdfParams);

impl TfIdfParams {
    pub fn check(self) -> Result<CheckedTfIdfParams, TfIdfParamsError> {
        if self.min_df == 0 {
            return Err(TfIdfParamsError::MinDfZero);
        }
        if !(self.max_df > 0.0 && self.max_df <= 1.0) {
            return Err(TfIdfParamsError::MaxDfOutOfRange(self.max_df));
        }
        Ok(CheckedTfIdfParams(self))
    }
}

/// A sparse row: term indices in increasing order and their weights.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseVector {
    pub indices: Vec<u32>,
    pub values: Vec<f32>,
}

impl SparseVector {
    pub fn norm(&self) -> f32 {
        self.values.iter().map(|v| v * v).sum::<f32>().sqrt()
    }

    /// Cosine of two unit rows: their dot product.
    pub fn dot(&self, other: &SparseVector) -> f32 {
        let (mut i, mut j, mut sum) = (0, 0, 0.0);
        while i < self.indices.len() && j < other.indices.len() {
            match self.indices[i].cmp(&other.indices[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += self.values[i] * other.values[j];
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }
}

/// A fitted vocabulary: terms in sorted order, their document frequencies and idf, and how each
/// is shown to people.
#[derive(Debug, Clone)]
pub struct FittedTfIdf {
    params: TfIdfParams,
    documents: u32,
    terms: Vec<String>,
    df: Vec<u32>,
    idf: Vec<f32>,
    /// Each term as the archive writes it most often (`Claude` for `claud`, `PEP 701` for
    /// `pep701`); the term itself where nothing else was recorded.
    shown: Vec<String>,
    /// Whether `terms` are in byte order (as [`CheckedTfIdfParams::fit`] and the store keep
    /// them): a term is then found by a binary search until many are looked up.
    sorted: bool,
    /// Each term's index, made on the first [`FittedTfIdf::counts`] (a document's every term
    /// looked up) or the first lookup in terms out of order. A vocabulary loaded for a query's
    /// few terms never makes it: at a million entries that is most of the load.
    index: OnceLock<FxHashMap<String, u32>>,
}

/// Two vocabularies are equal when their terms, counts and shown words are: whether either has
/// made its lookup map yet does not matter.
impl PartialEq for FittedTfIdf {
    fn eq(&self, other: &Self) -> bool {
        self.params == other.params
            && self.documents == other.documents
            && self.terms == other.terms
            && self.df == other.df
            && self.idf == other.idf
            && self.shown == other.shown
    }
}

impl CheckedTfIdfParams {
    /// Fits the vocabulary to `documents` (each a list of terms, repeats kept), counting the
    /// document frequencies on every core.
    pub fn fit<'a, D: AsRef<[String]> + Sync + 'a>(
        &self,
        documents: impl IntoParallelIterator<Item = &'a D>,
    ) -> FittedTfIdf {
        // Per term: the documents holding it, and the last document counted (each worker numbers
        // its documents from 1), so a repeated term is counted once without sorting the document.
        let (n, counts) = documents
            .into_par_iter()
            .fold(
                || (0u32, FxHashMap::<&str, (u32, u32)>::default()),
                |(n, mut counts), doc| {
                    let stamp = n + 1;
                    for term in doc.as_ref() {
                        let (df, last) = counts.entry(term.as_str()).or_default();
                        if *last != stamp {
                            *df += 1;
                            *last = stamp;
                        }
                    }
                    (stamp, counts)
                },
            )
            .reduce(
                || (0, FxHashMap::default()),
                |(n, mut a), (m, mut b)| {
                    if a.len() < b.len() {
                        std::mem::swap(&mut a, &mut b);
                    }
                    for (term, (df, _)) in b {
                        a.entry(term).or_default().0 += df;
                    }
                    (n + m, a)
                },
            );
        let keeps = self.keeps(n);
        let mut kept: Vec<(&str, u32)> = counts
            .into_iter()
            .map(|(term, (df, _))| (term, df))
            .filter(|&(_, df)| keeps(df))
            .collect();
        kept.sort_unstable();
        let (terms, df): (Vec<String>, Vec<u32>) = kept.into_iter().map(|(t, d)| (t.to_string(), d)).unzip();
        FittedTfIdf::from_parts(self.0, n, terms, df)
    }

    /// Whether a term in `df` of `n` documents is kept: in at least `min_df` of them, and in at
    /// most `max_df` of them (one at least).
    fn keeps(&self, n: u32) -> impl Fn(u32) -> bool {
        let (min, max) = (self.0.min_df, (self.0.max_df * f64::from(n)).floor() as u32);
        move |df| df >= min && df <= max.max(1)
    }

    /// [`CheckedTfIdfParams::fit`] of documents given as their terms' counts ([`count_ids`]),
    /// by the ids of `terms`, which are distinct and in byte order (a [`Tokenised`]'s): the
    /// same vocabulary, and each id's index in it (`None` for a term left out), for
    /// [`in_vocabulary`].
    pub fn fit_counted<'a>(
        &self,
        terms: &[String],
        documents: impl IntoParallelIterator<Item = &'a [(u32, u32)]>,
    ) -> (FittedTfIdf, Vec<Option<u32>>) {
        use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
        debug_assert!(
            terms.windows(2).all(|w| w[0] < w[1]),
            "terms distinct, in byte order"
        );
        let df: Vec<AtomicU32> = (0..terms.len()).map(|_| AtomicU32::new(0)).collect();
        let n: u32 = documents
            .into_par_iter()
            .map(|counts| {
                for &(id, _) in counts {
                    df[id as usize].fetch_add(1, Relaxed);
                }
                1
            })
            .sum();
        let keeps = self.keeps(n);
        let mut index = Vec::with_capacity(terms.len());
        let (mut kept, mut kept_df) = (Vec::new(), Vec::new());
        for (term, df) in terms.iter().zip(df) {
            let df = df.into_inner();
            if keeps(df) {
                index.push(Some(kept.len() as u32));
                kept.push(term.clone());
                kept_df.push(df);
            } else {
                index.push(None);
            }
        }
        (FittedTfIdf::from_parts(self.0, n, kept, kept_df), index)
    }
}

/// Counts a document's terms by id (ascending), from the ids of its terms in any order.
pub fn count_ids(mut ids: Vec<u32>) -> Vec<(u32, u32)> {
    ids.sort_unstable();
    run_lengths(ids)
}

/// Counts by term id (ascending) of the vocabulary's terms among `counts` (by the ids of a
/// [`Tokenised`]'s terms, ascending), `index` giving each id's vocabulary index
/// ([`CheckedTfIdfParams::fit_counted`]): what [`FittedTfIdf::counts`] gives for the same terms.
pub fn in_vocabulary(counts: &[(u32, u32)], index: &[Option<u32>]) -> Vec<(u32, u32)> {
    counts
        .iter()
        .filter_map(|&(id, n)| index[id as usize].map(|i| (i, n)))
        .collect()
}

impl FittedTfIdf {
    /// Rebuilds a fit from what the store keeps.
    pub fn from_parts(params: TfIdfParams, documents: u32, terms: Vec<String>, df: Vec<u32>) -> FittedTfIdf {
        FittedTfIdf::from_parts_shown(params, documents, terms, df, Vec::new())
    }

    /// [`FittedTfIdf::from_parts`] with the terms shown as [`FittedTfIdf::with_shown`] shows
    /// them, without first making every term's shown word the term itself.
    pub fn from_parts_shown(
        params: TfIdfParams,
        documents: u32,
        terms: Vec<String>,
        df: Vec<u32>,
        mut shown: Vec<String>,
    ) -> FittedTfIdf {
        if shown.len() == terms.len() {
            for (word, term) in shown.iter_mut().zip(&terms) {
                if word.is_empty() {
                    word.clone_from(term);
                }
            }
        } else {
            shown = terms.clone();
        }
        let idf = df
            .iter()
            .map(|&d| idf_of(d, documents, params.smooth_idf))
            .collect();
        FittedTfIdf {
            params,
            documents,
            shown,
            sorted: terms.is_sorted(),
            terms,
            df,
            idf,
            index: OnceLock::new(),
        }
    }

    /// The same vocabulary, term `i` shown as `shown[i]`; a list of another length, or an
    /// empty word, leaves the terms shown as they are.
    pub fn with_shown(mut self, shown: Vec<String>) -> FittedTfIdf {
        if shown.len() == self.terms.len() {
            for (word, given) in self.shown.iter_mut().zip(shown) {
                if !given.is_empty() {
                    *word = given;
                }
            }
        }
        self
    }

    /// Each term as it is shown to people, in term order: the word the archive writes most
    /// often for it, never a stem.
    pub fn shown(&self) -> &[String] {
        &self.shown
    }

    pub fn params(&self) -> TfIdfParams {
        self.params
    }

    pub fn documents(&self) -> u32 {
        self.documents
    }

    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    pub fn df(&self) -> &[u32] {
        &self.df
    }

    pub fn idf(&self) -> &[f32] {
        &self.idf
    }

    /// The index of `term` in the vocabulary.
    pub fn term_index(&self, term: &str) -> Option<u32> {
        match self.index.get() {
            None if self.sorted => self
                .terms
                .binary_search_by(|t| t.as_str().cmp(term))
                .ok()
                .map(|i| i as u32),
            _ => self.index().get(term).copied(),
        }
    }

    fn index(&self) -> &FxHashMap<String, u32> {
        self.index.get_or_init(|| {
            self.terms
                .iter()
                .enumerate()
                .map(|(i, t)| (t.clone(), i as u32))
                .collect()
        })
    }

    /// Raw counts of a document's vocabulary terms, by term index.
    pub fn counts(&self, document: &[String]) -> Vec<(u32, u32)> {
        let index = self.index();
        counts_by(document, |term| index.get(term).copied())
    }

    /// The unit-norm TF-IDF row of a document; terms outside the vocabulary are ignored.
    pub fn transform(&self, document: &[String]) -> SparseVector {
        self.row(&self.counts(document))
    }

    /// [`FittedTfIdf::transform`] of the one document a vocabulary was loaded for (a query): its
    /// few terms looked up one by one ([`FittedTfIdf::term_index`]), no lookup map made for the
    /// whole vocabulary.
    pub fn transform_one(&self, document: &[String]) -> SparseVector {
        self.row(&counts_by(document, |term| self.term_index(term)))
    }

    /// The unit-norm TF-IDF row of a document's [`FittedTfIdf::counts`].
    pub fn row(&self, counts: &[(u32, u32)]) -> SparseVector {
        tfidf_row(counts, self.params.sublinear_tf, |i| self.idf[i as usize])
    }
}

/// The document of an entry: its title and description in Chinese and, where the translation
/// exists, in English — one bag of terms from both languages.
pub fn entry_terms(tokenizer: &Tokenizer, entry: &Entry) -> Vec<String> {
    entry_terms_and_titles(tokenizer, entry).0
}

/// [`entry_terms`] and, apart, the terms of the entry's titles in both languages: the document's
/// own terms for them, so a build tokenises each title once.
pub fn entry_terms_and_titles(tokenizer: &Tokenizer, entry: &Entry) -> (Vec<String>, Vec<String>) {
    let (terms, titles, _) = entry_terms_titles_with(tokenizer, entry);
    (terms, titles)
}

/// [`entry_terms_and_titles`], and how many of the title terms are the Chinese title's (the
/// rest are its translation's).
fn entry_terms_titles_with(tokenizer: &Tokenizer, entry: &Entry) -> (Vec<String>, Vec<String>, usize) {
    in_text_order(entry, |text, out| tokenizer.plain_terms_into(text, out))
}

/// An entry's terms, its title terms and how many of those are its Chinese title's, each text's
/// terms appended by `terms_of`: the one place that orders an entry's texts.
fn in_text_order<T: Clone>(
    entry: &Entry,
    mut terms_of: impl FnMut(&str, &mut Vec<T>),
) -> (Vec<T>, Vec<T>, usize) {
    let mut titles = Vec::new();
    terms_of(&entry.title, &mut titles);
    let zh_title = titles.len();
    if let Some(en_title) = &entry.en_title {
        terms_of(en_title, &mut titles);
    }
    // In the order of `Entry::texts`: title, description, then the translation's.
    let mut terms = titles[..zh_title].to_vec();
    terms_of(&entry.description, &mut terms);
    terms.extend_from_slice(&titles[zh_title..]);
    if let Some(en_description) = &entry.en_description {
        terms_of(en_description, &mut terms);
    }
    (terms, titles, zh_title)
}

/// Each entry's terms ([`entry_terms`]), tokenised on every core, in the order of `entries`;
/// withdrawn placeholders get none.
pub fn entry_documents(tokenizer: &Tokenizer, entries: &[Entry]) -> Vec<Vec<String>> {
    entry_documents_and_titles(tokenizer, entries).0
}

/// An entry tokenised: its document, its title terms and how many of them are its Chinese
/// title's, as ids.
type EntryTerms = (Vec<u32>, Vec<u32>, usize);

/// The chunks a worker tokenised: each one's place among the chunks, and its entries' terms as
/// ids of the worker's table.
type Chunks = Vec<(usize, Vec<EntryTerms>)>;

/// What tokenising the entries gives a build ([`entry_term_ids_titles_and_surfaces`]): each term
/// an id of `terms`, no string made per occurrence.
pub struct Tokenised {
    /// Every term met, in byte order: a term's id is its place here, so that ids sort as the
    /// terms do (and as a vocabulary of them numbers them, [`CheckedTfIdfParams::fit_counted`]).
    pub terms: Vec<String>,
    /// Each entry's terms ([`entry_terms`]) by id.
    pub documents: Vec<Vec<u32>>,
    /// Each entry's title terms by id: its Chinese title's, then its translation's.
    pub titles: Vec<Vec<u32>>,
    /// How many of each entry's title terms are its Chinese title's.
    pub zh_titles: Vec<usize>,
    /// How the entries wrote each English and technical term, added up already
    /// ([`Surfaces::settle`]).
    pub surfaces: Surfaces,
}

/// Each entry's terms, its title terms ([`entry_terms_and_titles`]) and where its translated
/// title's terms begin, as ids of one table of terms, with how the entries wrote each English
/// and technical term; tokenised on every core, in the order of `entries`, telling `progress`
/// how many entries are done as each chunk of them is. Withdrawn placeholders get no terms.
pub fn entry_term_ids_titles_and_surfaces(
    tokenizer: &Tokenizer,
    entries: &[Entry],
    progress: &dyn Progress,
) -> Tokenised {
    // In chunks, each reported to `progress` when done. One worker a core takes the next chunk
    // from a shared counter until none is left (no core waits on a run of chunks it cannot share)
    // and counts its writings in a `Surfaces` and numbers its terms in a `TermIds` of its own, so
    // that a word is met anew once a worker, not once a chunk.
    type Worker = (Chunks, Surfaces, TermIds);
    let chunk_len = (entries.len() / (16 * rayon::current_num_threads()).max(1)).clamp(32, 1024);
    let chunked: Vec<&[Entry]> = entries.chunks(chunk_len).collect();
    let next = AtomicUsize::new(0);
    let workers = rayon::current_num_threads().clamp(1, chunked.len().max(1));
    let per_worker: Vec<Worker> = (0..workers)
        .into_par_iter()
        .with_max_len(1)
        .map(|_| {
            let (mut done, mut surfaces, mut ids) = (Vec::new(), Surfaces::default(), TermIds::default());
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(chunk) = chunked.get(i) else { break };
                let terms = chunk
                    .iter()
                    .map(|e| {
                        if e.withdrawn {
                            (Vec::new(), Vec::new(), 0)
                        } else {
                            entry_term_ids(tokenizer, e, &mut ids, &mut surfaces)
                        }
                    })
                    .collect();
                progress.advance(chunk.len() as u64);
                done.push((i, terms));
            }
            (done, surfaces, ids)
        })
        .collect();
    let (counted, numbered): (Vec<Surfaces>, Vec<(Chunks, TermIds)>) = per_worker
        .into_iter()
        .map(|(done, surfaces, ids)| (surfaces, (done, ids)))
        .unzip();
    // The writings are added up (`Surfaces::settle`, one core's work) beside the numbering.
    let (surfaces, (terms, tokenised)) = rayon::join(
        || {
            let surfaces = counted.into_iter().reduce(Surfaces::merge).unwrap_or_default();
            surfaces.settle();
            surfaces
        },
        || in_one_table(numbered, entries.len()),
    );
    let mut documents = Vec::with_capacity(entries.len());
    let mut titles = Vec::with_capacity(entries.len());
    let mut zh_titles = Vec::with_capacity(entries.len());
    for (d, t, zh) in tokenised {
        documents.push(d);
        titles.push(t);
        zh_titles.push(zh);
    }
    Tokenised {
        terms,
        documents,
        titles,
        zh_titles,
        surfaces,
    }
}

/// The chunks of `len` entries each worker tokenised, with the worker's table of terms, put back
/// in order in one table numbered in byte order: the terms, and each entry's terms as their ids.
fn in_one_table(per_worker: Vec<(Chunks, TermIds)>, len: usize) -> (Vec<String>, Vec<EntryTerms>) {
    // Each worker's ids are mapped to the table's, which numbers the terms as the workers met
    // them (one lookup per term a worker met, not per occurrence), then renumbered in byte order.
    let mut table = TermIds::default();
    let mut chunks = Vec::new();
    let mut globals = Vec::with_capacity(per_worker.len());
    for (worker, (done, ids)) in per_worker.into_iter().enumerate() {
        globals.push(ids.terms().map(|t| table.id(t)).collect::<Vec<u32>>());
        chunks.extend(done.into_iter().map(|chunk| (chunk, worker)));
    }
    // The table's terms in byte order, each id its place there: the order a vocabulary keeps.
    let terms = table.into_terms();
    let mut order: Vec<u32> = (0..terms.len() as u32).collect();
    order.par_sort_unstable_by(|&a, &b| terms[a as usize].cmp(&terms[b as usize]));
    let mut place = vec![0u32; terms.len()];
    for (at, &id) in order.iter().enumerate() {
        place[id as usize] = at as u32;
    }
    for global in &mut globals {
        for id in global.iter_mut() {
            *id = place[*id as usize];
        }
    }
    let mut terms: Vec<Option<String>> = terms.into_iter().map(Some).collect();
    let terms: Vec<String> = order
        .iter()
        .map(|&id| terms[id as usize].take().unwrap_or_default())
        .collect();
    chunks.par_iter_mut().for_each(|((_, terms), worker)| {
        let global = &globals[*worker];
        for (d, t, _) in terms {
            for id in d.iter_mut().chain(t.iter_mut()) {
                *id = global[*id as usize];
            }
        }
    });
    chunks.sort_unstable_by_key(|((i, _), _)| *i);
    let mut tokenised = Vec::with_capacity(len);
    for ((_, chunk), _) in chunks {
        tokenised.extend(chunk);
    }
    (terms, tokenised)
}

/// [`entry_terms_titles_with`] as ids of `ids`, counting the writings in `surfaces`.
fn entry_term_ids(
    tokenizer: &Tokenizer,
    entry: &Entry,
    ids: &mut TermIds,
    surfaces: &mut Surfaces,
) -> (Vec<u32>, Vec<u32>, usize) {
    in_text_order(entry, |text, out| {
        tokenizer.plain_term_ids_and_surfaces_into(text, out, ids, surfaces)
    })
}

/// [`entry_documents`] and each entry's title terms ([`entry_terms_and_titles`]).
pub fn entry_documents_and_titles(
    tokenizer: &Tokenizer,
    entries: &[Entry],
) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    entries
        .par_iter()
        .map(|e| {
            if e.withdrawn {
                (Vec::new(), Vec::new())
            } else {
                entry_terms_and_titles(tokenizer, e)
            }
        })
        .unzip()
}

/// The weight of a Chinese title term in a translation row ([`translation_row`]).
const ZH: f32 = 1.0;
/// The weight of an English translation's term in a translation row.
const EN: f32 = 2.0;

/// The terms of a title and of its English translation, given their plain terms (in that
/// order): the Chinese terms of the title, and the English terms of its translation that are
/// not in the title itself (an English term the Chinese title writes too, `LLM`, is a name, not
/// a translation); each list ascending.
pub fn title_pair(zh: &[String], en: &[String], vocabulary: &FittedTfIdf) -> (Vec<u32>, Vec<u32>) {
    title_pair_counted(&vocabulary.counts(zh), &vocabulary.counts(en), vocabulary)
}

/// [`title_pair`] of the vocabulary's counts of the title's terms and of its translation's.
fn title_pair_counted(
    zh: &[(u32, u32)],
    en: &[(u32, u32)],
    vocabulary: &FittedTfIdf,
) -> (Vec<u32>, Vec<u32>) {
    let terms = vocabulary.terms();
    let is_cjk = |t: u32| {
        terms
            .get(t as usize)
            .is_some_and(|w| w.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
    };
    let is_latin = |t: u32| {
        terms
            .get(t as usize)
            .is_some_and(|w| w.chars().all(|c| c.is_ascii_alphabetic() || c == '-') && w.len() > 2)
    };
    let zh_all: Vec<u32> = zh.iter().map(|&(t, _)| t).collect();
    let en_terms: Vec<u32> = en
        .iter()
        .map(|&(t, _)| t)
        .filter(|t| is_latin(*t) && !zh_all.contains(t))
        .collect();
    let zh_terms: Vec<u32> = zh_all.into_iter().filter(|&t| is_cjk(t)).collect();
    (zh_terms, en_terms)
}

/// An entry's title terms by language as the store keeps them (`translations.parquet`), from
/// the plain terms of its Chinese title (`zh`) and of its English translation (`en`): the
/// Chinese terms weighted 1, the English ones weighted 2, in one ascending row (a term is never
/// both: one holds a Chinese character, the other only Latin letters).
pub fn translation_row(zh: &[String], en: &[String], vocabulary: &FittedTfIdf) -> SparseVector {
    translation_row_counted(&vocabulary.counts(zh), &vocabulary.counts(en), vocabulary)
}

/// [`translation_row`] of the vocabulary's counts of the title's terms and of its translation's
/// (what a build holds, [`in_vocabulary`]).
pub fn translation_row_counted(
    zh: &[(u32, u32)],
    en: &[(u32, u32)],
    vocabulary: &FittedTfIdf,
) -> SparseVector {
    let (zh, en) = title_pair_counted(zh, en, vocabulary);
    let mut row: Vec<(u32, f32)> = zh
        .into_iter()
        .map(|t| (t, ZH))
        .chain(en.into_iter().map(|t| (t, EN)))
        .collect();
    row.sort_unstable_by_key(|&(t, _)| t);
    SparseVector {
        indices: row.iter().map(|&(t, _)| t).collect(),
        values: row.iter().map(|&(_, w)| w).collect(),
    }
}

/// The terms only the English translation of a title writes, ascending, by its translation row
/// ([`translation_row`]).
pub fn translation_only_terms(row: &SparseVector) -> impl Iterator<Item = u32> + '_ {
    row.indices
        .iter()
        .zip(&row.values)
        .filter(|&(_, &w)| w == EN)
        .map(|(&t, _)| t)
}

/// The Chinese and English terms of a translation row ([`translation_row`]), each ascending:
/// what [`title_pair`] gave when the row was made.
pub fn title_pair_of(row: &SparseVector) -> (Vec<u32>, Vec<u32>) {
    let (mut zh, mut en) = (Vec::new(), Vec::new());
    title_pair_into(row, &mut zh, &mut en);
    (zh, en)
}

/// [`title_pair_of`] into `zh` and `en` (cleared first), for a caller splitting many rows
/// with the same two buffers.
pub fn title_pair_into(row: &SparseVector, zh: &mut Vec<u32>, en: &mut Vec<u32>) {
    zh.clear();
    en.clear();
    for (&t, &w) in row.indices.iter().zip(&row.values) {
        if w == ZH {
            zh.push(t);
        } else if w == EN {
            en.push(t);
        }
    }
}

/// A term's inverse document frequency: in `df` of `documents`, smoothed as if one more
/// document held every term when `smooth` (scikit-learn's `smooth_idf`).
pub fn idf_of(df: u32, documents: u32, smooth: bool) -> f32 {
    let (n, d) = (f64::from(documents), f64::from(df));
    let ratio = if smooth { (1.0 + n) / (1.0 + d) } else { n / d };
    (ratio.ln() + 1.0) as f32
}

/// The unit-norm TF-IDF row of a document's raw counts (term index, count; indices increasing),
/// each term weighted by `idf`: what [`FittedTfIdf::row`] makes, for a caller that holds the
/// few terms' frequencies and not the vocabulary (a text query answered from the index file).
pub fn tfidf_row(counts: &[(u32, u32)], sublinear_tf: bool, idf: impl Fn(u32) -> f32) -> SparseVector {
    let weights: Vec<f32> = counts
        .iter()
        .map(|&(i, count)| {
            let tf = if sublinear_tf {
                1.0 + (count as f32).ln()
            } else {
                count as f32
            };
            tf * idf(i)
        })
        .collect();
    let norm = weights.iter().map(|v| v * v).sum::<f32>().sqrt();
    SparseVector {
        indices: counts.iter().map(|&(i, _)| i).collect(),
        values: weights
            .into_iter()
            .map(|v| if norm > 0.0 { v / norm } else { 0.0 })
            .collect(),
    }
}

/// Raw counts of a document's terms that `index` finds, by term index (increasing).
pub fn counts_by(document: &[String], index: impl Fn(&str) -> Option<u32>) -> Vec<(u32, u32)> {
    let mut found: Vec<u32> = document.iter().filter_map(|term| index(term)).collect();
    found.sort_unstable();
    run_lengths(found)
}

/// Sorted ids as (id, how many times).
fn run_lengths(sorted: Vec<u32>) -> Vec<(u32, u32)> {
    let mut counts: Vec<(u32, u32)> = Vec::new();
    for i in sorted {
        match counts.last_mut() {
            Some((last, n)) if *last == i => *n += 1,
            _ => counts.push((i, 1)),
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A progress that counts the entries it is told of.
    #[derive(Default)]
    struct Counted(std::sync::atomic::AtomicU64);

    impl Progress for Counted {
        fn stage(&self, _: crate::progress::Stage) {}
        fn advance(&self, done: u64) {
            self.0.fetch_add(done, Ordering::Relaxed);
        }
    }

    /// Each worker of the build's tokenising keeps its own tables and takes chunks as they come:
    /// whatever the number of threads, the same terms, ids, rows and shown words.
    #[test]
    fn tokenising_on_any_number_of_threads_gives_the_same_terms() {
        use crate::model::Category;
        let words = [
            "Claude",
            "claude",
            "PyPy",
            "asyncio",
            "uv",
            "Django",
            "django",
            "free-threading",
        ];
        let zh = ["异步", "智能体", "数据库", "解释器", "本地"];
        let entries: Vec<Entry> = (0..700usize)
            .map(|i| {
                let mut e = Entry::stub(1 + i as u32 / 25, Category::Article, 1 + i as u32 % 25);
                let (a, b) = (words[i % words.len()], words[(i * 7 + 3) % words.len()]);
                e.title = format!("{} {a} 与 {b}", zh[i % zh.len()]);
                e.description = format!("{b} {} Python 3.{} {a}", zh[(i / 3) % zh.len()], i % 14);
                e.en_title = (i % 4 != 0).then(|| format!("{a} and {b}, Part {}", i % 5));
                e.withdrawn = i % 97 == 5;
                e
            })
            .collect();
        let tokenizer = Tokenizer::shared();
        let run = |threads: usize| {
            let progress = Counted::default();
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a pool");
            let tokenised =
                pool.install(|| entry_term_ids_titles_and_surfaces(tokenizer, &entries, &progress));
            assert_eq!(progress.0.load(Ordering::Relaxed), entries.len() as u64);
            tokenised
        };
        let one = run(1);
        assert!(one.terms.len() > 10 && one.documents.iter().filter(|d| d.is_empty()).count() == 8);
        for threads in [2, 3, 8] {
            let other = run(threads);
            assert_eq!(other.terms, one.terms, "{threads} threads");
            assert_eq!(other.documents, one.documents, "{threads} threads");
            assert_eq!(other.titles, one.titles, "{threads} threads");
            assert_eq!(other.zh_titles, one.zh_titles, "{threads} threads");
            for term in &one.terms {
                assert_eq!(
                    other.surfaces.most_frequent(term),
                    one.surfaces.most_frequent(term),
                    "{term}, {threads} threads"
                );
            }
        }
        // And the terms are the ones the strings give, entry by entry.
        let strings = entry_documents(tokenizer, &entries);
        for (ids, strings) in one.documents.iter().zip(&strings) {
            let by_id: Vec<&str> = ids.iter().map(|&t| one.terms[t as usize].as_str()).collect();
            assert_eq!(by_id, strings.iter().map(String::as_str).collect::<Vec<_>>());
        }
    }

    fn docs(texts: &[&str]) -> Vec<Vec<String>> {
        texts
            .iter()
            .map(|t| t.split_whitespace().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn check_rejects_each_bad_parameter() {
        let bad_min = TfIdfParams {
            min_df: 0,
            ..TfIdfParams::default()
        };
        assert_eq!(bad_min.check(), Err(TfIdfParamsError::MinDfZero));
        for max_df in [0.0, -0.1, 1.5, f64::NAN] {
            let bad = TfIdfParams {
                max_df,
                ..TfIdfParams::default()
            };
            assert!(matches!(bad.check(), Err(TfIdfParamsError::MaxDfOutOfRange(_))));
        }
    }

    #[test]
    fn min_df_and_max_df_prune_the_vocabulary() {
        let params = TfIdfParams {
            min_df: 2,
            max_df: 0.75,
            ..TfIdfParams::default()
        };
        let fit = params
            .check()
            .expect("valid")
            .fit(&docs(&["a b c", "a b", "a d", "a b"]));
        // a is in every document (> 75%), c and d in one (< 2).
        assert_eq!(fit.terms(), &["b".to_string()]);
        assert_eq!(fit.df(), &[3]);
    }

    #[test]
    fn smoothed_idf_and_sublinear_tf() {
        let params = TfIdfParams {
            min_df: 1,
            max_df: 1.0,
            ..TfIdfParams::default()
        };
        let fit = params.check().expect("valid").fit(&docs(&["x y", "x", "z"]));
        let idf_x = ((1.0f64 + 3.0) / (1.0 + 2.0)).ln() + 1.0;
        assert!((f64::from(fit.idf()[0]) - idf_x).abs() < 1e-6);
        let row = fit.transform(&docs(&["x x x y"])[0]);
        let idf_y = ((1.0f64 + 3.0) / (1.0 + 1.0)).ln() + 1.0;
        let (wx, wy) = ((1.0 + 3f64.ln()) * idf_x, idf_y);
        let expected = wx / (wx * wx + wy * wy).sqrt();
        assert!((f64::from(row.values[0]) - expected).abs() < 1e-5);
        assert!((row.norm() - 1.0).abs() < 1e-5);
    }

    #[test]
    fn unknown_terms_give_an_empty_row() {
        let fit = TfIdfParams::default()
            .check()
            .expect("valid")
            .fit(&docs(&["a b", "a b", "c"]));
        let row = fit.transform(&["zzz".to_string()]);
        assert!(row.indices.is_empty());
    }

    /// A query's terms are found by a binary search of the sorted terms, or through the map
    /// where the terms are out of order: the same indices and rows either way.
    #[test]
    fn a_vocabulary_finds_its_terms_sorted_or_not() {
        let document: Vec<String> = ["b", "zzz", "a", "b"].map(String::from).to_vec();
        for terms in [["a", "b", "c"], ["c", "a", "b"]] {
            let terms: Vec<String> = terms.map(String::from).to_vec();
            let fit = FittedTfIdf::from_parts(TfIdfParams::default(), 3, terms.clone(), vec![1, 2, 3]);
            for (i, term) in terms.iter().enumerate() {
                assert_eq!(fit.term_index(term), Some(i as u32), "{terms:?}");
            }
            assert_eq!(fit.term_index("zzz"), None);
            let one = fit.transform_one(&document);
            assert_eq!(one.indices.len(), 2, "{terms:?}");
            assert_eq!(one, fit.transform(&document), "{terms:?}");
            // Making the map changes neither the answers nor what the vocabulary equals.
            assert_eq!(
                fit.term_index("b"),
                terms.iter().position(|t| t == "b").map(|i| i as u32)
            );
            assert_eq!(
                fit,
                FittedTfIdf::from_parts(TfIdfParams::default(), 3, terms, vec![1, 2, 3])
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn document_frequencies_count_each_document_once(
            texts in proptest::collection::vec("[a-h]( [a-h]){0,12}", 1..300)
        ) {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let corpus = docs(&refs);
            let params = TfIdfParams { min_df: 1, max_df: 1.0, ..TfIdfParams::default() };
            let fit = params.check().expect("valid").fit(&corpus);
            let mut expected = std::collections::BTreeMap::new();
            for doc in &corpus {
                let distinct: std::collections::BTreeSet<&String> = doc.iter().collect();
                for term in distinct {
                    *expected.entry(term.clone()).or_insert(0u32) += 1;
                }
            }
            proptest::prop_assert_eq!(fit.documents() as usize, corpus.len());
            proptest::prop_assert_eq!(fit.terms(), expected.keys().cloned().collect::<Vec<_>>());
            proptest::prop_assert_eq!(fit.df(), expected.values().copied().collect::<Vec<_>>());
        }

        #[test]
        fn fitting_by_ids_is_fitting_by_strings(
            texts in proptest::collection::vec("[a-f]{1,2}( [a-f]{1,2}){0,8}", 1..30),
            withdrawn in proptest::collection::vec(proptest::bool::ANY, 30),
            min_df in 1u32..3,
            max_df in 0.3f64..1.0,
        ) {
            let documents = docs(&texts.iter().map(String::as_str).collect::<Vec<_>>());
            // Ids as a build gives them: distinct terms in byte order, an id its place.
            let mut terms: Vec<String> = documents.iter().flatten().cloned().collect();
            terms.sort_unstable();
            terms.dedup();
            let id = |t: &String| terms.binary_search(t).expect("a term met") as u32;
            let live = |i: &usize| !withdrawn[*i];
            let params = TfIdfParams { min_df, max_df, ..TfIdfParams::default() }.check().expect("valid");
            let by_strings = params.fit((0..documents.len()).filter(live).map(|i| &documents[i]).collect::<Vec<_>>());
            let counts: Vec<Vec<(u32, u32)>> = documents
                .iter()
                .map(|d| count_ids(d.iter().map(id).collect()))
                .collect();
            let (by_ids, index) = params.fit_counted(
                &terms,
                (0..documents.len()).filter(live).map(|i| counts[i].as_slice()).collect::<Vec<_>>(),
            );
            proptest::prop_assert_eq!(&by_ids, &by_strings);
            for (d, c) in documents.iter().zip(&counts) {
                proptest::prop_assert_eq!(in_vocabulary(c, &index), by_strings.counts(d));
            }
        }

        #[test]
        fn rows_have_unit_norm(texts in proptest::collection::vec("[a-e]( [a-e]){0,8}", 2..20)) {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let corpus = docs(&refs);
            let params = TfIdfParams { min_df: 1, max_df: 1.0, ..TfIdfParams::default() };
            let fit = params.check().expect("valid").fit(&corpus);
            for doc in &corpus {
                let row = fit.transform(doc);
                proptest::prop_assert!(row.indices.is_empty() || (row.norm() - 1.0).abs() < 1e-4);
                proptest::prop_assert!(row.indices.windows(2).all(|w| w[0] < w[1]));
                let self_cos = row.dot(&row);
                proptest::prop_assert!(row.indices.is_empty() || (self_cos - 1.0).abs() < 1e-4);
            }
        }
    }
}
