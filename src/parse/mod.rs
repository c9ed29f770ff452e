//! Issue files to entries: the second stage, after [`crate::archive`] has read the files.
//!
//! A line scanner finds the block structure the archive uses — front matter, headings (outside
//! fenced code), bold section lines, numbered entry lines and the lines that follow them — and
//! [`markdown`] (pulldown-cmark) reads each entry's text. Links written by reference or as HTML
//! anchors are first written inline (`links`). Nothing here touches the disk, and no
//! input makes it panic: a file it cannot read yields a [`Diagnostic`].

mod cut;
pub mod entry;
pub mod heading;
mod links;
pub mod markdown;
pub mod script;

use std::borrow::Cow;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::diagnostic::{Diagnostic, Skipped};
use crate::model::{Category, CategoryCounts, Lang, Mark, PastLink, StatedCounts};

use entry::{parse_title_line, split_marker, Marker};
use heading::Section;
use markdown::{fold_space, is_cjk, to_plain};

/// An entry as it stands in one file, before it is joined with its translation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedEntry {
    pub category: Category,
    /// 1-based order among the file's entries of the same category.
    pub position: u32,
    pub number: Option<u32>,
    pub title: String,
    pub url: Option<String>,
    pub links: Vec<String>,
    /// The marker the editor wrote, if any.
    pub lang: Option<Lang>,
    pub description: String,
    /// Where the description's links and code spans stand.
    pub marks: Vec<Mark>,
    pub image_alts: Vec<String>,
    pub withdrawn: bool,
    /// 1-based line of the entry's first line.
    pub line: usize,
    /// Printed as ①②③: the title-only summaries.
    pub circled: bool,
}

/// One weekly issue file, read.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedIssue {
    /// The `#N` of the title, when the title has one.
    pub number: Option<u32>,
    pub title: String,
    /// Front matter `pubDate`.
    pub date: Option<NaiveDate>,
    /// The line (1-based) of the `pubDate`.
    pub date_line: Option<usize>,
    /// The counts the intro states ("分享了 12 篇文章，12 个开源项目").
    pub stated: StatedCounts,
    /// 1-based line of the intro's sentence that states the counts.
    pub stated_line: Option<usize>,
    pub entries: Vec<ParsedEntry>,
    /// Share of letters in entry titles that are Chinese: tells an untranslated English file.
    pub cjk_share: f64,
    /// The links of the issue's past-years section (往年回顾 / Looking Back), in order.
    pub past_links: Vec<PastLink>,
    /// Each of those links to an issue (`#N`) with its text as written (`#9: How to Deploy Open
    /// Source Large Language Models Locally?`): how the section names the issue.
    pub past_names: Vec<(u32, String)>,
    /// The past-years section's heading line as written (`## [🐧往年回顾](https://…)`).
    pub past_heading: Option<String>,
}

impl ParsedIssue {
    /// Title-only summaries print their entries as ①②③ with no links.
    pub fn titles_only(&self) -> bool {
        let live = || self.entries.iter().filter(|e| !e.withdrawn);
        live().next().is_some() && live().all(|e| e.circled && e.url.is_none())
    }
}

