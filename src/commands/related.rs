//! `weeklens related`: one query answered from the index file, or every entry's answer from the
//! index in memory (`--all`).

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use weeklens::related::{self, AllRelated};
use weeklens::tokenize::Tokenizer;

use super::Outcome;
use crate::cli::{RelatedArgs, RelatedFormat};
use crate::output::{note, Stdout};

pub fn run(store: &Path, args: RelatedArgs) -> Result<Outcome> {
    let RelatedArgs {
        entry,
        text,
        url,
        all,
        before,
        k,
        min_score,
        format,
    } = args;
    let params = related::RelatedParams { k, min_score }
        .check()
        .context("related")?;
    let (k, min_score) = (params.k(), params.min_score());
    // --all writes JSON lines alone: another format asked for is said before the store is read.
    if all {
        if let Some(other @ (RelatedFormat::Table | RelatedFormat::Json)) = format {
            anyhow::bail!(
                "--all writes one JSON line an entry (--format jsonl); --format {} is for one entry's, \
                 text's or URL's answer",
                match other {
                    RelatedFormat::Table => "table",
                    _ => "json",
                }
            );
        }
    }
    let corpus = super::open(store, None)?;
    let mut out = Stdout::new();
    if all {
        // The entries' keys, the ranking rows and their index: not the entries' texts.
        let all = AllRelated {
            keys: corpus.entry_keys()?,
            related_rows: corpus.related_rows()?,
            related_index: corpus.related_index()?,
        };
        for line in all.lines(k, min_score) {
            writeln!(out, "{}", serde_json::to_string(&line)?)?;
        }
        out.flush()?;
        return Ok(Outcome::Success);
    }
    let query = match (entry, text, url) {
        (Some(id), _, _) => related::Query::Entry(id.parse().map_err(anyhow::Error::msg)?),
        (None, Some(text), _) if text.trim().is_empty() => {
            anyhow::bail!("`--text` is empty: give the words to look for")
        }
        (None, Some(text), _) => related::Query::Text(text),
        (None, None, Some(url)) if url.trim().is_empty() => {
            anyhow::bail!("`--url` is empty: give the address of an entry in the store")
        }
        (None, None, Some(url)) => related::Query::Url(url),
        (None, None, None) => anyhow::bail!("give an entry, --text, --url or --all"),
    };
    // One query reads a few pieces of the index file, not the tables.
    let store = corpus.index_store().context("the store was let go")?;
    let answer = match (
        related::answer_from_index(store, &query, k, min_score, before),
        &query,
    ) {
        // A repository the archive writes about but never linked (`pola-rs/polars`): the
        // entries about its name, said; an address whose name no entry holds stays the error.
        (Err(weeklens::error::Error::NoSuchEntry(missing)), related::Query::Url(url)) => {
            let Some(name) = related::address_fallback(store, url)? else {
                return Err(weeklens::error::Error::NoSuchEntry(missing).into());
            };
            let by_name = related::Query::Text(name.clone());
            let answer = related::answer_from_index(store, &by_name, k, min_score, before)?;
            if answer.suggestions.is_empty() {
                return Err(weeklens::error::Error::NoSuchEntry(missing).into());
            }
            note(format!(
                "no entry links {url}: the entries about its name, `{name}`, answer instead"
            ))?;
            answer
        }
        (answer, _) => answer?,
    };
    let related::Answer {
        entry,
        suggestions: views,
    } = answer;
    let text = match format.unwrap_or(RelatedFormat::Table) {
        // An empty table says why on standard error; JSON's empty list says it to a program.
        RelatedFormat::Table if views.is_empty() => {
            let said = match &query {
                related::Query::Text(text) if Tokenizer::terms_of_one(text).is_empty() => {
                    "nothing related: the text holds no word that relates entries (only words too \
                     common to tell them apart, such as 的 or the)"
                        .to_string()
                }
                // Nothing can come before the archive's first issue: no score is to blame.
                _ if let Some(bound) = nothing_before(&corpus, &query, before)? => format!(
                    "nothing related: no issue comes before #{bound} (`related` suggests earlier \
                     entries only)"
                ),
                _ => format!(
                    "nothing related: no entry scores {min_score} or more (--min-score sets the floor)"
                ),
            };
            note(said)?;
            String::new()
        }
        // An entry's answer names the entry first: its id alone says nothing to a reader.
        RelatedFormat::Table => match entry {
            Some(entry) => format!("related to {entry}\n\n{}", related::render_table(&views)),
            None => related::render_table(&views),
        },
        RelatedFormat::Json | RelatedFormat::Jsonl => serde_json::to_string_pretty(&views)? + "\n",
    };
    out.print(&text)?;
    Ok(Outcome::Success)
}

/// The issue a query's suggestions must come before — `--before`, else an entry's own issue (a
/// text or an address is answered from the whole archive) — when no issue of the store does.
fn nothing_before(
    corpus: &weeklens::corpus::Corpus,
    query: &related::Query,
    before: Option<u32>,
) -> Result<Option<u32>> {
    let bound = match (query, before) {
        (_, Some(before)) => before,
        (related::Query::Entry(id), None) => id.issue,
        _ => return Ok(None),
    };
    Ok(corpus
        .issues()?
        .iter()
        .all(|i| i.number >= bound)
        .then_some(bound))
}
