//! A draft of a new issue, in the archive's own format: what `check` and `past-years` read. The
//! draft goes through the same parser as the archive's files.

use std::path::Path;

use chrono::NaiveDate;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::model::Issue;
use crate::parse::{self, ParsedIssue};

/// The English text of a draft entry, from the draft's translation beside it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Translated {
    pub title: String,
    pub description: String,
}

/// A draft whose entries' titles and descriptions have less than this share of Chinese letters
/// is an English draft (on the real archive: at most 1.1% for a translation, at least 36% for an
/// issue).
pub const ENGLISH_CJK_SHARE: f64 = 0.1;

/// A draft issue, read.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The file name, as diagnostics name it.
    pub name: String,
    pub issue: ParsedIssue,
    /// What the parser found wrong; the rest of the draft is still read.
    pub problems: Vec<Diagnostic>,
    /// The draft's English translation, `en/<the same name>` beside it, when there is one.
    pub translation: Option<ParsedIssue>,
}

impl Draft {
    /// Reads and parses the draft at `path`. A file that cannot be read is an error naming it,
    /// and so is a draft in which no entry is found: what `check` and `past-years` would say of
    /// it (nothing shared before, a section of unrelated entries) would look like an answer.
    pub fn read(path: &Path) -> Result<Draft> {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("draft.md")
            .to_string();
        // A draft is refused, not skipped: the fault alone, under the path as given.
        let text = crate::archive::read_text(path, &path.display().to_string())
            .map_err(|d| Error::BadInput(d.fault()))?;
        if let Some(line) = nul_line(&text) {
            return Err(Error::BadInput(Diagnostic::at(
                &path.display().to_string(),
                line,
                "not text: it holds a NUL byte",
            )));
        }
        let mut draft = Draft::from_text(name, &text);
        if draft.issue.entries.is_empty() {
            // What the parser said of the file is the likelier reason (a heading no section is
            // known by, an entry numbered `1000、`).
            let said = draft.problems.first().map(|d| match d.line {
                Some(line) => format!("line {line}: {}", d.message),
                None => d.message.clone(),
            });
            let reason = if text.trim().is_empty() {
                "the file is empty".to_string()
            } else if let Some(said) = said {
                said
            } else {
                "no section heading (## 文章 …) with numbered entries (1、…) was found".to_string()
            };
            return Err(Error::EmptyDraft {
                path: path.to_path_buf(),
                reason,
            });
        }
        match Self::read_translation(path, &draft.name) {
            Ok(translation) => draft.translation = translation,
            Err(problem) => draft.problems.push(problem),
        }
        Ok(draft)
    }

    /// Parses a draft's text, read from the file `name`.
    pub fn from_text(name: String, text: &str) -> Draft {
        let (issue, mut problems) = parse::parse_issue(&name, text);
        // A number no issue can have is said; an unnumbered draft is the issue after the last.
        if issue.number.is_none() && parse::written_issue_number(&issue.title).is_some() {
            problems.push(Diagnostic::file(
                &name,
                format!(
                    "{}: it is read as the issue after the last",
                    parse::issue_number_fault(&issue.title)
                ),
            ));
        }
        problems.extend(numbering(&name, &issue));
        Draft {
            name,
            issue,
            problems,
            translation: None,
        }
    }