/// Reads a weekly issue (Chinese or English). Problems that do not stop the reading are returned
/// beside the issue.
pub fn parse_issue(file: &str, text: &str) -> (ParsedIssue, Vec<Diagnostic>) {
    let inlined = links::inline(text);
    let written = lines_as_written(text, matches!(inlined, Cow::Owned(_)));
    let text = &*inlined;
    let mut diagnostics = Vec::new();
    let (front, body_start) = front_matter(text);
    diagnostics.extend(front.unclosed_diagnostic(file));
    let lines: Vec<&str> = text.lines().collect();
    let scan = scan(file, &lines, written.as_deref(), body_start, &mut diagnostics);

    let title = front
        .title
        .clone()
        .or_else(|| scan.title_heading.clone())
        .unwrap_or_default();
    let date = front.date.as_deref().and_then(|d| {
        let parsed = parse_date(d);
        if parsed.is_none() {
            diagnostics.push(Diagnostic::file(
                file,
                format!("pubDate `{d}` is not a date; the file name's date is used"),
            ));
        }
        parsed
    });
    let stated = stated_counts(&scan.intro);
    let stated_line = stated_sentence(&scan.intro).and_then(|m| {
        let before = scan.intro[..m.start()].matches('\n').count();
        scan.intro_lines.get(before).copied()
    });
    diagnostics.extend(cut::cut_short(file, text, scan.ends_in_entry));
    let cjk_share = cjk_share(scan.entries.iter().map(|e| e.title.as_str()));
    (
        ParsedIssue {
            number: issue_number(&title),
            title,
            date,
            date_line: front.date_line,
            stated,
            stated_line,
            entries: scan.entries,
            cjk_share,
            past_links: scan.past_links,
            past_names: scan.past_names,
            past_heading: scan.past_heading,
        },
        diagnostics,
    )
}

/// One issue's block inside a season compilation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledIssue {
    pub number: u32,
    /// The line of the block's heading (1-based), for messages about the block.
    pub line: usize,
    pub entries: Vec<ParsedEntry>,
}

/// Reads a season compilation: blocks opened by a `## N title`, `## [第N期（date）](…)` or `## …#N…` heading, each holding
/// the sections of issue N. Compilations that are plain link lists (no blocks) yield nothing.
pub fn parse_compilation(file: &str, text: &str) -> (Vec<CompiledIssue>, Vec<Diagnostic>) {
    parse_compilation_blocks(file, text, |_| true)
}

/// [`parse_compilation`] for the blocks of the issues `wanted` accepts only: the others are
/// found by their headings and not read further (a build needs the blocks of title-only issues
/// alone).
pub fn parse_compilation_blocks(
    file: &str,
    text: &str,
    wanted: impl Fn(u32) -> bool,
) -> (Vec<CompiledIssue>, Vec<Diagnostic>) {
    let inlined = links::inline(text);
    let written = lines_as_written(text, matches!(inlined, Cow::Owned(_)));
    let text = &*inlined;
    let mut diagnostics = Vec::new();
    let (front, body_start) = front_matter(text);
    diagnostics.extend(front.unclosed_diagnostic(file));
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut open: Option<(u32, usize)> = None;
    let mut fence = Fence::default();
    for (i, line) in lines.iter().enumerate().skip(body_start) {
        if fence.step(line) {
            continue;
        }
        let Some((2, heading)) = heading::atx(line) else {
            continue;
        };
        if let Some((number, start)) = open.take() {
            blocks.push((number, start, i));
        }
        open = block_number(heading).filter(|&n| wanted(n)).map(|n| (n, i + 1));
    }
    if let Some((number, start)) = open {
        blocks.push((number, start, lines.len()));
    }
    let issues = blocks
        .into_iter()
        .map(|(number, start, end)| CompiledIssue {
            number,
            line: start,
            entries: scan(file, &lines[..end], written.as_deref(), start, &mut diagnostics).entries,
        })
        .collect();
    (issues, diagnostics)
}

/// The lines of `text` as the file writes them, when [`links::inline`] wrote its links again
/// (`rewritten`): what a message quotes. The lines stay in place, so line N is line N of both.
fn lines_as_written(text: &str, rewritten: bool) -> Option<Vec<&str>> {
    rewritten.then(|| text.lines().collect())
}

/// `61 PyPI 管理员密钥泄露事件` or `Python 潮流周刊#61：…`: the issue a compilation block holds.
fn block_number(heading: &str) -> Option<u32> {
    static BLOCK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:(\d{1,4})(?:\s|$)|第\s*(\d{1,4})\s*期|.*#\s*(\d{1,4}))").expect("valid regex")
    });
    let plain = to_plain(heading).text;
    let caps = BLOCK.captures(plain.trim())?;
    caps.get(1)
        .or_else(|| caps.get(2))
        .or_else(|| caps.get(3))?
        .as_str()
        .parse()
        .ok()
}

