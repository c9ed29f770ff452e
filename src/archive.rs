//! The archive on disk: which files are weekly issues, translations and season compilations, and
//! reading them as UTF-8 text. The first stage of the pipeline; [`crate::parse`] comes next.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::diagnostic::Diagnostic;
use crate::error::Error;

/// The files of an archive directory, sorted by name.
#[derive(Debug, Clone)]
pub struct Archive {
    pub root: PathBuf,
    pub weeklies: Vec<SourceFile>,
    pub compilations: Vec<SourceFile>,
}

/// One markdown file of the archive, with its English translation when there is one.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The file name, e.g. `2023-05-13-weekly.md`; diagnostics name files by it.
    pub name: String,
    pub path: PathBuf,
    /// The date in the file name.
    pub date: NaiveDate,
    /// `en/<name>` when it exists.
    pub translation: Option<PathBuf>,
}

/// What a file name says a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Weekly,
    Compilation,
}

impl Archive {
    /// Lists the archive at `root`. A missing directory, or one without a single weekly issue, is
    /// an error: there would be nothing to build.
    pub fn open(root: &Path) -> Result<Archive, Error> {
        if !root.is_dir() {
            return Err(Error::ArchiveMissing(root.to_path_buf()));
        }
        let en = root.join("en");
        let mut weeklies = Vec::new();
        let mut compilations = Vec::new();
        for name in list_markdown(root)? {
            let Some((date, kind)) = classify(&name) else {
                continue;
            };
            let translation = Some(en.join(&name)).filter(|p| p.is_file());
            let file = SourceFile {
                path: root.join(&name),
                name,
                date,
                translation,
            };
            match kind {
                FileKind::Weekly => weeklies.push(file),
                FileKind::Compilation => compilations.push(file),
            }
        }
        if weeklies.is_empty() {
            return Err(Error::ArchiveEmpty(root.to_path_buf()));
        }
        Ok(Archive {
            root: root.to_path_buf(),
            weeklies,
            compilations,
        })
    }
}

/// Markdown file names directly inside `dir`, sorted.
fn list_markdown(dir: &Path) -> Result<Vec<String>, Error> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut names = Vec::new();
    for item in fs::read_dir(dir).map_err(io)? {
        let item = item.map_err(io)?;
        if !item.file_type().map_err(io)?.is_file() {
            continue;
        }
        if let Some(name) = item.file_name().to_str() {
            if name.ends_with(".md") {
                names.push(name.to_string());
            }
        }
    }
    names.sort();
    Ok(names)
}

/// `YYYY-MM-DD-weekly.md` is a weekly issue; `-sweekly`, `-iweekly` and `-lweekly` are season
/// compilations. Anything else (a README, say) is not part of the archive.
fn classify(name: &str) -> Option<(NaiveDate, FileKind)> {
    let stem = name.strip_suffix(".md")?;
    let (date, suffix) = (stem.get(..10)?, stem.get(10..)?);
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let kind = match suffix {
        "-weekly" => FileKind::Weekly,
        "-sweekly" | "-iweekly" | "-lweekly" => FileKind::Compilation,
        _ => return None,
    };
    Some((date, kind))
}

/// Reads a file as UTF-8. A file that is not UTF-8 is named with the line of its first bad byte.
/// A leading byte-order mark is dropped and CRLF line ends become LF.
pub fn read_text(path: &Path, name: &str) -> Result<String, Diagnostic> {
    let bytes = fs::read(path).map_err(|e| Diagnostic::file(name, format!("cannot read: {e}")))?;
    decode_text(bytes, name)
}

/// [`read_text`] of bytes already read: the fuzz targets feed it what a file could hold.
pub fn decode_text(bytes: Vec<u8>, name: &str) -> Result<String, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            return Err(Diagnostic::at(
                name,
                line,
                format!("not UTF-8 (invalid byte at offset {at}); file skipped"),
            ));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_weeklies_and_compilations() {
        assert_eq!(
            classify("2023-05-13-weekly.md").map(|(_, k)| k),
            Some(FileKind::Weekly)
        );
        for name in [
            "2023-12-11-sweekly.md",
            "2024-07-17-iweekly.md",
            "2026-06-07-lweekly.md",
        ] {
            assert_eq!(classify(name).map(|(_, k)| k), Some(FileKind::Compilation));
        }
        assert_eq!(classify("README.md"), None);
        assert_eq!(classify("2023-13-40-weekly.md"), None);
        assert_eq!(classify("2023-05-13-draft.md"), None);
    }

    #[test]
    fn names_the_line_of_the_first_bad_byte() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("x.md");
        fs::write(&path, b"ok\nstill ok\nbad \xff here\n").expect("write");
        let err = read_text(&path, "x.md").expect_err("not UTF-8");
        assert_eq!(err.line, Some(3));
        assert!(err.to_string().starts_with("x.md:3:"), "{err}");
    }
}
