//! Related past entries: cosine similarity over the entries' TF-IDF rows, through an inverted
//! index (term → entries holding it), so a query touches only the entries that share a term with
//! it and no n × n matrix is ever formed. An entry is answered with entries of earlier issues; a
//! text or a URL with entries of every issue, or of those before a given one.
//!
//! Two indexes answer the same queries with the same search ([`topk`]): [`RelatedIndex`], built
//! in memory from the rows (`related --all`, `check`, `past-years`, `report`), and the index file
//! the build keeps in the store ([`file`], `related.idx`), which one `related` query reads only a
//! few pieces of instead of loading the store.

pub mod file;
mod rows;
mod topk;

use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::escape::terminal;
use crate::model::{Entry, EntryId};
use crate::store::Store;
use crate::tokenize::Tokenizer;
use crate::vectorize::{FittedTfIdf, SparseVector};

pub use rows::{
    is_name, related_row, related_row_with, related_rows, shared_shown, shared_terms, shared_words,
    term_factors, title_row, title_weighted, NAME_WEIGHT, RELATED_STOP_TERMS, TITLE_WEIGHT,
};
pub use topk::Scratch;

/// Entries `related --all` searches at once, on every core.
const ALL_BLOCK: usize = 1024;

thread_local! {
    /// Each worker's search memory for `related --all` (it grows to the rows of the index).
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// The index: for each term, the entry rows holding it (increasing) and their weights.
#[derive(Debug, Clone)]
pub struct RelatedIndex {
    postings: Vec<Vec<(u32, f32)>>,
    /// The largest weight in each term's list, for the search's bounds.
    max_weight: Vec<f32>,
    /// The largest norm of any row.
    max_norm: f32,
    /// Each row's issue number, to keep suggestions in the past.
    issue_of_row: Vec<u32>,
    /// Whether the rows are in archive order (issue numbers never decrease), so that "earlier
    /// issues" is a prefix of the rows: both ways of [`Method`] need it.
    in_order: bool,
    /// Whether every weight is non-negative and finite: the pruned search's bounds need it.
    bounded: bool,
}

/// An index of at most this many rows answers a query by [`Method::Walk`], a larger one by
/// [`Method::Search`]. Measured (BENCHMARKS.md, "`related --all` walks the lists"): on the real
/// archive's 4,000 rows the walk takes 50–90% of the search's time at any bar; at 100,000 rows
/// it is faster at the default bar (0.1) and slower with none; at a million, where a row's slot
/// is rarely in a core's cache, as fast at 0.1 and a third slower with none. Up to this size
/// the slots (5 bytes a row) stay in a core's cache.
const WALK_ROWS: usize = 50_000;

/// How the in-memory index answers a query. Both give the exhaustive walk's rows and score bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    /// Every posting of the query's lists up to its limit ([`topk::walk`]).
    Walk,
    /// The pruned top-k search ([`topk::search`]).
    Search,
}

/// The largest norm of `rows`, rounded up to an `f32`.
pub(crate) fn max_norm(rows: &[SparseVector]) -> f32 {
    let max = rows
        .iter()
        .map(|r| {
            r.values
                .iter()
                .map(|&v| f64::from(v) * f64::from(v))
                .sum::<f64>()
                .sqrt()
        })
        .fold(0f64, f64::max);
    let rounded = max as f32;
    if f64::from(rounded) < max {
        rounded.next_up()
    } else {
        rounded
    }
}

/// The row below which rows are from issues before `before` (rows in archive order).
pub(crate) fn limit_of(issue_of_row: &[u32], before: Option<u32>) -> u32 {
    match before {
        Some(b) => issue_of_row.partition_point(|&i| i < b) as u32,
        None => issue_of_row.len() as u32,
    }
}

/// A score as shown and compared by callers: four decimals.
fn rounded(score: f32) -> f32 {
    (score * 10_000.0).round() / 10_000.0
}

/// One suggestion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub row: usize,
    pub score: f32,
    /// The terms the two share, heaviest first (by the product of their weights).
    pub shared: Vec<u32>,
}

/// The most related entries one query may ask for: more than anyone reads, few enough that a
/// `related --all` line stays a line.
pub const MAX_K: usize = 1000;

/// What `weeklens related` asks for. [`RelatedParams::check`] validates it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RelatedParams {
    /// At most this many related entries.
    pub k: usize,
    /// The lowest score kept, a cosine similarity in [0, 1].
    pub min_score: f32,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RelatedParamsError {
    #[error("the number of related entries must be 1 to {MAX_K} (got {0})")]
    K(usize),
    #[error("the lowest score must be a number from 0 to 1 (got {0})")]
    MinScore(f32),
}

/// Parameters that passed [`RelatedParams::check`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckedRelatedParams(RelatedParams);

impl RelatedParams {
    pub fn check(self) -> std::result::Result<CheckedRelatedParams, RelatedParamsError> {
        if !(1..=MAX_K).contains(&self.k) {
            return Err(RelatedParamsError::K(self.k));
        }
        // NaN is not in the range either: a NaN bound would keep nothing.
        if !(0.0..=1.0).contains(&self.min_score) {
            return Err(RelatedParamsError::MinScore(self.min_score));
        }
        Ok(CheckedRelatedParams(self))
    }
}

impl CheckedRelatedParams {
    pub fn k(&self) -> usize {
        self.0.k
    }

    pub fn min_score(&self) -> f32 {
        self.0.min_score
    }
}

/// What a query asks of an index ([`RelatedIndex`] or the index file, [`file`]): built with
/// [`Request::new`] and named setters, so that the issue limit and the row left out, both
/// optional numbers, cannot be given in each other's place.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The row to find rows like: an entry's ranking row, or a text's.
    vector: &'a SparseVector,
    /// Only rows of issues before this issue number (in the past of an entry of that issue);
    /// every issue when `None`.
    before: Option<u32>,
    /// A row never suggested: the entry asked about, which would be its own best match.
    exclude: Option<usize>,
    /// At most this many suggestions.
    k: usize,
    /// The lowest score kept (0 unless set).
    min_score: f32,
}

