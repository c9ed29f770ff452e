//! The top-k search both indexes run: [`super::RelatedIndex`] in memory and the index file
//! ([`super::file`]), which reads the lists it walks and the blocks it looks rows up in. Exact —
//! the same rows, order and scores, to the bit, as walking every posting list of the query to
//! its end ([`super::RelatedIndex::query_exhaustive`]) — while walking less.
//!
//! Where it saves. Lists hold rows in archive order, so "earlier issues" is a prefix of each
//! list, and the walk stops there (the exhaustive walk reads the whole list and skips the later
//! rows: half of the postings of `related --all`). And rows are unit vectors with non-negative
//! weights, so a row that shares none of the terms walked so far scores at most
//! `min(Σ q_t · max_t, ‖q_rest‖ · max_norm)` over the terms not walked yet (the second bound is
//! Cauchy–Schwarz). Terms are walked heaviest query weight first; once that bound falls below the
//! k-th best score found so far (a lower bound of the final k-th, since scores only grow), no new
//! row can enter the top k: the remaining lists are only looked up for the candidates already
//! met, and a candidate is dropped once its score plus what the rest could add cannot reach the
//! k-th. (Bounding the rest by the norm a candidate has left after the weights it has shown made
//! the search no faster on the real archive or the synthetic ones, and cost memory: left out.)
//!
//! What it cannot save. A query is a whole entry (25–50 terms) and the k-th best score of most
//! entries is low (about 0.2), while the common terms' share of a query's norm is about as much:
//! a row sharing only common words could still make the top k, so new rows stop being admitted
//! only after most of the postings (60% of those of `related --all` on the real archive). The
//! walk stays linear in the archive per query, and `--all` quadratic; BENCHMARKS.md has the
//! numbers.
//!
//! Why the scores are the same bits. Pruning uses sums taken in walk order; the rows that can
//! still be in the top k are then scored again in the query's term order, the order the
//! exhaustive walk adds in, and ranked by that.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::convert::Infallible;

use super::Request;

/// How far a bound or a sum taken in another order may be from the exact `f32` sum. Scores are
/// at most about 1 and a row has at most a few hundred terms, so rounding moves a sum by less
/// than 300 · 2⁻²⁴ ≈ 2e-5; bounds are compared with this much room, which only prunes less.
const SLACK: f64 = 1e-4;

/// A lookup of a row in a list (a galloping search) costs about this many steps of a walk: the
/// remaining terms are looked up for the candidates when they are fewer than the list's length
/// over this, else the list is walked.
const LOOKUP_COST: u64 = 8;

/// One posting: an entry row and the term's weight in it.
pub(crate) type Posting = (u32, f32);

/// What the search needs to know of a term before walking its list.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TermMeta {
    /// The largest weight in the term's list.
    pub max_weight: f32,
    /// The length of the whole list.
    pub len: u32,
}

/// Where posting lists are read from. Two implementations: the index in memory and the index
/// file read with positioned reads.
pub(crate) trait Postings {
    type Error;
    /// The term's metadata; `None` for a term outside the vocabulary.
    fn meta(&mut self, term: u32) -> Result<Option<TermMeta>, Self::Error>;
    /// The term's postings whose row is below `limit`, rows increasing.
    fn list(&mut self, term: u32, limit: u32) -> Result<&[Posting], Self::Error>;
    /// For each of `rows` (increasing), the term's weight in that row, if it has the term.
    fn find(&mut self, term: u32, rows: &[u32], found: &mut Vec<Option<f32>>) -> Result<(), Self::Error>;
    /// The term's strongest co-occurring terms ([`super::neighbours`]), for a widened request.
    fn neighbours(&mut self, term: u32) -> Result<&[(u32, f32)], Self::Error>;
}

/// One query: the request, and what the index it runs on makes of it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Search<'a> {
    pub request: &'a Request<'a>,
    /// Only rows below this one: the request's earlier issues, rows being in archive order.
    pub limit: u32,
    /// The largest norm of any row (1 for unit rows, up to rounding).
    pub max_norm: f32,
}

