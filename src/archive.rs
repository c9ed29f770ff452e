//! The archive on disk: which files are weekly issues, translations and season compilations, and
//! reading them as UTF-8 text. The first stage of the pipeline; [`crate::parse`] comes next.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::diagnostic::{Diagnostic, Skipped};
use crate::error::Error;

/// The files of an archive directory, sorted by name.
#[derive(Debug, Clone)]
pub struct Archive {
    pub root: PathBuf,
    pub weeklies: Vec<SourceFile>,
    pub compilations: Vec<SourceFile>,
    /// Files named as the archive's own whose name or link cannot be used, one diagnostic
    /// each, saying why the file was skipped.
    pub skipped: Vec<Diagnostic>,
    /// Other problems met while listing (an `en/` that cannot be read, a translation's link that
    /// cannot be followed, a translation without its issue).
    pub warnings: Vec<Diagnostic>,
    /// How many of the files kept (translations included) are symbolic links, read through to
    /// the files they name.
    pub linked: usize,
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

/// What a file name says, read.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Name {
    /// One of the archive's files, dated.
    Dated(NaiveDate, FileKind),
    /// Named nearly like one of the archive's files (its date cannot be read, or the rest of
    /// its name is written another way): why. The editor meant it as one; it is named, not read.
    Misnamed(String),
    /// Not part of the archive (a README, say).
    Other,
}

/// A markdown file found directly in a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Listed {
    name: String,
    /// A symbolic link (read through to the file it names).
    linked: bool,
}

impl Archive {
    /// Lists the archive at `root`. A missing directory, or one without a single file named as
    /// a weekly issue, is an error: there would be nothing to build.
    ///
    /// Symbolic links to files are followed; a link that cannot be (dangling, looping) is
    /// skipped with a diagnostic, as is a file named as an issue with an impossible or
    /// unpadded date, and a folder or pipe named as one. Folders are never entered: other
    /// translations (`ja/`) are not read. An `en` that is there but cannot be listed (a link to
    /// nothing, a file, no permission), a translation that is not a file, and one without an
    /// issue of its name are warned about: none is read silently wrong or dropped unsaid.
    pub fn open(root: &Path) -> Result<Archive, Error> {
        if !root.is_dir() {
            return Err(Error::ArchiveMissing(root.to_path_buf()));
        }
        let en = root.join("en");
        let mut weeklies = Vec::new();
        let mut compilations = Vec::new();
        let mut skipped = Vec::new();
        let mut warnings = Vec::new();
        let mut linked = 0;
        // An `en` that is there but cannot be listed loses every translation: said once.
        let translated = match translation_folder(&en) {
            Ok(present) => present,
            Err(why) => {
                warnings.push(Diagnostic::file(
                    "en/",
                    format!("{why}; every issue is built without its translation"),
                ));
                false
            }
        };
        let listed = list_markdown(root)?;
        for (listed, unreadable) in &listed {
            let (date, kind) = match classify(&listed.name) {
                Name::Dated(date, kind) => (date, kind),
                Name::Misnamed(why) => {
                    skipped.push(Diagnostic::file(&listed.name, why).skipping(Skipped::File));
                    continue;
                }
                Name::Other => continue,
            };
            if let Some(why) = unreadable {
                skipped.push(Diagnostic::file(&listed.name, why.clone()).skipping(Skipped::File));
                continue;
            }
            linked += usize::from(listed.linked);
            let found = if translated {
                translation(&en.join(&listed.name))
            } else {
                Ok(None)
            };
            let translation = match found {
                Ok(found) => {
                    let is_link =
                        |p: &PathBuf| fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
                    linked += usize::from(found.as_ref().is_some_and(is_link));
                    found
                }
                Err(why) => {
                    warnings.push(Diagnostic::file(
                        &format!("en/{}", listed.name),
                        format!("{why}; the issue is built without its translation"),
                    ));
                    None
                }
            };
            let file = SourceFile {
                path: root.join(&listed.name),
                name: listed.name.clone(),
                date,
                translation,
            };
            match kind {
                FileKind::Weekly => weeklies.push(file),
                FileKind::Compilation => compilations.push(file),
            }
        }
        if translated {
            warnings.extend(orphans(&en, &listed));
        }
        if weeklies.is_empty() && skipped.is_empty() {
            return Err(Error::ArchiveEmpty(root.to_path_buf()));
        }
        Ok(Archive {
            root: root.to_path_buf(),
            weeklies,
            compilations,
            skipped,
            warnings,
            linked,
        })
    }
}

