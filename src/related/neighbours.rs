//! Each term's strongest co-occurring terms, and an entry's query widened by them (issue 16,
//! item 6: meaning across words).
//!
//! Two terms co-occur as strongly as the cosine of their columns of the ranking rows (each
//! term's weights over the entries): `asyncio` and `event loop`, `uv` and `Astral`. An entry's
//! query is its row plus a little of the 40 terms its own terms co-occur with most and it does
//! not hold ([`expand`]), so an earlier entry written in the neighbouring words of the same
//! subject gains a little. Each term keeps its 100 strongest neighbours: the table is 800 bytes
//! a term, and `related.idx` holds it (section `neighbours`).
//!
//! Where it applies: `related` for an entry or a URL (one query, `--all`, `serve`'s entry page).
//! Not for a text (the editor's own words are searched as written), nor where a score is held
//! against a bar calibrated on the rows' own cosines — `check`'s near duplicates, `past-years`'
//! section and the report's cross-references: there, widened scores let weaker pairs over the
//! bar (`past-years` over its 12 judged issues: 4 more suggestions, 2 weak and 2 wrong).
//!
//! Measured before it was written (QUALITY.md, "Related: session 12"), in Python over the same
//! rows: the only second channel tried that is at least as good as the lexical one on every
//! figure of both development sets, both parts. Written, it gives the simulation's figures
//! (QUALITY.md, "Related: session 15").

use rayon::prelude::*;

use super::topk::Postings;
use crate::vectorize::SparseVector;

/// The neighbours a term keeps, strongest first.
pub const NEIGHBOURS: usize = 100;
/// The co-occurring terms a query gains.
pub const EXPANSION_TERMS: usize = 40;
/// Their share of the query: the widened query is the row plus this times the unit vector of
/// the terms it gains, made unit again.
pub const EXPANSION_WEIGHT: f64 = 0.1;

