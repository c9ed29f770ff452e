//! The `weeklens` binary: parses the command line, calls the library, and maps the outcome to an
//! exit code in one place.

mod build_progress;
mod cli;
mod output;

use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use cli::{Cli, Command, ExportTable, RelatedFormat, SectionFormat, TextFormat, VocabCommand};
use indicatif::{ProgressBar, ProgressStyle};
use output::{note, Stdout, StreamError};
use weeklens::chart::ChartFont;
use weeklens::cluster::ClusterParams;
use weeklens::draft::Draft;
use weeklens::past_years::{self, PastYearsParams};
use weeklens::related;
use weeklens::report::{self, Scope};
use weeklens::store::Store;
use weeklens::terms::{self, Slice};
use weeklens::topics::{self, TopicEdits};
use weeklens::{escape, stats, store, trends, vocab, BuildParams};

/// The outcome of a command that ran: success, or a completed run that found problems.
enum Outcome {
    Success,
    Problems,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help, the version, or a usage error; clap's own printing would not say that its
        // output failed.
        Err(e) => {
            let stream = if e.use_stderr() {
                output::Stream::Error
            } else {
                output::Stream::Output
            };
            return match e.print() {
                Err(source) if source.kind() != io::ErrorKind::BrokenPipe => {
                    let _ = note(format!(
                        "weeklens: {:#}",
                        anyhow::Error::from(StreamError { stream, source })
                    ));
                    ExitCode::from(2)
                }
                _ => ExitCode::from(e.exit_code().clamp(0, 255) as u8),
            };
        }
    };
    let result = run(cli);
    // A failed write to standard output ends the run, whatever error a library call made of it.
    let result = match output::stdout_failure() {
        Some(failure) => Err(failure.into()),
        None => result,
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        // A reader that stopped reading (`| head`) is not an error.
        Err(e)
            if e.downcast_ref::<StreamError>()
                .is_some_and(StreamError::is_closed) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            // Nowhere is left to say that standard error failed too.
            let _ = note(format!("weeklens: {}", message(&e)));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes, joined by ": ", each said once. The library's errors show their
/// source in their own message (`{path}: {source}`, `topics: {0}`) and also give it as their
/// source, so that a caller holding only the error still reads the whole of it; anyhow's `{:#}`
/// would print such a source a second time ("X: X"). A cause already said is left out.
fn message(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}

fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Build {
            archive,
            strict,
            k,
            dims,
            seed,
            fresh_topics,
            timings,
        } => {
            // The stage and its count on a terminal; nothing when standard error is piped.
            let progress = build_progress::BuildProgress::on_stderr();
            let params = BuildParams {
                archive,
                store: cli.store.clone(),
                strict,
                cluster: ClusterParams {
                    k: k.map(|k| k as usize),
                    dims,
                    seed,
                    ..ClusterParams::default()
                },
                fresh_topics,
            };
            let result = weeklens::build_reporting(&params, &progress);
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
                        cli.store.display()
                    ))?;
                    return Ok(Outcome::Problems);
                }
                // The library names the k; the flag that gave it is --k.
                Err(weeklens::Error::Topics(e)) => anyhow::bail!(
                    "--k {}: {e}; give a smaller --k (or none, to choose it): {} was left as it was",
                    k.unwrap_or_default(),
                    cli.store.display()
                ),
                other => other?,
            };
            for d in &summary.diagnostics {
                note(format!("warning: {d}"))?;
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
                escape::terminal(&cli.store.display().to_string()),
                summary.issues,
                summary.entries,
                summary.filled,
                summary.diagnostics.len()
            ))?;
            Ok(Outcome::Success)
        }
        Command::Stats { format, strict } => {
            let store = Store::open(&cli.store)?;
            let stats = stats::compute(
                &store.issues()?,
                &store.entries()?,
                &stats::Errata::builtin(),
                store.diagnostics().to_vec(),
            );
            let text = match format {
                TextFormat::Table => stats::render_table(&stats),
                TextFormat::Json => stats::render_json(&stats),
            };
            Stdout::new().print(&text)?;
            Ok(if strict && stats.has_problems() {
                Outcome::Problems
            } else {
                Outcome::Success
            })
        }
        Command::Tokens { text } => {
            let terms = weeklens::tokenize::Tokenizer::shared().terms(&text);
            Stdout::new().print(&format!("{}\n", escape::terminal(&terms.join(" "))))?;
            Ok(Outcome::Success)
        }
        Command::Terms {
            top,
            issue,
            season,
            format,
        } => {
            let store = Store::open(&cli.store)?;
            let entries = store.entries()?;
            let vectors = store.vectors(entries.len())?;
            let slice = match (issue, season) {
                (Some(n), _) => Slice::Issue(n),
                (None, Some(s)) => Slice::Season(s),
                (None, None) => Slice::All,
            };
            let ranked = terms::top_terms(&store.vocabulary()?, &entries, &vectors, slice, top);
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
                TextFormat::Table => terms::render_table(&ranked),
                TextFormat::Json => terms::render_json(&ranked),
            };
            Stdout::new().print(&text)?;
            Ok(Outcome::Success)
        }
        Command::PastYears {
            draft,
            date,
            lang,
            min_age_weeks,
            recent,
            k,
            min_score,
            base_url,
            heading_url,
            style,
            related,
            format,
        } => {
            let params = PastYearsParams {
                lang: lang.into(),
                min_age_weeks,
                recent_issues: recent,
                entries: k,
                min_score,
                base_url,
                heading_url,
                style: style.into(),
                related,
            }
            .check()
            .map_err(weeklens::Error::from)?;
            let draft = Draft::read(&draft)?;
            for p in &draft.problems {
                note(format!("warning: {p}"))?;
            }
            let loaded = related::Loaded::from_store(&Store::open(&cli.store)?)?;
            let number = draft.number(&loaded.issues);
            let section = params.draft(
                number,
                &draft.issue.entries,
                draft.date(date, &loaded.issues),
                &loaded,
            );
            let text = match format {
                SectionFormat::Markdown => past_years::render_markdown(&section),
                SectionFormat::Json => serde_json::to_string_pretty(&section)? + "\n",
            };
            Stdout::new().print(&text)?;
            Ok(Outcome::Success)
        }
        Command::Report {
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
        } => {
            if let Some((from, to)) = from.zip(to).filter(|(from, to)| from > to) {
                anyhow::bail!("--from {from} is after --to {to}: give the first issue, then the last");
            }
            let metrics = match metrics {
                Some(path) => {
                    let text = std::fs::read_to_string(&path)
                        .with_context(|| format!("--metrics {}", path.display()))?;
                    Some(
                        report::Metrics::parse(&path, &text)
                            .map_err(|e| weeklens::Error::from(report::ReportError::from(e)))?,
                    )
                }
                None => None,
            };
            let options = report::Options {
                lang: lang.into(),
                compilation,
                metrics,
            };
            let store = Store::open(&cli.store)?;
            let inputs = report::Inputs::from_store(&store, &TopicEdits::load(&edits)?)?;
            let scopes: Vec<Scope> = match (season, from.zip(to), all_seasons) {
                (Some(n), _, _) => vec![Scope::Season(n)],
                (None, Some((from, to)), _) => vec![Scope::Issues { from, to }],
                (None, None, true) => inputs.seasons().into_iter().map(Scope::Season).collect(),
                (None, None, false) => {
                    anyhow::bail!("give --season N, --from ISSUE --to ISSUE, or --all-seasons")
                }
            };
            // SVG charts always; PNG ones when a CJK font is at hand. A font named with --font
            // must load.
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
            let progress = ProgressBar::new(scopes.len() as u64).with_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            let mut stdout = Stdout::new();
            for scope in scopes {
                progress.set_message(scope.name());
                let built = report::compute(&inputs, scope, &options).map_err(weeklens::Error::from)?;
                let dir = report::write(&out, &built, font.as_ref())?;
                let wrote = escape::terminal(&dir.join("index.html").display().to_string());
                progress.suspend(|| stdout.print_now(&format!("wrote {wrote}\n")))?;
                progress.inc(1);
            }
            progress.finish_and_clear();
            Ok(Outcome::Success)
        }
        Command::Vocab { what } => {
            let store = Store::open(&cli.store)?;
            let entries = store.entries()?;
            let tokenizer = weeklens::tokenize::Tokenizer::shared();
            let text = match what {
                VocabCommand::Pairs {
                    top,
                    min_entries,
                    min_pmi,
                } => vocab::render_pairs(&vocab::pair_candidates(
                    tokenizer,
                    &entries,
                    min_entries,
                    min_pmi,
                    top,
                )),
                VocabCommand::Df { top } => {
                    vocab::render_frequencies(&vocab::document_frequencies(tokenizer, &entries, top))
                }
            };
            Stdout::new().print(&text)?;
            Ok(Outcome::Success)
        }
        Command::Topics { format, stats, edits } => {
            let store = Store::open(&cli.store)?;
            let edits = TopicEdits::load(&edits)?;
            let entries = store.entries()?;
            let views = topics::views(&store.topics()?, &entries, &edits);
            if views.is_empty() {
                anyhow::bail!("the store holds no topics: rebuild it with `weeklens build`");
            }
            let live = entries.iter().filter(|e| !e.withdrawn).count() as u32;
            let text = match (format, stats) {
                (TextFormat::Table, false) => topics::render_table(&views),
                (TextFormat::Table, true) => topics::render_stats(&views, store.topic_quality(), live),
                (TextFormat::Json, _) => {
                    let json = topics::TopicsJson {
                        topics: &views,
                        quality: store.topic_quality(),
                    };
                    serde_json::to_string_pretty(&json)? + "\n"
                }
            };
            Stdout::new().print(&text)?;
            Ok(Outcome::Success)
        }
        Command::Trends {
            window,
            since,
            from,
            to,
            top,
            min_new,
            alpha0_terms,
            alpha0_topics,
            terms_from,
            format,
            edits,
        } => {
            let params = trends::TrendsParams {
                window: cli::trends_window(window, since, from.zip(to)),
                top,
                min_new,
                alpha0_terms,
                alpha0_topics,
                ..trends::TrendsParams::default()
            }
            .check()?;
            let loaded = trends::Loaded::from_store(
                &Store::open(&cli.store)?,
                &TopicEdits::load(&edits)?,
                terms_from.into(),
            )?;
            let result = trends::compute(&loaded.corpus(), &params)?;
            let text = match format {
                TextFormat::Table => trends::render_table(&result),
                TextFormat::Json => trends::render_json(&result),
            };
            Stdout::new().print(&text)?;
            Ok(Outcome::Success)
        }
        Command::Related {
            entry,
            text,
            url,
            all,
            before,
            k,
            min_score,
            format,
        } => {
            let params = related::RelatedParams { k, min_score }
                .check()
                .map_err(weeklens::Error::from)?;
            let (k, min_score) = (params.k(), params.min_score());
            let store = Store::open(&cli.store)?;
            let mut out = Stdout::new();
            if all {
                let all = related::AllRelated::from_store(&store)?;
                for line in all.lines(k, min_score) {
                    writeln!(out, "{}", serde_json::to_string(&line)?)?;
                }
                out.flush()?;
                return Ok(Outcome::Success);
            }
            let query = match (entry, text, url) {
                (Some(id), _, _) => related::Query::Entry(id.parse().map_err(anyhow::Error::msg)?),
                (None, Some(text), _) => related::Query::Text(text),
                (None, None, Some(url)) => related::Query::Url(url),
                (None, None, None) => anyhow::bail!("give an entry, --text, --url or --all"),
            };
            let views = related::suggest_from_index_before(&store, &query, k, min_score, before)?;
            let text = match format {
                RelatedFormat::Table => related::render_table(&views),
                RelatedFormat::Json | RelatedFormat::Jsonl => serde_json::to_string_pretty(&views)? + "\n",
            };
            out.print(&text)?;
            Ok(Outcome::Success)
        }
        Command::Index => {
            let bytes = related::write_index(&Store::open(&cli.store)?)?;
            Stdout::new().print(&format!(
                "wrote the related index of {}: {bytes} bytes\n",
                escape::terminal(&cli.store.display().to_string())
            ))?;
            Ok(Outcome::Success)
        }
        Command::Check { draft, date, format } => {
            let (results, problems) = weeklens::check::check_file(&Store::open(&cli.store)?, &draft, date)?;
            for p in &problems {
                note(format!("warning: {p}"))?;
            }
            let text = match format {
                TextFormat::Table => weeklens::check::render_table(&results),
                TextFormat::Json => serde_json::to_string_pretty(&results)? + "\n",
            };
            Stdout::new().print(&text)?;
            Ok(if results.iter().any(weeklens::check::DraftResult::repeats) {
                Outcome::Problems
            } else {
                Outcome::Success
            })
        }
        Command::Synth { entries, out, seed } => {
            let params = weeklens::synth::SynthParams { entries, seed }.check()?;
            let summary = weeklens::synth::write(&params, &out)?;
            Stdout::new().print(&format!(
                "wrote {}: {} issues ({} titles only), {} entries ({} re-shared), {} bytes\n",
                escape::terminal(&out.display().to_string()),
                summary.issues,
                summary.titles_only,
                summary.entries,
                summary.reshared,
                summary.bytes
            ))?;
            Ok(Outcome::Success)
        }
        Command::Serve { addr, edits } => {
            let params = weeklens::serve::ServeParams {
                store: cli.store.clone(),
                edits,
                addr,
            };
            let mut out = Stdout::new();
            weeklens::serve::run(&params, |bound| {
                // The address goes out at once: a script or a test waits for this line.
                let _ = out.print_now(&format!(
                    "serving {} at http://{bound}/\n",
                    escape::terminal(&cli.store.display().to_string())
                ));
            })?;
            Ok(Outcome::Success)
        }
        Command::Export {
            table,
            format,
            output,
            edits,
        } => {
            let store = Store::open(&cli.store)?;
            // A file is written aside and renamed over the previous one once complete, so that a
            // failed export (a full disk, a damaged store) leaves the previous file whole.
            let mut target = match &output {
                Some(path) => Some(Target::open(path)?),
                None => None,
            };
            let mut out: Box<dyn Write> = match &mut target {
                Some(Target::Staged(staged)) => Box::new(BufWriter::new(staged.file.as_file_mut())),
                Some(Target::Direct(file)) => Box::new(BufWriter::new(file)),
                None => {
                    let stdout = io::stdout();
                    if matches!(format, cli::ExportFormatArg::Parquet) && stdout.is_terminal() {
                        anyhow::bail!("parquet is binary: give an output file with -o FILE");
                    }
                    Box::new(Stdout::new())
                }
            };
            match table {
                ExportTable::Entries => {
                    let topics = TopicEdits::load(&edits)?.apply(&store.assignments()?);
                    store::export_entries(
                        &store.issues()?,
                        &store.entries()?,
                        &topics,
                        format.into(),
                        &mut out,
                    )?
                }
                ExportTable::Issues => store::export_issues(&store.issues()?, format.into(), &mut out)?,
            }
            if let Some(path) = &output {
                out.flush()
                    .with_context(|| format!("cannot write {}", path.display()))?;
            } else {
                out.flush()?;
            }
            drop(out);
            if let Some(Target::Staged(staged)) = target {
                staged.persist()?;
            }
            Ok(Outcome::Success)
        }
    }
}

