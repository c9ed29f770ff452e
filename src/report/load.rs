//! What a report reads: the views of the read path's [`Corpus`] it ranks and counts with, and
//! the few values derived from them for every report (labels, identities, the titles' terms for
//! translation pairs).
//!
//! Nothing after a window's last issue takes part in its report (its trends, re-shares and
//! cross-references look back; its charts run from the first issue to the window's end), so a
//! report reads the store only up to there: [`Through`] holds the entries of the issues up to one
//! number and their rows, decoded alone, and [`Inputs::of_through`] is the report's view of
//! them. The issues, the vocabulary and the topic assignments are read whole (they are small,
//! and the topics' columns are those of the whole store). [`Inputs::of`] is the same view of a
//! whole corpus (what `serve` keeps), and gives the same reports.

use std::collections::BTreeMap;

use super::files::Files;
use crate::check;
use crate::corpus::Corpus;
use crate::error::Result;
use crate::model::{Entry, Lang};
use crate::related::RelatedIndex;
use crate::store::Store;
use crate::topics::{self, TopicView};
use crate::trends;
use crate::vectorize::{FittedTfIdf, SparseVector};

use super::summary::TitleTerms;

/// What a report reads, borrowed from a [`Corpus`] (or a [`Through`] and its corpus) for any
/// number of reports.
pub struct Inputs<'a> {
    /// The records as trends read them: each entry's terms from its titles
    /// ([`trends::TermText::Titles`]), the editor's topic edits applied.
    pub trends: trends::Corpus<'a>,
    /// The stored TF-IDF rows (titles and descriptions), for the topics' central entries: those
    /// of the windows' entries at least.
    pub rows: &'a [SparseVector],
    pub vocabulary: &'a FittedTfIdf,
    /// The rows `related` ranks by (the windows' at least): the re-shares and cross-references
    /// rank with what `related`, `check` and `past-years` rank with.
    pub related_rows: &'a [SparseVector],
    /// Where the re-share check finds the entries sharing a window entry's marks, and where the
    /// re-shares and cross-references find the nearest earlier rows.
    pub identify: Identify<'a>,
    /// Each topic's label: the editor's name, else its leading terms.
    pub labels: BTreeMap<u32, String>,
    /// The titles' terms in each language, for the translation pairs of a window
    /// ([`TitleTerms::pairs_through`]): the word cloud shows one word once.
    pub translations: TitleTerms<'a>,
    /// Each entry's title terms by language (`translations.parquet`), in the order of the
    /// trends' entries: a report in Chinese counts the terms its titles write
    /// ([`Inputs::trends_in`]).
    pub translation_rows: &'a [SparseVector],
}

/// Where the re-share check reads what identifies the earlier entries, and where the re-shares
/// and cross-references rank.
pub enum Identify<'a> {
    /// `check`'s identities of the entries held and the related index over their rows in memory
    /// (a corpus read whole, as `serve` keeps it).
    Memory(&'a check::Identities, &'a RelatedIndex),
    /// The store's index file (`related.idx`): its identity keys and the entries they lead to,
    /// read for each window issue, and its postings, searched for each window entry, so nothing
    /// is made for every entry. The open files are shared by the re-share check and the
    /// cross-references.
    File(Files<'a>),
}

