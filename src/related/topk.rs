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
//! Walked whole ([`walk`]). An index in memory of up to some tens of thousands of rows adds every
//! posting of the query's lists up to its limit instead, into one slot per row: the exhaustive
//! walk without its map, cheaper there than the bookkeeping that lets the search skip postings.
//!
//! By blocks of rows ([`search_blocks`]). When a query's lists are all at hand whole (the late
//! window's queries of a report's pooled index files), it is answered by blocks of
//! [`ROW_BLOCK`] rows instead: each list's largest weight in each block ([`BlockMaxima`], made
//! once from the list) bounds what a block's rows can score, the blocks are scored best bound
//! first, and the walk stops at the first block that cannot reach the k-th score found; within
//! a block the terms are read most first by what they can add to one of its rows, and the block
//! left once none of its rows can still reach that score (in-block MaxScore). At a
//! million entries the last season's re-share queries (k = 12, at least 0.2) score about 4% of
//! the blocks and a tenth of their postings, its cross-references (k = 3, a bar of about 0.6)
//! 72 blocks of 31,000: the list-by-list walk above cannot stop admitting rows until about half
//! of the postings, since a row sharing only the common words could still reach the bar.
//! The common terms' maxima are kept a slot per block (dense), the rest an entry per block held:
//! a re-share query needs a common term to reach its bar, so nearly every block is a candidate,
//! and the bounds are summed a dense list at a time in one pass the compiler vectorises (at 1M,
//! the season's 1,196 queries' search a quarter of what the entry-by-entry sums and lookups
//! cost, BENCHMARKS.md "The block search at 1M").
//!
//! Why the scores are the same bits. Pruning uses sums taken in walk order; the rows that can
//! still be in the top k are then scored again in the query's term order, the order the
//! exhaustive walk adds in, and ranked by that. The block search sums every row it scores in
//! that order from the start.

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
        vector: q,
        exclude,
        k,
        min_score,
        ..
    } = request;
    // The lists hold rows as `u32`.
    let exclude = exclude.map(|r| r as u32);
    if k == 0 {
        return Ok(Vec::new());
    }
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
    let ranked = best_k(near_rows.into_iter().zip(exact).collect(), k, min_score);
    scratch.alive = alive;
    scratch.found = found;
    bar.heap.clear();
    scratch.heap = bar.heap;
    Ok(ranked)
}

/// The `k` rows most similar to the request's vector, as [`search`] gives them, by walking
/// each list of the query to the request's limit, in the query's term order, into one slot per
/// row, and keeping the best `k`: the exhaustive walk, with the slots of `scratch` instead of a
/// map. Where the index is small (a real archive's few thousand rows), a list is a few hundred
/// postings and the slots fit in a core's cache, so adding every posting costs less than the
/// bookkeeping that lets [`search`] skip some.
pub(crate) fn walk<P: Postings>(
    source: &mut P,
    search: &Search<'_>,
    scratch: &mut Scratch,
    rows: usize,
) -> Result<Vec<(u32, f32)>, P::Error> {
    let Search { request, limit, .. } = *search;
    let k = request.k;
    if k == 0 {
        return Ok(Vec::new());
    }
    let exclude = request.exclude.map(|r| r as u32);
    scratch.reset(rows);
    let q = request.vector;
    for (&term, &w) in q.indices.iter().zip(&q.values) {
        for &(row, weight) in source.list(term, limit)? {
            if Some(row) == exclude {
                continue;
            }
            let r = row as usize;
            if scratch.flags[r] == 0 {
                scratch.flags[r] = ALIVE;
                scratch.met.push(row);
            }
            scratch.scores[r] += w * weight;
        }
    }
    let scored = (scratch.met.iter())
        .map(|&row| (row, scratch.scores[row as usize]))
        .collect();
    Ok(best_k(scored, k, request.min_score))
}

/// The order every answer is given in: best score first, ties by row (−0 as 0, as comparing
/// the scores has them).
pub(crate) fn best_first(a: &(u32, f32), b: &(u32, f32)) -> std::cmp::Ordering {
    (b.1 + 0.0).total_cmp(&(a.1 + 0.0)).then(a.0.cmp(&b.0))
}

