//! The read path's one loader: a store generation opened once, each of its tables read when a
//! command first asks for it (and only then), each derived value — the related index, the
//! titles' term rows, the topics with the editor's edits — built once from them.
//!
//! Every command that reads the store goes through a `Corpus`, and the analyses take the views it
//! gives: [`Corpus::ranking`] (what `related`, `check` and `past-years` rank with: the entries,
//! the ranking rows and their one index), `trends::Corpus::of` and `report::Inputs::of` (which
//! rank with the same index). A command that lists the stats reads the issues and the entries; one
//! that ranks reads the rows too; nothing reads a table it does not use.
//!
//! Layer: above the store, the language core (`tokenize`, `vectorize`), `topics` and the related
//! index; below the analyses (`check`, `past_years`, `trends`, `report`) and `serve`.
//!
//! ```no_run
//! use weeklens::corpus::Corpus;
//! use weeklens::store::Store;
//! use weeklens::topics::TopicEdits;
//!
//! let corpus = Corpus::open(Store::open(".weeklens".as_ref())?, TopicEdits::default());
//! let ranking = corpus.ranking()?; // entries, issues, vocabulary, ranking rows and index
//! println!("{} entries", ranking.entries.len());
//! # Ok::<(), weeklens::Error>(())
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::identity::Identities;
use crate::model::{Entry, EntryId, Issue};
use crate::related::file::{IndexFile, Indexed};
use crate::related::{Ranking, RelatedIndex};
use crate::store::{Store, TopicQuality};
use crate::topics::{self, TopicEdits, TopicView};
use crate::vectorize::{FittedTfIdf, SparseVector};

/// One generation of the store, read lazily: each part is read (or built) the first time it is
/// asked for, then kept.
pub struct Corpus {
    /// The generation's store; `None` once [`Loaded::read`] has read every part and let it go.
    store: Option<Store>,
    root: PathBuf,
    /// The generation read and its manifest's checksum ([`Store::generation_id`]).
    generation: Option<(String, u32)>,
    diagnostics: Vec<Diagnostic>,
    topic_quality: Option<TopicQuality>,
    edits: TopicEdits,
    /// Set once the edits are checked against the store's topics.
    edits_checked: OnceLock<()>,
    issues: OnceLock<Vec<Issue>>,
    entries: OnceLock<Vec<Entry>>,
    keys: OnceLock<Vec<(EntryId, bool)>>,
    vocabulary: OnceLock<FittedTfIdf>,
    vectors: OnceLock<Vec<SparseVector>>,
    related_rows: OnceLock<Vec<SparseVector>>,
    related_index: OnceLock<RelatedIndex>,
    title_rows: OnceLock<Vec<SparseVector>>,
    translation_rows: OnceLock<Vec<SparseVector>>,
    identities: OnceLock<Identities>,
    assignments: OnceLock<Vec<Option<u32>>>,
    topics: OnceLock<Vec<TopicView>>,
    rows: OnceLock<HashMap<EntryId, usize>>,
    issue_rows: OnceLock<HashMap<u32, usize>>,
}

/// The value in `cell`, made by `make` the first time. Two threads may both make it; one value
/// is kept (each part is a pure function of the generation, so either is the same).
fn lazy<T>(cell: &OnceLock<T>, make: impl FnOnce() -> Result<T>) -> Result<&T> {
    if let Some(value) = cell.get() {
        return Ok(value);
    }
    let value = make()?;
    Ok(cell.get_or_init(|| value))
}

impl Corpus {
    /// The store's current generation, nothing read yet; `edits` are the editor's topic names and
    /// merges, applied to the topics and each entry's topic.
    pub fn open(store: Store, edits: TopicEdits) -> Corpus {
        Corpus {
            root: store.path(""),
            generation: store.generation_id(),
            diagnostics: store.diagnostics().to_vec(),
            topic_quality: store.topic_quality().cloned(),
            store: Some(store),
            edits,
            edits_checked: OnceLock::new(),
            issues: OnceLock::new(),
            entries: OnceLock::new(),
            keys: OnceLock::new(),
            vocabulary: OnceLock::new(),
            vectors: OnceLock::new(),
            related_rows: OnceLock::new(),
            related_index: OnceLock::new(),
            title_rows: OnceLock::new(),
            translation_rows: OnceLock::new(),
            identities: OnceLock::new(),
            assignments: OnceLock::new(),
            topics: OnceLock::new(),
            rows: OnceLock::new(),
            issue_rows: OnceLock::new(),
        }
    }

