//! One file per subcommand: open the store through the read path's one loader
//! ([`weeklens::corpus::Corpus`]), call the analysis, print through `output`. `main.rs` parses
//! the command line and dispatches here; each command returns its [`Outcome`] or an error that
//! `main` reports in one place.

pub mod build;
pub mod check;
pub mod export;
pub mod index;
pub mod past_years;
pub mod related;
pub mod report;
pub mod serve;
pub mod stats;
pub mod synth;
pub mod terms;
pub mod tokens;
pub mod topics;
pub mod trends;
pub mod vocab;

use std::path::{Path, PathBuf};

use anyhow::Result;
use weeklens::corpus::Corpus;
use weeklens::store::Store;
use weeklens::topics::TopicEdits;

/// The outcome of a command that ran: success, or a completed run that found problems.
pub enum Outcome {
    Success,
    Problems,
}

/// The store at `store` opened for reading, nothing read yet; `edits` the file of the editor's
/// topic names and merges, read when it is there (none for a command that shows no topic).
fn open(store: &Path, edits: Option<&Path>) -> Result<Corpus> {
    let store = Store::open(store)?;
    let edits = match edits {
        Some(path) => TopicEdits::load_if_present(path)?,
        None => TopicEdits::default(),
    };
    Ok(Corpus::open(store, edits))
}

/// The store at `store` opened for reading with the editor's topic edits: the file `given`
/// (`--edits`, `WEEKLENS_TOPICS`), which must exist, or else `weeklens-topics.toml` in the
/// working directory when it is there.
fn open_with_edits(store: &Path, given: Option<&Path>) -> Result<Corpus> {
    let store = Store::open(store)?;
    let edits = match given {
        Some(path) => TopicEdits::load(path)?,
        None => TopicEdits::load_default()?,
    };
    Ok(Corpus::open(store, edits))
}

/// Where `path` lands once the links in it are followed: its longest existing beginning
/// resolved, the rest of it appended, a `..` of the rest taking back the part before it (nothing
/// after the existing beginning exists, so nothing there is a link); `None` when no part of it
/// resolves.
fn resolved(path: &Path) -> Option<PathBuf> {
    use std::path::Component;
    let parts: Vec<Component<'_>> = path.components().collect();
    (0..=parts.len()).rev().find_map(|existing| {
        let start: PathBuf = parts[..existing].iter().collect();
        let here = if start.as_os_str().is_empty() {
            Path::new(".")
        } else {
            start.as_path()
        };
        let mut lands = std::fs::canonicalize(here).ok()?;
        for part in &parts[existing..] {
            match part {
                Component::ParentDir => {
                    lands.pop();
                }
                Component::Normal(name) => lands.push(name),
                Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
            }
        }
        Some(lands)
    })
}

/// Refuses an output `path` that lies inside the store `store` (the store holds only what a
/// build writes: the next build would refuse a store holding anything else). `instead` says
/// what to do.
fn refuse_inside_store(path: &Path, store: &Path, instead: &str) -> Result<()> {
    let Some(lands) = resolved(path) else {
        return Ok(());
    };
    if let Ok(store_at) = std::fs::canonicalize(store) {
        if lands.starts_with(&store_at) {
            anyhow::bail!(
                "{} is inside the store {}: {instead}",
                path.display(),
                store.display()
            );
        }
    }
    // Any other store too, reached through a symbolic link or named as it is.
    if let Some(other) = weeklens::store::enclosing_store(&lands) {
        anyhow::bail!(
            "{} {} the weeklens store {}: {instead}",
            path.display(),
            if other == lands { "is" } else { "is inside" },
            other.display()
        );
    }
    Ok(())
}

/// The archive `path` lies inside: the nearest folder of it or above it that holds two weekly
/// issues (`YYYY-MM-DD-weekly.md`) or more. One alone is taken for the editor's draft in his
/// working folder, beside which reports go.
fn archive_around(path: &Path) -> Option<PathBuf> {
    let lands = resolved(path)?;
    lands
        .ancestors()
        .find(|dir| {
            std::fs::read_dir(dir).is_ok_and(|items| {
                items
                    .flatten()
                    .filter(|item| {
                        item.file_name()
                            .to_str()
                            .is_some_and(weeklens::archive::is_issue_name)
                    })
                    .take(2)
                    .count()
                    == 2
            })
        })
        .map(Path::to_path_buf)
}

/// Refuses an output `path` that is, or lies under, a symbolic link pointing nowhere: writing
/// there would fail with a bare "File exists", or replace the link.
fn refuse_dangling_link(path: &Path) -> Result<()> {
    for at in path.ancestors().filter(|a| !a.as_os_str().is_empty()) {
        let is_link = std::fs::symlink_metadata(at).is_ok_and(|m| m.file_type().is_symlink());
        if is_link && std::fs::metadata(at).is_err() {
            let target = std::fs::read_link(at).unwrap_or_default();
            anyhow::bail!(
                "{} is a symbolic link to {}, which points nowhere: remove the link, or create what \
                 it names",
                at.display(),
                target.display()
            );
        }
    }
    Ok(())
}

/// How old a staging file or folder of weeklens must be to count as left by a run that was
/// killed: a run writes into it continuously, for seconds.
const STALE_STAGING: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Removes what killed runs left in `dir`: staging folders (`folders`) or files named exactly
/// `prefix` and the six letters or digits a staging name ends in, last changed over an hour ago.
/// Nothing else is touched (no link is followed; another name, a kind of the other sort, a recent
/// one stay); each removal is said on standard error, one that fails is left.
fn remove_stale_staging(dir: &Path, prefix: &str, folders: bool) -> Result<()> {
    let Ok(items) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for item in items.flatten() {
        let name = item.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
            continue;
        };
        if rest.len() != 6 || !rest.bytes().all(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        let path = item.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let kind_fits = if folders { meta.is_dir() } else { meta.is_file() };
        let stale = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > STALE_STAGING);
        if !kind_fits || !stale {
            continue;
        }
        let removed = if folders {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        if removed.is_ok() {
            crate::output::note(format!(
                "note: removed {}, left by an interrupted run of weeklens",
                path.display()
            ))?;
        }
    }
    Ok(())
}
