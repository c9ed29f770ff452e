//! Entries to topics: LSA (a truncated SVD of the entries' BM25 rows) and k-means
//! (linfa-clustering's algorithm) over the reduced rows, each topic labelled by class-based
//! TF-IDF and measured by the NPMI coherence of its top terms. The stage after
//! [`crate::vectorize`].
//!
//! The rows are weighted afresh from the raw term counts: BM25 saturates a term repeated in the
//! Chinese text and its translation, and it gives short entries' terms more weight than TF-IDF
//! does, which made the topics more coherent on the real archive (QUALITY.md). Only the terms in
//! at least 0.25% of the entries enter the rows: as coherent, and k-means converges faster. The
//! stored TF-IDF rows stay what related entries read.
//!
//! Entries with fewer than `min_terms` distinct terms (title-only entries, mostly) do not take
//! part in the fit: they are assigned to the nearest topic afterwards, so that two-word titles
//! cannot pull centroids around. When a previous clustering is given, its topics are carried
//! over: old entries keep their topics and new ones join the topic whose old members are nearest
//! in the new space, so a rebuild of the same archive gives the same topics, and one issue added
//! moves only the topics its entries join.
//!
//! A fresh fit (each k tried) runs linfa's Lloyd steps with Elkan's bounds ([`lloyd`]), which give
//! linfa's centroids bit for bit but skip the distances that cannot change a row's centroid;
//! linfa runs the steps from a sample's centroids over every entry (an archive of more than
//! `search_sample` entries) and the splits of oversized topics, and is what the tests compare
//! against.
//!
//! linfa and ndarray live in this module only.

use linfa::prelude::*;
use linfa::DatasetBase;
use linfa_clustering::{KMeans, KMeansInit};
use linfa_linalg::cholesky::Cholesky;
use linfa_linalg::eigh::{EigSort, Eigh};
use linfa_linalg::Order;
use linfa_nn::distance::Distance;
use ndarray::{Array1, Array2, ArrayView, Axis};
use rand::distributions::{Distribution, WeightedIndex};
use rand_xoshiro::rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::vectorize::SparseVector;

mod lloyd;

/// Power iterations of the randomized SVD: each sharpens the top singular directions. Three
/// gave topics as coherent as four over five seeds, and steadier as the archive grows
/// (QUALITY.md, "Power iterations").
const POWER_ITERATIONS: usize = 3;

fn fx_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    text.hash(&mut hasher);
    hasher.finish()
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// BM25's term-frequency saturation and length normalisation, at the usual values: the
/// measured alternatives (k1 0.5 or 2, b 0.3 or 1) were no better (QUALITY.md).
const BM25_K1: f64 = 1.2;
const BM25_B: f64 = 0.75;

/// How each entry's terms are weighted before the reduction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weighting {
    /// The stored TF-IDF rows as they are: the baseline.
    TfIdf,
    /// BM25 (k1 1.2, b 0.75) over the raw counts, rows scaled to unit length.
    Bm25,
}

/// What a clustering is asked for. [`ClusterParams::check`] validates it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterParams {
    /// The number of topics, 2 to [`MAX_K`], and fewer than the entries clustered; `None`
    /// chooses it over `k_range`.
    pub k: Option<usize>,
    /// The candidates for k when it is chosen: first, last, step.
    pub k_range: (usize, usize, usize),
    /// Dimensions of the LSA space, 2 to [`MAX_DIMS`] (on an archive with no more entries to
    /// cluster than that, one fewer than those entries: a space cannot have more); 0 clusters the
    /// weighted rows themselves (with [`Weighting::TfIdf`] and `min_share` 0, the baseline a
    /// reduction has to beat).
    pub dims: usize,
    /// How the terms are weighted.
    pub weighting: Weighting,
    /// Terms in less than this share of the entries are left out of the rows clustered (0 keeps
    /// the whole vocabulary). The default, 0.25% (10 entries of the real archive's 3,984), gave
    /// topics as coherent as the whole vocabulary at less cost (QUALITY.md); on a small archive
    /// it keeps every term.
    pub min_share: f64,
    pub seed: u64,
    /// Seeded k-means++ runs per k; the best (least inertia) is kept. One run chose topics as
    /// coherent as four over five seeds (QUALITY.md) at a quarter of the cost.
    pub runs: usize,
    /// Entries with fewer distinct terms are assigned after the fit.
    pub min_terms: usize,
    /// When k is chosen, the ks are tried on an evenly spaced sample of at most this many
    /// entries, and the chosen k is refined over all of them. 20,000 entries are five times the
    /// real archive: enough rows per topic to judge its coherence, and the search costs the
    /// same at 100,000 entries as at a million.
    pub search_sample: usize,
}

impl Default for ClusterParams {
    fn default() -> Self {
        ClusterParams {
            k: None,
            k_range: (12, 40, 4),
            dims: 30,
            weighting: Weighting::Bm25,
            min_share: 0.0025,
            seed: 42,
            runs: 1,
            min_terms: 5,
            search_sample: 20_000,
        }
    }
}

/// The most topics that may be asked for: the editor reads every topic, and the real archive's
/// coherence peaks between 12 and 40 (QUALITY.md).
pub const MAX_K: usize = 200;

/// The most dimensions the LSA space may have. The measured ones ran to 200 (6.6 s at 100 on the
/// real archive, QUALITY.md); the cost grows with the square of the dimensions, so a space of
/// thousands took minutes for no better topics.
pub const MAX_DIMS: usize = 300;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClusterParamsError {
    #[error("k must be at least 2 (got {0})")]
    KTooSmall(usize),
    #[error("k must be at most {MAX_K} (got {0})")]
    KTooLarge(usize),
    #[error("the k range {0}..={1} step {2} is empty or starts below 2")]
    BadRange(usize, usize, usize),
    #[error("the LSA space needs at least 2 dimensions, or 0 for none (got {0})")]
    TooFewDims(usize),
    #[error("the LSA space may have at most {MAX_DIMS} dimensions (got {0})")]
    TooManyDims(usize),
    #[error("at least one k-means run is needed")]
    NoRuns,
    #[error("the share of entries a clustered term needs must be in [0, 1) (got {0})")]
    BadMinShare(f64),
    #[error("the sample the ks are tried on needs at least 100 entries (got {0})")]
    SmallSearchSample(usize),
}

/// Parameters that passed [`ClusterParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedClusterParams(ClusterParams);

impl ClusterParams {
    pub fn check(self) -> Result<CheckedClusterParams, ClusterParamsError> {
        if let Some(k) = self.k {
            if k < 2 {
                return Err(ClusterParamsError::KTooSmall(k));
            }
            if k > MAX_K {
                return Err(ClusterParamsError::KTooLarge(k));
            }
        }
        let (first, last, step) = self.k_range;
        if first < 2 || last < first || step == 0 {
            return Err(ClusterParamsError::BadRange(first, last, step));
        }
        if self.dims == 1 {
            return Err(ClusterParamsError::TooFewDims(self.dims));
        }
        if self.dims > MAX_DIMS {
            return Err(ClusterParamsError::TooManyDims(self.dims));
        }
        if self.runs == 0 {
            return Err(ClusterParamsError::NoRuns);
        }
        if !(0.0..1.0).contains(&self.min_share) {
            return Err(ClusterParamsError::BadMinShare(self.min_share));
        }
        if self.search_sample < 100 {
            return Err(ClusterParamsError::SmallSearchSample(self.search_sample));
        }
        Ok(CheckedClusterParams(self))
    }
}

/// The scores of one k, as tried.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KScore {
    /// The k asked of k-means.
    pub k: usize,
    /// The topics kept: k plus the splits of oversized topics.
    pub topics: usize,
    /// Mean NPMI of the topics' top-10 terms.
    pub npmi: f64,
    /// Mean simplified cosine silhouette (own centroid against the nearest other).
    pub silhouette: f64,
    /// The largest topic's share of the entries.
    pub largest_share: f64,
}

/// One topic.
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    pub id: u32,
    pub size: u32,
    /// Most distinctive terms, class-based TF-IDF order.
    pub terms: Vec<String>,
    /// Rows of the three entries nearest the centroid.
    pub central: Vec<usize>,
    pub npmi: f64,
}

/// A fitted clustering.
#[derive(Debug, Clone, PartialEq)]
pub struct Clustering {
    /// The topic of each entry row (`None` for an empty row).
    pub assignments: Vec<Option<u32>>,
    pub topics: Vec<Topic>,
    /// What was tried when k was chosen (one row when it was given).
    pub scores: Vec<KScore>,
    /// The cosine silhouette of the kept clustering.
    pub silhouette: f64,
}

/// What the clustering reads about each entry.
pub struct Corpus<'a> {
    pub vectors: &'a [SparseVector],
    /// Raw term counts per entry row, (term index, count).
    pub counts: &'a [Vec<(u32, u32)>],
    pub terms: &'a [String],
}

