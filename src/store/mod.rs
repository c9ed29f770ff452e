//! The embedded store: the pipeline's records as Parquet files written through polars, plus a
//! manifest with the schema version and every file's checksum. The only module that knows
//! polars.
//!
//! What it promises (the layout and the switch are in [`generation`]):
//! - a build writes a new generation beside the current one and switches to it with one atomic
//!   rename, so a failed, killed or refused build leaves the previous store as it was;
//! - a lock inside the store keeps two builds (or `weeklens index`) from writing it at once;
//! - a reader reads one generation from start to end, whatever builds run meanwhile;
//! - every file is checked against the checksum its build recorded, and a damaged one is an
//!   error naming it, never a wrong answer;
//! - only a directory that is a store (or empty, or new) is written to.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{BufWriter, Cursor, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use polars::prelude::*;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cluster::KScore;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::model::{Entry, EntryId, Issue, TopicSummary};
use crate::vectorize::{FittedTfIdf, SparseVector, TfIdfParams};
use codec::{col, entries_from_frame, issues_from_frame, string_lists, IdColumns};

mod codec;
mod export;
mod generation;
mod prefix;
pub use prefix::EntrySpan;

pub use export::{export_entries, export_issues, is_an_export, ExportFormat};

/// Bumped whenever a table's columns change or a file is added; an older store must be rebuilt.
/// 6: the related index (`related.idx`, written by `related::file`).
/// 7: each entry's topic in `assignments.parquet`, not in `entries.parquet`.
/// 8: each entry's titles as term rows (`titles.parquet`), so that `trends` and the report do
///    not tokenise every title again.
/// 9: each titled entry's Chinese title terms and its English translation's terms
///    (`translations.parquet`), so that the report counts the word cloud's translation pairs
///    without tokenising every title again.
/// 10: each topic's terms also in the order its entries' titles write them (`written` in
///    `topics.parquet`), the order its labels show them in; and where each description's links
///    and code spans stood (`description_spans`, `description_links` and their English pair in
///    `entries.parquet`), so that the season compilation writes them as the editor did.
pub const SCHEMA_VERSION: u32 = 10;

/// The oldest schema a build carries the topics over from: 9 and 10 hold the entries' ids, the
/// assignments and the topics alike (10 adds the topics' `written` order, which a build makes
/// again, and the descriptions' marks, which it reads from the archive).
pub const CARRIES_TOPICS_FROM: u32 = 9;

/// The error of opening or reading the store's file at `path`: a missing file is a damaged
/// store, not an I/O failure.
fn open_error(path: &Path, e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        Error::StoreCorrupt {
            path: path.to_path_buf(),
            reason: "the file is missing".to_string(),
        }
    } else {
        Error::Io {
            path: path.to_path_buf(),
            source: e,
        }
    }
}

/// Where the store lives when neither `--store` nor `WEEKLENS_STORE` says otherwise.
pub const DEFAULT_DIR: &str = ".weeklens";

const MANIFEST: &str = generation::MANIFEST;
const ISSUES: &str = "issues.parquet";
const ENTRIES: &str = "entries.parquet";
const ASSIGNMENTS: &str = "assignments.parquet";
const TERMS: &str = "terms.parquet";
const VECTORS: &str = "vectors.parquet";
const RELATED: &str = "related.parquet";
const TITLES: &str = "titles.parquet";
const TRANSLATIONS: &str = "translations.parquet";
const TOPICS: &str = "topics.parquet";
/// The related index's file: written by its own module (`related::file`) through
/// [`Staging::write_vectors`] and [`replace_file`]; the store only keeps it with the others.
pub const RELATED_INDEX: &str = "related.idx";

