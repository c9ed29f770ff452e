//! The report's sections as records: the window's topics, re-shares (by `check`), sources and
//! cross-references to earlier issues.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rayon::prelude::*;

use super::i18n::Words;
use super::load::Identify;
use super::{entry_ref, CrossRef, Inputs, ReportError, Reshare, Scope, Sources, WindowTopic};
use crate::canon::canonical_url;
use crate::check::{self, Probe, NEAR_DUPLICATE};
use crate::model::{Entry, EntryId, Issue, Lang};
use crate::related::{shared_terms, Request, Scratch};
use crate::tokenize::Tokenizer;
use crate::vectorize::SparseVector;

/// How many items the report's lists hold.
pub(super) const TOP: usize = 10;

/// Chinese platforms: an entry linking here points to a Chinese source.
pub(super) const CHINESE_HOSTS: &[&str] = &[
    "mp.weixin.qq.com",
    "zhihu.com",
    "zhuanlan.zhihu.com",
    "juejin.cn",
    "cnblogs.com",
    "csdn.net",
    "blog.csdn.net",
    "bilibili.com",
    "segmentfault.com",
    "oschina.net",
    "infoq.cn",
    "jianshu.com",
    "sspai.com",
    "v2ex.com",
    "douban.com",
    "gitee.com",
    "51cto.com",
    "xiaobot.net",
    "pythoncat.top",
    "ruanyifeng.com",
];

/// Code hosts: the entry shares a repository.
pub(super) const CODE_HOSTS: &[&str] = &["github.com", "gitlab.com", "codeberg.org", "bitbucket.org"];

