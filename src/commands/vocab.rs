//! `weeklens vocab`: the measurements behind the tokenizer's word lists.

use std::path::Path;

use anyhow::Result;
use weeklens::vocab;

use super::Outcome;
use crate::cli::{VocabArgs, VocabCommand};
use crate::output::Stdout;

pub fn run(store: &Path, args: VocabArgs) -> Result<Outcome> {
    let corpus = super::open(store, None)?;
    let entries = corpus.entries()?;
    let tokenizer = weeklens::tokenize::Tokenizer::shared();
    let text = match args.what {
        VocabCommand::Pairs {
            top,
            min_entries,
            min_pmi,
        } => vocab::render_pairs(&vocab::pair_candidates(
            tokenizer,
            entries,
            min_entries,
            min_pmi,
            top,
        )),
        VocabCommand::Df { top } => {
            vocab::render_frequencies(&vocab::document_frequencies(tokenizer, entries, top))
        }
        VocabCommand::Names { min_entries } => {
            vocab::render_names(&vocab::name_candidates(tokenizer, entries, min_entries))
        }
    };
    Stdout::new().print(&text)?;
    Ok(Outcome::Success)
}
