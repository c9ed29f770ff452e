//! `weeklens build`: the write path, its stage and counts shown on a terminal.

use std::path::Path;

use anyhow::Result;
use weeklens::cluster::ClusterParams;
use weeklens::topics::TopicEdits;
use weeklens::{escape, BuildParams};

use super::Outcome;
use crate::build_progress::BuildProgress;
use crate::cli::BuildArgs;
use crate::output::{note, Stdout};

pub fn run(store: &Path, args: BuildArgs) -> Result<Outcome> {
    let BuildArgs {
        archive,
        strict,
        k,
        dims,
        seed,
        fresh_topics,
        edits,
        timings,
    } = args;
    // A file named with --edits must read, as for every other command: refused before the build.
    if let Some(path) = edits.as_deref() {
        TopicEdits::load(path)?;
    }
    // The stage and its count on a terminal; nothing when standard error is piped.
    let progress = BuildProgress::on_stderr();
    let result = weeklens::build_reporting(
        &BuildParams {
            archive,
            store: store.to_path_buf(),
            strict,
            cluster: ClusterParams {
                k: k.map(|k| k as usize),
                dims,
                seed,
                ..ClusterParams::default()
            },
            fresh_topics,
        },
        &progress,
    );
    progress.finish();
    let summary = match result {
        Err(weeklens::Error::Strict(problems)) => {
            // The build stopped: nothing was skipped, so the faults are shown alone.
            for d in &problems {
                note(format!("error: {}", d.fault()))?;
            }
            note(format!(
                "weeklens: {} problem(s) and --strict is set: {} was left as it was",
                problems.len(),
                store.display()
            ))?;
            return Ok(Outcome::Problems);
        }
        // The library names the k; the flag that gave it is --k.
        Err(weeklens::Error::Topics(e)) => anyhow::bail!(
            "--k {}: {e}; give a smaller --k (or none, to choose it): {} was left as it was",
            k.unwrap_or_default(),
            store.display()
        ),
        other => other?,
    };
    for d in &summary.diagnostics {
        note(format!("warning: {d}"))?;
    }
    if summary.topics_renumbered {
        warn_renumbered(edits.as_deref())?;
    }
    if summary.linked > 0 {
        eprintln!(
            "note: {} file(s) of the archive are symbolic links, read through to the files they name",
            summary.linked
        );
    }
    if timings {
        for (stage, took) in &summary.timings {
            note(format!("{:>8.1} ms  {stage}", took.as_secs_f64() * 1000.0))?;
        }
    }
    Stdout::new().print(&format!(
        "built {}: {} issues, {} entries ({} filled from season compilations), {} warning(s)\n",
        escape::terminal(&store.display().to_string()),
        summary.issues,
        summary.entries,
        summary.filled,
        summary.diagnostics.len()
    ))?;
    Ok(Outcome::Success)
}

/// After a build that numbered the topics afresh: the editor's names and merges (the file
/// `given`, else `weeklens-topics.toml` when it is there) are applied by id, and those ids may now
/// name other topics. Said on standard error, naming the file and its ids; nothing is changed.
fn warn_renumbered(given: Option<&Path>) -> Result<()> {
    let edits = match given {
        Some(path) => TopicEdits::load(path),
        None => TopicEdits::load_default(),
    };
    let edits = match edits {
        Ok(edits) if edits.is_empty() => return Ok(()),
        Ok(edits) => edits,
        Err(e) => {
            return Ok(note(format!(
                "warning: the topics were numbered afresh, and the topic edits cannot be read ({e})"
            ))?)
        }
    };
    let ids: Vec<String> = edits.ids().iter().map(u32::to_string).collect();
    Ok(note(format!(
        "warning: the topics were numbered afresh (--fresh-topics, another --k, or no earlier \
         topics to carry over): topic(s) {} that {} names or merges may now be other topics; \
         check them with `weeklens topics` and correct the file",
        ids.join(", "),
        edits.path().display()
    ))?)
}