/// The best `k` of `scored` (rows, each once) that score at least `min_score` (never NaN), in
/// [`best_first`] order.
pub(crate) fn best_k(mut scored: Vec<(u32, f32)>, k: usize, min_score: f32) -> Vec<(u32, f32)> {
    scored.retain(|&(_, s)| s >= min_score);
    if scored.len() > k {
        if k > 0 {
            scored.select_nth_unstable_by(k - 1, best_first);
        }
        scored.truncate(k);
    }
    scored.sort_unstable_by(best_first);
    scored
}

/// Rows per block of [`BlockMaxima`]: a block's bound is the sum of its terms' largest weights in
/// it, and a query scores a block's rows in slots of this many (in a core's cache).
pub(crate) const ROW_BLOCK: u32 = 32;

/// A list holding postings in at least one block in this many of those up to its last is kept
/// dense ([`BlockMaxima`]): its slots (8 bytes a block) cost at most twice its entries would
/// (12 bytes a block it holds), and a query adds it to every block's bound in one pass the
/// compiler vectorises instead of one entry at a time.
const DENSE_SHARE: usize = 3;

/// One block of rows that a term's list has postings in.
#[derive(Debug, Clone, Copy)]
struct BlockEntry {
    /// The block: rows `block · ROW_BLOCK ..` the next block's first.
    block: u32,
    /// The first of its postings in the list.
    start: u32,
    /// The largest weight of those postings.
    max: f32,
}

/// A term's list summarised by blocks of [`ROW_BLOCK`] rows, as block-max indexes (Lucene's
/// impacts, tantivy's block WAND) keep it: for each block that holds any of its postings, where
/// they start and their largest weight. Made from the whole list in one pass; valid for any
/// prefix of it. Two forms: sparse, an entry per block the list holds postings in; dense (a
/// list in a third or more of its blocks: the common terms'), a slot per block up to its last,
/// the largest weight (0 where it holds none) and where the block's postings start.
#[derive(Debug, Clone, Default)]
pub(crate) struct BlockMaxima {
    blocks: Blocks,
    /// The list's length: where the last block's postings end.
    len: u32,
    /// The largest weight of the list.
    max: f32,
    /// Whether every weight is finite and non-negative (else no bound holds).
    bounded: bool,
}

/// A list's blocks, in one of [`BlockMaxima`]'s two forms.
#[derive(Debug, Clone)]
enum Blocks {
    /// An entry per block the list holds postings in, blocks increasing.
    Sparse(Vec<BlockEntry>),
    /// A slot per block from block 0 to the list's last: `max`, its largest weight (0 where the
    /// list holds none), and `start`, where its postings start, with the list's length after
    /// them: block `b`'s postings are `start[b]..start[b + 1]`.
    Dense { max: Vec<f32>, start: Vec<u32> },
}

impl Default for Blocks {
    fn default() -> Blocks {
        Blocks::Sparse(Vec::new())
    }
}

impl BlockMaxima {
    /// The blocks of `list` (rows increasing), in the form that suits it.
    pub(crate) fn of(list: &[Posting]) -> BlockMaxima {
        BlockMaxima::in_form(list, None)
    }

    /// The blocks of `list`, dense or sparse as `dense` says, else as [`DENSE_SHARE`] does.
    fn in_form(list: &[Posting], dense: Option<bool>) -> BlockMaxima {
        let mut entries: Vec<BlockEntry> = Vec::new();
        for (at, &(row, weight)) in list.iter().enumerate() {
            let block = row / ROW_BLOCK;
            match entries.last_mut() {
                Some(e) if e.block == block => e.max = e.max.max(weight),
                _ => entries.push(BlockEntry {
                    block,
                    start: at as u32,
                    max: weight,
                }),
            }
        }
        let len = list.len() as u32;
        let spanned = entries.last().map_or(0, |e| e.block as usize + 1);
        let dense = dense.unwrap_or(entries.len() * DENSE_SHARE >= spanned);
        let max = entries.iter().map(|e| e.max).fold(0.0, f32::max);
        let blocks = if dense {
            let (mut max, mut start) = (vec![0.0; spanned], Vec::with_capacity(spanned + 1));
            for e in &entries {
                // A block without postings starts (and ends) where the next one starts.
                while start.len() <= e.block as usize {
                    start.push(e.start);
                }
                max[e.block as usize] = e.max;
            }
            start.push(len);
            Blocks::Dense { max, start }
        } else {
            Blocks::Sparse(entries)
        };
        BlockMaxima {
            blocks,
            max,
            bounded: list.iter().all(|p| p.1 >= 0.0 && p.1.is_finite()),
            len,
        }
    }

