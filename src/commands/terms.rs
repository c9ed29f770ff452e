//! `weeklens terms`: the heaviest terms of the archive, an issue or a season.

use std::path::Path;

use anyhow::Result;
use weeklens::terms::{self, Slice};

use super::Outcome;
use crate::cli::{TermsArgs, TextFormat};
use crate::output::Stdout;

pub fn run(store: &Path, args: TermsArgs) -> Result<Outcome> {
    let TermsArgs {
        top,
        issue,
        season,
        format,
    } = args;
    let corpus = super::open(store, None)?;
    let slice = match (issue, season) {
        (Some(n), _) => Slice::Issue(n),
        (None, Some(s)) => Slice::Season(s),
        (None, None) => Slice::All,
    };
    let entries = corpus.entries()?;
    let ranked = terms::top_terms(corpus.vocabulary()?, entries, corpus.vectors()?, slice, top);
    if ranked.is_empty() && slice != Slice::All {
        match slice {
            Slice::Issue(n) => anyhow::bail!("--issue {n}: the store holds no entry of issue #{n}"),
            _ => anyhow::bail!(
                "--season {}: the store holds no entry of that season",
                season.unwrap_or_default()
            ),
        }
    }
    let text = match format {
        TextFormat::Table => terms::render_table(&ranked, &terms::describe(slice, entries)),
        TextFormat::Json => terms::render_json(&ranked),
    };
    Stdout::new().print(&text)?;
    Ok(Outcome::Success)
}