impl<'a> Request<'a> {
    /// The `k` rows most like `vector`, from every issue, with a score of at least 0.
    pub fn new(vector: &'a SparseVector, k: usize) -> Request<'a> {
        Request {
            vector,
            before: None,
            exclude: None,
            k,
            min_score: 0.0,
        }
    }

    /// Only rows of issues before `issue`.
    pub fn before(self, issue: u32) -> Request<'a> {
        Request {
            before: Some(issue),
            ..self
        }
    }

    /// Never suggests `row`.
    pub fn excluding(self, row: usize) -> Request<'a> {
        Request {
            exclude: Some(row),
            ..self
        }
    }

    /// Only scores of at least `min_score`.
    pub fn min_score(self, min_score: f32) -> Request<'a> {
        Request { min_score, ..self }
    }
}

impl RelatedIndex {
    /// Builds the index over `vectors`, one row per entry of `entries` (withdrawn entries have
    /// empty rows and are never suggested).
    pub fn build(vectors: &[SparseVector], entries: &[Entry], vocabulary: usize) -> RelatedIndex {
        RelatedIndex::from_rows(vectors, entries.iter().map(|e| e.issue).collect(), vocabulary)
    }

    /// [`RelatedIndex::build`] from the issue number of each row alone.
    pub fn from_rows(vectors: &[SparseVector], issue_of_row: Vec<u32>, vocabulary: usize) -> RelatedIndex {
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); vocabulary];
        for (row, v) in vectors.iter().enumerate() {
            for (&t, &w) in v.indices.iter().zip(&v.values) {
                if let Some(list) = postings.get_mut(t as usize) {
                    list.push((row as u32, w));
                }
            }
        }
        let max_weight: Vec<f32> = postings
            .iter()
            .map(|list| list.iter().map(|p| p.1).fold(0f32, f32::max))
            .collect();
        let in_order = issue_of_row.is_sorted();
        let bounded = postings.iter().flatten().all(|&(_, w)| w >= 0.0 && w.is_finite());
        RelatedIndex {
            postings,
            max_weight,
            max_norm: max_norm(vectors),
            issue_of_row,
            in_order,
            bounded,
        }
    }

    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.issue_of_row.len()
    }

    /// The rows most similar to the request's vector, among those it allows, at most its `k`
    /// ([`Request`]); best first, ties by row (that is, by archive order).
    pub fn query(&self, request: &Request<'_>) -> Vec<Suggestion> {
        self.query_with(&mut Scratch::new(self.rows()), request)
    }

    /// [`RelatedIndex::query`] reusing `scratch` (one per thread; `related --all` keeps one).
    pub fn query_with(&self, scratch: &mut Scratch, request: &Request<'_>) -> Vec<Suggestion> {
        let method = if self.rows() <= WALK_ROWS {
            Method::Walk
        } else {
            Method::Search
        };
        self.query_by(method, scratch, request)
    }

    /// [`RelatedIndex::query_with`] by `method`; rows out of archive order, and a search over
    /// weights its bounds do not hold for, walk every list to its end instead.
    fn query_by(&self, method: Method, scratch: &mut Scratch, request: &Request<'_>) -> Vec<Suggestion> {
        if !self.in_order || (method == Method::Search && !self.bounded) {
            return self.query_exhaustive(request);
        }
        let search = topk::Search {
            request,
            limit: limit_of(&self.issue_of_row, request.before),
            max_norm: self.max_norm,
        };
        let rows = self.rows();
        let found = match method {
            Method::Walk => topk::walk(&mut &*self, &search, scratch, rows),
            Method::Search => topk::search(&mut &*self, &search, scratch, rows),
        };
        topk::infallible(found)
            .into_iter()
            .map(|(row, score)| Suggestion {
                row: row as usize,
                score: rounded(score),
                shared: Vec::new(),
            })
            .collect()
    }

    /// [`RelatedIndex::query`] by walking every posting list of the query to its end: the
    /// reference the pruned search is tested against, and the way for rows out of archive order.
    pub fn query_exhaustive(&self, request: &Request<'_>) -> Vec<Suggestion> {
        let &Request {
            vector: query,
            before,
            exclude,
            k,
            min_score,
        } = request;
        let mut hits: rustc_hash::FxHashMap<u32, f32> = rustc_hash::FxHashMap::default();
        for (&t, &w) in query.indices.iter().zip(&query.values) {
            let Some(list) = self.postings.get(t as usize) else {
                continue;
            };
            for &(row, weight) in list {
                if before.is_some_and(|b| self.issue_of_row[row as usize] >= b)
                    || Some(row as usize) == exclude
                {
                    continue;
                }
                *hits.entry(row).or_default() += w * weight;
            }
        }
        topk::best_k(hits.into_iter().collect(), k, min_score)
            .into_iter()
            .map(|(row, score)| Suggestion {
                row: row as usize,
                score: rounded(score),
                shared: Vec::new(),
            })
            .collect()
    }
}

impl topk::Postings for &RelatedIndex {
    type Error = std::convert::Infallible;

    fn meta(&mut self, term: u32) -> Result<Option<topk::TermMeta>, Self::Error> {
        let t = term as usize;
        Ok(self.max_weight.get(t).map(|&max_weight| topk::TermMeta {
            max_weight,
            len: self.postings[t].len() as u32,
        }))
    }

    fn list(&mut self, term: u32, limit: u32) -> Result<&[topk::Posting], Self::Error> {
        let list = self.postings.get(term as usize).map_or(&[][..], Vec::as_slice);
        Ok(&list[..list.partition_point(|p| p.0 < limit)])
    }

    fn find(&mut self, term: u32, rows: &[u32], found: &mut Vec<Option<f32>>) -> Result<(), Self::Error> {
        let list = self.postings.get(term as usize).map_or(&[][..], Vec::as_slice);
        topk::find_in(list, rows, found);
        Ok(())
    }
}