/// Why [`CheckedClusterParams::fit`] found no topics.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unclustered {
    /// Too few entries hold enough terms for any k tried (a small archive): there are no topics
    /// to find, which is not an error.
    #[error(
        "too few entries to find topics in: {clusterable} with at least {min_terms} terms, and \
         every k tried needs more"
    )]
    TooFewEntries { clusterable: usize, min_terms: usize },
    /// The k asked for needs more entries than k-means is fitted on.
    #[error(
        "k = {k} topics need more than {k} entries with at least {min_terms} terms; k-means is \
         fitted on {clusterable}"
    )]
    KExceedsEntries {
        k: usize,
        clusterable: usize,
        min_terms: usize,
    },
}

/// What a rebuild carries over from the previous store's topics (see [`CheckedClusterParams::fit`]).
#[derive(Debug, Clone, Copy)]
pub struct Previous<'a> {
    /// Each entry row's topic in the previous store (`None` where the entry is new).
    pub assignments: &'a [Option<u32>],
    /// The previous topics, topic `i` at index `i`.
    pub topics: &'a [PreviousTopic],
    /// The scores that chose their k, kept as they were: k is not chosen again.
    pub scores: &'a [KScore],
}

/// One topic of the previous store.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviousTopic {
    /// Its entries in the previous store, those gone since included.
    pub size: u32,
    /// Its central entries, as rows of this corpus (`None` where the entry is gone).
    pub central: Vec<Option<usize>>,
}

impl CheckedClusterParams {
    /// Clusters the rows of `corpus`.
    ///
    /// With `previous` (and no other k asked for) the previous topics are carried over: an entry
    /// that had a topic keeps it, a new entry joins the topic whose old members are nearest in
    /// the new space, and a topic the new entries push above 10% of the entries is split as in
    /// a fresh fit. The labels, sizes, coherence and silhouette are computed again from the
    /// members; a topic whose members are all as they were keeps its central entries, the others
    /// take the members nearest their mean; the scores that chose k are kept. So a rebuild of an
    /// unchanged archive gives back the previous clustering whether that came from a fresh fit
    /// or a rebuild, and new entries move only the topics they join. Where the previous topics
    /// cannot be carried over (a topic with no member left in the space), the fit is fresh.
    ///
    /// A k given in the parameters that is not below the number of entries k-means is fitted on
    /// is an error ([`Unclustered::KExceedsEntries`]) rather than no topics: the caller asked for
    /// topics and must not get a store without them.
    pub fn fit(
        &self,
        corpus: &Corpus<'_>,
        previous: Option<&Previous<'_>>,
    ) -> Result<Clustering, Unclustered> {
        let p = &self.0;
        let live: Vec<usize> = (0..corpus.vectors.len())
            .filter(|&r| !corpus.vectors[r].indices.is_empty())
            .collect();
        let docs = DocSets::new(corpus.vectors);
        let min_df = (p.min_share * docs.documents).ceil().max(1.0) as u32;
        let (rows, terms) = weigh(corpus, &docs, p.weighting, min_df);
        // Counted on the rows clustered: terms pruned away do not make an entry long.
        let fit_rows: Vec<usize> = live
            .iter()
            .copied()
            .filter(|&r| rows[r].indices.len() >= p.min_terms)
            .collect();
        let too_few = |clusterable: usize| match p.k {
            Some(k) => Unclustered::KExceedsEntries {
                k,
                clusterable,
                min_terms: p.min_terms,
            },
            None => Unclustered::TooFewEntries {
                clusterable,
                min_terms: p.min_terms,
            },
        };
        if fit_rows.len() < 4 || p.k.is_some_and(|k| k >= fit_rows.len()) {
            return Err(too_few(fit_rows.len()));
        }
        let embedded = if p.dims == 0 {
            dense(&rows, terms.len())
        } else {
            lsa(&rows, &terms, p.dims.min(fit_rows.len() - 1), p.seed)
        };

        let space = Space {
            embedded,
            rows,
            corpus,
            docs: &docs,
            p,
        };
        // The previous topics are carried over unless another k is asked for.
        let carried = previous
            .filter(|prev| p.k.is_none_or(|k| k == prev.topics.len()))
            .and_then(|prev| space.carry(prev, &live));
        if let Some(carried) = carried {
            return Ok(carried);
        }
        let candidates: Vec<usize> = match p.k {
            Some(k) => vec![k],
            None => (p.k_range.0..=p.k_range.1).step_by(p.k_range.2).collect(),
        };

        // Each k is tried on an evenly spaced sample of the entries (all of them up to
        // `search_sample`), the ks side by side on every core.
        let step = live.len().div_ceil(p.search_sample).max(1);
        let search_live: Vec<usize> = live.iter().copied().step_by(step).collect();
        let search_fit: Vec<usize> = search_live
            .iter()
            .copied()
            .filter(|&r| space.rows[r].indices.len() >= p.min_terms)
            .collect();
        if p.k.is_some_and(|k| k >= search_fit.len()) {
            return Err(too_few(search_fit.len()));
        }
        let tried: Vec<Tried> = candidates
            .par_iter()
            .filter(|&&k| k < search_fit.len())
            .map(|&k| space.try_k(k, Start::Fresh(k), &search_fit, &search_live))
            .collect();
        // The most coherent topics, among the ks that keep every topic under a tenth; the
        // first such k on a tie.
        let rank = |t: &Tried| {
            t.score.npmi
                - if t.score.largest_share > MAX_TOPIC_SHARE {
                    1.0
                } else {
                    0.0
                }
        };
        let best = tried
            .iter()
            .enumerate()
            .max_by(|(i, a), (j, b)| rank(a).total_cmp(&rank(b)).then(j.cmp(i)))
            .ok_or_else(|| too_few(search_fit.len()))?
            .0;
        let scores: Vec<KScore> = tried.iter().map(|t| t.score.clone()).collect();
        let mut kept = tried
            .into_iter()
            .nth(best)
            .ok_or_else(|| too_few(search_fit.len()))?;
        if step > 1 {
            // Fitted on a sample: Lloyd steps over every entry from the sample's centroids.
            let start = Start::From(kept.centroids, REFINE_ITERATIONS);
            kept = space.try_k(kept.score.k, start, &fit_rows, &live);
        }
        let central = space.central(&kept.centroids, &kept.labels, &live);
        Ok(space.describe(kept.labels, central, scores, &live))
    }
}

/// Lloyd steps over every entry after a k was chosen on a sample.
const REFINE_ITERATIONS: u64 = 10;

/// One k tried: its topics over the rows it was tried on, and their scores.
struct Tried {
    labels: Vec<u32>,
    centroids: Array2<f64>,
    score: KScore,
}

/// What every k tried reads: the rows clustered and their embedding, the corpus and its
/// document sets, the parameters.
struct Space<'a> {
    embedded: Array2<f64>,
    rows: Vec<SparseVector>,
    corpus: &'a Corpus<'a>,
    docs: &'a DocSets,
    p: &'a ClusterParams,
}

