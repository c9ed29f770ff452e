//! Which entries hold each term, and the topics' labels by class-based TF-IDF.

use rustc_hash::FxHashMap;

use crate::vectorize::SparseVector;

/// Which entries hold each term, for co-occurrence.
pub(super) struct DocSets {
    pub(super) by_term: FxHashMap<u32, Vec<u32>>,
    /// Rows with terms.
    pub(super) documents: f64,
    /// Rows in all, the empty ones included.
    pub(super) rows: usize,
    /// The terms that may label a topic (see [`class_tfidf`]), in term order.
    pub(super) label_terms: Vec<u32>,
    /// Each term's place in `label_terms`, [`NOT_A_LABEL`] for the others.
    pub(super) label_slot: Vec<u32>,
}

pub(super) const NOT_A_LABEL: u32 = u32::MAX;

impl DocSets {
    pub(super) fn new(vectors: &[SparseVector]) -> DocSets {
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
    pub(super) fn npmi(&self, terms: &[u32]) -> f64 {
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
pub(super) fn class_tfidf(
    labels: &[u32],
    live: &[usize],
    k: usize,
    counts: &[Vec<(u32, u32)>],
    top: usize,
    docs: &DocSets,
) -> Vec<Vec<u32>> {
    class_tfidf_of(labels, &LabelRows::new(live, counts, docs), k, top, docs)
}

/// The label terms of each row of a `live` list, as places in [`DocSets::label_terms`], each
/// row's number of distinct terms, and how many rows hold each label term: what
/// [`class_tfidf`] counts, looked up once for every k tried over the same rows.
pub(super) struct LabelRows {
    /// The places of row `i`'s label terms: `slots[offsets[i]..offsets[i + 1]]`, in the order
    /// of its counts.
    offsets: Vec<usize>,
    slots: Vec<u32>,
    /// Each row's number of distinct terms.
    lengths: Vec<usize>,
    /// How many of the rows hold each label term.
    overall: Vec<u32>,
}

impl LabelRows {
    pub(super) fn new(live: &[usize], counts: &[Vec<(u32, u32)>], docs: &DocSets) -> LabelRows {
        let mut offsets = Vec::with_capacity(live.len() + 1);
        let mut slots = Vec::new();
        let mut overall = vec![0u32; docs.label_terms.len()];
        offsets.push(0);
        for &r in live {
            for &(t, _) in &counts[r] {
                if let Some(&slot) = docs.label_slot.get(t as usize).filter(|&&s| s != NOT_A_LABEL) {
                    slots.push(slot);
                    overall[slot as usize] += 1;
                }
            }
            offsets.push(slots.len());
        }
        LabelRows {
            offsets,
            slots,
            lengths: live.iter().map(|&r| counts[r].len()).collect(),
            overall,
        }
    }
}

/// [`class_tfidf`] over the rows `rows` holds, `labels` one per row.
pub(super) fn class_tfidf_of(
    labels: &[u32],
    rows: &LabelRows,
    k: usize,
    top: usize,
    docs: &DocSets,
) -> Vec<Vec<u32>> {
    let width = docs.label_terms.len();
    if width == 0 {
        return vec![Vec::new(); k];
    }
    // Entries holding each label term per topic (k rows of `width`); overall, `rows` counted.
    let mut per_class = vec![0u32; k * width];
    let mut totals = vec![0.0f64; k];
    for (i, &label) in labels.iter().enumerate().take(rows.lengths.len()) {
        let class = &mut per_class[label as usize * width..][..width];
        for &slot in &rows.slots[rows.offsets[i]..rows.offsets[i + 1]] {
            class[slot as usize] += 1;
        }
        totals[label as usize] += rows.lengths[i] as f64;
    }
    let overall = &rows.overall;
    let average = totals.iter().sum::<f64>() / k as f64;
    // Ties are broken by term, so the order is total: the first `top` of a partial selection,
    // sorted, are those of the whole list sorted.
    let order = |a: &(u32, f64), b: &(u32, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    per_class
        .chunks(width)
        .zip(&totals)
        .map(|(class, &total)| {
            let mut weighted: Vec<(u32, f64)> = class
                .iter()
                .zip(&docs.label_terms)
                .zip(overall)
                .filter(|((&tf, _), _)| tf > 0)
                .map(|((&tf, &t), &all)| {
                    let idf = (1.0 + average / f64::from(all)).ln();
                    (t, f64::from(tf) / total.max(1.0) * idf)
                })
                .collect();
            if weighted.len() > top && top > 0 {
                weighted.select_nth_unstable_by(top - 1, order);
                weighted.truncate(top);
            }
            weighted.sort_by(order);
            weighted.into_iter().take(top).map(|(t, _)| t).collect()
        })
        .collect()
}
