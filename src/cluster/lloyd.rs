//! Lloyd's k-means as linfa-clustering 0.8 runs it, with Elkan's bounds (C. Elkan, "Using the
//! triangle inequality to accelerate k-means", ICML 2003) to skip the distances that cannot
//! change a row's centroid.
//!
//! linfa's fit measures every row against every centroid at each step, although after the first
//! few steps all but a few percent of the rows keep their centroid. Here each row keeps an upper
//! bound on its distance to its own centroid and a lower bound on its distance to each other
//! centroid; a centroid is measured only when neither its lower bound nor half its distance from
//! the row's centroid shows it to be farther. The rows are assigned as linfa assigns them (the
//! first of equally near centroids) and the centroids updated with linfa's arithmetic in its
//! order (each the mean of its rows and its own old place), so the steps and the centroids are
//! linfa's, bit for bit: the tests fit both and compare. On the real archive the k-means
//! steps measured a tenth of the distances linfa does (a search over eight ks).
//!
//! The first step may start from the distances k-means++ seeding measured ([`fit_measured`] with
//! a [`Measured`]): every bound is then tight before any step, and that step measures nothing.
//!
//! The bounds keep a slack far above floating-point error: a centroid is passed over only when it
//! is farther by a clear margin, never on a near tie, where the measured distances decide.

use ndarray::{Array1, Array2};
use rayon::prelude::*;

use super::Euclidean;

/// A centroid is passed over only if it is farther than the row's own by this share of the
/// distance (plus as much again absolute): far above the rounding of a distance and of the
/// drifts added to the bounds (under 1e-12 even for rows of thousands of dimensions over 200
/// steps), far below any margin that decides where a row goes.
const SLACK: f64 = 1e-9;

/// What a fit gives: the centroids, and the inertia as linfa reports it (the mean squared
/// distance of the rows to the centroids of the last step's assignment).
pub(super) struct Fitted {
    pub centroids: Array2<f64>,
    pub inertia: f64,
}

/// [`fit_measured`] with nothing measured beforehand.
#[cfg(test)]
pub(super) fn fit(records: &Array2<f64>, init: Array2<f64>, max_steps: u64, tolerance: f64) -> Fitted {
    fit_measured(records, init, None, max_steps, tolerance)
}

/// Lloyd steps from `init` over the rows of `records` until the centroids move less than
/// `tolerance` (the Euclidean distance between the old and the new centroid matrices) or after
/// `max_steps`, as linfa's `KMeans` fits with `KMeansInit::Precomputed(init)`.
///
/// `measured`, where given, holds each row's distances to the centroids of `init` and its
/// nearest one, as k-means++ seeding leaves them ([`Measured`]): the first step then measures
/// nothing and starts every bound tight. The steps and centroids are the same either way.
pub(super) fn fit_measured(
    records: &Array2<f64>,
    init: Array2<f64>,
    measured: Option<Measured>,
    max_steps: u64,
    tolerance: f64,
) -> Fitted {
    let (n, width) = records.dim();
    let k = init.nrows();
    let (mut bounds, first) = match measured {
        Some(m) => (Bounds::measured(k, m.distances, &m.nearest), Some(m.nearest)),
        None => (Bounds::new(n, k), None),
    };
    let records = records.as_standard_layout();
    let rows = records.as_slice().expect("a standard-layout array");
    let mut centroids = init.as_standard_layout().into_owned().into_raw_vec_and_offset().0;
    let mut assigned = vec![0usize; n];
    let mut steps = 0;
    let mut sums = vec![0.0f64; k * width];
    let mut counts = vec![1usize; k];
    let previous = loop {
        let gaps = Gaps::between(&centroids, width);
        match &first {
            Some(nearest) if steps == 0 => assigned.copy_from_slice(nearest),
            _ => bounds.assign(&mut assigned, rows, &centroids, &gaps),
        }
        // The sums take the rows in row order, as linfa's do.
        sums.fill(0.0);
        counts.fill(1);
        for (row, &c) in rows.chunks_exact(width).zip(&assigned) {
            for (s, x) in sums[c * width..(c + 1) * width].iter_mut().zip(row) {
                *s += x;
            }
            counts[c] += 1;
        }
        let updated = update(&centroids, &sums, width, &counts);
        bounds.moved(&centroids, &updated, width);
        let shift = Euclidean::squared(&centroids, &updated).sqrt();
        let previous = std::mem::replace(&mut centroids, updated);
        steps += 1;
        if shift < tolerance || steps == max_steps {
            break previous;
        }
    };
    // linfa's inertia: each row's squared distance to its centroid before the last update,
    // summed by ndarray in its order.
    let dists: Array1<f64> = rows
        .chunks_exact(width)
        .zip(&assigned)
        .map(|(row, &c)| Euclidean::squared(&previous[c * width..(c + 1) * width], row))
        .collect();
    Fitted {
        centroids: Array2::from_shape_vec((k, width), centroids).expect("k rows of the width"),
        inertia: dists.sum() / n as f64,
    }
}

