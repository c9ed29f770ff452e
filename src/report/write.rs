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

/// What one run writes, by name: (crc32, length).
type Record = BTreeMap<String, (u32, u64)>;

/// What a folder's record names, by name: every version it names (one, or while a run replaces
/// the files, the previous and the new).
type Recorded = BTreeMap<String, Vec<(u32, u64)>>;

/// Writes the report into `<out>/<name>/`: `index.md`, `index.html` and each chart as SVG (and
/// PNG when `font` is given), and `compilation.md` and `links.md` when the report holds them.
/// Every file is written aside first (a failed run leaves the previous report); a file that
/// cannot be written is named as it would stand in the report (`reports/season-1/index.html`),
/// not by its temporary path.
///
/// A new folder is written aside whole and renamed into place. In a folder that exists, only
/// the files this run writes are replaced, each renamed over its predecessor once all are
/// written (put back if one cannot be; a run killed while it renames leaves some files of each
/// report, which the next run replaces, the record naming both versions meanwhile); the folder
/// itself, its mode and owner, and everything else in it (notes, images, a folder of the
/// user's, a compilation the editor edited and this run does not write, a file saved while the
/// run goes) stay where they are. A file a previous
/// run wrote, unchanged, that this run does not write is dropped. A file this run would write
/// that was changed since weeklens wrote it is an error naming it, and nothing is written; so is
/// a file of that name the record does not name (the folder has none: the user's own folder, or
/// a report of a version before the record). Returns the report's directory.
pub fn write(out: &Path, report: &Report, font: Option<&ChartFont>) -> Result<PathBuf> {
    stage_report(out, report, font)?.commit()
}

/// A report written aside, its folder checked, not yet in place: several reports of one run
/// (`--all-seasons`) are all staged before any is committed, so that one that cannot be written
/// (a file edited by hand, a full disk) leaves every previous report as it was. Dropped
/// uncommitted, it removes what it wrote.
#[must_use = "a staged report is written only when committed"]
pub struct Staged {
    staging: tempfile::TempDir,
    /// The folder as the user names it, and where it is (a link's target).
    named: PathBuf,
    target: PathBuf,
    /// Whether the folder existed: its files are then replaced one by one.
    exists: bool,
    written: Record,
}

/// Writes the report aside ([`write`]'s first half): every file staged, and in a folder that
/// exists, every file it would replace checked to be the tool's and unchanged.
pub fn stage_report(out: &Path, report: &Report, font: Option<&ChartFont>) -> Result<Staged> {
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
    // A run of an earlier version killed between its two renames left the report aside.
    let old = parent.join(format!(
        ".{}.old",
        target
            .file_name()
            .map_or_else(|| report.name.clone(), |n| n.to_string_lossy().into_owned())
    ));
    if old.is_dir() && !target.exists() {
        fs::rename(&old, &target).map_err(io(&old))?;
    }
    // Written aside in the folder itself where it exists (the renames stay within it), else
    // beside it.
    let exists = target.is_dir();
    let mut builder = tempfile::Builder::new();
    builder.prefix(".weeklens-report-");
    // A new folder gets the mode `mkdir` gives (the umask's), not a temporary one's 0700.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o777));
    let staging = builder
        .tempdir_in(if exists { &target } else { &parent })
        .map_err(|e| io(if exists { &named } else { &parent })(without_path(e)))?;
    let written = stage(staging.path(), &named, report, font)?;
    if exists {
        refuse_others(&target, &named, &written)?;
    } else {
        write_record(staging.path(), &named, &record_lines(&written))?;
    }
    Ok(Staged {
        staging,
        named,
        target,
        exists,
        written,
    })
}

impl Staged {
    /// Puts the staged report in place ([`write`]'s second half); returns its directory.
    pub fn commit(self) -> Result<PathBuf> {
        let Staged {
            staging,
            named,
            target,
            exists,
            written,
        } = self;
        if exists {
            replace_in_place(&target, &named, staging.path(), &written)?;
        } else {
            fs::rename(staging.path(), &target).map_err(|source| Error::Io {
                path: named.clone(),
                source,
            })?;
            // The staging directory is the report now: nothing left to remove.
            let _ = staging.keep();
        }
        Ok(named)
    }
}

/// Whether the file `name` of the folder `dir` is one its record names, unchanged.
fn unchanged(dir: &Path, recorded: &Recorded, name: &str) -> bool {
    let path = dir.join(name);
    recorded.get(name).is_some_and(|versions| {
        versions.iter().any(|&(crc, len)| {
            // Read no further than the length recorded: a longer file is not the one written.
            crate::bounded::read(&path, len)
                .is_ok_and(|bytes| bytes.len() as u64 == len && crc32fast::hash(&bytes) == crc)
        })
    })
}