/// Whether the archive has a translation folder `en` to read: `false` when there is none; why
/// not when there is one that cannot be listed (a link to nothing, a file, a folder without
/// permission to read it).
fn translation_folder(en: &Path) -> Result<bool, String> {
    let own = match fs::symlink_metadata(en) {
        Ok(own) => own,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(format!("cannot be read ({e})")),
    };
    let target = match fs::metadata(en) {
        Ok(target) => target,
        Err(e) if own.file_type().is_symlink() => return Err(broken_link(en, &e)),
        Err(e) => return Err(format!("cannot be read ({e})")),
    };
    if !target.is_dir() {
        return Err("is not a folder".to_string());
    }
    fs::read_dir(en).map_err(|e| format!("the folder cannot be read ({e})"))?;
    Ok(true)
}

/// The translations in `en` named as the archive's files that no file of the archive (`listed`,
/// its own markdown files) has: each named, since nothing reads it.
fn orphans(en: &Path, listed: &[(Listed, Option<String>)]) -> Vec<Diagnostic> {
    let own: std::collections::BTreeSet<&str> = listed.iter().map(|(l, _)| l.name.as_str()).collect();
    let in_en = match list_markdown(en) {
        Ok(in_en) => in_en,
        Err(e) => {
            return vec![Diagnostic::file(
                "en/",
                format!("{e}; translations without an issue are not looked for"),
            )]
        }
    };
    in_en
        .into_iter()
        .filter(|(l, _)| classify(&l.name) != Name::Other && !own.contains(l.name.as_str()))
        .map(|(l, _)| {
            Diagnostic::file(
                &format!("en/{}", l.name),
                format!(
                    "no issue file `{}` beside `en/`: this translation is not read",
                    l.name
                ),
            )
        })
        .collect()
}

/// The translation at `path` when there is one: a file, or a link to one. A link that cannot be
/// followed, or a folder or other thing that is not a file under the name, is named with the
/// reason.
fn translation(path: &Path) -> Result<Option<PathBuf>, String> {
    let Ok(own) = fs::symlink_metadata(path) else {
        return Ok(None);
    };
    if !own.file_type().is_symlink() {
        return match not_a_file(&own) {
            None => Ok(Some(path.to_path_buf())),
            Some(why) => Err(why.to_string()),
        };
    }
    match fs::metadata(path) {
        Ok(target) => match not_a_file(&target) {
            None => Ok(Some(path.to_path_buf())),
            Some(why) => Err(format!("symbolic link to {why}")),
        },
        Err(e) => Err(broken_link(path, &e)),
    }
}

/// Why what `meta` describes cannot be read as a file; `None` for a regular file.
fn not_a_file(meta: &fs::Metadata) -> Option<&'static str> {
    if meta.is_file() {
        None
    } else if meta.is_dir() {
        Some("a folder, not a file")
    } else {
        Some("not a regular file (a pipe, socket or device)")
    }
}

/// Why the symbolic link at `path` cannot be followed, naming where it points.
fn broken_link(path: &Path, error: &std::io::Error) -> String {
    match fs::read_link(path) {
        Ok(target) => format!(
            "symbolic link to `{}` cannot be followed ({error})",
            target.display()
        ),
        Err(_) => format!("symbolic link cannot be followed ({error})"),
    }
}

/// Markdown files directly inside `dir`, sorted by name, each with why it cannot be read as a
/// file when it cannot: a symbolic link that cannot be followed, a folder, a pipe (the caller
/// decides whether their names matter). Folders, and links to folders, are never entered.
fn list_markdown(dir: &Path) -> Result<Vec<(Listed, Option<String>)>, Error> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut found = Vec::new();
    for item in fs::read_dir(dir).map_err(io)? {
        let item = item.map_err(io)?;
        let Some(name) = item.file_name().to_str().map(str::to_string) else {
            continue;
        };
        let lower = name.trim_end().to_lowercase();
        if !(lower.ends_with(".md") || lower.ends_with(".markdown")) {
            continue;
        }
        let kind = item.file_type().map_err(io)?;
        let listed = Listed {
            name,
            linked: kind.is_symlink(),
        };
        let why = if kind.is_symlink() {
            // `metadata` follows the link (and the links it leads to) to the end.
            match fs::metadata(item.path()) {
                Ok(target) => not_a_file(&target).map(|why| format!("symbolic link to {why}")),
                Err(e) => Some(broken_link(&item.path(), &e)),
            }
        } else {
            item.metadata()
                .ok()
                .and_then(|meta| not_a_file(&meta))
                .map(str::to_string)
        };
        found.push((listed, why));
    }
    found.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    Ok(found)
}