impl Space<'_> {
    /// k-means from `start` over `fit_rows`, every row of `live` placed (those without clustered
    /// terms by the terms they share), oversized topics split, and the result scored as the `k`
    /// asked for.
    fn try_k(&self, k: usize, start: Start, fit_rows: &[usize], live: &[usize]) -> Tried {
        let (nearest, centroids) = kmeans(&self.embedded, fit_rows, live, start, self.p);
        let fitted = centroids.nrows();
        let labels = nearest.iter().map(|n| n.topic).collect();
        let (mut labels, centroids) = split_oversized(labels, centroids, &self.embedded, live, self.p.seed);
        // A split adds centroids: the rows are measured against them all again.
        let nearest = if centroids.nrows() == fitted {
            nearest
        } else {
            nearest_centroids(&centroids, &self.embedded, live)
        };
        place_by_shared_terms(
            &mut labels,
            live,
            &unembedded(live, &self.rows),
            self.corpus.counts,
            centroids.nrows(),
        );
        let score = score(
            k,
            &labels,
            centroids.nrows(),
            &nearest,
            live,
            self.corpus,
            self.docs,
        );
        Tried {
            labels,
            centroids,
            score,
        }
    }

    /// Whether the live row `r` takes part in k-means (it has enough clustered terms).
    fn fits(&self, r: usize) -> bool {
        self.rows[r].indices.len() >= self.p.min_terms
    }

    /// The previous topics carried over (see [`CheckedClusterParams::fit`]); `None` when a
    /// previous topic has no member left with a place in the space, or there is none.
    fn carry(&self, prev: &Previous<'_>, live: &[usize]) -> Option<Clustering> {
        let k = prev.topics.len();
        if k == 0 {
            return None;
        }
        let old: Vec<Option<u32>> = live
            .iter()
            .map(|&r| {
                let topic = prev.assignments.get(r).copied().flatten();
                topic.filter(|&t| (t as usize) < k)
            })
            .collect();
        // The old members in the new space: where new entries go.
        let (centroids, members) = self.member_means(&old, live, k);
        if members.contains(&0) {
            return None;
        }
        let norms = norms(&centroids);
        let mut unembedded = Vec::new();
        let mut labels: Vec<u32> = old
            .iter()
            .zip(live)
            .enumerate()
            .map(|(i, (&topic, &r))| match topic {
                Some(t) => t,
                None if self.rows[r].indices.is_empty() => {
                    unembedded.push(i);
                    0
                }
                None => nearest(&centroids, &norms, self.embedded.row(r)).topic,
            })
            .collect();
        place_by_shared_terms(&mut labels, live, &unembedded, self.corpus.counts, k);
        let (labels, centroids) = split_oversized(labels, centroids, &self.embedded, live, self.p.seed);
        let topics = centroids.nrows();
        // A topic is as it was when it holds the same entries: none joined it, none left it for
        // a split, none is gone from the archive (its old members here are as many as it had).
        let mut same = vec![true; topics];
        let mut stayed = vec![0u32; k];
        for (&now, &was) in labels.iter().zip(&old) {
            match was {
                Some(was) if was == now => stayed[was as usize] += 1,
                Some(was) => {
                    same[was as usize] = false;
                    same[now as usize] = false;
                }
                None => same[now as usize] = false,
            }
        }
        same[k..].fill(false);
        for ((same, topic), &stayed) in same.iter_mut().zip(prev.topics).zip(&stayed) {
            *same &= stayed == topic.size && topic.central.iter().all(Option::is_some);
        }
        // The others are described by the mean of their members now, as a fresh fit describes
        // its topics by their centroids.
        let labelled: Vec<Option<u32>> = labels.iter().copied().map(Some).collect();
        let (means, _) = self.member_means(&labelled, live, topics);
        let mut central = self.central(&means, &labels, live);
        for (t, topic) in prev.topics.iter().enumerate().filter(|&(t, _)| same[t]) {
            central[t] = topic.central.iter().flatten().copied().collect();
        }
        Some(self.describe(labels, central, prev.scores.to_vec(), live))
    }

    /// The mean of each topic's members among the fit rows, or among all its members with a
    /// place in the space where it has no fit row, with the number of rows each mean is over.
    fn member_means(&self, labels: &[Option<u32>], live: &[usize], k: usize) -> (Array2<f64>, Vec<usize>) {
        let mut sums = Array2::<f64>::zeros((k, self.embedded.ncols()));
        let mut members = vec![0usize; k];
        for fit in [true, false] {
            let wanted: Vec<bool> = members.iter().map(|&m| fit || m == 0).collect();
            for (&topic, &r) in labels.iter().zip(live) {
                let Some(t) = topic.map(|t| t as usize) else {
                    continue;
                };
                let placed = if fit {
                    self.fits(r)
                } else {
                    !self.rows[r].indices.is_empty()
                };
                if wanted[t] && placed {
                    sums.row_mut(t).scaled_add(1.0, &self.embedded.row(r));
                    members[t] += 1;
                }
            }
            if !members.contains(&0) {
                break;
            }
        }
        for (mut row, &n) in sums.axis_iter_mut(Axis(0)).zip(&members) {
            if n > 0 {
                row /= n as f64;
            }
        }
        (sums, members)
    }

    /// Each topic's three fit rows nearest its centroid by cosine (the first row on a tie).
    fn central(&self, centroids: &Array2<f64>, labels: &[u32], live: &[usize]) -> Vec<Vec<usize>> {
        let norms = norms(centroids);
        let mut central: Vec<Vec<(f64, usize)>> = vec![Vec::new(); centroids.nrows()];
        for (&l, &r) in labels.iter().zip(live) {
            if self.fits(r) {
                let cos = centroids.row(l as usize).dot(&self.embedded.row(r)) / norms[l as usize];
                central[l as usize].push((cos, r));
            }
        }
        central
            .into_iter()
            .map(|mut nearest| {
                nearest.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                nearest.into_iter().take(3).map(|(_, r)| r).collect()
            })
            .collect()
    }

    /// The kept topics as stored: each entry's topic (`labels`, one per `live` row), each
    /// topic's size, label terms, `central` rows and coherence, with `scores` (every k tried)
    /// and the silhouette. Everything but `central` and `scores` follows from the members.
    fn describe(
        &self,
        labels: Vec<u32>,
        central: Vec<Vec<usize>>,
        scores: Vec<KScore>,
        live: &[usize],
    ) -> Clustering {
        let (corpus, docs) = (self.corpus, self.docs);
        let k = central.len();
        let tops = class_tfidf(&labels, live, k, corpus.counts, 10, docs);
        let mut assignments = vec![None; corpus.vectors.len()];
        let mut sizes = vec![0u32; k];
        for (&l, &r) in labels.iter().zip(live) {
            assignments[r] = Some(l);
            sizes[l as usize] += 1;
        }
        let topics = central
            .into_iter()
            .enumerate()
            .map(|(t, central)| Topic {
                id: t as u32,
                size: sizes[t],
                terms: tops[t]
                    .iter()
                    .map(|&i| corpus.terms[i as usize].clone())
                    .collect(),
                central,
                npmi: round(docs.npmi(&tops[t])),
            })
            .collect();
        Clustering {
            assignments,
            topics,
            scores,
            silhouette: round(full_silhouette(&labels, &self.embedded, live)),
        }
    }
}

/// The rows to cluster, over the terms in at least `min_df` entries (renumbered), with those terms'
/// names: the TF-IDF rows or BM25 rows from the raw counts, each scaled to unit length.
fn weigh(
    corpus: &Corpus<'_>,
    docs: &DocSets,
    weighting: Weighting,
    min_df: u32,
) -> (Vec<SparseVector>, Vec<String>) {
    let df = |t: u32| docs.by_term.get(&t).map_or(0, Vec::len) as f64;
    let mut renumber = vec![None; corpus.terms.len()];
    let mut terms = Vec::new();
    for (t, term) in corpus.terms.iter().enumerate() {
        if df(t as u32) >= f64::from(min_df) {
            renumber[t] = Some(terms.len() as u32);
            terms.push(term.clone());
        }
    }
    let lengths: Vec<f64> = corpus
        .counts
        .iter()
        .map(|c| c.iter().map(|&(_, n)| f64::from(n)).sum())
        .collect();
    let mean_length = lengths.iter().sum::<f64>() / docs.documents.max(1.0);
    let n = docs.documents;
    let rows = corpus
        .vectors
        .iter()
        .zip(corpus.counts)
        .zip(&lengths)
        .map(|((tfidf, counts), &length)| {
            let weighted: Vec<(u32, f64)> = match weighting {
                Weighting::TfIdf => tfidf
                    .indices
                    .iter()
                    .zip(&tfidf.values)
                    .map(|(&t, &w)| (t, f64::from(w)))
                    .collect(),
                Weighting::Bm25 => counts
                    .iter()
                    .map(|&(t, c)| {
                        let d = df(t);
                        let idf = (1.0 + (n - d + 0.5) / (d + 0.5)).ln();
                        let c = f64::from(c);
                        let norm = BM25_K1 * (1.0 - BM25_B + BM25_B * length / mean_length);
                        (t, idf * c * (BM25_K1 + 1.0) / (c + norm))
                    })
                    .collect(),
            };
            let kept: Vec<(u32, f64)> = weighted
                .into_iter()
                .filter_map(|(t, w)| Some((renumber[t as usize]?, w)))
                .collect();
            let norm = kept.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
            SparseVector {
                indices: kept.iter().map(|&(t, _)| t).collect(),
                values: kept.iter().map(|&(_, w)| (w / norm.max(1e-12)) as f32).collect(),
            }
        })
        .collect();
    (rows, terms)
}

/// The entries none of whose terms is left in the clustered rows (all pruned), as indices
/// into `live`: they have no place in the space.
fn unembedded(live: &[usize], rows: &[SparseVector]) -> Vec<usize> {
    (0..live.len())
        .filter(|&i| rows[live[i]].indices.is_empty())
        .collect()
}

