//! The past-years section of a new issue (往年回顾 / Looking Back), drafted from the store: the
//! issues of the same week one, two, three … years back and, on request, the earlier entries most
//! related to the draft's entries under their own sub-heading. What the last few issues' own
//! past-years sections already linked is not linked again (the next issue not yet linked stands
//! in). Reads the related-entries index ([`crate::related`]); renders markdown as the editor
//! writes the section: the heading as his latest section before the draft wrote it ([`Heading`]),
//! one line per issue `[#58：title](link)` (the
//! [`Style::Short`] of his latest issues) or, as his older issues did, the whole title and the
//! date ([`Style::Long`]); the links to issues as the archive's own sections give them.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::canon::canonical_url;
use crate::check::{project_name, same_subject, Probe, NEAR_DUPLICATE};
use crate::escape::markdown_link;
use crate::model::{Category, Entry, Issue, Lang};
use crate::related::{infallible, shared_terms, Lookup, Ranking, Request};
use crate::tokenize::Tokenizer;

/// The editor's links to an issue: this base, then the issue file's name without `.md` (unless
/// the archive's own past-years sections link the issue otherwise: the first issues live at
/// `…-weekly1` … `-weekly7`).
pub const DEFAULT_BASE_URL: &str = "https://pythoncat.top/posts/";

/// Where the section's heading links when the store holds none of the editor's own headings (the
/// link of his latest sections, since #105).
pub const DEFAULT_HEADING_URL: &str = "https://weekly.pythoncat.top";

/// The section's heading when the store holds none of the editor's own: his latest sections'.
const DEFAULT_HEADING: &str = "## [🐧往年回顾](https://weekly.pythoncat.top)";

/// The section's heading: its level, its words (emoji and spacing as written) and its link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: usize,
    pub label: String,
    pub url: Option<String>,
}

impl Heading {
    /// Reads a heading line as the archive writes it: `## [🐧往年回顾](https://…)`, `## 🐧 往年回顾`,
    /// or a bold line standing for a heading (`**[🐧 往年回顾](https://…)**`, read as `##`).
    pub fn parse(line: &str) -> Option<Heading> {
        static LINK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"^\[(.+)\]\(\s*<?([^\s>]+)>?\s*\)$").expect("valid regex")
        });
        let line = line.trim();
        let level = line.chars().take_while(|&c| c == '#').count();
        let text = line[level..].trim();
        let text = text
            .strip_prefix("**")
            .and_then(|t| t.strip_suffix("**"))
            .map_or(text, str::trim);
        if text.is_empty() {
            return None;
        }
        let level = if (1..=6).contains(&level) { level } else { 2 };
        Some(match LINK.captures(text) {
            Some(c) => Heading {
                level,
                label: c[1].trim().to_string(),
                url: Some(c[2].to_string()),
            },
            None => Heading {
                level,
                label: text.to_string(),
                url: None,
            },
        })
    }

    /// The heading of the latest issue before `before` that has a past-years section, as the
    /// editor wrote it; his latest known one when no issue of the store has one.
    pub fn latest(issues: &[Issue], before: NaiveDate) -> Heading {
        issues
            .iter()
            .filter(|i| i.date < before)
            .filter_map(|i| Some((i.date, i.number, Heading::parse(i.past_heading.as_deref()?)?)))
            .max_by_key(|(date, number, _)| (*date, *number))
            .map(|(_, _, h)| h)
            .or_else(|| Heading::parse(DEFAULT_HEADING))
            .expect("the default heading reads")
    }

    /// The heading in `lang`: the English section says "Looking Back" where the Chinese one says
    /// 往年回顾, the emoji and spacing kept.
    pub fn in_lang(mut self, lang: Lang) -> Heading {
        if lang == Lang::En {
            self.label = if self.label.contains("往年回顾") {
                self.label.replace("往年回顾", "Looking Back")
            } else {
                "🐧Looking Back".to_string()
            };
        }
        self
    }
}

/// How a linked issue is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// `[#58：最快运行原型的语言](link)`: the number and the title's subject, as the editor writes
    /// it since #108.
    Short,
    /// `[Python 潮流周刊#58：最快运行原型的语言](link)（2024.06.29）`: the whole title and the
    /// date, as his earlier issues did.
    Long,
}

/// An issue counts as "the same week" of an earlier year when its date is this close to the
/// anniversary of the draft's date.
const SAME_WEEK_DAYS: i64 = 7;

/// Issues a year, as the editor numbers them: issue N looks back to N−50, N−100, … (measured on
/// the archive's own 往年回顾 sections; QUALITY.md).
const ISSUES_PER_YEAR: u32 = 50;

/// When the issue numbered a year back was linked by a latest section, the next this many
/// numbers are tried before the nearest issue by date.
const NEXT_NUMBERS: u32 = 3;

/// How far from the anniversary the issue numbered a year back may stand (the editor skips a
/// week now and then, so the numbering drifts from the calendar).
const NUMBERED_DAYS: i64 = 21;

/// At most this many related entries come from any one draft entry, so that one long draft entry
/// does not fill the section.
const PER_DRAFT_ENTRY: usize = 2;

/// A related entry shares at least this many terms with the draft entry.
const MIN_SHARED_WORDS: usize = 2;

/// The term a related entry shares most with the draft entry is a word of at most this share of
/// the archive's entries (Numba, Celery, DjangoCon, a PEP), not a broad one (Django, Jupyter,
/// PyTorch, LLM, MCP): a suggestion resting on a generic word is no suggestion.
const SPECIFIC_SHARE: f64 = 0.005;
/// ... or of at most this many entries, however small the archive.
const SPECIFIC_MIN_DF: f64 = 5.0;

/// The most related entries a section may list: it is pasted into one issue.
pub const MAX_ENTRIES: usize = 100;

/// The oldest a related entry may be required to be, in weeks (a century): older cut-offs would
/// fall before any date the calendar arithmetic can hold.
pub const MAX_AGE_WEEKS: u32 = 5200;

/// What `weeklens past-years` needs.
#[derive(Debug, Clone, PartialEq)]
pub struct PastYearsParams {
    pub lang: Lang,
    /// Related entries must be at least this many weeks older than the draft.
    pub min_age_weeks: u32,
    /// The past-years sections of this many latest issues are not repeated.
    pub recent_issues: usize,
    /// How many related entries the section lists.
    pub entries: usize,
    /// The lowest similarity (cosine of TF-IDF rows) a related entry may have.
    pub min_score: f32,
    /// Where the issues live: `BASE` + `2024-06-15-weekly`.
    pub base_url: String,
    /// Where the heading links, instead of where the editor's latest heading links.
    pub heading_url: Option<String>,
    pub style: Style,
    /// List related older entries too (under their own sub-heading).
    pub related: bool,
}