    /// The store, to read a part not yet read. Once [`Loaded::read`] let it go, every part is
    /// there, so this is not reached.
    fn store(&self) -> Result<&Store> {
        self.store
            .as_ref()
            .ok_or_else(|| Error::StoreChanged(self.root.clone()))
    }

    /// The store, for what is read from it by positioned reads rather than loaded (the related
    /// index file, `related.idx`); none once [`Loaded::read`] let it go.
    pub fn index_store(&self) -> Option<&Store> {
        self.store.as_ref()
    }

    /// The generation read (`g-000042`); none for a store of the flat layout.
    pub fn generation(&self) -> Option<&str> {
        self.generation.as_ref().map(|(name, _)| name.as_str())
    }

    /// The warnings of the build that wrote the store.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// How the stored topics were chosen, if the build clustered.
    pub fn topic_quality(&self) -> Option<&TopicQuality> {
        self.topic_quality.as_ref()
    }

    pub fn issues(&self) -> Result<&[Issue]> {
        lazy(&self.issues, || self.store()?.issues()).map(Vec::as_slice)
    }

    pub fn entries(&self) -> Result<&[Entry]> {
        lazy(&self.entries, || self.store()?.entries()).map(Vec::as_slice)
    }

    /// Each entry's id and whether it is withdrawn: from the entries when they are read, else
    /// from their key columns alone.
    pub fn entry_keys(&self) -> Result<&[(EntryId, bool)]> {
        lazy(&self.keys, || match self.entries.get() {
            Some(entries) => Ok(entries.iter().map(|e| (e.id(), e.withdrawn)).collect()),
            None => self.store()?.entry_keys(),
        })
        .map(Vec::as_slice)
    }

    pub fn vocabulary(&self) -> Result<&FittedTfIdf> {
        lazy(&self.vocabulary, || self.store()?.vocabulary())
    }

    /// Each entry's stored TF-IDF row (titles and descriptions).
    pub fn vectors(&self) -> Result<&[SparseVector]> {
        lazy(&self.vectors, || {
            let store = self.store()?;
            store.vectors(store.entry_count())
        })
        .map(Vec::as_slice)
    }

    /// The rows `related` ranks by (titles and names weighted up, computed at build).
    pub fn related_rows(&self) -> Result<&[SparseVector]> {
        lazy(&self.related_rows, || {
            let store = self.store()?;
            store.related_rows(store.entry_count())
        })
        .map(Vec::as_slice)
    }

    /// The one in-memory index over [`Corpus::related_rows`]: what every command ranks with.
    pub fn related_index(&self) -> Result<&RelatedIndex> {
        lazy(&self.related_index, || {
            let (rows, (keys, vocabulary)) = rayon::join(
                || self.related_rows(),
                || rayon::join(|| self.entry_keys(), || self.vocabulary()),
            );
            let (rows, keys, vocabulary) = (rows?, keys?, vocabulary?);
            let issues = keys.iter().map(|(id, _)| id.issue).collect();
            Ok(RelatedIndex::from_rows(rows, issues, vocabulary.terms().len()))
        })
    }