/// Refuses to replace, in the folder `dir` (`shown` as the user names it), a file of a name
/// `written` holds that is not the tool's unchanged file: one edited by hand, or one the record
/// does not name.
fn refuse_others(dir: &Path, shown: &Path, written: &Record) -> Result<()> {
    let recorded = read_record(dir);
    for name in written.keys() {
        if fs::symlink_metadata(dir.join(name)).is_ok() && !unchanged(dir, &recorded, name) {
            return Err(match recorded.get(name) {
                Some(_) => Error::ReportFileEdited(shown.join(name)),
                None => Error::ReportFileNotOurs(shown.join(name)),
            });
        }
    }
    Ok(())
}

/// Writes the report's files into `staging`, each named as it will stand in `shown` when it
/// cannot be written; returns what was written.
fn stage(staging: &Path, shown: &Path, report: &Report, font: Option<&ChartFont>) -> Result<Record> {
    let mut written = Record::new();
    let mut stage = |name: &str, bytes: &[u8]| {
        fs::write(staging.join(name), bytes).map_err(|source| Error::Io {
            path: shown.join(name),
            source,
        })?;
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
    Ok(written)
}

/// Replaces the files of the report folder `dir` (`shown` as the user names it) with those
/// `written` into `staging`, a folder inside it: first checks that every file it replaces is the
/// tool's and unchanged; the record names both versions while the files are renamed over their
/// predecessors, and the new ones once all are; a failed rename puts back what was replaced.
/// Then drops the tool's unchanged files this run does not write.
fn replace_in_place(dir: &Path, shown: &Path, staging: &Path, written: &Record) -> Result<()> {
    let io = |path: PathBuf| move |source| Error::Io { path, source };
    // Checked again: a file may have been edited since the report was staged.
    refuse_others(dir, shown, written)?;
    let recorded = read_record(dir);
    // The previous files are kept aside (hard links) until every new one is in place.
    let kept = staging.join(".previous");
    fs::create_dir(&kept).map_err(io(shown.to_path_buf()))?;
    let mut both = recorded.clone();
    for (name, &version) in written {
        both.entry(name.clone()).or_default().push(version);
    }
    write_record(dir, shown, &recorded_lines(&both))?;
    let mut replaced: Vec<&str> = Vec::new();
    let mut swap = || -> std::io::Result<()> {
        for name in written.keys() {
            let path = dir.join(name);
            if path.exists() {
                fs::hard_link(&path, kept.join(name))
                    .or_else(|_| fs::copy(&path, kept.join(name)).map(|_| ()))?;
            }
            fs::rename(staging.join(name), &path)?;
            replaced.push(name);
        }
        Ok(())
    };
    if let Err(e) = swap() {
        // Put back the files replaced so far; the failure is the one to report.
        for name in &replaced {
            let previous = kept.join(name);
            if previous.exists() {
                let _ = fs::rename(&previous, dir.join(name));
            } else {
                let _ = fs::remove_file(dir.join(name));
            }
        }
        let _ = write_record(dir, shown, &recorded_lines(&recorded));
        return Err(io(shown.to_path_buf())(e));
    }
    // The tool's unchanged files this run does not write go before the record stops naming
    // them: a run killed in between leaves them named, still the tool's.
    let stale: Vec<&String> = recorded
        .keys()
        .filter(|name| !written.contains_key(*name) && unchanged(dir, &recorded, name))
        .collect();
    for name in stale {
        fs::remove_file(dir.join(name)).map_err(io(shown.join(name)))?;
    }
    write_record(dir, shown, &record_lines(written))
}

/// `e` without the temporary path `tempfile` adds to its message: the user is told the path he
/// knows.
fn without_path(e: std::io::Error) -> std::io::Error {
    std::io::Error::from(e.kind())
}

/// The record's lines, one a version of a file.
fn lines<'a>(versions: impl Iterator<Item = (&'a String, &'a (u32, u64))>) -> String {
    versions
        .map(|(name, (crc, len))| format!("{crc:08x} {len} {name}\n"))
        .collect()
}

/// The record's lines of what one run wrote.
fn record_lines(written: &Record) -> String {
    lines(written.iter())
}

/// The record's lines of every version of each file.
fn recorded_lines(recorded: &Recorded) -> String {
    lines(
        recorded
            .iter()
            .flat_map(|(name, versions)| versions.iter().map(move |v| (name, v))),
    )
}

/// Writes the record `lines` into `dir` (`shown` as the user names it), aside then renamed into
/// place.
fn write_record(dir: &Path, shown: &Path, lines: &str) -> Result<()> {
    let io = |source| Error::Io {
        path: shown.join(RECORD),
        source,
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".weeklens-record-");
    // The mode `fs::write` gives (the umask's), not a temporary file's 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut file = builder.tempfile_in(dir).map_err(|e| io(without_path(e)))?;
    std::io::Write::write_all(&mut file, lines.as_bytes()).map_err(io)?;
    file.persist(dir.join(RECORD)).map_err(|e| io(e.error))?;
    Ok(())
}