impl Default for PastYearsParams {
    fn default() -> Self {
        PastYearsParams {
            lang: Lang::Zh,
            min_age_weeks: 26,
            recent_issues: 4,
            entries: 5,
            min_score: 0.35,
            base_url: DEFAULT_BASE_URL.to_string(),
            heading_url: None,
            style: Style::Short,
            related: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PastYearsParamsError {
    #[error("the lowest score must be a number from 0 to 1 (got {0})")]
    MinScore(f32),
    #[error(
        "the base URL must be an http:// or https:// URL without a query or fragment: the issue's \
         file name is added at its end (got `{0}`)"
    )]
    BaseUrl(String),
    #[error("the heading URL must be an http:// or https:// URL (got `{0}`)")]
    HeadingUrl(String),
    #[error("the section lists 1 to {MAX_ENTRIES} related entries (got {0})")]
    Entries(usize),
    #[error("the minimum age is at most {MAX_AGE_WEEKS} weeks (got {0})")]
    MinAge(u32),
}

/// Parameters that passed [`PastYearsParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedPastYearsParams(PastYearsParams);

impl PastYearsParams {
    pub fn check(mut self) -> Result<CheckedPastYearsParams, PastYearsParamsError> {
        if !(0.0..=1.0).contains(&self.min_score) {
            return Err(PastYearsParamsError::MinScore(self.min_score));
        }
        if !(1..=MAX_ENTRIES).contains(&self.entries) {
            return Err(PastYearsParamsError::Entries(self.entries));
        }
        if self.min_age_weeks > MAX_AGE_WEEKS {
            return Err(PastYearsParamsError::MinAge(self.min_age_weeks));
        }
        if !(self.base_url.starts_with("https://") || self.base_url.starts_with("http://"))
            || self.base_url.contains(['?', '#'])
        {
            return Err(PastYearsParamsError::BaseUrl(self.base_url));
        }
        if let Some(url) = self
            .heading_url
            .take_if(|u| !(u.starts_with("https://") || u.starts_with("http://")))
        {
            return Err(PastYearsParamsError::HeadingUrl(url));
        }
        if !self.base_url.ends_with('/') {
            self.base_url.push('/');
        }
        Ok(CheckedPastYearsParams(self))
    }
}

/// An earlier issue of the same week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PastIssue {
    pub issue: u32,
    pub date: NaiveDate,
    pub title: String,
    pub url: String,
    pub years_back: u32,
}

/// An earlier entry related to one of the draft's entries.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PastEntry {
    pub issue: u32,
    pub date: NaiveDate,
    pub category: Category,
    pub position: u32,
    pub title: String,
    /// The entry's own link, or its issue's when it has none (title-only entries).
    pub url: String,
    pub score: f32,
    /// The draft entry it relates to (its title) and the terms they share.
    pub draft_title: String,
    pub shared: Vec<String>,
}

/// The section, before rendering.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PastYears {
    pub date: NaiveDate,
    pub lang: Lang,
    pub style: Style,
    /// The heading as the editor wrote it last (or the draft's link given for it).
    pub heading: Heading,
    pub issues: Vec<PastIssue>,
    pub entries: Vec<PastEntry>,
}

impl CheckedPastYearsParams {
    /// Drafts the section of issue `number`, dated `date`, with `draft` entries, from the store
    /// `loaded` (what `related` ranks with).
    pub fn draft<'d, D>(
        &self,
        number: u32,
        draft: &'d [D],
        date: NaiveDate,
        loaded: &Ranking<'_>,
    ) -> PastYears
    where
        Probe<'d>: From<&'d D>,
    {
        let mut ranking = *loaded;
        let mut section = infallible(self.draft_in(number, draft, date, &mut ranking));
        section.name_subjects(loaded.issues, loaded.entries);
        section
    }

    /// [`CheckedPastYearsParams::draft`], reading the archive from `lookup` (in memory, or the
    /// store's index file, which reads only the rows the related entries are among).
    pub fn draft_in<'a, 'd, L: Lookup<'a>, D>(
        &self,
        number: u32,
        draft: &'d [D],
        date: NaiveDate,
        lookup: &mut L,
    ) -> Result<PastYears, L::Error>
    where
        Probe<'d>: From<&'d D>,
    {
        let draft: Vec<Probe<'d>> = draft.iter().map(Probe::from).collect();
        let entries = if self.0.related {
            let issues = lookup.issues();
            let recent = RecentLinks::of(issues, date, self.0.recent_issues);
            let links = IssueLinks::of(issues, &self.0.base_url);
            related_entries(&draft, date, lookup, &recent, &links, &self.0)?
        } else {
            Vec::new()
        };
        Ok(self.section(number, date, lookup.issues(), |_, _| entries))
    }

    /// [`CheckedPastYearsParams::draft`] from the corpus: only its issues are read unless the
    /// related entries are asked for (then what `related` ranks with, too).
    pub fn draft_from<'d, D>(
        &self,
        number: u32,
        draft: &'d [D],
        date: NaiveDate,
        corpus: &crate::corpus::Corpus,
    ) -> crate::error::Result<PastYears>
    where
        Probe<'d>: From<&'d D>,
    {
        let issues = corpus.issues()?;
        let mut section = if self.0.related {
            self.draft_in(number, draft, date, &mut corpus.indexed()?)?
        } else {
            self.section(number, date, issues, |_, _| Vec::new())
        };
        // The entries are read only for an English section that links an early issue.
        if section.needs_subjects(issues) {
            section.name_subjects(issues, corpus.entries()?);
        }
        Ok(section)
    }

    /// The section of issue `number` over `issues`, with the related entries `entries` finds
    /// (called only when they are asked for).
    fn section(
        &self,
        number: u32,
        date: NaiveDate,
        issues: &[Issue],
        entries: impl FnOnce(&RecentLinks, &IssueLinks) -> Vec<PastEntry>,
    ) -> PastYears {
        let p = &self.0;
        let recent = RecentLinks::of(issues, date, p.recent_issues);
        let links = IssueLinks::of(issues, &p.base_url);
        PastYears {
            date,
            lang: p.lang,
            style: p.style,
            heading: heading(issues, date, p),
            issues: same_week_issues(issues, number, date, &recent, &links, p),
            entries: if p.related {
                entries(&recent, &links)
            } else {
                Vec::new()
            },
        }
    }
}

impl PastYears {
    /// Whether an English section links an issue whose translation's title says only its number.
    fn needs_subjects(&self, issues: &[Issue]) -> bool {
        self.lang == Lang::En
            && self.issues.iter().any(|p| {
                issues
                    .iter()
                    .any(|i| i.number == p.issue && lacks_english_subject(i))
            })
    }

    /// The issues an English section names by their Chinese title: their translation's title
    /// has no subject and none of their entries is the one the subject was taken from. The
    /// editor translates these before publishing.
    pub fn chinese_titles(&self) -> Vec<u32> {
        if self.lang != Lang::En {
            return Vec::new();
        }
        (self.issues.iter())
            .filter(|i| crate::parse::markdown::has_cjk(&i.title))
            .map(|i| i.issue)
            .collect()
    }

    /// The warning a section with nothing in it gives: what the command prints on standard
    /// error (with the flags that change it) and serve's draft page above the section.
    pub fn empty_warning(&self) -> Option<String> {
        (self.issues.is_empty() && self.entries.is_empty()).then(|| {
            format!(
                "the section is empty: no issue of an earlier year is of the week of {} (the \
                 draft's date)",
                self.date
            )
        })
    }