/// What a candidate row has gathered so far is two slots: its score summed in walk order (for
/// pruning only) and its flags, in two vectors of numbers (the standard library allocates those
/// zeroed; a query at a million entries touches most of their pages). Apart, because most of a
/// walk only asks whether a row is alive: a byte per row (1 MB at a million entries) stays in
/// the cache where the scores and flags side by side (8 MB) did not. Every row met is a
/// candidate: any shared term, however common, can make the top k.
const IN_HEAP: u8 = 2;
/// Met, and not cut since.
const ALIVE: u8 = 4;

fn is_alive(flags: u8) -> bool {
    flags & ALIVE != 0
}

/// Memory a search reuses: one slot per row and the rows met. `related --all` keeps one for all
/// its queries; a single query's slots are allocated zeroed, so only the pages it touches cost.
#[derive(Debug, Default)]
pub struct Scratch {
    scores: Vec<f32>,
    flags: Vec<u8>,
    met: Vec<u32>,
    /// Buffers kept between queries: the candidates still alive, lookups' results, the bar.
    alive: Vec<u32>,
    found: Vec<Option<f32>>,
    heap: BinaryHeap<Reverse<(u32, u32)>>,
    widening: super::neighbours::Widening,
}

impl Scratch {
    pub fn new(rows: usize) -> Scratch {
        Scratch {
            scores: vec![0.0; rows],
            flags: vec![0; rows],
            ..Scratch::default()
        }
    }

    fn reset(&mut self, rows: usize) {
        for &row in &self.met {
            self.scores[row as usize] = 0.0;
            self.flags[row as usize] = 0;
        }
        self.met.clear();
        if self.scores.len() < rows {
            self.scores.resize(rows, 0.0);
            self.flags.resize(rows, 0);
        }
    }

    /// Adds a term's weight in `row`, meeting the row if it is new, and offers it to the bar.
    fn add(&mut self, bar: &mut Bar, row: u32, w: f32, weight: f32) {
        let r = row as usize;
        let flags = self.flags[r];
        if !is_alive(flags) {
            self.flags[r] = flags | ALIVE;
            self.met.push(row);
        }
        self.scores[r] += w * weight;
        if flags & IN_HEAP == 0 {
            bar.offer(&self.scores, &mut self.flags, row);
        }
    }
}

/// The bar a candidate must be able to reach: `min_score`, and once k accepted candidates are
/// known, the lowest of their scores (taken when they entered, so a lower bound of the k-th best).
struct Bar {
    k: usize,
    min_score: f64,
    /// (score bits, row) of up to k accepted candidates; scores are non-negative, so their bits
    /// order as they do.
    heap: BinaryHeap<Reverse<(u32, u32)>>,
    /// Off when the weights are not all non-negative: the bounds would not hold.
    on: bool,
}

impl Bar {
    fn reachable(&self, bound: f64) -> bool {
        if !self.on {
            return true;
        }
        let bound = bound + SLACK;
        bound >= self.min_score
            && (self.heap.len() < self.k
                || self
                    .heap
                    .peek()
                    .is_none_or(|Reverse((bits, _))| bound >= f64::from(f32::from_bits(*bits))))
    }

    /// Offers a candidate not yet held.
    fn offer(&mut self, scores: &[f32], flags: &mut [u8], row: u32) {
        let entry = Reverse((scores[row as usize].to_bits(), row));
        if self.heap.len() < self.k {
            flags[row as usize] |= IN_HEAP;
            self.heap.push(entry);
        } else if self.heap.peek().is_some_and(|min| entry < *min) {
            if let Some(Reverse((_, out))) = self.heap.pop() {
                flags[out as usize] &= !IN_HEAP;
            }
            flags[row as usize] |= IN_HEAP;
            self.heap.push(entry);
        }
    }

    /// Takes the held candidates' current scores (they only grow).
    fn refresh(&mut self, scores: &[f32]) {
        let mut held = std::mem::take(&mut self.heap).into_vec();
        for Reverse((bits, row)) in &mut held {
            *bits = scores[*row as usize].to_bits();
        }
        self.heap = BinaryHeap::from(held);
    }
}

