//! What a clustering is asked for, and its check (linfa's checked-parameters pattern).

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
    /// takes the most coherent of `k_range`.
    pub k: Option<usize>,
    /// The candidates for k when it is not given: first, last, step. By default the one k
    /// [`DEFAULT_K`]: a search over several ks chooses among noise (see there); a range is for
    /// measuring (`examples/topic_lab`).
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
    /// The k (or the ks of a range) is fitted on an evenly spaced sample of at most this many
    /// entries, and then refined over all of them. 20,000 entries are five times the real
    /// archive: enough rows per topic to judge its coherence, and the fit costs the same at
    /// 100,000 entries as at a million.
    pub search_sample: usize,
}

impl Default for ClusterParams {
    fn default() -> Self {
        ClusterParams {
            k: None,
            k_range: (DEFAULT_K, DEFAULT_K, 1),
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

/// The topics of an archive when no k is asked for. Over 24 seeds on the real archive, the mean
/// NPMI of k = 12, 16, … 40 rises to 24 and is flat from there: from 24 to 40 the means lie within
/// 0.0035 of each other (about 1.5 standard errors), before and after a change of a few entries'
/// words, while one run's NPMI varies by ±0.01 with the seed. So choosing the best k of one run
/// chose among noise (36, 28, 24, 28, 28 topics over five seeds, and another k whenever a few
/// entries' words changed), and even the means' best k moved (28, then 36). 24 is where the
/// curve stops rising, and the fewest topics for the editor to read at that coherence
/// (QUALITY.md, "Session 20"). An archive with 24 entries or fewer to cluster has no topics.
pub const DEFAULT_K: usize = 24;

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
pub struct CheckedClusterParams(pub(super) ClusterParams);

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