/// What k-means++ seeding measured of the rows against its seeds: what the first Lloyd step
/// would measure ([`fit_measured`]).
pub(super) struct Measured {
    /// Each row's distance (not squared) to each seed, row by row: `distances[i * k + c]`, the
    /// square root of `Euclidean::squared(seed, row)`.
    pub distances: Vec<f64>,
    /// Each row's nearest seed by `Euclidean::squared`, the first of equally near ones (linfa's
    /// choice).
    pub nearest: Vec<usize>,
}

/// Each row's bounds on its distances (not squared) to the centroids, kept net of how far each
/// centroid has moved since they were set: the upper bound is `upper + drift[own]`, a lower one
/// `lower - drift[c]`. A step's moves then cost k additions instead of n·k.
struct Bounds {
    k: usize,
    upper: Vec<f64>,
    /// n rows of k.
    lower: Vec<f64>,
    /// How far each centroid has moved since the first step.
    drift: Vec<f64>,
}

impl Bounds {
    /// No bounds yet: at the first step every row starts from centroid 0 and is measured
    /// against each centroid that half the distance between centroids does not rule out.
    fn new(n: usize, k: usize) -> Bounds {
        Bounds {
            k,
            upper: vec![f64::INFINITY; n],
            lower: vec![0.0; n * k],
            drift: vec![0.0; k],
        }
    }

    /// Each row of `rows` (rows of the centroids' width) given its nearest centroid in
    /// `assigned`, which holds the last step's: on every core, a row's bounds being its own.
    fn assign(&mut self, assigned: &mut [usize], rows: &[f64], centroids: &[f64], gaps: &Gaps) {
        const ROWS: usize = 256;
        let k = self.k;
        let width = centroids.len() / k;
        let drift = &self.drift;
        assigned
            .par_chunks_mut(ROWS)
            .zip(self.upper.par_chunks_mut(ROWS))
            .zip(self.lower.par_chunks_mut(ROWS * k))
            .zip(rows.par_chunks(ROWS * width))
            .for_each(|(((assigned, upper), lower), rows)| {
                for (((own, upper), lower), row) in assigned
                    .iter_mut()
                    .zip(upper)
                    .zip(lower.chunks_exact_mut(k))
                    .zip(rows.chunks_exact(width))
                {
                    *own = nearest(drift, upper, lower, *own, row, centroids, gaps);
                }
            });
    }

    /// Every bound tight before the first step: each row's `distances` to the `k` centroids
    /// (row by row) are its lower bounds, the one to its `nearest` its upper bound.
    fn measured(k: usize, distances: Vec<f64>, nearest: &[usize]) -> Bounds {
        let upper = nearest
            .iter()
            .enumerate()
            .map(|(i, &c)| distances[i * k + c])
            .collect();
        Bounds {
            k,
            upper,
            lower: distances,
            drift: vec![0.0; k],
        }
    }

    /// Takes in a step's moves from `old` to `new` centroids.
    fn moved(&mut self, old: &[f64], new: &[f64], width: usize) {
        for ((drift, old), new) in self
            .drift
            .iter_mut()
            .zip(old.chunks_exact(width))
            .zip(new.chunks_exact(width))
        {
            *drift += Euclidean::squared(old, new).sqrt();
        }
    }
}

