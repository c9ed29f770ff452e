//! Parsed files to the archive's records: each weekly issue joined with its English translation
//! and, where its own file lists titles only, filled in from a season compilation. The stage
//! between [`crate::parse`] and [`crate::store`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use crate::archive::{read_text, Archive, SourceFile};
use crate::diagnostic::{Diagnostic, Skipped};
use crate::model::{Category, CategoryCounts, Entry, Issue, IssueFormat, Lang, Translation};
use crate::parse::script::{Foreign, Letters};
use crate::parse::{self, title_key, CompiledIssue, ParsedEntry, ParsedIssue};
use crate::stats::{self, Errata};
use crate::store::Tables;

/// An English file whose titles are at least this Chinese, relative to the Chinese file's own
/// titles, was left untranslated.
const UNTRANSLATED_RELATIVE_CJK: f64 = 0.6;

/// The records of an archive and what was wrong with it.
#[derive(Debug, Default)]
pub struct Ingested {
    pub tables: Tables,
    /// Everything found wrong, sorted (the reasons of `skipped` among them).
    pub diagnostics: Vec<Diagnostic>,
    /// Why each file that was not kept was skipped, one diagnostic a file, in the order the
    /// files were met (the archive's listing, then the weekly files by name).
    pub skipped: Vec<Diagnostic>,
}

/// Reads every file of `archive` into issues and entries, sorted by issue number. Files that
/// cannot be read, have no issue number or repeat another file's number are skipped with a
/// diagnostic; the rest is kept.
pub fn ingest(archive: &Archive) -> Ingested {
    let mut diagnostics: Vec<Diagnostic> = archive.warnings.clone();
    let mut skipped: Vec<Diagnostic> = archive.skipped.clone();
    let mut by_number: BTreeMap<u32, (SourceFile, ParsedIssue)> = BTreeMap::new();

    // Files are read and parsed on every core, a file a task (so that no core is left with a
    // run of files at the end); what is kept is decided in file-name order.
    let parsed: Vec<_> = archive
        .weeklies
        .par_iter()
        .with_max_len(1)
        .map(|file| read_text(&file.path, &file.name).map(|text| parse::parse_issue(&file.name, &text)))
        .collect();
    for (file, parsed) in archive.weeklies.iter().zip(parsed) {
        let (parsed, found) = match parsed {
            Ok(parsed) => parsed,
            Err(d) => {
                skipped.push(d);
                continue;
            }
        };
        diagnostics.extend(found);
        let Some(number) = parsed.number else {
            skipped.push(
                Diagnostic::at(&file.name, 1, parse::issue_number_fault(&parsed.title))
                    .skipping(Skipped::File),
            );
            continue;
        };
        if parsed.entries.is_empty() {
            skipped.push(
                Diagnostic::at(
                    &file.name,
                    1,
                    format!("issue #{number}: no entries found (no section heading or numbered entry)"),
                )
                .skipping(Skipped::File),
            );
            continue;
        }
        if let Some((first, _)) = by_number.get(&number) {
            skipped.push(
                Diagnostic::at(
                    &file.name,
                    1,
                    format!("issue #{number} is already `{}`", first.name),
                )
                .skipping(Skipped::File),
            );
            continue;
        }
        by_number.insert(number, (file.clone(), parsed));
    }
    diagnostics.extend(skipped.iter().cloned());

    let titles_only: BTreeSet<u32> = by_number
        .iter()
        .filter(|(_, (_, parsed))| parsed.titles_only())
        .map(|(&number, _)| number)
        .collect();
    let compiled = read_compilations(archive, &titles_only, &mut diagnostics);

    let translations: Vec<_> = by_number
        .par_iter()
        .map(|(&number, (file, parsed))| read_translation(file, number, &parsed.entries))
        .collect();
    diagnostics.extend(
        by_number
            .values()
            .filter_map(|(file, parsed)| date_off(file, parsed)),
    );
    let mut tables = Tables::default();
    let errata = Errata::builtin();
    // How the English past-years sections name each issue they link: the latest's name kept.
    let mut en_named: BTreeMap<u32, ((chrono::NaiveDate, u32), String)> = BTreeMap::new();
    for ((number, (file, parsed)), (translation, found)) in by_number.into_iter().zip(translations) {
        diagnostics.extend(found);
        let stated_line = parsed.stated_line.unwrap_or(1);
        let block = compiled
            .get(&number)
            .and_then(|blocks| choose_block(number, &file.name, &parsed.entries, blocks, &mut diagnostics));
        let names = translation
            .as_ref()
            .map(|t| t.past_names.clone())
            .unwrap_or_default();
        let (issue, entries) = assemble(number, &file, parsed, translation, block);
        for (linked, name) in names {
            let latest = en_named
                .entry(linked)
                .or_insert(((issue.date, number), String::new()));
            if latest.0 <= (issue.date, number) {
                *latest = ((issue.date, number), name);
            }
        }
        // Fewer entries than the intro states, with no reason known: entries were lost (a file
        // cut short) or not recognised.
        let own: Vec<&Entry> = entries.iter().collect();
        let short = stats::shortfalls(&issue, &own, &errata);
        if !short.is_empty() {
            diagnostics.push(Diagnostic::at(
                &file.name,
                stated_line,
                format!(
                    "issue #{number} lists fewer entries than its intro states ({}): entries are lost \
                     (is the file cut short?) or not recognised",
                    short.join("; ")
                ),
            ));
        }
        tables.issues.push(issue);
        tables.entries.extend(entries);
    }
    for issue in &mut tables.issues {
        issue.en_named = en_named.remove(&issue.number).map(|(_, name)| name);
    }
    diagnostics.sort();
    Ingested {
        tables,
        diagnostics,
        skipped,
    }
}