pub(super) fn host(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    let host = parsed.host_str()?.to_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

pub(super) fn is_under(host: &str, domain: &str) -> bool {
    host == domain || host.ends_with(&format!(".{domain}"))
}

/// The language of an entry's source: the editor's marker where there is one, else the host.
pub(super) fn source_kind(entry: &Entry, host: &str) -> SourceKind {
    if CODE_HOSTS.iter().any(|d| is_under(host, d)) {
        SourceKind::Repository
    } else if entry.lang == Lang::En {
        SourceKind::English
    } else if host.ends_with(".cn") || CHINESE_HOSTS.iter().any(|d| is_under(host, d)) {
        SourceKind::Chinese
    } else {
        SourceKind::English
    }
}

pub(super) enum SourceKind {
    English,
    Chinese,
    Repository,
}

pub(super) fn sources(entries: &[&Entry]) -> Sources {
    let mut domains: BTreeMap<String, u32> = BTreeMap::new();
    let mut out = Sources {
        domains: Vec::new(),
        english: 0,
        chinese: 0,
        repositories: 0,
        unlinked: 0,
    };
    for e in entries {
        let Some(host) = e.url.as_deref().and_then(host) else {
            out.unlinked += 1;
            continue;
        };
        match source_kind(e, &host) {
            SourceKind::English => out.english += 1,
            SourceKind::Chinese => out.chinese += 1,
            SourceKind::Repository => out.repositories += 1,
        }
        *domains.entry(host).or_default() += 1;
    }
    let mut ranked: Vec<(String, u32)> = domains.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(TOP);
    out.domains = ranked;
    out
}

/// The window's topics, most entries first: each with its share in the window and before it, and
/// the window's entries nearest the topic's centre there (the mean of its window rows).
pub(super) fn window_topics(
    inputs: &Inputs,
    scope: Scope,
    rows: &[usize],
    dates: &BTreeMap<u32, NaiveDate>,
) -> Vec<WindowTopic> {
    let data = &inputs.trends;
    let mut members: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for &r in rows {
        if let Some(t) = data.assignments[r] {
            members.entry(t).or_default().push(r);
        }
    }
    let before: Vec<usize> = (0..data.entries.len())
        .filter(|&r| !data.entries[r].withdrawn && data.entries[r].issue < scope.first())
        .collect();
    let before_with_topic = before.iter().filter(|&&r| data.assignments[r].is_some()).count();
    let in_window = members.values().map(Vec::len).sum::<usize>();
    let mut out: Vec<WindowTopic> = members
        .into_iter()
        .map(|(id, rows_of)| {
            let label = inputs.label(id);
            let earlier = before
                .iter()
                .filter(|&&r| data.assignments[r] == Some(id))
                .count();
            let centre = mean_row(rows_of.iter().map(|&r| &inputs.rows[r]));
            let mut ranked: Vec<(f32, usize)> = rows_of
                .iter()
                .map(|&r| (dot(&centre, &inputs.rows[r]), r))
                .collect();
            ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            WindowTopic {
                id,
                label,
                entries: rows_of.len() as u32,
                share: ratio(rows_of.len(), in_window),
                share_before: ratio(earlier, before_with_topic),
                representatives: ranked
                    .iter()
                    .take(3)
                    .map(|&(_, r)| entry_ref(&data.entries[r], dates))
                    .collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| b.entries.cmp(&a.entries).then(a.id.cmp(&b.id)));
    out
}

pub(super) fn ratio(n: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        n as f64 / total as f64
    }
}

/// The mean of sparse rows, as a map from term to weight.
pub(super) fn mean_row<'a>(rows: impl Iterator<Item = &'a SparseVector>) -> BTreeMap<u32, f32> {
    let mut sum: BTreeMap<u32, f32> = BTreeMap::new();
    for v in rows {
        for (&t, &w) in v.indices.iter().zip(&v.values) {
            *sum.entry(t).or_default() += w;
        }
    }
    sum
}

pub(super) fn dot(centre: &BTreeMap<u32, f32>, v: &SparseVector) -> f32 {
    v.indices
        .iter()
        .zip(&v.values)
        .map(|(t, w)| centre.get(t).map_or(0.0, |c| c * w))
        .sum()
}

/// The window's entries that repeat an earlier entry (in the window or before it), by the same
/// signs as `weeklens check`.
pub(super) fn reshares<'a>(
    inputs: &Inputs<'a>,
    scope: Scope,
    window_issues: &[&Issue],
    dates: &BTreeMap<u32, NaiveDate>,
    words: Words,
) -> Result<Vec<Reshare>, ReportError> {
    let data = &inputs.trends;
    // Each window issue's entries (withdrawn ones too, as a draft holds them), in the entries'
    // order: one pass over the entries, not one an issue.
    let mut of_issue: BTreeMap<u32, Vec<&Entry>> =
        window_issues.iter().map(|i| (i.number, Vec::new())).collect();
    for e in data.entries {
        if scope.contains(e.issue) {
            if let Some(list) = of_issue.get_mut(&e.issue) {
                list.push(e);
            }
        }
    }
    // Each issue checked against the issues before it, side by side; collected in order.
    let checked: Vec<(&Issue, Vec<check::DraftResult>)> = window_issues
        .par_iter()
        .map(|&issue| -> Result<_, ReportError> {
            let entries = of_issue.get(&issue.number).map_or(&[][..], Vec::as_slice);
            let drafts: Vec<Probe> = entries.iter().map(|&e| Probe::from(e)).collect();
            // A title-only entry is compared as `check` compares a draft with its translation
            // beside it: shared again under other Chinese words, it may keep its English title
            // ("How LLMs Actually Work" in #153 and #158). An entry with a description is
            // compared by its Chinese: at a million entries, querying each English text too
            // doubles the report's time.
            let english: Vec<Option<check::Translated>> = entries
                .iter()
                .map(|e| {
                    let title = e.en_title.as_ref().filter(|_| e.description.trim().is_empty())?;
                    Some(check::Translated {
                        title: title.clone(),
                        description: String::new(),
                    })
                })
                .collect();
            let language = check::Language::Chinese(&english);
            let results = match &inputs.identify {
                Identify::Memory(identities, index) => {
                    let archive = check::Archive {
                        ranking: crate::related::Ranking {
                            entries: data.entries,
                            issues: data.issues,
                            vocabulary: inputs.vocabulary,
                            related_rows: inputs.related_rows,
                            related_index: index,
                        },
                        identities,
                    };
                    check::check_translated(
                        &drafts,
                        language,
                        issue.date,
                        Some(issue.number),
                        &archive,
                        Tokenizer::shared(),
                    )
                }
                Identify::File(files) => {
                    let read = |e: crate::error::Error| ReportError::Read(e.to_string());
                    files.with(|indexed| {
                        // The whole dictionary, loaded once for every issue of the window.
                        check::check_in(
                            &drafts,
                            language,
                            issue.date,
                            Some(issue.number),
                            indexed,
                            Some(Tokenizer::shared()),
                        )
                        .map_err(read)
                    })?
                }
            };
            Ok((issue, results))
        })
        .collect::<Result<_, _>>()?;
    // Each result's entry and the first earlier entry it repeats, by id; the entries they name
    // found in one pass.
    let later_id = |issue: &Issue, result: &check::DraftResult| EntryId {
        issue: issue.number,
        category: result.category,
        position: result.position,
    };
    let named = checked.iter().flat_map(|(issue, results)| {
        results.iter().flat_map(move |result| {
            std::iter::once(later_id(issue, result)).chain(result.first_hit().map(check::Hit::id))
        })
    });
    let by_id = crate::model::entries_by_id(data.entries, named);
    let mut out = Vec::new();
    for (issue, results) in &checked {
        for result in results {
            let (Some(later), Some(hit)) = (by_id.get(&later_id(issue, result)), result.first_hit()) else {
                continue;
            };
            let Some(earlier) = by_id.get(&hit.id()) else {
                continue;
            };
            out.push(Reshare {
                later: entry_ref(later, dates),
                earlier: entry_ref(earlier, dates),
                reasons: hit.reasons.iter().map(|r| words.reason(r)).collect(),
                within: scope.contains(hit.issue),
            });
        }
    }
    Ok(out)
}

