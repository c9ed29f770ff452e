//! One file per subcommand: open the store through the read path's one loader
//! ([`weeklens::corpus::Corpus`]), call the analysis, print through `output`. `main.rs` parses
//! the command line and dispatches here; each command returns its [`Outcome`] or an error that
//! `main` reports in one place.

pub mod build;
pub mod check;
pub mod export;
pub mod index;
pub mod past_years;
pub mod related;
pub mod report;
pub mod serve;
pub mod stats;
pub mod synth;
pub mod terms;
pub mod tokens;
pub mod topics;
pub mod trends;
pub mod vocab;

use std::path::Path;

use anyhow::Result;
use weeklens::corpus::Corpus;
use weeklens::store::Store;
use weeklens::topics::TopicEdits;

/// The outcome of a command that ran: success, or a completed run that found problems.
pub enum Outcome {
    Success,
    Problems,
}

/// The store at `store` opened for reading, nothing read yet; `edits` the file of the editor's
/// topic names and merges, read when it is there (none for a command that shows no topic).
fn open(store: &Path, edits: Option<&Path>) -> Result<Corpus> {
    let store = Store::open(store)?;
    let edits = match edits {
        Some(path) => TopicEdits::load_if_present(path)?,
        None => TopicEdits::default(),
    };
    Ok(Corpus::open(store, edits))
}

/// The store at `store` opened for reading with the editor's topic edits: the file `given`
/// (`--edits`, `WEEKLENS_TOPICS`), which must exist, or else `weeklens-topics.toml` in the
/// working directory when it is there.
fn open_with_edits(store: &Path, given: Option<&Path>) -> Result<Corpus> {
    let store = Store::open(store)?;
    let edits = match given {
        Some(path) => TopicEdits::load(path)?,
        None => TopicEdits::load_default()?,
    };
    Ok(Corpus::open(store, edits))
}