    fn is_dense(&self) -> bool {
        matches!(self.blocks, Blocks::Dense { .. })
    }
}

/// How many items at the head of `items` are `before` (which holds for a prefix of them):
/// galloping, so a short step costs a few comparisons and a long one a binary search.
fn gallop<T>(items: &[T], before: impl Fn(&T) -> bool) -> usize {
    if items.first().is_none_or(|x| !before(x)) {
        return 0;
    }
    // items[lo] is before; the answer is in lo + 1 ..= hi.
    let (mut lo, mut step) = (0, 1);
    while lo + step < items.len() && before(&items[lo + step]) {
        lo += step;
        step *= 2;
    }
    let hi = (lo + step).min(items.len());
    lo + 1 + items[lo + 1..hi].partition_point(before)
}

/// A score's bits turned so that they order as the scores do (negative ones too; a sum that
/// starts at +0 is never -0).
fn order_key(score: f32) -> u32 {
    let bits = score.to_bits();
    if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    }
}

fn from_order_key(key: u32) -> f32 {
    f32::from_bits(if key >> 31 == 1 { key & !(1 << 31) } else { !key })
}

/// One of a query's terms whose whole list is at hand, for [`search_blocks`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct WholeTerm<'a> {
    /// The query's weight of the term.
    pub w: f32,
    /// The term's whole list.
    pub list: &'a [Posting],
    pub blocks: &'a BlockMaxima,
}

/// Memory [`search_blocks`] reuses between queries: a bound per block and one block's slots.
#[derive(Debug, Default)]
pub struct BlockScratch {
    /// A bound per block, all 0 between queries.
    bounds: Vec<f32>,
    seen: Vec<bool>,
    by_block: Vec<u32>,
    ranges: Vec<(u32, u32)>,
    /// Each candidate block's term's most it can add to a row of the block: w · its largest
    /// weight there (0 where the term has no postings in the block).
    caps: Vec<f32>,
    /// One block's terms by what they can add, most first.
    by_cap: Vec<(f32, u32)>,
    /// One block's partial sums while it is screened, in the order its terms are read.
    partial: Vec<f32>,
    optional: Vec<bool>,
    touched: Vec<u32>,
    order: Vec<(f32, u32)>,
    slots: Vec<f32>,
    met: Vec<bool>,
    rows_met: Vec<u32>,
}

