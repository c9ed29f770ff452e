//! Related past entries: cosine similarity over the entries' TF-IDF rows, through an inverted
//! index (term → entries holding it), so a query touches only the entries that share a term with
//! it and no n × n matrix is ever formed. "Past" means earlier issues only.

use std::cmp::Ordering;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{Entry, EntryId};
use crate::store::Store;
use crate::tokenize::Tokenizer;
use crate::vectorize::{FittedTfIdf, SparseVector};

/// The index: for each term, the entry rows holding it and their weights.
#[derive(Debug, Clone)]
pub struct RelatedIndex {
    postings: Vec<Vec<(u32, f32)>>,
    /// Each row's issue number, to keep suggestions in the past.
    issue_of_row: Vec<u32>,
}

/// One suggestion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub row: usize,
    pub score: f32,
    /// The terms the two share, heaviest first (by the product of their weights).
    pub shared: Vec<u32>,
}

impl RelatedIndex {
    /// Builds the index over `vectors`, one row per entry of `entries` (withdrawn entries have
    /// empty rows and are never suggested).
    pub fn build(vectors: &[SparseVector], entries: &[Entry], vocabulary: usize) -> RelatedIndex {
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); vocabulary];
        for (row, v) in vectors.iter().enumerate() {
            for (&t, &w) in v.indices.iter().zip(&v.values) {
                if let Some(list) = postings.get_mut(t as usize) {
                    list.push((row as u32, w));
                }
            }
        }
        RelatedIndex {
            postings,
            issue_of_row: entries.iter().map(|e| e.issue).collect(),
        }
    }

    /// The `k` rows most similar to `query` with a score of at least `min_score`, from issues
    /// before `before` when given; best first, ties by row (that is, by archive order).
    pub fn query(
        &self,
        query: &SparseVector,
        before: Option<u32>,
        exclude: Option<usize>,
        k: usize,
        min_score: f32,
    ) -> Vec<Suggestion> {
        let mut scores: rustc_hash::FxHashMap<u32, f32> = rustc_hash::FxHashMap::default();
        for (&t, &w) in query.indices.iter().zip(&query.values) {
            let Some(list) = self.postings.get(t as usize) else {
                continue;
            };
            for &(row, weight) in list {
                if before.is_some_and(|b| self.issue_of_row[row as usize] >= b)
                    || Some(row as usize) == exclude
                {
                    continue;
                }
                *scores.entry(row).or_default() += w * weight;
            }
        }
        let mut ranked: Vec<(u32, f32)> = scores.into_iter().filter(|&(_, s)| s >= min_score).collect();
        ranked.sort_by(|a, b| {
            b.1.partial_cmp(&a.1)
                .unwrap_or(Ordering::Equal)
                .then(a.0.cmp(&b.0))
        });
        ranked.truncate(k);
        ranked
            .into_iter()
            .map(|(row, score)| Suggestion {
                row: row as usize,
                score: (score * 10_000.0).round() / 10_000.0,
                shared: Vec::new(),
            })
            .collect()
    }
}

/// The terms `a` and `b` share, heaviest first (by the product of their weights).
pub fn shared_terms(a: &SparseVector, b: &SparseVector, top: usize) -> Vec<u32> {
    let (mut i, mut j) = (0, 0);
    let mut shared = Vec::new();
    while i < a.indices.len() && j < b.indices.len() {
        match a.indices[i].cmp(&b.indices[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                shared.push((a.indices[i], a.values[i] * b.values[j]));
                i += 1;
                j += 1;
            }
        }
    }
    shared.sort_by(|x, y| {
        y.1.partial_cmp(&x.1)
            .unwrap_or(Ordering::Equal)
            .then(x.0.cmp(&y.0))
    });
    shared.into_iter().take(top).map(|(t, _)| t).collect()
}

/// The row of an entry, by id.
pub fn row_of(entries: &[Entry], id: EntryId) -> Option<usize> {
    entries.iter().position(|e| e.id() == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, Lang};

    fn entry(issue: u32, position: u32) -> Entry {
        Entry {
            issue,
            category: Category::Article,
            position,
            number: Some(position),
            title: format!("{issue}-{position}"),
            url: None,
            links: Vec::new(),
            lang: Lang::Zh,
            description: String::new(),
            image_alts: Vec::new(),
            en_title: None,
            en_description: None,
            withdrawn: false,
            line: 1,
        }
    }

    fn unit(pairs: &[(u32, f32)]) -> SparseVector {
        let norm = pairs.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        SparseVector {
            indices: pairs.iter().map(|p| p.0).collect(),
            values: pairs.iter().map(|p| p.1 / norm).collect(),
        }
    }

    #[test]
    fn suggests_only_the_past_and_never_the_entry_itself() {
        let entries = vec![entry(1, 1), entry(2, 1), entry(3, 1)];
        let vectors = vec![
            unit(&[(0, 1.0), (1, 1.0)]),
            unit(&[(0, 1.0)]),
            unit(&[(0, 1.0), (1, 1.0)]),
        ];
        let index = RelatedIndex::build(&vectors, &entries, 2);
        let found = index.query(&vectors[2], Some(3), Some(2), 10, 0.0);
        let rows: Vec<usize> = found.iter().map(|s| s.row).collect();
        assert_eq!(rows, vec![0, 1], "identical first, then the partial match");
        assert!((found[0].score - 1.0).abs() < 1e-5);
        assert!(index.query(&vectors[0], Some(1), Some(0), 10, 0.0).is_empty());
    }

    #[test]
    fn scores_are_symmetric_cosines_in_zero_one() {
        let entries = vec![entry(1, 1), entry(2, 1)];
        let vectors = vec![unit(&[(0, 2.0), (3, 1.0)]), unit(&[(0, 1.0), (2, 1.0), (3, 3.0)])];
        let index = RelatedIndex::build(&vectors, &entries, 4);
        let ab = index.query(&vectors[0], None, Some(0), 1, 0.0)[0].score;
        let ba = index.query(&vectors[1], None, Some(1), 1, 0.0)[0].score;
        assert!((ab - ba).abs() < 1e-5 && (0.0..=1.0001).contains(&ab));
        assert_eq!(shared_terms(&vectors[0], &vectors[1], 5), vec![3, 0]);
    }
}