    /// The warning an English section gives where it names issues by their Chinese title
    /// ([`PastYears::chinese_titles`]): what the command prints on standard error and serve's
    /// draft page above the section.
    pub fn untranslated_warning(&self) -> Option<String> {
        let numbers: Vec<String> = self.chinese_titles().iter().map(|n| format!("#{n}")).collect();
        (!numbers.is_empty()).then(|| {
            format!(
                "{} named by the Chinese title: the translation's title gives no subject and no \
                 entry's English title is the one the subject was taken from; translate {} before \
                 publishing",
                numbers.join(", "),
                if numbers.len() == 1 { "it" } else { "them" }
            )
        })
    }

    /// In English, names each issue whose translation's title says only its number by the
    /// entries its subject was taken from ([`english_title`]), where they are found.
    fn name_subjects(&mut self, issues: &[Issue], entries: &[Entry]) {
        if self.lang != Lang::En {
            return;
        }
        for past in &mut self.issues {
            let Some(issue) = issues.iter().find(|i| i.number == past.issue) else {
                continue;
            };
            if let (true, Some(title)) = (lacks_english_subject(issue), english_title(issue, entries)) {
                past.title = title;
            }
        }
    }
}

/// The section's heading: the editor's latest before `date`, in the section's language, linking
/// where `--heading-url` says when it is given.
fn heading(issues: &[Issue], date: NaiveDate, p: &PastYearsParams) -> Heading {
    let mut heading = Heading::latest(issues, date).in_lang(p.lang);
    if let Some(url) = &p.heading_url {
        heading.url = Some(url.clone());
    }
    heading
}

/// What the latest issues' past-years sections linked.
struct RecentLinks {
    issues: BTreeSet<u32>,
    urls: BTreeSet<String>,
}

impl RecentLinks {
    fn of(issues: &[Issue], before: NaiveDate, latest: usize) -> RecentLinks {
        let mut earlier: Vec<&Issue> = issues.iter().filter(|i| i.date < before).collect();
        earlier.sort_by_key(|i| (i.date, i.number));
        let links = earlier.iter().rev().take(latest).flat_map(|i| &i.past_links);
        let mut recent = RecentLinks {
            issues: BTreeSet::new(),
            urls: BTreeSet::new(),
        };
        for link in links {
            recent.issues.extend(link.issue);
            recent.urls.extend(canonical_url(&link.url));
        }
        recent
    }
}

/// Each issue's link as the archive's own past-years sections write it (the latest of its links
/// under `base`), else `base` + its file's name.
struct IssueLinks {
    base: String,
    linked: BTreeMap<u32, String>,
}

impl IssueLinks {
    fn of(issues: &[Issue], base: &str) -> IssueLinks {
        let mut by_date: Vec<&Issue> = issues.iter().collect();
        by_date.sort_by_key(|i| (i.date, i.number));
        let mut linked = BTreeMap::new();
        for link in by_date.iter().flat_map(|i| &i.past_links) {
            if let Some(n) = link.issue.filter(|_| link.url.starts_with(base)) {
                linked.insert(n, link.url.clone());
            }
        }
        IssueLinks {
            base: base.to_string(),
            linked,
        }
    }

    fn url(&self, issue: &Issue) -> String {
        self.linked
            .get(&issue.number)
            .cloned()
            .unwrap_or_else(|| format!("{}{}", self.base, issue.source.trim_end_matches(".md")))
    }
}

/// The title an issue is named by in a section of `lang`: in English the translation's where it
/// has a subject (the early translations are titled `Python Trending Weekly #10 (2023-07-08)`,
/// no subject: [`PastYears::name_subjects`] names them by their entries), else the editor's own
/// title, whose subject the Chinese section shows, never a bare number.
fn issue_title(issue: &Issue, lang: Lang) -> &str {
    match (lang, issue.en_title.as_deref()) {
        (Lang::En, Some(en)) if has_subject(en) => en,
        _ => &issue.title,
    }
}

/// Whether an issue's English title needs [`english_title`] to name its subject: the
/// translation's title is a number and a date alone.
fn lacks_english_subject(issue: &Issue) -> bool {
    issue.en_title.as_deref().is_some_and(|en| !has_subject(en))
}

/// An issue's English title: the translation's where it has a subject; where it names the issue
/// by its number alone (`Python Trending Weekly #11 (2023-07-15)`), that number and the subject
/// the editor's latest English past-years section linking it wrote (`Issue::en_named`), else the
/// English title of the entry the editor took his Chinese subject from (his early issues say so:
/// 标题取自其中一则分享), `Python Trending Weekly #11: Run Python Code with Golang and Docker`. `None`
/// when there is no translation or the subject matches no entry closely ([`subject_entry`]): the
/// caller shows the Chinese title.
pub fn english_title(issue: &Issue, entries: &[Entry]) -> Option<String> {
    // A translation whose title was not used (it named another issue) still translated the
    // entries: the issue is named as the translations name theirs.
    let head = match issue.en_title.as_deref() {
        Some(en) if has_subject(en) => return Some(en.to_string()),
        Some(en) => without_date(en).trim().to_string(),
        None => format!("Python Trending Weekly #{}", issue.number),
    };
    // The editor's own English, where a later English past-years section named the issue.
    if let Some(subject) = issue.en_named.as_deref().and_then(named_subject) {
        return Some(format!("{head}: {subject}"));
    }
    let subject = issue
        .title
        .split_once('：')
        .or_else(|| issue.title.split_once(':'))
        .map(|(_, subject)| subject.trim())
        .filter(|s| !s.is_empty())?;
    let own: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.issue == issue.number && !e.withdrawn && e.en_title.is_some())
        .collect();
    let named = subject_entry(subject, &own)?.en_title.as_deref()?;
    Some(format!("{head}: {named}"))
}

/// The subject an English past-years section's link names an issue by, after its number
/// (`#9: How to Deploy …`, `Python Trending Weekly #40 — …`), where it says more than the number
/// and a date, in English: a name copied from a title of the number alone, or left in Chinese,
/// names nothing.
fn named_subject(named: &str) -> Option<&str> {
    // The number is a slice of `named`: what follows it starts where it ends.
    let number = crate::parse::written_issue_number(named)?;
    let end = number.as_ptr() as usize - named.as_ptr() as usize + number.len();
    let rest = &named[end..];
    let subject = without_date(rest)
        .trim_start_matches(|c: char| c.is_whitespace() || ":：-–—".contains(c))
        .trim();
    (subject.chars().any(char::is_alphabetic) && !crate::parse::markdown::has_cjk(subject)).then_some(subject)
}

