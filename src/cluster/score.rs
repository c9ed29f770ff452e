//! The scores that choose k: NPMI coherence of each topic's top terms, silhouettes.

use ndarray::Array2;

use super::*;

/// The scores of `labels` (over `topics` topics, `k_asked` of them asked for), with the rows'
/// cosines to their nearest centroids and the next (`nearest`, as [`nearest_centroids`] gives),
/// `label_rows` the label terms of the rows labelled.
pub(super) fn score(
    k_asked: usize,
    labels: &[u32],
    topics: usize,
    nearest: &[Nearest],
    label_rows: &LabelRows,
    docs: &DocSets,
) -> KScore {
    // Splitting an oversized topic may have added topics to the k asked for.
    let k = topics;
    let k_asked = k_asked.min(k);
    let tops = class_tfidf_of(labels, label_rows, k, 10, docs);
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
pub(super) fn silhouette(nearest: &[Nearest]) -> f64 {
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
pub(super) fn full_silhouette(labels: &[u32], embedded: &Array2<f64>, live: &[usize]) -> f64 {
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

pub(super) fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
