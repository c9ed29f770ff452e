//! weeklens: an analytics engine for the archive of the "Python 潮流周刊" (Python Trending Weekly)
//! newsletter.
//!
//! The pipeline reads the archive's markdown into typed records and keeps them in an embedded
//! Parquet store:
//!
//! ```text
//! archive (files) → parse (blocks, entries) → ingest (translation, compilations) → store
//! ```
//!
//! ```no_run
//! use std::path::Path;
//!
//! let summary = weeklens::build(&weeklens::BuildParams {
//!     archive: "data/sample".into(),
//!     store: ".weeklens".into(),
//!     strict: false,
//!     cluster: weeklens::cluster::ClusterParams::default(),
//!     fresh_topics: false,
//! })?;
//! println!("{} issues, {} entries", summary.issues, summary.entries);
//! let store = weeklens::store::Store::open(Path::new(".weeklens"))?;
//! let stats = weeklens::stats::compute(
//!     &store.issues()?,
//!     &store.entries()?,
//!     &weeklens::stats::Errata::builtin(),
//!     store.diagnostics().to_vec(),
//! );
//! print!("{}", weeklens::stats::render_table(&stats));
//! # Ok::<(), weeklens::Error>(())
//! ```

pub mod archive;
pub mod bounded;
pub mod bursts;
pub mod canon;
pub mod chart;
pub mod check;
pub mod cluster;
pub mod corpus;
pub mod devset;
pub mod diagnostic;
pub mod draft;
pub mod error;
pub mod escape;
#[doc(hidden)]
pub mod fuzz_targets;
pub mod identity;
pub mod ingest;
pub mod model;
pub mod parse;
pub mod past_years;
pub mod progress;
pub mod related;
pub mod report;
pub mod serve;
pub mod stats;
pub mod store;
pub mod stories;
pub mod synth;
pub mod terms;
#[cfg(test)]
mod test_support;
pub mod tokenize;
pub mod topics;
pub mod trends;
pub mod vectorize;
pub mod vocab;
pub mod wording;

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use vectorize::SparseVector;

pub use diagnostic::Diagnostic;
pub use error::{Error, Result};

/// Writes `tables` as the store at `dir` with their related index, replacing what was there
/// only once all is written (what a build does, from tables already made).
pub fn write_tables(dir: &std::path::Path, tables: &store::Tables) -> Result<()> {
    let staging = store::Staging::begin(dir, None)?;
    staging.write_entries(&tables.issues, &tables.entries)?;
    staging.write_vectors(tables, |path, fit| write_index(path, tables, fit))?;
    staging.commit(tables)
}

/// Writes the related index of `tables` at `path` (the store's [`store::RELATED_INDEX`]).
fn write_index(
    path: &std::path::Path,
    tables: &store::Tables,
    fit: &vectorize::FittedTfIdf,
) -> Result<store::FileSum> {
    related::file::write(
        path,
        &tables.entries,
        tables.issues.iter().map(|i| (i.number, i.date)),
        fit,
        &tables.related_rows,
    )
}

/// What vectorising the entries gives a build.
struct Vectorised {
    vectors: Vec<SparseVector>,
    related_rows: Vec<SparseVector>,
    title_rows: Vec<SparseVector>,
    translation_rows: Vec<SparseVector>,
    vocabulary: vectorize::FittedTfIdf,
    /// Each entry's raw term counts, for the topics.
    counts: Vec<Vec<(u32, u32)>>,
}