/// The entry whose Chinese title `subject` was taken from: the one whose title shares most of
/// its character pairs with it (letters and digits only, case folded), with a Dice coefficient
/// of at least [`SUBJECT_MATCH`] and at least that share of the subject's own pairs, and writing
/// every number the subject writes
/// (`35 个…小项目` is not `15 个 Python 小项目`); the first on a tie. The editor rewords as he
/// takes a title ("如何使用 Golang 运行 Python 代码？" of "使用 Golang 和 Docker 运行 Python
/// 代码"), so the match is by pairs, not equality; below the bar the reworded subject is often
/// another claim than any title's ("FastAPI 很好，Flask 也没死" of "Flask 已死，FastAPI 是未来").
fn subject_entry<'e>(subject: &str, entries: &[&'e Entry]) -> Option<&'e Entry> {
    let pairs = |text: &str| -> BTreeSet<(char, char)> {
        let chars: Vec<char> = text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        chars.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let numbers = |text: &str| -> BTreeSet<String> {
        text.split(|c: char| !c.is_ascii_digit() && c != '.')
            .map(|n| n.trim_matches('.'))
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect()
    };
    let wanted = pairs(subject);
    let wanted_numbers = numbers(subject);
    if wanted.is_empty() {
        return None;
    }
    let mut best: Option<(f64, &Entry)> = None;
    for &e in entries {
        let have = pairs(&e.title);
        let shared = wanted.intersection(&have).count() as f64;
        let dice = 2.0 * shared / (wanted.len() + have.len()) as f64;
        let covered = shared / wanted.len() as f64;
        if dice >= SUBJECT_MATCH
            && covered >= SUBJECT_MATCH
            && wanted_numbers.is_subset(&numbers(&e.title))
            && best.is_none_or(|(b, _)| dice > b)
        {
            best = Some((dice, e));
        }
    }
    best.map(|(_, e)| e)
}

/// How much of an entry's title an issue's subject must share to be taken from it
/// ([`subject_entry`]): of the real archive's 42 issues whose translation has no subject (#1 to
/// #42), 0.7 names 11 by the entry the subject rewords and none by another; 0.6 would also take
/// `AsyncIO` for "我讨厌用 asyncio" and another Python 3.12 article for "Python 3.12 有我贡献的代码！".
/// A subject naming several entries (`两种线程池、四种优化程序的方法`) is matched whole, so it
/// stays in Chinese unless one title carries most of it.
const SUBJECT_MATCH: f64 = 0.7;

/// Whether `title` says more than its number (`#58：最快运行原型的语言`, not `#10` nor
/// `Python Trending Weekly 40 (2024-03-02)`, whose translation wrote no `#`).
fn has_subject(title: &str) -> bool {
    let title = without_date(title);
    let after = match title.find('#') {
        Some(at) => &title[at + 1..],
        // No `#`: the number is the title's first.
        None => title
            .find(|c: char| c.is_ascii_digit())
            .map_or(title, |at| &title[at..]),
    };
    after
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .chars()
        .any(char::is_alphanumeric)
}

/// For each year back from `date` while the archive reaches, the issue of that week. The editor
/// publishes about [`ISSUES_PER_YEAR`] issues a year and links issue N−50, N−100, … from issue N,
/// so that issue is taken when it stands within [`NUMBERED_DAYS`] of the anniversary; otherwise
/// (a gap in the numbering, a draft without a number) the issue nearest the anniversary within
/// [`SAME_WEEK_DAYS`], the earlier on a tie. Issues the latest sections linked are skipped.
fn same_week_issues(
    issues: &[Issue],
    number: u32,
    date: NaiveDate,
    recent: &RecentLinks,
    links: &IssueLinks,
    p: &PastYearsParams,
) -> Vec<PastIssue> {
    let Some(first) = issues.iter().map(|i| i.date).min() else {
        return Vec::new();
    };
    let fresh = |i: &&Issue| !recent.issues.contains(&i.number) && i.date < date;
    let mut found = Vec::new();
    for years_back in 1u32.. {
        let Some(anniversary) = date.checked_sub_months(Months::new(12 * years_back)) else {
            break;
        };
        if anniversary < first - chrono::Days::new(SAME_WEEK_DAYS as u64) {
            break;
        }
        let distance = |i: &Issue| (i.date - anniversary).num_days().abs();
        // The issue numbered a year back, or when a latest section linked it, the next one
        // not yet linked.
        let numbered = number.checked_sub(ISSUES_PER_YEAR * years_back).and_then(|n| {
            (n..n + NEXT_NUMBERS).find_map(|n| {
                issues
                    .iter()
                    .filter(fresh)
                    .find(|i| i.number == n && distance(i) <= NUMBERED_DAYS)
            })
        });
        let nearest = || {
            issues
                .iter()
                .filter(fresh)
                .filter(|i| distance(i) <= SAME_WEEK_DAYS)
                .min_by_key(|i| (distance(i), i.date, i.number))
        };
        if let Some(issue) = numbered.or_else(nearest) {
            found.push(PastIssue {
                issue: issue.number,
                date: issue.date,
                title: issue_title(issue, p.lang).to_string(),
                url: links.url(issue),
                years_back,
            });
        }
    }
    found
}

/// An earlier entry found for a draft entry.
struct Candidate {
    score: f32,
    /// The draft entry's index.
    draft: usize,
    shared: Vec<u32>,
}