/// The same answer as [`search`] — the `k` best rows below `limit` with their exact scores, best
/// first, ties by row: the exhaustive walk's rows, order and score bits — found block by block
/// of rows instead of list by list. `terms` are the query's terms that have a list, in the
/// query's order (a term outside the vocabulary adds nothing to any row).
///
/// Every block's bound, Σ w_t · (t's largest weight in the block), is summed first (in `f32`:
/// its rounding stays far below [`SLACK`]); the blocks are then scored best bound first, each
/// row's score summed in the query's term order (the exhaustive walk's order, so the same bits)
/// in slots of one block, and the walk stops at the first block whose bound cannot reach the
/// bar: `min_score`, and once `k` rows are held the k-th best score (exact, so the bar only
/// rises). Every later block's bound is lower, so no row of theirs can reach it. Before a
/// block is scored it is screened ([`screen`], in-block MaxScore): its terms read most first by
/// what they can add to one of its rows, and the block left as soon as no row can still reach
/// the bar, so the terms of little weight in a block that cannot make the top k are never read.
/// With a negative or non-finite weight the bounds do not hold, and every block is scored.
///
/// The bounds are summed one of two ways. When a term that can lift a row to `min_score` with
/// the others (MaxScore's required terms) is held dense — a common term, in most blocks —
/// nearly every block is a candidate: every term's maxima are added to a bound per block, the
/// dense ones in one pass over the blocks, and the blocks read off. Otherwise the required
/// terms' blocks are the candidates (a block none of them holds cannot reach `min_score`):
/// their maxima are added entry by entry, and the other terms' to those blocks alone.
pub(crate) fn search_blocks(
    terms: &[WholeTerm<'_>],
    limit: u32,
    exclude: Option<u32>,
    k: usize,
    min_score: f32,
    scratch: &mut BlockScratch,
) -> Vec<(u32, f32)> {
    if k == 0 || limit == 0 {
        return Vec::new();
    }
    let bounded = terms
        .iter()
        .all(|t| t.w >= 0.0 && t.w.is_finite() && t.blocks.bounded);
    let blocks = limit.div_ceil(ROW_BLOCK) as usize;
    let BlockScratch {
        bounds,
        seen,
        by_block,
        ranges,
        caps,
        by_cap,
        partial,
        touched,
        order,
        slots,
        met,
        rows_met,
        optional,
    } = scratch;
    if bounds.len() < blocks {
        bounds.resize(blocks, 0.0);
        seen.resize(blocks, false);
    }
    let min = f64::from(min_score);
    // The terms that together cannot lift a row to `min_score` (the least reaching first, as
    // MaxScore splits them): a block none of the other terms hold cannot reach it.
    let nt = terms.len();
    let reach = |t: &WholeTerm<'_>| f64::from(t.w) * f64::from(t.blocks.max);
    optional.clear();
    optional.resize(nt, false);
    if bounded {
        by_block.clear();
        by_block.extend(0..nt as u32);
        by_block.sort_unstable_by(|&a, &b| reach(&terms[a as usize]).total_cmp(&reach(&terms[b as usize])));
        let mut sum = 0.0;
        for &j in by_block.iter() {
            sum += reach(&terms[j as usize]);
            if sum + SLACK >= min {
                break;
            }
            optional[j as usize] = true;
        }
    }
    order.clear();
    if !bounded {
        // No bound holds: every block, in block order.
        order.extend((0..blocks as u32).map(|b| (0.0, b)));
    } else if terms
        .iter()
        .zip(optional.iter())
        .any(|(t, &o)| !o && t.blocks.is_dense())
    {
        // Every block a candidate: every term's maxima added to every block's bound.
        let bounds = &mut bounds[..blocks];
        for t in terms {
            let w = t.w;
            match &t.blocks.blocks {
                Blocks::Dense { max, .. } => {
                    let n = max.len().min(blocks);
                    for (bound, &max) in bounds[..n].iter_mut().zip(&max[..n]) {
                        *bound += w * max;
                    }
                }
                Blocks::Sparse(entries) => {
                    for e in entries.iter().take_while(|e| (e.block as usize) < blocks) {
                        bounds[e.block as usize] += w * e.max;
                    }
                }
            }
        }
        for (b, bound) in bounds.iter_mut().enumerate() {
            let bound = std::mem::take(bound);
            if f64::from(bound) + SLACK >= min {
                order.push((bound, b as u32));
            }
        }
    } else {
        // The required terms' blocks, their maxima added entry by entry, then the optional
        // terms' maxima added to those blocks alone.
        touched.clear();
        for (t, _) in terms.iter().zip(optional.iter()).filter(|(_, &o)| !o) {
            // No required term is dense here (that is the branch above).
            let Blocks::Sparse(entries) = &t.blocks.blocks else {
                continue;
            };
            for e in entries.iter().take_while(|e| (e.block as usize) < blocks) {
                let i = e.block as usize;
                if !seen[i] {
                    seen[i] = true;
                    touched.push(e.block);
                }
                bounds[i] += t.w * e.max;
            }
        }
        if optional.iter().any(|&o| o) {
            // In block order: read off the flags when many blocks are touched (a pass over the
            // flags costs less than sorting them).
            if touched.len() > blocks / 16 {
                touched.clear();
                touched.extend((0..blocks as u32).filter(|&b| seen[b as usize]));
            } else {
                touched.sort_unstable();
            }
            for (t, _) in terms.iter().zip(optional.iter()).filter(|(_, &o)| o) {
                let w = t.w;
                match &t.blocks.blocks {
                    Blocks::Dense { max, .. } => {
                        for &b in touched.iter() {
                            if let Some(&max) = max.get(b as usize) {
                                bounds[b as usize] += w * max;
                            }
                        }
                    }
                    Blocks::Sparse(entries) => {
                        let mut at = 0;
                        for &b in touched.iter() {
                            at += gallop(&entries[at..], |e| e.block < b);
                            if let Some(e) = entries.get(at).filter(|e| e.block == b) {
                                bounds[b as usize] += w * e.max;
                            }
                        }
                    }
                }
            }
        }
        for &b in touched.iter() {
            seen[b as usize] = false;
            let bound = std::mem::take(&mut bounds[b as usize]);
            if f64::from(bound) + SLACK >= min {
                order.push((bound, b));
            }
        }
    }
    order.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    // Where each term's postings of each candidate block are, found for all the candidates
    // at once: a dense term's read off its slots, a sparse term's by one galloping walk of its
    // blocks over the candidates in block order.
    by_block.clear();
    by_block.extend(0..order.len() as u32);
    by_block.sort_unstable_by_key(|&ci| order[ci as usize].1);
    ranges.clear();
    ranges.resize(order.len() * nt, (0, 0));
    caps.clear();
    caps.resize(order.len() * nt, 0.0);
    for (j, t) in terms.iter().enumerate() {
        match &t.blocks.blocks {
            Blocks::Dense { max, start } => {
                for &ci in by_block.iter() {
                    let b = order[ci as usize].1 as usize;
                    if b < max.len() {
                        ranges[ci as usize * nt + j] = (start[b], start[b + 1]);
                        caps[ci as usize * nt + j] = t.w * max[b];
                    }
                }
            }
            Blocks::Sparse(entries) => {
                let mut at = 0;
                for &ci in by_block.iter() {
                    let b = order[ci as usize].1;
                    at += gallop(&entries[at..], |e| e.block < b);
                    if let Some(e) = entries.get(at).filter(|e| e.block == b) {
                        let end = entries.get(at + 1).map_or(t.blocks.len, |n| n.start);
                        ranges[ci as usize * nt + j] = (e.start, end);
                        caps[ci as usize * nt + j] = t.w * e.max;
                    }
                }
            }
        }
    }
    slots.clear();
    slots.resize(ROW_BLOCK as usize, 0.0);
    partial.clear();
    partial.resize(ROW_BLOCK as usize, 0.0);
    met.clear();
    met.resize(ROW_BLOCK as usize, false);
    // The k best so far, the worst on top: lowest score, then highest row.
    let mut heap: BinaryHeap<Reverse<(u32, Reverse<u32>)>> = BinaryHeap::with_capacity(k + 1);
    rows_met.clear();
    for (ci, &(bound, b)) in order.iter().enumerate() {
        let first = b * ROW_BLOCK;
        let block_ranges = &ranges[ci * nt..(ci + 1) * nt];
        if bounded {
            let bar = match heap.peek() {
                Some(Reverse((key, _))) if heap.len() == k => f64::from(from_order_key(*key)).max(min),
                _ => min,
            };
            if f64::from(bound) + SLACK < bar {
                break;
            }
            let block_caps = &caps[ci * nt..(ci + 1) * nt];
            if !screen(
                terms,
                block_ranges,
                block_caps,
                first,
                limit,
                exclude,
                bar,
                by_cap,
                partial,
            ) {
                continue;
            }
        }
        for (t, &(start, end)) in terms.iter().zip(block_ranges) {
            for &(row, weight) in &t.list[start as usize..end as usize] {
                if row >= limit || Some(row) == exclude {
                    continue;
                }
                let i = (row - first) as usize;
                slots[i] += t.w * weight;
                if !met[i] {
                    met[i] = true;
                    rows_met.push(i as u32);
                }
            }
        }
        for i in rows_met.drain(..) {
            let i = i as usize;
            met[i] = false;
            let score = std::mem::take(&mut slots[i]);
            // (As the exhaustive walk's filter: a NaN is not kept.)
            if score < min_score || score.is_nan() {
                continue;
            }
            let entry = Reverse((order_key(score), Reverse(first + i as u32)));
            if heap.len() < k {
                heap.push(entry);
            } else if heap.peek().is_some_and(|worst| entry < *worst) {
                heap.pop();
                heap.push(entry);
            }
        }
    }
    let mut ranked: Vec<(u32, f32)> = heap
        .into_iter()
        .map(|Reverse((key, Reverse(row)))| (row, from_order_key(key)))
        .collect();
    ranked.sort_unstable_by(best_first);
    ranked
}

/// Whether a row of the block of rows from `first` can still reach `bar`, read as MaxScore
/// reads a document (in-block MaxScore): the block's terms in the order of what they can add
/// to one of its rows (`caps`: w · the term's largest weight in the block), most first, each
/// term's postings added to the rows' partial sums, and the block given up as soon as the
/// largest partial sum plus what the terms not read yet can add falls below `bar`. A row none
/// of the terms read holds has a partial sum of 0, so the largest covers it. The sums here are
/// taken in another order than the query's (a bound's rounding, within [`SLACK`]): a block
/// that passes is scored again in the query's order. Only for non-negative weights.
#[allow(clippy::too_many_arguments)]
fn screen(
    terms: &[WholeTerm<'_>],
    ranges: &[(u32, u32)],
    caps: &[f32],
    first: u32,
    limit: u32,
    exclude: Option<u32>,
    bar: f64,
    by_cap: &mut Vec<(f32, u32)>,
    partial: &mut [f32],
) -> bool {
    by_cap.clear();
    let mut rest = 0.0f64;
    for (j, &cap) in caps.iter().enumerate() {
        if ranges[j].0 < ranges[j].1 {
            by_cap.push((cap, j as u32));
            rest += f64::from(cap);
        }
    }
    by_cap.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut most = 0.0f32;
    let mut reaches = true;
    for &(cap, j) in by_cap.iter() {
        if f64::from(most) + rest + SLACK < bar {
            reaches = false;
            break;
        }
        let (t, (start, end)) = (&terms[j as usize], ranges[j as usize]);
        for &(row, weight) in &t.list[start as usize..end as usize] {
            if row >= limit || Some(row) == exclude {
                continue;
            }
            let p = &mut partial[(row - first) as usize];
            *p += t.w * weight;
            most = most.max(*p);
        }
        rest -= f64::from(cap);
    }
    // (After the last term `rest` is 0 up to rounding: the partial sums alone decide.)
    if reaches && f64::from(most) + rest.max(0.0) + SLACK < bar {
        reaches = false;
    }
    partial.fill(0.0);
    reaches
}

/// Looks up each of `rows` (increasing) in `list` (rows increasing), galloping from where the
/// previous one was found: a few candidates cost a few binary searches, many cost one pass.
pub(crate) fn find_in(list: &[Posting], rows: &[u32], found: &mut Vec<Option<f32>>) {
    let mut at = 0;
    for &row in rows {
        at += gallop(&list[at..], |p| p.0 < row);
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

    /// `terms` random lists over `rows` rows: a few common terms and many rare ones, weights
    /// from a few values so that scores tie; with `negative`, some weights below 0.
    fn random_lists(seed: u64, rows: u32, terms: u32, negative: bool) -> Vec<Vec<Posting>> {
        use rand_xoshiro::rand_core::{RngCore, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut lists = vec![Vec::new(); terms as usize];
        for row in 0..rows {
            let len = rng.next_u32() % 6;
            for _ in 0..len {
                let u = f64::from(rng.next_u32()) / f64::from(u32::MAX);
                let term = ((u * u * f64::from(terms)) as u32).min(terms - 1);
                let list: &mut Vec<Posting> = &mut lists[term as usize];
                if list.last().is_some_and(|p| p.0 == row) {
                    continue;
                }
                let mut w = 0.25 * (1 + rng.next_u32() % 4) as f32;
                if negative && rng.next_u32() % 8 == 0 {
                    w = -w;
                }
                list.push((row, w));
            }
        }
        lists
    }

    /// The exhaustive walk: every posting of every query term, in the query's order.
    fn exhaustive(
        lists: &[Vec<Posting>],
        query: &[(u32, f32)],
        limit: u32,
        exclude: Option<u32>,
        k: usize,
        min_score: f32,
    ) -> Vec<(u32, f32)> {
        let mut hits: std::collections::HashMap<u32, f32> = std::collections::HashMap::new();
        for &(term, w) in query {
            for &(row, weight) in &lists[term as usize] {
                if row < limit && Some(row) != exclude {
                    *hits.entry(row).or_default() += w * weight;
                }
            }
        }
        let mut ranked: Vec<(u32, f32)> = hits.into_iter().filter(|&(_, s)| s >= min_score).collect();
        ranked.sort_by(|a, b| {
            b.1.partial_cmp(&a.1)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.0.cmp(&b.0))
        });
        ranked.truncate(k);
        ranked
    }

    proptest::proptest! {
        #[test]
        fn block_search_equals_the_exhaustive_walk(
            seed in 0u64..u64::MAX,
            rows in 1u32..3000,
            terms in 1u32..30,
            k in 0usize..15,
            min_score in proptest::sample::select(vec![0.0f32, 0.1, 0.4, 0.8, 1.5]),
            negative in proptest::bool::weighted(0.2),
        ) {
            use rand_xoshiro::rand_core::{RngCore, SeedableRng};
            let lists = random_lists(seed, rows, terms, negative);
            let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed ^ 1);
            // Each list in the form that suits it, or forced dense or sparse.
            let maxima: Vec<BlockMaxima> = lists
                .iter()
                .map(|l| BlockMaxima::in_form(l, [None, Some(true), Some(false)][rng.next_u32() as usize % 3]))
                .collect();
            let mut scratch = BlockScratch::default();
            for _ in 0..20 {
                // A query of a few terms in any order, weights from a few values.
                let mut query: Vec<(u32, f32)> = Vec::new();
                for _ in 0..1 + rng.next_u32() % 8 {
                    let term = rng.next_u32() % terms;
                    if query.iter().all(|q| q.0 != term) {
                        query.push((term, 0.5 * (1 + rng.next_u32() % 3) as f32));
                    }
                }
                let limit = rng.next_u32() % (rows + rows / 4 + 1);
                let exclude = (rng.next_u32() % 2 == 0).then(|| rng.next_u32() % rows);
                let whole: Vec<WholeTerm<'_>> = query
                    .iter()
                    .map(|&(term, w)| WholeTerm {
                        w,
                        list: &lists[term as usize],
                        blocks: &maxima[term as usize],
                    })
                    .collect();
                let got = search_blocks(&whole, limit, exclude, k, min_score, &mut scratch);
                let want = exhaustive(&lists, &query, limit, exclude, k, min_score);
                let bits = |r: &[(u32, f32)]| r.iter().map(|&(row, s)| (row, s.to_bits())).collect::<Vec<_>>();
                proptest::prop_assert_eq!(bits(&got), bits(&want), "query {:?} limit {} exclude {:?}", query, limit, exclude);
            }
        }
    }

    #[test]
    fn a_block_bound_is_its_terms_largest_weights() {
        let list: Vec<Posting> = vec![(0, 0.5), (3, 0.25), (31, 0.75), (40, 0.125), (100, 1.0)];
        let m = BlockMaxima::in_form(&list, Some(false));
        let Blocks::Sparse(entries) = &m.blocks else {
            panic!("asked sparse: {m:?}");
        };
        let blocks: Vec<(u32, u32, f32)> = entries.iter().map(|e| (e.block, e.start, e.max)).collect();
        assert_eq!(blocks, vec![(0, 0, 0.75), (1, 3, 0.125), (3, 4, 1.0)]);
        assert_eq!((m.len, m.max, m.bounded), (5, 1.0, true));
        // Dense: a slot per block up to the last, block 2 empty, starting where block 3 does.
        let d = BlockMaxima::of(&list);
        let Blocks::Dense { max, start } = &d.blocks else {
            panic!("a list in most of its blocks is dense: {d:?}");
        };
        assert_eq!(max, &vec![0.75, 0.125, 0.0, 1.0]);
        assert_eq!(start, &vec![0, 3, 4, 4, 5]);
        assert_eq!((d.len, d.max, d.bounded), (5, 1.0, true));
        // A list in fewer than a third of its blocks stays sparse.
        assert!(!BlockMaxima::of(&[(0, 0.5), (200, 0.5)]).is_dense());
        assert!(!BlockMaxima::of(&[(0, -0.5)]).bounded);
    }

    #[test]
    fn galloping_counts_the_items_before() {
        let items: Vec<u32> = (0..100).map(|i| i * 2).collect();
        for x in 0..210 {
            assert_eq!(
                gallop(&items, |&i| i < x),
                items.partition_point(|&i| i < x),
                "{x}"
            );
        }
        assert_eq!(gallop(&[] as &[u32], |_| true), 0);
    }

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