// ---------------------------------------------------------------------------------------------
// The line scanner

#[derive(Debug, Default)]
struct Scan {
    /// A `# ` heading standing for the title in files without front matter.
    title_heading: Option<String>,
    /// Text before the first section: where the intro states its counts.
    intro: String,
    /// The 1-based line of each of the intro's lines.
    intro_lines: Vec<usize>,
    /// The text ends inside an entry that has a description (not a title-only one).
    ends_in_entry: bool,
    entries: Vec<ParsedEntry>,
    past_links: Vec<PastLink>,
    past_names: Vec<(u32, String)>,
    past_heading: Option<String>,
}

/// Where the scanner stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Before any section heading.
    Intro,
    Section(Section),
    /// Under a heading that names no section.
    Unknown,
}

/// An entry whose lines are still being read.
struct OpenEntry<'a> {
    category: Category,
    marker: Option<Marker>,
    head: String,
    body: Vec<&'a str>,
    line: usize,
}

/// Tracks fenced code blocks, inside which nothing is a heading or an entry.
#[derive(Debug, Default)]
struct Fence {
    open: Option<(char, usize)>,
}

impl Fence {
    /// Feeds one line; true when the line belongs to a fence (its delimiters included).
    fn step(&mut self, line: &str) -> bool {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let run = |c: char| trimmed.chars().take_while(|&x| x == c).count();
        match self.open {
            Some((c, len)) => {
                if indent <= 3 && run(c) >= len && trimmed.trim_start_matches(c).trim().is_empty() {
                    self.open = None;
                }
                true
            }
            None if indent <= 3 => {
                for c in ['`', '~'] {
                    let n = run(c);
                    if n >= 3 && !(c == '`' && trimmed[n..].contains('`')) {
                        self.open = Some((c, n));
                        return true;
                    }
                }
                false
            }
            None => false,
        }
    }
}

/// Lines that close a content section without a heading: the editor's promotions and the
/// subscription notes that follow the last entry.
static SECTION_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:>\s*)?🎁|赞赏一下猫哥|赞赏下猫哥|support_pythoncat|wechat_code|周刊实行付费订阅制|订阅后，可免费查看|(?i)^cut through the noise|^after subscribing, you can view|^irregular giveaway",
    )
    .expect("valid regex")
});

