//! The most weighted terms of the archive or of a slice of it: what `weeklens terms` prints.
//! Reads the entries' TF-IDF rows from the store.

use std::fmt::Write as _;

use serde::Serialize;

use crate::model::Entry;
use crate::vectorize::{FittedTfIdf, SparseVector};

/// Issues per season, as the editor counts them: season N is issues 30(N−1)+1 … 30N.
pub const SEASON_LENGTH: u32 = 30;

/// The season an issue number belongs to (issue 30 is in S1, 31 in S2).
pub fn season_of(issue: u32) -> u32 {
    issue.saturating_sub(1) / SEASON_LENGTH + 1
}

/// The last season that can hold an issue: issue numbers have at most five digits.
pub const MAX_SEASON: u32 = crate::parse::MAX_ISSUE_NUMBER.div_ceil(SEASON_LENGTH);

/// Which entries to rank terms over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slice {
    All,
    Issue(u32),
    Season(u32),
}

impl Slice {
    pub fn contains(self, issue: u32) -> bool {
        match self {
            Slice::All => true,
            Slice::Issue(n) => issue == n,
            Slice::Season(s) => s >= 1 && (SEASON_LENGTH * (s - 1) + 1..=SEASON_LENGTH * s).contains(&issue),
        }
    }
}

/// A term and how much it weighs in the slice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedTerm {
    pub term: String,
    /// Sum of the term's TF-IDF weights over the slice's entries.
    pub weight: f64,
    /// Entries of the slice that hold the term.
    pub entries: u32,
    /// Entries of the whole archive that hold it.
    pub df: u32,
}

/// The `top` terms of the entries in `slice`, heaviest first (ties by term).
pub fn top_terms(
    fit: &FittedTfIdf,
    entries: &[Entry],
    vectors: &[SparseVector],
    slice: Slice,
    top: usize,
) -> Vec<RankedTerm> {
    let mut weight = vec![0.0f64; fit.terms().len()];
    let mut count = vec![0u32; fit.terms().len()];
    for (entry, vector) in entries.iter().zip(vectors) {
        if entry.withdrawn || !slice.contains(entry.issue) {
            continue;
        }
        for (&i, &w) in vector.indices.iter().zip(&vector.values) {
            weight[i as usize] += f64::from(w);
            count[i as usize] += 1;
        }
    }
    let mut ranked: Vec<RankedTerm> = (0..weight.len())
        .filter(|&i| count[i] > 0)
        .map(|i| RankedTerm {
            term: fit.shown()[i].clone(),
            weight: (weight[i] * 1000.0).round() / 1000.0,
            entries: count[i],
            df: fit.df()[i],
        })
        .collect();
    ranked.sort_by(|a, b| b.weight.total_cmp(&a.weight).then_with(|| a.term.cmp(&b.term)));
    ranked.truncate(top);
    ranked
}

/// What the entries of `slice` are, as the table's first line says it: which issues the store
/// holds of it, how many live entries, and what the columns count.
pub fn describe(slice: Slice, entries: &[Entry]) -> String {
    let (mut count, mut first, mut last) = (0, u32::MAX, 0);
    for e in entries.iter().filter(|e| !e.withdrawn && slice.contains(e.issue)) {
        count += 1;
        first = first.min(e.issue);
        last = last.max(e.issue);
    }
    let first = first.min(last);
    let span = if first == last {
        format!("#{first}")
    } else {
        format!("#{first}–#{last}")
    };
    let what = match slice {
        Slice::All => format!("the whole archive ({span})"),
        Slice::Issue(n) => format!("issue #{n}"),
        Slice::Season(s) => format!(
            "season {s} (issues #{}–#{}; the store holds {span})",
            SEASON_LENGTH * (s - 1) + 1,
            SEASON_LENGTH * s
        ),
    };
    let count = match count {
        1 => "1 entry".to_string(),
        n => format!("{n} entries"),
    };
    format!(
        "terms of {what}, {count}: weight sums the term's TF-IDF weights over them, entries \
         holding it among them, df holding it in the whole archive"
    )
}

/// The terms as terminal text (each stripped of control characters), under `described`
/// ([`describe`]).
pub fn render_table(terms: &[RankedTerm], described: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", crate::escape::terminal(described));
    let _ = writeln!(
        out,
        "{:>4}  {:<28}  {:>8}  {:>7}  {:>6}",
        "rank", "term", "weight", "entries", "df"
    );
    for (k, t) in terms.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:>4}  {}  {:>8.3}  {:>7}  {:>6}",
            k + 1,
            crate::escape::terminal_padded(&t.term, 28),
            t.weight,
            t.entries,
            t.df
        );
    }
    out
}

pub fn render_json(terms: &[RankedTerm]) -> String {
    serde_json::to_string_pretty(terms).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_says_which_issues_and_entries_it_ranks() {
        let stub = |issue: u32, withdrawn: bool| {
            let mut e = Entry::stub(issue, crate::model::Category::Article, 1);
            e.withdrawn = withdrawn;
            e
        };
        let entries = [stub(12, false), stub(31, false), stub(35, false), stub(36, true)];
        let season = describe(Slice::Season(2), &entries);
        assert!(
            season.starts_with("terms of season 2 (issues #31–#60; the store holds #31–#35), 2 entries:"),
            "{season}"
        );
        assert!(describe(Slice::Issue(12), &entries).starts_with("terms of issue #12, 1 entry:"));
        assert!(
            describe(Slice::All, &entries).starts_with("terms of the whole archive (#12–#35), 3 entries:")
        );
        let table = render_table(&[], &season);
        assert_eq!(table.lines().next(), Some(season.as_str()));
    }

    #[test]
    fn seasons_are_thirty_issues() {
        assert!(Slice::Season(1).contains(1) && Slice::Season(1).contains(30));
        assert!(!Slice::Season(1).contains(31));
        assert!(Slice::Season(2).contains(31) && Slice::Season(2).contains(60));
        assert!(!Slice::Season(0).contains(0));
    }
}
