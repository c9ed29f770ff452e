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
//! The number of topics is [`DEFAULT_K`] unless another is asked for: one run's coherence
//! varies with the seed as much as it varies between the ks the real archive supports, so a
//! search over ks (`k_range`, still there for measuring) chose among noise.
//!
//! A fresh fit (each k tried) runs linfa's Lloyd steps with Elkan's bounds ([`lloyd`]), which give
//! linfa's centroids bit for bit but skip the distances that cannot change a row's centroid;
//! linfa runs the steps from a sample's centroids over every entry (an archive of more than
//! `search_sample` entries) and the splits of oversized topics, and is what the tests compare
//! against.
//!
//! The module by job: `params` (what is asked, checked), `weigh` (the rows: BM25 or TF-IDF over
//! the common terms), `lsa` (the reduced space), `kmeans` (seeds, steps, nearest centroids,
//! splits, placing rows without clustered terms) with `lloyd` (Elkan's bounds), `labels` (which
//! entries hold each term; class-based TF-IDF), `score` (NPMI and silhouettes); this file holds
//! the records and [`CheckedClusterParams::fit`], which tries the ks and carries topics over.
//!
//! linfa and ndarray live in this module only.

use ndarray::{Array2, Axis};
use rayon::prelude::*;

use crate::vectorize::SparseVector;

mod kmeans;
mod labels;
mod lloyd;
mod lsa;
mod params;
mod score;
mod weigh;

use kmeans::*;
use labels::*;
use lsa::*;
use score::*;
use weigh::*;

pub use params::{
    CheckedClusterParams, ClusterParams, ClusterParamsError, Weighting, DEFAULT_K, MAX_DIMS, MAX_K,
};

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
    /// Whether the previous topics were carried over (their ids kept); `false` when the topics
    /// were found and numbered afresh.
    pub carried: bool,
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
            return Ok(Clustering {
                carried: true,
                ..carried
            });
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
        // The rows without clustered terms, and the terms they hold, looked up once for all ks.
        let placement = |live: &[usize]| Placement::new(live, &unembedded(live, &space.rows), corpus.counts);
        let search_placement = placement(&search_live);
        // The label terms of the rows, looked up once for all ks.
        let search_labels = LabelRows::new(&search_live, corpus.counts, &docs);
        // The largest k first, each k a task of its own: the costliest fits start first, so the
        // cores finish together. The results are put back in the order of the ks.
        let fitting: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&k| k < search_fit.len())
            .collect();
        let mut tried: Vec<Tried> = fitting
            .par_iter()
            .rev()
            .with_max_len(1)
            .map(|&k| {
                let rows = (&search_live[..], &search_placement, &search_labels);
                space.try_k(k, Start::Fresh(k), &search_fit, rows)
            })
            .collect();
        tried.reverse();
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
            let labels = LabelRows::new(&live, corpus.counts, &docs);
            kept = space.try_k(
                kept.score.k,
                start,
                &fit_rows,
                (&live, &placement(&live), &labels),
            );
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
    /// `placement` indexes the rows of `live` without clustered terms ([`Placement`]),
    /// `label_rows` their label terms ([`LabelRows`]).
    fn try_k(
        &self,
        k: usize,
        start: Start,
        fit_rows: &[usize],
        (live, placement, label_rows): (&[usize], &Placement, &LabelRows),
    ) -> Tried {
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
        placement.place(&mut labels, centroids.nrows());
        let score = score(k, &labels, centroids.nrows(), &nearest, label_rows, self.docs);
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
            carried: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use linfa::prelude::*;
    use linfa::DatasetBase;
    use linfa_clustering::{KMeans, KMeansInit};
    use rand_xoshiro::rand_core::SeedableRng;
    use rand_xoshiro::Xoshiro256Plus;
    use rustc_hash::FxHashMap;

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
        // The default k is 24: 40 entries hold it. Too few entries for the k tried are no
        // topics, not an error.
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
        assert!(
            !fresh.carried && first.carried,
            "a refit says its topics were carried over"
        );
        let carried = Clustering {
            carried: true,
            ..fresh
        };
        assert_eq!(first, carried);
        assert_eq!(refit(&params, &corpus, &first), carried);
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
    fn the_top_terms_of_a_partial_selection_are_those_of_the_whole_list_ties_by_term() {
        // Twelve entries in two topics; in topic 0, 40 terms weigh the same (and two shared with
        // topic 1 less): the lowest terms come first, however many are asked for.
        let all: Vec<(u32, u32)> = (0..42).map(|t| (t, 1)).collect();
        let mut docs: Vec<&[(u32, u32)]> = vec![&all[..]; 6];
        let other = [(40, 1), (41, 1)];
        docs.extend([&other[..]; 6]);
        let (vectors, counts) = corpus_parts(&docs);
        let doc_sets = DocSets::new(&vectors);
        let labels = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
        let live: Vec<usize> = (0..12).collect();
        let whole = class_tfidf(&labels, &live, 2, &counts, 100, &doc_sets);
        assert_eq!(whole[0], (0..42).collect::<Vec<u32>>());
        for top in 1..=42 {
            let tops = class_tfidf(&labels, &live, 2, &counts, top, &doc_sets);
            assert_eq!(tops[0], whole[0][..top], "top {top}");
            assert_eq!(tops[1], whole[1][..top.min(whole[1].len())], "top {top}");
        }
        // The rows looked up once serve every labelling of them.
        let rows = LabelRows::new(&live, &counts, &doc_sets);
        let flipped: Vec<u32> = labels.iter().map(|l| 1 - l).collect();
        assert_eq!(
            class_tfidf_of(&flipped, &rows, 2, 3, &doc_sets),
            class_tfidf(&flipped, &live, 2, &counts, 3, &doc_sets)
        );
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
