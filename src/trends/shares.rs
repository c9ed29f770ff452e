//! Shares over time: topics' and categories' entries per period, raw and smoothed.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::periods::{periods, Granularity, PeriodSpan};
use crate::model::{Category, CategoryCounts, Entry, Issue};

/// How many neighbouring periods on each side the smoothed shares pool: 1 is a centred window
/// of 3 periods (2 at either end of the timeline).
pub const SMOOTHING_RADIUS: usize = 1;

/// Topic shares per period: counts, raw shares and smoothed shares.
///
/// Smoothing pools the counts of the periods within `radius` of each period (the neighbouring
/// rows of the table, so a gap in the archive is stepped over) and divides by the entries they
/// hold. Pooling, rather than averaging shares, lets a thin period (a title-only issue with a
/// handful of entries) weigh less than a full one; and each smoothed row still sums to 1, since
/// it is the share of one (larger) set of entries.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShareTable {
    pub granularity: Granularity,
    pub radius: usize,
    /// The columns: topic ids (after the editor's merges), ascending.
    pub topics: Vec<u32>,
    pub rows: Vec<ShareRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShareRow {
    #[serde(flatten)]
    pub span: PeriodSpan,
    /// Entries of the period that have a topic (withdrawn placeholders have none).
    pub entries: u32,
    /// Entries per topic, in the order of [`ShareTable::topics`].
    pub counts: Vec<u32>,
    /// `counts / entries` (all zero for a period without entries).
    pub shares: Vec<f64>,
    pub smoothed: Vec<f64>,
}

/// Pooled shares over the rows within `radius` of each row.
pub(super) fn smooth(counts: &[Vec<u32>], totals: &[u32], radius: usize) -> Vec<Vec<f64>> {
    (0..counts.len())
        .map(|r| {
            let range = r.saturating_sub(radius)..(r + radius + 1).min(counts.len());
            let total: u32 = totals[range.clone()].iter().sum();
            let width = counts.get(r).map_or(0, Vec::len);
            (0..width)
                .map(|c| {
                    let n: u32 = counts[range.clone()].iter().map(|row| row[c]).sum();
                    share(n, total)
                })
                .collect()
        })
        .collect()
}

pub(super) fn share(n: u32, total: u32) -> f64 {
    if total == 0 {
        0.0
    } else {
        f64::from(n) / f64::from(total)
    }
}

/// The topic shares of each period. `assignments` is each entry's topic in the order of
/// `entries`, with the editor's merges applied ([`TopicEdits::apply`]).
pub fn topic_shares(
    issues: &[Issue],
    entries: &[Entry],
    assignments: &[Option<u32>],
    granularity: Granularity,
    radius: usize,
) -> ShareTable {
    // Hash maps, not ordered ones: they are only looked up (a million entries at scale).
    let topics: Vec<u32> = {
        let ids: FxHashSet<u32> = assignments.iter().flatten().copied().collect();
        let mut ids: Vec<u32> = ids.into_iter().collect();
        ids.sort_unstable();
        ids
    };
    let column: FxHashMap<u32, usize> = topics.iter().enumerate().map(|(c, &t)| (t, c)).collect();
    let mut per_issue: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for (entry, topic) in entries.iter().zip(assignments) {
        if let (false, Some(t)) = (entry.withdrawn, topic) {
            per_issue
                .entry(entry.issue)
                .or_insert_with(|| vec![0; topics.len()])[column[t]] += 1;
        }
    }
    let spans = periods(issues, granularity);
    let mut counts = Vec::with_capacity(spans.len());
    let mut rows = Vec::with_capacity(spans.len());
    for (&period, list) in &spans {
        let mut row = vec![0u32; topics.len()];
        for issue in list {
            if let Some(c) = per_issue.get(&issue.number) {
                row.iter_mut().zip(c).for_each(|(a, b)| *a += b);
            }
        }
        rows.push(PeriodSpan::of(period, list));
        counts.push(row);
    }
    let totals: Vec<u32> = counts.iter().map(|r| r.iter().sum()).collect();
    let smoothed = smooth(&counts, &totals, radius);
    ShareTable {
        granularity,
        radius,
        topics,
        rows: rows
            .into_iter()
            .zip(counts)
            .zip(smoothed)
            .zip(&totals)
            .map(|(((span, counts), smoothed), &entries)| ShareRow {
                span,
                entries,
                shares: counts.iter().map(|&n| share(n, entries)).collect(),
                counts,
                smoothed,
            })
            .collect(),
    }
}

/// Entries per category in each period, from the issues' own parsed counts (withdrawn
/// placeholders excluded), with raw and smoothed shares as in [`ShareTable`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryTable {
    pub granularity: Granularity,
    pub radius: usize,
    pub rows: Vec<CategoryRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryRow {
    #[serde(flatten)]
    pub span: PeriodSpan,
    pub entries: u32,
    /// Per category, indexed by [`Category::index`].
    pub counts: CategoryCounts,
    pub shares: [f64; 6],
    pub smoothed: [f64; 6],
}

pub fn category_shares(issues: &[Issue], granularity: Granularity, radius: usize) -> CategoryTable {
    let spans = periods(issues, granularity);
    let counts: Vec<CategoryCounts> = spans
        .values()
        .map(|list| {
            let mut c = CategoryCounts::default();
            for issue in list {
                for cat in Category::ALL {
                    c.add(cat, issue.counts.get(cat));
                }
            }
            c
        })
        .collect();
    let as_vecs: Vec<Vec<u32>> = counts.iter().map(|c| c.0.to_vec()).collect();
    let totals: Vec<u32> = counts.iter().map(CategoryCounts::total).collect();
    let smoothed = smooth(&as_vecs, &totals, radius);
    let array = |v: &[f64]| -> [f64; 6] { std::array::from_fn(|i| v.get(i).copied().unwrap_or(0.0)) };
    CategoryTable {
        granularity,
        radius,
        rows: spans
            .iter()
            .zip(counts)
            .zip(smoothed)
            .map(|(((&period, list), counts), smoothed)| CategoryRow {
                span: PeriodSpan::of(period, list),
                entries: counts.total(),
                shares: std::array::from_fn(|i| share(counts.0[i], counts.total())),
                counts,
                smoothed: array(&smoothed),
            })
            .collect(),
    }
}
