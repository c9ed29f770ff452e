//! The library's error type: what reading the archive, building and opening the store can fail
//! with. Every message names the file, directory or value at fault. It sits below the store and
//! imports only what is below it (the diagnostics, the cluster's and the chart's own errors); the
//! analyses above the store keep their own errors (`RelatedParamsError`, `TrendsError`,
//! `ReportError`, ...), which the binary aggregates and maps to its flags.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("archive directory `{0}` does not exist or is not a directory")]
    ArchiveMissing(PathBuf),

    #[error("archive directory `{0}` holds no weekly issue (files named YYYY-MM-DD-weekly.md)")]
    ArchiveEmpty(PathBuf),

    /// Every file of the archive was skipped: a build would replace the store with an empty one.
    #[error(
        "archive directory `{}` gave no issue ({skipped} file(s) skipped, first: {first}); the store \
         was left as it was",
        .archive.display()
    )]
    NoIssueKept {
        archive: PathBuf,
        skipped: usize,
        first: Diagnostic,
    },

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("no store at `{0}`: run `weeklens build --archive DIR` first")]
    StoreMissing(PathBuf),

    #[error(
        "the store at `{path}` has schema version {found}, this weeklens reads version {expected}: \
         rebuild it with `weeklens build --fresh-topics --archive DIR` (its topics are numbered afresh: \
         check weeklens-topics.toml's ids with `weeklens topics`)"
    )]
    StoreVersion {
        path: PathBuf,
        found: u32,
        expected: u32,
    },

    /// A store a newer weeklens wrote: rebuilding it with this one would put an older store in
    /// its place.
    #[error(
        "the store at `{path}` was written by a newer weeklens (schema version {found}; this one reads \
         up to {expected}): use that weeklens, or give this one a store of its own with --store"
    )]
    StoreNewer {
        path: PathBuf,
        found: u32,
        expected: u32,
    },

    #[error("the store's `{path}` is damaged: {reason}; {}", rebuild_advice(.path))]
    StoreCorrupt { path: PathBuf, reason: String },

    /// The related index file (`related.idx`) is missing, of another layout version, cut short,
    /// or for another store.
    #[error(
        "related index `{path}`: {reason}; write it again with `weeklens index` (or rebuild the \
         store with `weeklens build --archive DIR`)"
    )]
    RelatedIndex { path: PathBuf, reason: String },

    #[error("another build is writing the store at `{0}` (its LOCK is held); try again when it ends")]
    StoreLocked(PathBuf),

    /// A path that must not be written as a store (`--store`).
    #[error("`{path}` cannot be the store: {reason}")]
    StoreLocation { path: PathBuf, reason: String },

    #[error("the store at `{0}` was replaced while it was being opened, again and again; try again")]
    StoreBusy(PathBuf),

    #[error("the store at `{0}` was rebuilt while this command ran; run it again")]
    StoreChanged(PathBuf),

    /// The previous store is there but its topics cannot be carried over.
    #[error("the previous store's topics cannot be carried over: {}", carried_over_advice(.0))]
    PreviousTopics(Box<Error>),

    /// A table could not be written or read (the message comes from the table engine).
    #[error("{path}: {message}")]
    Table { path: PathBuf, message: String },

    /// A strict build's problems: nothing is skipped, so each is shown as its fault alone.
    #[error("{} problem(s) in the archive and --strict is set; first: {}", .0.len(), .0.first().map(|d| d.fault().to_string()).unwrap_or_default())]
    Strict(Vec<Diagnostic>),

    /// A file given on the command line (a draft) that cannot be read.
    #[error("{0}")]
    BadInput(Diagnostic),

    /// A draft in which no entry is found.
    #[error("{path} holds no entry: {reason}")]
    EmptyDraft { path: PathBuf, reason: String },

    #[error("no entry `{0}` in the store")]
    NoSuchEntry(String),

    /// A report's output directory given as an existing file.
    #[error(
        "`{0}` is a file or a device, not a directory: give a directory for the report (it is \
         created if missing)"
    )]
    OutIsAFile(PathBuf),

    /// A synthetic archive's folder that already holds something (it could be a real archive:
    /// the synthetic files are named like its first issues).
    #[error("`{0}` exists and is not an empty folder: a synthetic archive is written only into a new or empty folder")]
    SynthOutNotEmpty(PathBuf),

    /// A file of a previous report that this run would write again was changed by hand.
    #[error(
        "`{0}` was changed since weeklens wrote it: move or rename it, then run again (nothing of this report was written)"
    )]
    ReportFileEdited(PathBuf),

    /// A file in a report's folder that weeklens has no record of writing (the user's, or a
    /// report's of a version before the record) where this run would write one of its own.
    #[error(
        "`{0}` is in the report's folder but weeklens has no record of writing it: move or rename it, then run again (nothing of this report was written)"
    )]
    ReportFileNotOurs(PathBuf),

    #[error("topics: {0}")]
    ClusterParams(#[from] crate::cluster::ClusterParamsError),

    /// Topics asked for that the archive cannot give (a k above its entries).
    #[error("topics: {0}")]
    Topics(crate::cluster::Unclustered),

    #[error("{path}: {message}")]
    TopicEdits { path: PathBuf, message: String },

    #[error(transparent)]
    Chart(#[from] crate::chart::ChartError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The files a rebuild carries the topics over from: one of them damaged, the topics must be
/// found afresh; any other the build writes again from the archive.
const TOPICS_FROM: &[&str] = &[
    "CURRENT",
    "entries.parquet",
    "topics.parquet",
    "assignments.parquet",
    "manifest.json",
];

/// How to mend a store whose file `path` is damaged.
fn rebuild_advice(path: &std::path::Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if TOPICS_FROM.contains(&name) {
        "rebuild the store with `weeklens build --fresh-topics --archive DIR` (its topics are \
         carried over from this file, so they are numbered afresh: check weeklens-topics.toml's \
         ids with `weeklens topics`)"
            .to_string()
    } else {
        "rebuild the store with `weeklens build --archive DIR` (the build writes this file again \
         and keeps the topics)"
            .to_string()
    }
}

/// Why a previous store's topics cannot be carried over, and what to do: its own advice when
/// the error gives one, else to number the topics afresh.
fn carried_over_advice(error: &Error) -> String {
    match error {
        Error::StoreVersion { .. } | Error::StoreNewer { .. } => error.to_string(),
        // A build that reads the topics would fail again: they are numbered afresh.
        Error::StoreCorrupt { path, reason } => format!(
            "the store's `{}` is damaged: {reason}; rebuild the store with `weeklens build \
             --fresh-topics --archive DIR` (its topics are numbered afresh: check \
             weeklens-topics.toml's ids with `weeklens topics`)",
            path.display()
        ),
        other => format!(
            "{other}; build with --fresh-topics to number the topics afresh (then check \
             weeklens-topics.toml's ids with `weeklens topics`)"
        ),
    }
}
