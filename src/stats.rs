//! Per-issue statistics: what was parsed against what each issue says of itself, and how much of
//! it found its translation. Read from the store; rendered as a table or as JSON.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::model::{Category, CategoryCounts, Entry, Issue, Translation};

/// A known disagreement between an issue's intro and its list, confirmed by reading the issue.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Erratum {
    pub issue: u32,
    pub category: String,
    pub stated: u32,
    pub listed: u32,
    pub reason: String,
}

/// The errata of the real archive (`data/errata.toml`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Errata {
    #[serde(default)]
    count: Vec<Erratum>,
}

impl Errata {
    /// The errata shipped with weeklens.
    pub fn builtin() -> Errata {
        Errata::parse(include_str!("../data/errata.toml")).unwrap_or_default()
    }

    pub fn parse(text: &str) -> Result<Errata, toml::de::Error> {
        toml::from_str(text)
    }

    fn find(&self, issue: u32, category: Category, stated: u32, listed: u32) -> Option<&Erratum> {
        self.count.iter().find(|e| {
            e.issue == issue && e.category == category.as_str() && e.stated == stated && e.listed == listed
        })
    }
}

/// Whether an issue's parsed counts agree with the counts its intro states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "reason", rename_all = "snake_case")]
pub enum Check {
    /// The intro states no counts.
    Unstated,
    /// Every stated count is met.
    Ok,
    /// A count differs, and the issue's own numbering shows why.
    Explained(String),
    /// A count differs and nothing in the issue explains it.
    Off(String),
}

impl Check {
    pub fn label(&self) -> &'static str {
        match self {
            Check::Unstated => "-",
            Check::Ok => "ok",
            Check::Explained(_) => "explained",
            Check::Off(_) => "OFF",
        }
    }

    pub fn reason(&self) -> &str {
        match self {
            Check::Explained(r) | Check::Off(r) => r,
            Check::Unstated | Check::Ok => "",
        }
    }
}

/// One row of `weeklens stats`.
#[derive(Debug, Clone, Serialize)]
pub struct IssueStats {
    pub issue: u32,
    pub date: String,
    pub format: &'static str,
    pub source: String,
    #[serde(flatten)]
    pub counts: PerCategory,
    pub withdrawn: u32,
    pub filled: u32,
    pub translation: Translation,
    /// Share of the issue's entries paired with the translation, 0 to 1.
    pub paired: f64,
    pub check: Check,
}

/// Entry counts per category, by name (how JSON shows them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PerCategory {
    pub article: u32,
    pub project: u32,
    pub media: u32,
    pub discussion: u32,
    pub book: u32,
    pub other: u32,
}

impl PerCategory {
    fn add(&mut self, counts: &CategoryCounts) {
        self.article += counts.get(Category::Article);
        self.project += counts.get(Category::Project);
        self.media += counts.get(Category::Media);
        self.discussion += counts.get(Category::Discussion);
        self.book += counts.get(Category::Book);
        self.other += counts.get(Category::Other);
    }

    fn of(counts: &CategoryCounts) -> PerCategory {
        let mut out = PerCategory::default();
        out.add(counts);
        out
    }
}

/// The whole of `weeklens stats`.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub issues: Vec<IssueStats>,
    pub totals: Totals,
    /// Files skipped or read with warnings at build time.
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    pub issues: u32,
    pub entries: u32,
    #[serde(flatten)]
    pub counts: PerCategory,
    pub withdrawn: u32,
    pub filled: u32,
    pub paired: f64,
    pub issues_off: u32,
    pub issues_explained: u32,
}

impl Stats {
    /// True when an issue is off or a file had problems: what `--strict` fails on.
    pub fn has_problems(&self) -> bool {
        self.totals.issues_off > 0 || !self.warnings.is_empty()
    }
}