/// Tokenises every entry and fits the TF-IDF vocabulary over them (withdrawn placeholders get
/// an empty row and no say in the vocabulary); each entry tokenised is reported to `progress`.
fn vectorize_entries(
    tokenizer: &tokenize::Tokenizer,
    entries: &[model::Entry],
    progress: &dyn progress::Progress,
) -> Vectorised {
    let vectorize::Tokenised {
        terms,
        documents,
        titles,
        zh_titles,
        surfaces,
    } = vectorize::entry_term_ids_titles_and_surfaces(tokenizer, entries, progress);
    let term_counts: Vec<Vec<(u32, u32)>> = documents.into_par_iter().map(vectorize::count_ids).collect();
    let live = entries
        .par_iter()
        .zip(&term_counts)
        .filter(|(e, _)| !e.withdrawn)
        .map(|(_, c)| c.as_slice());
    let (fit, index) = vectorize::TfIdfParams::default()
        .check()
        .expect("the default TF-IDF parameters are valid")
        .fit_counted(&terms, live);
    let shown = fit
        .terms()
        .iter()
        .map(|t| surfaces.most_frequent(t).unwrap_or(t).to_string())
        .collect();
    let fit = fit.with_shown(shown);
    let counts: Vec<Vec<(u32, u32)>> = term_counts
        .into_par_iter()
        .map(|c| vectorize::in_vocabulary(&c, &index))
        .collect();
    let vectors: Vec<SparseVector> = counts.par_iter().map(|c| fit.row(c)).collect();
    // Each entry's title terms, both languages', counted in the vocabulary: the Chinese title's
    // and its translation's apart too (the translation pairs).
    let title_counts =
        |title: &[u32]| vectorize::in_vocabulary(&vectorize::count_ids(title.to_vec()), &index);
    // The titles' terms (both languages' titles, plain terms), kept so that no reader tokenises
    // them again (`titles.parquet`).
    let title_rows: Vec<SparseVector> = entries
        .par_iter()
        .zip(&titles)
        .map(|(e, t)| {
            if e.withdrawn {
                SparseVector::default()
            } else {
                fit.row(&title_counts(t))
            }
        })
        .collect();
    let related_rows = related::related_rows(entries, &vectors, &title_rows, &fit);
    let translation_rows: Vec<SparseVector> = entries
        .par_iter()
        .zip(&titles)
        .zip(&zh_titles)
        .map(|((e, t), &zh)| {
            if e.en_title.is_none() || e.withdrawn {
                return SparseVector::default();
            }
            vectorize::translation_row_counted(&title_counts(&t[..zh]), &title_counts(&t[zh..]), &fit)
        })
        .collect();
    Vectorised {
        vectors,
        related_rows,
        title_rows,
        translation_rows,
        vocabulary: fit,
        counts,
    }
}

/// The topics found for a build, as the store keeps them.
struct Topics {
    topics: Vec<model::TopicSummary>,
    assignments: Vec<Option<u32>>,
    quality: store::TopicQuality,
    /// Found and numbered afresh, not carried over from the previous store.
    fresh: bool,
}

/// At most this many of a topic's entries (its latest) are read for the order of its label's
/// words: enough titles to tell how the archive writes them, a bounded cost at any size.
const WRITTEN_FROM: usize = 2_000;

/// A topic's `terms` in the order its `entries`' titles write them
/// ([`wording::in_written_order`]): the Chinese ones in the Chinese titles, the others in the
/// English titles (the Chinese title where there is no translation), Chinese first.
fn written_order<'a>(terms: &[String], entries: impl Iterator<Item = &'a model::Entry>) -> Vec<String> {
    use crate::parse::markdown::has_cjk;
    let (zh, en): (Vec<String>, Vec<String>) = terms.iter().cloned().partition(|t| has_cjk(t));
    let (zh_titles, en_titles): (Vec<&str>, Vec<&str>) = entries
        .map(|e| (e.title.as_str(), e.en_title.as_deref().unwrap_or(&e.title)))
        .unzip();
    let mut out = wording::in_written_order(&zh, &zh_titles);
    out.extend(wording::in_written_order(&en, &en_titles));
    out
}