impl<'a> Inputs<'a> {
    /// The records as trends read them for a report in `lang`: in Chinese, the terms the Chinese
    /// titles write (not those only their translations write).
    pub(super) fn trends_in(&self, lang: Lang) -> trends::Corpus<'a> {
        match lang {
            Lang::Zh => trends::Corpus {
                chinese_titles: Some(self.translation_rows),
                ..self.trends
            },
            Lang::En => self.trends,
        }
    }

    pub(super) fn label(&self, id: u32) -> String {
        self.labels
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("topic {id}"))
    }

    /// A topic's label in a report of `lang`: both languages in Chinese (as `label`: the
    /// archive's Chinese mixes them), its English terms in English (its Chinese ones where it has
    /// none); the editor's name in both.
    pub(super) fn label_in(&self, id: u32, lang: Lang) -> String {
        match (lang, self.trends.topics.iter().find(|t| t.id == id)) {
            (Lang::En, Some(topic)) => topic.label(Some(Lang::En), trends::LABEL_TERMS),
            _ => self.label(id),
        }
    }

    /// The report's view of `corpus` (the editor's topic edits given when it was opened).
    pub fn of(corpus: &'a Corpus) -> Result<Inputs<'a>> {
        let trends = trends::Corpus::of(corpus, trends::TermText::Titles)?;
        let vocabulary = corpus.vocabulary()?;
        Ok(Inputs::with(
            trends,
            corpus.vectors()?,
            vocabulary,
            corpus.related_rows()?,
            Identify::Memory(corpus.identities()?, corpus.related_index()?),
            corpus.translation_rows()?,
        ))
    }

    /// The report's view of `through`, read from `corpus`'s store: the reports of windows that
    /// end at or before [`Through::last`] are those of [`Inputs::of`].
    pub fn of_through(corpus: &'a Corpus, through: &'a Through) -> Result<Inputs<'a>> {
        let vocabulary = corpus.vocabulary()?;
        let trends = trends::Corpus {
            issues: corpus.issues()?,
            entries: &through.entries,
            vectors: &through.title_rows,
            terms: vocabulary.terms(),
            shown: vocabulary.shown(),
            // The whole store's: every topic is a column of the topic charts.
            assignments: corpus.assignments()?,
            topics: &through.topics,
            text: trends::TermText::Titles,
            related: &through.related_rows,
            chinese_titles: None,
        };
        Ok(Inputs::with(
            trends,
            &through.vectors,
            vocabulary,
            &through.related_rows,
            Identify::File(Files::new(corpus)),
            &through.translation_rows,
        ))
    }

    fn with(
        trends: trends::Corpus<'a>,
        rows: &'a [SparseVector],
        vocabulary: &'a FittedTfIdf,
        related_rows: &'a [SparseVector],
        identify: Identify<'a>,
        translation_rows: &'a [SparseVector],
    ) -> Inputs<'a> {
        // The stored translation rows, split as the pairs are counted: no title tokenised again.
        let translations = TitleTerms::from_rows(trends.entries, translation_rows);
        let labels = trends::topic_labels(trends.topics);
        Inputs {
            trends,
            rows,
            vocabulary,
            related_rows,
            identify,
            labels,
            translations,
            translation_rows,
        }
    }

    /// The seasons the store's issues fall in, in order.
    pub fn seasons(&self) -> Vec<u32> {
        let mut seasons: Vec<u32> = self
            .trends
            .issues
            .iter()
            .map(|i| trends::season_of(i.number))
            .collect();
        seasons.sort_unstable();
        seasons.dedup();
        seasons
    }
}

/// The store read up to one issue: the entries of the issues numbered up to [`Through::last`]
/// and their rows (the TF-IDF rows from the first window's first issue only; the titles' terms
/// by language, for the translation pairs), and the topics as shown. The re-shares and
/// cross-references rank through the index file (`related.idx`), not an index built here.
pub struct Through {
    last: u32,
    entries: Vec<Entry>,
    /// The titles' terms ([`Store::title_terms_until`]): their `values` are not read, as trends
    /// count only which terms a row holds ([`trends::Corpus::vectors`]).
    title_rows: Vec<SparseVector>,
    vectors: Vec<SparseVector>,
    related_rows: Vec<SparseVector>,
    translation_rows: Vec<SparseVector>,
    topics: Vec<TopicView>,
}

impl Through {
    /// Reads from `store` (the one `corpus` reads) what the reports of windows within issues
    /// `first` to `last` need.
    pub fn read(store: &Store, corpus: &Corpus, first: u32, last: u32) -> Result<Through> {
        // Only the windows' entries are shown with their texts (the re-share check's drafts,
        // the cloud, the compilation, the stories' links); those before are ids, titles and links.
        // Where they lie is read first, so the rows are read while the entries are decoded.
        let span = store.entry_span(first, last)?;
        let (to, from) = (span.through, span.before);
        let ((entries_topics, (title_rows, translation_rows)), (vectors, (related_rows, vocabulary))) =
            rayon::join(
                || {
                    rayon::join(
                        || -> Result<(Vec<Entry>, Vec<TopicView>)> {
                            let entries = store.entries_in(&span)?;
                            let topics = topics::views(&store.topics()?, &entries, corpus.edits());
                            Ok((entries, topics))
                        },
                        || {
                            rayon::join(
                                || store.title_terms_until(to),
                                || store.translation_rows_until(to),
                            )
                        },
                    )
                },
                || {
                    rayon::join(
                        || store.vectors_between(from, to),
                        || {
                            rayon::join(
                                || store.related_rows_until(to),
                                || -> Result<()> {
                                    // Read beside the rows: the views borrow them afterwards.
                                    corpus.vocabulary()?;
                                    corpus.issues()?;
                                    corpus.assignments()?;
                                    Ok(())
                                },
                            )
                        },
                    )
                },
            );
        let (entries, topics) = entries_topics?;
        vocabulary?;
        let related_rows = related_rows?;
        Ok(Through {
            last,
            entries,
            title_rows: title_rows?,
            vectors: vectors?,
            related_rows,
            translation_rows: translation_rows?,
            topics,
        })
    }

