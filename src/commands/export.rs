//! `weeklens export`: a table for other tools, written whole or not at all.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, Result};
use weeklens::store;

use super::Outcome;
use crate::cli::{self, ExportArgs, ExportTable};
use crate::output::Stdout;

pub fn run(store_dir: &Path, args: ExportArgs) -> Result<Outcome> {
    let ExportArgs {
        table,
        format,
        output,
        edits,
    } = args;
    // `-o -` is standard output, as most tools read a lone dash (not a file named `-`).
    let output = output.filter(|path| path.as_os_str() != "-");
    // The editor's topic edits are read for the entries' `topic` column only.
    let corpus = match table {
        ExportTable::Entries => super::open_with_edits(store_dir, edits.as_deref())?,
        ExportTable::Issues => super::open(store_dir, None)?,
    };
    // A file is written aside and renamed over the previous one once complete, so that a failed
    // export (a full disk, a damaged store) leaves the previous file whole.
    let mut target = match &output {
        Some(path) => Some(Target::open(path, store_dir)?),
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
    let written = match table {
        ExportTable::Entries => store::export_entries(
            corpus.issues()?,
            corpus.entries()?,
            corpus.assignments()?,
            format.into(),
            &mut out,
        ),
        ExportTable::Issues => store::export_issues(corpus.issues()?, format.into(), &mut out),
    };
    match &output {
        // A failed write names the file, not only the table.
        Some(path) => written.with_context(|| format!("cannot write {}", path.display()))?,
        None => written?,
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

/// Where `export -o PATH` writes. A regular file an earlier export wrote, or a path where nothing
/// is yet, is written aside and renamed into place; anything else that is there (a device such as `/dev/null`, a
/// named pipe) is written into as it is, never replaced by a file.
enum Target {
    Staged(Staged),
    Direct(std::fs::File),
}

impl Target {
    /// Where to write `path`, refused when it lies inside the store `store_dir`, or is a file
    /// that is not an earlier export (an issue of the archive given by mistake) or is read-only:
    /// an export replaces only what an export wrote.
    fn open(path: &Path, store_dir: &Path) -> Result<Target> {
        super::refuse_dangling_link(path)?;
        super::refuse_inside_store(path, store_dir, "export to a file outside it")?;
        // A folder, or a name written as one (`out/`, `out/.`): the export needs a file's name.
        let written = path.as_os_str().as_encoded_bytes();
        let is_dir = path.is_dir();
        if is_dir || written.ends_with(b"/") || written.ends_with(b"/.") {
            anyhow::bail!(
                "{} {} a folder: give the name of a file to write",
                path.display(),
                if is_dir { "is" } else { "names" }
            );
        }
        match std::fs::metadata(path) {
            Ok(m) if !m.is_file() => std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map(Target::Direct)
                .with_context(|| format!("cannot write {}", path.display())),
            Ok(m) => {
                if m.permissions().readonly() {
                    anyhow::bail!("{} is read-only: not replaced", path.display());
                }
                if !store::is_an_export(path)? {
                    anyhow::bail!(
                        "{} exists and is not an export of weeklens (its header is not that of a JSONL, \
                         CSV or Parquet export of `entries` or `issues`): give a new file, or move it \
                         away first",
                        path.display()
                    );
                }
                Staged::beside(path).map(Target::Staged)
            }
            Err(_) => Staged::beside(path).map(Target::Staged),
        }
    }
}

/// The prefix of the file an export is written into beside its target.
const STAGING_PREFIX: &str = ".weeklens-export-";

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
        if !dir.exists() {
            anyhow::bail!(
                "cannot write {}: its folder {} does not exist",
                path.display(),
                dir.display()
            );
        }
        if !dir.is_dir() {
            anyhow::bail!(
                "cannot write {}: {} is not a folder",
                path.display(),
                dir.display()
            );
        }
        // Files of exports whose run was killed.
        super::remove_stale_staging(&dir, STAGING_PREFIX, false)?;
        let file = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
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
