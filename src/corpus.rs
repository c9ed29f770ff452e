//! The read path: one store generation loaded once into memory, holding what the commands that
//! read the store share — the entries and issues, the vocabulary, the rows `related` ranks by and
//! their index, the stored TF-IDF rows `check` compares with, the topics with the editor's edits
//! and each entry's topic. Built from the loaders the commands already use
//! ([`related::Loaded`], [`report::Inputs`]), so every caller ranks with the same index.
//!
//! `serve` holds one `Corpus` per generation and swaps it whole when a build switches the store;
//! the other commands still open the store themselves (issue 18 moves them here).

use std::collections::HashMap;
use std::path::Path;

use crate::error::Result;
use crate::model::{Entry, EntryId, Issue};
use crate::related;
use crate::report;
use crate::store::Store;
use crate::topics::{TopicEdits, TopicView};

/// One generation of the store, in memory.
pub struct Corpus {
    /// The generation it was read from (`g-000042`); none for a store of the flat layout.
    pub generation: Option<String>,
    /// Entries, issues, vocabulary, the ranking rows and their index (what `related` and
    /// `past-years` read).
    pub related: related::Loaded,
    /// The topics, each entry's topic, the stored TF-IDF rows and their index, the identities
    /// `check` matches by (what `report` reads).
    pub report: report::Inputs,
    rows: HashMap<EntryId, usize>,
    issue_rows: HashMap<u32, usize>,
}

impl Corpus {
    /// Reads the store's current generation whole, with the editor's topic edits applied.
    pub fn load(store: &Store, edits: &TopicEdits) -> Result<Corpus> {
        let (related, report) = rayon::join(
            || related::Loaded::from_store(store),
            || report::Inputs::from_store(store, edits),
        );
        let (related, report) = (related?, report?);
        let rows = related
            .entries
            .iter()
            .enumerate()
            .map(|(row, e)| (e.id(), row))
            .collect();
        let issue_rows = related
            .issues
            .iter()
            .enumerate()
            .map(|(row, i)| (i.number, row))
            .collect();
        Ok(Corpus {
            generation: store.generation().map(str::to_string),
            related,
            report,
            rows,
            issue_rows,
        })
    }

    /// Opens the store at `dir` and reads it ([`Corpus::load`]); the store's lock is let go once
    /// it is read, since nothing is read from it afterwards.
    pub fn open(dir: &Path, edits: &TopicEdits) -> Result<Corpus> {
        Corpus::load(&Store::open(dir)?, edits)
    }

    pub fn entries(&self) -> &[Entry] {
        &self.related.entries
    }

    pub fn issues(&self) -> &[Issue] {
        &self.related.issues
    }

    /// The row of the entry `id`, if the store holds it.
    pub fn row(&self, id: EntryId) -> Option<usize> {
        self.rows.get(&id).copied()
    }

    pub fn issue(&self, number: u32) -> Option<&Issue> {
        self.issue_rows.get(&number).map(|&i| &self.related.issues[i])
    }

    /// The topics as shown (the editor's names and merges applied), largest first.
    pub fn topics(&self) -> &[TopicView] {
        &self.report.trends.topics
    }

    pub fn topic(&self, id: u32) -> Option<&TopicView> {
        self.topics().iter().find(|t| t.id == id)
    }

    /// The topic of the entry at `row` (merges applied).
    pub fn topic_of(&self, row: usize) -> Option<u32> {
        self.report.trends.assignments.get(row).copied().flatten()
    }

    /// The seasons the store's issues fall in, in order.
    pub fn seasons(&self) -> Vec<u32> {
        self.report.seasons()
    }
}