/// Everything a build writes.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    pub issues: Vec<Issue>,
    pub entries: Vec<Entry>,
    /// What was wrong with the archive when it was built; `stats` shows it.
    pub diagnostics: Vec<Diagnostic>,
    /// The fitted TF-IDF vocabulary, when the build fitted one.
    pub vocabulary: Option<FittedTfIdf>,
    /// One TF-IDF row per entry, in the order of `entries` (empty for withdrawn placeholders).
    pub vectors: Vec<SparseVector>,
    /// The rows `related` ranks by (titles weighted up; `related::related_rows`), kept so that a
    /// query does not tokenise every title again.
    pub related_rows: Vec<SparseVector>,
    /// Each entry's titles (Chinese and English) vectorised with the vocabulary: the terms
    /// `trends` and the report count by default.
    pub title_rows: Vec<SparseVector>,
    /// Each entry's title terms by language, for the report's translation pairs: the Chinese
    /// title's terms weighted 1, its English translation's weighted 2 (`vectorize`'s
    /// `translation_row`); empty for an entry without a translation.
    pub translation_rows: Vec<SparseVector>,
    /// The topic of each entry, in the order of `entries` (empty when no clustering ran).
    pub assignments: Vec<Option<u32>>,
    pub topics: Vec<TopicSummary>,
    /// How the topics were chosen and how well they separate.
    pub topic_quality: Option<TopicQuality>,
}

/// The measurements of a clustering, kept for `topics --stats`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicQuality {
    /// One row per k tried.
    pub scores: Vec<KScore>,
    /// Cosine silhouette of the kept clustering, over all its entries.
    pub silhouette: f64,
}

/// How the vocabulary was fitted: enough, with `terms.parquet`, to vectorise a new text.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct TfIdfManifest {
    documents: u32,
    min_df: u32,
    max_df: f64,
    sublinear_tf: bool,
    smooth_idf: bool,
}

/// The length and CRC-32 of a file of the store, as the manifest records them. For a Parquet
/// file the CRC is of the whole file, checked whenever it is read; for `related.idx` it is of
/// the file's header, which holds the checksums of the rest, checked piece by piece as a query
/// reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSum {
    pub bytes: u64,
    pub crc32: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Manifest {
    schema_version: u32,
    issues: usize,
    entries: usize,
    #[serde(default)]
    diagnostics: Vec<Diagnostic>,
    #[serde(default)]
    tfidf: Option<TfIdfManifest>,
    #[serde(default)]
    topics: Option<TopicQuality>,
    /// Every other file of the store with its checksum (absent in stores of the flat layout).
    #[serde(default)]
    files: Option<BTreeMap<String, FileSum>>,
}

/// Writes one file of the store at the path it is given and returns its checksum.
type WriteFile<'a> = Box<dyn Fn(&Path) -> Result<FileSum> + Send + Sync + 'a>;

/// A store being written: under the store's write lock, its files go into a staging directory
/// inside the store, which [`Staging::commit`] makes the store's current generation
/// ([`generation`]). Dropped without a commit, the directory is removed and the previous store
/// is left as it was.
///
/// The files come in three parts, so that a build can write each as soon as what it holds is
/// known: [`Staging::write_entries`] once the archive is parsed, [`Staging::write_vectors`]
/// once it is vectorised, [`Staging::commit`] once the topics are found.
pub struct Staging {
    staging: tempfile::TempDir,
    sums: Mutex<BTreeMap<String, FileSum>>,
    writer: generation::Writer,
}

impl Staging {
    /// Checks that `dir` can hold a store (and, when an archive is given, that the two are apart),
    /// takes the store's write lock and makes the staging directory.
    pub fn begin(dir: &Path, archive: Option<&Path>) -> Result<Staging> {
        let dir = generation::writable_location(dir, archive)?;
        let writer = generation::Writer::lock(&dir)?;
        Ok(Staging {
            staging: writer.staging()?,
            sums: Mutex::new(BTreeMap::new()),
            writer,
        })
    }

    /// Writes the issues and the entries.
    pub fn write_entries(&self, issues: &[Issue], entries: &[Entry]) -> Result<()> {
        let files: Vec<(&str, WriteFile<'_>)> = vec![
            (
                ENTRIES,
                Box::new(|path| write_parquet(path, &mut codec::entries_frame(entries)?)),
            ),
            (
                ISSUES,
                Box::new(|path| write_parquet(path, &mut codec::issues_frame(issues)?)),
            ),
        ];
        self.write_files(&files)
    }

