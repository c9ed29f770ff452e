//! The one place that creates a report's files.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::compilation::{render_compilation, render_links, COMPILATION_FILE, LINKS_FILE};
use super::i18n::Words;
use super::{render_html, render_markdown, Report};
use crate::chart::{self, ChartFont};
use crate::error::{Error, Result};

/// Writes the report into `<out>/<name>/`: `index.md`, `index.html` and each chart as SVG (and
/// PNG when `font` is given), and `compilation.md` and `links.md` when the report holds them. Everything is written into a temporary directory first and renamed
/// into place, so a failed run leaves the previous report; a file that cannot be written is named
/// as it would stand in the report (`reports/season-1/index.html`), not by its temporary path.
/// Returns the report's directory.
pub fn write(out: &Path, report: &Report, font: Option<&ChartFont>) -> Result<PathBuf> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    let target = out.join(&report.name);
    if out.is_file() {
        return Err(Error::OutIsAFile(out.to_path_buf()));
    }
    fs::create_dir_all(out).map_err(io(out))?;
    let staging = tempfile::Builder::new()
        .prefix(".weeklens-report-")
        .tempdir_in(out)
        .map_err(io(out))?;
    let stage = |name: &str, bytes: &[u8]| {
        fs::write(staging.path().join(name), bytes).map_err(io(&target.join(name)))
    };
    let mut svgs = BTreeMap::new();
    for c in &report.charts {
        let svg = chart::svg(&c.chart)?;
        let name = format!("{}.svg", c.file);
        stage(&name, svg.as_bytes())?;
        svgs.insert(name, svg);
        if let Some(font) = font {
            stage(&format!("{}.png", c.file), &chart::png(&c.chart, font)?)?;
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
        stage(LINKS_FILE, render_links(c, words).as_bytes())?;
    }
    // The previous report steps aside before the new one takes its place, and goes only after.
    let old = out.join(format!(".{}.old", report.name));
    if old.exists() {
        if target.exists() {
            fs::remove_dir_all(&old).map_err(io(&old))?;
        } else {
            // A run killed between the two renames below: the report kept aside is the last one.
            fs::rename(&old, &target).map_err(io(&old))?;
        }
    }
    if target.exists() {
        fs::rename(&target, &old).map_err(io(&target))?;
    }
    if let Err(e) = fs::rename(staging.path(), &target) {
        if old.exists() {
            // Put the previous report back; the failure is the one to report.
            let _ = fs::rename(&old, &target);
        }
        return Err(io(&target)(e));
    }
    // The staging directory is the report now: nothing left to remove.
    let _ = staging.keep();
    if old.exists() {
        fs::remove_dir_all(&old).map_err(io(&old))?;
    }
    Ok(target)
}
