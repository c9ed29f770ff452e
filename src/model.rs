//! The records passed between stages: an [`Issue`] of the newsletter and its [`Entry`] items.
//!
//! Parsing produces them, the store persists them, every later stage reads them. They are plain
//! data: no stage keeps a table or a map of strings in their place.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::Serialize;

/// What kind of item an entry is, taken from the heading of the section it stands in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Article,
    Project,
    /// Podcasts and videos.
    Media,
    Discussion,
    Book,
    Other,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Article,
        Category::Project,
        Category::Media,
        Category::Discussion,
        Category::Book,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Article => "article",
            Category::Project => "project",
            Category::Media => "media",
            Category::Discussion => "discussion",
            Category::Book => "book",
            Category::Other => "other",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Category {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("unknown category `{s}`"))
    }
}

/// How much of each entry an issue file carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueFormat {
    /// Linked titles with descriptions.
    Full,
    /// Titles only (the paid-subscription summaries from mid 2025 on).
    TitlesOnly,
}

impl IssueFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            IssueFormat::Full => "full",
            IssueFormat::TitlesOnly => "titles_only",
        }
    }
}

impl FromStr for IssueFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "full" => Ok(IssueFormat::Full),
            "titles_only" => Ok(IssueFormat::TitlesOnly),
            _ => Err(format!("unknown issue format `{s}`")),
        }
    }
}

/// The language of the resource an entry points to, as the editor marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "zh" => Ok(Lang::Zh),
            "en" => Ok(Lang::En),
            _ => Err(format!("unknown language `{s}`")),
        }
    }
}

/// Entry counts per category, indexed by [`Category::index`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CategoryCounts(pub [u32; 6]);

impl CategoryCounts {
    pub fn get(&self, category: Category) -> u32 {
        self.0[category.index()]
    }

    pub fn add(&mut self, category: Category, n: u32) {
        self.0[category.index()] += n;
    }

    pub fn total(&self) -> u32 {
        self.0.iter().sum()
    }
}

/// The counts an issue's intro states, per category; `None` for a category it does not name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StatedCounts(pub [Option<u32>; 6]);

impl StatedCounts {
    pub fn get(&self, category: Category) -> Option<u32> {
        self.0[category.index()]
    }

    /// Adds `n` to what the intro states for `category` (two parts may name one category). A sum
    /// past `u32::MAX` stays there: no intro states such a count, and the overflow panicked or
    /// wrapped to a small, plausible one.
    pub fn set(&mut self, category: Category, n: u32) {
        let slot = &mut self.0[category.index()];
        *slot = Some(slot.unwrap_or(0).saturating_add(n));
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }
}

/// One weekly issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issue {
    /// The number from `#N` in the issue's title.
    pub number: u32,
    /// Front matter `pubDate`, else the date in the file name.
    pub date: NaiveDate,
    pub title: String,
    pub format: IssueFormat,
    /// File name inside the archive, e.g. `2023-05-13-weekly.md`.
    pub source: String,
    /// What the issue's intro says it shares, where it says so.
    pub stated: StatedCounts,
    /// How many entries the parser found, withdrawn ones excluded.
    pub counts: CategoryCounts,
    /// Entries the editor withdrew (numbered placeholders).
    pub withdrawn: u32,
    /// Entries that found their counterpart in the English translation.
    pub paired: u32,
    /// What is known about the translation file.
    pub translation: Translation,
    /// Entries whose link and description came from a season compilation.
    pub filled: u32,
    /// The title of the English translation, where there is one.
    pub en_title: Option<String>,
    /// The links of the issue's own past-years section (往年回顾), in order.
    pub past_links: Vec<PastLink>,
    /// That section's heading line as written (`## [🐧往年回顾](https://weekly.pythoncat.top)`).
    pub past_heading: Option<String>,
    /// How the latest English past-years section linking this issue names it, its link's text
    /// as written (`#9: How to Deploy Open Source Large Language Models Locally?`): the editor's
    /// own English for an issue whose translation is titled by its number alone.
    pub en_named: Option<String>,
}

/// A link of a past-years section: to an earlier issue (its `#N` read from the link text), or to
/// anything else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PastLink {
    pub issue: Option<u32>,
    pub url: String,
}

