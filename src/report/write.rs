//! The one place that creates a report's files.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::compilation::{link_count, render_compilation, render_links, COMPILATION_FILE, LINKS_FILE};
use super::i18n::Words;
use super::{render_html, render_markdown, Report};
use crate::chart::{self, ChartFont};
use crate::error::{Error, Result};

/// The record of what a report's folder holds from weeklens: a line `crc32 length name` per file
/// written. A file the record names, unchanged, is the tool's to replace or drop; anything else
/// in the folder is the user's and is kept.
const RECORD: &str = ".weeklens-report";

/// What was written into the folder, by name: (crc32, length).
type Record = BTreeMap<String, (u32, u64)>;

/// Writes the report into `<out>/<name>/`: `index.md`, `index.html` and each chart as SVG (and
/// PNG when `font` is given), and `compilation.md` and `links.md` when the report holds them.
/// Everything is written into a temporary directory first and renamed into place, so a failed
/// run leaves the previous report; a file that cannot be written is named as it would stand in
/// the report (`reports/season-1/index.html`), not by its temporary path.
///
/// Nothing the user put in the folder is lost: the files a previous run wrote and nobody changed
/// are replaced (or dropped when this run does not write them); every other file or folder in it
/// (notes, images, a compilation the editor edited and this run does not write) is carried into
/// the new folder as it is (hard links, else copies). A file this run would write that was
/// changed since weeklens wrote it is an error naming it, and nothing is written. A file the
/// record does not name (the folder has none: the user's own folder, or a report of a version
/// before the record) is the user's: kept, and an error naming it where this run would write a
/// file of that name. Returns the report's directory.
pub fn write(out: &Path, report: &Report, font: Option<&ChartFont>) -> Result<PathBuf> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    // A file, or a device such as /dev/null: nothing can be written inside it.
    if out.exists() && !out.is_dir() {
        return Err(Error::OutIsAFile(out.to_path_buf()));
    }
    fs::create_dir_all(out).map_err(io(out))?;
    // A report folder that is a link to another folder is written where the link points.
    let named = out.join(&report.name);
    let target = match fs::symlink_metadata(&named) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(&named).map_err(io(&named))?,
        _ => named.clone(),
    };
    if target.is_file() {
        return Err(Error::OutIsAFile(named));
    }
    let parent = target.parent().unwrap_or(out).to_path_buf();
    let staging = tempfile::Builder::new()
        .prefix(".weeklens-report-")
        .tempdir_in(&parent)
        .map_err(io(&parent))?;
    let mut written = Record::new();
    let mut stage = |name: &str, bytes: &[u8]| {
        fs::write(staging.path().join(name), bytes).map_err(io(&named.join(name)))?;
        written.insert(name.to_string(), (crc32fast::hash(bytes), bytes.len() as u64));
        Ok::<(), Error>(())
    };
    // The charts drawn side by side (each on its own), staged in their order.
    let drawn: Vec<Result<(String, Option<Vec<u8>>)>> = report
        .charts
        .par_iter()
        .map(|c| {
            let svg = chart::svg(&c.chart)?;
            Ok((svg, font.map(|font| chart::png(&c.chart, font)).transpose()?))
        })
        .collect();
    let mut svgs = BTreeMap::new();
    for (c, drawn) in report.charts.iter().zip(drawn) {
        let (svg, png) = drawn?;
        let name = format!("{}.svg", c.file);
        stage(&name, svg.as_bytes())?;
        svgs.insert(name, svg);
        if let Some(png) = png {
            stage(&format!("{}.png", c.file), &png)?;
        }
    }
    let markdown = render_markdown(report);
    let html = render_html(report, &markdown, &svgs);
    for (name, text) in [("index.md", &markdown), ("index.html", &html)] {
        stage(name, text.as_bytes())?;
    }
    if let Some(c) = &report.compilation {
        let words = Words::of(report.lang, report.season.is_some());
        stage(COMPILATION_FILE, render_compilation(c, words).as_bytes())?;
        // A season of titles only (the archive keeps no links) has no link-only edition.
        if link_count(c) > 0 {
            stage(LINKS_FILE, render_links(c, words).as_bytes())?;
        }
    }
    let old = parent.join(format!(
        ".{}.old",
        target
            .file_name()
            .map_or_else(|| report.name.clone(), |n| n.to_string_lossy().into_owned())
    ));
    if old.exists() && !target.exists() {
        // A run killed between the two renames below: the report kept aside is the last one.
        fs::rename(&old, &target).map_err(io(&old))?;
    }
    if target.exists() {
        carry_over(&target, &named, staging.path(), &written)?;
    }
    let record: String = written
        .iter()
        .map(|(name, (crc, len))| format!("{crc:08x} {len} {name}\n"))
        .collect();
    fs::write(staging.path().join(RECORD), record).map_err(io(&named.join(RECORD)))?;
    // The previous report steps aside before the new one takes its place, and goes only after.
    if old.exists() {
        fs::remove_dir_all(&old).map_err(io(&old))?;
    }
    if target.exists() {
        fs::rename(&target, &old).map_err(io(&named))?;
    }
    if let Err(e) = fs::rename(staging.path(), &target) {
        if old.exists() {
            // Put the previous report back; the failure is the one to report.
            let _ = fs::rename(&old, &target);
        }
        return Err(io(&named)(e));
    }
    // The staging directory is the report now: nothing left to remove.
    let _ = staging.keep();
    if old.exists() {
        fs::remove_dir_all(&old).map_err(io(&old))?;
    }
    Ok(named)
}