pub fn compute(issues: &[Issue], entries: &[Entry], errata: &Errata, warnings: Vec<Diagnostic>) -> Stats {
    let mut totals = Totals::default();
    let mut paired_entries = 0u32;
    let mut by_issue: std::collections::HashMap<u32, Vec<&Entry>> = std::collections::HashMap::new();
    for entry in entries {
        by_issue.entry(entry.issue).or_default().push(entry);
    }
    let rows: Vec<IssueStats> = issues
        .iter()
        .map(|issue| {
            let own = by_issue.get(&issue.number).map(Vec::as_slice).unwrap_or_default();
            let check = check(issue, own, errata);
            let live = issue.counts.total();
            totals.issues += 1;
            totals.entries += live;
            totals.counts.add(&issue.counts);
            totals.withdrawn += issue.withdrawn;
            totals.filled += issue.filled;
            paired_entries += issue.paired;
            match check {
                Check::Off(_) => totals.issues_off += 1,
                Check::Explained(_) => totals.issues_explained += 1,
                _ => {}
            }
            IssueStats {
                issue: issue.number,
                date: issue.date.to_string(),
                format: issue.format.as_str(),
                source: issue.source.clone(),
                counts: PerCategory::of(&issue.counts),
                withdrawn: issue.withdrawn,
                filled: issue.filled,
                translation: issue.translation,
                paired: share(issue.paired, live),
                check,
            }
        })
        .collect();
    totals.paired = share(paired_entries, totals.entries);
    Stats {
        issues: rows,
        totals,
        warnings,
    }
}

fn share(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        0.0
    } else {
        // Rounded so that JSON output does not carry float noise.
        (f64::from(part) / f64::from(whole) * 1000.0).round() / 1000.0
    }
}

/// Compares each stated count with the parsed one and, where they differ, looks for the reason in
/// the issue's own numbering, then in the errata.
pub fn check(issue: &Issue, entries: &[&Entry], errata: &Errata) -> Check {
    if issue.stated.is_empty() {
        return Check::Unstated;
    }
    let mut explained = Vec::new();
    let mut off = Vec::new();
    for category in Category::ALL {
        match check_category(issue, entries, errata, category) {
            Some(Count::Explained(why)) => explained.push(why),
            Some(Count::Off(why)) => off.push(why),
            None => {}
        }
    }
    match (off.is_empty(), explained.is_empty()) {
        (true, true) => Check::Ok,
        (true, false) => Check::Explained(explained.join("; ")),
        (false, _) => {
            off.extend(explained);
            Check::Off(off.join("; "))
        }
    }
}

/// The categories where an issue lists fewer entries than its intro states and nothing explains
/// it, each as `article: states 12, lists 6`: what a file cut short looks like. A build warns
/// about them.
pub fn shortfalls(issue: &Issue, entries: &[&Entry], errata: &Errata) -> Vec<String> {
    Category::ALL
        .into_iter()
        .filter(|&c| {
            issue
                .stated
                .get(c)
                .is_some_and(|stated| issue.counts.get(c) < stated)
        })
        .filter_map(|c| match check_category(issue, entries, errata, c) {
            Some(Count::Off(why)) => Some(why),
            _ => None,
        })
        .collect()
}

/// How one category's parsed count stands against the stated one.
enum Count {
    Explained(String),
    Off(String),
}

/// One category of [`check`]: `None` when the intro states no count for it or the counts agree.
fn check_category(issue: &Issue, entries: &[&Entry], errata: &Errata, category: Category) -> Option<Count> {
    let stated = issue.stated.get(category)?;
    let parsed = issue.counts.get(category);
    if stated == parsed {
        return None;
    }
    let own: Vec<&&Entry> = entries.iter().filter(|e| e.category == category).collect();
    let mut numbers: Vec<u32> = own.iter().filter_map(|e| e.number).collect();
    let withdrawn = own.iter().filter(|e| e.withdrawn).count() as u32;
    numbers.sort_unstable();
    let highest = numbers.last().copied().unwrap_or(0);
    let repeated = repeats(&numbers);
    let skipped = gaps(&numbers);
    let mut why = format!("{category}: states {stated}, lists {parsed}");
    let mut notes = Vec::new();
    if withdrawn > 0 {
        notes.push(format!("{withdrawn} withdrawn"));
    }
    if !repeated.is_empty() {
        notes.push(format!("number {} printed twice", join(&repeated)));
    }
    if !skipped.is_empty() {
        notes.push(format!("number {} skipped", join(&skipped)));
    }
    if !notes.is_empty() {
        let _ = write!(why, " ({})", notes.join(", "));
    }
    // The stated count matches the list as printed: the highest number, or the live entries
    // plus the withdrawn ones.
    Some(if stated == highest || stated == parsed + withdrawn {
        Count::Explained(why)
    } else if let Some(erratum) = errata.find(issue.number, category, stated, parsed) {
        Count::Explained(format!("{why}: {}", erratum.reason))
    } else {
        Count::Off(why)
    })
}