/// The earlier entries most related to the draft's entries: old enough, not the draft entry's
/// own link, repository, project or PEP (that is `check`'s business), not another project for a
/// project, resting on a specific word ([`SPECIFIC_SHARE`]) and more than one, not linked by the
/// latest sections; at most [`PER_DRAFT_ENTRY`] per draft entry; best first.
fn related_entries<'a, L: Lookup<'a>>(
    draft: &[Probe<'_>],
    date: NaiveDate,
    lookup: &mut L,
    recent: &RecentLinks,
    links: &IssueLinks,
    p: &PastYearsParams,
) -> Result<Vec<PastEntry>, L::Error> {
    let cutoff = date - chrono::Days::new(7 * u64::from(p.min_age_weeks));
    let by_number: BTreeMap<u32, &Issue> = lookup.issues().iter().map(|i| (i.number, i)).collect();
    let old_enough = |e: &Entry| by_number.get(&e.issue).is_some_and(|i| i.date <= cutoff);
    // Only the dictionary words the draft's texts can hold are loaded: the same terms for them as
    // the whole dictionary gives, in a fraction of its load time.
    let tokenizer = &{
        use rayon::prelude::*;
        Tokenizer::for_texts(
            draft
                .par_iter()
                .filter(|e| !e.withdrawn)
                .flat_map_iter(|e| [e.title, e.description]),
        )
    };
    let vocabulary = lookup.vocabulary();
    let specific_df = (f64::from(vocabulary.documents()) * SPECIFIC_SHARE).max(SPECIFIC_MIN_DF);
    let specific = |term: u32| {
        vocabulary
            .df()
            .get(term as usize)
            .is_some_and(|&df| f64::from(df) <= specific_df)
    };

    // The best match of each candidate row, and the entries read.
    let mut best: BTreeMap<usize, Candidate> = BTreeMap::new();
    let mut read: BTreeMap<usize, Entry> = BTreeMap::new();
    for (d, entry) in draft.iter().enumerate().filter(|(_, e)| !e.withdrawn) {
        let mut terms = Vec::new();
        tokenizer.plain_terms_into(entry.title, &mut terms);
        tokenizer.plain_terms_into(entry.description, &mut terms);
        // Ranked as `related` ranks: the title weighted up.
        let title = crate::related::title_row(tokenizer, vocabulary, [entry.title]);
        let vector = crate::related::related_row(vocabulary, &vocabulary.transform(&terms), &title);
        // Ask for more than needed: some candidates are filtered out below.
        let request = Request::new(&vector, 8 * PER_DRAFT_ENTRY + 8).min_score(p.min_score);
        // A word that is only a part of the draft project's name names something else (Chrome
        // of chrome-devtools-mcp, Claude of claude-video), not the project.
        let own_name = project_name(entry.title);
        let part_of_name = |term: u32| {
            let word: String = vocabulary
                .shown()
                .get(term as usize)
                .map(|w| {
                    w.chars()
                        .filter(|c| c.is_alphanumeric())
                        .flat_map(char::to_lowercase)
                        .collect()
                })
                .unwrap_or_default();
            own_name
                .as_ref()
                .is_some_and(|name| word.chars().count() >= 2 && *name != word && name.contains(&word))
        };
        let mut taken = 0;
        for (row, score) in lookup.nearest(&request)? {
            if taken == PER_DRAFT_ENTRY {
                break;
            }
            if let std::collections::btree_map::Entry::Vacant(slot) = read.entry(row) {
                slot.insert(lookup.entry(row)?);
            }
            let e = &read[&row];
            let url = e.url.as_deref().and_then(canonical_url);
            let kept = !e.withdrawn
                && old_enough(e)
                && score < NEAR_DUPLICATE
                // Never the draft entry's own link, repository, project or PEP shared before:
                // that is `check`'s business.
                && !same_subject((entry.title, entry.url), (&e.title, e.url.as_deref()))
                // Another project is an alternative to a draft's project, not reading about it.
                && !(entry.category == Category::Project && e.category == Category::Project)
                && url.as_ref().is_none_or(|u| !recent.urls.contains(u));
            if !kept {
                continue;
            }
            // A suggestion resting on one word, or on a generic one, is no suggestion.
            let shared = shared_terms(&vector, &lookup.ranking_row(row)?, MIN_SHARED_WORDS + 1);
            if !(shared.len() >= MIN_SHARED_WORDS && specific(shared[0]) && !part_of_name(shared[0])) {
                continue;
            }
            taken += 1;
            let candidate = Candidate {
                score,
                draft: d,
                shared,
            };
            match best.get(&row) {
                Some(old) if old.score >= candidate.score => {}
                _ => {
                    best.insert(row, candidate);
                }
            }
        }
    }
    let mut ranked: Vec<(usize, Candidate)> = best.into_iter().collect();
    ranked.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
    Ok(ranked
        .into_iter()
        .take(p.entries)
        .filter_map(
            |(
                row,
                Candidate {
                    score,
                    draft: d,
                    shared,
                },
            )| {
                let e = &read[&row];
                let issue = by_number.get(&e.issue)?;
                let title = match (p.lang, e.en_title.as_deref()) {
                    (Lang::En, Some(en)) => en,
                    _ => &e.title,
                };
                Some(PastEntry {
                    issue: e.issue,
                    date: issue.date,
                    category: e.category,
                    position: e.position,
                    title: title.to_string(),
                    url: e.url.clone().unwrap_or_else(|| links.url(issue)),
                    score,
                    draft_title: draft[d].title.to_string(),
                    shared: shared
                        .into_iter()
                        .filter_map(|t| vocabulary.shown().get(t as usize).cloned())
                        .collect(),
                })
            },
        )
        .collect())
}

/// The number and subject of an issue's title: `#58：最快运行原型的语言` of
/// `Python 潮流周刊#58：最快运行原型的语言`, `#8: …` of `Python Trending Weekly #8: …`; the whole
/// title when it has no `#`.
fn short_title(title: &str) -> &str {
    title.find('#').map_or(title, |at| &title[at..])
}

/// `#7：subject` with the colon of the section's language after the number: an English
/// section's issue that keeps its Chinese title (no English subject is known) reads `#7: …`.
fn number_colon(title: &str, lang: Lang) -> Cow<'_, str> {
    let digits = title.strip_prefix('#').map_or(0, |rest| {
        1 + rest.chars().take_while(char::is_ascii_digit).count()
    });
    match (lang, title[digits..].strip_prefix('：')) {
        (Lang::En, Some(subject)) if digits > 1 => {
            Cow::Owned(format!("{}: {}", &title[..digits], subject.trim_start()))
        }
        _ => Cow::Borrowed(title),
    }
}

/// `[#58：subject](link)`: the `#` of the number kept as the editor writes it (inside the link's
/// brackets it cannot open a heading), the rest escaped as [`markdown_link`] escapes it.
fn number_link(title: &str, url: &str) -> String {
    match title.strip_prefix('#') {
        Some(rest) => {
            let link = markdown_link(rest, Some(url));
            match link.strip_prefix('[') {
                Some(after) => format!("[#{after}"),
                // Not linked: the number escaped, so that it opens no heading.
                None => format!("\\#{link}"),
            }
        }
        None => markdown_link(title, Some(url)),
    }
}

/// A title without a date it ends with (`… (2023-06-24)`), so that the date is not written twice.
fn without_date(title: &str) -> &str {
    static DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\s*[(（]\d{4}[-.]\d{2}[-.]\d{2}[)）]\s*$").expect("valid regex")
    });
    DATE.find(title).map_or(title, |m| &title[..m.start()])
}