/// One line of `related --all --format jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RelatedLine {
    pub issue: u32,
    pub category: crate::model::Category,
    pub position: u32,
    pub related: Vec<RelatedRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RelatedRef {
    pub issue: u32,
    pub category: crate::model::Category,
    pub position: u32,
    pub score: f32,
}

/// A suggestion as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuggestionView {
    pub issue: u32,
    pub date: String,
    pub category: String,
    pub position: u32,
    pub title: String,
    pub score: f32,
    pub shared: Vec<String>,
}

pub fn render_table(views: &[SuggestionView]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for v in views {
        let _ = writeln!(
            out,
            "{:.3}  #{:<4} {}  {:<10} {}\n       shared: {}",
            v.score,
            v.issue,
            v.date,
            format!("{}:{}", v.category, v.position),
            v.title,
            v.shared.join(", ")
        );
    }
    out
}

/// What to find related entries for.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    Entry(EntryId),
    Text(String),
    Url(String),
}

/// The store's entries, rows, vocabulary and index, loaded once for any number of queries.
pub struct Loaded {
    pub entries: Vec<Entry>,
    pub vectors: Vec<SparseVector>,
    pub vocabulary: FittedTfIdf,
    pub index: RelatedIndex,
    pub issues: Vec<crate::model::Issue>,
    dates: std::collections::HashMap<u32, String>,
}

impl Loaded {
    pub fn from_store(store: &Store) -> Result<Loaded> {
        let entries = store.entries()?;
        let vectors = store.vectors(entries.len())?;
        let vocabulary = store.vocabulary()?;
        let index = RelatedIndex::build(&vectors, &entries, vocabulary.terms().len());
        let issues = store.issues()?;
        let dates = issues.iter().map(|i| (i.number, i.date.to_string())).collect();
        Ok(Loaded {
            entries,
            vectors,
            vocabulary,
            index,
            issues,
            dates,
        })
    }

    /// The `k` earlier entries most related to `query`, as shown.
    pub fn suggest(&self, query: &Query, k: usize, min_score: f32) -> Result<Vec<SuggestionView>> {
        let (vector, before, exclude) = match query {
            Query::Entry(id) => {
                let row = row_of(&self.entries, *id).ok_or_else(|| Error::NoSuchEntry(id.to_string()))?;
                (self.vectors[row].clone(), Some(id.issue), Some(row))
            }
            Query::Text(text) => (
                self.vocabulary.transform(&Tokenizer::shared().terms(text)),
                None,
                None,
            ),
            Query::Url(url) => {
                let want = crate::canon::canonical_url(url);
                let row = self
                    .entries
                    .iter()
                    .position(|e| {
                        e.url.as_deref().and_then(crate::canon::canonical_url) == want && want.is_some()
                    })
                    .ok_or_else(|| Error::NoSuchEntry(url.clone()))?;
                (
                    self.vectors[row].clone(),
                    Some(self.entries[row].issue),
                    Some(row),
                )
            }
        };
        Ok(self
            .index
            .query(&vector, before, exclude, k, min_score)
            .into_iter()
            .map(|s| {
                let e = &self.entries[s.row];
                SuggestionView {
                    issue: e.issue,
                    date: self.dates.get(&e.issue).cloned().unwrap_or_default(),
                    category: e.category.to_string(),
                    position: e.position,
                    title: e.title.clone(),
                    score: s.score,
                    shared: shared_terms(&vector, &self.vectors[s.row], 5)
                        .into_iter()
                        .map(|t| self.vocabulary.terms()[t as usize].clone())
                        .collect(),
                }
            })
            .collect())
    }

    /// Every entry's related past entries (`related --all`), in archive order.
    pub fn all(&self, k: usize, min_score: f32) -> impl Iterator<Item = RelatedLine> + '_ {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.withdrawn)
            .map(move |(row, e)| RelatedLine {
                issue: e.issue,
                category: e.category,
                position: e.position,
                related: self
                    .index
                    .query(&self.vectors[row], Some(e.issue), Some(row), k, min_score)
                    .iter()
                    .map(|s| {
                        let r = &self.entries[s.row];
                        RelatedRef {
                            issue: r.issue,
                            category: r.category,
                            position: r.position,
                            score: s.score,
                        }
                    })
                    .collect(),
            })
    }
}