    /// Writes, when a vocabulary was fitted, its terms, the TF-IDF and ranking rows, and the
    /// related index through `write_index` (given the path of [`RELATED_INDEX`] in the staged
    /// generation; the index's layout is its own module's, not the store's).
    pub fn write_vectors(
        &self,
        tables: &Tables,
        write_index: impl Fn(&Path, &FittedTfIdf) -> Result<FileSum> + Send + Sync,
    ) -> Result<()> {
        let Some(fit) = &tables.vocabulary else {
            return Ok(());
        };
        let write_index = &write_index;
        let files: Vec<(&str, WriteFile<'_>)> = vec![
            (RELATED_INDEX, Box::new(move |path| write_index(path, fit))),
            (
                RELATED,
                Box::new(|path| {
                    write_parquet(path, &mut codec::vectors_frame(&tables.related_rows, RELATED)?)
                }),
            ),
            (
                VECTORS,
                Box::new(|path| write_parquet(path, &mut codec::vectors_frame(&tables.vectors, VECTORS)?)),
            ),
            (
                TITLES,
                Box::new(|path| write_parquet(path, &mut codec::vectors_frame(&tables.title_rows, TITLES)?)),
            ),
            (
                TRANSLATIONS,
                Box::new(|path| {
                    write_parquet(
                        path,
                        &mut codec::vectors_frame(&tables.translation_rows, TRANSLATIONS)?,
                    )
                }),
            ),
            (
                TERMS,
                Box::new(move |path| write_parquet(path, &mut codec::terms_frame(fit)?)),
            ),
        ];
        self.write_files(&files)
    }