/// The row of an entry, by id.
pub fn row_of(entries: &[Entry], id: EntryId) -> Option<usize> {
    entries.iter().position(|e| e.id() == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Category;

    #[test]
    fn a_text_names_itself_and_the_words_the_vocabulary_lacks() {
        let known = |word: &str| word == "asyncio";
        assert_eq!(names_in("asyncio", known), ["asyncio"]);
        // The whole text is a name no entry bears; its word `asyncio` is left to the words.
        assert!(!names_in("asyncio 任务取消", known).contains(&"asyncio".to_string()));
        assert!(names_in("PgQueuer 任务队列", known).contains(&"pgqueuer".to_string()));
        assert_eq!(names_in("Django Orbit", known), ["djangoorbit", "orbit"]);
        // A project's title as the archive writes it, and as English text does.
        assert_eq!(names_in("pipdeptree：依赖树", known), ["pipdeptree"]);
        assert!(names_in("pipdeptree: a tree", known).contains(&"pipdeptree".to_string()));
        assert!(names_in("a tree (pipdeptree)", known).contains(&"pipdeptree".to_string()));
    }

    #[test]
    fn params_reject_no_results_too_many_and_a_score_outside_zero_one() {
        let check = |k, min_score| RelatedParams { k, min_score }.check().err();
        assert_eq!(check(0, 0.1), Some(RelatedParamsError::K(0)));
        assert_eq!(check(MAX_K + 1, 0.1), Some(RelatedParamsError::K(MAX_K + 1)));
        assert_eq!(check(5, 2.0), Some(RelatedParamsError::MinScore(2.0)));
        assert_eq!(check(5, -0.1), Some(RelatedParamsError::MinScore(-0.1)));
        assert!(matches!(
            check(5, f32::NAN),
            Some(RelatedParamsError::MinScore(_))
        ));
        assert!(matches!(
            check(5, f32::INFINITY),
            Some(RelatedParamsError::MinScore(_))
        ));
        assert_eq!(check(1, 0.0), None);
        assert_eq!(check(MAX_K, 1.0), None);
    }

    fn entry(issue: u32, position: u32) -> Entry {
        Entry::stub(issue, Category::Article, position)
    }

    fn unit(pairs: &[(u32, f32)]) -> SparseVector {
        let norm = pairs.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        SparseVector {
            indices: pairs.iter().map(|p| p.0).collect(),
            values: pairs.iter().map(|p| p.1 / norm).collect(),
        }
    }

    #[test]
    fn suggests_only_the_past_and_never_the_entry_itself() {
        let entries = vec![entry(1, 1), entry(2, 1), entry(3, 1)];
        let vectors = vec![
            unit(&[(0, 1.0), (1, 1.0)]),
            unit(&[(0, 1.0)]),
            unit(&[(0, 1.0), (1, 1.0)]),
        ];
        let index = RelatedIndex::build(&vectors, &entries, 2);
        let found = index.query(&Request::new(&vectors[2], 10).before(3).excluding(2));
        let rows: Vec<usize> = found.iter().map(|s| s.row).collect();
        assert_eq!(rows, vec![0, 1], "identical first, then the partial match");
        assert!((found[0].score - 1.0).abs() < 1e-5);
        assert!(index
            .query(&Request::new(&vectors[0], 10).before(1).excluding(0))
            .is_empty());
    }

    #[test]
    fn title_terms_weigh_more_and_rows_stay_unit() {
        // Term 0 in the title and the description, term 1 in the description alone.
        let row = unit(&[(0, 1.0), (1, 1.0)]);
        let title = unit(&[(0, 1.0)]);
        let weighted = title_weighted(&row, &title);
        assert_eq!(weighted.indices, vec![0, 1]);
        let (a, b) = (
            std::f32::consts::FRAC_1_SQRT_2 + TITLE_WEIGHT,
            std::f32::consts::FRAC_1_SQRT_2,
        );
        let norm = (a * a + b * b).sqrt();
        assert!(
            (weighted.values[0] - a / norm).abs() < 1e-5,
            "{:?}",
            weighted.values
        );
        assert!(
            (weighted.values[1] - b / norm).abs() < 1e-5,
            "{:?}",
            weighted.values
        );
        assert!(weighted.values[0] > weighted.values[1]);
        assert!((weighted.norm() - 1.0).abs() < 1e-5);
        // A title-only entry: its row is its title row, and weighting leaves it as it was.
        let same = title_weighted(&title, &title);
        assert_eq!(same.indices, title.indices);
        assert!((same.values[0] - 1.0).abs() < 1e-6);
        // A term only in the title is still counted.
        let only_title = title_weighted(&unit(&[(1, 1.0)]), &unit(&[(2, 1.0)]));
        assert_eq!(only_title.indices, vec![1, 2]);
        assert!(title_weighted(&SparseVector::default(), &SparseVector::default())
            .indices
            .is_empty());
    }

    #[test]
    fn a_common_word_alone_is_a_key() {
        // 100 documents: "common" and "常见" in 50 of them (far above the 1% a former rule asked
        // of a word matched alone), "rare" in 1.
        let docs: Vec<Vec<String>> = (0..100)
            .map(|i| {
                let mut d = vec![format!("filler{}", i % 3)];
                if i % 2 == 0 {
                    d.extend(["common".to_string(), "常见".to_string()]);
                }
                if i < 1 {
                    d.push("rare".to_string());
                }
                d
            })
            .collect();
        let params = crate::vectorize::TfIdfParams {
            min_df: 1,
            max_df: 1.0,
            ..Default::default()
        };
        let fit = params.check().expect("valid").fit(&docs);
        let row = |words: &[&str]| fit.transform(&words.iter().map(|w| w.to_string()).collect::<Vec<_>>());
        let vectors = vec![
            row(&["常见"]),
            row(&["rare"]),
            row(&["common", "filler1"]),
            row(&["filler2"]),
        ];
        let entries: Vec<Entry> = (1..=4).map(|i| entry(i, 1)).collect();
        let index = RelatedIndex::build(&vectors, &entries, fit.terms().len());
        // A query of one common word finds every row holding it, and only those.
        for (word, want) in [("common", vec![2]), ("常见", vec![0]), ("rare", vec![1])] {
            let query = row(&[word]);
            let rows: Vec<usize> = index
                .query(&Request::new(&query, 10))
                .iter()
                .map(|s| s.row)
                .collect();
            assert_eq!(rows, want, "{word}");
            let exhaustive: Vec<usize> = index
                .query_exhaustive(&Request::new(&query, 10))
                .iter()
                .map(|s| s.row)
                .collect();
            assert_eq!(exhaustive, want, "{word}, exhaustive");
        }
    }

    #[test]
    fn names_are_peps_words_written_with_capitals_and_listed_names() {
        assert!(is_name("pep686", "PEP 686"));
        assert!(is_name("pep686", "pep686"), "a PEP by its term");
        assert!(is_name("django", "Django"));
        assert!(is_name("pypi", "PyPI"));
        assert!(is_name("python3.13", "Python 3.13"));
        assert!(is_name("panda", "pandas"), "data/names.txt, by the written form");
        assert!(is_name("polar", "polars"));
        for (term, shown) in [
            ("kill", "kill"),
            ("reason", "reason"),
            ("杀死", "杀死"),
            ("pep", "pep"),
        ] {
            assert!(!is_name(term, shown), "{term}");
        }
    }

    #[test]
    fn a_shared_name_outweighs_a_shared_word_of_the_same_weight() {
        // Two terms of the same TF-IDF weight: "django" written Django, "kill" not a name.
        let docs: Vec<Vec<String>> = ["django kill", "django", "kill", "other"]
            .iter()
            .map(|d| d.split(' ').map(String::from).collect())
            .collect();
        let params = crate::vectorize::TfIdfParams {
            min_df: 1,
            max_df: 1.0,
            ..Default::default()
        };
        let fit = params.check().expect("valid").fit(&docs);
        let shown: Vec<String> = fit
            .terms()
            .iter()
            .map(|t| if t == "django" { "Django".into() } else { t.clone() })
            .collect();
        let fit = fit.with_shown(shown);
        let row = |d: &str| fit.transform(&d.split(' ').map(String::from).collect::<Vec<_>>());
        let (django, kill) = (
            fit.term_index("django").expect("django"),
            fit.term_index("kill").expect("kill"),
        );
        let plain = row("django kill");
        let at = |v: &SparseVector, t: u32| v.values[v.indices.iter().position(|&i| i == t).expect("term")];
        assert!(
            (at(&plain, django) - at(&plain, kill)).abs() < 1e-6,
            "the same weight before"
        );
        let weighted = related_row(&fit, &plain, &SparseVector::default());
        assert!((at(&weighted, django) / at(&weighted, kill) - NAME_WEIGHT).abs() < 1e-5);
        assert!((weighted.norm() - 1.0).abs() < 1e-5);
        // Ranked: the entry sharing the name comes before the one sharing the word.
        let empty = SparseVector::default();
        let rows = vec![
            related_row(&fit, &row("kill"), &empty),
            related_row(&fit, &row("django"), &empty),
        ];
        let entries = vec![entry(1, 1), entry(1, 2)];
        let index = RelatedIndex::build(&rows, &entries, fit.terms().len());
        let found: Vec<usize> = index
            .query(&Request::new(&weighted, 2))
            .iter()
            .map(|s| s.row)
            .collect();
        assert_eq!(found, vec![1, 0]);
    }

    /// A random index: `rows` rows over `terms` terms, common terms likelier (as in text),
    /// weights from a few values so that ties happen, issues in order, some rows empty.
    fn random_index(seed: u64, rows: usize, terms: u32) -> (RelatedIndex, Vec<SparseVector>) {
        use rand_xoshiro::rand_core::{RngCore, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut unit_f = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let mut vectors = Vec::new();
        let mut entries = Vec::new();
        let mut issue = 1;
        for _ in 0..rows {
            if unit_f() < 0.3 {
                issue += 1;
            }
            entries.push(entry(issue, 1));
            let len = (unit_f() * 7.0) as usize;
            let mut pairs: Vec<(u32, f32)> = (0..len)
                .map(|_| {
                    let u = unit_f();
                    (
                        (u * u * f64::from(terms)) as u32,
                        1.0 + (unit_f() * 3.0).floor() as f32,
                    )
                })
                .collect();
            pairs.sort_by_key(|p| p.0);
            pairs.dedup_by_key(|p| p.0);
            vectors.push(if pairs.is_empty() {
                SparseVector::default()
            } else {
                unit(&pairs)
            });
        }
        let index = RelatedIndex::build(&vectors, &entries, terms as usize);
        (index, vectors)
    }

    fn bits(found: &[Suggestion]) -> Vec<(usize, u32)> {
        found.iter().map(|s| (s.row, s.score.to_bits())).collect()
    }

    proptest::proptest! {
        #[test]
        fn the_walk_and_the_pruned_search_equal_the_exhaustive_walk(
            seed in 0u64..u64::MAX,
            rows in 1usize..150,
            terms in 1u32..40,
            k in 0usize..8,
            min_score in proptest::sample::select(vec![0.0f32, 0.05, 0.1, 0.3, 0.8]),
        ) {
            let (index, vectors) = random_index(seed, rows, terms);
            let mut scratch = Scratch::default();
            for (row, v) in vectors.iter().enumerate() {
                let request = Request::new(v, k)
                    .before(index.issue_of_row[row])
                    .excluding(row)
                    .min_score(min_score);
                let want = index.query_exhaustive(&request);
                for method in [Method::Walk, Method::Search] {
                    let got = index.query_by(method, &mut scratch, &request);
                    proptest::prop_assert_eq!(bits(&got), bits(&want), "row {} by {:?}", row, method);
                }
                // The same row as a free text: no issue limit, itself included, then left out.
                for exclude in [None, Some(row)] {
                    let mut request = Request::new(v, k).min_score(min_score);
                    if let Some(row) = exclude {
                        request = request.excluding(row);
                    }
                    let want = index.query_exhaustive(&request);
                    for method in [Method::Walk, Method::Search] {
                        let got = index.query_by(method, &mut scratch, &request);
                        proptest::prop_assert_eq!(bits(&got), bits(&want), "row {} as text, {:?}, by {:?}", row, exclude, method);
                    }
                }
            }
        }
    }

    #[test]
    fn rows_out_of_issue_order_are_still_kept_in_the_past() {
        let entries = vec![entry(2, 1), entry(1, 1), entry(3, 1)];
        let vectors = vec![unit(&[(0, 1.0)]), unit(&[(0, 1.0)]), unit(&[(0, 1.0)])];
        let index = RelatedIndex::build(&vectors, &entries, 1);
        let rows: Vec<usize> = index
            .query(&Request::new(&vectors[0], 5).before(2).excluding(0))
            .iter()
            .map(|s| s.row)
            .collect();
        assert_eq!(rows, vec![1], "only the row of issue 1, though it comes second");
    }

    #[test]
    fn scores_are_symmetric_cosines_in_zero_one() {
        let entries = vec![entry(1, 1), entry(2, 1)];
        let vectors = vec![unit(&[(0, 2.0), (3, 1.0)]), unit(&[(0, 1.0), (2, 1.0), (3, 3.0)])];
        let index = RelatedIndex::build(&vectors, &entries, 4);
        let ab = index.query(&Request::new(&vectors[0], 1).excluding(0))[0].score;
        let ba = index.query(&Request::new(&vectors[1], 1).excluding(1))[0].score;
        assert!((ab - ba).abs() < 1e-5 && (0.0..=1.0001).contains(&ab));
        assert_eq!(shared_terms(&vectors[0], &vectors[1], 5), vec![3, 0]);
    }

    #[test]
    fn two_terms_shown_alike_are_one_shared_word() {
        // `mssql` is written only inside `mssql-python`, and shown as it.
        let shown = ["mssql-python", "arrow", "mssql-python", "sql"];
        let a = unit(&[(0, 3.0), (1, 1.0), (2, 3.0), (3, 2.0)]);
        let b = unit(&[(0, 1.0), (1, 1.0), (2, 1.0), (3, 1.0)]);
        let words = infallible(shared_shown(&a, &b, 2, |t| Ok(shown[t as usize].to_string())));
        assert_eq!(words, ["mssql-python", "sql"]);
    }
}

/// One line of `related --all --format jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RelatedLine {
    pub issue: u32,
    pub category: crate::model::Category,
    pub position: u32,
    pub related: Vec<RelatedRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RelatedRef {
    pub issue: u32,
    pub category: crate::model::Category,
    pub position: u32,
    pub score: f32,
}

/// A suggestion as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuggestionView {
    pub issue: u32,
    pub date: String,
    pub category: String,
    pub position: u32,
    pub title: String,
    pub score: f32,
    pub shared: Vec<String>,
}

/// The entry at `row` of `index` (`id`) as a table of its related entries names it first:
/// `158:project:1  2026-07-11  title` (its record and title, nothing else read).
fn entry_line(index: &mut file::IndexFile, id: EntryId, row: u32) -> Result<String> {
    let date = index.entry(row)?.date.map(|d| d.to_string()).unwrap_or_default();
    Ok(format!("{id}  {date}  {}", terminal(&index.title(row)?)))
}

/// The suggestions as terminal text (titles and terms stripped of control characters).
pub fn render_table(views: &[SuggestionView]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for v in views {
        let _ = writeln!(
            out,
            "{:.3}  #{:<4} {}  {:<10} {}\n       shared: {}",
            v.score,
            v.issue,
            v.date,
            format!("{}:{}", v.category, v.position),
            terminal(&v.title),
            terminal(&v.shared.join(", "))
        );
    }
    out
}

/// What to find related entries for.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    Entry(EntryId),
    Text(String),
    Url(String),
}