/// Links (or copies) into `staging` everything of the previous report folder `dir` that is not
/// the tool's to replace; fails, naming the file as `shown` holds it, when a file this run writes
/// was changed since weeklens wrote it.
fn carry_over(dir: &Path, shown: &Path, staging: &Path, written: &Record) -> Result<()> {
    let io = |path: PathBuf| move |source| Error::Io { path, source };
    let record = read_record(dir);
    for entry in fs::read_dir(dir).map_err(io(shown.to_path_buf()))? {
        let entry = entry.map_err(io(shown.to_path_buf()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name == RECORD {
            continue;
        }
        let recorded = record.get(&name);
        let ours_unchanged = recorded.is_some_and(|&(crc, len)| {
            // Read no further than the length recorded: a longer file is not the one written.
            crate::bounded::read(&path, len)
                .is_ok_and(|bytes| bytes.len() as u64 == len && crc32fast::hash(&bytes) == crc)
        });
        if ours_unchanged {
            continue;
        }
        if written.contains_key(&name) {
            return Err(match recorded {
                Some(_) => Error::ReportFileEdited(shown.join(&name)),
                None => Error::ReportFileNotOurs(shown.join(&name)),
            });
        }
        link_or_copy(&path, &staging.join(&name)).map_err(io(shown.join(&name)))?;
    }
    Ok(())
}

/// The record of a report folder: the files it names on lines that read (none when it has no
/// record). A line that does not read names nothing: its file, if any, counts as the user's.
fn read_record(dir: &Path) -> Record {
    let Ok(text) = crate::bounded::read_to_string(&dir.join(RECORD), crate::bounded::TEXT) else {
        return Record::new();
    };
    text.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(3, ' ');
            let crc = u32::from_str_radix(parts.next()?, 16).ok()?;
            let len = parts.next()?.parse().ok()?;
            Some((parts.next()?.to_string(), (crc, len)))
        })
        .collect()
}

/// `from` at `to`: a file hard-linked (copied where it cannot be), a folder made again with its
/// contents, a symbolic link made again pointing where it pointed.
fn link_or_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    let meta = fs::symlink_metadata(from)?;
    if meta.file_type().is_symlink() {
        #[cfg(unix)]
        return std::os::unix::fs::symlink(fs::read_link(from)?, to);
        #[cfg(not(unix))]
        return fs::copy(from, to).map(|_| ());
    }
    if meta.is_dir() {
        fs::create_dir(to)?;
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            link_or_copy(&entry.path(), &to.join(entry.file_name()))?;
        }
        return Ok(());
    }
    fs::hard_link(from, to).or_else(|_| fs::copy(from, to).map(|_| ()))
}