/// The record of a report folder: the files it names on lines that read (none when it has no
/// record). A line that does not read (a damaged byte in it) names nothing: its file, if any,
/// counts as the user's; the other lines still read.
fn read_record(dir: &Path) -> Recorded {
    let mut recorded = Recorded::new();
    let Ok(bytes) = crate::bounded::read(&dir.join(RECORD), crate::bounded::TEXT) else {
        return recorded;
    };
    let text = String::from_utf8_lossy(&bytes);
    for line in text.lines() {
        let mut parts = line.splitn(3, ' ');
        let read = (|| {
            let crc = u32::from_str_radix(parts.next()?, 16).ok()?;
            let len = parts.next()?.parse().ok()?;
            Some((parts.next()?.to_string(), (crc, len)))
        })();
        // A name with a path in it names no file of the folder ("../notes.md").
        if let Some((name, version)) =
            read.filter(|(name, _)| Path::new(name).file_name() == Some(name.as_ref()))
        {
            recorded.entry(name).or_default().push(version);
        }
    }
    recorded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(bytes: &[u8]) -> (u32, u64) {
        (crc32fast::hash(bytes), bytes.len() as u64)
    }

    /// A record naming two versions of a file (a run killed while it renamed) makes either
    /// the tool's: the next run replaces the file. A damaged line leaves the other lines read.
    #[test]
    fn a_file_of_either_recorded_version_is_the_tools() {
        let dir = tempfile::tempdir().expect("dir");
        let report = dir.path();
        fs::write(report.join("a.md"), "old a").expect("a");
        fs::write(report.join("b.md"), "new b").expect("b");
        let mut both = Recorded::new();
        both.insert("a.md".into(), vec![version(b"old a"), version(b"new a")]);
        both.insert("b.md".into(), vec![version(b"old b"), version(b"new b")]);
        let mut lines = recorded_lines(&both).into_bytes();
        lines.extend_from_slice(b"\xff\xfe not a line\n");
        fs::write(report.join(RECORD), lines).expect("record");
        assert_eq!(read_record(report), both);
        let staging = tempfile::tempdir_in(report).expect("staging");
        let written: Record = [("a.md", "new a"), ("b.md", "new b")]
            .into_iter()
            .map(|(name, text)| {
                fs::write(staging.path().join(name), text).expect("staged");
                (name.to_string(), version(text.as_bytes()))
            })
            .collect();
        replace_in_place(report, report, staging.path(), &written).expect("replaced");
        assert_eq!(fs::read_to_string(report.join("a.md")).expect("a"), "new a");
        assert_eq!(
            fs::read_to_string(report.join(RECORD)).expect("record"),
            record_lines(&written)
        );
    }

    /// A rename that fails half-way puts back every file replaced before it, and the record.
    #[test]
    fn a_failed_replacement_puts_back_what_it_replaced() {
        let dir = tempfile::tempdir().expect("dir");
        let report = dir.path();
        let mut old = Record::new();
        for (name, text) in [("a.md", "old a"), ("b.md", "old b")] {
            fs::write(report.join(name), text).expect("old");
            old.insert(name.to_string(), version(text.as_bytes()));
        }
        fs::write(report.join("notes.md"), "mine").expect("notes");
        write_record(report, report, &record_lines(&old)).expect("record");
        let staging = tempfile::tempdir_in(report).expect("staging");
        // b.md is recorded as written but was never staged: its rename fails after a.md's.
        fs::write(staging.path().join("a.md"), "new a").expect("new");
        let written: Record = [
            ("a.md".to_string(), version(b"new a")),
            ("b.md".to_string(), version(b"new b")),
        ]
        .into();
        assert!(replace_in_place(report, report, staging.path(), &written).is_err());
        for (name, text) in [("a.md", "old a"), ("b.md", "old b"), ("notes.md", "mine")] {
            assert_eq!(fs::read_to_string(report.join(name)).expect(name), text);
        }
        assert_eq!(
            fs::read_to_string(report.join(RECORD)).expect("record"),
            record_lines(&old)
        );
        // Staged whole, the same replacement goes through and records the new files only.
        fs::write(staging.path().join("a.md"), "new a").expect("new");
        fs::write(staging.path().join("b.md"), "new b").expect("new");
        fs::remove_dir_all(staging.path().join(".previous")).expect("kept");
        replace_in_place(report, report, staging.path(), &written).expect("replaced");
        assert_eq!(fs::read_to_string(report.join("b.md")).expect("b"), "new b");
        assert_eq!(
            fs::read_to_string(report.join(RECORD)).expect("record"),
            record_lines(&written)
        );
    }
}