#[derive(Debug, Clone, Copy)]
struct QueryTerm {
    term: u32,
    w: f32,
    meta: TermMeta,
}

/// The `k` rows most similar to the request's vector: (row, exact score), best first, ties by row.
/// `rows` is the number of rows of the index.
pub(crate) fn search<P: Postings>(
    source: &mut P,
    search: &Search<'_>,
    scratch: &mut Scratch,
    rows: usize,
) -> Result<Vec<(u32, f32)>, P::Error> {
    let &Search {
        request,
        limit,
        max_norm,
    } = search;
    let &Request {
        vector,
        exclude,
        k,
        min_score,
        expand,
        ..
    } = request;
    // The lists hold rows as `u32`.
    let exclude = exclude.map(|r| r as u32);
    if k == 0 {
        return Ok(Vec::new());
    }
    let widened;
    let q = if expand {
        widened = super::neighbours::expand(vector, source, &mut scratch.widening)?;
        &widened
    } else {
        vector
    };
    scratch.reset(rows);
    let mut terms = Vec::with_capacity(q.indices.len());
    for (&term, &w) in q.indices.iter().zip(&q.values) {
        if let Some(meta) = source.meta(term)? {
            terms.push(QueryTerm { term, w, meta });
        }
    }
    let bounded = max_norm.is_finite()
        && terms.iter().all(|t| {
            t.w >= 0.0 && t.w.is_finite() && t.meta.max_weight >= 0.0 && t.meta.max_weight.is_finite()
        });
    terms.sort_by(|a, b| b.w.total_cmp(&a.w).then(a.term.cmp(&b.term)));
    // What the terms from j on can add: Σ q·max and ‖q‖², in f64 (rounding stays far below SLACK).
    let n = terms.len();
    let (mut rest_max, mut rest_sq) = (vec![0f64; n + 1], vec![0f64; n + 1]);
    for j in (0..n).rev() {
        let (w, m) = (f64::from(terms[j].w), f64::from(terms[j].meta.max_weight));
        rest_max[j] = rest_max[j + 1] + w * m;
        rest_sq[j] = rest_sq[j + 1] + w * w;
    }
    let max_norm = f64::from(max_norm);
    let mut bar = Bar {
        k,
        min_score: f64::from(min_score),
        heap: std::mem::take(&mut scratch.heap),
        on: bounded,
    };

    // Walk whole lists while a row not met yet could still make the top k.
    let mut j = 0;
    while j < n && bar.reachable(rest_max[j].min(rest_sq[j].sqrt() * max_norm)) {
        let t = terms[j];
        for &(row, weight) in source.list(t.term, limit)? {
            if Some(row) != exclude {
                scratch.add(&mut bar, row, t.w, weight);
            }
        }
        bar.refresh(&scratch.scores);
        j += 1;
    }

    // Then the remaining terms only for the candidates that can still make it: looked up in
    // the term's list when they are few against it, else by walking it.
    let mut alive = std::mem::take(&mut scratch.alive);
    alive.clear();
    alive.extend_from_slice(&scratch.met);
    let mut sorted = false;
    let mut found = std::mem::take(&mut scratch.found);
    for (jj, t) in terms.iter().enumerate().skip(j) {
        // Cutting the candidates pays where it can turn a walk into lookups, and once at the
        // start, when most fall.
        let len = u64::from(t.meta.len);
        if jj == j || (alive.len() as u64) * LOOKUP_COST < 4 * len {
            // What the terms left can add to any row.
            let rest = rest_max[jj].min(rest_sq[jj].sqrt() * max_norm);
            let (scores, flags) = (&scratch.scores, &mut scratch.flags);
            alive.retain(|&row| {
                let keep = bar.reachable(f64::from(scores[row as usize]) + rest);
                if !keep {
                    flags[row as usize] &= !ALIVE;
                }
                keep
            });
            if alive.is_empty() {
                break;
            }
        }
        if (alive.len() as u64) * LOOKUP_COST < len {
            if !sorted {
                alive.sort_unstable();
                sorted = true;
            }
            found.clear();
            source.find(t.term, &alive, &mut found)?;
            for (&row, f) in alive.iter().zip(&found) {
                if let Some(weight) = *f {
                    scratch.add(&mut bar, row, t.w, weight);
                }
            }
        } else {
            for &(row, weight) in source.list(t.term, limit)? {
                if is_alive(scratch.flags[row as usize]) {
                    scratch.add(&mut bar, row, t.w, weight);
                }
            }
        }
        bar.refresh(&scratch.scores);
    }

    // The candidates that can be in the top k, scored again in the query's term order.
    let mut near: Vec<(u32, f32)> = alive
        .iter()
        .filter(|&&row| is_alive(scratch.flags[row as usize]))
        .map(|&row| (row, scratch.scores[row as usize]))
        .filter(|&(_, score)| bar.reachable(f64::from(score)))
        .collect();
    if bounded && near.len() > k {
        near.select_nth_unstable_by(k - 1, |a, b| b.1.total_cmp(&a.1));
        let kth = f64::from(near[k - 1].1);
        near.retain(|&(_, s)| f64::from(s) + SLACK >= kth);
    }
    near.sort_unstable_by_key(|&(row, _)| row);
    let near_rows: Vec<u32> = near.iter().map(|&(row, _)| row).collect();
    let mut exact = vec![0f32; near_rows.len()];
    if !near_rows.is_empty() {
        // (A term outside the vocabulary finds nothing, as in the exhaustive walk.)
        for (&term, &w) in q.indices.iter().zip(&q.values) {
            found.clear();
            source.find(term, &near_rows, &mut found)?;
            for (score, f) in exact.iter_mut().zip(&found) {
                if let Some(weight) = *f {
                    *score += w * weight;
                }
            }
        }
    }
    let mut ranked: Vec<(u32, f32)> = near_rows
        .into_iter()
        .zip(exact)
        .filter(|&(_, s)| s >= min_score)
        .collect();
    ranked.sort_by(|a, b| {
        b.1.partial_cmp(&a.1)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.0.cmp(&b.0))
    });
    ranked.truncate(k);
    scratch.alive = alive;
    scratch.found = found;
    bar.heap.clear();
    scratch.heap = bar.heap;
    Ok(ranked)
}