/// Places the entries `empty` (indices into `live`, in order), which have no place in the space:
/// each joins the topic whose other entries hold its terms most often, as a share of the topic's
/// entries (the lowest id on a tie; the largest topic when no term is shared).
fn place_by_shared_terms(
    labels: &mut [u32],
    live: &[usize],
    empty: &[usize],
    counts: &[Vec<(u32, u32)>],
    k: usize,
) {
    if empty.is_empty() {
        return;
    }
    let mut unplaced = vec![false; live.len()];
    for &i in empty {
        unplaced[i] = true;
    }
    // Only the terms the unplaced entries hold are counted, each in a slot of its own.
    let mut slot: FxHashMap<u32, usize> = FxHashMap::default();
    for &i in empty {
        for &(t, _) in &counts[live[i]] {
            let next = slot.len();
            slot.entry(t).or_insert(next);
        }
    }
    let width = slot.len();
    // How many of each topic's entries hold each counted term.
    let mut holders = vec![0.0f64; k * width];
    let mut sizes = vec![0.0f64; k];
    for i in (0..live.len()).filter(|&i| !unplaced[i]) {
        let topic = labels[i] as usize;
        sizes[topic] += 1.0;
        for (t, _) in &counts[live[i]] {
            if let Some(&s) = slot.get(t) {
                holders[topic * width + s] += 1.0;
            }
        }
    }
    let largest = (0..k)
        .max_by(|&a, &b| sizes[a].total_cmp(&sizes[b]).then(b.cmp(&a)))
        .unwrap_or(0);
    for &i in empty {
        let mut best = (largest, 0.0);
        for topic in 0..k {
            let held: f64 = counts[live[i]]
                .iter()
                .map(|(t, _)| holders[topic * width + slot[t]])
                .sum();
            let share = held / sizes[topic].max(1.0);
            if share > best.1 {
                best = (topic, share);
            }
        }
        labels[i] = best.0 as u32;
    }
}

/// The rows as they are, dense (they are unit length already).
fn dense(vectors: &[SparseVector], vocabulary: usize) -> Array2<f64> {
    let mut out = Array2::<f64>::zeros((vectors.len(), vocabulary));
    for (r, v) in vectors.iter().enumerate() {
        for (&t, &w) in v.indices.iter().zip(&v.values) {
            out[[r, t as usize]] = f64::from(w);
        }
    }
    out
}

/// The sparse matrix with rows `rows` times the dense `m`, row by row on every core (over plain
/// slices: ndarray's per-row views cost more than the few products each row holds).
fn sparse_times(rows: &[SparseVector], m: &Array2<f64>) -> Array2<f64> {
    let width = m.ncols();
    let mut out = vec![0.0; rows.len() * width];
    let m = m.as_standard_layout();
    let m = m.as_slice().expect("a standard-layout array is one slice");
    if width > 0 {
        out.par_chunks_mut(width)
            .zip(rows.par_iter())
            .for_each(|(row, v)| {
                for (&t, &w) in v.indices.iter().zip(&v.values) {
                    let w = f64::from(w);
                    let from = &m[t as usize * width..][..width];
                    for (o, x) in row.iter_mut().zip(from) {
                        *o += w * x;
                    }
                }
            });
    }
    Array2::from_shape_vec((rows.len(), width), out).expect("rows × width values")
}

/// An orthonormal basis of the column space of `m` (n × l, n ≫ l): Cholesky QR, twice (the
/// second pass restores the orthogonality the first loses to rounding), whose work is two
/// matrix products; a block too ill-conditioned for it (or with dependent columns) goes to
/// [`gram_schmidt`].
fn orthonormal_columns(m: &Array2<f64>) -> Array2<f64> {
    let pass = |m: &Array2<f64>| -> Option<Array2<f64>> {
        // MᵀM = L Lᵀ, so M = Q Lᵀ and Q = M (L⁻¹)ᵀ.
        let lower = m.t().dot(m).cholesky().ok()?;
        let inverse = lower_inverse(&lower)?;
        Some(m.dot(&inverse.t()))
    };
    pass(m).and_then(|q| pass(&q)).unwrap_or_else(|| gram_schmidt(m))
}

/// The inverse of a lower-triangular Cholesky factor, by forward substitution; `None` when a
/// diagonal entry is below 1e-7 of the largest (the block's condition number above about 1e7,
/// where Cholesky QR loses its accuracy).
fn lower_inverse(lower: &Array2<f64>) -> Option<Array2<f64>> {
    let l = lower.nrows();
    let largest = (0..l).map(|i| lower[[i, i]]).fold(0.0f64, f64::max);
    if (0..l).any(|i| lower[[i, i]].is_nan() || lower[[i, i]] <= 1e-7 * largest) {
        return None;
    }
    let mut inverse = Array2::<f64>::zeros((l, l));
    for j in 0..l {
        for i in j..l {
            let rhs = if i == j { 1.0 } else { 0.0 };
            let sum: f64 = (j..i).map(|k| lower[[i, k]] * inverse[[k, j]]).sum();
            inverse[[i, j]] = (rhs - sum) / lower[[i, i]];
        }
    }
    inverse.iter().all(|x| x.is_finite()).then_some(inverse)
}

/// An orthonormal basis of the column space of `m`: modified Gram–Schmidt, run
/// twice over each column ("twice is enough" keeps it orthogonal to working precision, as
/// Householder QR would). A column that depends on the ones before it comes out zero.
fn gram_schmidt(m: &Array2<f64>) -> Array2<f64> {
    let mut t = m.t().as_standard_layout().into_owned();
    for j in 0..t.nrows() {
        let (done, mut rest) = t.view_mut().split_at(Axis(0), j);
        let mut column = rest.row_mut(0);
        let before = column.dot(&column).sqrt();
        for _ in 0..2 {
            for basis in done.rows() {
                let projection = basis.dot(&column);
                column.scaled_add(-projection, &basis);
            }
        }
        let after = column.dot(&column).sqrt();
        if after > 1e-10 * before {
            column /= after;
        } else {
            column.fill(0.0);
        }
    }
    t.t().as_standard_layout().into_owned()
}

