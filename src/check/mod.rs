//! The already-shared check: for each entry of a draft issue, the earlier entries it repeats and
//! those it follows up. Each match has its reasons and a [`Verdict`]:
//!
//! - **already shared**: the same resource (canonical URL; a GitHub repository matched only as a
//!   repository, its issues, pull requests, releases and files each their own), the same title,
//!   the same project (its name, folded, before `：` in a project title, or its repository's name)
//!   in two project entries, or near-duplicate text compared like with like (Chinese with Chinese,
//!   English with English, a title-only entry by its title);
//! - **covered before**: the same project or PEP in a new article or a new stage (an article after
//!   a project entry, a release after the repository);
//! - **mentioned**: the draft's link stood only in an earlier entry's description (context).
//!
//! Entries of the draft that repeat each other are reported too.

mod source;
mod texts;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use rayon::prelude::*;

use crate::identity::{Key, Marks};
use crate::model::{Category, Entry};
use crate::parse::ParsedEntry;
use crate::related::{infallible, Request};
use crate::tokenize::Tokenizer;

pub use crate::identity::{project_name, same_subject, Identities};
pub use source::{Archive, Source};
use texts::{common_word, Texts, Weigher};

/// Text at least this similar (cosine of TF-IDF rows, like with like) counts as a near duplicate.
pub const NEAR_DUPLICATE: f32 = 0.8;

/// A near duplicate shares at least this many terms: two short titles sharing "Python" and
/// "回顾" alone are not one entry.
pub const MIN_SHARED_TERMS: usize = 3;

/// Two entries named by a common word are one project only when what their texts say besides the
/// name is this similar (Google's `skills` and Anthropic's share "agent" and the name alone).
const SAME_NAME_TEXT: f32 = 0.25;

/// How many of the index's nearest rows are compared like with like, and the lowest index score
/// that makes a row a candidate.
const CANDIDATES: usize = 12;
const CANDIDATE_SCORE: f32 = 0.2;

/// Words by which a title says it follows an earlier piece up: the same subject again, in a new
/// article ("Building modern Django apps with Alpine AJAX, revisited" after the first).
const FOLLOW_UP: [&str; 14] = [
    "revisited",
    "revisiting",
    "part 2",
    "part ii",
    "part two",
    "follow-up",
    "sequel",
    "再探",
    "再谈",
    "再论",
    "续篇",
    "下篇",
    "（二）",
    "(二)",
];

/// Whether a title of the draft entry's (its own and its translation's, `""` where there is
/// none) says it follows an earlier piece up ([`FOLLOW_UP`]) and neither of the earlier entry's
/// says so.
fn follows_up(draft: [&str; 2], earlier: [&str; 2]) -> bool {
    // An English word stands alone (`sequel` is not `Sequelize`, `part 2` not `part 20`).
    let alone = |t: &str, at: usize, w: &str| {
        let apart = |c: Option<char>| !c.is_some_and(|c| c.is_ascii_alphanumeric());
        !w.is_ascii() || (apart(t[..at].chars().next_back()) && apart(t[at + w.len()..].chars().next()))
    };
    let says = |titles: [&str; 2]| {
        titles.iter().any(|t| {
            let t = t.to_lowercase();
            FOLLOW_UP
                .iter()
                .any(|w| t.match_indices(w).any(|(at, _)| alone(&t, at, w)))
        })
    };
    says(draft) && !says(earlier)
}

/// Why a draft entry matched an earlier one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum Reason {
    /// Both title links are this resource.
    SameUrl(String),
    /// Both title links are this repository.
    SameRepository(String),
    /// Both are about the project of this (folded) name.
    SameProject(String),
    /// Both are about this PEP.
    SamePep(u32),
    SameTitle,
    /// Near-duplicate text, like with like.
    SimilarText(f32),
    /// Near-duplicate translations: the English texts alike where the Chinese ones are less so
    /// (two titles written in other Chinese words, translated alike). Said apart so that a
    /// reader who sees two Chinese titles that differ sees why they were matched.
    SimilarTranslation(f32),
    /// Near-duplicate text, but each names another project (a renamed project, or a namesake).
    SimilarOtherName(f32),
    /// Near-duplicate text between a project and an article about it.
    SimilarOtherKind(f32),
    /// The same name, a common word, on texts that say different things.
    SameCommonName(String),
    /// The same name, neither link the same repository, on texts the related index does not
    /// find alike: a name several projects bear.
    SameNameOtherText(String),
    /// The draft's title names the project an earlier project entry was.
    NamesProject(String),
    /// Near-duplicate text about another year's edition (a conference's videos of 2025 after
    /// those of 2024).
    AnotherYear(f32),
    /// Near-duplicate text that says all the earlier entry says and more, in each language
    /// both have: news of the same thing ("PEP 810 被正式接受" after "PEP 810：显式惰性导入"),
    /// not the same piece.
    SaysMore(f32),
    /// Near-duplicate text whose title says it follows the earlier piece up ("…, revisited",
    /// 再探, part 2) where the earlier title does not: the same subject again, a new article.
    FollowsUp(f32),
    /// One title link is the repository, the other a resource inside it.
    InsideRepository(String),
    /// The draft's title link stood in the earlier entry's description.
    Mentioned(String),
}

impl Reason {
    /// What this reason alone says of the pair.
    fn verdict(&self, draft: Category, earlier: Category) -> Verdict {
        match self {
            Reason::SameUrl(_)
            | Reason::SameRepository(_)
            | Reason::SameTitle
            | Reason::SimilarText(_)
            | Reason::SimilarTranslation(_) => Verdict::AlreadyShared,
            Reason::SameProject(_) if draft == Category::Project && earlier == Category::Project => {
                Verdict::AlreadyShared
            }
            Reason::SameProject(_)
            | Reason::SamePep(_)
            | Reason::InsideRepository(_)
            | Reason::AnotherYear(_)
            | Reason::SaysMore(_)
            | Reason::FollowsUp(_)
            | Reason::SimilarOtherName(_)
            | Reason::SimilarOtherKind(_)
            | Reason::NamesProject(_)
            | Reason::SameCommonName(_)
            | Reason::SameNameOtherText(_) => Verdict::CoveredBefore,
            Reason::Mentioned(_) => Verdict::Mentioned,
        }
    }
}