/// Groups the entries into topics. The previous store's topics, where there is one, are carried
/// over (`cluster::CheckedClusterParams::fit`): ids and memberships stay, new entries join them.
/// An archive too small for topics has none; a k given that the archive cannot hold is an error,
/// so that the store keeps its topics.
fn cluster_entries(
    tables: &store::Tables,
    counts: &[Vec<(u32, u32)>],
    params: cluster::CheckedClusterParams,
    previous: Option<&PreviousTopics>,
) -> Result<Option<Topics>> {
    let Some(fit) = tables.vocabulary.as_ref() else {
        return Ok(None);
    };
    let corpus = cluster::Corpus {
        vectors: &tables.vectors,
        counts,
        terms: fit.terms(),
    };
    let carried = previous.map(|p| p.by_row(&tables.entries));
    let previous = previous
        .zip(carried.as_ref())
        .map(|(p, (assignments, topics))| cluster::Previous {
            assignments,
            topics,
            scores: &p.scores,
        });
    let clustering = match params.fit(&corpus, previous.as_ref()) {
        Ok(clustering) => clustering,
        Err(cluster::Unclustered::TooFewEntries { .. }) => return Ok(None),
        Err(e) => return Err(Error::Topics(e)),
    };
    // Each topic's members, the latest `WRITTEN_FROM` of them: the titles its label's order is
    // read from.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); clustering.topics.len()];
    for (r, topic) in clustering.assignments.iter().enumerate().rev() {
        if let Some(m) = topic.and_then(|t| members.get_mut(t as usize)) {
            if m.len() < WRITTEN_FROM {
                m.push(r);
            }
        }
    }
    let topics = clustering
        .topics
        .par_iter()
        .map(|t| {
            // Shown as the archive writes them (`library`, `Claude`), not as stems.
            let terms: Vec<String> = t
                .terms
                .iter()
                .map(|term| match fit.term_index(term) {
                    Some(i) => fit.shown()[i as usize].clone(),
                    None => term.clone(),
                })
                .collect();
            let rows = members.get(t.id as usize).map_or(&[][..], Vec::as_slice);
            model::TopicSummary {
                id: t.id,
                size: t.size,
                written: written_order(&terms, rows.iter().map(|&r| &tables.entries[r])),
                terms,
                central: t.central.iter().map(|&r| tables.entries[r].id()).collect(),
                npmi: t.npmi,
            }
        })
        .collect();
    Ok(Some(Topics {
        topics,
        assignments: clustering.assignments,
        quality: store::TopicQuality {
            scores: clustering.scores,
            silhouette: clustering.silhouette,
        },
        fresh: !clustering.carried,
    }))
}

/// What a rebuild reads of the previous store's topics.
struct PreviousTopics {
    /// The topic of each entry that had one.
    by_entry: std::collections::HashMap<model::EntryId, u32>,
    /// The topics, topic `i` at index `i`.
    topics: Vec<model::TopicSummary>,
    /// The scores that chose their k.
    scores: Vec<cluster::KScore>,
}

impl PreviousTopics {
    /// The previous topics by row of `entries`: each entry's topic (`None` where it is new) and
    /// each topic with its central entries as rows (`None` where the entry is gone).
    fn by_row(&self, entries: &[model::Entry]) -> (Vec<Option<u32>>, Vec<cluster::PreviousTopic>) {
        let rows: std::collections::HashMap<model::EntryId, usize> =
            entries.iter().enumerate().map(|(r, e)| (e.id(), r)).collect();
        let assignments = entries
            .iter()
            .map(|e| self.by_entry.get(&e.id()).copied())
            .collect();
        let topics = self
            .topics
            .iter()
            .map(|t| cluster::PreviousTopic {
                size: t.size,
                central: t.central.iter().map(|id| rows.get(id).copied()).collect(),
            })
            .collect();
        (assignments, topics)
    }
}

/// The topics of the store at `dir`, if it holds a store with topics numbered from 0. A store that
/// is there but cannot be read is an error: starting the topics afresh would silently renumber
/// the ones the editor's names and merges refer to.
fn previous_topics(dir: &std::path::Path) -> Result<Option<PreviousTopics>> {
    let read = || -> Result<Option<PreviousTopics>> {
        let store = match store::Store::open_previous(dir) {
            Err(Error::StoreMissing(_)) => return Ok(None),
            opened => opened?,
        };
        let by_entry: std::collections::HashMap<_, _> = store
            .topics_by_entry()?
            .into_iter()
            .filter_map(|(id, t)| Some((id, t?)))
            .collect();
        let topics = store.topics()?;
        let numbered = topics.iter().enumerate().all(|(i, t)| t.id as usize == i);
        let scores = store
            .topic_quality()
            .map(|q| q.scores.clone())
            .unwrap_or_default();
        Ok(
            (!by_entry.is_empty() && !topics.is_empty() && numbered).then_some(PreviousTopics {
                by_entry,
                topics,
                scores,
            }),
        )
    };
    read().map_err(|e| Error::PreviousTopics(Box::new(e)))
}

