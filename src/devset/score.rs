//! The measures of a ranking against the set: recall@5, recall@10 and MRR, per query over its
//! relevant earlier entries, then averaged over the queries, for each part and each kind of
//! evidence. The ranking is given as each query's answer (best first); this module never asks
//! for one, so any command that answers queries (`related`, a `check` replay) can be scored.
//!
//! For a query q with relevant entries R (those of one evidence kind, or all of them) and an
//! answer A (best first, at most [`DEPTH`] entries):
//! - recall@k(q) = |R ∩ A[..k]| / min(|R|, k): a query with more than k relevant entries scores 1
//!   when all k slots hold one of them;
//! - RR(q) = 1 / the rank of the first entry of R in A[..DEPTH], or 0 when none is there;
//!   MRR is its mean.
//!
//! A query counts for an evidence kind when at least one of its pairs has that kind.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::{Evidence, Pair, Part};
use crate::model::EntryId;

/// How deep an answer is read: `related ID -k 10`.
pub const DEPTH: usize = 10;

/// One query's measures, for one evidence kind or all.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryScore {
    pub query: EntryId,
    pub part: Part,
    /// Its relevant earlier entries (of the kind measured), in id order.
    pub relevant: Vec<EntryId>,
    /// How many of them are in the first 5 and the first 10 answers.
    pub found_5: usize,
    pub found_10: usize,
    /// The rank (1-based) of the first relevant answer, within [`DEPTH`].
    pub first: Option<usize>,
}

impl QueryScore {
    pub fn recall(&self, k: usize) -> f64 {
        let found = if k <= 5 { self.found_5 } else { self.found_10 };
        found as f64 / self.relevant.len().min(k) as f64
    }

    pub fn reciprocal_rank(&self) -> f64 {
        self.first.map_or(0.0, |r| 1.0 / r as f64)
    }
}

/// Each query's measures over its relevant entries of kind `kind` (every kind when `None`), in
/// query order; queries without such a pair are left out. A query with no answer in `answers`
/// scores 0.
pub fn per_query(
    pairs: &[Pair],
    answers: &BTreeMap<EntryId, Vec<EntryId>>,
    kind: Option<Evidence>,
) -> Vec<QueryScore> {
    let mut relevant: BTreeMap<EntryId, (Part, BTreeSet<EntryId>)> = BTreeMap::new();
    for p in pairs
        .iter()
        .filter(|p| kind.is_none_or(|k| p.evidence.contains(&k)))
    {
        relevant
            .entry(p.query)
            .or_insert_with(|| (p.part, BTreeSet::new()))
            .1
            .insert(p.relevant);
    }
    relevant
        .into_iter()
        .map(|(query, (part, relevant))| {
            let answer = answers.get(&query).map_or(&[][..], |a| &a[..a.len().min(DEPTH)]);
            let hit = |e: &EntryId| relevant.contains(e);
            QueryScore {
                query,
                part,
                found_5: answer.iter().take(5).filter(|e| hit(e)).count(),
                found_10: answer.iter().filter(|e| hit(e)).count(),
                first: answer.iter().position(hit).map(|r| r + 1),
                relevant: relevant.into_iter().collect(),
            }
        })
        .collect()
}

/// The averages over one part's queries for one evidence kind (or all).
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub part: Part,
    pub kind: Option<Evidence>,
    pub queries: usize,
    pub pairs: usize,
    pub recall_5: f64,
    pub recall_10: f64,
    pub mrr: f64,
}

/// The summaries of every part in `parts`, each kind (those with queries) and all kinds.
pub fn summarise(pairs: &[Pair], answers: &BTreeMap<EntryId, Vec<EntryId>>, parts: &[Part]) -> Vec<Summary> {
    let kinds = Evidence::ALL.into_iter().map(Some).chain([None]);
    let mut out = Vec::new();
    for kind in kinds {
        let scores = per_query(pairs, answers, kind);
        for &part in parts {
            let of_part: Vec<&QueryScore> = scores.iter().filter(|s| s.part == part).collect();
            if of_part.is_empty() {
                continue;
            }
            let mean = |f: &dyn Fn(&QueryScore) -> f64| {
                of_part.iter().map(|s| f(s)).sum::<f64>() / of_part.len() as f64
            };
            out.push(Summary {
                part,
                kind,
                queries: of_part.len(),
                pairs: of_part.iter().map(|s| s.relevant.len()).sum(),
                recall_5: mean(&|s| s.recall(5)),
                recall_10: mean(&|s| s.recall(10)),
                mrr: mean(&QueryScore::reciprocal_rank),
            });
        }
    }
    out.sort_by_key(|s| (s.part, s.kind.is_none(), s.kind));
    out
}