/// For each term of `vocabulary`, up to [`NEIGHBOURS`] (term, cosine) other terms holding a
/// positive cosine with it, the strongest first, ties by term. `postings[t]` is term `t`'s
/// (row, weight) list over `rows`.
pub fn table(rows: &[SparseVector], postings: &[&[(u32, f32)]]) -> Vec<Vec<(u32, f32)>> {
    let norms: Vec<f64> = postings
        .iter()
        .map(|list| {
            list.iter()
                .map(|&(_, w)| f64::from(w) * f64::from(w))
                .sum::<f64>()
                .sqrt()
        })
        .collect();
    let v = postings.len();
    // Terms in chunks, each with one scratch: a sum per term of the vocabulary, zeroed once.
    postings
        .par_chunks(TERMS_PER_TASK)
        .enumerate()
        .flat_map_iter(|(chunk, lists)| {
            let (mut sums, mut touched) = (vec![0f64; v], Vec::new());
            let first = chunk * TERMS_PER_TASK;
            lists
                .iter()
                .enumerate()
                .map(|(i, list)| of_term((first + i) as u32, list, rows, &norms, &mut sums, &mut touched))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Terms one task of [`table`] finds the neighbours of.
const TERMS_PER_TASK: usize = 256;

/// One term's neighbours; `sums` is all zero and `touched` empty on entry, and left so.
fn of_term(
    t: u32,
    list: &[(u32, f32)],
    rows: &[SparseVector],
    norms: &[f64],
    sums: &mut [f64],
    touched: &mut Vec<u32>,
) -> Vec<(u32, f32)> {
    for &(row, w) in list {
        let r = &rows[row as usize];
        for (&u, &x) in r.indices.iter().zip(&r.values) {
            let Some(sum) = sums.get_mut(u as usize) else {
                continue;
            };
            if *sum == 0.0 {
                touched.push(u);
            }
            *sum += f64::from(w) * f64::from(x);
        }
    }
    let mut found: Vec<(u32, f32)> = touched
        .drain(..)
        .filter_map(|u| {
            let sum = std::mem::take(&mut sums[u as usize]);
            let cosine = (sum / (norms[t as usize] * norms[u as usize])) as f32;
            (u != t && cosine > 0.0 && cosine.is_finite()).then_some((u, cosine))
        })
        .collect();
    strongest(&mut found, NEIGHBOURS);
    found
}

/// Keeps the `n` largest by weight, largest first, ties by term.
fn strongest(items: &mut Vec<(u32, f32)>, n: usize) {
    let order = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if items.len() > n {
        items.select_nth_unstable_by(n - 1, order);
        items.truncate(n);
    }
    items.sort_unstable_by(order);
}

/// Memory [`expand`] reuses between queries: a sum per term of the vocabulary (zero between
/// queries) and the terms it touched.
#[derive(Debug, Default)]
pub struct Widening {
    gained: Vec<f64>,
    touched: Vec<u32>,
}

/// `query` widened by its terms' neighbours: Σ over its terms of its weight times the term's
/// neighbours, the terms it already holds left out, the [`EXPANSION_TERMS`] strongest of the
/// rest made a unit vector `e`; then `query + EXPANSION_WEIGHT · e`, made unit (a unit query
/// stays unit, and its scores move by the gained terms only). A query whose terms have no
/// neighbour is returned as it is. The neighbours are the index's ([`Postings::neighbours`]).
pub(crate) fn expand<P: Postings>(
    query: &SparseVector,
    source: &mut P,
    widening: &mut Widening,
) -> Result<SparseVector, P::Error> {
    let Widening { gained, touched } = widening;
    for (&t, &w) in query.indices.iter().zip(&query.values) {
        for &(u, cosine) in source.neighbours(t)? {
            let u = u as usize;
            if u >= gained.len() {
                gained.resize(u + 1, 0.0);
            }
            if gained[u] == 0.0 {
                touched.push(u as u32);
            }
            gained[u] += f64::from(w) * f64::from(cosine);
        }
    }
    let mut found: Vec<(u32, f64)> = touched
        .drain(..)
        .map(|u| (u, std::mem::take(&mut gained[u as usize])))
        .filter(|&(u, g)| g > 0.0 && query.indices.binary_search(&u).is_err())
        .collect();
    let order = |a: &(u32, f64), b: &(u32, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if found.len() > EXPANSION_TERMS {
        found.select_nth_unstable_by(EXPANSION_TERMS - 1, order);
        found.truncate(EXPANSION_TERMS);
    }
    let found_norm = found.iter().map(|&(_, g)| g * g).sum::<f64>().sqrt();
    if found.is_empty() || found_norm == 0.0 {
        return Ok(query.clone());
    }
    let mut pairs: Vec<(u32, f64)> = query
        .indices
        .iter()
        .zip(&query.values)
        .map(|(&t, &w)| (t, f64::from(w)))
        .chain(
            found
                .into_iter()
                .map(|(u, g)| (u, EXPANSION_WEIGHT * g / found_norm)),
        )
        .collect();
    pairs.sort_unstable_by_key(|&(t, _)| t);
    let norm = pairs.iter().map(|&(_, w)| w * w).sum::<f64>().sqrt();
    Ok(SparseVector {
        indices: pairs.iter().map(|&(t, _)| t).collect(),
        values: pairs.iter().map(|&(_, w)| (w / norm) as f32).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pairs: &[(u32, f32)]) -> SparseVector {
        SparseVector {
            indices: pairs.iter().map(|p| p.0).collect(),
            values: pairs.iter().map(|p| p.1).collect(),
        }
    }

    fn postings(rows: &[SparseVector], terms: usize) -> Vec<Vec<(u32, f32)>> {
        let mut lists = vec![Vec::new(); terms];
        for (r, v) in rows.iter().enumerate() {
            for (&t, &w) in v.indices.iter().zip(&v.values) {
                lists[t as usize].push((r as u32, w));
            }
        }
        lists
    }

    #[test]
    fn a_terms_neighbours_are_the_cosines_of_the_columns_strongest_first() {
        // Terms 0 and 1 always together; 2 once with 0; 3 never with 0.
        let rows = [
            row(&[(0, 0.6), (1, 0.8)]),
            row(&[(0, 0.6), (1, 0.8)]),
            row(&[(0, 0.8), (2, 0.6)]),
            row(&[(3, 1.0)]),
        ];
        let lists = postings(&rows, 4);
        let refs: Vec<&[(u32, f32)]> = lists.iter().map(Vec::as_slice).collect();
        let table = table(&rows, &refs);
        let col = |t: usize| {
            lists[t]
                .iter()
                .map(|p| f64::from(p.1).powi(2))
                .sum::<f64>()
                .sqrt()
        };
        let w = |x: f32| f64::from(x);
        let cos01 = (2.0 * w(0.6) * w(0.8)) / (col(0) * col(1));
        let cos02 = (w(0.8) * w(0.6)) / (col(0) * col(2));
        assert_eq!(table[0].len(), 2, "{:?}", table[0]);
        assert_eq!((table[0][0].0, table[0][1].0), (1, 2));
        assert!((f64::from(table[0][0].1) - cos01).abs() < 1e-6, "{:?}", table[0]);
        assert!((f64::from(table[0][1].1) - cos02).abs() < 1e-6, "{:?}", table[0]);
        assert!(table[3].is_empty(), "a term alone has no neighbour");
        assert!(table
            .iter()
            .enumerate()
            .all(|(t, l)| l.iter().all(|&(u, _)| u as usize != t)));
    }

    #[test]
    fn at_most_the_strongest_hundred_are_kept() {
        // Term 0 with 150 others, each in one row with it, the weight of the other growing.
        let rows: Vec<SparseVector> = (1..=150u32)
            .map(|u| row(&[(0, 0.5), (u, u as f32 / 150.0)]))
            .collect();
        let lists = postings(&rows, 151);
        let refs: Vec<&[(u32, f32)]> = lists.iter().map(Vec::as_slice).collect();
        let table = table(&rows, &refs);
        assert_eq!(table[0].len(), NEIGHBOURS);
        // Each other term's column is its one weight: its cosine with 0 is the same for all
        // (0.5 / ‖col 0‖), so the ties go by term.
        let terms: Vec<u32> = table[0].iter().map(|p| p.0).collect();
        assert_eq!(terms, (1..=NEIGHBOURS as u32).collect::<Vec<_>>());
    }

    /// Neighbour lists alone, as an index gives them.
    struct Table(Vec<Vec<(u32, f32)>>);

    impl Postings for Table {
        type Error = std::convert::Infallible;
        fn meta(&mut self, _: u32) -> Result<Option<super::super::topk::TermMeta>, Self::Error> {
            Ok(None)
        }
        fn list(&mut self, _: u32, _: u32) -> Result<&[(u32, f32)], Self::Error> {
            Ok(&[])
        }
        fn find(&mut self, _: u32, _: &[u32], _: &mut Vec<Option<f32>>) -> Result<(), Self::Error> {
            Ok(())
        }
        fn neighbours(&mut self, term: u32) -> Result<&[(u32, f32)], Self::Error> {
            Ok(self.0.get(term as usize).map_or(&[][..], Vec::as_slice))
        }
    }

    fn widened(query: &SparseVector, table: Vec<Vec<(u32, f32)>>) -> SparseVector {
        let mut widening = Widening::default();
        let wide = super::super::topk::infallible(expand(query, &mut Table(table), &mut widening));
        assert!(
            widening.gained.iter().all(|&g| g == 0.0),
            "the sums are left zero"
        );
        wide
    }

    #[test]
    fn a_query_gains_its_terms_neighbours_it_lacks_and_stays_unit() {
        let query = row(&[(0, 0.6), (1, 0.8)]);
        let table: Vec<Vec<(u32, f32)>> = vec![
            vec![(1, 0.9), (5, 0.5), (7, 0.2)],
            vec![(0, 0.9), (5, 0.5), (6, 0.4)],
        ];
        let wide = widened(&query, table);
        assert_eq!(
            wide.indices,
            vec![0, 1, 5, 6, 7],
            "held terms are not gained twice"
        );
        let norm: f64 = wide
            .values
            .iter()
            .map(|&w| f64::from(w).powi(2))
            .sum::<f64>()
            .sqrt();
        assert!((norm - 1.0).abs() < 1e-6, "{norm}");
        // The query's own terms keep their proportion; the gained ones are EXPANSION_WEIGHT of
        // the whole in their own proportions (5: 0.6·0.5 + 0.8·0.5, 6: 0.8·0.4, 7: 0.6·0.2).
        let scale = 1.0 / (1.0 + EXPANSION_WEIGHT * EXPANSION_WEIGHT).sqrt();
        assert!((f64::from(wide.values[0]) - 0.6 * scale).abs() < 1e-6);
        let g = [0.7f64, 0.32, 0.12];
        let gn = g.iter().map(|x| x * x).sum::<f64>().sqrt();
        for (i, want) in g.iter().enumerate() {
            let got = f64::from(wide.values[2 + i]);
            assert!(
                (got - EXPANSION_WEIGHT * want / gn * scale).abs() < 1e-6,
                "{i}: {got}"
            );
        }
        // No neighbour: the query as it was.
        let lone = widened(&query, Vec::new());
        assert_eq!(lone, query);
    }

    #[test]
    fn a_query_gains_at_most_forty_terms_the_strongest() {
        let query = row(&[(0, 1.0)]);
        let neighbours: Vec<(u32, f32)> = (1..=60u32).map(|u| (u, 1.0 / u as f32)).collect();
        let wide = widened(&query, vec![neighbours]);
        assert_eq!(wide.indices, (0..=EXPANSION_TERMS as u32).collect::<Vec<_>>());
    }
}