/// Rows of `vectors` projected on the top `dims` singular directions (randomized SVD with
/// [`POWER_ITERATIONS`] power iterations), each row scaled to unit length.
fn lsa(vectors: &[SparseVector], terms: &[String], dims: usize, seed: u64) -> Array2<f64> {
    let n = vectors.len();
    let vocabulary = terms.len();
    let l = (dims + 10).min(vocabulary.max(1));
    // The random test matrix is drawn per term, not per column index: a term keeps its random
    // row when the vocabulary around it changes, so a rebuild finds (nearly) the same space.
    let mut omega = Array2::<f64>::zeros((vocabulary, l));
    for (t, term) in terms.iter().enumerate() {
        let mut state = seed ^ fx_hash(term);
        for j in 0..l {
            state = splitmix64(state);
            omega[[t, j]] = (state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0;
        }
    }
    // Aᵀ as rows too (each term's entries, in row order), so that both products run row by row
    // on every core and add in the same order as a serial pass would.
    let mut transposed = vec![SparseVector::default(); vocabulary];
    for (r, v) in vectors.iter().enumerate() {
        for (&t, &w) in v.indices.iter().zip(&v.values) {
            transposed[t as usize].indices.push(r as u32);
            transposed[t as usize].values.push(w);
        }
    }
    let a_times = |m: &Array2<f64>| sparse_times(vectors, m);
    let at_times = |m: &Array2<f64>| sparse_times(&transposed, m);
    let mut q = orthonormal_columns(&a_times(&omega));
    for _ in 0..POWER_ITERATIONS {
        let z = orthonormal_columns(&at_times(&q));
        q = orthonormal_columns(&a_times(&z));
    }
    // B = Qᵀ A; the left singular vectors of B come from the eigenvectors of B Bᵀ.
    let b_t = at_times(&q);
    let bbt = b_t.t().dot(&b_t);
    let (values, vectors_b) = match bbt.eigh() {
        Ok(e) => e.sort_eig(Order::Largest),
        Err(_) => return Array2::zeros((n, 1)),
    };
    let keep = dims.min(values.len());
    let sigma: Array1<f64> = values.iter().take(keep).map(|v| v.max(0.0).sqrt()).collect();
    let u_b = vectors_b.select(Axis(1), &(0..keep).collect::<Vec<_>>());
    let mut embedded = q.dot(&u_b) * &sigma;
    for mut row in embedded.axis_iter_mut(Axis(0)) {
        let norm = row.dot(&row).sqrt();
        if norm > 0.0 {
            row /= norm;
        }
    }
    embedded
}

/// Euclidean distance for k-means, as linfa's `L2Dist` measures it, over contiguous rows read
/// as slices with four running sums: linfa's generic version walks ndarray views element by
/// element and was most of a fresh build's time.
#[derive(Debug, Clone, Copy)]
struct Euclidean;

impl Euclidean {
    fn squared(a: &[f64], b: &[f64]) -> f64 {
        let mut sums = [0.0f64; 4];
        let (a4, a_rest) = a.split_at(a.len() - a.len() % 4);
        let (b4, b_rest) = b.split_at(a4.len());
        for (x, y) in a4.chunks_exact(4).zip(b4.chunks_exact(4)) {
            for i in 0..4 {
                let d = x[i] - y[i];
                sums[i] += d * d;
            }
        }
        let rest: f64 = a_rest.iter().zip(b_rest).map(|(x, y)| (x - y) * (x - y)).sum();
        (sums[0] + sums[1]) + (sums[2] + sums[3]) + rest
    }
}

impl Distance<f64> for Euclidean {
    fn distance<D: ndarray::Dimension>(&self, a: ArrayView<'_, f64, D>, b: ArrayView<'_, f64, D>) -> f64 {
        self.rdistance(a, b).sqrt()
    }

    fn rdistance<D: ndarray::Dimension>(&self, a: ArrayView<'_, f64, D>, b: ArrayView<'_, f64, D>) -> f64 {
        match (a.as_slice(), b.as_slice()) {
            (Some(a), Some(b)) => Euclidean::squared(a, b),
            _ => a.iter().zip(b.iter()).map(|(x, y)| (x - y) * (x - y)).sum(),
        }
    }

    fn rdist_to_dist(&self, rdist: f64) -> f64 {
        rdist.sqrt()
    }

    fn dist_to_rdist(&self, dist: f64) -> f64 {
        dist * dist
    }
}

/// Where k-means starts.
enum Start {
    /// k centroids by k-means++, the best of the runs asked for.
    Fresh(usize),
    /// These centroids, for at most this many Lloyd steps.
    From(Array2<f64>, u64),
}

/// Lloyd steps stop when the centroids move less than this (every fit), or after
/// [`MAX_STEPS`] (the fits from k-means++ seeds and the splits; steps from given centroids have
/// their own limit).
const TOLERANCE: f64 = 1e-6;
const MAX_STEPS: u64 = 200;

/// k-means over the rows to fit, then every live row measured against the centroids
/// ([`nearest_centroids`]).
///
/// A fresh fit runs linfa's Lloyd steps with Elkan's bounds ([`lloyd`]: linfa's centroids, bit
/// for bit, for a tenth of the distances); the steps from a sample's centroids run in linfa.
fn kmeans(
    embedded: &Array2<f64>,
    fit_rows: &[usize],
    live: &[usize],
    start: Start,
    p: &ClusterParams,
) -> (Vec<Nearest>, Array2<f64>) {
    let k = match &start {
        Start::Fresh(k) => *k,
        Start::From(c, _) => c.nrows(),
    };
    let records = embedded.select(Axis(0), fit_rows);
    let fitted = match start {
        // The least inertia over the runs, each seeded as linfa's own k-means++ would be.
        Start::Fresh(_) => {
            let mut rng = Xoshiro256Plus::seed_from_u64(p.seed ^ k as u64);
            // A run without a finite inertia is dropped, as linfa drops it.
            (0..p.runs)
                .map(|_| lloyd::fit(&records, plus_plus(&records, k, &mut rng), MAX_STEPS, TOLERANCE))
                .filter(|fit| fit.inertia.is_finite())
                .reduce(|best, fit| if fit.inertia < best.inertia { fit } else { best })
                .map(|best| best.centroids)
        }
        Start::From(init, steps) => linfa_steps(records, init, steps).map(|m| m.centroids().clone()),
    };
    let centroids = fitted.unwrap_or_else(|| embedded.select(Axis(0), &fit_rows[..k.min(fit_rows.len())]));
    (nearest_centroids(&centroids, embedded, live), centroids)
}

/// linfa's Lloyd steps from `init` over `records`, at most `max_steps` of them: the steps from
/// given centroids, and the reference [`lloyd`] is tested against. (linfa asks for a generator,
/// which draws nothing from given centroids.)
fn linfa_steps(records: Array2<f64>, init: Array2<f64>, max_steps: u64) -> Option<KMeans<f64, Euclidean>> {
    KMeans::params_with(init.nrows(), Xoshiro256Plus::seed_from_u64(0), Euclidean)
        .n_runs(1)
        .init_method(KMeansInit::Precomputed(init))
        .max_n_iterations(max_steps)
        .tolerance(TOLERANCE)
        .fit(&DatasetBase::from(records))
        .ok()
}

/// Each live row's [`nearest`] centroid.
fn nearest_centroids(centroids: &Array2<f64>, embedded: &Array2<f64>, live: &[usize]) -> Vec<Nearest> {
    let norms = norms(centroids);
    live.par_iter()
        .map(|&r| nearest(centroids, &norms, embedded.row(r)))
        .collect()
}

/// k-means++ seeding, drawing what linfa's `KMeansInit::KMeansPlusPlus` draws from the same
/// generator (so the same centroids), but keeping each row's squared distance to its nearest
/// centroid as centroids are added: n·k distances instead of linfa's n·k²/2.
fn plus_plus(records: &Array2<f64>, k: usize, rng: &mut Xoshiro256Plus) -> Array2<f64> {
    let (n, width) = records.dim();
    let mut centroids = Array2::<f64>::zeros((k, width));
    let first = WeightedIndex::new(std::iter::repeat_n(1.0f64, n)).map_or(0, |w| w.sample(rng));
    centroids.row_mut(0).assign(&records.row(first));
    let mut nearest = vec![f64::INFINITY; n];
    for c in 1..k {
        let newest = centroids.row(c - 1);
        let newest = newest.as_slice().expect("a row of a standard-layout array");
        nearest
            .par_iter_mut()
            .zip(records.axis_iter(Axis(0)).into_par_iter())
            .for_each(|(d, row)| {
                let row = row.as_slice().expect("a row of a standard-layout array");
                *d = d.min(Euclidean::squared(newest, row));
            });
        // All rows on a centroid already: any row will do, as in linfa.
        let pick = WeightedIndex::new(&nearest).map_or(0, |w| w.sample(rng));
        centroids.row_mut(c).assign(&records.row(pick));
    }
    centroids
}

/// The largest share of the entries one topic may hold; a larger topic is split in two.
const MAX_TOPIC_SHARE: f64 = 0.10;

/// Splits, with 2-means, every topic holding more than [`MAX_TOPIC_SHARE`] of the entries (a
/// bisecting step: k-means over short texts tends to leave one catch-all topic). The new topic
/// takes the next id; rows outside the split topic keep theirs.
fn split_oversized(
    mut labels: Vec<u32>,
    mut centroids: Array2<f64>,
    embedded: &Array2<f64>,
    live: &[usize],
    seed: u64,
) -> (Vec<u32>, Array2<f64>) {
    let limit = (MAX_TOPIC_SHARE * labels.len() as f64).floor() as usize;
    for _ in 0..MAX_SPLITS {
        let k = centroids.nrows();
        let mut sizes = vec![0usize; k];
        for &l in &labels {
            sizes[l as usize] += 1;
        }
        let Some((largest, &size)) = sizes
            .iter()
            .enumerate()
            .max_by_key(|&(c, &n)| (n, std::cmp::Reverse(c)))
        else {
            break;
        };
        if size <= limit || size < 4 {
            break;
        }
        let members: Vec<usize> = (0..labels.len())
            .filter(|&i| labels[i] == largest as u32)
            .collect();
        let rows: Vec<usize> = members.iter().map(|&i| live[i]).collect();
        let records = embedded.select(Axis(0), &rows);
        let model = KMeans::params_with(
            2,
            Xoshiro256Plus::seed_from_u64(seed ^ (k as u64) << 8),
            Euclidean,
        )
        .n_runs(3)
        .max_n_iterations(MAX_STEPS)
        .tolerance(TOLERANCE)
        .fit(&DatasetBase::from(records));
        let Ok(model) = model else { break };
        let halves = model.centroids();
        let mut grown = Array2::<f64>::zeros((k + 1, centroids.ncols()));
        grown.slice_axis_mut(Axis(0), (0..k).into()).assign(&centroids);
        grown.row_mut(largest).assign(&halves.row(0));
        grown.row_mut(k).assign(&halves.row(1));
        centroids = grown;
        let mut moved = 0;
        for (&i, &r) in members.iter().zip(&rows) {
            let row = embedded.row(r);
            let (a, b) = (halves.row(0), halves.row(1));
            let cos = |c: ndarray::ArrayView1<'_, f64>| c.dot(&row) / c.dot(&c).sqrt().max(1e-12);
            if cos(b) > cos(a) {
                labels[i] = k as u32;
                moved += 1;
            }
        }
        if moved == 0 || moved == members.len() {
            break;
        }
    }
    (labels, centroids)
}

/// At most this many splits per clustering.
const MAX_SPLITS: usize = 12;

/// The length of each centroid (at least 1e-12), which [`nearest`] divides by.
fn norms(centroids: &Array2<f64>) -> Vec<f64> {
    centroids
        .axis_iter(Axis(0))
        .map(|c| c.dot(&c).sqrt().max(1e-12))
        .collect()
}

/// A row's nearest centroid by cosine.
#[derive(Debug, Clone, Copy)]
struct Nearest {
    topic: u32,
    cosine: f64,
    /// The cosine to the next nearest centroid.
    next: f64,
}

/// The centroid nearest `row` by cosine; `norms` are the centroids' [`norms`].
fn nearest(centroids: &Array2<f64>, norms: &[f64], row: ndarray::ArrayView1<'_, f64>) -> Nearest {
    let mut best = Nearest {
        topic: 0,
        cosine: f64::NEG_INFINITY,
        next: f64::NEG_INFINITY,
    };
    for ((c, centroid), norm) in centroids.axis_iter(Axis(0)).enumerate().zip(norms) {
        let cos = centroid.dot(&row) / norm;
        if cos > best.cosine {
            best = Nearest {
                topic: c as u32,
                cosine: cos,
                next: best.cosine,
            };
        } else if cos > best.next {
            best.next = cos;
        }
    }
    best
}

/// Which entries hold each term, for co-occurrence.
struct DocSets {
    by_term: FxHashMap<u32, Vec<u32>>,
    /// Rows with terms.
    documents: f64,
    /// Rows in all, the empty ones included.
    rows: usize,
    /// The terms that may label a topic (see [`class_tfidf`]), in term order.
    label_terms: Vec<u32>,
    /// Each term's place in `label_terms`, [`NOT_A_LABEL`] for the others.
    label_slot: Vec<u32>,
}

const NOT_A_LABEL: u32 = u32::MAX;

impl DocSets {
    fn new(vectors: &[SparseVector]) -> DocSets {
        let mut by_term: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        let mut documents = 0.0f64;
        for (r, v) in vectors.iter().enumerate() {
            if v.indices.is_empty() {
                continue;
            }
            documents += 1.0;
            for &t in &v.indices {
                by_term.entry(t).or_default().push(r as u32);
            }
        }
        let min_df = (documents / 200.0).max(5.0) as usize;
        let mut label_terms: Vec<u32> = by_term
            .iter()
            .filter(|(_, d)| d.len() >= min_df)
            .map(|(&t, _)| t)
            .collect();
        label_terms.sort_unstable();
        let mut label_slot = vec![NOT_A_LABEL; by_term.keys().max().map_or(0, |&t| t as usize + 1)];
        for (slot, &t) in label_terms.iter().enumerate() {
            label_slot[t as usize] = slot as u32;
        }
        DocSets {
            by_term,
            documents,
            rows: vectors.len(),
            label_terms,
            label_slot,
        }
    }

    /// Mean NPMI over the pairs of `terms`; a pair never seen together scores −1.
    fn npmi(&self, terms: &[u32]) -> f64 {
        // Each term's entries as bits, so that a pair's common entries take a few hundred ANDs.
        let sets: Vec<(usize, Vec<u64>)> = terms
            .iter()
            .map(|t| {
                let rows = self.by_term.get(t).map_or(&[][..], Vec::as_slice);
                let mut bits = vec![0u64; self.rows.div_ceil(64)];
                for &r in rows {
                    bits[r as usize / 64] |= 1 << (r % 64);
                }
                (rows.len(), bits)
            })
            .collect();
        let mut sum = 0.0;
        let mut pairs = 0.0;
        for (i, (na, a)) in sets.iter().enumerate() {
            for (nb, b) in &sets[i + 1..] {
                let both: u32 = a.iter().zip(b).map(|(x, y)| (x & y).count_ones()).sum();
                let both = f64::from(both);
                let (pa, pb, pab) = (
                    *na as f64 / self.documents,
                    *nb as f64 / self.documents,
                    both / self.documents,
                );
                sum += if both == 0.0 {
                    -1.0
                } else if pab >= 1.0 {
                    1.0
                } else {
                    (pab / (pa * pb)).ln() / -pab.ln()
                };
                pairs += 1.0;
            }
        }
        if pairs == 0.0 {
            0.0
        } else {
            sum / pairs
        }
    }
}

/// Class-based TF-IDF: each topic's entries taken as one document against the rest. Returns the
/// term indices of each topic, most distinctive first.
///
/// A term's frequency in a topic is the number of the topic's entries that hold it, not its
/// count: a term an entry repeats (in the Chinese text and again in the translation, or in a
/// title and its description) says no more about the topic than one said once. Raw counts let
/// such terms lead the labels; entry counts rank first the terms the topic's entries share, which
/// raised the mean NPMI of the top-10 terms from 0.231 to 0.267 on the real archive (QUALITY.md).
///
/// Only terms in at least 0.5% of the entries (5 at the least) may label a topic: a word a
/// handful of entries use says little to the editor, and its co-occurrence cannot be measured.
fn class_tfidf(
    labels: &[u32],
    live: &[usize],
    k: usize,
    counts: &[Vec<(u32, u32)>],
    top: usize,
    docs: &DocSets,
) -> Vec<Vec<u32>> {
    let width = docs.label_terms.len();
    if width == 0 {
        return vec![Vec::new(); k];
    }
    // Entries holding each label term: per topic (k rows of `width`) and overall.
    let mut per_class = vec![0u32; k * width];
    let mut overall = vec![0u32; width];
    let mut totals = vec![0.0f64; k];
    for (&label, &r) in labels.iter().zip(live) {
        let class = &mut per_class[label as usize * width..][..width];
        for &(t, _) in &counts[r] {
            if let Some(&slot) = docs.label_slot.get(t as usize).filter(|&&s| s != NOT_A_LABEL) {
                class[slot as usize] += 1;
                overall[slot as usize] += 1;
            }
        }
        totals[label as usize] += counts[r].len() as f64;
    }
    let average = totals.iter().sum::<f64>() / k as f64;
    per_class
        .chunks(width)
        .zip(&totals)
        .map(|(class, &total)| {
            let mut weighted: Vec<(u32, f64)> = class
                .iter()
                .zip(&docs.label_terms)
                .zip(&overall)
                .filter(|((&tf, _), _)| tf > 0)
                .map(|((&tf, &t), &all)| {
                    let idf = (1.0 + average / f64::from(all)).ln();
                    (t, f64::from(tf) / total.max(1.0) * idf)
                })
                .collect();
            weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            weighted.into_iter().take(top).map(|(t, _)| t).collect()
        })
        .collect()
}

/// The scores of `labels` (over `topics` topics, `k_asked` of them asked for), with the rows'
/// cosines to their nearest centroids and the next (`nearest`, as [`nearest_centroids`] gives).
fn score(
    k_asked: usize,
    labels: &[u32],
    topics: usize,
    nearest: &[Nearest],
    live: &[usize],
    corpus: &Corpus<'_>,
    docs: &DocSets,
) -> KScore {
    // Splitting an oversized topic may have added topics to the k asked for.
    let k = topics;
    let k_asked = k_asked.min(k);
    let tops = class_tfidf(labels, live, k, corpus.counts, 10, docs);
    let npmi = tops.iter().map(|t| docs.npmi(t)).sum::<f64>() / k as f64;
    let mut sizes = vec![0usize; k];
    for &l in labels {
        sizes[l as usize] += 1;
    }
    KScore {
        k: k_asked,
        topics: k,
        npmi: round(npmi),
        silhouette: round(silhouette(nearest)),
        largest_share: round(*sizes.iter().max().unwrap_or(&0) as f64 / labels.len().max(1) as f64),
    }
}

/// The simplified silhouette: for each row, (b − a) / max(a, b) with a the cosine distance to its
/// nearest centroid and b to the next.
fn silhouette(nearest: &[Nearest]) -> f64 {
    let mut sum = 0.0;
    for n in nearest {
        let (a, b) = (1.0 - n.cosine, 1.0 - n.next);
        let m = a.max(b);
        if m > 0.0 {
            sum += (b - a) / m;
        }
    }
    sum / nearest.len().max(1) as f64
}

/// The cosine silhouette of the clustering, (b − a) / max(a, b) with a the mean cosine distance
/// of a row to the rest of its own topic and b to the nearest other topic, averaged over the
/// rows. The rows are unit length, so the mean distance to a topic is 1 − row · (the topic's row
/// sum) / size: k dot products per row instead of one per pair of rows.
fn full_silhouette(labels: &[u32], embedded: &Array2<f64>, live: &[usize]) -> f64 {
    let k = labels.iter().max().map_or(0, |&m| m as usize + 1);
    let mut sums = Array2::<f64>::zeros((k, embedded.ncols()));
    let mut sizes = vec![0usize; k];
    for (&r, &l) in live.iter().zip(labels) {
        sums.row_mut(l as usize).scaled_add(1.0, &embedded.row(r));
        sizes[l as usize] += 1;
    }
    let mut total = 0.0;
    let mut counted = 0usize;
    for (&r, &own) in live.iter().zip(labels) {
        let own = own as usize;
        if sizes[own] < 2 {
            continue; // a topic of one: silhouette 0 by convention, left out
        }
        let row = embedded.row(r);
        let mean_distance = |c: usize| {
            let (sum, size) = if c == own {
                (row.dot(&sums.row(c)) - row.dot(&row), sizes[c] - 1)
            } else {
                (row.dot(&sums.row(c)), sizes[c])
            };
            1.0 - sum / size as f64
        };
        let a = mean_distance(own);
        let b = (0..k)
            .filter(|&c| c != own && sizes[c] > 0)
            .map(mean_distance)
            .fold(f64::INFINITY, f64::min);
        if b.is_finite() && a.max(b) > 0.0 {
            total += (b - a) / a.max(b);
        }
        counted += 1;
    }
    total / counted.max(1) as f64
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_rejects_each_bad_parameter() {
        let bad = |p: ClusterParams| p.check().is_err();
        assert!(bad(ClusterParams {
            k: Some(1),
            ..ClusterParams::default()
        }));
        assert!(bad(ClusterParams {
            k_range: (1, 10, 1),
            ..ClusterParams::default()
        }));
        assert!(bad(ClusterParams {
            k_range: (10, 5, 1),
            ..ClusterParams::default()
        }));
        assert!(bad(ClusterParams {
            k_range: (2, 10, 0),
            ..ClusterParams::default()
        }));
        assert!(bad(ClusterParams {
            dims: 1,
            ..ClusterParams::default()
        }));
        assert!(!bad(ClusterParams {
            dims: 0,
            ..ClusterParams::default()
        }));
        assert!(bad(ClusterParams {
            runs: 0,
            ..ClusterParams::default()
        }));
        assert!(bad(ClusterParams {
            min_share: -0.1,
            ..ClusterParams::default()
        }));
        assert!(bad(ClusterParams {
            min_share: 1.0,
            ..ClusterParams::default()
        }));
        assert!(bad(ClusterParams {
            min_share: f64::NAN,
            ..ClusterParams::default()
        }));
        assert!(bad(ClusterParams {
            search_sample: 99,
            ..ClusterParams::default()
        }));
        assert!(bad(ClusterParams {
            k: Some(MAX_K + 1),
            ..ClusterParams::default()
        }));
        assert!(bad(ClusterParams {
            dims: MAX_DIMS + 1,
            ..ClusterParams::default()
        }));
        assert!(!bad(ClusterParams {
            k: Some(MAX_K),
            dims: MAX_DIMS,
            ..ClusterParams::default()
        }));
        assert!(ClusterParams::default().check().is_ok());
    }

    #[test]
    fn a_k_the_entries_cannot_hold_is_an_error_and_a_small_archive_has_no_topics() {
        let (vectors, counts, terms) = grouped_corpus(40, 4);
        let corpus = Corpus {
            vectors: &vectors,
            counts: &counts,
            terms: &terms,
        };
        let fit = |k| {
            ClusterParams {
                k,
                dims: 8,
                ..ClusterParams::default()
            }
            .check()
            .expect("valid")
            .fit(&corpus, None)
        };
        assert!(fit(Some(4)).is_ok());
        assert_eq!(
            fit(Some(40)).err(),
            Some(Unclustered::KExceedsEntries {
                k: 40,
                clusterable: 40,
                min_terms: 5
            })
        );
        // The default range starts at 12: 40 entries hold it. Too few entries for any k tried
        // are no topics, not an error.
        let (vectors, counts, terms) = grouped_corpus(10, 2);
        let small = Corpus {
            vectors: &vectors,
            counts: &counts,
            terms: &terms,
        };
        let chosen = ClusterParams::default().check().expect("valid").fit(&small, None);
        assert!(
            matches!(chosen, Err(Unclustered::TooFewEntries { .. })),
            "{chosen:?}"
        );
    }

    type Parts = (Vec<SparseVector>, Vec<Vec<(u32, u32)>>, Vec<String>);

    /// `n` entries in `groups` groups (entry i in group i mod `groups`), each entry holding 6 of
    /// its group's 9 terms.
    fn grouped_corpus(n: usize, groups: u32) -> Parts {
        let mut state = 7u64;
        let docs: Vec<Vec<(u32, u32)>> = (0..n)
            .map(|i| {
                let group = i as u32 % groups;
                let mut terms: Vec<u32> = (0..9).map(|t| group * 9 + t).collect();
                while terms.len() > 6 {
                    state = splitmix64(state);
                    terms.remove((state % terms.len() as u64) as usize);
                }
                terms.into_iter().map(|t| (t, 1)).collect()
            })
            .collect();
        let borrowed: Vec<&[(u32, u32)]> = docs.iter().map(Vec::as_slice).collect();
        let (vectors, counts) = corpus_parts(&borrowed);
        let terms = (0..groups * 9).map(|t| format!("term{t}")).collect();
        (vectors, counts, terms)
    }

    #[test]
    fn plus_plus_seeds_k_means_as_linfa_does() {
        let mut state = 7u64;
        let records = Array2::from_shape_fn((400, 6), |_| {
            state = splitmix64(state);
            (state >> 11) as f64 / (1u64 << 53) as f64
        });
        let dataset = DatasetBase::from(records.clone());
        // One Lloyd step shows the seeds themselves; a whole fit, that nothing else differs.
        for (k, seed, steps) in [(2, 1u64, 1), (7, 42, 1), (7, 42, 200), (19, 3, 200)] {
            let ours = KMeans::params_with(k, Xoshiro256Plus::seed_from_u64(0), Euclidean)
                .n_runs(1)
                .max_n_iterations(steps)
                .init_method(KMeansInit::Precomputed(plus_plus(
                    &records,
                    k,
                    &mut Xoshiro256Plus::seed_from_u64(seed),
                )))
                .fit(&dataset)
                .expect("fit");
            let linfa = KMeans::params_with(k, Xoshiro256Plus::seed_from_u64(seed), Euclidean)
                .n_runs(1)
                .max_n_iterations(steps)
                .init_method(KMeansInit::KMeansPlusPlus)
                .fit(&dataset)
                .expect("fit");
            assert_eq!(
                ours.centroids(),
                linfa.centroids(),
                "k {k}, seed {seed}, {steps} steps"
            );
        }
    }

    #[test]
    fn orthonormal_columns_span_the_block_with_orthonormal_columns() {
        let mut state = 3u64;
        let mut random = || {
            state = splitmix64(state);
            (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let m = Array2::from_shape_fn((200, 12), |_| random());
        // A column that repeats another: Cholesky fails, Gram–Schmidt zeroes it.
        let mut dependent = m.clone();
        let first = dependent.column(0).to_owned();
        dependent.column_mut(5).assign(&first);
        for (block, rank) in [(&m, 12), (&dependent, 11)] {
            let q = orthonormal_columns(block);
            let gram = q.t().dot(&q);
            let kept: Vec<usize> = (0..12).filter(|&j| gram[[j, j]] > 0.5).collect();
            assert_eq!(kept.len(), rank);
            for &i in &kept {
                for &j in &kept {
                    let want = if i == j { 1.0 } else { 0.0 };
                    assert!(
                        (gram[[i, j]] - want).abs() < 1e-10,
                        "QᵀQ[{i},{j}] = {}",
                        gram[[i, j]]
                    );
                }
            }
            // Q Qᵀ M = M: the block lies in the span found.
            let back = q.dot(&q.t().dot(block));
            assert!((&back - block).iter().all(|d| d.abs() < 1e-9));
        }
    }

    #[test]
    fn ks_tried_on_a_sample_still_give_every_entry_its_group() {
        let (vectors, counts, terms) = grouped_corpus(1_000, 4);
        let corpus = Corpus {
            vectors: &vectors,
            counts: &counts,
            terms: &terms,
        };
        let params = |search_sample| {
            ClusterParams {
                k_range: (2, 6, 1),
                dims: 8,
                search_sample,
                ..ClusterParams::default()
            }
            .check()
            .expect("valid")
        };
        let sampled = params(100).fit(&corpus, None).expect("topics");
        assert_eq!(sampled.scores.len(), 5, "every k tried");
        assert!(
            sampled.assignments.iter().all(Option::is_some),
            "every entry placed"
        );
        // No topic mixes two groups: the sample's centroids, refined over all rows, separate the
        // groups as a fit over all of them does (a group may be split: each is a quarter of the
        // entries, above the 10% a topic may hold).
        let mut group_of_topic: FxHashMap<u32, usize> = FxHashMap::default();
        for (row, topic) in sampled.assignments.iter().enumerate() {
            let topic = topic.expect("placed");
            let group = *group_of_topic.entry(topic).or_insert(row % 4);
            assert_eq!(
                group,
                row % 4,
                "topic {topic} holds entries of groups {group} and {}",
                row % 4
            );
        }
        assert!(group_of_topic.len() >= 4, "every group has a topic");
    }

    /// What a rebuild reads of `c`'s topics, for a corpus of `rows` entries of which `c`'s are
    /// the first.
    fn carried(c: &Clustering, rows: usize) -> (Vec<Option<u32>>, Vec<PreviousTopic>) {
        let mut assignments = c.assignments.clone();
        assignments.resize(rows, None);
        let topics = c
            .topics
            .iter()
            .map(|t| PreviousTopic {
                size: t.size,
                central: t.central.iter().copied().map(Some).collect(),
            })
            .collect();
        (assignments, topics)
    }

    /// `c` refitted over `corpus` with its topics carried over.
    fn refit(params: &CheckedClusterParams, corpus: &Corpus<'_>, c: &Clustering) -> Clustering {
        let (assignments, topics) = carried(c, corpus.vectors.len());
        let previous = Previous {
            assignments: &assignments,
            topics: &topics,
            scores: &c.scores,
        };
        params.fit(corpus, Some(&previous)).expect("topics")
    }

    /// Twelve groups of 50 entries (each 8.3% of them, under the 10% a topic may hold).
    fn twelve_groups() -> (Parts, CheckedClusterParams) {
        let params = ClusterParams {
            k_range: (8, 16, 4),
            dims: 16,
            ..ClusterParams::default()
        }
        .check()
        .expect("valid");
        (grouped_corpus(600, 12), params)
    }

    #[test]
    fn a_refit_of_the_same_entries_gives_back_the_same_clustering() {
        let ((vectors, counts, terms), params) = twelve_groups();
        let corpus = Corpus {
            vectors: &vectors,
            counts: &counts,
            terms: &terms,
        };
        let fresh = params.fit(&corpus, None).expect("topics");
        assert!(fresh.scores.len() > 1, "k was chosen");
        let first = refit(&params, &corpus, &fresh);
        assert_eq!(first, fresh);
        assert_eq!(refit(&params, &corpus, &first), fresh);
    }

    #[test]
    fn new_entries_join_the_nearest_topic_and_move_no_old_entry() {
        let ((vectors, counts, terms), params) = twelve_groups();
        let corpus = |n: usize| Corpus {
            vectors: &vectors[..n],
            counts: &counts[..n],
            terms: &terms,
        };
        let older = params.fit(&corpus(540), None).expect("topics");
        let grown = refit(&params, &corpus(600), &older);
        assert_eq!(grown.assignments[..540], older.assignments[..]);
        assert_eq!(grown.topics.len(), older.topics.len());
        assert_eq!(grown.scores, older.scores, "k is not chosen again");
        // Each new entry joins a topic whose old members are mostly of its group.
        for row in 540..600 {
            let topic = grown.assignments[row].expect("placed");
            let members: Vec<usize> = (0..540)
                .filter(|&r| older.assignments[r] == Some(topic))
                .collect();
            let same = members.iter().filter(|&&r| r % 12 == row % 12).count();
            assert!(same * 2 > members.len(), "entry {row} joined topic {topic}");
        }
        // The topics the new entries joined grew; the others are as they were.
        let joined: Vec<u32> = grown.assignments[540..].iter().flatten().copied().collect();
        for (before, after) in older.topics.iter().zip(&grown.topics) {
            let gained = joined.iter().filter(|&&t| t == before.id).count() as u32;
            assert_eq!(after.size, before.size + gained, "topic {}", before.id);
            if gained == 0 {
                assert_eq!(after.central, before.central, "topic {}", before.id);
            }
        }
        assert_eq!(refit(&params, &corpus(600), &grown), grown, "a fixed point");
    }

    #[test]
    fn a_topic_grown_past_a_tenth_is_split_and_only_its_entries_move() {
        let ((mut vectors, mut counts, terms), params) = twelve_groups();
        let older = params
            .fit(
                &Corpus {
                    vectors: &vectors,
                    counts: &counts,
                    terms: &terms,
                },
                None,
            )
            .expect("topics");
        // 60 more entries of group 0: its topic passes a tenth of the 660 entries.
        for i in 0..60 {
            vectors.push(vectors[(i * 12) % 600].clone());
            counts.push(counts[(i * 12) % 600].clone());
        }
        let corpus = Corpus {
            vectors: &vectors,
            counts: &counts,
            terms: &terms,
        };
        let grown = refit(&params, &corpus, &older);
        let k = older.topics.len() as u32;
        assert!(grown.topics.len() > older.topics.len(), "a topic was split");
        let mut split = std::collections::BTreeSet::new();
        for (before, after) in older.assignments.iter().zip(&grown.assignments) {
            let (before, after) = (before.expect("placed"), after.expect("placed"));
            if before != after {
                assert!(
                    after >= k,
                    "an old entry moved from {before} to the old topic {after}"
                );
                split.insert(before);
            }
        }
        // Only the topic of group 0, where the new entries went.
        assert_eq!(split.len(), 1, "{split:?}");
        for &topic in &split {
            let members: Vec<usize> = (0..600)
                .filter(|&r| older.assignments[r] == Some(topic))
                .collect();
            let group_0 = members.iter().filter(|&&r| r % 12 == 0).count();
            assert!(group_0 * 2 > members.len(), "topic {topic} split");
        }
        assert!(grown.topics.iter().all(|t| t.size * 10 <= 660));
    }

    fn corpus_parts(docs: &[&[(u32, u32)]]) -> (Vec<SparseVector>, Vec<Vec<(u32, u32)>>) {
        let counts: Vec<Vec<(u32, u32)>> = docs.iter().map(|d| d.to_vec()).collect();
        let vectors = counts
            .iter()
            .map(|c| {
                let norm = (c.len() as f32).sqrt();
                SparseVector {
                    indices: c.iter().map(|&(t, _)| t).collect(),
                    values: vec![1.0 / norm; c.len()],
                }
            })
            .collect();
        (vectors, counts)
    }

    /// The rows of entries with these (term, count) pairs over the terms a, b, c, weighed.
    fn weighed(
        docs: &[&[(u32, u32)]],
        weighting: Weighting,
        min_df: u32,
    ) -> (Vec<SparseVector>, Vec<String>) {
        let (vectors, counts) = corpus_parts(docs);
        let terms: Vec<String> = ["a", "b", "c"].iter().map(|t| t.to_string()).collect();
        let corpus = Corpus {
            vectors: &vectors,
            counts: &counts,
            terms: &terms,
        };
        weigh(&corpus, &DocSets::new(&vectors), weighting, min_df)
    }

    #[test]
    fn min_df_prunes_rare_terms_and_renumbers_the_rest() {
        let (rows, kept) = weighed(
            &[&[(0, 1), (1, 1)], &[(0, 2), (2, 1)], &[(0, 1), (2, 1)]],
            Weighting::TfIdf,
            2,
        );
        assert_eq!(kept, ["a", "c"]);
        assert_eq!(rows[0].indices, [0]);
        assert_eq!(rows[1].indices, [0, 1]);
        for row in &rows {
            assert!((row.norm() - 1.0).abs() < 1e-6);
        }
    }

    #[test]
    fn bm25_saturates_a_repeated_term() {
        // a and b are in the same entries; a is there twice in the first.
        let (rows, _) = weighed(
            &[&[(0, 2), (1, 1)], &[(0, 1), (1, 1)], &[(2, 1)]],
            Weighting::Bm25,
            1,
        );
        let ratio = rows[0].values[0] / rows[0].values[1];
        assert!(ratio > 1.0 && ratio < 2.0, "{ratio}");
        assert!((rows[0].norm() - 1.0).abs() < 1e-6);
    }

    #[test]
    fn topic_terms_count_entries_not_repeats() {
        // Term 0 fills one entry of topic 0 ten times; term 1 is in three of its entries.
        let (vectors, counts) = corpus_parts(&[
            &[(0, 10), (1, 1)],
            &[(1, 1)],
            &[(1, 1)],
            &[(2, 1)],
            &[(2, 1)],
            &[(0, 1), (1, 1)],
            &[(0, 1), (1, 1)],
            &[(0, 1)],
            &[(0, 1)],
            &[(3, 1)],
        ]);
        let docs = DocSets::new(&vectors);
        let labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
        let live: Vec<usize> = (0..10).collect();
        let tops = class_tfidf(&labels, &live, 2, &counts, 2, &docs);
        assert_eq!(tops[0], [1, 0]);
    }

    #[test]
    fn an_entry_with_every_term_pruned_joins_the_topic_sharing_its_terms() {
        // Entry 4's only term (3) is pruned from the rows; topic 1's entries hold it.
        let rows = [vec![0], vec![0], vec![1], vec![1], vec![]]
            .map(|i: Vec<u32>| SparseVector {
                values: vec![1.0; i.len()],
                indices: i,
            })
            .to_vec();
        let counts = vec![
            vec![(0, 1)],
            vec![(0, 1)],
            vec![(1, 1), (3, 1)],
            vec![(1, 1)],
            vec![(3, 1)],
        ];
        let mut labels = vec![0, 0, 1, 1, 0];
        let live: Vec<usize> = (0..5).collect();
        place_by_shared_terms(&mut labels, &live, &unembedded(&live, &rows), &counts, 2);
        assert_eq!(labels, [0, 0, 1, 1, 1]);
    }

    #[test]
    fn npmi_of_terms_always_together_is_one_and_never_together_minus_one() {
        let v = |idx: &[u32]| SparseVector {
            indices: idx.to_vec(),
            values: vec![1.0; idx.len()],
        };
        let docs = DocSets::new(&[v(&[0, 1]), v(&[0, 1]), v(&[2]), v(&[3])]);
        assert!((docs.npmi(&[0, 1]) - 1.0).abs() < 1e-9);
        assert!((docs.npmi(&[0, 2]) + 1.0).abs() < 1e-9);
    }
}
