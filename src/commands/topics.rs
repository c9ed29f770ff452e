//! `weeklens topics`: the topics as the editor named and merged them.

use std::path::Path;

use anyhow::Result;
use weeklens::topics;

use super::Outcome;
use crate::cli::{TextFormat, TopicsArgs};
use crate::output::Stdout;

pub fn run(store: &Path, args: TopicsArgs) -> Result<Outcome> {
    let corpus = super::open_with_edits(store, args.edits.as_deref())?;
    let views = corpus.topics()?;
    if views.is_empty() {
        anyhow::bail!("{}", weeklens::trends::TrendsError::NoTopics);
    }
    let live = corpus.entries()?.iter().filter(|e| !e.withdrawn).count() as u32;
    let text = match (args.format, args.stats) {
        (TextFormat::Table, false) => topics::render_table(views, live),
        (TextFormat::Table, true) => topics::render_stats(views, corpus.topic_quality(), live),
        (TextFormat::Json, _) => {
            let json = topics::TopicsJson {
                topics: views,
                quality: corpus.topic_quality(),
            };
            serde_json::to_string_pretty(&json)? + "\n"
        }
    };
    Stdout::new().print(&text)?;
    Ok(Outcome::Success)
}