/// The centroid nearest `row`, which was nearest `own` at the last step: linfa's choice (the
/// first of equally near centroids), measuring only the centroids the row's bounds cannot pass
/// over (its `upper` bound and `lower` bounds, net of the centroids' `drift`), which it updates.
fn nearest(
    drift: &[f64],
    upper: &mut f64,
    lower: &mut [f64],
    own: usize,
    row: &[f64],
    centroids: &[f64],
    gaps: &Gaps,
) -> usize {
    let k = drift.len();
    let width = row.len();
    let centroid = |c: usize| &centroids[c * width..(c + 1) * width];
    let mut best = own;
    let mut up = *upper + drift[best];
    // A centroid is passed over when a bound on its distance is beyond this.
    let mut reach = reach_of(up);
    if gaps.half_nearest[best] > reach {
        return best;
    }
    let mut half_gap = gaps.from(best);
    // The squared distance to `best`, once it has been measured this step.
    let mut measured: Option<f64> = None;
    // The centroids neither bound passes over at the start, found without a branch per
    // centroid (k ≤ 64): until the row's centroid changes, the loop below visits only these,
    // in order. `reach` only shrinks as the loop goes, so each centroid left out is one the
    // loop would pass over; once `best` changes, so do the half gaps, and the loop goes on
    // over every centroid after the one it is at, as it would without the mask.
    let mut masked = k <= 64;
    let mut mask = 0u64;
    if masked {
        for c in 0..k {
            let passed = (lower[c] - drift[c] > reach) | (half_gap[c] > reach);
            mask |= u64::from(!passed) << c;
        }
        mask &= !(1u64 << best);
    }
    let mut c = if masked { mask.trailing_zeros() as usize } else { 0 };
    while c < k {
        let own = best;
        'consider: {
            if c == best || lower[c] - drift[c] > reach || half_gap[c] > reach {
                break 'consider;
            }
            // Once per step at most: the row's distance to `best` measured, which tightens
            // its upper bound (and so `reach`) and sets the lower bound kept for `best`.
            let nearest = *measured.get_or_insert_with(|| {
                let d = Euclidean::squared(centroid(best), row);
                up = d.sqrt();
                reach = reach_of(up);
                lower[best] = up + drift[best];
                d
            });
            if lower[c] - drift[c] > reach || half_gap[c] > reach {
                break 'consider;
            }
            let d = Euclidean::squared(centroid(c), row);
            let distance = d.sqrt();
            lower[c] = distance + drift[c];
            if d < nearest || (d == nearest && c < best) {
                (best, up, measured) = (c, distance, Some(d));
                reach = reach_of(up);
                half_gap = gaps.from(best);
            }
        }
        if masked && best == own {
            mask &= mask - 1;
            c = mask.trailing_zeros() as usize;
        } else {
            masked = false;
            c += 1;
        }
    }
    *upper = up - drift[best];
    best
}

/// Half the distance between each two centroids, and from each to the nearest other: a row
/// nearer its centroid than half the way to another cannot be nearer that other.
struct Gaps {
    k: usize,
    half: Vec<f64>,
    half_nearest: Vec<f64>,
}

impl Gaps {
    fn between(centroids: &[f64], width: usize) -> Gaps {
        let k = centroids.len() / width;
        let centroid = |c: usize| &centroids[c * width..(c + 1) * width];
        let mut half = vec![0.0; k * k];
        let mut half_nearest = vec![f64::INFINITY; k];
        for a in 0..k {
            for b in a + 1..k {
                let d = Euclidean::squared(centroid(a), centroid(b)).sqrt() / 2.0;
                half[a * k + b] = d;
                half[b * k + a] = d;
                half_nearest[a] = half_nearest[a].min(d);
                half_nearest[b] = half_nearest[b].min(d);
            }
        }
        Gaps {
            k,
            half,
            half_nearest,
        }
    }

    /// Half the distance from centroid `a` to each.
    fn from(&self, a: usize) -> &[f64] {
        &self.half[a * self.k..(a + 1) * self.k]
    }
}

/// How far a bound must lie for a centroid to be passed over by a row `distance` from its own:
/// beyond it by more than [`SLACK`].
fn reach_of(distance: f64) -> f64 {
    distance + SLACK * (1.0 + distance)
}