    /// What `related`, `check` and `past-years` rank with: the entries, the issues, the
    /// vocabulary, the ranking rows and their index (the files read side by side).
    pub fn ranking(&self) -> Result<Ranking<'_>> {
        let (entries, (issues, index)) = rayon::join(
            || self.entries(),
            || rayon::join(|| self.issues(), || self.related_index()),
        );
        let (entries, issues, related_index) = (entries?, issues?, index?);
        Ok(Ranking {
            entries,
            issues,
            vocabulary: self.vocabulary()?,
            related_rows: self.related_rows()?,
            related_index,
        })
    }

    /// What `check` and `past-years` read the archive through at scale: the store's index file
    /// (`related.idx`, read a row at a time), with the issues and the vocabulary. The entries
    /// table and the ranking rows are not read.
    pub fn indexed(&self) -> Result<Indexed<'_>> {
        let (file, (issues, vocabulary)) = rayon::join(
            || IndexFile::open(self.store()?),
            || rayon::join(|| self.issues(), || self.vocabulary()),
        );
        Ok(Indexed {
            file: file?,
            issues: issues?,
            vocabulary: vocabulary?,
        })
    }

    /// What identifies each entry (its marks and each key's rows), made once from the entries:
    /// what `check` reads in memory (serve, and the report of a whole corpus).
    pub fn identities(&self) -> Result<&Identities> {
        lazy(&self.identities, || Ok(Identities::of(self.entries()?)))
    }

    /// Each entry's titles (Chinese and English) vectorised with the vocabulary, as the build
    /// stored them ([`title_rows`]): the terms `trends` and the report count by default.
    pub fn title_rows(&self) -> Result<&[SparseVector]> {
        lazy(&self.title_rows, || {
            let store = self.store()?;
            store.title_rows(store.entry_count())
        })
        .map(Vec::as_slice)
    }

    /// Each entry's title terms by language, as the build stored them
    /// ([`crate::vectorize::translation_row`]).
    pub fn translation_rows(&self) -> Result<&[SparseVector]> {
        lazy(&self.translation_rows, || {
            let store = self.store()?;
            store.translation_rows_until(store.entry_count())
        })
        .map(Vec::as_slice)
    }

    /// Each entry's topic, the editor's merges applied.
    pub fn assignments(&self) -> Result<&[Option<u32>]> {
        lazy(&self.assignments, || {
            self.check_edits()?;
            Ok(self.edits.apply(&self.store()?.assignments()?))
        })
        .map(Vec::as_slice)
    }

    /// The topics as shown (the editor's names and merges applied), largest first.
    pub fn topics(&self) -> Result<&[TopicView]> {
        lazy(&self.topics, || {
            self.check_edits()?;
            let (stored, entries) = rayon::join(|| self.store().and_then(Store::topics), || self.entries());
            Ok(topics::views(&stored?, entries?, &self.edits))
        })
        .map(Vec::as_slice)
    }

    /// The editor's edits checked against the store's topics ([`TopicEdits::check`]) before any
    /// is applied; the topics table is read for it only when there are edits.
    fn check_edits(&self) -> Result<()> {
        lazy(&self.edits_checked, || {
            if self.edits.is_empty() {
                return Ok(());
            }
            let ids = self.store()?.topics()?.iter().map(|t| t.id).collect();
            self.edits.check(&ids)
        })
        .map(|_| ())
    }

    fn row_index(&self) -> Result<&HashMap<EntryId, usize>> {
        lazy(&self.rows, || {
            Ok(self
                .entries()?
                .iter()
                .enumerate()
                .map(|(row, e)| (e.id(), row))
                .collect())
        })
    }

    fn issue_index(&self) -> Result<&HashMap<u32, usize>> {
        lazy(&self.issue_rows, || {
            Ok(self
                .issues()?
                .iter()
                .enumerate()
                .map(|(row, i)| (i.number, row))
                .collect())
        })
    }

    /// The row of the entry `id`, if the store holds it.
    pub fn row(&self, id: EntryId) -> Result<Option<usize>> {
        Ok(self.row_index()?.get(&id).copied())
    }

    pub fn issue(&self, number: u32) -> Result<Option<&Issue>> {
        let (index, issues) = (self.issue_index()?, self.issues()?);
        Ok(index.get(&number).map(|&i| &issues[i]))
    }

    /// The topic of the entry at `row` (merges applied).
    pub fn topic_of(&self, row: usize) -> Result<Option<u32>> {
        Ok(self.assignments()?.get(row).copied().flatten())
    }

    pub fn topic(&self, id: u32) -> Result<Option<&TopicView>> {
        Ok(self.topics()?.iter().find(|t| t.id == id))
    }

    /// The seasons the store's issues fall in, in order.
    pub fn seasons(&self) -> Result<Vec<u32>> {
        let mut seasons: Vec<u32> = self
            .issues()?
            .iter()
            .map(|i| crate::terms::season_of(i.number))
            .collect();
        seasons.sort_unstable();
        seasons.dedup();
        Ok(seasons)
    }

    /// The editor's topic names and merges this corpus applies (for a view that reads the
    /// topics itself: the report of a window, `report::Through`).
    pub fn edits(&self) -> &TopicEdits {
        &self.edits
    }
}