impl Reason {
    /// The reason with its project name as the entry `(title, url)` writes it, not folded.
    fn written(self, title: &str, url: Option<&str>) -> Reason {
        let written = |name: String| crate::identity::written_name(&name, title, url);
        match self {
            Reason::SameProject(n) => Reason::SameProject(written(n)),
            Reason::NamesProject(n) => Reason::NamesProject(written(n)),
            Reason::SameCommonName(n) => Reason::SameCommonName(written(n)),
            Reason::SameNameOtherText(n) => Reason::SameNameOtherText(written(n)),
            other => other,
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::SameUrl(u) => write!(f, "same URL {u}"),
            Reason::SameRepository(r) => write!(f, "same repository github.com/{r}"),
            Reason::SameProject(p) => write!(f, "same project name `{p}`"),
            Reason::SamePep(n) => write!(f, "same PEP {n}"),
            Reason::SameTitle => write!(f, "same title"),
            Reason::SimilarText(s) => write!(f, "similar text (cosine {s:.2})"),
            Reason::SimilarTranslation(s) => write!(f, "similar translation (cosine {s:.2})"),
            Reason::AnotherYear(s) => write!(f, "similar text of another year (cosine {s:.2})"),
            Reason::SaysMore(s) => write!(f, "similar text, and its title says more (cosine {s:.2})"),
            Reason::FollowsUp(s) => write!(
                f,
                "similar text, and its title says it follows up (cosine {s:.2})"
            ),
            Reason::SimilarOtherName(s) => write!(f, "similar text under another name (cosine {s:.2})"),
            Reason::SimilarOtherKind(s) => write!(f, "similar text, project and article (cosine {s:.2})"),
            Reason::NamesProject(p) => write!(f, "its title names the project `{p}`"),
            Reason::SameCommonName(p) => write!(f, "same name `{p}`, a common word, on other text"),
            Reason::SameNameOtherText(p) => write!(f, "same name `{p}` on unrelated text"),
            Reason::InsideRepository(r) => write!(f, "inside repository github.com/{r}"),
            Reason::Mentioned(u) => write!(f, "{u} in its description"),
        }
    }
}

/// What a match means for the draft, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The same article, project, repository or talk: exit status 1.
    AlreadyShared,
    /// The same project or PEP, but a new article or a new stage.
    CoveredBefore,
    /// The draft's link was only mentioned in an earlier entry's description.
    Mentioned,
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Verdict::AlreadyShared => "already shared",
            Verdict::CoveredBefore => "covered before",
            Verdict::Mentioned => "mentioned",
        })
    }
}

/// An earlier entry a draft entry repeats or follows up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub issue: u32,
    pub date: String,
    pub category: Category,
    pub position: u32,
    pub title: String,
    /// The earlier entry's title link, if it had one.
    pub url: Option<String>,
    /// Days from the earlier entry's issue to the draft's date: negative only when the draft's
    /// date is a slip (which is warned of). Given to a program in whole weeks (`weeks_ago`).
    #[serde(rename = "weeks_ago", serialize_with = "whole_weeks")]
    pub days_ago: i64,
    pub verdict: Verdict,
    pub reasons: Vec<Reason>,
}

/// [`Hit::days_ago`] as the JSON gives it: whole weeks, towards zero.
fn whole_weeks<S: serde::Serializer>(days: &i64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_i64(days / 7)
}

/// Another entry of the same draft that this one repeats.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InDraft {
    pub category: Category,
    pub position: u32,
    pub title: String,
    pub reasons: Vec<Reason>,
}

/// A draft entry and what it repeats.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftResult {
    pub category: Category,
    pub position: u32,
    pub title: String,
    /// Earlier entries it repeats (verdict "already shared").
    pub hits: Vec<Hit>,
    /// Earlier entries it follows up or that mentioned it (verdicts "covered before",
    /// "mentioned"): shown, not counted as shared.
    pub covered: Vec<Hit>,
    /// The first earlier entry of the same draft it repeats (a list of none or one, as the
    /// JSON output has always written it).
    pub in_draft: Vec<InDraft>,
}

impl Hit {
    /// The earlier entry's id.
    pub fn id(&self) -> crate::model::EntryId {
        crate::model::EntryId {
            issue: self.issue,
            category: self.category,
            position: self.position,
        }
    }
}

impl DraftResult {
    /// The first share of the earlier entries it repeats (the one to name).
    pub fn first_hit(&self) -> Option<&Hit> {
        self.hits.iter().min_by_key(|h| (h.issue, h.category, h.position))
    }

    /// Shared before, or twice in the draft: what sets `check`'s exit status.
    pub fn repeats(&self) -> bool {
        !self.hits.is_empty() || !self.in_draft.is_empty()
    }
}

/// The English text of a draft entry (kept with the draft, which reads it).
pub use crate::draft::Translated;

/// What `check` reads of an entry it checks: a draft's entry ([`ParsedEntry`]) and a stored
/// entry ([`Entry`], when the report checks a season's issues or a replay each issue) both give
/// one, so neither is turned into the other.
#[derive(Debug, Clone, Copy)]
pub struct Probe<'a> {
    pub category: Category,
    pub position: u32,
    pub title: &'a str,
    /// The title's link; none for a title-only entry.
    pub url: Option<&'a str>,
    pub description: &'a str,
    pub withdrawn: bool,
}