/// linfa's centroid update: each centroid the sum of its rows, in row order (`sums`), plus its
/// old place, divided by their count (`counts`: its rows and the old place).
fn update(centroids: &[f64], sums: &[f64], width: usize, counts: &[usize]) -> Vec<f64> {
    let mut updated = sums.to_vec();
    for (s, old) in updated.iter_mut().zip(centroids) {
        *s += old;
    }
    for (sum, &count) in updated.chunks_exact_mut(width).zip(counts) {
        for s in sum {
            *s /= count as f64;
        }
    }
    updated
}

#[cfg(test)]
mod tests {
    use super::super::{linfa_steps, TOLERANCE};
    use super::*;
    use proptest::prelude::*;
    use rand_xoshiro::rand_core::SeedableRng;
    use rand_xoshiro::Xoshiro256Plus;

    /// linfa's own fit from the same centroids, as the build runs it from given centroids.
    fn linfa(records: &Array2<f64>, init: Array2<f64>, max_steps: u64) -> (Array2<f64>, f64) {
        let model = linfa_steps(records.clone(), init, max_steps).expect("a valid fit");
        (model.centroids().clone(), model.inertia())
    }

    /// What the seeding measures of `records` against `centroids`, by brute force: each
    /// distance, and the first of the nearest centroids by squared distance.
    fn measured(records: &Array2<f64>, centroids: &Array2<f64>) -> Measured {
        let (mut distances, mut nearest) = (Vec::new(), Vec::new());
        for r in records.rows() {
            let mut best = (0, f64::INFINITY);
            for (c, centroid) in centroids.rows().into_iter().enumerate() {
                let d = Euclidean::squared(
                    centroid.as_slice().expect("contiguous"),
                    r.as_slice().expect("contiguous"),
                );
                distances.push(d.sqrt());
                if d < best.1 {
                    best = (c, d);
                }
            }
            nearest.push(best.0);
        }
        Measured { distances, nearest }
    }

    /// Rows of `width` values from a few levels, so that rows repeat and distances tie exactly.
    fn grid(values: &[u8], width: usize) -> Array2<f64> {
        let data: Vec<f64> = values.iter().map(|&v| f64::from(v % 4) * 0.25).collect();
        Array2::from_shape_vec((values.len() / width, width), data).expect("whole rows")
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Rows on a coarse grid (many repeated rows, many exact ties between centroids), any
        /// centroids among them, any number of steps: the same centroids and inertia, bit for bit.
        #[test]
        fn fits_as_linfa_does_on_ties(
            width in 1usize..5,
            values in proptest::collection::vec(any::<u8>(), 8..240),
            picks in proptest::collection::vec(any::<usize>(), 1..7),
            max_steps in 1u64..40,
        ) {
            let records = grid(&values[..values.len() / width * width], width);
            prop_assume!(records.nrows() >= picks.len());
            let rows: Vec<usize> = picks.iter().map(|p| p % records.nrows()).collect();
            let init = records.select(ndarray::Axis(0), &rows);
            let ours = fit(&records, init.clone(), max_steps, TOLERANCE);
            let given = fit_measured(&records, init.clone(), Some(measured(&records, &init)), max_steps, TOLERANCE);
            let (centroids, inertia) = linfa(&records, init, max_steps);
            prop_assert_eq!(&ours.centroids, &centroids);
            prop_assert_eq!(ours.inertia.to_bits(), inertia.to_bits());
            prop_assert_eq!(given.centroids, centroids);
            prop_assert_eq!(given.inertia.to_bits(), inertia.to_bits());
        }
    }

    /// Rows on a coarse grid, many of them at equal distances from two seeds: the seeding keeps
    /// each row's distances and the first of its nearest seeds, as a first step measures them.
    #[test]
    fn the_seeding_keeps_what_a_first_step_measures_on_ties() {
        let values: Vec<u8> = (0..600u32).map(|i| (i * 7 % 13) as u8).collect();
        let records = grid(&values, 3);
        for k in [2, 5, 9, 16] {
            let mut rng = Xoshiro256Plus::seed_from_u64(k as u64);
            let (init, seeded) = super::super::plus_plus_measured(&records, k, &mut rng);
            let brute = measured(&records, &init);
            assert_eq!(seeded.distances, brute.distances, "k = {k}");
            assert_eq!(seeded.nearest, brute.nearest, "k = {k}");
        }
    }