/// What `weeklens build` needs.
#[derive(Debug, Clone)]
pub struct BuildParams {
    pub archive: PathBuf,
    pub store: PathBuf,
    /// Any problem in the archive fails the build, and the store is left as it was.
    pub strict: bool,
    /// How to find topics.
    pub cluster: cluster::ClusterParams,
    /// Start afresh instead of seeding the topics from the previous store's.
    pub fresh_topics: bool,
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    pub issues: usize,
    pub entries: usize,
    pub filled: u32,
    /// How many of the archive's files kept are symbolic links, read through.
    pub linked: usize,
    /// The topics were found and numbered afresh (`--fresh-topics`, another `--k`, no previous
    /// store's topics to carry over): the ids the editor's topic edits name may now name other
    /// topics.
    pub topics_renumbered: bool,
    pub diagnostics: Vec<Diagnostic>,
    /// Wall-clock time of each stage, in order (never part of any output file).
    pub timings: Vec<(&'static str, Duration)>,
}

/// Reads the archive and writes the store.
pub fn build(params: &BuildParams) -> Result<BuildSummary> {
    build_reporting(params, &progress::Silent)
}

/// [`build`], telling `progress` each stage as it begins and each entry as it is tokenised.
pub fn build_reporting(params: &BuildParams, progress: &dyn progress::Progress) -> Result<BuildSummary> {
    use progress::Stage;
    let mut clock = Clock::start();
    let cluster_params = params.cluster.clone().check()?;
    let archive = archive::Archive::open(&params.archive)?;
    let files = archive.weeklies.len()
        + archive
            .weeklies
            .iter()
            .filter(|f| f.translation.is_some())
            .count()
        + archive.compilations.len();
    progress.stage(Stage::Parsing { files: files as u64 });
    // The store's files are written into a staging directory, each part as soon as what it
    // holds is known, which replaces the store only once all is written.
    let staging = store::Staging::begin(&params.store, Some(&params.archive))?;
    // The files are parsed on every core, beside the previous store's topics (which a rebuild
    // carries over). The issues and entries are written as soon as they are parsed, beside
    // whatever comes next. The parsed archive and the write's outcome live outside the scope:
    // the write, spawned inside it, borrows the one and sets the other.
    let parsed: OnceLock<ingest::Ingested> = OnceLock::new();
    let written: OnceLock<Result<()>> = OnceLock::new();
    let (previous, vectorised) = rayon::scope(|scope| {
        let (ingested, previous) = rayon::join(
            || {
                let ingested = parsed.get_or_init(|| ingest::ingest(&archive));
                scope.spawn(|_| {
                    let tables = &ingested.tables;
                    let outcome = staging.write_entries(&tables.issues, &tables.entries);
                    written.set(outcome).expect("the entries are written once");
                });
                ingested
            },
            || {
                if params.fresh_topics {
                    Ok(None)
                } else {
                    previous_topics(&params.store)
                }
            },
        );
        let previous = previous?;
        // A build that keeps no issue would put an empty store in place of the previous one:
        // it fails here, before anything is committed.
        if ingested.tables.issues.is_empty() {
            return Err(no_issue_kept(&params.archive, &ingested.skipped));
        }
        if params.strict && !ingested.diagnostics.is_empty() {
            return Err(Error::Strict(ingested.diagnostics.clone()));
        }
        // Only the part of jieba's dictionary that the entries can hold.
        progress.stage(Stage::Dictionary);
        let entries = &ingested.tables.entries;
        let tokenizer = tokenize::Tokenizer::for_texts(entries.par_iter().flat_map_iter(|e| e.texts()));
        clock.lap("read and parse, load the dictionary");
        progress.stage(Stage::Tokenising {
            entries: entries.len() as u64,
        });
        Ok((previous, vectorize_entries(&tokenizer, entries, progress)))
    })?;
    written
        .into_inner()
        .expect("the scope waits for the entries' write")?;
    let ingested = parsed.into_inner().expect("parsed in the scope");
    let mut tables = ingested.tables;
    tables.diagnostics = ingested.diagnostics;
    tables.vectors = vectorised.vectors;
    tables.related_rows = vectorised.related_rows;
    tables.title_rows = vectorised.title_rows;
    tables.translation_rows = vectorised.translation_rows;
    tables.vocabulary = Some(vectorised.vocabulary);
    let counts = vectorised.counts;
    clock.lap("tokenise and vectorise, write the entries");
    // The vectors' files do not depend on the topics: they are written while the topics are
    // found.
    progress.stage(Stage::Topics);
    let (written, topics) = rayon::join(
        || staging.write_vectors(&tables, |path, fit| write_index(path, &tables, fit)),
        || cluster_entries(&tables, &counts, cluster_params, previous.as_ref()),
    );
    written?;
    let mut topics_renumbered = false;
    if let Some(found) = topics? {
        topics_renumbered = found.fresh;
        tables.topics = found.topics;
        tables.assignments = found.assignments;
        tables.topic_quality = Some(found.quality);
    }
    clock.lap("find the topics, write the vectors");
    progress.stage(Stage::Writing);
    staging.commit(&tables)?;
    clock.lap("write the topics, put the store in place");
    Ok(BuildSummary {
        issues: tables.issues.len(),
        entries: tables.entries.iter().filter(|e| !e.withdrawn).count(),
        filled: tables.issues.iter().map(|i| i.filled).sum(),
        linked: archive.linked,
        topics_renumbered,
        diagnostics: tables.diagnostics,
        timings: clock.laps,
    })
}

/// The error of a build that kept no issue: the archive, how many files were skipped, and why
/// the first one was.
fn no_issue_kept(archive: &std::path::Path, skipped: &[Diagnostic]) -> Error {
    match skipped.first() {
        Some(first) => Error::NoIssueKept {
            archive: archive.to_path_buf(),
            skipped: skipped.len(),
            first: first.clone(),
        },
        // Every weekly file is either kept or skipped with its reason: with none of either, the
        // archive holds no weekly file at all.
        None => Error::ArchiveEmpty(archive.to_path_buf()),
    }
}

/// Wall-clock time of each stage of a build, for `build --timings`.
struct Clock {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_topics_terms_are_kept_in_the_order_its_titles_write_them() {
        let entry = |title: &str, en: &str| {
            let mut e = model::Entry::stub(1, model::Category::Article, 1);
            e.title = title.to_string();
            e.en_title = Some(en.to_string());
            e
        };
        let entries = [
            entry("训练大模型的三个技巧", "Three tips to train a large model"),
            entry(
                "从零训练一个大模型",
                "Training a large language model from scratch",
            ),
            entry("大模型的训练成本", "What large models cost"),
        ];
        let terms: Vec<String> = ["大模型", "model", "训练", "large", "Rust"]
            .map(String::from)
            .to_vec();
        // Chinese first, each language in its titles' order; a word no title writes keeps its
        // rank after the others it was ranked after.
        assert_eq!(
            written_order(&terms, entries.iter()),
            ["训练", "大模型", "large", "model", "Rust"]
        );
    }

    #[test]
    fn the_stored_topics_keep_their_terms_in_both_orders() {
        let (_dir, dir) = test_support::sample_store();
        let topics = store::Store::open(&dir).expect("store").topics().expect("topics");
        assert!(!topics.is_empty());
        for t in topics {
            let (mut terms, mut written) = (t.terms.clone(), t.written.clone());
            terms.sort();
            written.sort();
            assert_eq!(terms, written, "topic {}", t.id);
        }
    }
}