impl<'a> From<&'a ParsedEntry> for Probe<'a> {
    fn from(d: &'a ParsedEntry) -> Probe<'a> {
        Probe {
            category: d.category,
            position: d.position,
            title: &d.title,
            url: d.url.as_deref(),
            description: &d.description,
            withdrawn: d.withdrawn,
        }
    }
}

impl<'a> From<&'a Entry> for Probe<'a> {
    fn from(e: &'a Entry) -> Probe<'a> {
        Probe {
            category: e.category,
            position: e.position,
            title: &e.title,
            url: e.url.as_deref(),
            description: &e.description,
            withdrawn: e.withdrawn,
        }
    }
}

impl<'a> From<&Probe<'a>> for Probe<'a> {
    fn from(p: &Probe<'a>) -> Probe<'a> {
        *p
    }
}

/// Checks each entry of `draft` against the entries of issues before `before` (all when `None`).
pub fn check<'d, D>(
    draft: &'d [D],
    draft_date: NaiveDate,
    before: Option<u32>,
    archive: &Archive<'_>,
    tokenizer: &Tokenizer,
) -> Vec<DraftResult>
where
    Probe<'d>: From<&'d D>,
{
    check_translated(
        draft,
        Language::Chinese(&[]),
        draft_date,
        before,
        archive,
        tokenizer,
    )
}

/// [`check`] of a draft in `language`: a Chinese one with its English text where its
/// translation gives it, or the English translation itself.
pub fn check_translated<'d, D>(
    draft: &'d [D],
    language: Language<'_>,
    draft_date: NaiveDate,
    before: Option<u32>,
    archive: &Archive<'_>,
    tokenizer: &Tokenizer,
) -> Vec<DraftResult>
where
    Probe<'d>: From<&'d D>,
{
    let mut archive = *archive;
    infallible(check_in(
        draft,
        language,
        draft_date,
        before,
        &mut archive,
        Some(tokenizer),
    ))
}

/// An earlier entry a draft leads to: the entry, its marks and its keys.
struct Found {
    entry: Entry,
    marks: Marks,
    keys: BTreeSet<Key>,
}

/// What a draft entry leads to: the rows holding each of its keys, the index's nearest rows.
struct Leads {
    by_key: Vec<(Key, Vec<usize>)>,
    /// The index's nearest rows, best first.
    nearest: Vec<usize>,
    /// The rows holding one of its project names, with how alike the index finds their texts
    /// (the draft's query row against theirs, as the nearest rows are scored; infinite when
    /// either row is empty: no word the vocabulary knows, nothing to tell them apart by).
    named: BTreeMap<usize, f32>,
}

/// The keys a draft entry's marks are looked up by, in the order its reasons are given.
fn lookup_keys(d: &Probe<'_>, m: &Marks) -> Vec<Key> {
    let mut keys = Vec::new();
    if let Some(url) = &m.url {
        keys.push(Key::Url(url.clone()));
        keys.push(Key::Link(url.clone()));
    }
    if let Some((repo, _)) = &m.repo {
        keys.push(Key::Repo(repo.clone()));
    }
    keys.extend(m.names.iter().cloned().map(Key::Name));
    // An article naming a project shared before follows it up.
    if d.category != Category::Project {
        keys.extend(
            m.words
                .iter()
                .filter(|w| w.chars().count() >= 4)
                .cloned()
                .map(Key::Name),
        );
    }
    keys.extend(m.pep.map(Key::Pep));
    keys.extend(m.title.clone().map(Key::Title));
    keys
}

/// What language a draft is written in, and so which of the earlier entries' texts it is
/// compared with: a Chinese draft (with its English translation where there is one) with their
/// Chinese texts (and their translations), an English draft — the translation's file, `en/…` —
/// with their translations alone.
#[derive(Debug, Clone, Copy)]
pub enum Language<'t> {
    /// The draft is Chinese; `translation[i]` is the English of its entry `i`, where known.
    Chinese(&'t [Option<Translated>]),
    /// The draft is the English translation.
    English,
}

