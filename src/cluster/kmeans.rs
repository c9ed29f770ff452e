//! k-means over the reduced rows: k-means++ seeds, Lloyd steps (here or in linfa), the nearest
//! centroid of each row, oversized topics split, rows without clustered terms placed.

use linfa::prelude::*;
use linfa::DatasetBase;
use linfa_clustering::{KMeans, KMeansInit};
use linfa_nn::distance::Distance;
use ndarray::{Array2, ArrayView, Axis};
use rand::distributions::{Distribution, WeightedIndex};
use rand_xoshiro::rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::*;

/// Places the entries `empty` (indices into `live`, in order), which have no place in the space:
/// each joins the topic whose other entries hold its terms most often, as a share of the topic's
/// entries (the lowest id on a tie; the largest topic when no term is shared).
pub(super) fn place_by_shared_terms(
    labels: &mut [u32],
    live: &[usize],
    empty: &[usize],
    counts: &[Vec<(u32, u32)>],
    k: usize,
) {
    Placement::new(live, empty, counts).place(labels, k);
}

/// The entries [`place_by_shared_terms`] places and the terms they hold, looked up once for
/// every k tried over the same rows: each k then only counts its topics' holders.
pub(super) struct Placement {
    /// Indices into `live` of the entries to place, in order.
    empty: Vec<usize>,
    /// Whether each entry of `live` is one to place.
    unplaced: Vec<bool>,
    /// How many distinct terms the entries to place hold: each has a slot of its own.
    width: usize,
    /// The slots of each entry's terms, in the order of its counts: `slots[offsets[i]..offsets[i
    /// + 1]]` for entry `i` of `live` (terms no entry to place holds are left out).
    offsets: Vec<usize>,
    slots: Vec<u32>,
}

impl Placement {
    pub(super) fn new(live: &[usize], empty: &[usize], counts: &[Vec<(u32, u32)>]) -> Placement {
        let mut unplaced = vec![false; live.len()];
        for &i in empty {
            unplaced[i] = true;
        }
        // Only the terms the unplaced entries hold are counted, each in a slot of its own.
        let mut slot: FxHashMap<u32, u32> = FxHashMap::default();
        for &i in empty {
            for &(t, _) in &counts[live[i]] {
                let next = slot.len() as u32;
                slot.entry(t).or_insert(next);
            }
        }
        let mut offsets = Vec::with_capacity(live.len() + 1);
        let mut slots = Vec::new();
        offsets.push(0);
        if !empty.is_empty() {
            for &r in live {
                slots.extend(counts[r].iter().filter_map(|(t, _)| slot.get(t).copied()));
                offsets.push(slots.len());
            }
        }
        Placement {
            empty: empty.to_vec(),
            unplaced,
            width: slot.len(),
            offsets,
            slots,
        }
    }

