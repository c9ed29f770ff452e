//! `weeklens check`: a draft against the archive, ranked with `related`'s index.

use std::path::Path;

use anyhow::Result;
use weeklens::check;

use super::Outcome;
use crate::cli::{CheckArgs, TextFormat};
use crate::output::{note, Stdout};

pub fn run(store: &Path, args: CheckArgs) -> Result<Outcome> {
    let corpus = super::open(store, None)?;
    let check::Checked {
        results,
        problems,
        compared,
    } = check::check_file(&corpus, &args.draft, args.date)?;
    for p in &problems {
        note(format!("warning: {p}"))?;
    }
    let text = match args.format {
        TextFormat::Table => check::render_table_in(
            &results,
            Some(compared),
            weeklens::report::i18n::check_words(args.lang.into()),
        ),
        TextFormat::Json => serde_json::to_string_pretty(&results)? + "\n",
    };
    Stdout::new().print(&text)?;
    Ok(if results.iter().any(check::DraftResult::repeats) {
        Outcome::Problems
    } else {
        Outcome::Success
    })
}
