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
pub mod diagnostic;
pub mod error;
pub mod ingest;
pub mod model;
pub mod parse;
pub mod stats;
pub mod store;
pub mod terms;
pub mod tokenize;
pub mod vectorize;
pub mod vocab;

use std::path::PathBuf;

pub use diagnostic::Diagnostic;
pub use error::{Error, Result};

/// Tokenises every entry and fits the TF-IDF vocabulary over them (withdrawn placeholders get
/// an empty row and no say in the vocabulary).
fn vectorize_entries(tables: &mut store::Tables) {
    let tokenizer = tokenize::Tokenizer::shared();
    let documents: Vec<Vec<String>> = tables
        .entries
        .iter()
        .map(|e| {
            if e.withdrawn {
                Vec::new()
            } else {
                vectorize::entry_terms(tokenizer, e)
            }
        })
        .collect();
    let live: Vec<Vec<String>> = tables
        .entries
        .iter()
        .zip(&documents)
        .filter(|(e, _)| !e.withdrawn)
        .map(|(_, d)| d.clone())
        .collect();
    let params = vectorize::TfIdfParams {
        // The sample archive is small: a term seen twice is already a theme there.
        min_df: 2,
        ..vectorize::TfIdfParams::default()
    };
    let Ok(checked) = params.check() else { return };
    let fit = checked.fit(&live);
    tables.vectors = documents.iter().map(|d| fit.transform(d)).collect();
    tables.vocabulary = Some(fit);
}

/// What `weeklens build` needs.
#[derive(Debug, Clone)]
pub struct BuildParams {
    pub archive: PathBuf,
    pub store: PathBuf,
    /// Any problem in the archive fails the build, and the store is left as it was.
    pub strict: bool,
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    pub issues: usize,
    pub entries: usize,
    pub filled: u32,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the archive and writes the store.
pub fn build(params: &BuildParams) -> Result<BuildSummary> {
    let archive = archive::Archive::open(&params.archive)?;
    let ingested = ingest::ingest(&archive);
    if params.strict && !ingested.diagnostics.is_empty() {
        return Err(Error::Strict(ingested.diagnostics));
    }
    let mut tables = ingested.tables;
    tables.diagnostics = ingested.diagnostics;
    vectorize_entries(&mut tables);
    store::write(&params.store, &tables)?;
    Ok(BuildSummary {
        issues: tables.issues.len(),
        entries: tables.entries.iter().filter(|e| !e.withdrawn).count(),
        filled: tables.issues.iter().map(|i| i.filled).sum(),
        diagnostics: tables.diagnostics,
    })
}
