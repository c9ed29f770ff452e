//! The rows to cluster: BM25 (or TF-IDF) weights over the terms common enough to cluster by.

use crate::vectorize::SparseVector;

use super::*;

/// BM25's term-frequency saturation and length normalisation, at the usual values: the
/// measured alternatives (k1 0.5 or 2, b 0.3 or 1) were no better (QUALITY.md).
pub(super) const BM25_K1: f64 = 1.2;
pub(super) const BM25_B: f64 = 0.75;

/// The rows to cluster, over the terms in at least `min_df` entries (renumbered), with those terms'
/// names: the TF-IDF rows or BM25 rows from the raw counts, each scaled to unit length.
pub(super) fn weigh(
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
pub(super) fn unembedded(live: &[usize], rows: &[SparseVector]) -> Vec<usize> {
    (0..live.len())
        .filter(|&i| rows[live[i]].indices.is_empty())
        .collect()
}