    /// The last issue read.
    pub fn last(&self) -> u32 {
        self.last
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{compute, render_markdown, Options, Scope};
    use crate::topics::TopicEdits;

    use crate::test_support::sample_store;

    #[test]
    fn a_report_read_through_its_last_issue_is_the_report_of_the_whole_store() {
        let (_dir, dir) = sample_store();
        let whole = Corpus::open(Store::open(&dir).expect("store"), TopicEdits::default());
        let all = Inputs::of(&whole).expect("inputs");
        let total = whole.entries().expect("entries").len();
        let seasons = all.seasons();
        assert!(seasons.len() >= 2, "{seasons:?}");
        let mut scopes: Vec<Scope> = seasons.iter().map(|&n| Scope::Season(n)).collect();
        scopes.push(Scope::Issues { from: 3, to: 7 });
        scopes.push(Scope::Issues { from: 2, to: 33 });
        for scope in scopes {
            let corpus = Corpus::open(Store::open(&dir).expect("store"), TopicEdits::default());
            let store = corpus.index_store().expect("open");
            let through = Through::read(store, &corpus, scope.first(), scope.last()).expect("read through");
            let read = through.entries.len();
            assert!(through.entries.iter().all(|e| e.issue <= scope.last()));
            if scope.last() < whole.issues().expect("issues").last().expect("issue").number {
                assert!(read < total, "{scope:?}: {read} of {total} entries read");
            }
            let inputs = Inputs::of_through(&corpus, &through).expect("inputs");
            for options in [
                Options::default(),
                Options {
                    lang: crate::model::Lang::En,
                    compilation: true,
                    metrics: None,
                },
            ] {
                let want = compute(&all, scope, &options).expect("report");
                let got = compute(&inputs, scope, &options).expect("report");
                assert_eq!(render_markdown(&got), render_markdown(&want), "{scope:?}");
                assert_eq!(format!("{got:?}"), format!("{want:?}"), "{scope:?}");
            }
        }
    }

    #[test]
    fn the_stored_translation_rows_are_the_titles_tokenised() {
        let (_dir, dir) = sample_store();
        let corpus = Corpus::open(Store::open(&dir).expect("store"), TopicEdits::default());
        let entries = corpus.entries().expect("entries");
        let store = corpus.index_store().expect("open");
        let rows = store.translation_rows_until(entries.len()).expect("rows");
        let stored = TitleTerms::from_rows(entries, &rows);
        let tokenised = TitleTerms::of(entries, corpus.vocabulary().expect("vocabulary"));
        let docs = stored.docs();
        assert_eq!(docs, tokenised.docs());
        let english = docs.iter().filter(|d| !d.2.is_empty()).count();
        let chinese = docs.iter().filter(|d| !d.1.is_empty()).count();
        assert!(
            english > 50 && chinese > 50,
            "{english} English, {chinese} Chinese titles"
        );
    }

    #[test]
    fn the_stored_translation_rows_split_as_the_vectorizer_splits_them() {
        let (_dir, dir) = sample_store();
        let corpus = Corpus::open(Store::open(&dir).expect("store"), TopicEdits::default());
        let entries = corpus.entries().expect("entries");
        let store = corpus.index_store().expect("open");
        let rows = store.translation_rows_until(entries.len()).expect("rows");
        let (mut zh, mut en) = (Vec::new(), Vec::new());
        let mut both = 0;
        for row in &rows {
            crate::vectorize::title_pair_into(row, &mut zh, &mut en);
            assert_eq!((zh.clone(), en.clone()), crate::vectorize::title_pair_of(row));
            both += usize::from(!zh.is_empty() && !en.is_empty());
        }
        assert!(both > 50, "{both} rows with terms in both languages");
    }
}