/// One query answered from the store's index file ([`file`]), reading only what it needs: the
/// way `weeklens related` answers. A text query also reads the vocabulary and tokenises (the
/// jieba dictionary takes about 0.13 s to load). An entry is answered with earlier entries; a
/// URL or a text with every entry about it, earlier and later, the URL's own entry included
/// ([`suggest_from_index_before`] keeps them in the past).
pub fn suggest_from_index(
    store: &Store,
    query: &Query,
    k: usize,
    min_score: f32,
) -> Result<Vec<SuggestionView>> {
    suggest_from_index_before(store, query, k, min_score, None)
}

/// What a web address asks about, as a user pastes one to learn whether the weekly shared it.
#[derive(Debug, Clone, PartialEq)]
pub struct Address {
    /// The keys of the entries about it, in turn ([`crate::identity::keys`]): the address as a
    /// title link or a description's link; for a GitHub link into a repository (a release, an
    /// issue) the repository's own link, and for the repository itself every entry linking into
    /// it; for a PEP's page the PEP.
    pub keys: Vec<crate::identity::Key>,
    /// How a reader knows it: `astral-sh/uv`, `PEP 703`, else the canonical address.
    pub label: String,
    /// The words its entries are found by when none links it: the repository's name (`uv`),
    /// `PEP 703`.
    pub name: Option<String>,
    /// The last part of its path, folded, where it can be a project's name
    /// (`https://docs.astral.sh/uv/`: `uv`): the entries named so answer where none links it.
    pub path_name: Option<String>,
}

