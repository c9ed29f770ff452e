//! The `weeklens` binary: parses the command line, calls the library, and maps the outcome to an
//! exit code in one place.

mod cli;

use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use cli::{Cli, Command, ExportTable, RelatedFormat, SectionFormat, TextFormat, VocabCommand};
use indicatif::{ProgressBar, ProgressStyle};
use weeklens::chart::ChartFont;
use weeklens::cluster::ClusterParams;
use weeklens::draft::Draft;
use weeklens::past_years::{self, PastYearsParams};
use weeklens::related;
use weeklens::report::{self, Scope};
use weeklens::store::Store;
use weeklens::terms::{self, Slice};
use weeklens::topics::{self, TopicEdits};
use weeklens::{stats, store, trends, vocab, BuildParams};

/// The outcome of a command that ran: success, or a completed run that found problems.
enum Outcome {
    Success,
    Problems,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Problems) => ExitCode::from(1),
        // A reader that stopped reading (`| head`) is not an error.
        Err(e)
            if e.downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("weeklens: {e:#}");
            ExitCode::from(2)
        }
    }
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
            // A spinner on a terminal (indicatif draws nothing when standard error is piped).
            let spinner = ProgressBar::new_spinner().with_message(format!(
                "building {} from {}",
                cli.store.display(),
                archive.display()
            ));
            spinner.enable_steady_tick(std::time::Duration::from_millis(100));
            let result = weeklens::build(&BuildParams {
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
            });
            spinner.finish_and_clear();
            let summary = match result {
                Err(weeklens::Error::Strict(problems)) => {
                    for d in &problems {
                        eprintln!("error: {d}");
                    }
                    eprintln!(
                        "weeklens: {} problem(s) and --strict is set: {} was left as it was",
                        problems.len(),
                        cli.store.display()
                    );
                    return Ok(Outcome::Problems);
                }
                other => other?,
            };
            for d in &summary.diagnostics {
                eprintln!("warning: {d}");
            }
            if timings {
                for (stage, took) in &summary.timings {
                    eprintln!("{:>8.1} ms  {stage}", took.as_secs_f64() * 1000.0);
                }
            }
            println!(
                "built {}: {} issues, {} entries ({} filled from season compilations), {} warning(s)",
                cli.store.display(),
                summary.issues,
                summary.entries,
                summary.filled,
                summary.diagnostics.len()
            );
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
            io::stdout().lock().write_all(text.as_bytes())?;
            Ok(if strict && stats.has_problems() {
                Outcome::Problems
            } else {
                Outcome::Success
            })
        }
        Command::Tokens { text } => {
            let terms = weeklens::tokenize::Tokenizer::shared().terms(&text);
            println!("{}", terms.join(" "));
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
                anyhow::bail!("no entries in {slice:?} in the store");
            }
            let text = match format {
                TextFormat::Table => terms::render_table(&ranked),
                TextFormat::Json => terms::render_json(&ranked),
            };
            io::stdout().lock().write_all(text.as_bytes())?;
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
            format,
        } => {
            let params = PastYearsParams {
                lang: lang.into(),
                min_age_weeks,
                recent_issues: recent,
                entries: k,
                min_score,
                base_url,
            }
            .check()
            .map_err(weeklens::Error::from)?;
            let draft = Draft::read(&draft)?;
            for p in &draft.problems {
                eprintln!("warning: {p}");
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
            io::stdout().lock().write_all(text.as_bytes())?;
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
        } => {
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
                None => ChartFont::find(None)
                    .inspect_err(|e| eprintln!("warning: PNG charts left out: {e}"))
                    .ok(),
            };
            let progress = ProgressBar::new(scopes.len() as u64).with_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            for scope in scopes {
                progress.set_message(scope.name());
                let built = report::compute(&inputs, scope).map_err(weeklens::Error::from)?;
                let dir = report::write(&out, &built, font.as_ref())?;
                progress.suspend(|| println!("wrote {}", dir.join("index.html").display()));
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
                VocabCommand::Names { min_entries } => {
                    vocab::render_names(&vocab::name_candidates(tokenizer, &entries, min_entries))
                }
            };
            io::stdout().lock().write_all(text.as_bytes())?;
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
            io::stdout().lock().write_all(text.as_bytes())?;
            Ok(Outcome::Success)
        }
        Command::Trends {
            window,
            since,
            top,
            min_new,
            alpha0_terms,
            alpha0_topics,
            terms_from,
            format,
            edits,
        } => {
            let params = trends::TrendsParams {
                window: cli::trends_window(window, since),
                top,
                min_new,
                alpha0_terms,
                alpha0_topics,
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
            io::stdout().lock().write_all(text.as_bytes())?;
            Ok(Outcome::Success)
        }
        Command::Related {
            entry,
            text,
            url,
            all,
            k,
            min_score,
            format,
        } => {
            let store = Store::open(&cli.store)?;
            let mut out = BufWriter::new(io::stdout().lock());
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
            let views = related::suggest_from_index(&store, &query, k, min_score)?;
            let text = match format {
                RelatedFormat::Table => related::render_table(&views),
                RelatedFormat::Json | RelatedFormat::Jsonl => serde_json::to_string_pretty(&views)? + "\n",
            };
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(Outcome::Success)
        }
        Command::Index => {
            let bytes = related::write_index(&Store::open(&cli.store)?)?;
            println!(
                "wrote the related index of {}: {bytes} bytes",
                cli.store.display()
            );
            Ok(Outcome::Success)
        }
        Command::Check { draft, date, format } => {
            let (results, problems) = weeklens::check::check_file(&Store::open(&cli.store)?, &draft, date)?;
            for p in &problems {
                eprintln!("warning: {p}");
            }
            let text = match format {
                TextFormat::Table => weeklens::check::render_table(&results),
                TextFormat::Json => serde_json::to_string_pretty(&results)? + "\n",
            };
            io::stdout().lock().write_all(text.as_bytes())?;
            Ok(if results.iter().any(|r| !r.hits.is_empty()) {
                Outcome::Problems
            } else {
                Outcome::Success
            })
        }
        Command::Synth { entries, out, seed } => {
            let params = weeklens::synth::SynthParams { entries, seed }.check()?;
            let summary = weeklens::synth::write(&params, &out)?;
            println!(
                "wrote {}: {} issues ({} titles only), {} entries ({} re-shared), {} bytes",
                out.display(),
                summary.issues,
                summary.titles_only,
                summary.entries,
                summary.reshared,
                summary.bytes
            );
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
            let mut staged = match &output {
                Some(path) => Some(Staged::beside(path)?),
                None => None,
            };
            let mut out: Box<dyn Write> = match &mut staged {
                Some(staged) => Box::new(BufWriter::new(staged.file.as_file_mut())),
                None => {
                    let stdout = io::stdout();
                    if matches!(format, cli::ExportFormatArg::Parquet) && stdout.is_terminal() {
                        anyhow::bail!("parquet is binary: give an output file with -o FILE");
                    }
                    Box::new(BufWriter::new(stdout.lock()))
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
            out.flush()?;
            drop(out);
            if let Some(staged) = staged {
                staged.persist()?;
            }
            Ok(Outcome::Success)
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