fn repeats(sorted: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = sorted.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]).collect();
    out.dedup();
    out
}

fn gaps(sorted: &[u32]) -> Vec<u32> {
    let mut out = Vec::new();
    let mut expected = 1;
    for &n in sorted {
        while expected < n {
            out.push(expected);
            expected += 1;
        }
        expected = expected.max(n + 1);
    }
    out
}

/// What the table's reason says of a translation, `None` when it is paired.
fn translation_note(state: Translation) -> Option<&'static str> {
    match state {
        Translation::Present => None,
        Translation::Missing => Some("no translation"),
        Translation::Empty => Some("the translation is empty"),
        Translation::Untranslated => Some("the translation is left in Chinese"),
        Translation::Foreign => Some("the translation is not in English"),
    }
}

fn join(numbers: &[u32]) -> String {
    numbers.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

/// The stats as an aligned text table, then the totals and the warnings (reasons and warnings,
/// which quote file names and text, stripped of control characters).
pub fn render_table(stats: &Stats) -> String {
    use crate::escape::terminal;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>5}  {:<10}  {:<11}  {:>4} {:>4} {:>4} {:>4} {:>4} {:>4}  {:>4}  {:>6}  {:<9}  reason",
        "issue", "date", "format", "art", "proj", "med", "disc", "book", "oth", "fill", "paired", "check"
    );
    for row in &stats.issues {
        let _ = writeln!(
            out,
            "{:>5}  {:<10}  {:<11}  {:>4} {:>4} {:>4} {:>4} {:>4} {:>4}  {:>4}  {:>5.0}%  {:<9}  {}",
            row.issue,
            row.date,
            row.format,
            row.counts.article,
            row.counts.project,
            row.counts.media,
            row.counts.discussion,
            row.counts.book,
            row.counts.other,
            row.filled,
            row.paired * 100.0,
            row.check.label(),
            terminal(
                &[
                    row.check.reason(),
                    translation_note(row.translation).unwrap_or("")
                ]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("; ")
            ),
        );
    }
    let t = &stats.totals;
    let _ = writeln!(
        out,
        "{:>5}  {:<10}  {:<11}  {:>4} {:>4} {:>4} {:>4} {:>4} {:>4}  {:>4}  {:>5.0}%",
        "total",
        "",
        format!("{} issues", t.issues),
        t.counts.article,
        t.counts.project,
        t.counts.media,
        t.counts.discussion,
        t.counts.book,
        t.counts.other,
        t.filled,
        t.paired * 100.0
    );
    let _ = writeln!(
        out,
        "\n{} entries ({} withdrawn placeholders not counted); {} issue(s) differ from their stated \
         counts for the reason shown; {} issue(s) off",
        t.entries, t.withdrawn, t.issues_explained, t.issues_off
    );
    let _ = writeln!(
        out,
        "fill: entries filled in from a season compilation; paired: entries paired with the English \
         translation; check: the counts against those the intro states (ok: they agree; explained: \
         they differ for the reason shown; OFF: they differ for no known reason; -: none stated); \
         reason: why, and the translation where there is none to pair"
    );
    if !stats.warnings.is_empty() {
        let _ = writeln!(out, "\n{} warning(s) at build time:", stats.warnings.len());
        for w in &stats.warnings {
            let _ = writeln!(out, "  {}", terminal(&w.to_string()));
        }
    }
    out
}

pub fn render_json(stats: &Stats) -> String {
    serde_json::to_string_pretty(stats).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_errata_parse() {
        let errata = Errata::parse(include_str!("../data/errata.toml")).expect("valid errata");
        assert!(!errata.count.is_empty());
        for e in &errata.count {
            assert!(e.category.parse::<Category>().is_ok(), "{e:?}");
        }
    }

    #[test]
    fn gaps_and_repeats_in_numbering() {
        assert_eq!(gaps(&[1, 2, 4, 6]), vec![3, 5]);
        assert_eq!(repeats(&[1, 2, 2, 3, 3, 3]), vec![2, 3]);
        assert!(gaps(&[1, 2, 3]).is_empty());
    }
}