impl Address {
    /// The words that answer for the address where no entry links it: its [`Address::name`],
    /// else its [`Address::path_name`] where `named` says entries are named so.
    pub fn fallback(&self, named: impl FnOnce(&str) -> bool) -> Option<String> {
        self.name
            .clone()
            .or_else(|| self.path_name.clone().filter(|n| named(n)))
    }

    /// The entry whose related entries answer for the address: the first whose title link is
    /// the address, then (for a link into a repository) the first whose title link is the
    /// repository; else the first holding any of its keys, a description's link or the PEP.
    /// `first` gives the first row holding a key, in whatever the caller reads the archive
    /// through (the index file, the identities in memory).
    pub fn anchor<R: Ord, E>(
        &self,
        mut first: impl FnMut(&crate::identity::Key) -> std::result::Result<Option<R>, E>,
    ) -> std::result::Result<Option<R>, E> {
        use crate::identity::Key;
        for key in self.keys.iter().filter(|k| matches!(k, Key::Url(_))) {
            if let Some(row) = first(key)? {
                return Ok(Some(row));
            }
        }
        let mut anchor = None;
        for key in self.keys.iter().filter(|k| !matches!(k, Key::Url(_))) {
            anchor = anchor.into_iter().chain(first(key)?).min();
        }
        Ok(anchor)
    }
}

/// Last parts of a path that name a kind of page, not a project (`…/x/docs`, `…/blog/`).
const PATH_WORDS: &[&str] = &[
    "docs",
    "doc",
    "documentation",
    "wiki",
    "blog",
    "posts",
    "post",
    "news",
    "article",
    "articles",
    "en",
    "zh",
    "latest",
    "stable",
    "main",
    "master",
    "index",
    "home",
    "about",
    "readme",
    "releases",
    "release",
    "issues",
    "pulls",
    "discussions",
    "project",
    "projects",
    "tree",
    "blob",
];