/// The strongest links from the window's entries to entries before the window: each window entry's
/// best earlier match by the rows and index `related` ranks with (in memory, or the index file's
/// postings: the same exact search, the same rows and scores), the strongest first. Re-shares
/// are left to [`reshares`].
pub(super) fn cross_refs<'a>(
    inputs: &Inputs<'a>,
    scope: Scope,
    rows: &[usize],
    dates: &BTreeMap<u32, NaiveDate>,
    words: Words,
) -> Result<Vec<CrossRef>, ReportError> {
    let data = &inputs.trends;
    // Only the strongest TOP links are shown: a query need not find rows scoring under the
    // TOP-th best link found so far (see [`Strongest`]).
    let strongest = Strongest::default();
    let request = |r: usize| {
        Request::new(&inputs.related_rows[r], 3)
            .before(scope.first())
            .min_score(CROSS_REF_SCORE.max(strongest.floor()))
    };
    // The best of a window entry's nearest rows: not a near duplicate, not its own link.
    let best = |r: usize, nearest: Vec<(usize, f32)>| {
        let own = data.entries[r].url.as_deref().and_then(canonical_url);
        nearest
            .into_iter()
            .find(|&(row, score)| {
                let url = data.entries[row].url.as_deref().and_then(canonical_url);
                score < NEAR_DUPLICATE && (own.is_none() || url != own)
            })
            .map(|(row, score)| (score, r, row))
            .inspect(|&(score, _, _)| strongest.offer(score))
    };
    let mut found: Vec<(f32, usize, usize)> = match &inputs.identify {
        Identify::Memory(_, index) => rows
            .par_iter()
            .map_init(
                || Scratch::new(index.rows()),
                |scratch, &r| {
                    let nearest = index
                        .query_with(scratch, &request(r))
                        .into_iter()
                        .map(|s| (s.row, s.score))
                        .collect();
                    best(r, nearest)
                },
            )
            .flatten()
            .collect(),
        Identify::File(files) => {
            let read = |e: &crate::error::Error| ReportError::Read(e.to_string());
            let found: Vec<Option<(f32, usize, usize)>> = rows
                .par_iter()
                .map(|&r| {
                    files.with(|indexed| {
                        let nearest = indexed.file.nearest(&request(r)).map_err(|e| read(&e))?;
                        Ok(best(r, nearest))
                    })
                })
                .collect::<Result<_, _>>()?;
            found.into_iter().flatten().collect()
        }
    };
    found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    Ok(found
        .into_iter()
        .take(TOP)
        .map(|(score, r, earlier)| {
            let written = written_in(&data.entries[r], words.lang);
            let writes = |word: &str| written.as_ref().is_none_or(|w| w.contains(&word.to_lowercase()));
            CrossRef {
                entry: entry_ref(&data.entries[r], dates),
                earlier: entry_ref(&data.entries[earlier], dates),
                score,
                shared: shared_terms(&inputs.related_rows[r], &inputs.related_rows[earlier], usize::MAX)
                    .into_iter()
                    .filter_map(|t| Some((data.terms.get(t as usize)?, data.shown.get(t as usize)?)))
                    .filter(|(term, shown)| writes(shown) || writes(term))
                    .filter({
                        // Two terms shown alike are one word to a reader.
                        let mut seen = std::collections::HashSet::new();
                        move |(_, shown)| seen.insert(*shown)
                    })
                    .take(SHARED_SHOWN)
                    .map(|(_, shown)| shown.clone())
                    .collect(),
            }
        })
        .collect())
}