/// The state of an issue's English translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Translation {
    Missing,
    /// The file exists but was left in Chinese.
    Untranslated,
    /// The file is empty, or holds no entry.
    Empty,
    /// The file is in another language than English (a Japanese translation in `en/`).
    Foreign,
    Present,
}

impl Translation {
    pub fn as_str(self) -> &'static str {
        match self {
            Translation::Missing => "missing",
            Translation::Untranslated => "untranslated",
            Translation::Empty => "empty",
            Translation::Foreign => "foreign",
            Translation::Present => "present",
        }
    }
}

impl FromStr for Translation {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "missing" => Ok(Translation::Missing),
            "untranslated" => Ok(Translation::Untranslated),
            "empty" => Ok(Translation::Empty),
            "foreign" => Ok(Translation::Foreign),
            "present" => Ok(Translation::Present),
            _ => Err(format!("unknown translation state `{s}`")),
        }
    }
}

/// Identifies an entry across the archive: `ISSUE:CATEGORY:POSITION`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EntryId {
    pub issue: u32,
    pub category: Category,
    pub position: u32,
}

impl fmt::Display for EntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.issue, self.category, self.position)
    }
}

impl FromStr for EntryId {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}` is not ISSUE:CATEGORY:POSITION (e.g. 78:article:2)");
        let mut parts = s.split(':');
        let (Some(issue), Some(category), Some(position), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        Ok(EntryId {
            issue: issue.parse().map_err(|_| bad())?,
            category: category.parse()?,
            position: position.parse().map_err(|_| bad())?,
        })
    }
}

/// A topic as the store keeps it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicSummary {
    pub id: u32,
    pub size: u32,
    /// The most distinctive terms (class-based TF-IDF), both languages, best first.
    pub terms: Vec<String>,
    /// The same terms in the order the topic's entries' titles write them
    /// ([`crate::wording::in_written_order`]): a label shows the ones it chooses by rank in this
    /// order ("large model", not "model large").
    pub written: Vec<String>,
    /// The entries nearest the topic's centroid.
    pub central: Vec<EntryId>,
    /// Mean NPMI coherence of the top-10 terms.
    pub npmi: f64,
}

/// A span of a plain text that the editor wrote as inline markup: a link (its target) or a code
/// span. `start..end` are byte offsets into the text, on character boundaries, never empty; a
/// code span may stand inside a link (`[`uv` 文档](…)`), spans never overlap otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mark {
    pub start: u32,
    pub end: u32,
    /// The link's target; `None` for a code span.
    pub link: Option<String>,
}

/// One shared item: an article, project, podcast, discussion or book.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub issue: u32,
    pub category: Category,
    /// 1-based order inside its section.
    pub position: u32,
    /// The number as printed; it can repeat or skip.
    pub number: Option<u32>,
    pub title: String,
    /// The title's link; none for title-only entries.
    pub url: Option<String>,
    /// The other links in the entry's text, in order.
    pub links: Vec<String>,
    pub lang: Lang,
    /// Plain text: markdown removed, link texts and code kept, images dropped.
    pub description: String,
    /// Where the description's links and code spans stood ([`Mark`]), in order of their start:
    /// with it the description's inline markup can be written again.
    pub description_marks: Vec<Mark>,
    /// Alt texts of the images the entry showed.
    pub image_alts: Vec<String>,
    pub en_title: Option<String>,
    pub en_description: Option<String>,
    /// The English description's links and code spans, as [`Entry::description_marks`].
    pub en_description_marks: Vec<Mark>,
    /// The editor withdrew the item; a placeholder stands in its place.
    pub withdrawn: bool,
    /// The line of the entry in its issue file (1-based).
    pub line: u32,
}

/// The entries of `entries` that `ids` name, by id, found in one pass (a million entries at
/// scale, a few ids): as a map collected from all of them would hold those ids — of two entries
/// with one id, the last. An id no entry holds is left out.
pub fn entries_by_id(
    entries: &[Entry],
    ids: impl IntoIterator<Item = EntryId>,
) -> std::collections::BTreeMap<EntryId, &Entry> {
    let wanted: std::collections::BTreeSet<EntryId> = ids.into_iter().collect();
    let mut found = std::collections::BTreeMap::new();
    let Some(last) = wanted.iter().map(|id| id.issue).max() else {
        return found;
    };
    // The issues holding a wanted id, asked first: most entries are in none.
    let mut in_issue = vec![false; last as usize + 1];
    for id in &wanted {
        in_issue[id.issue as usize] = true;
    }
    for e in entries {
        if in_issue.get(e.issue as usize).copied().unwrap_or(false) {
            let id = e.id();
            if wanted.contains(&id) {
                found.insert(id, e);
            }
        }
    }
    found
}

impl Entry {
    /// The entry's texts in both languages: its title and description, then the translation's.
    /// One bag of these is the entry's document.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        [
            Some(self.title.as_str()),
            Some(self.description.as_str()),
            self.en_title.as_deref(),
            self.en_description.as_deref(),
        ]
        .into_iter()
        .flatten()
    }

    pub fn id(&self) -> EntryId {
        EntryId {
            issue: self.issue,
            category: self.category,
            position: self.position,
        }
    }
}

impl Entry {
    /// An entry of issue 0 with nothing in it (no text, so nothing allocated): what holds a
    /// place in a vector until a reader writes the entry read over it.
    pub(crate) fn placeholder() -> Entry {
        Entry {
            issue: 0,
            category: Category::Article,
            position: 0,
            number: None,
            title: String::new(),
            url: None,
            links: Vec::new(),
            lang: Lang::Zh,
            description: String::new(),
            description_marks: Vec::new(),
            image_alts: Vec::new(),
            en_title: None,
            en_description: None,
            en_description_marks: Vec::new(),
            withdrawn: false,
            line: 0,
        }
    }

    /// A live entry for unit tests: titled `issue-position`, no text, no links, line 1.
    #[cfg(test)]
    pub(crate) fn stub(issue: u32, category: Category, position: u32) -> Entry {
        Entry {
            issue,
            category,
            position,
            number: Some(position),
            title: format!("{issue}-{position}"),
            line: 1,
            ..Entry::placeholder()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn entry_id_round_trips() {
        let id: EntryId = "78:article:2".parse().expect("valid id");
        assert_eq!(id.issue, 78);
        assert_eq!(id.category, Category::Article);
        assert_eq!(id.position, 2);
        assert_eq!(id.to_string(), "78:article:2");
    }

    #[test]
    fn entries_by_id_finds_what_a_map_of_all_would_hold() {
        let mut entries: Vec<Entry> = (1..=40)
            .flat_map(|issue| {
                (1..=3).map(move |p| {
                    Entry::stub(
                        issue,
                        if p == 2 {
                            Category::Project
                        } else {
                            Category::Article
                        },
                        p,
                    )
                })
            })
            .collect();
        // Two entries with one id (the archive never has them): the last is the one kept.
        let mut twin = Entry::stub(7, Category::Article, 1);
        twin.title = "twin".into();
        entries.push(twin);
        let all: BTreeMap<EntryId, &Entry> = entries.iter().map(|e| (e.id(), e)).collect();
        let ids = [
            Entry::stub(7, Category::Article, 1).id(),
            Entry::stub(40, Category::Article, 3).id(),
            Entry::stub(1, Category::Project, 2).id(),
            // Held by no entry: a category, a position, an issue beyond the last.
            Entry::stub(3, Category::Project, 1).id(),
            Entry::stub(3, Category::Article, 9).id(),
            Entry::stub(99, Category::Article, 1).id(),
        ];
        let found = entries_by_id(&entries, ids);
        let want: BTreeMap<EntryId, &Entry> =
            ids.iter().filter_map(|id| Some((*id, *all.get(id)?))).collect();
        assert_eq!(found, want);
        assert_eq!(found.len(), 3);
        assert_eq!(found[&ids[0]].title, "twin");
        assert!(entries_by_id(&entries, []).is_empty());
    }

    #[test]
    fn entry_id_rejects_missing_parts() {
        assert!("78:article".parse::<EntryId>().is_err());
        assert!("78:essay:2".parse::<EntryId>().is_err());
        assert!("x:article:2".parse::<EntryId>().is_err());
        assert!("1:article:2:3".parse::<EntryId>().is_err());
    }
}
