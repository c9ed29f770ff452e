//! The embedded store: the pipeline's records as Parquet files written through polars, plus a
//! small manifest with the schema version. The only module that knows polars.
//!
//! A build writes every table into a temporary directory beside the store and renames it into
//! place, so a failed or interrupted build leaves the previous store as it was; a lock file beside
//! the store keeps two builds from writing it at once.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use polars::prelude::*;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cluster::KScore;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::model::{Category, CategoryCounts, Entry, EntryId, Issue, PastLink, StatedCounts, TopicSummary};
use crate::vectorize::{FittedTfIdf, SparseVector, TfIdfParams};

/// Bumped whenever a table's columns change or a file is added; an older store must be rebuilt.
/// 6: the related index (`related.idx`, [`crate::related::file`]).
/// 7: each entry's topic in `assignments.parquet`, not in `entries.parquet`.
pub const SCHEMA_VERSION: u32 = 7;

/// Where the store lives when neither `--store` nor `WEEKLENS_STORE` says otherwise.
pub const DEFAULT_DIR: &str = ".weeklens";

const MANIFEST: &str = "manifest.json";
const ISSUES: &str = "issues.parquet";
const ENTRIES: &str = "entries.parquet";
const ASSIGNMENTS: &str = "assignments.parquet";
const TERMS: &str = "terms.parquet";
const VECTORS: &str = "vectors.parquet";
const RELATED: &str = "related.parquet";
const TOPICS: &str = "topics.parquet";

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

#[derive(Debug, Serialize, Deserialize)]
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
}

/// Writes one file of the store at the path it is given.
type WriteFile<'a> = Box<dyn Fn(&Path) -> Result<()> + Send + Sync + 'a>;

/// Writes `tables` as the store at `dir`, replacing what was there only once all is written.
pub fn write(dir: &Path, tables: &Tables) -> Result<()> {
    let staging = Staging::begin(dir)?;
    staging.write_entries(&tables.issues, &tables.entries)?;
    staging.write_vectors(tables)?;
    staging.commit(tables)
}

/// A store being written: under the store's write lock, its files go into a directory beside
/// it, which [`Staging::commit`] renames into place. Dropped without a commit, the directory is
/// removed and the previous store is left as it was.
///
/// The files come in three parts, so that a build can write each as soon as what it holds is
/// known: [`Staging::write_entries`] once the archive is parsed, [`Staging::write_vectors`]
/// once it is vectorised, [`Staging::commit`] once the topics are found.
pub struct Staging {
    dir: PathBuf,
    staging: tempfile::TempDir,
    _lock: File,
}