/// Why `name` is nearly the name of one of the archive's files, written another way: its case
/// (`-Weekly.md`, `.MD`), another separator (`_weekly`), a browser's second download
/// (`-weekly (1).md`), another extension (`.markdown`), white space after it. A backup
/// (`.md.bak`) or a draft (`-draft.md`) is not one.
fn nearly_named(name: &str) -> Option<String> {
    static NEARLY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(\d{4})-(\d{2})-(\d{2})[-_ ]?([sil]?weekly)\b[^.]*\.(?:md|markdown)\s*$")
            .expect("valid regex")
    });
    let caps = NEARLY.captures(name)?;
    let meant = format!(
        "{}-{}-{}-{}.md",
        &caps[1],
        &caps[2],
        &caps[3],
        caps[4].to_lowercase()
    );
    Some(format!(
        "named nearly like one of the archive's files: not read (the archive's name for it is `{meant}`)"
    ))
}

/// Whether `name` is the name of a weekly issue (`2023-05-13-weekly.md`): a folder that holds
/// one is an archive.
pub fn is_issue_name(name: &str) -> bool {
    matches!(classify(name), Name::Dated(_, FileKind::Weekly))
}

/// `YYYY-MM-DD-weekly.md` is a weekly issue; `-sweekly`, `-iweekly` and `-lweekly` are season
/// compilations. A name of that shape whose date is impossible (`2023-02-30`) or not written
/// with four, two and two digits (`2026-7-25`) is named as such: the editor meant it as an
/// issue. Anything else (a README, say) is not part of the archive.
fn classify(name: &str) -> Name {
    static SHAPE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(\d+)-(\d+)-(\d+)-(weekly|sweekly|iweekly|lweekly)\.md$").expect("valid regex")
    });
    let Some(caps) = SHAPE.captures(name) else {
        return nearly_named(name).map_or(Name::Other, Name::Misnamed);
    };
    let kind = match &caps[4] {
        "weekly" => FileKind::Weekly,
        _ => FileKind::Compilation,
    };
    let (year, month, day) = (&caps[1], &caps[2], &caps[3]);
    let written = format!("{year}-{month}-{day}");
    let number = |s: &str| s.parse::<u32>().ok();
    let date = match (number(year), number(month), number(day)) {
        (Some(y), Some(m), Some(d)) => i32::try_from(y)
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, m, d)),
        _ => None,
    };
    let padded = year.len() == 4 && month.len() == 2 && day.len() == 2;
    match date {
        Some(date) if padded => Name::Dated(date, kind),
        Some(date) if (1000..=9999).contains(&chrono::Datelike::year(&date)) => Name::Misnamed(format!(
            "the date `{written}` in the file name is not written YYYY-MM-DD (`{}`)",
            date.format("%Y-%m-%d")
        )),
        Some(_) => Name::Misnamed(format!(
            "the date `{written}` in the file name is not written YYYY-MM-DD"
        )),
        None => Name::Misnamed(format!("`{written}` in the file name is not a date")),
    }
}

/// Reads a file as UTF-8. A file that is not UTF-8 is named with the line of its first bad byte.
/// A leading byte-order mark is dropped, CRLF line ends become LF and the text is composed
/// ([`composed`]: NFC).
pub fn read_text(path: &Path, name: &str) -> Result<String, Diagnostic> {
    let bytes = crate::bounded::read(path, crate::bounded::TEXT)
        .map_err(|e| Diagnostic::file(name, format!("cannot read: {e}")).skipping(Skipped::File))?;
    decode_text(bytes, name)
}

/// [`read_text`] of bytes already read: the fuzz targets feed it what a file could hold.
pub fn decode_text(bytes: Vec<u8>, name: &str) -> Result<String, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            return Err(
                Diagnostic::at(name, line, format!("not UTF-8 (invalid byte at offset {at})"))
                    .skipping(Skipped::File),
            );
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    };
    Ok(composed(text))
}