/// Where `export -o PATH` writes. A regular file, or a path where nothing is yet, is written
/// aside and renamed into place; anything else that is there (a device such as `/dev/null`, a
/// named pipe) is written into as it is, never replaced by a file.
enum Target {
    Staged(Staged),
    Direct(std::fs::File),
}

impl Target {
    fn open(path: &std::path::Path) -> Result<Target> {
        match std::fs::metadata(path) {
            Ok(m) if !m.is_file() && !m.is_dir() => std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map(Target::Direct)
                .with_context(|| format!("cannot write {}", path.display())),
            _ => Staged::beside(path).map(Target::Staged),
        }
    }
}

/// An output file being written beside the file it replaces.
struct Staged {
    file: tempfile::NamedTempFile,
    target: std::path::PathBuf,
}

impl Staged {
    /// A new file in the directory of `path` (of the file a link at `path` points to).
    fn beside(path: &std::path::Path) -> Result<Staged> {
        let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        let mode = std::fs::metadata(&target).map_or(0o644, |m| {
            std::os::unix::fs::PermissionsExt::mode(&m.permissions())
        });
        let file = tempfile::Builder::new()
            .prefix(".weeklens-export-")
            .permissions(std::os::unix::fs::PermissionsExt::from_mode(mode))
            .tempfile_in(&dir)
            .with_context(|| format!("cannot write beside {}", path.display()))?;
        Ok(Staged { file, target })
    }

    /// Makes the written file durable and puts it in place of the previous one.
    fn persist(self) -> Result<()> {
        self.file
            .as_file()
            .sync_all()
            .with_context(|| format!("cannot write {}", self.target.display()))?;
        self.file
            .persist(&self.target)
            .with_context(|| format!("cannot write {}", self.target.display()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cause_is_said_once() {
        let io = || io::Error::new(io::ErrorKind::NotFound, "No such file or directory (os error 2)");
        // A library error that shows its source and gives it as its source.
        let e = anyhow::Error::from(weeklens::Error::Io {
            path: "store/entries.parquet".into(),
            source: io(),
        });
        assert_eq!(
            message(&e),
            "store/entries.parquet: No such file or directory (os error 2)"
        );
        // A context that does not show its source still gets it once.
        let e = anyhow::Error::from(io()).context("cannot create out.jsonl");
        assert_eq!(
            message(&e),
            "cannot create out.jsonl: No such file or directory (os error 2)"
        );
    }
}