/// Reads the entries of `lines` from line `start` on; `written` is the file's lines as written
/// where its links were written again ([`links::inline`]), what a message quotes.
fn scan<'a>(
    file: &str,
    lines: &[&'a str],
    written: Option<&[&str]>,
    start: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Scan {
    let mut out = Scan::default();
    let mut place = Place::Intro;
    let mut open: Option<OpenEntry<'a>> = None;
    let mut positions = CategoryCounts::default();
    let mut fence = Fence::default();
    let mut intro = Vec::new();
    // The prose of a section that has no numbered entry (a book giveaway), with its first line.
    let mut loose: Option<(Category, usize, Vec<&'a str>)> = None;
    // A heading no section is known by, or the line that ended a section (line, text), and the
    // numbered lines after it: they are not read as entries, which is said once that part ends.
    let mut unknown: Option<(usize, &'a str, usize)> = None;
    let say_unread = |unknown: &mut Option<(usize, &str, usize)>, diagnostics: &mut Vec<Diagnostic>| {
        if let Some((line, heading, numbered)) = unknown.take().filter(|u| u.2 > 0) {
            let as_written = written
                .and_then(|w| w.get(line - 1))
                .filter(|w| Some(*w) != lines.get(line - 1))
                .map(|w| heading::atx(w).map_or(w.trim(), |(_, text)| text.trim()));
            diagnostics.push(Diagnostic::at(
                file,
                line,
                format!(
                    "`{}` names no section entries are read from (a section's heading holds one of \
                     {}): the {numbered} numbered line(s) after it are not read as entries",
                    shortened(as_written.unwrap_or(heading)),
                    heading::content_words()
                ),
            ));
        }
    };

    macro_rules! finish {
        () => {{
            close(file, open.take(), &mut positions, &mut out.entries, diagnostics);
            if let Some(entry) = loose
                .take()
                .and_then(|(c, line, body)| loose_entry(c, line, &body))
            {
                close(file, Some(entry), &mut positions, &mut out.entries, diagnostics);
            }
        }};
    }

    for (i, &line) in lines.iter().enumerate().skip(start) {
        let number = i + 1;
        if fence.step(line) {
            if let Some(entry) = open.as_mut() {
                entry.body.push(line);
            }
            continue;
        }
        let heading = heading::atx(line).or_else(|| heading::line_heading(line).map(|text| (2, text)));
        if heading.is_some_and(|(level, _)| level <= 2) {
            say_unread(&mut unknown, diagnostics);
        }
        if let Some((level, text)) = heading {
            if level == 1 && place == Place::Intro && out.title_heading.is_none() {
                // The issue's title, in files without front matter: whatever words it holds.
                out.title_heading = Some(to_plain(text).text);
                continue;
            }
            if let Some(section) = heading::classify(text) {
                finish!();
                // A `###` heading may name a section too: what was not read before it is said.
                say_unread(&mut unknown, diagnostics);
                if section == Section::PastYears && out.past_heading.is_none() {
                    out.past_heading = Some(line.trim().to_string());
                }
                place = Place::Section(section);
                if section == Section::Content(Category::Book) {
                    loose = Some((Category::Book, number, Vec::new()));
                }
                continue;
            }
            if level >= 2 {
                if let Some((marker, rest)) = split_marker(text) {
                    // A special issue lists its items as numbered `##` headings.
                    finish!();
                    let category = match place {
                        Place::Section(Section::Content(c)) => c,
                        _ => Category::Other,
                    };
                    place = Place::Section(Section::Content(category));
                    open = Some(OpenEntry::new(category, marker, rest, number));
                    continue;
                }
            }
            if level <= 2 {
                finish!();
                place = Place::Unknown;
                unknown = Some((number, text, 0));
                continue;
            }
            // A minor heading inside an entry's text is part of that text.
        }
        match place {
            Place::Section(Section::Content(category)) => {
                let (images, rest) = entry::split_leading_images(line);
                if let Some(written) = entry::number_too_long(rest) {
                    diagnostics.push(Diagnostic::at(
                        file,
                        number,
                        format!(
                            "`{written}、` numbers an entry with more than {} digits: the line is not \
                             read as an entry (an issue's entries are numbered from 1)",
                            entry::MARKER_DIGITS
                        ),
                    ));
                }
                if let Some((marker, head)) = split_marker(rest) {
                    if let Some(entry) = open.as_mut() {
                        if !images.is_empty() {
                            entry.body.push(images);
                        }
                    }
                    finish!();
                    open = Some(OpenEntry::new(category, marker, head, number));
                } else if SECTION_END.is_match(line.trim()) && !opens_giveaway(open.as_ref(), loose.as_ref())
                {
                    finish!();
                    place = Place::Unknown;
                    say_unread(&mut unknown, diagnostics);
                    unknown = Some((number, line.trim(), 0));
                } else if let Some(entry) = open.as_mut() {
                    if entry.takes_no_body() && !line.trim().is_empty() {
                        // Title-only entries have no text: what follows them ends the section.
                        finish!();
                        place = Place::Unknown;
                        say_unread(&mut unknown, diagnostics);
                        unknown = Some((number, line.trim(), 0));
                    } else {
                        entry.body.push(line);
                    }
                } else if let Some((_, _, body)) = loose.as_mut() {
                    body.push(line);
                }
                // Otherwise: a section's preamble before its first entry, kept out.
            }
            Place::Intro => {
                intro.push(line);
                out.intro_lines.push(number);
            }
            Place::Section(Section::PastYears) => {
                for link in to_plain(line).links {
                    let issue = issue_number(&link.text);
                    if let Some(issue) = issue {
                        out.past_names.push((issue, link.text.trim().to_string()));
                    }
                    out.past_links.push(PastLink { issue, url: link.url });
                }
            }
            Place::Unknown => {
                if let Some((_, _, numbered)) = unknown.as_mut().filter(|_| split_marker(line).is_some()) {
                    *numbered += 1;
                }
            }
            Place::Section(Section::NotContent) => {}
        }
    }
    say_unread(&mut unknown, diagnostics);
    out.ends_in_entry = open.as_ref().is_some_and(|e| !e.takes_no_body()) || loose.is_some();
    finish!();
    out.intro = intro.join("\n");
    out
}

impl<'a> OpenEntry<'a> {
    fn new(category: Category, marker: Marker, head: &str, line: usize) -> OpenEntry<'a> {
        OpenEntry {
            category,
            marker: Some(marker),
            head: head.to_string(),
            body: Vec::new(),
            line,
        }
    }

    fn takes_no_body(&self) -> bool {
        matches!(self.marker, Some(Marker::Circled(_)))
    }
}

/// Whether a line is the first of a giveaway section's prose (a translation opens it with the
/// words that end a section elsewhere: "Irregular giveaway events!").
fn opens_giveaway(open: Option<&OpenEntry<'_>>, loose: Option<&(Category, usize, Vec<&str>)>) -> bool {
    open.is_none() && loose.is_some_and(|(_, _, body)| body.iter().all(|l| l.trim().is_empty()))
}

/// A section that shares one item in prose rather than as a numbered entry (a book giveaway:
/// 「本期赠书 5 本《[书名](url)》…」). The item is the first 《title》 of the prose; in a
/// translation, which quotes it ("giving away 5 copies of "Title""), the first quoted span in
/// Latin letters (not a reply keyword in Chinese or a number to send).
fn loose_entry<'a>(category: Category, line: usize, body: &[&'a str]) -> Option<OpenEntry<'a>> {
    static BOOK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"《([^》]+)》").expect("valid regex"));
    static QUOTED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"["“]([^"“”]+)["”]"#).expect("valid regex"));
    let text = body.join("\n");
    let quoted = || {
        QUOTED.captures_iter(&text).filter_map(|c| c.get(1)).find(|m| {
            let s = m.as_str();
            s.chars().any(|c| c.is_ascii_alphabetic()) && !s.chars().any(is_cjk)
        })
    };
    let title = BOOK
        .captures(&text)
        .and_then(|c| c.get(1))
        .or_else(quoted)?
        .as_str()
        .to_string();
    Some(OpenEntry {
        category,
        marker: None,
        head: title,
        body: body.to_vec(),
        line,
    })
}