/// [`check_translated`], reading the archive from `source`: the rows the draft's marks and its
/// nearest rows lead to, and nothing else. Without a `tokenizer`, one is made for the draft's
/// texts and those of the entries they lead to alone (the terms the whole dictionary gives them).
pub fn check_in<'a, 'd, S: Source<'a>, D>(
    draft: &'d [D],
    language: Language<'_>,
    draft_date: NaiveDate,
    before: Option<u32>,
    source: &mut S,
    tokenizer: Option<&Tokenizer>,
) -> Result<Vec<DraftResult>, S::Error>
where
    Probe<'d>: From<&'d D>,
{
    let (translation, in_english): (&[Option<Translated>], bool) = match language {
        Language::Chinese(t) => (t, false),
        Language::English => (&[], true),
    };
    let draft: Vec<Probe<'d>> = draft.iter().map(Probe::from).collect();
    let dates: BTreeMap<u32, NaiveDate> = source.issues().iter().map(|i| (i.number, i.date)).collect();
    let live: Vec<(usize, &Probe<'d>)> = draft.iter().enumerate().filter(|(_, d)| !d.withdrawn).collect();
    let marks: Vec<Marks> = live.iter().map(|(_, d)| Marks::of(d.title, d.url)).collect();
    let english: Vec<Option<&Translated>> = live
        .iter()
        .map(|&(i, _)| translation.get(i).and_then(Option::as_ref))
        .collect();
    // The draft's texts, and the names its marks hold (a name is tokenised to tell a common word).
    let draft_texts: Vec<&str> = live
        .iter()
        .zip(&english)
        .flat_map(|(&(_, d), en)| {
            [d.title, d.description]
                .into_iter()
                .chain(en.iter().flat_map(|t| [t.title.as_str(), t.description.as_str()]))
        })
        .chain(marks.iter().flat_map(|m| m.names.iter().map(String::as_str)))
        .collect();
    let for_draft;
    let draft_tokenizer = match tokenizer {
        Some(t) => t,
        None => {
            for_draft = Tokenizer::for_texts(draft_texts.par_iter().copied());
            &for_draft
        }
    };

    // What each draft entry leads to: the rows holding its keys, the index's nearest rows.
    let mut leads: Vec<Leads> = Vec::with_capacity(live.len());
    for ((&(_, d), m), en) in live.iter().zip(&marks).zip(&english) {
        let mut by_key = Vec::new();
        for key in lookup_keys(d, m) {
            let rows = source.rows_with(&key)?;
            by_key.push((key, rows));
        }
        let mut terms = Vec::new();
        for text in [d.title, d.description]
            .into_iter()
            .chain(en.iter().flat_map(|t| [t.title.as_str(), t.description.as_str()]))
        {
            draft_tokenizer.plain_terms_into(text, &mut terms);
        }
        let query = source.vocabulary().transform(&terms);
        let mut request = Request::new(&query, CANDIDATES).min_score(CANDIDATE_SCORE);
        if let Some(issue) = before {
            request = request.before(issue);
        }
        let nearest = source
            .nearest(&request)?
            .into_iter()
            .map(|(row, _)| row)
            .collect();
        let mut named = BTreeMap::new();
        for (key, rows) in &by_key {
            if matches!(key, Key::Name(n) if m.names.contains(n)) {
                for &row in rows {
                    if let std::collections::btree_map::Entry::Vacant(slot) = named.entry(row) {
                        // A text the vocabulary knows no word of cannot be told unalike.
                        let theirs = source.ranking_row(row)?;
                        slot.insert(if query.indices.is_empty() || theirs.indices.is_empty() {
                            f32::INFINITY
                        } else {
                            query.dot(&theirs)
                        });
                    }
                }
            }
        }
        leads.push(Leads {
            by_key,
            nearest,
            named,
        });
    }

    // The entries they lead to, read once each; a row that only shares a key's hash is dropped.
    let mut found: BTreeMap<usize, Found> = BTreeMap::new();
    for &row in leads
        .iter()
        .flat_map(|l| l.by_key.iter().flat_map(|(_, rows)| rows).chain(&l.nearest))
    {
        if let std::collections::btree_map::Entry::Vacant(slot) = found.entry(row) {
            let entry = source.entry(row)?;
            let marks = Marks::of_entry(&entry);
            let keys = crate::identity::keys_of(&entry, &marks);
            slot.insert(Found { entry, marks, keys });
        }
    }
    for lead in &mut leads {
        for (key, rows) in &mut lead.by_key {
            rows.retain(|row| found[row].keys.contains(key));
        }
    }
    let for_all;
    let tokenizer = match tokenizer {
        Some(t) => t,
        None => {
            for_all = Tokenizer::for_texts(
                draft_texts
                    .par_iter()
                    .copied()
                    .chain(found.par_iter().flat_map_iter(|(_, f)| f.entry.texts())),
            );
            &for_all
        }
    };
    let vocabulary = source.vocabulary();
    let weigher = Weigher::new(tokenizer, vocabulary);

    let past = |row: usize| {
        let e = &found[&row].entry;
        !e.withdrawn && before.is_none_or(|b| e.issue < b)
    };
    let mut candidate_texts: BTreeMap<(usize, bool), Texts> = BTreeMap::new();
    let results = live
        .iter()
        .zip(&marks)
        .zip(&english)
        .zip(&leads)
        .enumerate()
        .map(|(at, (((&(_, d), m), en), leads))| {
            let Leads {
                by_key,
                nearest,
                named,
            } = leads;
            let mut reasons: BTreeMap<usize, Vec<Reason>> = BTreeMap::new();
            let mut add = |row: usize, reason: Reason| {
                let r = reasons.entry(row).or_default();
                if !r.contains(&reason) {
                    r.push(reason);
                }
            };
            let earlier = |key: &Key| -> Vec<usize> {
                by_key
                    .iter()
                    .find(|(k, _)| k == key)
                    .into_iter()
                    .flat_map(|(_, rows)| rows)
                    .copied()
                    .filter(|&r| past(r))
                    .collect()
            };
            if let Some(url) = &m.url {
                for row in earlier(&Key::Url(url.clone())) {
                    add(row, Reason::SameUrl(url.clone()));
                }
                for row in earlier(&Key::Link(url.clone())) {
                    add(row, Reason::Mentioned(url.clone()));
                }
            }
            if let Some((repo, root)) = &m.repo {
                for row in earlier(&Key::Repo(repo.clone())) {
                    match found[&row].marks.repo {
                        Some((_, other_root)) if *root && other_root => {
                            add(row, Reason::SameRepository(repo.clone()))
                        }
                        Some((_, other_root)) if *root || other_root => {
                            add(row, Reason::InsideRepository(repo.clone()))
                        }
                        _ => {}
                    }
                }
            }
            let title_only = d.description.trim().is_empty();
            let own = if in_english {
                weigher.english_texts(title_only, (d.title, d.description))
            } else {
                weigher.texts(
                    title_only,
                    (d.title, d.description),
                    en.map(|t| (t.title.as_str(), t.description.as_str())),
                )
            };
            let mut besides_name = |row: usize, name: &str| -> f32 {
                let e = &found[&row].entry;
                let texts = candidate_texts
                    .entry((row, title_only))
                    .or_insert_with(|| weigher.entry_texts(title_only, e));
                own.besides_name(texts, name)
            };
            // The index finds the two texts alike: among the draft entry's nearest rows, or
            // scoring as one of them would.
            let alike = |row: usize| {
                nearest.contains(&row) || named.get(&row).is_some_and(|&score| score >= CANDIDATE_SCORE)
            };
            for name in &m.names {
                let common = common_word(tokenizer, vocabulary, name);
                for row in earlier(&Key::Name(name.clone())) {
                    // Two repositories decide over a name.
                    let other = found[&row].marks.repo.as_ref().map(|r| &r.0);
                    let repos = m.repo.as_ref().map(|r| &r.0).zip(other);
                    if repos.is_some_and(|(a, b)| a != b) {
                        continue;
                    }
                    // A name that is a common word ("skills", "agents") and texts that say
                    // different things: a namesake, or the same name for another thing.
                    if common && besides_name(row, name) < SAME_NAME_TEXT {
                        add(row, Reason::SameCommonName(name.clone()));
                    } else if repos.is_none() && !alike(row) {
                        // A name alone is no repeat when nothing else agrees: several projects
                        // bear one name ("owl": a wearable AI, then a multi-agent framework).
                        add(row, Reason::SameNameOtherText(name.clone()));
                    } else {
                        add(row, Reason::SameProject(name.clone()));
                    }
                }
            }
            // An article naming a project shared before follows it up: the latest share is shown.
            // A project is one by its repository, or, shared by its title alone (the archive's
            // format since #110), by its title's name when that is no common word (an article
            // on "uv skills" names no project `skills`).
            let names_projects = d.category != Category::Project;
            for word in m.words.iter().filter(|w| {
                names_projects
                && w.chars().count() >= 4
                // In an English title every word is Latin: one that many entries write
                // (Core, Agents, When) is a word, not a project's name.
                && !(in_english && common_word(tokenizer, vocabulary, w))
            }) {
                let titled_only = || !common_word(tokenizer, vocabulary, word);
                let latest = earlier(&Key::Name(word.clone())).into_iter().rev().find(|&row| {
                    let project = &found[&row];
                    project.entry.category == Category::Project
                        && (matches!(project.marks.repo, Some((_, true)))
                            || (project.entry.url.is_none() && titled_only()))
                });
                if let Some(row) = latest {
                    add(row, Reason::NamesProject(word.clone()));
                }
            }
            if let Some(pep) = m.pep {
                for row in earlier(&Key::Pep(pep)) {
                    add(row, Reason::SamePep(pep));
                }
            }
            if let Some(title) = &m.title {
                for row in earlier(&Key::Title(title.clone())) {
                    add(row, Reason::SameTitle);
                }
            }

            // Near duplicates: candidates from the index, compared like with like.
            for &row in nearest {
                if !past(row) {
                    continue;
                }
                let Found {
                    entry: e,
                    marks: theirs,
                    ..
                } = &found[&row];
                let texts = candidate_texts
                    .entry((row, title_only))
                    .or_insert_with(|| weigher.entry_texts(title_only, e));
                let (score, by_translation) = own.similarity(texts);
                if score >= NEAR_DUPLICATE {
                    let score = (score * 100.0).round() / 100.0;
                    let kinds = [d.category, e.category];
                    if own.other_year(texts) {
                        add(row, Reason::AnotherYear(score));
                    } else if follows_up(
                        [d.title, en.map_or("", |t| t.title.as_str())],
                        [&e.title, e.en_title.as_deref().unwrap_or("")],
                    ) {
                        add(row, Reason::FollowsUp(score));
                    } else if own.says_more(texts) {
                        add(row, Reason::SaysMore(score));
                    } else if !m.names.is_empty()
                        && !theirs.names.is_empty()
                        && m.names.is_disjoint(&theirs.names)
                    {
                        add(row, Reason::SimilarOtherName(score));
                    } else if kinds[0] != kinds[1] && kinds.contains(&Category::Project) {
                        add(row, Reason::SimilarOtherKind(score));
                    } else if by_translation && !in_english {
                        add(row, Reason::SimilarTranslation(score));
                    } else {
                        add(row, Reason::SimilarText(score));
                    }
                }
            }

            let mut hits = Vec::new();
            let mut covered = Vec::new();
            for (row, reasons) in reasons {
                let e = &found[&row].entry;
                let verdict = reasons
                    .iter()
                    .map(|r| r.verdict(d.category, e.category))
                    .min()
                    .unwrap_or(Verdict::Mentioned);
                let date = dates.get(&e.issue).copied().unwrap_or(draft_date);
                let hit = Hit {
                    issue: e.issue,
                    date: date.to_string(),
                    category: e.category,
                    position: e.position,
                    // An English draft reads the earlier entry in English where it was
                    // translated.
                    title: match &e.en_title {
                        Some(en) if in_english => en.clone(),
                        _ => e.title.clone(),
                    },
                    url: e.url.clone(),
                    days_ago: (draft_date - date).num_days(),
                    verdict,
                    reasons: reasons.into_iter().map(|r| r.written(d.title, d.url)).collect(),
                };
                if verdict == Verdict::AlreadyShared {
                    hits.push(hit);
                } else {
                    covered.push(hit);
                }
            }
            covered.sort_by_key(|h| h.verdict);
            // The first earlier entry of the draft it repeats: a third copy names the first, not
            // every copy before it (a draft of n copies would list n² pairs).
            let in_draft = live[..at]
                .iter()
                .zip(&marks)
                .find_map(|(&(_, other), om)| {
                    let reasons = same_in_draft(m, om, other.category == d.category);
                    (!reasons.is_empty()).then(|| InDraft {
                        category: other.category,
                        position: other.position,
                        title: other.title.to_string(),
                        reasons: reasons.into_iter().map(|r| r.written(d.title, d.url)).collect(),
                    })
                })
                .into_iter()
                .collect();
            DraftResult {
                category: d.category,
                position: d.position,
                title: d.title.to_string(),
                hits,
                covered,
                in_draft,
            }
        })
        .collect();
    Ok(results)
}

/// Why two entries of one draft are the same: their link, their repository, their project name
/// (unless their repositories differ), their title.
fn same_in_draft(a: &Marks, b: &Marks, same_kind: bool) -> Vec<Reason> {
    let mut reasons = Vec::new();
    if let (Some(x), Some(y)) = (&a.url, &b.url) {
        if x == y {
            reasons.push(Reason::SameUrl(x.clone()));
        }
    }
    let repos = a.repo.as_ref().map(|r| &r.0).zip(b.repo.as_ref().map(|r| &r.0));
    if let (Some((x, true)), Some((y, true))) = (&a.repo, &b.repo) {
        if x == y && a.url != b.url {
            reasons.push(Reason::SameRepository(x.clone()));
        }
    }
    // Two entries of one kind about one project (the editor pairs an article with its project
    // on purpose), unless their links differ.
    let links_differ = a.url.is_some() && b.url.is_some() && a.url != b.url;
    if same_kind && repos.is_none_or(|(x, y)| x == y) && !links_differ {
        if let Some(name) = a.names.intersection(&b.names).next() {
            reasons.push(Reason::SameProject(name.clone()));
        }
    }
    if a.title.is_some() && a.title == b.title {
        reasons.push(Reason::SameTitle);
    }
    reasons
}

/// Reads the draft at `path` (and its translation `en/<same name>` beside it, when there is one)
/// and checks it against the corpus through the store's index file: only the entries the draft's
/// marks and nearest rows lead to are read. The draft's date is `date`, else its pubDate, else
/// the date its file name starts with, else a week after the last issue.
pub fn check_file(
    corpus: &crate::corpus::Corpus,
    path: &std::path::Path,
    date: Option<NaiveDate>,
) -> crate::error::Result<Checked> {
    let mut draft = crate::draft::Draft::read(path)?;
    let mut indexed = corpus.indexed()?;
    let english = draft.english();
    let date = draft.date(date, indexed.issues);
    let mut problems = std::mem::take(&mut draft.problems);
    problems.extend(draft.date_warning(date, indexed.issues));
    let (before, taken) = earlier_than(draft.issue.number, date, indexed.issues);
    if let Some(taken) = taken {
        problems.push(crate::diagnostic::Diagnostic::file(
            &draft.name,
            format!(
                "the store already holds #{} ({}), not this draft's date ({date}): the draft is \
                 checked against every issue dated before it; give it its own number",
                taken.number, taken.date
            ),
        ));
    }
    let (language, compared) = if draft.is_english() {
        (Language::English, Compared::English)
    } else if english.iter().any(Option::is_some) {
        (Language::Chinese(&english), Compared::ChineseAndEnglish)
    } else {
        (Language::Chinese(&english), Compared::Chinese)
    };
    let results = check_in(&draft.issue.entries, language, date, before, &mut indexed, None)?;
    Ok(Checked {
        results,
        problems,
        compared,
    })
}

/// What [`check_file`] found, and which texts it compared.
#[derive(Debug)]
pub struct Checked {
    pub results: Vec<DraftResult>,
    /// What is wrong with the draft (the rest was checked).
    pub problems: Vec<crate::diagnostic::Diagnostic>,
    pub compared: Compared,
}

/// Which texts a draft was compared with, like with like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Compared {
    /// A Chinese draft without a translation beside it: the earlier entries' Chinese texts.
    Chinese,
    /// A Chinese draft and its translation `en/…`: the earlier entries' Chinese texts, and their
    /// translations with the draft's English.
    ChineseAndEnglish,
    /// An English draft (the translation's file): the earlier entries' translations.
    English,
}