/// Days a front matter's date may stand from the file name's before either is taken for a slip:
/// an issue's file is named for the week it comes out.
const DATE_SLACK_DAYS: i64 = 7;

/// A file whose front matter's `pubDate` stands more than [`DATE_SLACK_DAYS`] from the date of
/// its name (a slipped year, `2024-12-16` in `2023-12-16-weekly.md`): the issue's dates would
/// run backwards, and a season's length with them. Named with the line; the pubDate is used, as
/// for every issue.
fn date_off(file: &SourceFile, parsed: &ParsedIssue) -> Option<Diagnostic> {
    let date = parsed.date?;
    let days = (date - file.date).num_days();
    (days.abs() > DATE_SLACK_DAYS).then(|| {
        Diagnostic::at(
            &file.name,
            parsed.date_line.unwrap_or(1),
            format!(
                "pubDate {date} is {} days {} the file name's date {}: the pubDate is used; correct \
                 the one that is wrong",
                days.abs(),
                if days > 0 { "after" } else { "before" },
                file.date
            ),
        )
    })
}

/// The compilations' blocks with links of the issues in `wanted` (the title-only ones), by issue
/// number, each with its file's name, in the order the files are listed ([`choose_block`] picks
/// one). No compilation is read when no issue needs one.
fn read_compilations(
    archive: &Archive,
    wanted: &BTreeSet<u32>,
    diagnostics: &mut Vec<Diagnostic>,
) -> HashMap<u32, Vec<(String, CompiledIssue)>> {
    if wanted.is_empty() {
        return HashMap::new();
    }
    let parsed: Vec<_> = archive
        .compilations
        .par_iter()
        .map(|file| {
            read_text(&file.path, &file.name)
                .map(|text| parse::parse_compilation_blocks(&file.name, &text, |n| wanted.contains(&n)))
        })
        .collect();
    let mut compiled = HashMap::new();
    for (file, parsed) in archive.compilations.iter().zip(parsed) {
        let (issues, found) = match parsed {
            Ok(parsed) => parsed,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        diagnostics.extend(found);
        for issue in issues {
            let has_links = issue.entries.iter().any(|e| e.url.is_some());
            if has_links {
                compiled
                    .entry(issue.number)
                    .or_insert_with(Vec::new)
                    .push((file.name.clone(), issue));
            }
        }
    }
    compiled
}

/// The compilation block that fills title-only issue `number` (its file `source`, its `entries`):
/// the first of `blocks` that shares at least one entry title with the issue. A block that shares
/// none is another issue's, headed with a wrong number, and filling from it would give this issue
/// another's links: it is named (file and line) and not used. One that shares fewer than half
/// the titles fills those entries alone ([`fill_from_compilation`]), and is named too. A second
/// block that shares titles but holds other entries than the one used is named with it.
fn choose_block<'a>(
    number: u32,
    source: &str,
    entries: &[ParsedEntry],
    blocks: &'a [(String, CompiledIssue)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<&'a (String, CompiledIssue)> {
    let mut chosen: Option<&(String, CompiledIssue)> = None;
    for block in blocks {
        let (name, compiled) = block;
        let (shared, open) = titles_shared(entries, &compiled.entries);
        if open == 0 {
            return blocks.first();
        }
        if shared == 0 {
            diagnostics.push(Diagnostic::at(
                name,
                compiled.line,
                format!(
                    "the block of issue #{number} shares no entry title with `{source}` (issue \
                     #{number}): not used to fill it (is the block's heading numbered wrong?)"
                ),
            ));
            continue;
        }
        match chosen {
            None => {
                if !fills_by_number((shared, open)) {
                    diagnostics.push(Diagnostic::at(
                        name,
                        compiled.line,
                        format!(
                            "the block of issue #{number} shares only {shared} of the {open} entry \
                             titles of `{source}`: only those are filled from it (is the block's \
                             heading numbered wrong?)"
                        ),
                    ));
                }
                chosen = Some(block);
            }
            Some((first_name, first)) => {
                let holds = |c: &CompiledIssue| -> Vec<(String, Option<String>)> {
                    c.entries
                        .iter()
                        .map(|e| (title_key(&e.title), e.url.clone()))
                        .collect()
                };
                if holds(first) != holds(compiled) {
                    diagnostics.push(Diagnostic::at(
                        name,
                        compiled.line,
                        format!(
                            "the block of issue #{number} differs from the one at `{first_name}` line \
                             {}, which fills `{source}`",
                            first.line
                        ),
                    ));
                }
            }
        }
    }
    chosen
}

/// The translation of `file`, parsed, with what was wrong with it; or, when there is none to
/// pair with, why. A file that is empty, holds no entry or is written in Japanese or Korean is
/// named with the reason and not paired: its text never fills the English fields. One mostly in
/// Chinese is the issue left untranslated (as the archive has one), a state `stats` shows.
///
/// One whose title names another issue number than `number` (the Chinese file's) is named with
/// both files. Its links decide what it is: when fewer than half of the Chinese entries' links
/// ([`shared_links`] with `zh`) are among its own, it is another issue's translation and is not
/// paired (as if missing), so no other issue's English titles are published as this one's; when
/// they agree, its entries are this issue's and are paired, but its title is not used.
fn read_translation(
    file: &SourceFile,
    number: u32,
    zh: &[ParsedEntry],
) -> (Result<ParsedIssue, Translation>, Vec<Diagnostic>) {
    let Some(path) = file.translation.as_ref() else {
        return (Err(Translation::Missing), Vec::new());
    };
    let name = format!("en/{}", file.name);
    let text = match read_text(path, &name) {
        Ok(text) => text,
        Err(d) => return (Err(Translation::Missing), vec![d]),
    };
    let unpaired = |state, why: String| {
        let d = Diagnostic::file(
            &name,
            format!("{why}; the issue is built without its translation"),
        );
        (Err(state), vec![d])
    };
    if text.trim().is_empty() {
        return unpaired(Translation::Empty, "the translation is empty".to_string());
    }
    let letters = Letters::count(&text);
    match letters.foreign() {
        Some(Foreign::Chinese) => return (Err(Translation::Untranslated), Vec::new()),
        Some(language) => {
            return unpaired(
                Translation::Foreign,
                format!(
                    "the translation is not in English: {}",
                    letters.describe(language)
                ),
            )
        }
        None => {}
    }
    let (mut parsed, mut found) = parse::parse_issue(&name, &text);
    if let Some(own) = parsed.number.filter(|&own| own != number) {
        let (linked, shared) = shared_links(zh, &parsed.entries);
        if linked == 0 || shared * 2 < linked {
            return unpaired(
                Translation::Missing,
                format!(
                    "its title names issue #{own}, but `{}` is issue #{number}, and this file holds \
                     the links of only {shared} of its {linked} linked entries: it is another \
                     issue's translation",
                    file.name
                ),
            );
        }
        found.push(Diagnostic::file(
            &name,
            format!(
                "its title names issue #{own}, but `{}` is issue #{number}; this file holds the \
                 links of {shared} of its {linked} linked entries, so they are paired, but its \
                 title is not used",
                file.name
            ),
        ));
        parsed.title = String::new();
    }
    if parsed.entries.is_empty() {
        found.push(Diagnostic::file(
            &name,
            "the translation holds no entries (no section heading or numbered entry); the issue is \
             built without its translation",
        ));
        return (Err(Translation::Empty), found);
    }
    (Ok(parsed), found)
}

/// Builds one issue's records.
pub(crate) fn assemble(
    number: u32,
    file: &SourceFile,
    parsed: ParsedIssue,
    translation: Result<ParsedIssue, Translation>,
    compiled: Option<&(String, CompiledIssue)>,
) -> (Issue, Vec<Entry>) {
    let format = if parsed.titles_only() {
        IssueFormat::TitlesOnly
    } else {
        IssueFormat::Full
    };
    let translation_state = match &translation {
        Err(state) => *state,
        Ok(t) if parsed.cjk_share > 0.0 && t.cjk_share >= parsed.cjk_share * UNTRANSLATED_RELATIVE_CJK => {
            Translation::Untranslated
        }
        Ok(_) => Translation::Present,
    };
    let mut zh = parsed.entries;
    let filled = match (format, compiled) {
        (IssueFormat::TitlesOnly, Some((_, compiled))) => fill_from_compilation(&mut zh, &compiled.entries),
        _ => 0,
    };
    let (en_title, en_entries) = match (translation_state, translation) {
        (Translation::Present, Ok(t)) => (Some(t.title).filter(|t| !t.is_empty()), t.entries),
        _ => (None, Vec::new()),
    };
    let pairs = pair(&zh, &en_entries);

    let mut counts = CategoryCounts::default();
    let mut withdrawn = 0;
    let mut paired = 0;
    let entries: Vec<Entry> = zh
        .into_iter()
        .zip(pairs)
        .map(|(e, en)| {
            if e.withdrawn {
                withdrawn += 1;
            } else {
                counts.add(e.category, 1);
            }
            let en = en.map(|k| &en_entries[k]);
            if en.is_some() && !e.withdrawn {
                paired += 1;
            }
            Entry {
                issue: number,
                category: e.category,
                position: e.position,
                number: e.number,
                // The translation marks English sources in a few early issues the Chinese leaves
                // unmarked.
                lang: e.lang.or(en.and_then(|en| en.lang)).unwrap_or(Lang::Zh),
                en_title: en.map(|en| en.title.clone()),
                en_description: en.map(|en| en.description.clone()).filter(|d| !d.is_empty()),
                en_description_marks: en.map(|en| en.marks.clone()).unwrap_or_default(),
                title: e.title,
                url: e.url,
                links: e.links,
                description: e.description,
                description_marks: e.marks,
                image_alts: e.image_alts,
                withdrawn: e.withdrawn,
                line: u32::try_from(e.line).unwrap_or(u32::MAX),
            }
        })
        .collect();

    let issue = Issue {
        number,
        date: parsed.date.unwrap_or(file.date),
        title: parsed.title,
        format,
        source: file.name.clone(),
        stated: parsed.stated,
        counts,
        withdrawn,
        paired,
        translation: translation_state,
        filled,
        en_title,
        past_links: parsed.past_links,
        past_heading: parsed.past_heading,
        en_named: None,
    };
    (issue, entries)
}

/// How many of `entries` still to fill (no link, not withdrawn) have their title among the linked
/// entries of `compiled`, and how many there are to fill.
fn titles_shared(entries: &[ParsedEntry], compiled: &[ParsedEntry]) -> (usize, usize) {
    let titles: BTreeSet<String> = compiled
        .iter()
        .filter(|c| c.url.is_some())
        .map(|c| title_key(&c.title))
        .collect();
    let open: Vec<&ParsedEntry> = entries
        .iter()
        .filter(|e| e.url.is_none() && !e.withdrawn)
        .collect();
    let shared = open
        .iter()
        .filter(|e| titles.contains(&title_key(&e.title)))
        .count();
    (shared, open.len())
}

/// Whether a block that shares `shared` of the `open` titles to fill is the issue's own, whose
/// entries may also fill by category and printed number (an entry whose title the editor
/// reworded): at least half the titles are found in it. A block headed with another issue's
/// number shares none, or the odd re-shared one.
fn fills_by_number((shared, open): (usize, usize)) -> bool {
    shared > 0 && shared * 2 >= open
}

/// Fills title-only entries with the link, description and lang of the same entry in a
/// compilation: the same title, or else — in the issue's own block ([`fills_by_number`]) — the
/// same category and printed number. Returns how many entries were filled.
fn fill_from_compilation(entries: &mut [ParsedEntry], compiled: &[ParsedEntry]) -> u32 {
    let by_number = fills_by_number(titles_shared(entries, compiled));
    let mut filled = 0;
    let mut used = vec![false; compiled.len()];
    for entry in entries.iter_mut().filter(|e| e.url.is_none() && !e.withdrawn) {
        let key = title_key(&entry.title);
        let found = compiled
            .iter()
            .enumerate()
            .find(|(k, c)| !used[*k] && c.url.is_some() && title_key(&c.title) == key)
            .or_else(|| {
                compiled.iter().enumerate().find(|(k, c)| {
                    by_number
                        && !used[*k]
                        && c.url.is_some()
                        && c.category == entry.category
                        && c.number.is_some()
                        && c.number == entry.number
                })
            });
        if let Some((k, source)) = found {
            used[k] = true;
            entry.url = source.url.clone();
            entry.links = source.links.clone();
            entry.description = source.description.clone();
            entry.marks = source.marks.clone();
            entry.image_alts = source.image_alts.clone();
            entry.lang = entry.lang.or(source.lang);
            filled += 1;
        }
    }
    filled
}

/// Pairs each entry with its translation: by URL first, then by category and printed number.
/// Returns, for each of `zh`, the index of its English entry.
pub fn pair(zh: &[ParsedEntry], en: &[ParsedEntry]) -> Vec<Option<usize>> {
    let mut result = vec![None; zh.len()];
    let mut used = vec![false; en.len()];

    // An entry whose title has no link (a grouped item, a newsletter of the special issue) is
    // known by its first other link.
    let link = |e: &ParsedEntry| e.url.clone().or_else(|| e.links.first().cloned());
    let mut by_url: HashMap<String, Vec<usize>> = HashMap::new();
    for (k, e) in en.iter().enumerate() {
        if let Some(url) = link(e) {
            by_url.entry(pairing_url(&url)).or_default().push(k);
        }
    }
    for (i, e) in zh.iter().enumerate() {
        let Some(url) = link(e) else { continue };
        if let Some(candidates) = by_url.get(&pairing_url(&url)) {
            // Prefer the candidate in the same category when a URL appears twice.
            let pick = candidates
                .iter()
                .copied()
                .filter(|&k| !used[k])
                .min_by_key(|&k| (en[k].category != e.category, k));
            if let Some(k) = pick {
                used[k] = true;
                result[i] = Some(k);
            }
        }
    }

    // Then the printed number (the position for an unnumbered item).
    let number = |e: &ParsedEntry| e.number.unwrap_or(e.position);
    let mut by_number: HashMap<(Category, u32), Vec<usize>> = HashMap::new();
    for (k, e) in en.iter().enumerate() {
        by_number.entry((e.category, number(e))).or_default().push(k);
    }
    for (i, e) in zh.iter().enumerate() {
        if result[i].is_some() {
            continue;
        }
        let n = number(e);
        let pick = by_number
            .get(&(e.category, n))
            .and_then(|c| c.iter().copied().find(|&k| !used[k]));
        if let Some(k) = pick {
            used[k] = true;
            result[i] = Some(k);
        }
    }
    result
}

/// How many of `zh` have a link, and how many of those have theirs among `en`'s links (as
/// [`pair`] matches them): whether a translation holds this issue's entries.
fn shared_links(zh: &[ParsedEntry], en: &[ParsedEntry]) -> (usize, usize) {
    let link = |e: &ParsedEntry| {
        e.url
            .as_deref()
            .or(e.links.first().map(String::as_str))
            .map(pairing_url)
    };
    let theirs: std::collections::HashSet<String> = en.iter().filter_map(link).collect();
    let ours: Vec<String> = zh.iter().filter_map(link).collect();
    let shared = ours.iter().filter(|u| theirs.contains(*u)).count();
    (ours.len(), shared)
}

/// A URL reduced for pairing an entry with its translation: scheme, `www.`, case of the host,
/// trailing slashes and fragments do not matter.
fn pairing_url(url: &str) -> String {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or(url);
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    format!("{}/{}", host.to_lowercase(), path.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(category: Category, number: u32, url: Option<&str>, title: &str) -> ParsedEntry {
        ParsedEntry {
            category,
            position: number,
            number: Some(number),
            title: title.to_string(),
            url: url.map(str::to_string),
            links: Vec::new(),
            lang: None,
            description: String::new(),
            marks: Vec::new(),
            image_alts: Vec::new(),
            withdrawn: false,
            line: 1,
            circled: url.is_none(),
        }
    }

    #[test]
    fn pairs_by_url_before_number() {
        let zh = vec![
            entry(Category::Article, 1, Some("https://a.dev/x"), "甲"),
            entry(Category::Article, 2, Some("https://a.dev/y"), "乙"),
        ];
        // The translation swapped the two.
        let en = vec![
            entry(Category::Article, 1, Some("http://www.a.dev/y/"), "B"),
            entry(Category::Article, 2, Some("https://a.dev/x#top"), "A"),
        ];
        assert_eq!(pair(&zh, &en), vec![Some(1), Some(0)]);
    }

    #[test]
    fn falls_back_to_category_and_number() {
        let zh = vec![
            entry(Category::Article, 1, None, "甲"),
            entry(Category::Project, 1, None, "乙"),
        ];
        let en = vec![
            entry(Category::Project, 1, None, "B"),
            entry(Category::Article, 1, None, "A"),
        ];
        assert_eq!(pair(&zh, &en), vec![Some(1), Some(0)]);
    }

    #[test]
    fn an_english_entry_pairs_once() {
        let zh = vec![
            entry(Category::Article, 1, Some("https://a.dev/x"), "甲"),
            entry(Category::Article, 1, Some("https://a.dev/x"), "甲"),
        ];
        let en = vec![entry(Category::Article, 1, Some("https://a.dev/x"), "A")];
        assert_eq!(pair(&zh, &en), vec![Some(0), None]);
    }

    #[test]
    fn fills_title_only_entries_by_title_then_number() {
        let mut entries = vec![
            entry(Category::Article, 1, None, "标题一"),
            entry(Category::Article, 2, None, "另一个标题"),
            entry(Category::Project, 1, None, "没有对应"),
            entry(Category::Project, 2, None, "标题四"),
        ];
        let mut full_one = entry(Category::Article, 9, Some("https://a.dev/1"), "标题一");
        full_one.description = "描述一".to_string();
        // Half the titles to fill are in the block: it is the issue's own, and fills by number too.
        let compiled = vec![
            full_one,
            entry(Category::Article, 2, Some("https://a.dev/2"), "改过的标题"),
            entry(Category::Project, 7, Some("https://a.dev/4"), "标题四"),
        ];
        assert_eq!(fill_from_compilation(&mut entries, &compiled), 3);
        assert_eq!(entries[0].url.as_deref(), Some("https://a.dev/1"));
        assert_eq!(entries[0].description, "描述一");
        assert_eq!(entries[1].url.as_deref(), Some("https://a.dev/2"));
        assert_eq!(entries[2].url, None);
        assert_eq!(entries[3].url.as_deref(), Some("https://a.dev/4"));
    }

    /// A block headed with another issue's number (one title shared by a re-share) fills that
    /// entry by its title, and none by number.
    #[test]
    fn a_block_sharing_under_half_the_titles_fills_by_title_alone() {
        let mut entries = vec![
            entry(Category::Article, 1, None, "本期一"),
            entry(Category::Article, 2, None, "重发的标题"),
            entry(Category::Article, 3, None, "本期三"),
        ];
        let compiled = vec![
            entry(Category::Article, 1, Some("https://a.dev/1"), "别期一"),
            entry(Category::Article, 2, Some("https://a.dev/2"), "重发的标题"),
            entry(Category::Article, 3, Some("https://a.dev/3"), "别期三"),
        ];
        assert_eq!(fill_from_compilation(&mut entries, &compiled), 1);
        assert_eq!(entries[1].url.as_deref(), Some("https://a.dev/2"));
        assert!(entries[0].url.is_none() && entries[2].url.is_none());
    }
}