/// The [`Address`] `text` is, when it is one http(s) address.
pub fn address(text: &str) -> Option<Address> {
    use crate::identity::{Key, Marks};
    let text = text.trim();
    if text.contains(char::is_whitespace) {
        return None;
    }
    let canonical = crate::canon::canonical_url(text)?;
    let marks = Marks::of("", Some(text));
    let mut keys = vec![Key::Url(canonical.clone()), Key::Link(canonical.clone())];
    let mut label = canonical;
    let mut name = None;
    if let Some((repo, root)) = &marks.repo {
        if *root {
            keys.push(Key::Repo(repo.clone()));
        } else {
            let link = format!("github.com/{repo}");
            keys.extend([Key::Url(link.clone()), Key::Link(link)]);
        }
        label = repo.clone();
        name = repo.rsplit('/').next().map(str::to_string);
    }
    if let Some(pep) = marks.pep {
        keys.push(Key::Pep(pep));
        label = format!("PEP {pep}");
        name = Some(label.clone());
    }
    let path_name = url::Url::parse(text)
        .ok()
        .and_then(|u| u.path_segments()?.rfind(|s| !s.is_empty()).map(str::to_string))
        .map(|s| crate::identity::fold_name(&s))
        .filter(|s| crate::identity::is_name(s) && !PATH_WORDS.contains(&s.as_str()));
    Some(Address {
        keys,
        label,
        name,
        path_name,
    })
}

/// [`suggest_from_index`], a URL's or a text's answer kept to the issues before `before` when
/// given (an entry's answer is always kept to the issues before its own).
pub fn suggest_from_index_before(
    store: &Store,
    query: &Query,
    k: usize,
    min_score: f32,
    before: Option<u32>,
) -> Result<Vec<SuggestionView>> {
    let mut index = file::IndexFile::open(store)?;
    Ok(answer(&mut index, store, query, k, min_score, before, false)?.suggestions)
}

/// An answer of [`answer_from_index`]: the suggestions and, for an entry's, the entry as its
/// table names it first (`158:project:1  2026-07-11  title`: an id alone says nothing to a
/// reader).
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub entry: Option<String>,
    pub suggestions: Vec<SuggestionView>,
}

/// [`suggest_from_index_before`] with the entry an entry's answer is about, from one opening of
/// the index file.
pub fn answer_from_index(
    store: &Store,
    query: &Query,
    k: usize,
    min_score: f32,
    before: Option<u32>,
) -> Result<Answer> {
    let mut index = file::IndexFile::open(store)?;
    answer(&mut index, store, query, k, min_score, before, true)
}

/// The answer to `query` from `index`; the entry's line only when `named` (what a table shows).
fn answer(
    index: &mut file::IndexFile,
    store: &Store,
    query: &Query,
    k: usize,
    min_score: f32,
    before: Option<u32>,
    named: bool,
) -> Result<Answer> {
    let (entry, suggestions) = match query {
        Query::Entry(id) => {
            let row = index
                .row_of(*id)?
                .ok_or_else(|| Error::NoSuchEntry(id.to_string()))?;
            let vector = index.row(row)?;
            let request = request_for(&vector, Some((id.issue, row as usize)), k, min_score, before);
            (
                named.then(|| entry_line(index, *id, row)).transpose()?,
                index.suggest(&request)?,
            )
        }
        Query::Url(url) => {
            let row = address(url)
                .map(|a| a.anchor(|key| first_holding(index, key)))
                .transpose()?
                .flatten()
                .ok_or_else(|| Error::NoSuchEntry(url.clone()))?;
            let vector = index.row(row)?;
            (
                None,
                index.suggest(&request_for(&vector, None, k, min_score, before))?,
            )
        }
        Query::Text(text) => (None, text_answer(index, store, text, k, min_score, before)?),
    };
    Ok(Answer { entry, suggestions })
}

/// The first row of `index` holding `key`, the row's own keys read (a row may only share a
/// key's hash).
fn first_holding(index: &file::IndexFile, key: &crate::identity::Key) -> Result<Option<u32>> {
    for row in index.rows_with(key)? {
        if index.holds(row, key)? {
            return Ok(Some(row));
        }
    }
    Ok(None)
}

/// The words that answer for `url` where no entry links it ([`Address::fallback`]), the
/// entries named so read from the store's index file.
pub fn address_fallback(store: &Store, url: &str) -> Result<Option<String>> {
    let Some(address) = address(url) else {
        return Ok(None);
    };
    let index = file::IndexFile::open(store)?;
    let mut named = Ok(false);
    let fallback = address.fallback(|name| {
        let key = crate::identity::Key::Name(name.to_string());
        named = first_holding(&index, &key).map(|row| row.is_some());
        matches!(named, Ok(true))
    });
    named?;
    Ok(fallback)
}

/// A text query's answer from `index`: the entries its words weigh most with, and those naming
/// a project the text names ([`with_named`]).
fn text_answer(
    index: &mut file::IndexFile,
    store: &Store,
    text: &str,
    k: usize,
    min_score: f32,
    before: Option<u32>,
) -> Result<Vec<SuggestionView>> {
    let (params, documents) = store.tfidf()?;
    let tokenizer = Tokenizer::for_query(text);
    let vector = index.text_row(&tokenizer.terms(text), params, documents)?;
    let found = index.suggest(&request_for(&vector, None, k, min_score, before))?;
    with_named(index, &tokenizer, text, found, k, before)
}

/// The words of a text query, as [`names_in`] reads them: apart at white space and at the
/// punctuation Chinese text writes without spaces (`pipdeptree：依赖树`, the archive's way of
/// titling a project), and without the punctuation English text ends a word with
/// (`pipdeptree:`, `(uv)`).
pub fn text_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || c == ',' || is_chinese_break(c))
        .map(|w| w.trim_matches(|c: char| ":;!?,()[]\"'<>".contains(c)))
        .filter(|w| !w.is_empty())
}

/// Punctuation Chinese text writes between words without a space.
fn is_chinese_break(c: char) -> bool {
    "，：；、。！？（）《》「」【】“”".contains(c)
}