impl std::fmt::Display for Compared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Compared::Chinese => "the draft's Chinese titles and descriptions were compared with the earlier entries' Chinese ones (no translation en/ beside the draft)",
            Compared::ChineseAndEnglish => "the draft's Chinese titles and descriptions were compared with the earlier entries' Chinese ones, and its translation's (en/) with their English translations",
            Compared::English => "an English draft: its titles and descriptions were compared with the earlier entries' English translations (entries never translated are found by their links and names only)",
        })
    }
}

/// The issue number a draft's earlier entries end before: its own number, unless the store holds
/// an issue of that number with another date (a draft made from last week's file, its number not
/// yet changed) — then the first issue dated on or after the draft, so that last week is
/// compared too; that issue is returned to be named.
fn earlier_than(
    number: Option<u32>,
    date: NaiveDate,
    issues: &[crate::model::Issue],
) -> (Option<u32>, Option<&crate::model::Issue>) {
    match number.and_then(|n| issues.iter().find(|i| i.number == n)) {
        Some(taken) if taken.date != date => {
            let first_later = issues.iter().filter(|i| i.date >= date).map(|i| i.number).min();
            (first_later, Some(taken))
        }
        _ => (number, None),
    }
}

/// The words of `check`'s table, in one language: [`English`] here, Chinese from the report's
/// words (`report::i18n`), which word the reasons for both.
pub trait TableWords {
    /// The first line: which texts were compared.
    fn compared(&self, compared: Compared) -> String;
    /// One earlier entry the draft entry repeats, covers or mentions (when, by [`Self::when`]),
    /// `why` the reasons joined.
    fn hit(&self, h: &Hit, why: &str) -> String;
    /// How long before the draft an entry was shared, in days (negative: after it).
    fn when(&self, days_ago: i64) -> String;
    fn reason(&self, r: &Reason) -> String;
    fn reason_separator(&self) -> &'static str;
    /// Another entry of the draft itself that the entry repeats.
    fn in_draft(&self, d: &InDraft, why: &str) -> String;
    fn no_link(&self) -> &'static str;
    /// The last line: how many draft entries were shared or covered before.
    fn summary(&self, shared: usize, entries: usize, covered: usize) -> String;
}