    /// The slots of the terms of entry `i` of `live`.
    fn slots(&self, i: usize) -> &[u32] {
        &self.slots[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Places the entries to place by `labels` (one per entry of `live`) over `k` topics.
    pub(super) fn place(&self, labels: &mut [u32], k: usize) {
        if self.empty.is_empty() {
            return;
        }
        let width = self.width;
        // How many of each topic's entries hold each counted term.
        let mut holders = vec![0.0f64; k * width];
        let mut sizes = vec![0.0f64; k];
        for i in (0..labels.len()).filter(|&i| !self.unplaced[i]) {
            let topic = labels[i] as usize;
            sizes[topic] += 1.0;
            for &s in self.slots(i) {
                holders[topic * width + s as usize] += 1.0;
            }
        }
        let largest = (0..k)
            .max_by(|&a, &b| sizes[a].total_cmp(&sizes[b]).then(b.cmp(&a)))
            .unwrap_or(0);
        for &i in &self.empty {
            let mut best = (largest, 0.0);
            for topic in 0..k {
                let held: f64 = self
                    .slots(i)
                    .iter()
                    .map(|&s| holders[topic * width + s as usize])
                    .sum();
                let share = held / sizes[topic].max(1.0);
                if share > best.1 {
                    best = (topic, share);
                }
            }
            labels[i] = best.0 as u32;
        }
    }
}

/// Euclidean distance for k-means, as linfa's `L2Dist` measures it, over contiguous rows read
/// as slices with four running sums: linfa's generic version walks ndarray views element by
/// element and was most of a fresh build's time.
#[derive(Debug, Clone, Copy)]
pub(super) struct Euclidean;

impl Euclidean {
    pub(super) fn squared(a: &[f64], b: &[f64]) -> f64 {
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
pub(super) enum Start {
    /// k centroids by k-means++, the best of the runs asked for.
    Fresh(usize),
    /// These centroids, for at most this many Lloyd steps.
    From(Array2<f64>, u64),
}

/// Lloyd steps stop when the centroids move less than this (every fit), or after
/// [`MAX_STEPS`] (the fits from k-means++ seeds and the splits; steps from given centroids have
/// their own limit).
pub(super) const TOLERANCE: f64 = 1e-6;
pub(super) const MAX_STEPS: u64 = 200;

/// k-means over the rows to fit, then every live row measured against the centroids
/// ([`nearest_centroids`]).
///
/// A fresh fit runs linfa's Lloyd steps with Elkan's bounds ([`lloyd`]: linfa's centroids, bit
/// for bit, for a tenth of the distances); the steps from a sample's centroids run in linfa.
pub(super) fn kmeans(
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
                .map(|_| {
                    // The seeding measures every row against every seed already: the first
                    // Lloyd step reads those distances instead of measuring them again.
                    let (init, measured) = plus_plus_measured(&records, k, &mut rng);
                    lloyd::fit_measured(&records, init, Some(measured), MAX_STEPS, TOLERANCE)
                })
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
pub(super) fn linfa_steps(
    records: Array2<f64>,
    init: Array2<f64>,
    max_steps: u64,
) -> Option<KMeans<f64, Euclidean>> {
    KMeans::params_with(init.nrows(), Xoshiro256Plus::seed_from_u64(0), Euclidean)
        .n_runs(1)
        .init_method(KMeansInit::Precomputed(init))
        .max_n_iterations(max_steps)
        .tolerance(TOLERANCE)
        .fit(&DatasetBase::from(records))
        .ok()
}

/// Each live row's [`nearest`] centroid.
pub(super) fn nearest_centroids(
    centroids: &Array2<f64>,
    embedded: &Array2<f64>,
    live: &[usize],
) -> Vec<Nearest> {
    let norms = norms(centroids);
    live.par_iter()
        .map(|&r| nearest(centroids, &norms, embedded.row(r)))
        .collect()
}

/// [`plus_plus_measured`]'s seeds alone.
#[cfg(test)]
pub(super) fn plus_plus(records: &Array2<f64>, k: usize, rng: &mut Xoshiro256Plus) -> Array2<f64> {
    plus_plus_measured(records, k, rng).0
}

/// k-means++ seeding, drawing what linfa's `KMeansInit::KMeansPlusPlus` draws from the same
/// generator (so the same centroids), but keeping each row's squared distance to its nearest
/// centroid as centroids are added: n·k distances instead of linfa's n·k²/2. Those distances
/// are kept ([`lloyd::Measured`]: each row's distance to every seed and its nearest seed), so
/// that the first Lloyd step need not measure them again ([`lloyd::fit_measured`]).
pub(super) fn plus_plus_measured(
    records: &Array2<f64>,
    k: usize,
    rng: &mut Xoshiro256Plus,
) -> (Array2<f64>, lloyd::Measured) {
    let (n, width) = records.dim();
    let mut centroids = Array2::<f64>::zeros((k, width));
    let first = WeightedIndex::new(std::iter::repeat_n(1.0f64, n)).map_or(0, |w| w.sample(rng));
    centroids.row_mut(0).assign(&records.row(first));
    let mut nearest = vec![f64::INFINITY; n];
    let mut measured = lloyd::Measured {
        distances: vec![0.0f64; n * k],
        nearest: vec![0; n],
    };
    let records = records.as_standard_layout();
    let rows = records.as_slice().expect("a standard-layout array");
    // Each row's distance to seed `c` kept, and its squared distance to its nearest seed so far
    // (the first of equals: only a nearer seed takes its place).
    let measure = |c: usize, centroids: &Array2<f64>, nearest: &mut [f64], measured: &mut lloyd::Measured| {
        let seed = centroids.row(c);
        let seed = seed.as_slice().expect("a row of a standard-layout array");
        // One core: the ks are tried side by side already, and a pass over a few thousand rows
        // is too short to share.
        for (i, (d, row)) in nearest
            .iter_mut()
            .zip(rows.chunks_exact(width.max(1)))
            .enumerate()
        {
            let m = Euclidean::squared(seed, row);
            measured.distances[i * k + c] = m.sqrt();
            if m < *d {
                measured.nearest[i] = c;
            }
            *d = d.min(m);
        }
    };
    for c in 1..k {
        measure(c - 1, &centroids, &mut nearest, &mut measured);
        // All rows on a centroid already: any row will do, as in linfa.
        let pick = WeightedIndex::new(&nearest).map_or(0, |w| w.sample(rng));
        centroids.row_mut(c).assign(&records.row(pick));
    }
    if k > 0 {
        measure(k - 1, &centroids, &mut nearest, &mut measured);
    }
    (centroids, measured)
}

/// The largest share of the entries one topic may hold; a larger topic is split in two.
pub(super) const MAX_TOPIC_SHARE: f64 = 0.10;

/// Splits, with 2-means, every topic holding more than [`MAX_TOPIC_SHARE`] of the entries (a
/// bisecting step: k-means over short texts tends to leave one catch-all topic). The new topic
/// takes the next id; rows outside the split topic keep theirs.
pub(super) fn split_oversized(
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
pub(super) const MAX_SPLITS: usize = 12;

/// The length of each centroid (at least 1e-12), which [`nearest`] divides by.
pub(super) fn norms(centroids: &Array2<f64>) -> Vec<f64> {
    centroids
        .axis_iter(Axis(0))
        .map(|c| c.dot(&c).sqrt().max(1e-12))
        .collect()
}

/// A row's nearest centroid by cosine.
#[derive(Debug, Clone, Copy)]
pub(super) struct Nearest {
    pub(super) topic: u32,
    pub(super) cosine: f64,
    /// The cosine to the next nearest centroid.
    pub(super) next: f64,
}

/// The centroid nearest `row` by cosine; `norms` are the centroids' [`norms`].
pub(super) fn nearest(centroids: &Array2<f64>, norms: &[f64], row: ndarray::ArrayView1<'_, f64>) -> Nearest {
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