/// Finishes an entry: reads its title line and description.
fn close(
    file: &str,
    open: Option<OpenEntry<'_>>,
    positions: &mut CategoryCounts,
    entries: &mut Vec<ParsedEntry>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(open) = open else { return };
    let head = parse_title_line(&open.head);
    let body = to_plain(&open.body.join("\n"));
    if head.title.is_empty() {
        diagnostics
            .push(Diagnostic::at(file, open.line, "numbered entry without a title").skipping(Skipped::Entry));
        return;
    }
    positions.add(open.category, 1);
    let mut links = head.links;
    links.extend(body.links.into_iter().map(|l| l.url));
    links.retain(|l| !l.is_empty() && Some(l) != head.url.as_ref());
    dedup_keep_order(&mut links);
    let mut image_alts = head.image_alts;
    image_alts.extend(body.image_alts);
    let description = [head.rest.as_str(), body.text.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    // The body's marks move past the line's rest and the line break after it.
    let shift = if head.rest.is_empty() || body.text.is_empty() {
        0
    } else {
        head.rest.len() + 1
    };
    let shift = u32::try_from(shift).unwrap_or(u32::MAX);
    let mut marks = head.rest_marks;
    marks.extend(body.marks.into_iter().map(|m| Mark {
        start: m.start.saturating_add(shift),
        end: m.end.saturating_add(shift),
        link: m.link,
    }));
    let withdrawn = head.url.is_none() && is_withdrawn(&head.title);
    entries.push(ParsedEntry {
        category: open.category,
        position: positions.get(open.category),
        number: open.marker.map(Marker::number),
        title: head.title,
        url: head.url,
        links,
        lang: head.lang,
        description,
        marks,
        image_alts,
        withdrawn,
        line: open.line,
        circled: matches!(open.marker, Some(Marker::Circled(_))),
    });
}

fn dedup_keep_order(items: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|item| seen.insert(item.clone()));
}