/// The table's words in English, as the command line prints them by default.
pub struct English;

impl TableWords for English {
    fn compared(&self, compared: Compared) -> String {
        format!("({compared})")
    }

    fn hit(&self, h: &Hit, why: &str) -> String {
        let verdict = match h.verdict {
            Verdict::Mentioned => "mentioned in".to_string(),
            v => format!("{v}:"),
        };
        format!(
            "{verdict} #{} ({}), {}:{}, {}: {why}",
            h.issue,
            h.date,
            h.category,
            h.position,
            self.when(h.days_ago)
        )
    }

    fn when(&self, days_ago: i64) -> String {
        // Later than the draft only when the draft's date is a slip (which is warned of).
        match (days_ago, days_ago / 7) {
            (days, _) if (-6..0).contains(&days) => "less than a week after the draft's date".to_string(),
            (_, -1) => "1 week after the draft's date".to_string(),
            (_, n) if n < 0 => format!("{} weeks after the draft's date", -n),
            (_, 0) => "less than a week ago".to_string(),
            (_, 1) => "1 week ago".to_string(),
            (_, n) => format!("{n} weeks ago"),
        }
    }

    fn reason(&self, r: &Reason) -> String {
        r.to_string()
    }

    fn reason_separator(&self) -> &'static str {
        "; "
    }

    fn in_draft(&self, d: &InDraft, why: &str) -> String {
        format!("also in this draft: {}:{}: {why}", d.category, d.position)
    }

    fn no_link(&self) -> &'static str {
        "(no link)"
    }

    fn summary(&self, shared: usize, entries: usize, covered: usize) -> String {
        format!("{shared} of {entries} draft entries were shared before; {covered} more covered before")
    }
}

