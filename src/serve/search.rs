//! Search: the query ranked by `related`'s own tokenizer and index (the ranking `related --text`
//! gives), then narrowed by season, category and topic.

use crate::corpus::Loaded;
use crate::model::Category;
use crate::related::{self, Request};
use crate::tokenize::Tokenizer;
use crate::vectorize::SparseVector;

/// The most hits a search gives (`related`'s own limit of `-k`).
pub const MAX_HITS: usize = related::MAX_K;
/// Hits shown on one page of results.
pub const PAGE: usize = 100;
/// The longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 500;

/// What a search asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchParams {
    pub q: String,
    pub season: Option<u32>,
    pub category: Option<Category>,
    pub topic: Option<u32>,
    /// Which page of [`PAGE`] hits, from 1.
    pub page: usize,
}

/// One entry found, with why: the terms it shares with the query, as the archive writes them
/// (left empty for the hits outside the page asked for, which are counted, not shown).
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub row: usize,
    pub score: f32,
    pub shared: Vec<String>,
}

/// Every entry about `params.q` that passes the filters, best first (at most [`MAX_HITS`]).
///
/// The query is made a row as `related --text` makes it (the same tokenizer, vocabulary and
/// weighting) and ranked by cosine against the same rows and index; unlike `related`, any entry
/// holding a word of the query is a hit, with no lowest score, so that a search for one word
/// finds every entry that has it. What `related --text` finds is therefore found, in the same
/// order, among more.
pub fn search(corpus: &Loaded, params: &SearchParams) -> Vec<Hit> {
    let loaded = corpus.ranking();
    let vocabulary = loaded.vocabulary;
    let vector = related::related_row(
        vocabulary,
        &vocabulary.transform(&Tokenizer::shared().terms(&params.q)),
        &SparseVector::default(),
    );
    let keep = |row: usize| {
        let e = &loaded.entries[row];
        !e.withdrawn
            && params
                .season
                .is_none_or(|s| crate::trends::season_of(e.issue) == s)
            && params.category.is_none_or(|c| e.category == c)
            && params.topic.is_none_or(|t| corpus.topic_of(row) == Some(t))
    };
    // Filters apply after the ranking; a filtered search asks for every hit so that the ones it
    // keeps are not cut off by the limit.
    let filtered = params.season.is_some() || params.category.is_some() || params.topic.is_some();
    let k = if filtered {
        loaded.entries.len().max(1)
    } else {
        MAX_HITS
    };
    let first = params.page.saturating_sub(1).saturating_mul(PAGE);
    let shown = first..first.saturating_add(PAGE);
    // The entries the query names (a project written in one entry only is no term of the
    // vocabulary), first, as `related --text` gives them; latest first.
    let identities = corpus.identities();
    let known = related::known_words(&params.q, Tokenizer::shared(), |term| {
        Ok::<_, std::convert::Infallible>(vocabulary.term_index(term).is_some())
    });
    let known = known.unwrap_or_else(|never| match never {});
    let names = related::names_in(&params.q, |word| known.contains(word));
    let mut named: Vec<usize> = names
        .iter()
        .flat_map(|name| {
            identities
                .rows(&crate::identity::Key::Name(name.clone()))
                .to_vec()
        })
        .filter(|&row| keep(row))
        .collect();
    named.sort_unstable_by(|a, b| b.cmp(a));
    named.dedup();
    let named_hits = named.iter().map(|&row| related::Suggestion {
        row,
        score: 1.0,
        shared: Vec::new(),
    });
    // The index `related` ranks by: every term is a key, so one word (`uv`) finds every entry
    // holding it, however common the word.
    named_hits
        .chain(
            loaded
                .related_index
                .query(&Request::new(&vector, k).min_score(0.0))
                .into_iter()
                .filter(|s| s.score > 0.0 && keep(s.row) && !named.contains(&s.row)),
        )
        .take(MAX_HITS)
        .enumerate()
        .map(|(i, s)| Hit {
            row: s.row,
            score: s.score,
            // Why it matched, for the hits of the page shown only.
            shared: if shown.contains(&i) && named.contains(&s.row) {
                let e = &loaded.entries[s.row];
                identities
                    .marks(s.row)
                    .names
                    .iter()
                    .filter(|n| names.contains(n))
                    .map(|n| crate::identity::written_name(n, &e.title, e.url.as_deref()))
                    .collect()
            } else if shown.contains(&i) {
                related::shared_terms(&vector, &loaded.related_rows[s.row], 5)
                    .into_iter()
                    .map(|t| vocabulary.shown()[t as usize].clone())
                    .collect()
            } else {
                Vec::new()
            },
        })
        .collect()
}