/// A numbered placeholder for an item the editor took back: 「内容删除」, 「…，已删」.
fn is_withdrawn(title: &str) -> bool {
    static WITHDRAWN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(内容删除|已删除?$|已删，|已被删除|已移除|(content|item|entry) (was |has been )?(deleted|removed|withdrawn)|has been (deleted|removed|withdrawn)$)")
            .expect("valid regex")
    });
    WITHDRAWN.is_match(title.trim_end_matches(['。', '.']))
}

// ---------------------------------------------------------------------------------------------
// Front matter, title, dates, stated counts

#[derive(Debug, Default)]
struct FrontMatter {
    title: Option<String>,
    date: Option<String>,
    /// The line (1-based) of the date.
    date_line: Option<usize>,
    /// The line (1-based) of a `---` that opens a block no `---` closes: nothing in it is read,
    /// which the reader must be told, or the file's title only seems to be missing.
    unclosed: Option<usize>,
    /// The lines (1-based) of a block of `title:` / `pubDate:` lines that a `---` closes but
    /// none opens, and of that `---`: not read as front matter either.
    unopened: Option<(usize, usize)>,
}

impl FrontMatter {
    /// The diagnostic for a block that never closes or never opens, if this one does not.
    fn unclosed_diagnostic(&self, file: &str) -> Option<Diagnostic> {
        let unclosed = self.unclosed.map(|line| {
            Diagnostic::at(
                file,
                line,
                "the front matter opened by `---` here is never closed (no second `---` line), \
                 so its title and date are not read",
            )
        });
        let unopened = self.unopened.map(|(line, close)| {
            Diagnostic::at(
                file,
                line,
                format!(
                    "the front matter closed by `---` on line {close} is never opened (no `---` line \
                     before it), so its title and date are not read"
                ),
            )
        });
        unclosed.or(unopened)
    }
}

/// Reads a `---` fenced front matter block of `key: value` lines. Returns the fields the archive
/// uses and the index of the first line after the block (0 when there is none).
///
/// Single-line HTML comments before the block are allowed (the test fixtures state what they
/// expect in one).
fn front_matter(text: &str) -> (FrontMatter, usize) {
    let mut front = FrontMatter::default();
    let skipped = text
        .lines()
        .take_while(|l| l.starts_with("<!--") && l.trim_end().ends_with("-->"))
        .count();
    let mut lines = text.lines().skip(skipped);
    if lines.next().map(str::trim_end) != Some("---") {
        front.unopened =
            unopened(text.lines().skip(skipped)).map(|(first, close)| (skipped + first, skipped + close));
        return (front, 0);
    }
    for (i, line) in lines.enumerate() {
        if line.trim_end() == "---" {
            return (front, skipped + i + 2);
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = unquote(value.trim());
        match key.trim() {
            "title" => front.title = Some(value.to_string()),
            "pubDate" | "date" => {
                front.date = Some(value.to_string());
                // `lines` began after the skipped comments and the opening `---`.
                front.date_line = Some(skipped + i + 2);
            }
            _ => {}
        }
    }
    // An unterminated block is not front matter.
    (
        FrontMatter {
            unclosed: Some(skipped + 1),
            ..FrontMatter::default()
        },
        0,
    )
}

/// Where `lines` start with front matter fields (`title:`, `pubDate:`, …, among them a title or a
/// date) closed by a `---` line that nothing opened: the first line and the `---` line, 1-based.
fn unopened<'a>(lines: impl Iterator<Item = &'a str>) -> Option<(usize, usize)> {
    let mut dated_or_titled = false;
    for (i, line) in lines.enumerate().take(12) {
        if line.trim_end() == "---" {
            return (i > 0 && dated_or_titled).then_some((1, i + 1));
        }
        let key = line.split_once(':')?.0.trim();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return None;
        }
        dated_or_titled |= matches!(key, "title" | "pubDate" | "date");
    }
    None
}