/// The words of `text` that the vocabulary holds: each of whose terms (by `tokenizer`) `held`
/// finds in it; a word of stop words alone is no such word. What [`names_in`] is told.
pub fn known_words<'t, E>(
    text: &'t str,
    tokenizer: &Tokenizer,
    mut held: impl FnMut(&str) -> std::result::Result<bool, E>,
) -> std::result::Result<std::collections::HashSet<&'t str>, E> {
    let mut known = std::collections::HashSet::new();
    for word in text_words(text) {
        let terms = tokenizer.terms(word);
        let mut all = !terms.is_empty();
        for term in &terms {
            all = all && held(term)?;
        }
        if all {
            known.insert(word);
        }
    }
    Ok(known)
}

/// The names a text query may be: the whole text, and each of its words that the vocabulary
/// does not hold as terms (`known` says which it holds), folded ([`crate::identity::fold_name`]:
/// "Django Orbit" = django-orbit), those that can be a name. A word the vocabulary holds
/// (`asyncio` in "asyncio 任务取消") is left to the words' answer, where the text's other words
/// weigh too; one it does not hold (a project written in one entry only) the words never find.
pub fn names_in(text: &str, known: impl Fn(&str) -> bool) -> Vec<String> {
    let whole = crate::identity::fold_name(text);
    let mut names: Vec<String> = Vec::new();
    if crate::identity::is_name(&whole) && !text.contains(is_chinese_break) {
        names.push(whole.clone());
    }
    for word in text_words(text) {
        let name = crate::identity::fold_name(word);
        if name != whole && crate::identity::is_name(&name) && !known(word) && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// A text's answer with the entries whose project name the text is (or one of its words is,
/// when the vocabulary does not hold it) first, scored 1: a name written in one entry only (most
/// projects are shared once) is no term of the vocabulary, so the words alone never find it.
/// Then `found`, less those entries, up to `k` in all.
fn with_named(
    index: &mut file::IndexFile,
    tokenizer: &Tokenizer,
    text: &str,
    found: Vec<SuggestionView>,
    k: usize,
    before: Option<u32>,
) -> Result<Vec<SuggestionView>> {
    let same = |a: &SuggestionView, b: &SuggestionView| {
        (a.issue, a.position, &a.category) == (b.issue, b.position, &b.category)
    };
    let known = known_words(text, tokenizer, |term| {
        Ok::<_, Error>(index.term_of_key(term)?.is_some())
    })?;
    let mut named: Vec<SuggestionView> = Vec::new();
    for name in names_in(text, |word| known.contains(word)) {
        let key = crate::identity::Key::Name(name.clone());
        // Latest first (rows are in archive order): no more than `k` of a name are read.
        let mut taken = 0;
        for row in index.rows_with(&key)?.into_iter().rev() {
            if taken == k {
                break;
            }
            let record = index.entry(row)?;
            if before.is_some_and(|b| record.issue >= b) {
                continue;
            }
            let entry = index.stored_entry(row)?;
            // A row that only shares the key's hash is not named so.
            if !crate::identity::Marks::of_entry(&entry).names.contains(&name) {
                continue;
            }
            let view = SuggestionView {
                issue: entry.issue,
                date: record.date.map(|d| d.to_string()).unwrap_or_default(),
                category: entry.category.to_string(),
                position: entry.position,
                shared: vec![crate::identity::written_name(
                    &name,
                    &entry.title,
                    entry.url.as_deref(),
                )],
                title: entry.title,
                score: 1.0,
            };
            if !named.iter().any(|v| same(v, &view)) {
                named.push(view);
                taken += 1;
            }
        }
    }
    if named.is_empty() {
        return Ok(found);
    }
    // Latest first, as a text's answer of equal scores would be read.
    named.sort_by(|a, b| b.issue.cmp(&a.issue).then(a.position.cmp(&b.position)));
    let rest: Vec<SuggestionView> = found
        .into_iter()
        .filter(|f| !named.iter().any(|n| same(n, f)))
        .collect();
    Ok(named.into_iter().chain(rest).take(k).collect())
}

/// The request of a query: an entry's (its row and issue) asks for earlier entries but itself;
/// a URL's or a text's for every entry, or those before `before`.
fn request_for(
    vector: &SparseVector,
    entry: Option<(u32, usize)>,
    k: usize,
    min_score: f32,
    before: Option<u32>,
) -> Request<'_> {
    let request = Request::new(vector, k).min_score(min_score);
    match (entry, before) {
        (Some((issue, row)), _) => request.before(issue).excluding(row),
        (None, Some(before)) => request.before(before),
        (None, None) => request,
    }
}

/// Writes the index file of the store at `store` again from its tables (`weeklens index`), for a
/// store whose file is missing or damaged; returns its size in bytes.
pub fn write_index(store: &Store) -> Result<u64> {
    let entries = store.entries()?;
    let issues = store.issues()?;
    let vocabulary = store.vocabulary()?;
    let rows = store.related_rows(entries.len())?;
    let mut written = 0;
    crate::store::replace_file(store, file::FILE, |path| {
        let sum = file::write(
            path,
            &entries,
            issues.iter().map(|i| (i.number, i.date)),
            &vocabulary,
            &rows,
        )?;
        written = sum.bytes;
        Ok(sum)
    })?;
    Ok(written)
}

/// What `related`, `check` and `past-years` rank with, as the read path's one loader gives it
/// (`corpus::Corpus::ranking`): the entries, their issues, the vocabulary, the ranking rows and
/// their index. (The stored TF-IDF rows, which `check` compares drafts with, are not part of it: a
/// query does not need them.)
#[derive(Clone, Copy)]
pub struct Ranking<'a> {
    pub entries: &'a [Entry],
    pub issues: &'a [crate::model::Issue],
    pub vocabulary: &'a FittedTfIdf,
    /// The rows `related` ranks by, titles weighted up ([`related_rows`]), and their index.
    pub related_rows: &'a [SparseVector],
    pub related_index: &'a RelatedIndex,
}