impl Staging {
    /// Takes the store's write lock and makes the staging directory.
    pub fn begin(dir: &Path) -> Result<Staging> {
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|source| Error::Io {
            path: parent.clone(),
            source,
        })?;
        let lock = lock(dir)?;
        let staging = tempfile::Builder::new()
            .prefix(".weeklens-build-")
            .tempdir_in(&parent)
            .map_err(|source| Error::Io {
                path: parent.clone(),
                source,
            })?;
        Ok(Staging {
            dir: dir.to_path_buf(),
            staging,
            _lock: lock,
        })
    }

    /// Writes the issues and the entries.
    pub fn write_entries(&self, issues: &[Issue], entries: &[Entry]) -> Result<()> {
        let files: Vec<(&str, WriteFile<'_>)> = vec![
            (
                ENTRIES,
                Box::new(|path| write_parquet(path, &mut entries_frame(entries)?)),
            ),
            (
                ISSUES,
                Box::new(|path| write_parquet(path, &mut issues_frame(issues)?)),
            ),
        ];
        self.write_files(&files)
    }

    /// Writes, when a vocabulary was fitted, its terms, the TF-IDF and ranking rows and the
    /// related index.
    pub fn write_vectors(&self, tables: &Tables) -> Result<()> {
        let Some(fit) = &tables.vocabulary else {
            return Ok(());
        };
        let files: Vec<(&str, WriteFile<'_>)> = vec![
            (
                crate::related::file::FILE,
                Box::new(move |path| {
                    crate::related::file::write(
                        path,
                        &tables.entries,
                        tables.issues.iter().map(|i| (i.number, i.date)),
                        fit,
                        &tables.related_rows,
                    )
                }),
            ),
            (
                RELATED,
                Box::new(|path| write_parquet(path, &mut vectors_frame(&tables.related_rows, RELATED)?)),
            ),
            (
                VECTORS,
                Box::new(|path| write_parquet(path, &mut vectors_frame(&tables.vectors, VECTORS)?)),
            ),
            (
                TERMS,
                Box::new(move |path| write_parquet(path, &mut terms_frame(fit)?)),
            ),
        ];
        self.write_files(&files)
    }

    /// Writes each entry's topic, the topics and the manifest, and puts the store in place of
    /// the previous one.
    pub fn commit(self, tables: &Tables) -> Result<()> {
        let mut files: Vec<(&str, WriteFile<'_>)> = vec![(
            ASSIGNMENTS,
            Box::new(|path| {
                write_parquet(
                    path,
                    &mut assignments_frame(tables.entries.len(), &tables.assignments)?,
                )
            }),
        )];
        if !tables.topics.is_empty() {
            files.push((
                TOPICS,
                Box::new(|path| write_parquet(path, &mut topics_frame(&tables.topics)?)),
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
        let manifest = Manifest {
            schema_version: SCHEMA_VERSION,
            issues: tables.issues.len(),
            entries: tables.entries.len(),
            diagnostics: tables.diagnostics.clone(),
            tfidf,
            topics: tables.topic_quality.clone(),
        };
        let manifest_path = self.staging.path().join(MANIFEST);
        let json = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::StoreCorrupt {
            path: manifest_path.clone(),
            reason: e.to_string(),
        })?;
        fs::write(&manifest_path, json).map_err(|source| Error::Io {
            path: manifest_path,
            source,
        })?;
        swap_into_place(self.staging.keep(), &self.dir)
    }

    /// Each file built and written on its own core, side by side.
    fn write_files(&self, files: &[(&str, WriteFile<'_>)]) -> Result<()> {
        files
            .par_iter()
            .map(|(name, write)| write(&self.staging.path().join(name)))
            .collect()
    }
}

/// Moves the finished staging directory to `dir`. The old store is moved aside first and removed
/// only after the new one is in place.
fn swap_into_place(staged: PathBuf, dir: &Path) -> Result<()> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    let aside = dir.with_file_name(format!(
        ".{}.previous",
        dir.file_name().and_then(|n| n.to_str()).unwrap_or("weeklens")
    ));
    if aside.exists() {
        fs::remove_dir_all(&aside).map_err(io(&aside))?;
    }
    let had_store = dir.exists();
    if had_store {
        fs::rename(dir, &aside).map_err(io(dir))?;
    }
    if let Err(e) = fs::rename(&staged, dir) {
        if had_store {
            // Put the previous store back; the build's error is the one to report.
            let _ = fs::rename(&aside, dir);
        }
        let _ = fs::remove_dir_all(&staged);
        return Err(io(dir)(e));
    }
    if had_store {
        fs::remove_dir_all(&aside).map_err(io(&aside))?;
    }
    Ok(())
}

/// Replaces the file `name` of the store at `dir` with what `write` writes to the path it is
/// given (a temporary file beside it), under the store's write lock: a failed write leaves the
/// old file.
pub fn replace_file(dir: &Path, name: &str, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let _lock = lock(dir)?;
    // Readable as the build's files are (a temporary file is private by default).
    let staged = tempfile::Builder::new()
        .prefix(&format!(".{name}-"))
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644))
        .tempfile_in(dir)
        .map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    write(staged.path())?;
    let target = dir.join(name);
    staged.persist(&target).map_err(|e| Error::Io {
        path: target,
        source: e.error,
    })?;
    Ok(())
}

/// Takes the store's write lock, held until the returned file is dropped.
fn lock(dir: &Path) -> Result<File> {
    let path = dir.with_file_name(format!(
        "{}.lock",
        dir.file_name().and_then(|n| n.to_str()).unwrap_or("weeklens")
    ));
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(Error::StoreLocked(dir.to_path_buf())),
        Err(fs::TryLockError::Error(source)) => Err(Error::Io { path, source }),
    }
}

