//! `weeklens stats`: per issue, the parsed counts against the stated ones.

use std::path::Path;

use anyhow::Result;
use weeklens::stats;

use super::Outcome;
use crate::cli::{StatsArgs, TextFormat};
use crate::output::Stdout;

pub fn run(store: &Path, args: StatsArgs) -> Result<Outcome> {
    let corpus = super::open(store, None)?;
    let stats = stats::compute(
        corpus.issues()?,
        corpus.entries()?,
        &stats::Errata::builtin(),
        corpus.diagnostics().to_vec(),
    );
    let text = match args.format {
        TextFormat::Table => stats::render_table(&stats),
        TextFormat::Json => stats::render_json(&stats),
    };
    Stdout::new().print(&text)?;
    Ok(if args.strict && stats.has_problems() {
        Outcome::Problems
    } else {
        Outcome::Success
    })
}