/// What `check` and `past-years` read of the archive, row by row: in memory ([`Ranking`]), or
/// from the store's index file ([`file::Indexed`]), which reads only the rows asked for. Both
/// answer alike, row for row and score for score.
pub trait Lookup<'a> {
    type Error;
    fn issues(&self) -> &'a [crate::model::Issue];
    fn vocabulary(&self) -> &'a FittedTfIdf;
    /// The best rows for `request` and their scores, as [`RelatedIndex::query`] gives them.
    fn nearest(&mut self, request: &Request<'_>) -> std::result::Result<Vec<(usize, f32)>, Self::Error>;
    /// The stored entry at `row`.
    fn entry(&mut self, row: usize) -> std::result::Result<Entry, Self::Error>;
    /// The ranking row of `row`.
    fn ranking_row(&mut self, row: usize) -> std::result::Result<SparseVector, Self::Error>;
}

impl<'a> Lookup<'a> for Ranking<'a> {
    type Error = std::convert::Infallible;

    fn issues(&self) -> &'a [crate::model::Issue] {
        self.issues
    }

    fn vocabulary(&self) -> &'a FittedTfIdf {
        self.vocabulary
    }

    fn nearest(&mut self, request: &Request<'_>) -> std::result::Result<Vec<(usize, f32)>, Self::Error> {
        Ok(self
            .related_index
            .query(request)
            .into_iter()
            .map(|s| (s.row, s.score))
            .collect())
    }

    fn entry(&mut self, row: usize) -> std::result::Result<Entry, Self::Error> {
        Ok(self.entries[row].clone())
    }

    fn ranking_row(&mut self, row: usize) -> std::result::Result<SparseVector, Self::Error> {
        Ok(self.related_rows[row].clone())
    }
}

/// The value of a lookup in memory, which cannot fail.
pub fn infallible<T>(result: std::result::Result<T, std::convert::Infallible>) -> T {
    match result {
        Ok(value) => value,
        Err(never) => match never {},
    }
}

impl Ranking<'_> {
    /// The row whose related entries answer for `address` ([`Address::anchor`]), the entries'
    /// keys computed as the identities compute them.
    fn anchor(&self, address: &Address) -> Option<usize> {
        let mut first = std::collections::HashMap::new();
        for (row, e) in self.entries.iter().enumerate() {
            let keys = crate::identity::keys_of(e, &crate::identity::Marks::of_entry(e));
            for key in address.keys.iter().filter(|k| keys.contains(k)) {
                first.entry(key).or_insert(row);
            }
        }
        infallible(address.anchor(|key| Ok(first.get(key).copied())))
    }

    /// The `k` entries most related to `query`, as shown: earlier entries for an entry, every
    /// entry for a URL or a text ([`suggest_from_index`]).
    pub fn suggest(&self, query: &Query, k: usize, min_score: f32) -> Result<Vec<SuggestionView>> {
        self.suggest_before(query, k, min_score, None)
    }

    /// [`Ranking::suggest`], a URL's or a text's answer kept to the issues before `before` when
    /// given.
    pub fn suggest_before(
        &self,
        query: &Query,
        k: usize,
        min_score: f32,
        before: Option<u32>,
    ) -> Result<Vec<SuggestionView>> {
        // An entry's own row, with its issue and row; a text's row alone.
        let (vector, entry) = match query {
            Query::Entry(id) => {
                let row = row_of(self.entries, *id).ok_or_else(|| Error::NoSuchEntry(id.to_string()))?;
                (self.related_rows[row].clone(), Some((id.issue, row)))
            }
            Query::Text(text) => (
                related_row(
                    self.vocabulary,
                    &self.vocabulary.transform(&Tokenizer::shared().terms(text)),
                    &SparseVector::default(),
                ),
                None,
            ),
            Query::Url(url) => {
                let row = address(url)
                    .and_then(|a| self.anchor(&a))
                    .ok_or_else(|| Error::NoSuchEntry(url.clone()))?;
                (self.related_rows[row].clone(), None)
            }
        };
        Ok(self
            .related_index
            .query(&request_for(&vector, entry, k, min_score, before))
            .into_iter()
            .map(|s| {
                let e = &self.entries[s.row];
                SuggestionView {
                    issue: e.issue,
                    date: self
                        .issues
                        .iter()
                        .find(|i| i.number == e.issue)
                        .map(|i| i.date.to_string())
                        .unwrap_or_default(),
                    category: e.category.to_string(),
                    position: e.position,
                    title: e.title.clone(),
                    score: s.score,
                    shared: shared_words(&vector, &self.related_rows[s.row], 5, self.vocabulary.shown()),
                }
            })
            .collect())
    }
}

/// What `related --all` reads: each entry's id, the ranking rows and their index — not the
/// entries' texts, which its lines do not show.
pub struct AllRelated<'a> {
    /// Each entry's id and whether it is withdrawn.
    pub keys: &'a [(EntryId, bool)],
    pub related_rows: &'a [SparseVector],
    pub related_index: &'a RelatedIndex,
}

impl AllRelated<'_> {
    /// Every entry's related past entries, in archive order: answered a block of [`ALL_BLOCK`]
    /// entries at a time on every core (a search's memory kept per worker), each block given out
    /// in order before the next is searched.
    pub fn lines(&self, k: usize, min_score: f32) -> impl Iterator<Item = RelatedLine> + '_ {
        let live: Vec<usize> = (0..self.keys.len()).filter(|&r| !self.keys[r].1).collect();
        let blocks = live.len().div_ceil(ALL_BLOCK);
        (0..blocks).flat_map(move |b| {
            let block = &live[b * ALL_BLOCK..((b + 1) * ALL_BLOCK).min(live.len())];
            block
                .par_iter()
                .map(|&row| SCRATCH.with(|scratch| self.line(&mut scratch.borrow_mut(), row, k, min_score)))
                .collect::<Vec<_>>()
        })
    }

    /// One entry's line of [`AllRelated::lines`].
    fn line(&self, scratch: &mut Scratch, row: usize, k: usize, min_score: f32) -> RelatedLine {
        let id = self.keys[row].0;
        RelatedLine {
            issue: id.issue,
            category: id.category,
            position: id.position,
            related: self
                .related_index
                .query_with(
                    scratch,
                    &Request::new(&self.related_rows[row], k)
                        .before(id.issue)
                        .excluding(row)
                        .min_score(min_score),
                )
                .iter()
                .map(|s| {
                    let r = self.keys[s.row].0;
                    RelatedRef {
                        issue: r.issue,
                        category: r.category,
                        position: r.position,
                        score: s.score,
                    }
                })
                .collect(),
        }
    }
}
