//! What a report reads: the views of the read path's [`Corpus`] it ranks and counts with, and
//! the few values derived from them for every report (labels, translations, identities).

use std::collections::BTreeMap;

use crate::check;
use crate::corpus::Corpus;
use crate::error::Result;
use crate::related::RelatedIndex;
use crate::trends;
use crate::vectorize::{FittedTfIdf, SparseVector};

/// What a report reads, borrowed from a [`Corpus`] for any number of reports.
pub struct Inputs<'a> {
    /// The records as trends read them: each entry's terms from its titles
    /// ([`trends::TermText::Titles`]), the editor's topic edits applied.
    pub trends: trends::Corpus<'a>,
    /// The stored TF-IDF rows (titles and descriptions), for the topics' central entries.
    pub rows: &'a [SparseVector],
    pub vocabulary: &'a FittedTfIdf,
    /// The rows `related` ranks by and their index: the re-shares and cross-references rank with
    /// what `related`, `check` and `past-years` rank with.
    pub related_rows: &'a [SparseVector],
    pub index: &'a RelatedIndex,
    pub identities: check::Identities,
    /// Each topic's label: the editor's name, else its leading terms.
    pub labels: BTreeMap<u32, String>,
    /// English terms the titles' translations pair with a Chinese term (`agent` → `智能体`),
    /// for the word cloud to show one word once.
    pub translations: BTreeMap<u32, u32>,
}

impl<'a> Inputs<'a> {
    pub(super) fn label(&self, id: u32) -> String {
        self.labels
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("topic {id}"))
    }

    /// The report's view of `corpus` (the editor's topic edits given when it was opened).
    pub fn of(corpus: &'a Corpus) -> Result<Inputs<'a>> {
        let trends = trends::Corpus::of(corpus, trends::TermText::Titles)?;
        let vocabulary = corpus.vocabulary()?;
        let identities = check::Identities::of(trends.entries);
        let labels = trends::topic_labels(trends.topics);
        let translations = super::summary::translation_pairs(trends.entries, vocabulary);
        Ok(Inputs {
            trends,
            rows: corpus.vectors()?,
            vocabulary,
            related_rows: corpus.related_rows()?,
            index: corpus.related_index()?,
            identities,
            labels,
            translations,
        })
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