/// Looks up each of `rows` (increasing) in `list` (rows increasing), galloping from where the
/// previous one was found: a few candidates cost a few binary searches, many cost one pass.
pub(crate) fn find_in(list: &[Posting], rows: &[u32], found: &mut Vec<Option<f32>>) {
    let mut at = 0;
    for &row in rows {
        let mut step = 1;
        let mut hi = at;
        while hi < list.len() && list[hi].0 < row {
            at = hi + 1;
            hi += step;
            step *= 2;
        }
        let hi = hi.min(list.len());
        at += list[at..hi].partition_point(|p| p.0 < row);
        found.push(list.get(at).filter(|p| p.0 == row).map(|p| p.1));
    }
}

/// For errors that cannot happen (the index in memory).
pub(crate) fn infallible<T>(r: Result<T, Infallible>) -> T {
    match r {
        Ok(v) => v,
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn galloping_finds_every_row_and_only_those() {
        let list: Vec<Posting> = (0..100).map(|i| (i * 3, i as f32)).collect();
        let rows: Vec<u32> = (0..310).collect();
        let mut found = Vec::new();
        find_in(&list, &rows, &mut found);
        for (&row, f) in rows.iter().zip(&found) {
            let want = (row.is_multiple_of(3) && row < 300).then_some((row / 3) as f32);
            assert_eq!(*f, want, "row {row}");
        }
        found.clear();
        find_in(&list, &[0, 297, 298, 1000], &mut found);
        assert_eq!(found, vec![Some(0.0), Some(99.0), None, None]);
        found.clear();
        find_in(&[], &[1], &mut found);
        assert_eq!(found, vec![None]);
    }
}