/// The section as markdown, ready to paste into the issue: the heading a link, one line per
/// issue in the section's [`Style`], then, when asked for, the related entries under their own
/// sub-heading. Titles are the archive's text: they are escaped to render as themselves
/// ([`markdown_link`]), and a link whose target is not an http(s) URL is left out, its title kept
/// as text.
pub fn render_markdown(section: &PastYears) -> String {
    let day = |d: NaiveDate| d.format("%Y.%m.%d").to_string();
    // The heading, its sub-heading, the brackets around a date, and how an entry names its issue.
    let (related, open, close) = match section.lang {
        Lang::Zh => ("相关旧文", "（", "）"),
        Lang::En => ("Related", " (", ")"),
    };
    let issue = |n: u32| match section.lang {
        Lang::Zh => format!("第 {n} 期，"),
        Lang::En => format!("#{n}, "),
    };
    let h = &section.heading;
    let mut out = format!(
        "{} {}\n",
        "#".repeat(h.level),
        markdown_link(&h.label, h.url.as_deref())
    );
    for i in &section.issues {
        let _ = match section.style {
            Style::Short => write!(
                out,
                "\n{}\n",
                number_link(
                    &number_colon(without_date(short_title(&i.title)), section.lang),
                    &i.url
                )
            ),
            Style::Long => write!(
                out,
                "\n{}{open}{}{close}\n",
                markdown_link(without_date(&i.title), Some(&i.url)),
                day(i.date)
            ),
        };
    }
    if !section.entries.is_empty() {
        let _ = write!(out, "\n{} {related}\n", "#".repeat((h.level + 1).min(6)));
    }
    for e in &section.entries {
        let _ = write!(
            out,
            "\n{}{open}{}{}{close}\n",
            markdown_link(&e.title, Some(&e.url)),
            issue(e.issue),
            day(e.date)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_reject_a_score_outside_zero_one_and_a_bad_base() {
        let bad_score = PastYearsParams {
            min_score: 1.5,
            ..PastYearsParams::default()
        };
        assert_eq!(bad_score.check(), Err(PastYearsParamsError::MinScore(1.5)));
        let bad_base = PastYearsParams {
            base_url: "pythoncat.top/posts".into(),
            ..PastYearsParams::default()
        };
        assert!(matches!(bad_base.check(), Err(PastYearsParamsError::BaseUrl(_))));
        // The file name would land in the query.
        let with_query = PastYearsParams {
            base_url: "https://x.example/p?a=1&b=x".into(),
            ..PastYearsParams::default()
        };
        assert!(matches!(
            with_query.check(),
            Err(PastYearsParamsError::BaseUrl(_))
        ));
    }

    #[test]
    fn params_reject_a_nan_score_no_entries_and_too_old_a_cut_off() {
        let with = |f: fn(&mut PastYearsParams)| {
            let mut p = PastYearsParams::default();
            f(&mut p);
            p.check().err()
        };
        assert!(matches!(
            with(|p| p.min_score = f32::NAN),
            Some(PastYearsParamsError::MinScore(_))
        ));
        assert_eq!(with(|p| p.entries = 0), Some(PastYearsParamsError::Entries(0)));
        assert_eq!(
            with(|p| p.entries = MAX_ENTRIES + 1),
            Some(PastYearsParamsError::Entries(MAX_ENTRIES + 1))
        );
        assert_eq!(
            with(|p| p.min_age_weeks = MAX_AGE_WEEKS + 1),
            Some(PastYearsParamsError::MinAge(MAX_AGE_WEEKS + 1))
        );
        assert_eq!(with(|p| p.min_age_weeks = MAX_AGE_WEEKS), None);
    }

    #[test]
    fn base_url_gets_its_trailing_slash() {
        let checked = PastYearsParams {
            base_url: "https://example.org/posts".into(),
            ..PastYearsParams::default()
        }
        .check()
        .expect("valid");
        assert_eq!(checked.0.base_url, "https://example.org/posts/");
    }

    /// Weekly issues from 2023-01-07, numbered from 1; the last one links `linked` in its section.
    fn weekly(count: u32, linked: &[u32]) -> Vec<Issue> {
        let start = NaiveDate::from_ymd_opt(2023, 1, 7).expect("date");
        (1..=count)
            .map(|n| Issue {
                number: n,
                date: start + chrono::Days::new(7 * u64::from(n - 1)),
                title: format!("Weekly #{n}"),
                format: crate::model::IssueFormat::Full,
                source: format!("{}-weekly.md", start + chrono::Days::new(7 * u64::from(n - 1))),
                stated: Default::default(),
                counts: Default::default(),
                withdrawn: 0,
                paired: 0,
                translation: crate::model::Translation::Missing,
                filled: 0,
                en_title: Some(format!("Weekly #{n} (en)")),
                past_heading: None,
                en_named: None,
                past_links: if n == count {
                    linked
                        .iter()
                        .map(|&i| crate::model::PastLink {
                            issue: Some(i),
                            url: format!("https://example.org/{i}"),
                        })
                        .collect()
                } else {
                    Vec::new()
                },
            })
            .collect()
    }

    fn same_week(issues: &[Issue], number: u32, date: NaiveDate, recent: usize) -> Vec<(u32, u32)> {
        let p = PastYearsParams::default().check().expect("valid").0;
        let recent = RecentLinks::of(issues, date, recent);
        let links = IssueLinks::of(issues, &p.base_url);
        same_week_issues(issues, number, date, &recent, &links, &p)
            .iter()
            .map(|i| (i.issue, i.years_back))
            .collect()
    }

    #[test]
    fn issue_n_looks_back_to_n_minus_fifty_near_the_anniversary() {
        // 120 weekly issues reach from 2023-01-07 to 2025-04-19; the draft is #121, a week later.
        let issues = weekly(120, &[]);
        let date = NaiveDate::from_ymd_opt(2025, 4, 26).expect("date");
        // #71 (2024-05-11) stands within three weeks of the anniversary; #21 (2023-05-27) does
        // not, and the issue nearest 2023-04-26, #17 (2023-04-29), stands in.
        assert_eq!(same_week(&issues, 121, date, 4), vec![(71, 1), (17, 2)]);
    }

    #[test]
    fn without_the_numbering_the_issue_nearest_the_anniversary() {
        let issues = weekly(120, &[]);
        let date = NaiveDate::from_ymd_opt(2025, 4, 26).expect("date");
        // #300 is no use: 2024-04-26 is nearest #69 (2024-04-27), 2023-04-26 nearest #17 (04-29).
        assert_eq!(same_week(&issues, 300, date, 4), vec![(69, 1), (17, 2)]);
    }

    #[test]
    fn what_the_latest_sections_linked_is_not_linked_again() {
        let issues = weekly(120, &[71, 69]);
        let date = NaiveDate::from_ymd_opt(2025, 4, 26).expect("date");
        // #71 and #69 were linked last week: the nearest other issue of that week, #68
        // (2024-04-20), stands in.
        assert_eq!(same_week(&issues, 121, date, 4), vec![(68, 1), (17, 2)]);
        // With no section remembered, #71 comes back.
        assert_eq!(same_week(&issues, 121, date, 0), vec![(71, 1), (17, 2)]);
    }

    #[test]
    fn a_year_with_no_issue_that_week_is_skipped() {
        let mut issues = weekly(120, &[]);
        issues.retain(|i| !(60..=75).contains(&i.number));
        let date = NaiveDate::from_ymd_opt(2025, 4, 26).expect("date");
        assert_eq!(same_week(&issues, 121, date, 4), vec![(17, 2)]);
    }

    /// An entry of issue `issue` titled `title`, translated `en`.
    fn titled(issue: u32, position: u32, title: &str, en: &str) -> Entry {
        Entry {
            title: title.into(),
            en_title: Some(en.into()),
            ..Entry::stub(issue, Category::Article, position)
        }
    }

    #[test]
    fn an_english_title_without_a_subject_is_named_by_the_entry_it_was_taken_from() {
        let mut issue = weekly(1, &[]).remove(0);
        issue.title = "Python 潮流周刊#1：怎样用 Zig 调用 Python 函数？".into();
        issue.en_title = Some("Python Trending Weekly #1 (2023-01-07)".into());
        let entries = vec![
            titled(1, 1, "一份 Rust 入门笔记", "A Rust Primer"),
            titled(
                1,
                2,
                "用 Zig 和 C 调用 Python 函数",
                "Calling Python Functions from Zig and C",
            ),
            // Another issue's entry of the same title is not this issue's.
            titled(2, 1, "怎样用 Zig 调用 Python 函数？", "Elsewhere"),
        ];
        assert_eq!(
            english_title(&issue, &entries).as_deref(),
            Some("Python Trending Weekly #1: Calling Python Functions from Zig and C")
        );
        // Below the bar, or another number: no entry, and the caller shows the Chinese title.
        issue.title = "Python 潮流周刊#1：Zig 很好，C 也不差".into();
        assert_eq!(english_title(&issue, &entries), None);
        issue.title = "Python 潮流周刊#1：一份 Rust 入门笔记".into();
        assert!(english_title(&issue, &entries).is_some());
        issue.title = "Python 潮流周刊#1：两份 Rust 入门笔记 2".into();
        assert_eq!(english_title(&issue, &entries), None);
        // A withdrawn entry names nothing.
        let mut withdrawn = entries.clone();
        withdrawn[0].withdrawn = true;
        issue.title = "Python 潮流周刊#1：一份 Rust 入门笔记".into();
        assert_eq!(english_title(&issue, &withdrawn), None);
        // A translation with its own subject is taken as it is; none, no English title.
        issue.en_title = Some("Python Trending Weekly #1: Own words".into());
        assert_eq!(
            english_title(&issue, &entries).as_deref(),
            Some("Python Trending Weekly #1: Own words")
        );
        // A translation whose title was not used (it named another issue): its entries name it.
        issue.en_title = None;
        assert_eq!(
            english_title(&issue, &entries).as_deref(),
            Some("Python Trending Weekly #1: A Rust Primer")
        );
        // No translation: no English title.
        let untranslated: Vec<Entry> = entries
            .iter()
            .cloned()
            .map(|e| Entry { en_title: None, ..e })
            .collect();
        assert_eq!(english_title(&issue, &untranslated), None);
    }

    #[test]
    fn an_english_title_without_a_subject_is_named_as_the_editor_named_it_in_english() {
        let mut issue = weekly(9, &[]).remove(8);
        issue.title = "Python 潮流周刊#9：如何在本地部署开源大语言模型？".into();
        issue.en_title = Some("Python Trending Weekly #9 (2023-07-01)".into());
        // The subject rewords the entry past the bar: no entry names it.
        let entries = vec![titled(
            9,
            1,
            "本地部署开源大模型的完整教程：LangChain + Streamlit",
            "A Guide",
        )];
        assert_eq!(english_title(&issue, &entries), None);
        for named in [
            "#9: How to Deploy Open Source Large Language Models Locally?",
            "Python Trending Weekly #9：How to Deploy Open Source Large Language Models Locally?",
        ] {
            issue.en_named = Some(named.into());
            assert_eq!(
                english_title(&issue, &entries).as_deref(),
                Some("Python Trending Weekly #9: How to Deploy Open Source Large Language Models Locally?"),
                "{named}"
            );
        }
        // A name that is the number alone (and a date) says nothing, nor one left in Chinese;
        // the translation's own subject comes first.
        for nothing in [
            "#9",
            "Python Trending Weekly #9 (2023-07-01)",
            "#9：如何在本地部署开源大语言模型？",
        ] {
            issue.en_named = Some(nothing.into());
            assert_eq!(english_title(&issue, &entries), None, "{nothing}");
        }
        issue.en_named = Some("Weekly # 9 - Deploying Models Locally".into());
        assert_eq!(
            english_title(&issue, &entries).as_deref(),
            Some("Python Trending Weekly #9: Deploying Models Locally")
        );
        issue.en_named = Some("#9: Other words".into());
        issue.en_title = Some("Python Trending Weekly #9: Own words".into());
        assert_eq!(
            english_title(&issue, &entries).as_deref(),
            Some("Python Trending Weekly #9: Own words")
        );
    }

    #[test]
    fn english_sections_use_the_translated_titles_without_a_second_date() {
        let mut issues = weekly(60, &[]);
        issues[0].title = "Python 潮流周刊#1：怎样用 Zig 调用 Python 函数？".into();
        issues[0].en_title = Some("Python Trending Weekly #1 (2023-01-07)".into());
        let p = PastYearsParams {
            lang: Lang::En,
            style: Style::Long,
            ..PastYearsParams::default()
        }
        .check()
        .expect("valid");
        let date = NaiveDate::from_ymd_opt(2024, 1, 6).expect("date");
        let links = IssueLinks::of(&issues, &p.0.base_url);
        let found = same_week_issues(
            &issues,
            51,
            date,
            &RecentLinks::of(&issues, date, 4),
            &links,
            &p.0,
        );
        assert_eq!(found[0].url, "https://pythoncat.top/posts/2023-01-07-weekly");
        let mut section = PastYears {
            date,
            lang: Lang::En,
            style: Style::Long,
            heading: Heading::parse(DEFAULT_HEADING)
                .expect("heading")
                .in_lang(Lang::En),
            issues: found,
            entries: Vec::new(),
        };
        // Without the entries the subject was taken from, the Chinese title, never a bare number,
        // and said to be Chinese; in the short style with an English colon after the number.
        assert!(section.needs_subjects(&issues));
        assert_eq!(
            render_markdown(&section),
            "## [🐧Looking Back](https://weekly.pythoncat.top)\n\n\
             [Python 潮流周刊#1：怎样用 Zig 调用 Python 函数？](https://pythoncat.top/posts/2023-01-07-weekly) (2023.01.07)\n"
        );
        assert_eq!(section.chinese_titles(), vec![1]);
        section.style = Style::Short;
        assert_eq!(
            render_markdown(&section),
            "## [🐧Looking Back](https://weekly.pythoncat.top)\n\n\
             [#1: 怎样用 Zig 调用 Python 函数？](https://pythoncat.top/posts/2023-01-07-weekly)\n"
        );
        section.style = Style::Long;
        let entries = [titled(
            1,
            1,
            "用 Zig 和 C 调用 Python 函数",
            "Calling Python Functions from Zig and C",
        )];
        section.name_subjects(&issues, &entries);
        assert_eq!(
            render_markdown(&section),
            "## [🐧Looking Back](https://weekly.pythoncat.top)\n\n\
             [Python Trending Weekly #1: Calling Python Functions from Zig and C](https://pythoncat.top/posts/2023-01-07-weekly) (2023.01.07)\n"
        );
        assert!(section.chinese_titles().is_empty());
        // Not in Chinese.
        section.lang = Lang::Zh;
        assert!(!section.needs_subjects(&issues));
    }

    #[test]
    fn a_short_english_line_is_never_a_bare_number() {
        let mut issues = weekly(60, &[]);
        issues[0].title = "Python 潮流周刊#1：自己写的标题".into();
        issues[0].en_title = Some("Python Trending Weekly #1 (2023-01-07)".into());
        issues[1].en_title = Some("Python Trending Weekly #2: Own words".into());
        for (title, subject) in [
            ("Python Trending Weekly #10 (2023-07-08)", false),
            ("Python Trending Weekly 40 (2024-03-02)", false),
            ("Python Trending Weekly #12", false),
            ("Python Trending Weekly #50: Python 3.13", true),
            ("Python Trending Weekly: a subject", true),
        ] {
            assert_eq!(has_subject(title), subject, "{title}");
        }
        let p = PastYearsParams {
            lang: Lang::En,
            style: Style::Short,
            ..PastYearsParams::default()
        }
        .check()
        .expect("valid");
        let links = IssueLinks::of(&issues, &p.0.base_url);
        let mut lines = Vec::new();
        for (number, date) in [(51, issues[0].date), (52, issues[1].date)] {
            let date = date + chrono::Duration::days(364);
            let found = same_week_issues(
                &issues,
                number,
                date,
                &RecentLinks::of(&issues, date, 4),
                &links,
                &p.0,
            );
            let section = PastYears {
                date,
                lang: Lang::En,
                style: Style::Short,
                heading: Heading::parse(DEFAULT_HEADING)
                    .expect("heading")
                    .in_lang(Lang::En),
                issues: found,
                entries: Vec::new(),
            };
            lines.push(
                render_markdown(&section)
                    .lines()
                    .last()
                    .expect("a line")
                    .to_string(),
            );
        }
        assert_eq!(
            lines,
            [
                "[#1: 自己写的标题](https://pythoncat.top/posts/2023-01-07-weekly)",
                "[#2: Own words](https://pythoncat.top/posts/2023-01-14-weekly)",
            ]
        );
    }

    #[test]
    fn the_short_style_is_the_number_and_subject_the_long_one_the_title_and_date() {
        let date = NaiveDate::from_ymd_opt(2025, 6, 28).expect("date");
        let issue = PastIssue {
            issue: 58,
            date: NaiveDate::from_ymd_opt(2024, 6, 29).expect("date"),
            title: "Python 潮流周刊#58：最快运行原型的语言".into(),
            url: "https://pythoncat.top/posts/2024-06-29-weekly".into(),
            years_back: 1,
        };
        let mut section = PastYears {
            date,
            lang: Lang::Zh,
            style: Style::Short,
            heading: Heading::parse(DEFAULT_HEADING).expect("heading"),
            issues: vec![issue],
            entries: Vec::new(),
        };
        assert_eq!(
            render_markdown(&section),
            "## [🐧往年回顾](https://weekly.pythoncat.top)\n\n\
             [#58：最快运行原型的语言](https://pythoncat.top/posts/2024-06-29-weekly)\n"
        );
        section.style = Style::Long;
        assert!(render_markdown(&section).ends_with(
            "[Python 潮流周刊#58：最快运行原型的语言](https://pythoncat.top/posts/2024-06-29-weekly)（2024.06.29）\n"
        ));
    }

    #[test]
    fn links_to_issues_are_the_archives_own() {
        // The last issue's section linked #1 at the blog's `-weekly1`.
        let mut issues = weekly(60, &[]);
        issues[59].past_links = vec![crate::model::PastLink {
            issue: Some(1),
            url: "https://pythoncat.top/posts/2023-01-07-weekly1".into(),
        }];
        let p = PastYearsParams::default().check().expect("valid").0;
        let links = IssueLinks::of(&issues, &p.base_url);
        assert_eq!(
            links.url(&issues[0]),
            "https://pythoncat.top/posts/2023-01-07-weekly1"
        );
        assert_eq!(
            links.url(&issues[1]),
            "https://pythoncat.top/posts/2023-01-14-weekly"
        );
        // Another base: the archive's links to pythoncat.top are not it.
        let other = IssueLinks::of(&issues, "https://example.org/");
        assert_eq!(other.url(&issues[0]), "https://example.org/2023-01-07-weekly");
    }

    #[test]
    fn an_issue_linked_lately_gives_way_to_the_next_number() {
        // Draft #122 of 2025-05-10: #72 (2024-05-18) was linked last week, and #73 (2024-05-25),
        // the next one not yet linked, stands within three weeks of the anniversary.
        let issues = weekly(121, &[72]);
        let date = NaiveDate::from_ymd_opt(2025, 5, 10).expect("date");
        assert_eq!(same_week(&issues, 122, date, 4)[0], (73, 1));
        assert_eq!(same_week(&issues, 122, date, 0)[0], (72, 1));
    }

    #[test]
    fn archive_text_cannot_make_markup_or_a_script_link() {
        let date = NaiveDate::from_ymd_opt(2024, 1, 6).expect("date");
        let entry = |title: &str, url: &str| PastEntry {
            issue: 1,
            date,
            category: Category::Article,
            position: 1,
            title: title.into(),
            url: url.into(),
            score: 0.5,
            draft_title: String::new(),
            shared: Vec::new(),
        };
        let section = PastYears {
            date,
            lang: Lang::En,
            style: Style::Short,
            heading: Heading::parse(DEFAULT_HEADING)
                .expect("heading")
                .in_lang(Lang::En),
            issues: Vec::new(),
            entries: vec![
                entry("a [b] c", "https://x.org/a"),
                entry("<script>alert(1)</script>", "https://x.org/b"),
                entry("x", "javascript:alert(1)"),
            ],
        };
        assert_eq!(
            render_markdown(&section),
            "## [🐧Looking Back](https://weekly.pythoncat.top)\n\n### Related\n\n[a \\[b\\] c](https://x.org/a) (#1, 2024.01.06)\n\n\
             [&lt;script&gt;alert(1)&lt;/script&gt;](https://x.org/b) (#1, 2024.01.06)\n\n\
             x (#1, 2024.01.06)\n"
        );
    }

    #[test]
    fn headings_are_read_as_written() {
        assert_eq!(
            Heading::parse("## [🐧 往年回顾](https://xiaobot.net/p/python_weekly)"),
            Some(Heading {
                level: 2,
                label: "🐧 往年回顾".into(),
                url: Some("https://xiaobot.net/p/python_weekly".into()),
            })
        );
        assert_eq!(
            Heading::parse("### 往年回顾"),
            Some(Heading {
                level: 3,
                label: "往年回顾".into(),
                url: None,
            })
        );
        assert_eq!(
            Heading::parse("**[🐧 往年回顾](https://example.org)**"),
            Heading::parse("## [🐧 往年回顾](https://example.org)")
        );
        assert_eq!(Heading::parse("##   "), None);
    }

    #[test]
    fn the_heading_is_the_editors_latest_before_the_draft() {
        let mut issues = weekly(60, &[]);
        issues[9].past_heading = Some("## [🐧 往年回顾](https://old.example.org/p)".into());
        issues[39].past_heading = Some("## [🐧往年回顾](https://new.example.org)".into());
        let p = PastYearsParams::default().check().expect("valid").0;
        let render = |date: NaiveDate, p: &PastYearsParams| {
            render_markdown(&PastYears {
                date,
                lang: p.lang,
                style: Style::Short,
                heading: heading(&issues, date, p),
                issues: Vec::new(),
                entries: Vec::new(),
            })
        };
        // After #40 (2023-10-07): its heading, link, emoji and spacing as written.
        let late = NaiveDate::from_ymd_opt(2024, 3, 2).expect("date");
        assert_eq!(render(late, &p), "## [🐧往年回顾](https://new.example.org)\n");
        // Between #10 and #40: #10's, the older link and the space after the emoji.
        let between = NaiveDate::from_ymd_opt(2023, 6, 1).expect("date");
        assert_eq!(
            render(between, &p),
            "## [🐧 往年回顾](https://old.example.org/p)\n"
        );
        // Before any: the editor's latest known heading.
        let early = NaiveDate::from_ymd_opt(2023, 1, 1).expect("date");
        assert_eq!(render(early, &p), format!("{DEFAULT_HEADING}\n"));
        // --heading-url overrides the link only; English keeps the emoji and spacing.
        let over = PastYearsParams {
            heading_url: Some("https://example.com/w".into()),
            lang: Lang::En,
            ..PastYearsParams::default()
        };
        assert_eq!(
            render(between, &over),
            "## [🐧 Looking Back](https://example.com/w)\n"
        );
        let bad = PastYearsParams {
            heading_url: Some("ftp://x".into()),
            ..PastYearsParams::default()
        };
        assert!(matches!(bad.check(), Err(PastYearsParamsError::HeadingUrl(_))));
    }
}
