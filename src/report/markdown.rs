//! The report as markdown. Archive text enters it through [`crate::escape`] only.

use std::fmt::Write as _;

use super::sections::ratio;
use super::{EntryRef, Report};
use crate::escape::{markdown_link, markdown_text};
use crate::model::Category;

fn entry_line(e: &EntryRef) -> String {
    format!(
        "{} — #{} {} ({})",
        markdown_link(&e.title, e.url.as_deref()),
        e.id.issue,
        e.id.category,
        e.date
    )
}

fn percent(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// The report as markdown; charts are referenced as `<file>.svg` beside it. Archive text enters it
/// through [`crate::escape`] only, so `<script>` stays text in the HTML rendered from it too.
pub fn render_markdown(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", markdown_text(&report.title));
    let _ = writeln!(
        out,
        "Issues #{}–#{} ({} issues, {} to {}).\n",
        report.first_issue, report.last_issue, report.issues, report.first_date, report.last_date
    );

    out.push_str("## Entries by category\n\n| category | entries |\n|---|---:|\n");
    for c in Category::ALL {
        let n = report.counts.get(c);
        if n > 0
            || matches!(
                c,
                Category::Article | Category::Project | Category::Media | Category::Discussion
            )
        {
            let _ = writeln!(out, "| {c} | {n} |");
        }
    }
    let _ = writeln!(out, "| **total** | **{}** |\n", report.counts.total());

    out.push_str("## Charts\n\n");
    for c in &report.charts {
        let _ = writeln!(out, "![{}]({}.svg)\n", markdown_text(&c.chart.title), c.file);
    }

    out.push_str("## Topics of the window\n\n");
    for t in &report.topics {
        let _ = writeln!(
            out,
            "### {} (topic {})\n\n{} entries, {} of the window ({} before it).\n",
            markdown_text(&t.label),
            t.id,
            t.entries,
            percent(t.share),
            percent(t.share_before)
        );
        for e in &t.representatives {
            let _ = writeln!(out, "- {}", entry_line(e));
        }
        out.push('\n');
    }

    out.push_str("## Rising and new themes\n\n");
    match &report.trends {
        None => out.push_str(
            "The window starts with the first issue: there is nothing earlier to compare it with.\n\n",
        ),
        Some(t) => {
            let _ = writeln!(
                out,
                "Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008) of the window \
                 ({} entries) against the {} issues before it ({} entries); counts are entries.\n",
                t.window.entries, t.before.issues, t.before.entries
            );
            for (title, list) in [
                ("Rising terms", &t.terms.rising),
                ("New terms", &t.terms.new),
                ("Falling terms", &t.terms.falling),
                ("Rising topics", &t.topics.rising),
                ("Falling topics", &t.topics.falling),
                ("New topics", &t.topics.new),
            ] {
                if list.is_empty() {
                    continue;
                }
                let _ = writeln!(
                    out,
                    "### {title}\n\n| | z | in window | before |\n|---|---:|---:|---:|"
                );
                for s in list.iter() {
                    let _ = writeln!(
                        out,
                        "| {} | {:.2} | {} | {} |",
                        markdown_text(&s.item),
                        s.score.z,
                        s.window,
                        s.before
                    );
                }
                out.push('\n');
            }
        }
    }

    out.push_str("## Shared twice\n\n");
    if report.reshares.is_empty() {
        out.push_str("No entry of the window repeats an earlier one.\n\n");
    }
    for r in &report.reshares {
        let _ = writeln!(
            out,
            "- {}\n  first shared {}: {} ({})",
            entry_line(&r.later),
            if r.within { "in this window" } else { "before it" },
            entry_line(&r.earlier),
            markdown_text(&r.reasons.join("; "))
        );
    }
    out.push('\n');

    let s = &report.sources;
    let linked = s.english + s.chinese + s.repositories;
    out.push_str("## Sources\n\n");
    let share = |n: u32| percent(ratio(n as usize, linked as usize));
    let _ = writeln!(
        out,
        "Of {linked} linked entries: {} English sources ({}), {} Chinese sources ({}), {} code repositories ({}). \
         A source is Chinese by the editor's marker or its host (Chinese platforms, `.cn`).\n",
        s.english,
        share(s.english),
        s.chinese,
        share(s.chinese),
        s.repositories,
        share(s.repositories)
    );
    out.push_str("| domain | entries |\n|---|---:|\n");
    for (domain, n) in &s.domains {
        let _ = writeln!(out, "| {} | {n} |", markdown_text(domain));
    }
    out.push('\n');

    out.push_str("## Cross-references to earlier issues\n\n");
    if report.cross_refs.is_empty() {
        out.push_str("None.\n");
    }
    for c in &report.cross_refs {
        let _ = writeln!(
            out,
            "- {}\n  ↔ {} (cosine {:.2}; {})",
            entry_line(&c.entry),
            entry_line(&c.earlier),
            c.score,
            markdown_text(&c.shared.join(", "))
        );
    }
    out
}