/// The summaries as a markdown table, part by part.
pub fn render_table(summaries: &[Summary]) -> String {
    let mut out = String::from(
        "| part | evidence | queries | pairs | recall@5 | recall@10 | MRR |\n|---|---|---|---|---|---|---|\n",
    );
    for s in summaries {
        let kind = s.kind.map_or("**all**", Evidence::as_str);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:.3} | {:.3} | {:.3} |",
            s.part, kind, s.queries, s.pairs, s.recall_5, s.recall_10, s.mrr
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Category;

    fn id(issue: u32, position: u32) -> EntryId {
        EntryId {
            issue,
            category: Category::Project,
            position,
        }
    }

    fn pair(query: EntryId, relevant: EntryId, evidence: &[Evidence]) -> Pair {
        Pair {
            query,
            relevant,
            evidence: evidence.to_vec(),
            part: Part::of(query),
        }
    }

    #[test]
    fn recall_is_capped_at_k_and_mrr_reads_the_first_hit() {
        // Query 10:1 has two relevant entries; the answer holds one at rank 3, the other at 7.
        let q = id(10, 1);
        let pairs = vec![
            pair(q, id(1, 1), &[Evidence::Url]),
            pair(q, id(2, 1), &[Evidence::Pep, Evidence::Project]),
        ];
        let answer: Vec<EntryId> = (1..=10).map(|p| id(9, p)).collect::<Vec<_>>();
        let mut answer = answer;
        answer[2] = id(1, 1);
        answer[6] = id(2, 1);
        let answers = BTreeMap::from([(q, answer)]);
        let all = &per_query(&pairs, &answers, None)[0];
        assert_eq!((all.found_5, all.found_10, all.first), (1, 2, Some(3)));
        assert_eq!(all.recall(5), 0.5);
        assert_eq!(all.recall(10), 1.0);
        assert!((all.reciprocal_rank() - 1.0 / 3.0).abs() < 1e-12);
        // By kind: pep holds only the entry at rank 7.
        let pep = &per_query(&pairs, &answers, Some(Evidence::Pep))[0];
        assert_eq!((pep.recall(5), pep.recall(10), pep.first), (0.0, 1.0, Some(7)));
        assert!(per_query(&pairs, &answers, Some(Evidence::Repo)).is_empty());
        // Twelve relevant entries, all ten answers among them: recall 1, not 10/12.
        let many: Vec<Pair> = (1..=12)
            .map(|p| pair(q, id(1, p), &[Evidence::Project]))
            .collect();
        let full = BTreeMap::from([(q, (1..=10).map(|p| id(1, p)).collect())]);
        let s = &per_query(&many, &full, None)[0];
        assert_eq!((s.recall(5), s.recall(10), s.reciprocal_rank()), (1.0, 1.0, 1.0));
    }

    #[test]
    fn a_query_without_an_answer_scores_zero_and_parts_stay_apart() {
        let pairs = vec![
            pair(id(4, 1), id(1, 1), &[Evidence::Url]),
            pair(id(6, 1), id(1, 1), &[Evidence::Url]),
        ];
        let answers = BTreeMap::from([(id(4, 1), vec![id(1, 1)])]);
        let summaries = summarise(&pairs, &answers, &Part::ALL);
        let all: Vec<(Part, f64)> = summaries
            .iter()
            .filter(|s| s.kind.is_none())
            .map(|s| (s.part, s.mrr))
            .collect();
        assert_eq!(all, vec![(Part::Dev, 1.0), (Part::HeldOut, 0.0)]);
        let table = render_table(&summaries);
        assert!(
            table.contains("| dev | url | 1 | 1 | 1.000 | 1.000 | 1.000 |"),
            "{table}"
        );
        assert!(
            table.contains("| held-out | **all** | 1 | 1 | 0.000 | 0.000 | 0.000 |"),
            "{table}"
        );
    }
}