    /// Rows 0, 1 and 3.5 from centroids 0 and 1.5: the first step puts 1 with the second
    /// centroid and moves the centroids to 0 and 2, so at the second step 1 is as near to both,
    /// and linfa takes the first. Bounds that let a row keep its centroid on a tie would not.
    #[test]
    fn a_tie_goes_to_the_first_centroid_as_in_linfa() {
        let records = ndarray::array![[0.0], [1.0], [3.5]];
        let init = ndarray::array![[0.0], [1.5]];
        for steps in 1..5 {
            let ours = fit(&records, init.clone(), steps, TOLERANCE);
            assert_eq!(
                ours.centroids,
                linfa(&records, init.clone(), steps).0,
                "{steps} steps"
            );
        }
        // The second step leaves the row with the first centroid: (0 + 1 + its old 0) / 3.
        let second = fit(&records, init, 2, TOLERANCE).centroids;
        assert_eq!(second[[0, 0]], 1.0 / 3.0);
    }

    /// Unit rows in 30 dimensions around 12 directions, as the LSA gives: fitted to convergence
    /// from k-means++ seeds for several k, the same centroids as linfa, bit for bit.
    #[test]
    fn fits_as_linfa_does_on_unit_rows() {
        let mut rng = Xoshiro256Plus::seed_from_u64(7);
        use rand::Rng;
        let directions: Vec<Vec<f64>> = (0..12)
            .map(|_| (0..30).map(|_| rng.gen_range(-1.0..1.0)).collect())
            .collect();
        let mut records = Array2::<f64>::zeros((1500, 30));
        for (i, mut row) in records.rows_mut().into_iter().enumerate() {
            let direction = &directions[i % directions.len()];
            for (x, d) in row.iter_mut().zip(direction) {
                *x = d + rng.gen_range(-0.8..0.8);
            }
            let norm = row.dot(&row).sqrt();
            row /= norm;
        }
        for k in [2, 7, 12, 20, 33] {
            let mut rng = Xoshiro256Plus::seed_from_u64(k as u64);
            let (init, seeded) = super::super::plus_plus_measured(&records, k, &mut rng);
            // The seeding's distances are the ones a first step would measure.
            let brute = measured(&records, &init);
            assert_eq!(seeded.distances, brute.distances, "k = {k}");
            assert_eq!(seeded.nearest, brute.nearest, "k = {k}");
            let ours = fit(&records, init.clone(), 200, TOLERANCE);
            let given = fit_measured(&records, init.clone(), Some(seeded), 200, TOLERANCE);
            let (centroids, inertia) = linfa(&records, init, 200);
            assert_eq!(ours.centroids, centroids, "k = {k}");
            assert_eq!(ours.inertia.to_bits(), inertia.to_bits(), "k = {k}");
            assert_eq!(given.centroids, centroids, "k = {k}, measured");
            assert_eq!(given.inertia.to_bits(), inertia.to_bits(), "k = {k}, measured");
        }
    }

    /// More than 64 centroids, where a row's candidates do not fit the mask and every centroid
    /// is looked at in turn, and 64 exactly, the most the mask holds: linfa's centroids, bit
    /// for bit.
    #[test]
    fn fits_as_linfa_does_beyond_the_mask() {
        let mut rng = Xoshiro256Plus::seed_from_u64(11);
        use rand::Rng;
        let mut records = Array2::<f64>::zeros((900, 8));
        for mut row in records.rows_mut() {
            for x in row.iter_mut() {
                *x = rng.gen_range(-1.0..1.0);
            }
        }
        for k in [63, 64, 65, 90] {
            let init = super::super::plus_plus(&records, k, &mut Xoshiro256Plus::seed_from_u64(k as u64));
            let ours = fit(&records, init.clone(), 200, TOLERANCE);
            let (centroids, inertia) = linfa(&records, init, 200);
            assert_eq!(ours.centroids, centroids, "k = {k}");
            assert_eq!(ours.inertia.to_bits(), inertia.to_bits(), "k = {k}");
        }
    }
}
