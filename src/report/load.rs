//! What a report reads: the store's records loaded once, for any number of reports.

use std::collections::BTreeMap;

use crate::check;
use crate::error::Result;
use crate::related::RelatedIndex;
use crate::trends;
use crate::vectorize::{FittedTfIdf, SparseVector};

/// What a report reads: the store's records, loaded once for any number of reports.
pub struct Inputs {
    /// The records as trends read them: each entry's terms from its titles
    /// ([`trends::TermText::Titles`]), the editor's topic edits applied.
    pub trends: trends::Loaded,
    /// The stored TF-IDF rows (titles and descriptions), for similarity.
    pub rows: Vec<SparseVector>,
    pub vocabulary: FittedTfIdf,
    pub index: RelatedIndex,
    pub identities: check::Identities,
    /// Each topic's label: the editor's name, else its leading terms.
    pub labels: BTreeMap<u32, String>,
    /// English terms the titles' translations pair with a Chinese term (`agent` → `智能体`),
    /// for the word cloud to show one word once.
    pub translations: BTreeMap<u32, u32>,
}

impl Inputs {
    pub(super) fn label(&self, id: u32) -> String {
        self.labels
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("topic {id}"))
    }

    pub fn from_store(store: &crate::store::Store, edits: &crate::topics::TopicEdits) -> Result<Inputs> {
        let entries = store.entries()?;
        let vocabulary = store.vocabulary()?;
        let rows = store.vectors(entries.len())?;
        let index = RelatedIndex::build(&rows, &entries, vocabulary.terms().len());
        let identities = check::Identities::of(&entries);
        let trends = trends::Loaded::from_parts(
            store,
            edits,
            trends::TermText::Titles,
            entries,
            rows.clone(),
            &vocabulary,
        )?;
        let labels = trends::topic_labels(&trends.topics);
        let translations = super::summary::translation_pairs(&trends.entries, &vocabulary);
        Ok(Inputs {
            trends,
            rows,
            vocabulary,
            index,
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