    /// Writes each entry's topic, the topics and the manifest, and makes the store the current
    /// one.
    pub fn commit(self, tables: &Tables) -> Result<()> {
        let mut files: Vec<(&str, WriteFile<'_>)> = vec![(
            ASSIGNMENTS,
            Box::new(|path| {
                write_parquet(
                    path,
                    &mut codec::assignments_frame(tables.entries.len(), &tables.assignments)?,
                )
            }),
        )];
        if !tables.topics.is_empty() {
            files.push((
                TOPICS,
                Box::new(|path| write_parquet(path, &mut codec::topics_frame(&tables.topics)?)),
            ));
        }
        self.write_files(&files)?;
        let tfidf = tables.vocabulary.as_ref().map(|fit| {
            let p = fit.params();
            TfIdfManifest {
                documents: fit.documents(),
                min_df: p.min_df,
                max_df: p.max_df,
                sublinear_tf: p.sublinear_tf,
                smooth_idf: p.smooth_idf,
            }
        });
        let files = self.sums.into_inner().unwrap_or_else(|e| e.into_inner());
        let manifest = Manifest {
            schema_version: SCHEMA_VERSION,
            issues: tables.issues.len(),
            entries: tables.entries.len(),
            diagnostics: tables.diagnostics.clone(),
            tfidf,
            topics: tables.topic_quality.clone(),
            files: Some(files),
        };
        let crc = write_manifest(self.staging.path(), &manifest)?;
        self.writer.commit(self.staging, crc)
    }

    /// Each file built and written on its own core, side by side; their checksums kept for the
    /// manifest.
    fn write_files(&self, files: &[(&str, WriteFile<'_>)]) -> Result<()> {
        let sums = files
            .par_iter()
            .map(|(name, write)| Ok((name.to_string(), write(&self.staging.path().join(name))?)))
            .collect::<Result<Vec<_>>>()?;
        self.sums.lock().unwrap_or_else(|e| e.into_inner()).extend(sums);
        Ok(())
    }
}

/// Writes `manifest` into `dir`, durably, and returns its checksum (which `CURRENT` records).
fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<u32> {
    let path = dir.join(MANIFEST);
    let json = serde_json::to_vec_pretty(manifest).map_err(|e| Error::StoreCorrupt {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    let mut file = File::create(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    file.write_all(&json)
        .and_then(|()| file.sync_all())
        .map_err(|source| Error::Io { path, source })?;
    Ok(crc32fast::hash(&json))
}

/// Makes a new generation of the store `store` was opened from, with the file `name` replaced by
/// what `write` writes to the path it is given (and returns the checksum of) and every other
/// file as it was (linked, not copied): `weeklens index`. Under the store's write lock; fails,
/// leaving the store as it was, if a build replaced the store since `store` was opened.
pub fn replace_file(store: &Store, name: &str, write: impl FnOnce(&Path) -> Result<FileSum>) -> Result<()> {
    let writer = generation::Writer::lock(&store.root)?;
    if writer.current()? != store.generation {
        return Err(Error::StoreChanged(store.root.clone()));
    }
    let staging = writer.staging()?;
    let mut manifest = store.manifest.clone();
    let mut files = manifest.files.take().unwrap_or_default();
    let names = [
        ISSUES,
        ENTRIES,
        ASSIGNMENTS,
        TERMS,
        VECTORS,
        RELATED,
        TITLES,
        TRANSLATIONS,
        TOPICS,
        RELATED_INDEX,
    ];
    for other in names.into_iter().filter(|&n| n != name) {
        let from = store.path(other);
        if !from.exists() {
            continue;
        }
        let to = staging.path().join(other);
        fs::hard_link(&from, &to)
            .or_else(|_| fs::copy(&from, &to).map(|_| ()))
            .map_err(|source| Error::Io { path: to, source })?;
        // A store of the flat layout recorded no checksums: take them now.
        if !files.contains_key(other) {
            files.insert(
                other.to_string(),
                store.read_verified(other).map(|b| file_sum(&b))?,
            );
        }
    }
    files.insert(name.to_string(), write(&staging.path().join(name))?);
    manifest.files = Some(files);
    let crc = write_manifest(staging.path(), &manifest)?;
    writer.commit(staging, crc)
}

fn file_sum(bytes: &[u8]) -> FileSum {
    FileSum {
        bytes: bytes.len() as u64,
        crc32: crc32fast::hash(bytes),
    }
}

/// The weeklens store `path` (its links resolved) lies in or is, if any: no command writes its
/// output there.
pub fn enclosing_store(path: &Path) -> Option<PathBuf> {
    generation::enclosing(path)
}

/// The generation the store at `dir` reads now (what `CURRENT` names) and its manifest's
/// checksum, without opening it: how a long-running reader notices that a build switched the
/// store (a store removed and built again starts at `g-000001` again: the checksum tells them
/// apart). `None` for a store of the flat layout (or none at all).
pub fn current_generation(dir: &Path) -> Result<Option<(String, u32)>> {
    generation::current(dir)
}

/// A store opened for reading, at the generation that was current when it was opened: every
/// table read comes from that one build, whatever builds run meanwhile (a shared lock keeps
/// them from removing it), and is checked against the manifest's checksum before it is parsed.
#[derive(Debug, Clone)]
pub struct Store {
    /// The store's directory, as given.
    root: PathBuf,
    /// Where its files are (the generation's directory).
    dir: PathBuf,
    /// The generation read (none for a store of the flat layout).
    generation: Option<String>,
    /// The checksum of its manifest, as `CURRENT` records it.
    manifest_crc: u32,
    manifest: Manifest,
    entries: usize,
    _lock: Option<Arc<File>>,
}

impl Store {
    /// Opens the store at `dir`: its current generation, with the schema version checked before
    /// any table is read.
    pub fn open(dir: &Path) -> Result<Store> {
        Self::open_of(dir, SCHEMA_VERSION)
    }

    /// Opens the store at `dir` for the topics a build carries over: a store of this schema or
    /// of one as old as [`CARRIES_TOPICS_FROM`], whose entries' ids, assignments and topics read
    /// alike (a new schema must not renumber the topics the editor's names refer to).
    pub fn open_previous(dir: &Path) -> Result<Store> {
        Self::open_of(dir, CARRIES_TOPICS_FROM)
    }

    /// Opens the store at `dir` when its schema is between `oldest` and [`SCHEMA_VERSION`].
    fn open_of(dir: &Path, oldest: u32) -> Result<Store> {
        let opened = generation::open(dir)?;
        let manifest_path = opened.dir.join(MANIFEST);
        let manifest: Manifest =
            serde_json::from_slice(&opened.manifest).map_err(|e| Error::StoreCorrupt {
                path: manifest_path.clone(),
                reason: e.to_string(),
            })?;
        if manifest.schema_version > SCHEMA_VERSION {
            return Err(Error::StoreNewer {
                path: dir.to_path_buf(),
                found: manifest.schema_version,
                expected: SCHEMA_VERSION,
            });
        }
        if !(oldest..=SCHEMA_VERSION).contains(&manifest.schema_version) {
            return Err(Error::StoreVersion {
                path: dir.to_path_buf(),
                found: manifest.schema_version,
                expected: SCHEMA_VERSION,
            });
        }
        let generation = opened.lock.is_some().then(|| {
            opened
                .dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
        if generation.is_some() && manifest.files.is_none() {
            return Err(Error::StoreCorrupt {
                path: manifest_path,
                reason: "it lists no file checksums".to_string(),
            });
        }
        Ok(Store {
            root: dir.to_path_buf(),
            dir: opened.dir,
            generation,
            manifest_crc: crc32fast::hash(&opened.manifest),
            entries: manifest.entries,
            manifest,
            _lock: opened.lock.map(Arc::new),
        })
    }

    /// The generation read (`g-000042`); none for a store of the flat layout.
    pub fn generation(&self) -> Option<&str> {
        self.generation.as_deref()
    }

    /// The generation read and its manifest's checksum, as [`current_generation`] gives them.
    pub fn generation_id(&self) -> Option<(String, u32)> {
        self.generation.clone().map(|g| (g, self.manifest_crc))
    }

    /// The path of the store's file `name` (in the generation read).
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The checksum the manifest records for the file `name` (none in a store of the flat
    /// layout).
    pub fn checksum(&self, name: &str) -> Option<FileSum> {
        self.manifest.files.as_ref()?.get(name).copied()
    }

    /// The bytes of the file `name`, checked against the manifest's checksum.
    fn read_verified(&self, name: &str) -> Result<Vec<u8>> {
        let path = self.path(name);
        let bytes = fs::read(&path).map_err(|e| open_error(&path, e))?;
        self.check_sum(name, &path, || Ok(file_sum(&bytes)))?;
        Ok(bytes)
    }

    /// Checks the file `name` at `path` against the manifest's checksum, `sum` giving the
    /// file's (asked for only when the manifest has checksums: a flat store has none).
    fn check_sum(&self, name: &str, path: &Path, sum: impl FnOnce() -> Result<FileSum>) -> Result<()> {
        let Some(files) = &self.manifest.files else {
            return Ok(());
        };
        let corrupt = |reason: &str| Error::StoreCorrupt {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        };
        match files.get(name) {
            None => Err(corrupt("the manifest has no checksum for it")),
            Some(want) if *want != sum()? => Err(corrupt(
                "it is not the file its build wrote (its checksum differs)",
            )),
            Some(_) => Ok(()),
        }
    }

    /// The table `name`, checked, with only `columns` when given.
    fn table(&self, name: &str, columns: Option<&[&str]>) -> Result<DataFrame> {
        let bytes = self.read_verified(name)?;
        let mut reader = ParquetReader::new(Cursor::new(bytes));
        if let Some(columns) = columns {
            reader = reader.with_columns(Some(columns.iter().map(|c| c.to_string()).collect()));
        }
        reader.finish().map_err(|e| corrupt(&self.path(name), e))
    }

    /// The number of entries (withdrawn placeholders included), from the manifest.
    pub fn entry_count(&self) -> usize {
        self.entries
    }

    /// How the stored topics were chosen, if the build clustered.
    pub fn topic_quality(&self) -> Option<&TopicQuality> {
        self.manifest.topics.as_ref()
    }

    /// The topic of each entry, in the order of [`Store::entries`].
    pub fn assignments(&self) -> Result<Vec<Option<u32>>> {
        let path = self.path(ASSIGNMENTS);
        let df = self.table(ASSIGNMENTS, None)?;
        let read =
            || -> PolarsResult<Vec<Option<u32>>> { Ok(df.column(col::TOPIC)?.u32()?.iter().collect()) };
        let topics = read().map_err(|e| corrupt(&path, e))?;
        self.one_per_entry(&path, topics)
    }

    /// `rows`, read from `path`, if they are as many as the manifest's entries.
    fn one_per_entry<T>(&self, path: &Path, rows: Vec<T>) -> Result<Vec<T>> {
        if rows.len() == self.entries {
            return Ok(rows);
        }
        Err(Error::StoreCorrupt {
            path: path.to_path_buf(),
            reason: format!(
                "{} rows for the {} entries of the manifest",
                rows.len(),
                self.entries
            ),
        })
    }

    /// Each entry's id and whether it is a withdrawn placeholder, in the order of
    /// [`Store::entries`]: four columns decoded, not the entries' texts (the whole file is read once
    /// for its checksum).
    pub fn entry_keys(&self) -> Result<Vec<(EntryId, bool)>> {
        let path = self.path(ENTRIES);
        let df = self.table(
            ENTRIES,
            Some(&[col::ISSUE, col::CATEGORY, col::POSITION, col::WITHDRAWN]),
        )?;
        let read = || -> PolarsResult<Vec<(EntryId, bool)>> {
            let ids = IdColumns::of(&df)?;
            let withdrawn = df.column(col::WITHDRAWN)?.bool()?;
            (0..df.height())
                .map(|row| Ok((ids.id(row)?, withdrawn.get(row).unwrap_or(false))))
                .collect()
        };
        let keys = read().map_err(|e| corrupt(&path, e))?;
        self.one_per_entry(&path, keys)
    }

    /// Each entry's id and topic, in the order of [`Store::entries`]: what a rebuild needs to
    /// carry the topics over, read without the entries' texts.
    pub fn topics_by_entry(&self) -> Result<Vec<(EntryId, Option<u32>)>> {
        let ids = self.entry_keys()?.into_iter().map(|(id, _)| id);
        Ok(ids.zip(self.assignments()?).collect())
    }

    /// The topics, by id.
    pub fn topics(&self) -> Result<Vec<TopicSummary>> {
        let path = self.path(TOPICS);
        // A build that found no topics writes no file (and records no checksum for one).
        if self.checksum(TOPICS).is_none() && !path.exists() {
            return Ok(Vec::new());
        }
        let df = self.table(TOPICS, None)?;
        let read = || -> PolarsResult<Vec<TopicSummary>> {
            let id = df.column(col::ID)?.u32()?;
            let size = df.column(col::SIZE)?.u32()?;
            let npmi = df.column(col::NPMI)?.f64()?;
            let terms = string_lists(df.column(col::TERMS)?)?;
            // Not in a store of schema 9, read only for its topics to be carried over.
            let written = match df.column(col::WRITTEN) {
                Ok(column) => string_lists(column)?,
                Err(_) => vec![Vec::new(); df.height()],
            };
            let central = string_lists(df.column(col::CENTRAL)?)?;
            terms
                .into_iter()
                .zip(written)
                .zip(central)
                .enumerate()
                .map(|(row, ((terms, written), central))| {
                    Ok(TopicSummary {
                        id: id.get(row).unwrap_or(0),
                        size: size.get(row).unwrap_or(0),
                        terms,
                        written,
                        central: central.iter().filter_map(|c| c.parse::<EntryId>().ok()).collect(),
                        npmi: npmi.get(row).unwrap_or(0.0),
                    })
                })
                .collect()
        };
        read().map_err(|e| corrupt(&path, e))
    }

    /// The vocabulary's parameters and the number of documents it was fitted on, from the
    /// manifest: what weighting a few terms needs besides their frequencies.
    pub fn tfidf(&self) -> Result<(TfIdfParams, u32)> {
        let Some(m) = self.manifest.tfidf else {
            return Err(Error::StoreCorrupt {
                path: self.path(TERMS),
                reason: "the store holds no vocabulary".to_string(),
            });
        };
        let params = TfIdfParams {
            min_df: m.min_df,
            max_df: m.max_df,
            sublinear_tf: m.sublinear_tf,
            smooth_idf: m.smooth_idf,
        };
        Ok((params, m.documents))
    }

    /// The fitted vocabulary, to vectorise new text without refitting.
    pub fn vocabulary(&self) -> Result<FittedTfIdf> {
        let path = self.path(TERMS);
        let (params, documents) = self.tfidf()?;
        let df = self.table(TERMS, None)?;
        type Columns = (Vec<String>, Vec<u32>, Option<Vec<String>>);
        let read = || -> PolarsResult<Columns> {
            let strings = |name: &str| -> PolarsResult<Vec<String>> {
                Ok(df
                    .column(name)?
                    .str()?
                    .iter()
                    .map(|t| t.unwrap_or_default().to_string())
                    .collect())
            };
            let terms = strings(col::TERM)?;
            let counts = df
                .column(col::DF)?
                .u32()?
                .iter()
                .map(|d| d.unwrap_or(0))
                .collect();
            // A store written before terms were shown as written has no such column: its terms
            // are shown as they are.
            let shown = match df.column(col::SHOWN) {
                Ok(_) => Some(strings(col::SHOWN)?),
                Err(_) => None,
            };
            Ok((terms, counts, shown))
        };
        let (terms, counts, shown) = read().map_err(|e| corrupt(&path, e))?;
        Ok(FittedTfIdf::from_parts_shown(
            params,
            documents,
            terms,
            counts,
            shown.unwrap_or_default(),
        ))
    }

    /// The entries' TF-IDF rows, in the order of [`Store::entries`].
    pub fn vectors(&self, entries: usize) -> Result<Vec<SparseVector>> {
        self.rows(VECTORS, entries)
    }

    /// The rows `related` ranks by, in the order of [`Store::entries`].
    pub fn related_rows(&self, entries: usize) -> Result<Vec<SparseVector>> {
        self.rows(RELATED, entries)
    }

    /// Each entry's titles as term rows, in the order of [`Store::entries`].
    pub fn title_rows(&self, entries: usize) -> Result<Vec<SparseVector>> {
        self.rows(TITLES, entries)
    }

    fn rows(&self, file: &str, entries: usize) -> Result<Vec<SparseVector>> {
        let path = self.path(file);
        let df = self.table(file, None)?;
        let read = || -> PolarsResult<Vec<SparseVector>> {
            let mut rows = vec![SparseVector::default(); entries];
            codec::add_lines(&df, &mut rows, |_| Ok(true))?;
            Ok(rows)
        };
        read().map_err(|e| corrupt(&path, e))
    }

    /// The warnings of the build that wrote this store.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.manifest.diagnostics
    }

    pub fn issues(&self) -> Result<Vec<Issue>> {
        let path = self.path(ISSUES);
        let df = self.table(ISSUES, None)?;
        issues_from_frame(&df).map_err(|e| corrupt(&path, e))
    }

    pub fn entries(&self) -> Result<Vec<Entry>> {
        let path = self.path(ENTRIES);
        let df = self.table(ENTRIES, None)?;
        let entries = entries_from_frame(&df).map_err(|e| corrupt(&path, e))?;
        self.one_per_entry(&path, entries)
    }
}

fn corrupt(path: &Path, e: PolarsError) -> Error {
    Error::StoreCorrupt {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

fn table_error(path: &Path) -> impl Fn(PolarsError) -> Error + '_ {
    move |e| Error::Table {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Writes `df` to `path` durably and returns the file's checksum, taken as it is written.
fn write_parquet(path: &Path, df: &mut DataFrame) -> Result<FileSum> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut out = SummingWriter::new(File::create(path).map_err(io)?);
    ParquetWriter::new(&mut out)
        .with_compression(ParquetCompression::Lz4Raw)
        .with_statistics(StatisticsOptions::empty())
        .finish(df)
        .map_err(table_error(path))?;
    out.finish().map_err(io)
}

/// A file being written, buffered, with the CRC-32 and length of what went through it.
pub struct SummingWriter {
    out: BufWriter<File>,
    crc: crc32fast::Hasher,
    bytes: u64,
}

impl SummingWriter {
    pub fn new(file: File) -> SummingWriter {
        SummingWriter {
            out: BufWriter::new(file),
            crc: crc32fast::Hasher::new(),
            bytes: 0,
        }
    }

    /// Flushes the file to the disk and returns its checksum.
    pub fn finish(self) -> std::io::Result<FileSum> {
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(FileSum {
            bytes: self.bytes,
            crc32: self.crc.finalize(),
        })
    }
}

impl Write for SummingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.crc.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}