/// A [`Corpus`] with every part read: what `serve` keeps per generation and answers every
/// request from, so its accessors cannot fail.
pub struct Loaded {
    corpus: Corpus,
    /// The generation it was read from (`g-000042`) and its manifest's checksum; none for a
    /// store of the flat layout.
    pub generation: Option<(String, u32)>,
}

impl Loaded {
    /// Opens the store at `dir` and reads every part, side by side; the store's lock is let go
    /// once it is read, since nothing is read from it afterwards.
    pub fn read(dir: &Path, edits: &TopicEdits) -> Result<Loaded> {
        let mut corpus = Corpus::open(Store::open(dir)?, edits.clone());
        let (a, b) = rayon::join(
            || -> Result<()> {
                corpus.ranking()?;
                corpus.vectors()?;
                corpus.title_rows()?;
                corpus.translation_rows()?;
                Ok(())
            },
            || -> Result<()> {
                corpus.assignments()?;
                corpus.topics()?;
                corpus.identities()?;
                corpus.row_index()?;
                corpus.issue_index()?;
                Ok(())
            },
        );
        a?;
        b?;
        corpus.store = None;
        Ok(Loaded {
            generation: corpus.generation.clone(),
            corpus,
        })
    }

    /// The corpus, every part read: for the analyses' views (`trends::Corpus::of`,
    /// `report::Inputs::of`), which cannot fail on it.
    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// A view an analysis makes of the corpus (`trends::Corpus::of`, `report::Inputs::of`):
    /// it reads only parts [`Loaded::read`] has read, so it cannot fail.
    pub fn view<'a, T>(&'a self, make: impl FnOnce(&'a Corpus) -> Result<T>) -> T {
        Loaded::read_part(make(&self.corpus))
    }

    /// A part read by [`Loaded::read`].
    fn read_part<T>(part: Result<T>) -> T {
        part.expect("Loaded::read reads every part")
    }

