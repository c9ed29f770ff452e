//! The development set of `related` (issue 16): pairs of a query entry and an earlier entry it is
//! related to, found in the archive's own evidence ([`mine`]), kept in `tests/devset/` as a TSV
//! file of entry ids ([`read`], [`render`]), and the measures of a ranking against them
//! ([`score`]). It sits beside the pipeline, not in it: nothing the commands print depends on it.
//!
//! The file holds ids, evidence kinds and the part of each query, never the archive's text.

pub mod mine;
pub mod score;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::model::EntryId;

/// The set file's header line: its columns.
pub const HEADER: &str = "query\trelevant\tevidence\tpart";

/// Why a pair is in the set: the archive's evidence that the two entries are about the same thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Evidence {
    /// The editor says so: 上期 / 第 N 期 / 之前 … 分享过 in the later entry's text, naming the
    /// earlier one.
    CrossRef,
    /// A link inside the later entry (a `（附：…）` link or any other) goes to the earlier
    /// entry's title link.
    Link,
    /// The same resource shared twice: the same canonical URL as the title link.
    Url,
    /// The same GitHub repository (its root) as the title link of both.
    Repo,
    /// The same PEP number in both titles.
    Pep,
    /// The same project: a repository or package name one entry is about, written in the
    /// other's title.
    Project,
}

impl Evidence {
    pub const ALL: [Evidence; 6] = [
        Evidence::CrossRef,
        Evidence::Link,
        Evidence::Url,
        Evidence::Repo,
        Evidence::Pep,
        Evidence::Project,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::CrossRef => "crossref",
            Evidence::Link => "link",
            Evidence::Url => "url",
            Evidence::Repo => "repo",
            Evidence::Pep => "pep",
            Evidence::Project => "project",
        }
    }
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Evidence {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Evidence::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| format!("unknown evidence kind `{s}`"))
    }
}

/// Which part of the set a query belongs to. The held-out part is measured and reported, never
/// tuned on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    Dev,
    HeldOut,
}

impl Part {
    pub const ALL: [Part; 2] = [Part::Dev, Part::HeldOut];

    /// The part of a query: held out when its issue number is a multiple of 3 (a third of the
    /// issues, spread evenly over the years and both formats), dev otherwise.
    pub fn of(query: EntryId) -> Part {
        if query.issue.is_multiple_of(3) {
            Part::HeldOut
        } else {
            Part::Dev
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Part::Dev => "dev",
            Part::HeldOut => "held-out",
        }
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Part {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Part::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| format!("unknown part `{s}` (dev or held-out)"))
    }
}

/// One line of the set: a query, an earlier entry relevant to it, and every kind of evidence
/// that says so (at least one, in [`Evidence`] order).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pair {
    pub query: EntryId,
    pub relevant: EntryId,
    pub evidence: Vec<Evidence>,
    pub part: Part,
}

/// A set file that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Line {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// The set as its file holds it: the header, then one line per pair, sorted.
pub fn render(pairs: &[Pair]) -> String {
    let mut sorted = pairs.to_vec();
    sorted.sort();
    let mut out = format!("{HEADER}\n");
    for p in &sorted {
        let evidence: Vec<&str> = p.evidence.iter().map(|e| e.as_str()).collect();
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            p.query,
            p.relevant,
            evidence.join(","),
            p.part
        ));
    }
    out
}

/// Reads a set file written by [`render`]. A line whose part is not the one [`Part::of`] gives
/// its query is an error: the split is a rule, not a choice per line.
pub fn read(path: &Path) -> Result<Vec<Pair>, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(path, &text)
}

fn parse(path: &Path, text: &str) -> Result<Vec<Pair>, Error> {
    let bad = |line: usize, message: String| Error::Line {
        path: path.to_path_buf(),
        line,
        message,
    };
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    match lines.next() {
        Some((_, HEADER)) => {}
        Some((n, other)) => return Err(bad(n, format!("expected the header `{HEADER}`, found `{other}`"))),
        None => return Err(bad(1, format!("empty file, expected the header `{HEADER}`"))),
    }
    let mut pairs = Vec::new();
    for (n, line) in lines.filter(|(_, l)| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [query, relevant, evidence, part] = fields[..] else {
            return Err(bad(
                n,
                format!("expected 4 tab-separated fields, found {}", fields.len()),
            ));
        };
        let query: EntryId = query.parse().map_err(|e| bad(n, e))?;
        let relevant: EntryId = relevant.parse().map_err(|e| bad(n, e))?;
        let evidence = evidence
            .split(',')
            .map(str::parse)
            .collect::<Result<Vec<Evidence>, _>>()
            .map_err(|e| bad(n, e))?;
        let part: Part = part.parse().map_err(|e| bad(n, e))?;
        if part != Part::of(query) {
            return Err(bad(
                n,
                format!(
                    "query {query} belongs to part `{}`, not `{part}`",
                    Part::of(query)
                ),
            ));
        }
        if relevant.issue >= query.issue {
            return Err(bad(n, format!("{relevant} is not from an issue before {query}")));
        }
        pairs.push(Pair {
            query,
            relevant,
            evidence,
            part,
        });
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Category;

    fn id(issue: u32, position: u32) -> EntryId {
        EntryId {
            issue,
            category: Category::Article,
            position,
        }
    }

    #[test]
    fn a_third_of_the_issues_is_held_out() {
        assert_eq!(Part::of(id(3, 1)), Part::HeldOut);
        assert_eq!(Part::of(id(4, 1)), Part::Dev);
        let held = (1..=159).filter(|&i| Part::of(id(i, 1)) == Part::HeldOut).count();
        assert_eq!(held, 53);
    }

    #[test]
    fn the_file_round_trips_sorted() {
        let pairs = vec![
            Pair {
                query: id(5, 2),
                relevant: id(1, 1),
                evidence: vec![Evidence::Url, Evidence::Project],
                part: Part::Dev,
            },
            Pair {
                query: id(3, 1),
                relevant: id(2, 4),
                evidence: vec![Evidence::CrossRef],
                part: Part::HeldOut,
            },
        ];
        let text = render(&pairs);
        assert_eq!(
            text,
            "query\trelevant\tevidence\tpart\n\
             3:article:1\t2:article:4\tcrossref\theld-out\n\
             5:article:2\t1:article:1\turl,project\tdev\n"
        );
        let mut sorted = pairs.clone();
        sorted.sort();
        assert_eq!(parse(Path::new("set.tsv"), &text).expect("parses"), sorted);
    }

    #[test]
    fn a_bad_line_is_named() {
        let path = Path::new("set.tsv");
        let wrong_part = format!("{HEADER}\n4:article:1\t2:article:1\turl\theld-out\n");
        let err = parse(path, &wrong_part).expect_err("4 is dev").to_string();
        assert!(
            err.starts_with("set.tsv:2: query 4:article:1 belongs to part `dev`"),
            "{err}"
        );
        let later = format!("{HEADER}\n4:article:1\t4:article:2\turl\tdev\n");
        let err = parse(path, &later).expect_err("same issue").to_string();
        assert!(err.contains("not from an issue before"), "{err}");
        let kind = format!("{HEADER}\n4:article:1\t2:article:1\tvibes\tdev\n");
        let err = parse(path, &kind).expect_err("unknown kind").to_string();
        assert!(err.contains("unknown evidence kind `vibes`"), "{err}");
        let err = parse(path, "query\n").expect_err("header").to_string();
        assert!(err.starts_with("set.tsv:1: expected the header"), "{err}");
    }
}