/// The shared words a cross-reference shows, at most.
const SHARED_SHOWN: usize = 4;

/// What the window entry `e` writes in the report's language, lower case, that a shared word
/// it shows must be written in (its shown form, or the term: `librari` of "Libraries"): a
/// Chinese report shows the words its Chinese title and description write, not the
/// translation's (`Stealth` of "Stealth browser"), an English one its translation's; `None`
/// for an entry with no translation in an English report (every word is shown).
fn written_in(e: &Entry, lang: Lang) -> Option<String> {
    let (title, description) = match lang {
        Lang::Zh => (&e.title, e.description.as_str()),
        Lang::En => (e.en_title.as_ref()?, e.en_description.as_deref().unwrap_or("")),
    };
    Some(format!("{title}\n{description}").to_lowercase())
}

/// The least score of a cross-reference.
const CROSS_REF_SCORE: f32 = 0.3;

/// The scores of the strongest cross-references found so far, at most [`TOP`]: once there are
/// that many, a link scoring under the lowest of them cannot be shown, so the queries still to
/// run ask only for rows scoring at least that much. The output does not change, whatever order
/// the queries run in: a query's rows scoring at least `s` are the head of its rows scoring at
/// least 0.3 (rows are ranked by score), so its best link is found whenever it scores `s` or
/// more, and is missed only when it scores less — and then TOP links found already score more,
/// since every link found is a query's true best.
#[derive(Default)]
struct Strongest(std::sync::Mutex<Vec<f32>>);

impl Strongest {
    /// The score a link must reach to be shown, by the links found so far (0 while fewer than
    /// [`TOP`]).
    fn floor(&self) -> f32 {
        self.0
            .lock()
            .ok()
            .filter(|best| best.len() >= TOP)
            .and_then(|best| best.last().copied())
            .unwrap_or(0.0)
    }

    /// Takes a query's best link's score.
    fn offer(&self, score: f32) {
        if let Ok(mut best) = self.0.lock() {
            let at = best.partition_point(|&s| s >= score);
            if at < TOP {
                best.insert(at, score);
                best.truncate(TOP);
            }
        }
    }
}

/// The window's terms by the number of its entries holding them, most first (ties by term).
pub(super) fn frequent_terms(inputs: &Inputs, rows: &[usize], lang: Lang) -> Vec<(String, u32)> {
    let data = inputs.trends_in(lang);
    let mut df: BTreeMap<u32, u32> = BTreeMap::new();
    for &r in rows {
        for t in data.terms_of(r) {
            *df.entry(t).or_default() += 1;
        }
    }
    let mut ranked: Vec<(String, u32)> = df
        .into_iter()
        .filter_map(|(t, n)| Some((data.shown.get(t as usize)?.clone(), n)))
        .filter(|(t, _)| lang == Lang::Zh || !crate::parse::markdown::has_cjk(t))
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(15);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floor_is_the_lowest_of_the_strongest_links_once_there_are_enough() {
        let strongest = Strongest::default();
        for i in 0..TOP - 1 {
            strongest.offer(0.4 + i as f32 / 100.0);
            assert_eq!(strongest.floor(), 0.0, "{} links", i + 1);
        }
        strongest.offer(0.35);
        assert_eq!(strongest.floor(), 0.35);
        // A weaker link changes nothing; a stronger one pushes the lowest out.
        strongest.offer(0.31);
        assert_eq!(strongest.floor(), 0.35);
        strongest.offer(0.9);
        assert_eq!(strongest.floor(), 0.4);
        // A tie with the floor keeps it.
        strongest.offer(0.4);
        assert_eq!(strongest.floor(), 0.4);
    }
}