    pub fn ranking(&self) -> Ranking<'_> {
        Loaded::read_part(self.corpus.ranking())
    }

    /// What identifies each entry, made once when the corpus was read.
    pub fn identities(&self) -> &Identities {
        Loaded::read_part(self.corpus.identities())
    }

    pub fn entries(&self) -> &[Entry] {
        Loaded::read_part(self.corpus.entries())
    }

    pub fn issues(&self) -> &[Issue] {
        Loaded::read_part(self.corpus.issues())
    }

    /// The row of the entry `id`, if the store holds it.
    pub fn row(&self, id: EntryId) -> Option<usize> {
        Loaded::read_part(self.corpus.row(id))
    }

    pub fn issue(&self, number: u32) -> Option<&Issue> {
        Loaded::read_part(self.corpus.issue(number))
    }

    /// The topics as shown (the editor's names and merges applied), largest first.
    pub fn topics(&self) -> &[TopicView] {
        Loaded::read_part(self.corpus.topics())
    }

    pub fn topic(&self, id: u32) -> Option<&TopicView> {
        Loaded::read_part(self.corpus.topic(id))
    }

    /// The topic of the entry at `row` (merges applied).
    pub fn topic_of(&self, row: usize) -> Option<u32> {
        Loaded::read_part(self.corpus.topic_of(row))
    }

    /// The seasons the store's issues fall in, in order.
    pub fn seasons(&self) -> Vec<u32> {
        Loaded::read_part(self.corpus.seasons())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::related::Request;
    use crate::tokenize::Tokenizer;

    /// Each entry's titles (Chinese and English) vectorised with `vocabulary` (no refit), a
    /// withdrawn placeholder's row empty: what the build stores in `titles.parquet`, computed
    /// again from the entries to check it.
    fn title_rows(entries: &[Entry], vocabulary: &FittedTfIdf) -> Vec<SparseVector> {
        let tokenizer = Tokenizer::shared();
        entries
            .iter()
            .map(|e| {
                if e.withdrawn {
                    return SparseVector::default();
                }
                crate::related::title_row(
                    tokenizer,
                    vocabulary,
                    std::iter::once(e.title.as_str()).chain(e.en_title.as_deref()),
                )
            })
            .collect()
    }

    use crate::test_support::sample_store;

    #[test]
    fn a_part_is_read_only_when_asked_for() {
        let (_dir, dir) = sample_store();
        let corpus = Corpus::open(Store::open(&dir).expect("store"), TopicEdits::default());
        // `related --all` reads the entries' keys and the ranking rows, not the entries.
        let keys = corpus.entry_keys().expect("keys").to_vec();
        corpus.related_index().expect("index");
        assert!(
            corpus.entries.get().is_none(),
            "the entries were read for the keys"
        );
        assert!(
            corpus.vectors.get().is_none(),
            "the TF-IDF rows were read for the index"
        );
        assert!(corpus.title_rows.get().is_none());
        // Read later, the entries give the same keys.
        let entries = corpus.entries().expect("entries");
        let from_entries: Vec<(EntryId, bool)> = entries.iter().map(|e| (e.id(), e.withdrawn)).collect();
        assert_eq!(keys, from_entries);
        assert!(!keys.is_empty());
    }

    #[test]
    fn the_ranking_index_is_the_one_built_from_the_entries_and_their_rows() {
        let (_dir, dir) = sample_store();
        let store = Store::open(&dir).expect("store");
        let (entries, rows, vocabulary) = (
            store.entries().expect("entries"),
            store.related_rows(store.entry_count()).expect("rows"),
            store.vocabulary().expect("vocabulary"),
        );
        let want = RelatedIndex::build(&rows, &entries, vocabulary.terms().len());
        let corpus = Corpus::open(store, TopicEdits::default());
        let ranking = corpus.ranking().expect("ranking");
        assert_eq!(ranking.entries, entries.as_slice());
        assert_eq!(ranking.related_rows, rows.as_slice());
        let mut compared = 0;
        for (row, e) in entries.iter().enumerate().filter(|(_, e)| !e.withdrawn) {
            let request = Request::new(&rows[row], 5)
                .before(e.issue)
                .excluding(row)
                .min_score(0.0);
            let bits = |found: Vec<crate::related::Suggestion>| -> Vec<(usize, u32)> {
                found.iter().map(|s| (s.row, s.score.to_bits())).collect()
            };
            assert_eq!(
                bits(ranking.related_index.query(&request)),
                bits(want.query(&request))
            );
            compared += 1;
        }
        assert!(compared > 100, "{compared} entries compared");
        // The same index is handed out every time, not built again.
        assert!(std::ptr::eq(
            ranking.related_index,
            corpus.related_index().expect("index")
        ));
    }

    #[test]
    fn the_stored_title_rows_are_the_titles_vectorised_again() {
        let (_dir, dir) = sample_store();
        let corpus = Corpus::open(Store::open(&dir).expect("store"), TopicEdits::default());
        let (entries, vocabulary) = (
            corpus.entries().expect("entries"),
            corpus.vocabulary().expect("vocabulary"),
        );
        // Bit for bit: what the build stored from the terms it tokenised is what tokenising the
        // titles again with the stored vocabulary gives.
        assert_eq!(
            corpus.title_rows().expect("stored"),
            title_rows(entries, vocabulary).as_slice()
        );
    }

    #[test]
    fn title_rows_hold_the_titles_terms_only() {
        let (_dir, dir) = sample_store();
        let corpus = Corpus::open(Store::open(&dir).expect("store"), TopicEdits::default());
        let (entries, vocabulary) = (
            corpus.entries().expect("entries"),
            corpus.vocabulary().expect("vocabulary"),
        );
        let rows = corpus.title_rows().expect("title rows");
        assert_eq!(rows.len(), entries.len());
        let tokenizer = Tokenizer::shared();
        for (e, row) in entries.iter().zip(rows) {
            let terms: std::collections::BTreeSet<&str> = row
                .indices
                .iter()
                .map(|&t| vocabulary.terms()[t as usize].as_str())
                .collect();
            let mut said = Vec::new();
            tokenizer.plain_terms_into(&e.title, &mut said);
            tokenizer.plain_terms_into(e.en_title.as_deref().unwrap_or_default(), &mut said);
            assert!(
                terms.iter().all(|t| said.iter().any(|s| s == t)),
                "{}: {terms:?} not all in its titles' terms {said:?}",
                e.id()
            );
        }
        assert!(rows.iter().any(|r| !r.indices.is_empty()));
    }

    #[test]
    fn loaded_reads_every_part_and_lets_the_store_go() {
        let (_dir, dir) = sample_store();
        let loaded = Loaded::read(&dir, &TopicEdits::default()).expect("read");
        assert!(loaded.corpus.store.is_none(), "the store's lock is held");
        let c = &loaded.corpus;
        assert!(c.entries.get().is_some() && c.issues.get().is_some() && c.vocabulary.get().is_some());
        assert!(
            c.vectors.get().is_some() && c.related_rows.get().is_some() && c.related_index.get().is_some()
        );
        assert!(c.title_rows.get().is_some() && c.assignments.get().is_some() && c.topics.get().is_some());
        assert!(
            c.identities.get().is_some(),
            "serve's drafts would make the identities again"
        );
        let first = loaded.entries()[0].id();
        assert_eq!(loaded.row(first), Some(0));
        let number = loaded.issues()[0].number;
        assert_eq!(loaded.issue(number).map(|i| i.number), Some(number));
        assert!(!loaded.seasons().is_empty());
    }

    #[test]
    fn the_index_file_holds_every_entry_whole_and_the_rows_of_each_key() {
        let (_dir, dir) = sample_store();
        let corpus = Corpus::open(Store::open(&dir).expect("store"), TopicEdits::default());
        let entries = corpus.entries().expect("entries");
        let indexed = corpus.indexed().expect("the index file");
        let identities = crate::identity::Identities::of(entries);
        let mut keys = 0;
        for (row, e) in entries.iter().enumerate() {
            // Whole but for where the descriptions' markup stood, which only the entries table
            // keeps (for the compilation).
            let mut e = e.clone();
            e.description_marks.clear();
            e.en_description_marks.clear();
            assert_eq!(indexed.file.stored_entry(row as u32).expect("record"), e);
            let e = &e;
            for key in crate::identity::keys(e) {
                let rows: Vec<usize> = indexed
                    .file
                    .rows_with(&key)
                    .expect("key")
                    .into_iter()
                    .map(|r| r as usize)
                    .collect();
                assert_eq!(rows, identities.rows(&key), "{key:?}");
                keys += 1;
            }
        }
        assert!(keys > entries.len(), "{keys} keys");
        // A key no entry holds finds nothing.
        let none = crate::identity::Key::Url("example.invalid/nothing".to_string());
        assert!(indexed.file.rows_with(&none).expect("key").is_empty());
    }

    #[test]
    fn a_check_through_the_index_file_answers_as_one_in_memory() {
        let (_dir, dir) = sample_store();
        let corpus = Corpus::open(Store::open(&dir).expect("store"), TopicEdits::default());
        let ranking = corpus.ranking().expect("ranking");
        let identities = crate::identity::Identities::of(ranking.entries);
        let archive = crate::check::Archive::of_loaded(&ranking, &identities);
        let mut indexed = corpus.indexed().expect("the index file");
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
        let (mut checked, mut hits) = (0, 0);
        for issue in ranking.issues {
            let text = crate::archive::read_text(&sample.join(&issue.source), &issue.source).expect("text");
            let (draft, _) = crate::parse::parse_issue(&issue.source, &text);
            // Against the issues before it, and against the whole archive (itself included).
            for before in [Some(issue.number), None] {
                let want =
                    crate::check::check(&draft.entries, issue.date, before, &archive, Tokenizer::shared());
                let got = crate::check::check_in(
                    &draft.entries,
                    crate::check::Language::Chinese(&[]),
                    issue.date,
                    before,
                    &mut indexed,
                    None,
                )
                .expect("read");
                assert_eq!(
                    serde_json::to_string(&got).expect("json"),
                    serde_json::to_string(&want).expect("json"),
                    "issue {} before {before:?}",
                    issue.number
                );
                checked += 1;
                hits += want.iter().map(|r| r.hits.len() + r.covered.len()).sum::<usize>();
            }
        }
        assert!(checked >= 10 && hits >= 20, "{checked} checks, {hits} hits");
    }
}
