//! `weeklens report`: the editor's report of a season, a range of issues or every season.

use std::path::Path;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use weeklens::chart::ChartFont;
use weeklens::escape;
use weeklens::report::{self, Scope};

use super::Outcome;
use crate::cli::ReportArgs;
use crate::output::{note, Stdout};

pub fn run(store: &Path, args: ReportArgs) -> Result<Outcome> {
    let ReportArgs {
        season,
        from,
        to,
        all_seasons,
        out,
        font,
        edits,
        lang,
        compilation,
        metrics,
    } = args;
    if let Some((from, to)) = from.zip(to).filter(|(from, to)| from > to) {
        anyhow::bail!("--from {from} is after --to {to}: give the first issue, then the last");
    }
    refuse_report_folder(&out, store, "give an --out outside it")?;
    let metrics = match metrics {
        Some(path) => {
            let bytes = weeklens::bounded::read(&path, weeklens::bounded::TEXT)
                .with_context(|| format!("--metrics {}", path.display()))?;
            // Bytes that are not UTF-8 are named by their line, as an issue's are.
            let text = weeklens::archive::decode_text(bytes, &path.display().to_string())
                .map_err(|d| anyhow::anyhow!("--metrics {}", d.fault()))?;
            Some(
                report::Metrics::parse(&path, &text)
                    .map_err(report::ReportError::from)
                    .context("report")?,
            )
        }
        None => None,
    };
    let options = report::Options {
        lang: lang.into(),
        compilation,
        metrics,
    };
    let corpus = super::open_with_edits(store, edits.as_deref())?;
    let scopes: Vec<Scope> = match (season, from.zip(to), all_seasons) {
        (Some(n), _, _) => vec![Scope::Season(n)],
        (None, Some((from, to)), _) => vec![Scope::Issues { from, to }],
        (None, None, true) => corpus.seasons()?.into_iter().map(Scope::Season).collect(),
        (None, None, false) => {
            anyhow::bail!("give --season N, --from ISSUE --to ISSUE, or --all-seasons")
        }
    };
    let scopes = scopes
        .into_iter()
        .map(report::check_scope)
        .collect::<Result<Vec<Scope>, _>>()
        .context("report")?;
    // A report's own folder may be a symbolic link: where it leads is held to the same rules.
    for scope in &scopes {
        refuse_report_folder(
            &out.join(scope.name()),
            store,
            "remove the link, or point it elsewhere",
        )?;
    }
    // Nothing after the last window's end takes part in its report: the store is read up to there.
    let first = scopes.iter().map(|s| s.first()).min().unwrap_or(1);
    let last = scopes.iter().map(|s| s.last()).max().unwrap_or(0);
    let store = corpus
        .index_store()
        .context("the store was let go before the report read it")?;
    let through = report::Through::read(store, &corpus, first, last)?;
    let inputs = report::Inputs::of_through(&corpus, &through)?;
    // SVG charts always; PNG ones when a CJK font is at hand. A font named with --font must
    // load.
    let font = match font {
        Some(path) => Some(ChartFont::find(Some(&path))?),
        None => match ChartFont::find(None) {
            Ok(font) => Some(font),
            Err(e) => {
                note(format!("warning: PNG charts left out: {e}"))?;
                None
            }
        },
    };
    // Staging folders of reports whose run was killed.
    super::remove_stale_staging(&out, ".weeklens-report-", true)?;
    let progress = ProgressBar::new(scopes.len() as u64).with_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    // Every report staged before any is put in place: one that cannot be written leaves every
    // previous report as it was.
    let mut staged = Vec::new();
    for scope in scopes {
        progress.set_message(scope.name());
        let built = report::compute(&inputs, scope, &options).context("report")?;
        // A run killed while replacing a report's files left its staging in the folder.
        let folder = out.join(&built.name);
        super::remove_stale_staging(&folder, ".weeklens-report-", true)?;
        super::remove_stale_staging(&folder, ".weeklens-record-", false)?;
        // A compilation of titles only has no link-only edition: said, not left to be missed.
        let no_links = built
            .compilation
            .as_ref()
            .is_some_and(|c| report::compilation::link_count(c) == 0);
        staged.push((report::stage_report(&out, &built, font.as_ref())?, no_links));
        progress.inc(1);
    }
    progress.finish_and_clear();
    let mut stdout = Stdout::new();
    for (report, no_links) in staged {
        let dir = report.commit()?;
        let wrote = escape::terminal(&dir.join("index.html").display().to_string());
        stdout.print_now(&format!("wrote {wrote}\n"))?;
        if no_links {
            note(format!(
                "{}: no {} written: its issues keep their titles alone, no links",
                dir.display(),
                report::compilation::LINKS_FILE
            ))?;
        }
    }
    // The process ends here: its memory goes back to the system at once, which freeing a
    // million entries and rows one by one took a tenth of the last season's CPU time at 1M.
    std::mem::forget(inputs);
    std::mem::forget(through);
    std::mem::forget(corpus);
    Ok(Outcome::Success)
}

/// Refuses a report folder (`--out`, or a report's own folder in it) that is a symbolic link
/// pointing nowhere, or lies inside a store or the archive: a report is the user's, never among
/// the store's files or the archive's. `instead` says what to do.
fn refuse_report_folder(path: &Path, store: &Path, instead: &str) -> Result<()> {
    super::refuse_dangling_link(path)?;
    super::refuse_inside_store(path, store, instead)?;
    if let Some(archive) = super::archive_around(path) {
        anyhow::bail!(
            "{} is inside the archive {} (it holds the weekly issues): {instead}",
            path.display(),
            archive.display()
        );
    }
    Ok(())
}
