//! The `weeklens` binary: parses the command line, dispatches to the command's file in
//! `commands/`, and maps the outcome to an exit code in one place.

mod build_progress;
mod cli;
mod commands;
mod output;

use std::io;
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use cli::{Cli, Command};
use commands::Outcome;
use output::{note, StreamError};

/// mimalloc instead of glibc's malloc: a build allocates and frees a term's `String` many times
/// over, and glibc's free lists were an eighth of a build's CPU (BENCHMARKS.md, issue 18).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

/// Runs the command asked for (`commands/`, one file each).
fn run(cli: Cli) -> Result<Outcome> {
    let store = cli.store.as_path();
    match cli.command {
        Command::Build(args) => commands::build::run(store, args),
        Command::Stats(args) => commands::stats::run(store, args),
        Command::Tokens(args) => commands::tokens::run(args),
        Command::Terms(args) => commands::terms::run(store, args),
        Command::PastYears(args) => commands::past_years::run(store, args),
        Command::Report(args) => commands::report::run(store, args),
        Command::Vocab(args) => commands::vocab::run(store, args),
        Command::Topics(args) => commands::topics::run(store, args),
        Command::Trends(args) => commands::trends::run(store, args),
        Command::Related(args) => commands::related::run(store, args),
        Command::Index => commands::index::run(store),
        Command::Check(args) => commands::check::run(store, args),
        Command::Synth(args) => commands::synth::run(store, args),
        Command::Serve(args) => commands::serve::run(store, args),
        Command::Export(args) => commands::export::run(store, args),
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
