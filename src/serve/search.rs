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

/// What a search found, and why it found nothing or something other than asked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Found {
    pub hits: Vec<Hit>,
    pub note: Option<Note>,
}

/// What a page says above a search's hits.
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    /// The query holds no word that tells entries apart (`Python`, `的`, an emoji).
    NoWord,
    /// No entry links the address asked about: the entries about its name (`uv`, `PEP 703`)
    /// answer instead.
    ByName(String),
    /// No entry links the address asked about, and it names nothing the archive holds.
    NotLinked,
}

/// Every entry about `params.q` that passes the filters, best first (at most [`MAX_HITS`]).
///
/// The query is made a row as `related --text` makes it (the same tokenizer, vocabulary and
/// weighting) and ranked by cosine against the same rows and index; unlike `related`, any entry
/// holding a word of the query is a hit, with no lowest score, so that a search for one word
/// finds every entry that has it. What `related --text` finds is therefore found, in the same
/// order, among more.
///
/// A web address (`https://github.com/astral-sh/uv`, a PEP's page) is answered as `related
/// --url` answers it: first every entry linking it ([`related::address`]), latest first, then
/// the entries related to the first of them; where none links it, by its name.
pub fn search(corpus: &Loaded, params: &SearchParams) -> Found {
    let Some(address) = related::address(&params.q) else {
        let hits = by_words(corpus, params);
        let note = (hits.is_empty() && Tokenizer::terms_of_one(&params.q).is_empty()).then_some(Note::NoWord);
        return Found { hits, note };
    };
    let identities = corpus.identities();
    let mut linked: Vec<usize> = Vec::new();
    for key in &address.keys {
        linked.extend(identities.rows(key));
    }
    let anchor = address.anchor(|key| Ok(identities.rows(key).first().copied()));
    let Some(first) = related::infallible(anchor) else {
        let named = |name: &str| {
            !identities
                .rows(&crate::identity::Key::Name(name.to_string()))
                .is_empty()
        };
        let by_name = address.fallback(named).map(|name| {
            let hits = by_words(
                corpus,
                &SearchParams {
                    q: name.clone(),
                    ..params.clone()
                },
            );
            (name, hits)
        });
        return match by_name {
            Some((name, hits)) if !hits.is_empty() => Found {
                hits,
                note: Some(Note::ByName(name)),
            },
            _ => Found {
                hits: Vec::new(),
                note: Some(Note::NotLinked),
            },
        };
    };
    linked.retain(|&row| keeps(corpus, params, row));
    linked.sort_unstable_by(|a, b| b.cmp(a));
    linked.dedup();
    let vector = &corpus.ranking().related_rows[first];
    let label = || vec![address.label.clone()];
    let hits = ranked_after(corpus, params, vector, &linked, |row| {
        linked.contains(&row).then(label)
    });
    Found { hits, note: None }
}

/// Whether entry `row` passes the search's filters (season, category, topic).
fn keeps(corpus: &Loaded, params: &SearchParams, row: usize) -> bool {
    let e = &corpus.entries()[row];
    !e.withdrawn
        && params
            .season
            .is_none_or(|s| crate::trends::season_of(e.issue) == s)
        && params.category.is_none_or(|c| e.category == c)
        && params.topic.is_none_or(|t| corpus.topic_of(row) == Some(t))
}

/// The hits of the page asked for, by their place in the whole list.
fn shown(params: &SearchParams) -> std::ops::Range<usize> {
    let first = params.page.saturating_sub(1).saturating_mul(PAGE);
    first..first.saturating_add(PAGE)
}

/// The entries holding a term of `vector` that pass the filters, best first. Filters apply after
/// the ranking; a filtered search asks for every hit so that the ones it keeps are not cut off
/// by the limit.
fn ranked<'c>(
    corpus: &'c Loaded,
    params: &'c SearchParams,
    vector: &SparseVector,
) -> impl Iterator<Item = related::Suggestion> + 'c {
    let loaded = corpus.ranking();
    let filtered = params.season.is_some() || params.category.is_some() || params.topic.is_some();
    let k = if filtered {
        loaded.entries.len().max(1)
    } else {
        MAX_HITS
    };
    // The index `related` ranks by: every term is a key, so one word (`uv`) finds every entry
    // holding it, however common the word.
    loaded
        .related_index
        .query(&Request::new(vector, k).min_score(0.0))
        .into_iter()
        .filter(move |s| s.score > 0.0 && keeps(corpus, params, s.row))
}

/// The terms entry `row` shares with `vector`, as the archive writes them.
fn shared_words(corpus: &Loaded, vector: &SparseVector, row: usize) -> Vec<String> {
    let loaded = corpus.ranking();
    related::shared_words(vector, &loaded.related_rows[row], 5, loaded.vocabulary.shown())
}

/// A search of words: the entries the query names first, then those its words rank.
fn by_words(corpus: &Loaded, params: &SearchParams) -> Vec<Hit> {
    let loaded = corpus.ranking();
    let vocabulary = loaded.vocabulary;
    let vector = related::related_row(
        vocabulary,
        &vocabulary.transform(&Tokenizer::shared().terms(&params.q)),
        &SparseVector::default(),
    );
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
        .filter(|&row| keeps(corpus, params, row))
        .collect();
    named.sort_unstable_by(|a, b| b.cmp(a));
    named.dedup();
    ranked_after(corpus, params, &vector, &named, |row| {
        named.contains(&row).then(|| {
            let e = &loaded.entries[row];
            identities
                .marks(row)
                .names
                .iter()
                .filter(|n| names.contains(n))
                .map(|n| crate::identity::written_name(n, &e.title, e.url.as_deref()))
                .collect()
        })
    })
}

/// The hits: `first` (latest first, scored 1), then the entries `vector` ranks, each once, at
/// most [`MAX_HITS`]. Why each matched, for the hits of the page shown only: `own` says it for
/// one of `first`, the terms it shares with `vector` for the others.
fn ranked_after(
    corpus: &Loaded,
    params: &SearchParams,
    vector: &SparseVector,
    first: &[usize],
    own: impl Fn(usize) -> Option<Vec<String>>,
) -> Vec<Hit> {
    let shown = shown(params);
    first
        .iter()
        .map(|&row| (row, 1.0))
        .chain(
            ranked(corpus, params, vector)
                .filter(|s| !first.contains(&s.row))
                .map(|s| (s.row, s.score)),
        )
        .take(MAX_HITS)
        .enumerate()
        .map(|(i, (row, score))| Hit {
            row,
            score,
            shared: if shown.contains(&i) {
                own(row).unwrap_or_else(|| shared_words(corpus, vector, row))
            } else {
                Vec::new()
            },
        })
        .collect()
}
