//! Trends as terminal text and JSON.

use std::fmt::Write as _;

use super::shares::share;
use super::window::{Scored, TermText, Trends, FALLING_EXPECTED, FALLING_Z, RISING_Z};

pub(super) fn percent(n: u32, of: u32) -> f64 {
    share(n, of) * 100.0
}

pub(super) fn render_list(out: &mut String, title: &str, kind: &str, items: &[Scored], trends: &Trends) {
    let _ = writeln!(out, "{title}");
    if items.is_empty() {
        let _ = writeln!(out, "  (none)");
        return;
    }
    let _ = writeln!(
        out,
        "  {:>6}  {:>6}  {:>6}  {:>6}  {:>7}  {:>6}  {}",
        "z",
        "delta",
        "window",
        "win%",
        "before",
        "bef%",
        if kind == "topic" { "id  topic" } else { kind }
    );
    for s in items {
        // A topic by its id and label, and its label in the window; a term with its burst.
        let mut item = match s.topic {
            Some(id) => format!("{id:>2}  {}", s.item),
            None => s.shown(),
        };
        if let Some(label) = &s.window_label {
            let _ = write!(item, "  [in the window: {label}]");
        }
        if let Some(b) = &s.burst {
            let _ = write!(item, "  {}", burst_text(b));
        }
        // Terms and topic labels come from the archive's text: shown without control characters.
        let item = crate::escape::terminal(&item);
        let _ = writeln!(
            out,
            "  {:>6.2}  {:>6.2}  {:>6}  {:>5.1}%  {:>7}  {:>5.1}%  {item}",
            s.score.z,
            s.score.delta,
            s.window,
            percent(s.window, trends.window.entries),
            s.before,
            percent(s.before, trends.before.entries),
        );
    }
}

/// `n` and the noun, plural unless `n` is 1 (`1 issue`, `2 entries`).
fn counted(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        (_, None) => format!("{n} {noun}s"),
    }
}

/// The table `weeklens trends` prints.
pub fn render_table(trends: &Trends) -> String {
    let mut out = String::new();
    let w = &trends.window;
    let b = &trends.before;
    for (label, side) in [("window", w), ("before", b)] {
        let span = if side.first_issue == side.last_issue {
            format!("#{} ({})", side.first_issue, side.first_date)
        } else {
            format!(
                "#{}–#{} ({} – {})",
                side.first_issue, side.last_issue, side.first_date, side.last_date
            )
        };
        // Every entry, as the stories' shares count them; the terms count a re-share once.
        let _ = write!(
            out,
            "{label}: {span}, {} ({} title-only), {}",
            counted(side.issues, "issue"),
            side.titles_only,
            counted(side.entries + side.reshares, "entry")
        );
        let _ = match side.reshares {
            0 => writeln!(out),
            n => writeln!(
                out,
                " ({n} re-share one earlier in the window; the terms count each piece once: {})",
                side.entries
            ),
        };
    }
    if !trends.formats_comparable {
        let _ = writeln!(
            out,
            "note: the window and the issues before it differ in format (title-only against full \
             descriptions): terms are counted in the titles, which both have"
        );
    }
    render_stories(&mut out, trends);
    let _ = writeln!(
        out,
        "scores: log-odds ratio with an informative Dirichlet prior (Monroe et al. 2008); \
         window/before: entries holding the term or in the topic, win%/bef%: of all entries"
    );
    for (kind, movers) in [("term", &trends.terms), ("topic", &trends.topics)] {
        let from = match (kind, trends.terms_from) {
            ("term", TermText::Titles) => ", in the titles",
            ("term", TermText::Full) => ", in titles and descriptions",
            _ => "",
        };
        let _ = writeln!(
            out,
            "\n{kind}s{from}: alpha0 {}, counted {} times in the window, {} before",
            movers.alpha0, movers.window_total, movers.before_total
        );
        render_list(
            &mut out,
            &format!(
                "rising {kind}s (z ≥ {RISING_Z}, in ≥ {} of the window's entries)",
                trends.min_new
            ),
            kind,
            &movers.rising,
            trends,
        );
        render_list(
            &mut out,
            &format!("new {kind}s (none before, ≥ {} in the window)", trends.min_new),
            kind,
            &movers.new,
            trends,
        );
        render_list(
            &mut out,
            &format!(
                "falling {kind}s (z ≤ −{FALLING_Z}, expected in ≥ {FALLING_EXPECTED} of the window's \
                 entries at the rate before it)"
            ),
            kind,
            &movers.falling,
            trends,
        );
    }
    out
}

pub(super) fn burst_text(b: &crate::bursts::Burst) -> String {
    if b.ongoing {
        // Ongoing at the window's last issue, which a window ending before the latest is not.
        format!(
            "(burst since #{}, still going at #{})",
            b.since_issue, b.until_issue
        )
    } else {
        format!("(burst #{}–#{})", b.since_issue, b.until_issue)
    }
}

/// The stories, first in the table: each with its names, size, span, what it continues and its
/// entries with their titles.
pub(super) fn render_stories(out: &mut String, trends: &Trends) {
    let _ = writeln!(
        out,
        "\nstories: entries of the window about one development (tied by the related rows, \
         shared URLs, titles and PEPs); {} found",
        trends.stories.len()
    );
    for (n, story) in trends.stories.iter().enumerate() {
        let name = if story.name_zh == story.name {
            story.name.clone()
        } else {
            format!("{} / {}", story.name_zh, story.name)
        };
        // As many entries as the lines below; a re-share of a piece among them said apart.
        let reshared = match story.entries.len().saturating_sub(story.distinct as usize) {
            0 => String::new(),
            1 => "1 a re-share; ".to_string(),
            k => format!("{k} re-shares; "),
        };
        let _ = writeln!(
            out,
            "  {}. {}  — {} entries ({}{:.1}% of the window), #{}–#{} in {} issues",
            n + 1,
            crate::escape::terminal(&name),
            story.entries.len(),
            reshared,
            story.share * 100.0,
            story.first_issue,
            story.last_issue,
            story.issues
        );
        if let Some(b) = &story.burst {
            let _ = writeln!(
                out,
                "     {} {}",
                crate::escape::terminal(&story.terms[0]),
                burst_text(b)
            );
        }
        if let Some(first) = story.continues.first() {
            let ids: Vec<String> = story.continues.iter().map(ToString::to_string).collect();
            let _ = writeln!(out, "     continues since #{}: {}", first.issue, ids.join(", "));
        }
        for (id, title) in story.entries.iter().zip(&story.titles) {
            let _ = writeln!(
                out,
                "     {:<20} {}",
                id.to_string(),
                crate::escape::terminal(title)
            );
        }
    }
}

pub fn render_json(trends: &Trends) -> String {
    serde_json::to_string_pretty(trends).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn one_is_singular_and_the_rest_plural() {
        assert_eq!(counted(1u32, "issue"), "1 issue");
        assert_eq!(counted(12u32, "issue"), "12 issues");
        assert_eq!(counted(1u32, "entry"), "1 entry");
        assert_eq!(counted(0u32, "entry"), "0 entries");
    }
}
