//! LSA: a randomized truncated SVD of the weighted rows (Halko et al.), the space k-means runs in.

use linfa_linalg::cholesky::Cholesky;
use linfa_linalg::eigh::{EigSort, Eigh};
use linfa_linalg::Order;
use ndarray::{Array1, Array2, Axis};
use rayon::prelude::*;

use crate::vectorize::SparseVector;

/// Power iterations of the randomized SVD: each sharpens the top singular directions. Three
/// gave topics as coherent as four over five seeds, and steadier as the archive grows
/// (QUALITY.md, "Power iterations").
pub(super) const POWER_ITERATIONS: usize = 3;

pub(super) fn fx_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    text.hash(&mut hasher);
    hasher.finish()
}

pub(super) fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The rows as they are, dense (they are unit length already).
pub(super) fn dense(vectors: &[SparseVector], vocabulary: usize) -> Array2<f64> {
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
pub(super) fn sparse_times(rows: &[SparseVector], m: &Array2<f64>) -> Array2<f64> {
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
pub(super) fn orthonormal_columns(m: &Array2<f64>) -> Array2<f64> {
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
pub(super) fn lower_inverse(lower: &Array2<f64>) -> Option<Array2<f64>> {
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
pub(super) fn gram_schmidt(m: &Array2<f64>) -> Array2<f64> {
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
pub(super) fn lsa(vectors: &[SparseVector], terms: &[String], dims: usize, seed: u64) -> Array2<f64> {
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