    /// The translation `en/<name>` beside the draft at `path`, when there is one. One that is
    /// there but is no file (a pipe would wait for a writer; the user never named it), cannot be
    /// read or holds no entries is said, and is no translation (the check then compares the
    /// Chinese alone).
    fn read_translation(path: &Path, name: &str) -> std::result::Result<Option<ParsedIssue>, Diagnostic> {
        let en = path.parent().unwrap_or(Path::new("")).join("en").join(name);
        let shown = en.display().to_string();
        let not_read =
            |why: &str| Diagnostic::file(&shown, format!("{why}: not read as the draft's translation"));
        match std::fs::metadata(&en) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Ok(meta) if !meta.is_file() => return Err(not_read("not a file")),
            _ => {}
        }
        let text = crate::archive::read_text(&en, &shown).map_err(|d| not_read(&d.message))?;
        let (issue, _) = parse::parse_issue(name, &text);
        if issue.entries.is_empty() {
            return Err(not_read("it holds no entries"));
        }
        Ok(Some(issue))
    }

    /// The English of each of the draft's entries, paired with the translation's entries as the
    /// archive's are (by URL, then category and number).
    pub fn english(&self) -> Vec<Option<Translated>> {
        let Some(en) = &self.translation else {
            return Vec::new();
        };
        crate::ingest::pair(&self.issue.entries, &en.entries)
            .into_iter()
            .map(|found| {
                found.map(|j| Translated {
                    title: en.entries[j].title.clone(),
                    description: en.entries[j].description.clone(),
                })
            })
            .collect()
    }

    /// Whether the draft is written in English: the translation's file (`en/…`) given as the
    /// draft. Told by its entries' titles and descriptions (fewer than [`ENGLISH_CJK_SHARE`] of
    /// their letters Chinese), not by its folder: a Chinese issue's are mostly Chinese even where
    /// its titles are English (#4 and #55 of the real archive), a translation's have none or a
    /// name or two.
    pub fn is_english(&self) -> bool {
        let (mut chinese, mut letters) = (0usize, 0usize);
        for e in self.issue.entries.iter().filter(|e| !e.withdrawn) {
            for c in e
                .title
                .chars()
                .chain(e.description.chars())
                .filter(|c| c.is_alphabetic())
            {
                letters += 1;
                chinese += usize::from(crate::parse::markdown::is_cjk(c));
            }
        }
        letters > 0 && (chinese as f64) < ENGLISH_CJK_SHARE * letters as f64
    }

    /// The Chinese draft an English draft at `path` (`…/en/NAME`) translates: `…/NAME`, when it
    /// can be read and holds entries; `None` for a Chinese draft or one with no original beside.
    pub fn original(&self, path: &Path) -> Option<Draft> {
        if !self.is_english() {
            return None;
        }
        let folder = path.parent()?;
        if folder.file_name()? != "en" {
            return None;
        }
        let zh = folder.parent()?.join(&self.name);
        // Not a pipe or a device: the user named the translation, not this file.
        if !std::fs::metadata(&zh).ok()?.is_file() {
            return None;
        }
        let text = crate::archive::read_text(&zh, &zh.display().to_string()).ok()?;
        let mut original = Draft::from_text(self.name.clone(), &text);
        (!original.issue.entries.is_empty() && !original.is_english()).then(|| {
            original.translation = Some(self.issue.clone());
            original
        })
    }

    /// The draft's number: its title's `#N`, else the one after the last issue of `issues`.
    pub fn number(&self, issues: &[Issue]) -> u32 {
        let after_last = issues.iter().map(|i| i.number).max().unwrap_or(0) + 1;
        self.issue.number.unwrap_or(after_last)
    }

    /// A warning for a new draft dated before the latest of `issues`, or more than a year after
    /// it: a slip in its date or its file name's year (`2025-07-25` for `2026-07-25`) would check
    /// it against other issues and choose another week's 往年回顾. A draft numbered like an
    /// issue of `issues` is `check`'s to warn about.
    pub fn date_warning(&self, date: NaiveDate, issues: &[Issue]) -> Option<Diagnostic> {
        let latest = issues.iter().max_by_key(|i| (i.date, i.number))?;
        let held = self
            .issue
            .number
            .is_some_and(|n| issues.iter().any(|i| i.number == n));
        let (when, or) = if date < latest.date {
            ("before", "")
        } else if (date - latest.date).num_days() > 366 {
            ("more than a year after", ", or is the store out of date")
        } else {
            return None;
        };
        (!held).then(|| {
            Diagnostic::file(
                &self.name,
                format!(
                    "the draft is dated {date}, {when} the latest issue #{} ({}): is its date \
                     (its pubDate, its file name's or the one given) a slip{or}?",
                    latest.number, latest.date
                ),
            )
        })
    }

    /// The draft's date: `given`, else its pubDate, else the date its file name starts with, else
    /// a week after the last issue of `issues`.
    pub fn date(&self, given: Option<NaiveDate>, issues: &[Issue]) -> NaiveDate {
        let from_name = self
            .name
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let after_last = issues.iter().map(|i| i.date).max().unwrap_or_default() + chrono::Days::new(7);
        given.or(self.issue.date).or(from_name).unwrap_or(after_last)
    }
}

/// What a draft's numbering gets wrong, which the editor would want to mend before publishing:
/// a number given twice in one section, and a count its intro states that its sections do not
/// hold (a section the parser does not read, an entry not numbered).
fn numbering(name: &str, issue: &ParsedIssue) -> Vec<Diagnostic> {
    let mut said = Vec::new();
    let mut seen: std::collections::HashMap<(crate::model::Category, u32), usize> =
        std::collections::HashMap::new();
    for e in &issue.entries {
        let Some(number) = e.number else { continue };
        let first = *seen.entry((e.category, number)).or_insert(e.line);
        if first != e.line {
            said.push(Diagnostic::at(
                name,
                e.line,
                format!(
                    "entry number {number} of the {} section is given again (line {first} first, \
                     then line {})",
                    e.category, e.line
                ),
            ));
        }
    }
    for category in crate::model::Category::ALL {
        let Some(stated) = issue.stated.get(category) else {
            continue;
        };
        let held = issue.entries.iter().filter(|e| e.category == category).count();
        if held != stated as usize {
            let at = issue.stated_line.unwrap_or(1);
            said.push(Diagnostic::at(
                name,
                at,
                format!("the intro states {stated} {category} entries, the draft's sections hold {held}"),
            ));
        }
    }
    said
}

/// The line of the first NUL byte in a draft's `text`, if any: no text a draft holds (the command
/// line and serve refuse it alike); left in, the line it stands on is read as nothing, and the
/// draft as one with no section.
pub fn nul_line(text: &str) -> Option<usize> {
    let at = text.find('\0')?;
    Some(text[..at].matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A number no issue can have is said once, and the draft read as the issue after the last.
    #[test]
    fn a_draft_numbered_out_of_range_says_it_once() {
        let text = "# Python 潮流周刊#4294967296：草稿\n\n## 🦄文章&教程\n\n1、[甲](https://a.dev/1)\n";
        let draft = Draft::from_text("d.md".to_string(), text);
        let said: Vec<String> = draft.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            said,
            [
                "d.md: the title's issue number `#4294967296` is not one of 1 to 99999: it is read as \
              the issue after the last"
            ]
        );
        assert_eq!(draft.number(&[]), 1);
        // A `#` with no number after it (`C#`) is no number written: nothing to say.
        let text = text.replace("#4294967296", "C# 与 Python");
        assert!(Draft::from_text("d.md".to_string(), &text).problems.is_empty());
    }
}