/// The draft entries shared before, covered before or repeated in the draft, as terminal text
/// (titles, URLs and reasons stripped of control characters).
pub fn render_table(results: &[DraftResult]) -> String {
    render_table_with(results, None)
}

/// [`render_table`], saying first which texts were compared.
pub fn render_table_with(results: &[DraftResult], compared: Option<Compared>) -> String {
    render_table_in(results, compared, &English)
}

/// [`render_table_with`] in the words of `words`.
pub fn render_table_in(
    results: &[DraftResult],
    compared: Option<Compared>,
    words: &dyn TableWords,
) -> String {
    use crate::escape::terminal;
    let mut out = String::new();
    if let Some(compared) = compared {
        let _ = writeln!(out, "{}", words.compared(compared));
    }
    let why = |reasons: &[Reason]| {
        let why: Vec<String> = reasons.iter().map(|r| words.reason(r)).collect();
        terminal(&why.join(words.reason_separator()))
    };
    let (mut shared, mut covered) = (0, 0);
    for r in results.iter().filter(|r| r.repeats() || !r.covered.is_empty()) {
        if r.repeats() {
            shared += 1;
        } else {
            covered += 1;
        }
        let _ = writeln!(out, "{}:{}  {}", r.category, r.position, terminal(&r.title));
        for h in r.hits.iter().chain(&r.covered) {
            let _ = writeln!(
                out,
                "    {}\n        {}  {}",
                words.hit(h, &why(&h.reasons)),
                terminal(&h.title),
                terminal(h.url.as_deref().unwrap_or(words.no_link())),
            );
        }
        for d in &r.in_draft {
            let _ = writeln!(
                out,
                "    {}\n        {}",
                words.in_draft(d, &why(&d.reasons)),
                terminal(&d.title)
            );
        }
    }
    let _ = writeln!(out, "{}", words.summary(shared, results.len(), covered));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_that_says_it_follows_up_is_a_follow_up_and_covered_before() {
        let first = [
            "超越 htmx：用 Alpine AJAX 开发 Django 应用",
            "Beyond htmx: Django apps with Alpine AJAX",
        ];
        assert!(follows_up(["再探 Alpine AJAX 开发 Django 应用", ""], first));
        assert!(follows_up(
            [
                "用 Alpine AJAX 开发 Django 应用",
                "Django apps with Alpine AJAX, Revisited"
            ],
            first
        ));
        // Both say it, or neither: no follow-up by the title.
        assert!(!follows_up(
            ["用 Alpine AJAX 开发 Django 应用", "Django apps with Alpine AJAX"],
            first
        ));
        assert!(!follows_up(["再探 Alpine AJAX", ""], ["再探 htmx", ""]));
        // A word within another is not the word.
        assert!(!follows_up(["", "Sequelize for Django apps, part 20"], first));
        assert!(follows_up(["", "Django apps, part 2: Alpine AJAX"], first));
        assert_eq!(
            Reason::FollowsUp(0.83).verdict(Category::Article, Category::Article),
            Verdict::CoveredBefore
        );
    }

    #[test]
    fn project_names_are_the_part_before_the_colon_folded() {
        assert_eq!(
            project_name("asyncpipe：用管道符串联异步生成器").as_deref(),
            Some("asyncpipe")
        );
        assert_eq!(
            project_name("open_deep_research: Open Deep Research").as_deref(),
            Some("opendeepresearch")
        );
        assert_eq!(
            project_name("Django Orbit：调试工具"),
            project_name("django-orbit：调试工具")
        );
        assert_eq!(
            project_name("Resume Matcher：简历"),
            project_name("Resume-Matcher：简历")
        );
        assert_eq!(project_name("PEP 750：模板字符串"), None);
        assert_eq!(project_name("为什么：没有名字"), None);
        assert_eq!(project_name("no colon here"), None);
    }

    #[test]
    fn generic_heads_are_not_project_names() {
        assert_eq!(project_name("Python：range 不是迭代器"), None);
        assert_eq!(project_name("Python 3.12：新特性"), None);
        assert_eq!(project_name("Ask HN：你用什么编辑器"), None);
    }

    #[test]
    fn peps_are_read_with_or_without_a_hyphen_and_from_their_pages() {
        assert_eq!(Marks::of("PEP 686：默认启用 UTF-8 模式", None).pep, Some(686));
        assert_eq!(Marks::of("PEP-686：UTF-8 模式", None).pep, Some(686));
        assert_eq!(Marks::of("我们能从 PEP-703 中学到什么？", None).pep, Some(703));
        assert_eq!(
            Marks::of("模板字符串", Some("https://peps.python.org/pep-0750/")).pep,
            Some(750)
        );
        assert_eq!(Marks::of("PEPPER：一个库", None).pep, None);
    }

    #[test]
    fn a_repository_name_is_a_project_name_only_for_the_repository_itself() {
        let root = Marks::of("简历打分", Some("https://github.com/cvtools/Resume-Matcher"));
        assert!(root.names.contains("resumematcher"));
        let pull = Marks::of(
            "简历打分",
            Some("https://github.com/cvtools/Resume-Matcher/pull/9"),
        );
        assert!(pull.names.is_empty());
        assert_eq!(pull.repo, Some(("cvtools/resume-matcher".to_string(), false)));
    }

    #[test]
    fn the_same_subject_is_the_same_link_repository_name_pep_or_title() {
        let pep = ("PEP 814：新增 frozendict", None);
        assert!(same_subject(("PEP-814：frozendict 内置类型", None), pep));
        let repo = ("工具", Some("https://github.com/acme/tool"));
        let release = ("别的标题", Some("https://github.com/acme/tool/releases/tag/v2"));
        assert!(same_subject(release, repo));
        let named = ("CapsWriter-Offline：离线语音输入", None);
        assert!(same_subject(("capswriter offline：语音输入工具", None), named));
        // An article naming a project is not the project itself.
        let wagtail = (
            "wagtail：一个 Django 内容管理系统",
            Some("https://github.com/wagtail/wagtail"),
        );
        assert!(!same_subject(
            ("Wagtail 就是 Django admin 的超级增强版", None),
            wagtail
        ));
    }

    #[test]
    fn a_title_that_is_a_web_address_is_named_by_what_the_address_names() {
        let name = |t: &str| project_name(t);
        assert_eq!(
            name("https://github.com/orchid-lane/Smol-RAG").as_deref(),
            Some("smolrag")
        );
        assert_eq!(
            name("https://pypi.org/project/Typed-Args/1.2/").as_deref(),
            Some("typedargs")
        );
        assert_eq!(name("https://www.pgqueuer.com/").as_deref(), Some("pgqueuer"));
        assert_eq!(name("www.pgqueuer.com").as_deref(), Some("pgqueuer"));
        assert_eq!(name("HTTPS://docs.smolrag.dev").as_deref(), Some("smolrag"));
        assert_eq!(
            name("https://smolrag.readthedocs.io/en/latest/").as_deref(),
            Some("smolrag")
        );
        // A page of a site, a file of a repository, a one-letter site: no name, never the scheme.
        assert_eq!(name("https://blog.example.com/why-we-rewrote-it"), None);
        assert_eq!(
            name("https://github.com/orchid-lane/smol-rag/blob/main/a.py"),
            None
        );
        assert_eq!(name("http://x.com"), None);
        assert_eq!(name("https：一个以 https 开头的标题"), None);
        // Two addresses of two projects are two subjects; the address and its project's title one.
        let repo = ("https://github.com/orchid-lane/smol-rag", None);
        assert!(!same_subject(
            ("https://codeberg.org/beta/other-thing", None),
            repo
        ));
        assert!(same_subject(("smol-rag：最小可用的 RAG 实现", None), repo));
        let reason = Reason::SameProject("smolrag".into()).written(repo.0, None);
        assert_eq!(reason.to_string(), "same project name `smol-rag`");
    }

    #[test]
    fn a_title_is_the_same_whatever_its_colon_width_and_invisible_characters() {
        let key = crate::identity::title_key;
        let title = "为什么我们从零重写了调度器: 一次迁移的记录";
        // A full-width colon, a zero-width space, full-width letters, a decomposed accent.
        assert_eq!(key("为什么我们从零重写了调度器：一次迁移的记录"), key(title));
        assert_eq!(
            key("为什么我们从零\u{200b}重写了调度器: 一次迁移的记录"),
            key(title)
        );
        assert_eq!(
            key("Ｆａｓｔ\u{feff} 调度器，迁移记录"),
            key("fast 调度器,迁移记录")
        );
        assert_eq!(key("Cafe\u{301} 的调度器迁移记录"), key("Café 的调度器迁移记录"));
        // A soft hyphen and a joiner inside an English word.
        assert_eq!(
            key("When I\u{200d}/\u{200d}O becomes CPU-bound"),
            key("When I/O becomes CPU-\u{ad}bound")
        );
        assert!(same_subject(
            ("默认编码迁移之后：一次完整的记录", None),
            ("默认编码迁移之后: 一次完整的记录", None)
        ));
        // Other titles stay apart.
        assert_ne!(key("为什么我们从零重写了解析器: 一次迁移的记录"), key(title));
    }

    #[test]
    fn a_project_name_is_shown_as_the_entry_writes_it() {
        let title = "stable-worldmodel：可复现的世界模型平台";
        let reason = Reason::SameProject("stableworldmodel".into()).written(title, None);
        assert_eq!(reason.to_string(), "same project name `stable-worldmodel`");
        // From the repository the link points to when the title does not write it.
        let repo = Some("https://github.com/temporalio/sdk-python");
        let reason = Reason::SameProject("sdkpython".into()).written("Temporal 的 Python SDK", repo);
        assert_eq!(reason.to_string(), "same project name `sdk-python`");
        // A name of several words, and a word of the title that names a project.
        let orbit = Reason::SameCommonName("djangoorbit".into()).written("Django Orbit：调试工具", None);
        assert_eq!(orbit, Reason::SameCommonName("Django Orbit".into()));
        let named = Reason::NamesProject("reactpy".into()).written("ReactPy 的入门教程", None);
        assert_eq!(named, Reason::NamesProject("ReactPy".into()));
        // Other reasons are left as they are; a name nothing writes stays folded.
        assert_eq!(Reason::SameTitle.written(title, None), Reason::SameTitle);
        let unwritten = Reason::SameProject("elsewhere".into()).written(title, None);
        assert_eq!(unwritten, Reason::SameProject("elsewhere".into()));
    }
}