/// A store opened for reading: its schema version is checked before any table is read.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
    entries: usize,
    diagnostics: Vec<Diagnostic>,
    tfidf: Option<TfIdfManifest>,
    topic_quality: Option<TopicQuality>,
}

impl Store {
    pub fn open(dir: &Path) -> Result<Store> {
        let manifest_path = dir.join(MANIFEST);
        if !manifest_path.is_file() {
            return Err(Error::StoreMissing(dir.to_path_buf()));
        }
        let bytes = fs::read(&manifest_path).map_err(|source| Error::Io {
            path: manifest_path.clone(),
            source,
        })?;
        let manifest: Manifest = serde_json::from_slice(&bytes).map_err(|e| Error::StoreCorrupt {
            path: manifest_path,
            reason: e.to_string(),
        })?;
        if manifest.schema_version != SCHEMA_VERSION {
            return Err(Error::StoreVersion {
                path: dir.to_path_buf(),
                found: manifest.schema_version,
                expected: SCHEMA_VERSION,
            });
        }
        Ok(Store {
            dir: dir.to_path_buf(),
            entries: manifest.entries,
            diagnostics: manifest.diagnostics,
            tfidf: manifest.tfidf,
            topic_quality: manifest.topics,
        })
    }

    /// The store's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The number of entries (withdrawn placeholders included), from the manifest.
    pub fn entry_count(&self) -> usize {
        self.entries
    }

    /// How the stored topics were chosen, if the build clustered.
    pub fn topic_quality(&self) -> Option<&TopicQuality> {
        self.topic_quality.as_ref()
    }