/// `text` in Unicode NFC: a letter written as a base and a combining mark (`e` + U+0301) becomes
/// the one precomposed letter (`é`), so that both writings give the same titles, keys and words.
/// Canonically equivalent text reads the same, so what is shown is still as written; nothing
/// else is folded (full-width letters stay: the tokenizer's NFKC folds them for terms only).
/// Text already in NFC, all of the archive, is returned as it is.
pub fn composed(text: String) -> String {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    // ASCII, CJK ideographs, Chinese punctuation and full-width forms are NFC whatever stands
    // around them, and nothing composes with them (a mark after one is a character of its own,
    // checked): the check reads the others only, and leaving such a starter out can only make
    // it doubt, never miss a mark.
    let plain = |c: &char| {
        c.is_ascii()
            || matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{2010}'..='\u{2027}' | '\u{3000}'..='\u{3029}' | '\u{FF00}'..='\u{FFEF}')
    };
    if is_nfc_quick(text.chars().filter(|c| !plain(c))) == IsNormalized::Yes {
        return text;
    }
    text.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str) -> Option<FileKind> {
        match classify(name) {
            Name::Dated(_, kind) => Some(kind),
            _ => None,
        }
    }

    #[test]
    fn classifies_weeklies_and_compilations() {
        assert_eq!(kind("2023-05-13-weekly.md"), Some(FileKind::Weekly));
        for name in [
            "2023-12-11-sweekly.md",
            "2024-07-17-iweekly.md",
            "2026-06-07-lweekly.md",
        ] {
            assert_eq!(kind(name), Some(FileKind::Compilation));
        }
        assert_eq!(classify("README.md"), Name::Other);
        assert_eq!(classify("2023-05-13-draft.md"), Name::Other);
        assert_eq!(classify("2023-05-13-weekly.md.bak"), Name::Other);
    }

    #[test]
    fn names_written_nearly_like_an_issue() {
        for name in [
            "2024-07-06-weekly.MD",
            "2024-07-06-Weekly.md",
            "2024-07-06-weekly (1).md",
            "2024-07-06-weekly.md ",
            "2024-07-06_weekly.md",
            "2024-07-06-weekly.markdown",
        ] {
            match classify(name) {
                Name::Misnamed(why) => assert!(why.contains("`2024-07-06-weekly.md`"), "{name}: {why}"),
                other => panic!("{name}: {other:?}"),
            }
        }
        match classify("2024-07-17-Sweekly.md") {
            Name::Misnamed(why) => assert!(why.contains("`2024-07-17-sweekly.md`"), "{why}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(classify("2024-07-06-weekly-draft.md.bak"), Name::Other);
    }

    #[test]
    fn names_impossible_and_unpadded_dates() {
        let why = |name: &str| match classify(name) {
            Name::Misnamed(why) => why,
            other => panic!("{name}: {other:?}"),
        };
        assert_eq!(
            why("2023-02-30-weekly.md"),
            "`2023-02-30` in the file name is not a date"
        );
        assert_eq!(
            why("2023-13-40-sweekly.md"),
            "`2023-13-40` in the file name is not a date"
        );
        assert_eq!(
            why("2026-7-25-weekly.md"),
            "the date `2026-7-25` in the file name is not written YYYY-MM-DD (`2026-07-25`)"
        );
        assert_eq!(
            why("23-05-13-weekly.md"),
            "the date `23-05-13` in the file name is not written YYYY-MM-DD"
        );
        assert!(why("2023-005-013-weekly.md").contains("(`2023-05-13`)"));
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

    #[test]
    fn a_decomposed_letter_is_read_as_the_precomposed_one() {
        let decomposed = "## Cafe\u{301} 与 Re\u{301}sume\u{301}\r\n1、[Cre\u{300}me](https://x.example/é)\n";
        let text = decode_text(decomposed.as_bytes().to_vec(), "x.md").expect("UTF-8");
        assert_eq!(text, "## Café 与 Résumé\n1、[Crème](https://x.example/é)\n");
        // Text already composed, full-width letters among it, is kept as written.
        let written = "\u{feff}Ｐｙｔｈｏｎ：Café，咖啡 ①\n";
        assert_eq!(
            decode_text(written.as_bytes().to_vec(), "x.md").expect("UTF-8"),
            &written[3..]
        );
    }
}
