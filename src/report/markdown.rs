//! The report as markdown, in the report's language ([`Words`]). Archive text enters it through
//! [`crate::escape`] only, so `<script>` stays text in the HTML rendered from it too.
//!
//! The order follows the editor's season write-up first — the span, the counts, the typical
//! issue, the bar chart, the shares, the word cloud, the previous season — then what he never
//! had: the other charts, topics, rising and new themes, re-shares, sources, cross-references,
//! and his reader numbers when given.

use std::fmt::Write as _;

use super::compilation::{link_count, COMPILATION_FILE, LINKS_FILE};
use super::i18n::{Msg, Words};
use super::sections::ratio;
use super::{EntryRef, NamedChart, Report};
use crate::escape::{markdown_code, markdown_link, markdown_text};
use crate::model::{Category, CategoryCounts};

fn entry_line(e: &EntryRef, words: Words) -> String {
    let untranslated = if e.untranslated {
        format!(" {}", words.get(Msg::NotTranslated))
    } else {
        String::new()
    };
    format!(
        "{}{untranslated} — #{} {} ({})",
        markdown_link(&e.title, e.url.as_deref()),
        e.id.issue,
        words.category(e.id.category),
        e.date
    )
}

fn percent(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// The categories a list or table shows: those with an entry in any of `counts`, as the editor
/// lists only the categories his season had.
fn listed(counts: &[&CategoryCounts]) -> Vec<Category> {
    Category::ALL
        .into_iter()
        .filter(|&c| counts.iter().any(|n| n.get(c) > 0))
        .collect()
}

fn image(out: &mut String, chart: &NamedChart) {
    let _ = writeln!(
        out,
        "![{}]({}.svg)\n",
        markdown_text(&chart.chart.title),
        chart.file
    );
}

/// The report as markdown; charts are referenced as `<file>.svg` beside it.
pub fn render_markdown(report: &Report) -> String {
    let words = Words::of(report.lang, report.season.is_some());
    let w = |m: Msg| words.get(m);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", markdown_text(&report.title));

    // The editor's summary.
    let _ = writeln!(out, "## {}\n", w(Msg::Summary));
    let _ = writeln!(
        out,
        "{}\n",
        words.span(
            report.season,
            (report.first_issue, report.last_issue),
            (report.first_date, report.last_date),
            report.issues
        )
    );
    let _ = writeln!(out, "{}\n", words.shared_intro());
    let categories = listed(&[&report.counts]);
    for &c in &categories {
        let _ = writeln!(
            out,
            "- {}",
            words.labelled(words.category(c), &words.counted(c, report.counts.get(c)))
        );
    }
    out.push('\n');
    let p = &report.pattern;
    let _ = writeln!(
        out,
        "{}\n",
        words.pattern(&p.shorthand(), p.article, p.project, p.more)
    );
    let chart = |file: &str| report.charts.iter().find(|c| c.file == file);
    if let Some(c) = chart("entries-per-issue") {
        image(&mut out, c);
    }
    let total = report.counts.total() as usize;
    let share = |n: u32| percent(ratio(n as usize, total));
    let _ = writeln!(
        out,
        "{}\n",
        words.shares_sentence(
            &share(report.counts.get(Category::Article)),
            &share(report.counts.get(Category::Project))
        )
    );
    let _ = writeln!(
        out,
        "| {} | {} | {} |\n|---|---:|---:|",
        w(Msg::Category),
        w(Msg::Entries),
        w(Msg::Share)
    );
    for &c in &categories {
        let n = report.counts.get(c);
        let _ = writeln!(out, "| {} | {n} | {} |", words.category(c), share(n));
    }
    let _ = writeln!(
        out,
        "| **{}** | **{}** | |\n",
        w(Msg::Total),
        report.counts.total()
    );
    if let Some(c) = chart("category-share") {
        image(&mut out, c);
    }
    if let Some(c) = chart("wordcloud") {
        let _ = writeln!(out, "{}\n", words.cloud_intro(report.described));
        image(&mut out, c);
    }

    if let Some(prev) = &report.previous {
        let _ = writeln!(out, "## {}\n", w(Msg::Comparison));
        let name = words.previous_name(prev.season, (prev.first_issue, prev.last_issue));
        let _ = writeln!(
            out,
            "{}\n",
            words.comparison_intro(&name, prev.counts.total(), report.counts.total(), prev.running)
        );
        let [c0, c1, c2, c3, c4] = words.comparison_columns();
        let _ = writeln!(
            out,
            "| {c0} | {c1} | {c2} | {c3} | {c4} |\n|---|---:|---:|---:|---:|"
        );
        let before_total = prev.counts.total() as usize;
        for c in listed(&[&report.counts, &prev.counts]) {
            let (b, n) = (prev.counts.get(c), report.counts.get(c));
            let _ = writeln!(
                out,
                "| {} | {b} | {n} | {} | {} |",
                words.category(c),
                percent(ratio(b as usize, before_total)),
                share(n)
            );
        }
        out.push('\n');
        for (title, list) in [(Msg::TopicsGrown, &prev.grown), (Msg::TopicsShrunk, &prev.shrunk)] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "### {}\n\n| {} | {c3} | {c4} |\n|---|---:|---:|",
                w(title),
                w(Msg::Topic)
            );
            for t in list {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    markdown_text(&t.label),
                    percent(t.before),
                    percent(t.now)
                );
            }
            out.push('\n');
        }
    }

    if let Some(c) = &report.compilation {
        // A season of titles only has no link-only edition.
        let links = (link_count(c) > 0).then_some(LINKS_FILE);
        let _ = writeln!(out, "## {}\n", w(Msg::Compilations));
        let _ = writeln!(out, "{}\n", words.compilations_line(COMPILATION_FILE, links));
    }

    // What the editor never had.
    let summary_charts = ["entries-per-issue", "category-share", "wordcloud"];
    let others: Vec<&NamedChart> = report
        .charts
        .iter()
        .filter(|c| !summary_charts.contains(&c.file.as_str()))
        .collect();
    if !others.is_empty() {
        let _ = writeln!(out, "## {}\n", w(Msg::Charts));
        for c in others {
            image(&mut out, c);
        }
    }

    let _ = writeln!(out, "## {}\n", w(Msg::Topics));
    for t in &report.topics {
        let _ = writeln!(
            out,
            "### {}\n\n{}\n",
            markdown_text(&words.topic_heading(&t.label, t.id)),
            words.topic_line(t.entries, &percent(t.share), &percent(t.share_before))
        );
        for e in &t.representatives {
            let _ = writeln!(out, "- {}", entry_line(e, words));
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## {}\n", w(Msg::Themes));
    match &report.trends {
        None => {
            let _ = writeln!(out, "{}\n", w(Msg::ThemesFirst));
        }
        Some(t) => {
            let _ = writeln!(
                out,
                "{}\n",
                words.themes_intro(
                    t.window.entries,
                    t.before.issues,
                    t.before.entries,
                    t.window.entries < report.counts.total()
                )
            );
            let lists = [&t.terms, &t.topics];
            if lists
                .iter()
                .all(|m| m.rising.is_empty() && m.new.is_empty() && m.falling.is_empty())
            {
                let _ = writeln!(out, "{}\n", w(Msg::NoChange));
            }
            for (title, item, list) in [
                (Msg::RisingTerms, Msg::Term, &t.terms.rising),
                (Msg::NewTerms, Msg::Term, &t.terms.new),
                (Msg::FallingTerms, Msg::Term, &t.terms.falling),
                (Msg::RisingTopics, Msg::Topic, &t.topics.rising),
                (Msg::FallingTopics, Msg::Topic, &t.topics.falling),
                (Msg::NewTopics, Msg::Topic, &t.topics.new),
            ] {
                if list.is_empty() {
                    continue;
                }
                let _ = writeln!(
                    out,
                    "### {}\n\n| {} | z | {} | {} |\n|---|---:|---:|---:|",
                    w(title),
                    w(item),
                    w(Msg::InWindow),
                    w(Msg::Before)
                );
                for s in list.iter() {
                    let _ = writeln!(
                        out,
                        "| {} | {:.2} | {} | {} |",
                        markdown_text(&s.shown()),
                        s.score.z,
                        s.window,
                        s.before
                    );
                }
                out.push('\n');
            }
        }
    }
    if let Some(trends) = &report.trends {
        let _ = writeln!(out, "## {}\n", w(Msg::Stories));
        if trends.stories.is_empty() {
            let _ = writeln!(out, "{}\n", w(Msg::NoStories));
        } else {
            let _ = writeln!(out, "{}\n", w(Msg::StoriesIntro));
        }
        for story in &trends.stories {
            let name = match report.lang {
                crate::model::Lang::Zh => &story.name_zh,
                crate::model::Lang::En => &story.name,
            };
            let head = words.story_head(
                name,
                story.entries.len(),
                story.distinct,
                story.share,
                story.first_issue,
                story.last_issue,
            );
            let _ = writeln!(out, "- **{}**", markdown_text(&head));
            if !story.continues.is_empty() {
                let mut earlier: Vec<u32> = story.continues.iter().map(|id| id.issue).collect();
                earlier.dedup();
                let _ = writeln!(out, "  {}", markdown_text(&words.story_continues(&earlier)));
            }
            for (id, title) in story.entries.iter().zip(&story.titles) {
                let _ = writeln!(out, "  - #{} {}", id.issue, markdown_text(title));
            }
        }
        if !trends.stories.is_empty() {
            out.push('\n');
        }
    }

    let _ = writeln!(out, "## {}\n", w(Msg::Reshares));
    if report.reshares.is_empty() {
        let _ = writeln!(out, "{}\n", w(Msg::NoReshares));
    }
    for r in &report.reshares {
        let _ = writeln!(
            out,
            "- {}\n  {}{} {}",
            entry_line(&r.later, words),
            words.first_shared(r.within),
            entry_line(&r.earlier, words),
            words.reasons(&markdown_text(&r.reasons.join(words.reason_separator())))
        );
    }
    out.push('\n');

    let s = &report.sources;
    let linked = s.english + s.chinese + s.repositories;
    let _ = writeln!(out, "## {}\n", w(Msg::Sources));
    if linked == 0 {
        // Title-only seasons: say why instead of an empty table.
        let _ = writeln!(out, "{}\n", words.sources_none(report.title_only));
    } else {
        let share = |n: u32| percent(ratio(n as usize, linked as usize));
        let _ = writeln!(
            out,
            "{}\n",
            words.sources_sentence(
                linked,
                (s.english, &share(s.english)),
                (s.chinese, &share(s.chinese)),
                (s.repositories, &share(s.repositories))
            )
        );
        if s.unlinked > 0 {
            let _ = writeln!(out, "{}\n", words.sources_unlinked(s.unlinked));
        }
        let _ = writeln!(out, "| {} | {} |\n|---|---:|", w(Msg::Domain), w(Msg::Entries));
        for (domain, n) in &s.domains {
            let _ = writeln!(out, "| {} | {n} |", markdown_text(domain));
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## {}\n", w(Msg::CrossRefs));
    if report.cross_refs.is_empty() {
        let _ = writeln!(out, "{}", w(Msg::NoCrossRefs));
    }
    for c in &report.cross_refs {
        let _ = writeln!(
            out,
            "- {}\n  ↔ {} {}",
            entry_line(&c.entry, words),
            entry_line(&c.earlier, words),
            words.reasons(&markdown_text(
                &words.cross_ref_line(c.score, &c.shared.join(words.term_separator()))
            ))
        );
    }

    if let Some((metrics, top)) = &report.reads {
        let _ = writeln!(out, "\n## {}\n", w(Msg::TopReads));
        let file = markdown_code(&metrics.file);
        if top.is_empty() {
            let _ = writeln!(out, "{}", words.no_reads(&file));
        } else {
            let _ = writeln!(out, "{}\n", words.top_reads_intro(&file));
            let _ = write!(
                out,
                "| {} | {} | {} | {} |",
                w(Msg::Rank),
                w(Msg::Issue),
                w(Msg::Title),
                w(Msg::Reads)
            );
            for c in &metrics.columns {
                let _ = write!(out, " {} |", markdown_text(c));
            }
            let _ = writeln!(
                out,
                "\n|---:|---:|---|---:|{}",
                "---:|".repeat(metrics.columns.len())
            );
            for (k, row) in top.iter().enumerate() {
                let title = report
                    .issue_titles
                    .get(&row.issue)
                    .map_or(String::new(), |t| markdown_text(t));
                let _ = write!(out, "| {} | {} | {title} | {} |", k + 1, row.issue, row.reads);
                for v in &row.more {
                    let _ = write!(out, " {v} |");
                }
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_category_without_entries_is_not_listed() {
        let mut now = CategoryCounts::default();
        now.add(Category::Article, 3);
        now.add(Category::Project, 2);
        let mut before = CategoryCounts::default();
        before.add(Category::Media, 1);
        assert_eq!(listed(&[&now]), [Category::Article, Category::Project]);
        // Beside a season that had some, the category stays: it fell to none.
        assert_eq!(
            listed(&[&now, &before]),
            [Category::Article, Category::Project, Category::Media]
        );
    }
}