    /// The topic of each entry, in the order of [`Store::entries`].
    pub fn assignments(&self) -> Result<Vec<Option<u32>>> {
        let path = self.dir.join(ASSIGNMENTS);
        let df = read_parquet(&path)?;
        let read = || -> PolarsResult<Vec<Option<u32>>> { Ok(df.column("topic")?.u32()?.iter().collect()) };
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
    /// [`Store::entries`]: four columns, read without the entries' texts.
    pub fn entry_keys(&self) -> Result<Vec<(EntryId, bool)>> {
        let path = self.dir.join(ENTRIES);
        let file = File::open(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let columns = ["issue", "category", "position", "withdrawn"]
            .map(String::from)
            .to_vec();
        let read = || -> PolarsResult<Vec<(EntryId, bool)>> {
            let df = ParquetReader::new(file).with_columns(Some(columns)).finish()?;
            let ids = IdColumns::of(&df)?;
            let withdrawn = df.column("withdrawn")?.bool()?;
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
        let path = self.dir.join(TOPICS);
        if !path.exists() {
            return Ok(Vec::new());
        }
        let df = read_parquet(&path)?;
        let read = || -> PolarsResult<Vec<TopicSummary>> {
            let id = df.column("id")?.u32()?;
            let size = df.column("size")?.u32()?;
            let npmi = df.column("npmi")?.f64()?;
            let terms = string_lists(df.column("terms")?)?;
            let central = string_lists(df.column("central")?)?;
            terms
                .into_iter()
                .zip(central)
                .enumerate()
                .map(|(row, (terms, central))| {
                    Ok(TopicSummary {
                        id: id.get(row).unwrap_or(0),
                        size: size.get(row).unwrap_or(0),
                        terms,
                        central: central.iter().filter_map(|c| c.parse::<EntryId>().ok()).collect(),
                        npmi: npmi.get(row).unwrap_or(0.0),
                    })
                })
                .collect()
        };
        read().map_err(|e| corrupt(&path, e))
    }

    /// The fitted vocabulary, to vectorise new text without refitting.
    pub fn vocabulary(&self) -> Result<FittedTfIdf> {
        let path = self.dir.join(TERMS);
        let Some(m) = self.tfidf else {
            return Err(Error::StoreCorrupt {
                path,
                reason: "the store holds no vocabulary".to_string(),
            });
        };
        let df = read_parquet(&path)?;
        let read = || -> PolarsResult<(Vec<String>, Vec<u32>)> {
            let terms = df
                .column("term")?
                .str()?
                .iter()
                .map(|t| t.unwrap_or_default().to_string())
                .collect();
            let counts = df.column("df")?.u32()?.iter().map(|d| d.unwrap_or(0)).collect();
            Ok((terms, counts))
        };
        let (terms, counts) = read().map_err(|e| corrupt(&path, e))?;
        let params = TfIdfParams {
            min_df: m.min_df,
            max_df: m.max_df,
            sublinear_tf: m.sublinear_tf,
            smooth_idf: m.smooth_idf,
        };
        Ok(FittedTfIdf::from_parts(params, m.documents, terms, counts))
    }

    /// The entries' TF-IDF rows, in the order of [`Store::entries`].
    pub fn vectors(&self, entries: usize) -> Result<Vec<SparseVector>> {
        self.rows(VECTORS, entries)
    }

    /// The rows `related` ranks by, in the order of [`Store::entries`].
    pub fn related_rows(&self, entries: usize) -> Result<Vec<SparseVector>> {
        self.rows(RELATED, entries)
    }

    fn rows(&self, file: &str, entries: usize) -> Result<Vec<SparseVector>> {
        let path = self.dir.join(file);
        let df = read_parquet(&path)?;
        let read = || -> PolarsResult<Vec<SparseVector>> {
            let mut rows = vec![SparseVector::default(); entries];
            let row = df.column("row")?.u32()?;
            let term = df.column("term")?.u32()?;
            let weight = df.column("weight")?.f32()?;
            for ((r, t), w) in row.iter().zip(term.iter()).zip(weight.iter()) {
                let (Some(r), Some(t), Some(w)) = (r, t, w) else {
                    continue;
                };
                let Some(vector) = rows.get_mut(r as usize) else {
                    polars_bail!(ComputeError: "row {r} beyond the {entries} entries");
                };
                vector.indices.push(t);
                vector.values.push(w);
            }
            Ok(rows)
        };
        read().map_err(|e| corrupt(&path, e))
    }

    /// The warnings of the build that wrote this store.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    pub fn issues(&self) -> Result<Vec<Issue>> {
        let path = self.dir.join(ISSUES);
        let df = read_parquet(&path)?;
        issues_from_frame(&df).map_err(|e| corrupt(&path, e))
    }

    pub fn entries(&self) -> Result<Vec<Entry>> {
        let path = self.dir.join(ENTRIES);
        let df = read_parquet(&path)?;
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

fn write_parquet(path: &Path, df: &mut DataFrame) -> Result<()> {
    let file = File::create(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    ParquetWriter::new(file)
        .with_compression(ParquetCompression::Lz4Raw)
        .with_statistics(StatisticsOptions::empty())
        .finish(df)
        .map_err(table_error(path))?;
    Ok(())
}

fn read_parquet(path: &Path) -> Result<DataFrame> {
    let file = File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    ParquetReader::new(file).finish().map_err(|e| corrupt(path, e))
}

// ---------------------------------------------------------------------------------------------
// Records <-> frames

const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

fn date_to_days(date: NaiveDate) -> i32 {
    use chrono::Datelike;
    date.num_days_from_ce() - UNIX_EPOCH_DAYS_FROM_CE
}

fn days_to_date(days: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(days + UNIX_EPOCH_DAYS_FROM_CE)
}

fn date_column(name: &str, dates: impl Iterator<Item = NaiveDate>) -> PolarsResult<Column> {
    let days: Vec<i32> = dates.map(date_to_days).collect();
    Ok(Series::new(name.into(), days).cast(&DataType::Date)?.into())
}

fn string_list_column<L, S>(name: &str, lists: impl ExactSizeIterator<Item = L>) -> Column
where
    L: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    // One builder, not a series a row: the entries' lists were most of their frame's time.
    let mut builder = ListStringChunkedBuilder::new(name.into(), lists.len(), lists.len());
    for list in lists {
        let list: Vec<S> = list.into_iter().collect();
        builder.append_values_iter(list.iter().map(AsRef::as_ref));
    }
    builder.finish().into_column()
}

/// A list column of numbers that may be missing.
fn u32_list_column(name: &str, lists: impl Iterator<Item = Vec<Option<u32>>>) -> Column {
    list_column(name, lists.map(|l| Series::new("".into(), l)), DataType::UInt32)
}

/// A list column of `inner` values, one list per row; typed even when there are no rows.
fn list_column(name: &str, lists: impl Iterator<Item = Series>, inner: DataType) -> Column {
    let series: Vec<Series> = lists.collect();
    let mut column = Series::new(name.into(), series);
    if column.is_empty() {
        column = Series::new_empty(name.into(), &DataType::List(Box::new(inner)));
    }
    column.into()
}

fn issues_frame(issues: &[Issue]) -> Result<DataFrame> {
    let build = || -> PolarsResult<DataFrame> {
        let mut columns = vec![
            Column::new(
                "number".into(),
                issues.iter().map(|i| i.number).collect::<Vec<_>>(),
            ),
            date_column("date", issues.iter().map(|i| i.date))?,
            Column::new(
                "title".into(),
                issues.iter().map(|i| i.title.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "format".into(),
                issues.iter().map(|i| i.format.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "source".into(),
                issues.iter().map(|i| i.source.clone()).collect::<Vec<_>>(),
            ),
        ];
        for category in Category::ALL {
            columns.push(Column::new(
                category.as_str().into(),
                issues.iter().map(|i| i.counts.get(category)).collect::<Vec<_>>(),
            ));
        }
        for category in Category::ALL {
            columns.push(Column::new(
                format!("stated_{category}").into(),
                issues.iter().map(|i| i.stated.get(category)).collect::<Vec<_>>(),
            ));
        }
        columns.extend([
            Column::new(
                "withdrawn".into(),
                issues.iter().map(|i| i.withdrawn).collect::<Vec<_>>(),
            ),
            Column::new(
                "paired".into(),
                issues.iter().map(|i| i.paired).collect::<Vec<_>>(),
            ),
            Column::new(
                "translation".into(),
                issues.iter().map(|i| i.translation.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "filled".into(),
                issues.iter().map(|i| i.filled).collect::<Vec<_>>(),
            ),
            Column::new(
                "en_title".into(),
                issues.iter().map(|i| i.en_title.clone()).collect::<Vec<_>>(),
            ),
            string_list_column(
                "past_urls",
                issues.iter().map(|i| i.past_links.iter().map(|l| &l.url)),
            ),
            u32_list_column(
                "past_issues",
                issues
                    .iter()
                    .map(|i| i.past_links.iter().map(|l| l.issue).collect()),
            ),
        ]);
        DataFrame::new(issues.len(), columns)
    };
    build().map_err(table_error(Path::new(ISSUES)))
}

fn issues_from_frame(df: &DataFrame) -> PolarsResult<Vec<Issue>> {
    let number = df.column("number")?.u32()?;
    let date = df.column("date")?.date()?.physical().clone();
    let title = df.column("title")?.str()?;
    let format = df.column("format")?.str()?;
    let source = df.column("source")?.str()?;
    let counts = Category::ALL
        .iter()
        .map(|c| Ok(df.column(c.as_str())?.u32()?.clone()))
        .collect::<PolarsResult<Vec<_>>>()?;
    let stated = Category::ALL
        .iter()
        .map(|c| Ok(df.column(&format!("stated_{c}"))?.u32()?.clone()))
        .collect::<PolarsResult<Vec<_>>>()?;
    let withdrawn = df.column("withdrawn")?.u32()?;
    let paired = df.column("paired")?.u32()?;
    let translation = df.column("translation")?.str()?;
    let filled = df.column("filled")?.u32()?;
    let en_title = df.column("en_title")?.str()?;
    let past_urls = string_lists(df.column("past_urls")?)?;
    let past_issues = u32_lists(df.column("past_issues")?)?;

    let bad = |what: &str, row: usize| polars_err!(ComputeError: "row {row}: bad or missing {what}");
    (0..df.height())
        .map(|row| {
            let mut issue_counts = CategoryCounts::default();
            let mut issue_stated = StatedCounts::default();
            for (k, category) in Category::ALL.into_iter().enumerate() {
                issue_counts.add(category, counts[k].get(row).ok_or_else(|| bad("count", row))?);
                issue_stated.0[k] = stated[k].get(row);
            }
            Ok(Issue {
                number: number.get(row).ok_or_else(|| bad("number", row))?,
                date: date
                    .get(row)
                    .and_then(days_to_date)
                    .ok_or_else(|| bad("date", row))?,
                title: title.get(row).unwrap_or_default().to_string(),
                format: format
                    .get(row)
                    .and_then(|f| f.parse().ok())
                    .ok_or_else(|| bad("format", row))?,
                source: source.get(row).unwrap_or_default().to_string(),
                stated: issue_stated,
                counts: issue_counts,
                withdrawn: withdrawn.get(row).unwrap_or(0),
                paired: paired.get(row).unwrap_or(0),
                translation: translation
                    .get(row)
                    .and_then(|t| t.parse().ok())
                    .ok_or_else(|| bad("translation", row))?,
                filled: filled.get(row).unwrap_or(0),
                en_title: en_title.get(row).map(str::to_string),
                past_links: past_urls[row]
                    .iter()
                    .zip(&past_issues[row])
                    .map(|(url, &issue)| PastLink {
                        issue,
                        url: url.clone(),
                    })
                    .collect(),
            })
        })
        .collect()
}

fn terms_frame(fit: &FittedTfIdf) -> Result<DataFrame> {
    let build = || -> PolarsResult<DataFrame> {
        DataFrame::new(
            fit.terms().len(),
            vec![
                Column::new("term".into(), fit.terms().to_vec()),
                Column::new("df".into(), fit.df().to_vec()),
                Column::new("idf".into(), fit.idf().to_vec()),
            ],
        )
    };
    build().map_err(table_error(Path::new(TERMS)))
}

/// Rows in long form: one line per (entry row, term) with its weight.
fn vectors_frame(vectors: &[SparseVector], file: &str) -> Result<DataFrame> {
    let mut rows = Vec::new();
    let mut terms = Vec::new();
    let mut weights = Vec::new();
    for (r, v) in vectors.iter().enumerate() {
        rows.extend(std::iter::repeat_n(r as u32, v.indices.len()));
        terms.extend_from_slice(&v.indices);
        weights.extend_from_slice(&v.values);
    }
    let build = || -> PolarsResult<DataFrame> {
        DataFrame::new(
            rows.len(),
            vec![
                Column::new("row".into(), rows.clone()),
                Column::new("term".into(), terms.clone()),
                Column::new("weight".into(), weights.clone()),
            ],
        )
    };
    build().map_err(table_error(Path::new(file)))
}

fn topics_frame(topics: &[TopicSummary]) -> Result<DataFrame> {
    let build = || -> PolarsResult<DataFrame> {
        DataFrame::new(
            topics.len(),
            vec![
                Column::new("id".into(), topics.iter().map(|t| t.id).collect::<Vec<_>>()),
                Column::new("size".into(), topics.iter().map(|t| t.size).collect::<Vec<_>>()),
                string_list_column("terms", topics.iter().map(|t| &t.terms)),
                string_list_column(
                    "central",
                    topics.iter().map(|t| t.central.iter().map(ToString::to_string)),
                ),
                Column::new("npmi".into(), topics.iter().map(|t| t.npmi).collect::<Vec<_>>()),
            ],
        )
    };
    build().map_err(table_error(Path::new(TOPICS)))
}

/// Each entry's topic, in the order of the entries (none where no clustering ran).
fn assignments_frame(entries: usize, assignments: &[Option<u32>]) -> Result<DataFrame> {
    let topic: Vec<Option<u32>> = (0..entries)
        .map(|i| assignments.get(i).copied().flatten())
        .collect();
    DataFrame::new(entries, vec![Column::new("topic".into(), topic)])
        .map_err(table_error(Path::new(ASSIGNMENTS)))
}

fn entries_frame(entries: &[Entry]) -> Result<DataFrame> {
    let build = || -> PolarsResult<DataFrame> {
        let columns = vec![
            Column::new(
                "issue".into(),
                entries.iter().map(|e| e.issue).collect::<Vec<_>>(),
            ),
            Column::new(
                "category".into(),
                entries.iter().map(|e| e.category.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "position".into(),
                entries.iter().map(|e| e.position).collect::<Vec<_>>(),
            ),
            Column::new(
                "number".into(),
                entries.iter().map(|e| e.number).collect::<Vec<_>>(),
            ),
            Column::new(
                "title".into(),
                entries.iter().map(|e| e.title.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "url".into(),
                entries.iter().map(|e| e.url.clone()).collect::<Vec<_>>(),
            ),
            string_list_column("links", entries.iter().map(|e| &e.links)),
            Column::new(
                "lang".into(),
                entries.iter().map(|e| e.lang.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "description".into(),
                entries.iter().map(|e| e.description.clone()).collect::<Vec<_>>(),
            ),
            string_list_column("image_alts", entries.iter().map(|e| &e.image_alts)),
            Column::new(
                "en_title".into(),
                entries.iter().map(|e| e.en_title.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "en_description".into(),
                entries
                    .iter()
                    .map(|e| e.en_description.clone())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "withdrawn".into(),
                entries.iter().map(|e| e.withdrawn).collect::<Vec<_>>(),
            ),
            Column::new("line".into(), entries.iter().map(|e| e.line).collect::<Vec<_>>()),
        ];
        DataFrame::new(entries.len(), columns)
    };
    build().map_err(table_error(Path::new(ENTRIES)))
}

fn string_lists(column: &Column) -> PolarsResult<Vec<Vec<String>>> {
    let list = column.list()?;
    (0..list.len())
        .map(|row| match list.get_as_series(row) {
            None => Ok(Vec::new()),
            Some(series) => Ok(series.str()?.iter().flatten().map(str::to_string).collect()),
        })
        .collect()
}

fn u32_lists(column: &Column) -> PolarsResult<Vec<Vec<Option<u32>>>> {
    let list = column.list()?;
    (0..list.len())
        .map(|row| match list.get_as_series(row) {
            None => Ok(Vec::new()),
            Some(series) => Ok(series.cast(&DataType::UInt32)?.u32()?.iter().collect()),
        })
        .collect()
}

/// The columns of an entries frame that make an entry's id.
struct IdColumns<'a> {
    issue: &'a UInt32Chunked,
    category: &'a StringChunked,
    position: &'a UInt32Chunked,
}

impl<'a> IdColumns<'a> {
    fn of(df: &'a DataFrame) -> PolarsResult<IdColumns<'a>> {
        Ok(IdColumns {
            issue: df.column("issue")?.u32()?,
            category: df.column("category")?.str()?,
            position: df.column("position")?.u32()?,
        })
    }

    fn id(&self, row: usize) -> PolarsResult<EntryId> {
        let bad = |what: &str| polars_err!(ComputeError: "row {row}: bad or missing {what}");
        Ok(EntryId {
            issue: self.issue.get(row).ok_or_else(|| bad("issue"))?,
            category: self
                .category
                .get(row)
                .and_then(|c| c.parse().ok())
                .ok_or_else(|| bad("category"))?,
            position: self.position.get(row).ok_or_else(|| bad("position"))?,
        })
    }
}

fn entries_from_frame(df: &DataFrame) -> PolarsResult<Vec<Entry>> {
    let ids = IdColumns::of(df)?;
    let number = df.column("number")?.u32()?;
    let title = df.column("title")?.str()?;
    let url = df.column("url")?.str()?;
    let links = string_lists(df.column("links")?)?;
    let lang = df.column("lang")?.str()?;
    let description = df.column("description")?.str()?;
    let image_alts = string_lists(df.column("image_alts")?)?;
    let en_title = df.column("en_title")?.str()?;
    let en_description = df.column("en_description")?.str()?;
    let withdrawn = df.column("withdrawn")?.bool()?;
    let line = df.column("line")?.u32()?;

    let bad = |what: &str, row: usize| polars_err!(ComputeError: "row {row}: bad or missing {what}");
    links
        .into_iter()
        .zip(image_alts)
        .enumerate()
        .map(|(row, (links, image_alts))| {
            let id = ids.id(row)?;
            Ok(Entry {
                issue: id.issue,
                category: id.category,
                position: id.position,
                number: number.get(row),
                title: title.get(row).unwrap_or_default().to_string(),
                url: url.get(row).map(str::to_string),
                links,
                lang: lang
                    .get(row)
                    .and_then(|l| l.parse().ok())
                    .ok_or_else(|| bad("lang", row))?,
                description: description.get(row).unwrap_or_default().to_string(),
                image_alts,
                en_title: en_title.get(row).map(str::to_string),
                en_description: en_description.get(row).map(str::to_string),
                withdrawn: withdrawn.get(row).unwrap_or(false),
                line: line.get(row).unwrap_or(0),
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Export: the contract other tools read

/// The formats `weeklens export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Jsonl,
    Csv,
    Parquet,
}

/// Writes one row per entry (withdrawn placeholders left out) with the contract's columns:
/// `issue, date, category, position, number, title, url, lang, description, en_title,
/// en_description`, then `topic` (the editor's merges applied by the caller).
pub fn export_entries(
    issues: &[Issue],
    entries: &[Entry],
    topics: &[Option<u32>],
    format: ExportFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let dates: std::collections::HashMap<u32, NaiveDate> =
        issues.iter().map(|i| (i.number, i.date)).collect();
    let (rows, topic): (Vec<&Entry>, Vec<Option<u32>>) = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.withdrawn)
        .map(|(i, e)| (e, topics.get(i).copied().flatten()))
        .unzip();
    let build = || -> PolarsResult<DataFrame> {
        let columns = vec![
            Column::new("issue".into(), rows.iter().map(|e| e.issue).collect::<Vec<_>>()),
            date_column(
                "date",
                rows.iter()
                    .map(|e| dates.get(&e.issue).copied().unwrap_or_default()),
            )?,
            Column::new(
                "category".into(),
                rows.iter().map(|e| e.category.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "position".into(),
                rows.iter().map(|e| e.position).collect::<Vec<_>>(),
            ),
            Column::new("number".into(), rows.iter().map(|e| e.number).collect::<Vec<_>>()),
            Column::new(
                "title".into(),
                rows.iter().map(|e| e.title.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "url".into(),
                rows.iter().map(|e| e.url.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "lang".into(),
                rows.iter().map(|e| e.lang.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "description".into(),
                rows.iter().map(|e| e.description.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "en_title".into(),
                rows.iter().map(|e| e.en_title.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "en_description".into(),
                rows.iter().map(|e| e.en_description.clone()).collect::<Vec<_>>(),
            ),
            Column::new("topic".into(), topic.clone()),
        ];
        DataFrame::new(rows.len(), columns)
    };
    let mut df = build().map_err(table_error(Path::new("entries export")))?;
    write_frame(&mut df, format, out, "entries export")
}

/// Writes one row per issue: the issue's fields and its counts per category.
pub fn export_issues(issues: &[Issue], format: ExportFormat, out: &mut dyn Write) -> Result<()> {
    let mut df = issues_frame(issues)?;
    df.rename("number", "issue".into())
        .map_err(table_error(Path::new("issues export")))?;
    // The store keeps more than the export contract names (the translation's title, the past-years
    // links, which CSV could not hold anyway).
    let mut df = df.drop_many(["en_title", "past_urls", "past_issues"]);
    write_frame(&mut df, format, out, "issues export")
}

fn write_frame(df: &mut DataFrame, format: ExportFormat, out: &mut dyn Write, what: &str) -> Result<()> {
    let result = match format {
        ExportFormat::Jsonl => JsonWriter::new(out)
            .with_json_format(JsonFormat::JsonLines)
            .finish(df),
        ExportFormat::Csv => CsvWriter::new(out).include_header(true).finish(df),
        ExportFormat::Parquet => ParquetWriter::new(out).finish(df).map(|_| ()),
    };
    result.map_err(table_error(Path::new(what)))
}