fn unquote(value: &str) -> &str {
    for q in ['\'', '"'] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    value
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    let day = text.get(..10).unwrap_or(text);
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// The largest issue number the parser reads: `#N` has at most five digits.
pub const MAX_ISSUE_NUMBER: u32 = 99_999;

/// The `N` of `#N` in an issue title ("Python 潮流周刊#12：…", "Python Trending Weekly #12: …").
/// One from 1 to [`MAX_ISSUE_NUMBER`]; another number (`#0`, `#4294967296`) is none, not its
/// first five digits.
pub fn issue_number(title: &str) -> Option<u32> {
    let number: u32 = written_issue_number(title)?.parse().ok()?;
    (1..=MAX_ISSUE_NUMBER).contains(&number).then_some(number)
}

/// What is wrong with `title`'s issue number when it has none: none written, or one no issue
/// can have (`#0`, `#4294967296`, said as written rather than read as its first digits).
pub fn issue_number_fault(title: &str) -> String {
    match written_issue_number(title) {
        Some(written) => {
            format!("the title's issue number `#{written}` is not one of 1 to {MAX_ISSUE_NUMBER}")
        }
        None => "no issue number (`#N`) in the title".to_string(),
    }
}

/// The digits of the first `#N` in `title`, as written.
pub fn written_issue_number(title: &str) -> Option<&str> {
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"#\s*(\d+)").expect("valid regex"));
    Some(NUMBER.captures(title)?.get(1)?.as_str())
}

/// The intro's sentence that states what the issue shares.
fn stated_sentence(intro: &str) -> Option<regex::Match<'_>> {
    static SENTENCE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"分享了\s*\d[^\n。]*").expect("valid regex"));
    SENTENCE.find(intro)
}

/// Reads the intro's statement of what the issue shares.
fn stated_counts(intro: &str) -> StatedCounts {
    static PART: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(\d+)\s*(篇文章|个开源项目|个项目|则音视频|则视频|个音视频|则热门讨论|则热门话题|则讨论|个话题)")
            .expect("valid regex")
    });
    let mut counts = StatedCounts::default();
    let Some(sentence) = stated_sentence(intro) else {
        return counts;
    };
    // 「赠书 5 本」 counts copies of one book, not entries: it is left out.
    for caps in PART.captures_iter(sentence.as_str()) {
        if let Ok(n) = caps[1].parse::<u32>() {
            counts.set(category_of_count_word(&caps[2]), n);
        }
    }
    counts
}

fn category_of_count_word(word: &str) -> Category {
    match word {
        "篇文章" => Category::Article,
        "个开源项目" | "个项目" => Category::Project,
        "则音视频" | "则视频" | "个音视频" => Category::Media,
        _ => Category::Discussion,
    }
}

/// The share of letters that are Chinese in `texts`.
fn cjk_share<'a>(texts: impl Iterator<Item = &'a str>) -> f64 {
    let (mut cjk, mut letters) = (0usize, 0usize);
    for c in texts.flat_map(str::chars).filter(|c| c.is_alphabetic()) {
        letters += 1;
        if is_cjk(c) {
            cjk += 1;
        }
    }
    if letters == 0 {
        0.0
    } else {
        cjk as f64 / letters as f64
    }
}

/// Plain title text without markdown, for matching entries by title.
pub fn title_key(title: &str) -> String {
    fold_space(title).to_lowercase()
}

#[cfg(test)]
mod tests;

/// At most the first 40 characters of `line`, for a message that quotes it.
fn shortened(line: &str) -> String {
    match line.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
    }
}
