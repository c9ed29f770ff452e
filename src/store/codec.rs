//! The store's records as polars frames and back: one function per table each way.

use chrono::NaiveDate;
use polars::prelude::*;

use std::borrow::Cow;
use std::path::Path;

use super::{table_error, ASSIGNMENTS, ENTRIES, ISSUES, TERMS, TOPICS};
use crate::error::Result;
use crate::model::{
    Category, CategoryCounts, Entry, EntryId, Issue, Mark, PastLink, StatedCounts, TopicSummary,
};
use crate::vectorize::{FittedTfIdf, SparseVector};

/// The tables' column names, each written once: the writers, the readers and the export name
/// their columns through these (the category counts are named by `Category::as_str`).
pub(super) mod col {
    pub const ISSUE: &str = "issue";
    pub const CATEGORY: &str = "category";
    pub const POSITION: &str = "position";
    pub const NUMBER: &str = "number";
    pub const DATE: &str = "date";
    pub const TITLE: &str = "title";
    pub const FORMAT: &str = "format";
    pub const SOURCE: &str = "source";
    pub const WITHDRAWN: &str = "withdrawn";
    pub const PAIRED: &str = "paired";
    pub const TRANSLATION: &str = "translation";
    pub const FILLED: &str = "filled";
    pub const EN_TITLE: &str = "en_title";
    pub const PAST_URLS: &str = "past_urls";
    pub const PAST_ISSUES: &str = "past_issues";
    /// The past-years section's heading line; a store written before it lacks the column.
    pub const PAST_HEADING: &str = "past_heading";
    pub const EN_NAMED: &str = "en_named";
    pub const URL: &str = "url";
    pub const LINKS: &str = "links";
    pub const LANG: &str = "lang";
    pub const DESCRIPTION: &str = "description";
    pub const IMAGE_ALTS: &str = "image_alts";
    pub const EN_DESCRIPTION: &str = "en_description";
    /// The description's marks ([`crate::model::Mark`]): their byte ranges as `start, end`
    /// pairs, and each one's link target, empty for a code span.
    pub const DESCRIPTION_SPANS: &str = "description_spans";
    pub const DESCRIPTION_LINKS: &str = "description_links";
    pub const EN_DESCRIPTION_SPANS: &str = "en_description_spans";
    pub const EN_DESCRIPTION_LINKS: &str = "en_description_links";
    pub const LINE: &str = "line";
    pub const TERM: &str = "term";
    pub const DF: &str = "df";
    pub const IDF: &str = "idf";
    pub const SHOWN: &str = "shown";
    pub const ROW: &str = "row";
    pub const WEIGHT: &str = "weight";
    pub const ID: &str = "id";
    pub const SIZE: &str = "size";
    pub const TERMS: &str = "terms";
    pub const WRITTEN: &str = "written";
    pub const CENTRAL: &str = "central";
    pub const NPMI: &str = "npmi";
    pub const TOPIC: &str = "topic";
}

const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

fn date_to_days(date: NaiveDate) -> i32 {
    use chrono::Datelike;
    date.num_days_from_ce() - UNIX_EPOCH_DAYS_FROM_CE
}

fn days_to_date(days: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(days + UNIX_EPOCH_DAYS_FROM_CE)
}

pub(super) fn date_column(name: &str, dates: impl Iterator<Item = NaiveDate>) -> PolarsResult<Column> {
    let days: Vec<i32> = dates.map(date_to_days).collect();
    Ok(Series::new(name.into(), days).cast(&DataType::Date)?.into())
}

fn string_list_column<L, S>(name: &str, lists: impl ExactSizeIterator<Item = L>) -> Column
where
    L: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    // One builder, not a series a row: the entries' lists were most of their frame's time.
    let mut builder = ListStringChunkedBuilder::new(name.into(), lists.len(), lists.len());
    for list in lists {
        let list: Vec<S> = list.into_iter().collect();
        builder.append_values_iter(list.iter().map(AsRef::as_ref));
    }
    builder.finish().into_column()
}

/// A list column of numbers that may be missing.
fn u32_list_column(name: &str, lists: impl Iterator<Item = Vec<Option<u32>>>) -> Column {
    list_column(name, lists.map(|l| Series::new("".into(), l)), DataType::UInt32)
}

/// A list column of `inner` values, one list per row; typed even when there are no rows.
fn list_column(name: &str, lists: impl Iterator<Item = Series>, inner: DataType) -> Column {
    let series: Vec<Series> = lists.collect();
    let mut column = Series::new(name.into(), series);
    if column.is_empty() {
        column = Series::new_empty(name.into(), &DataType::List(Box::new(inner)));
    }
    column.into()
}

/// The two columns of a text's marks: each mark's byte range as a `start, end` pair, and its link
/// target (empty for a code span: a link with an empty target is never kept as a mark).
fn mark_columns<'a>(
    spans: &str,
    links: &str,
    marks: impl ExactSizeIterator<Item = &'a [Mark]> + Clone,
) -> [Column; 2] {
    [
        u32_list_column(
            spans,
            marks
                .clone()
                .map(|m| m.iter().flat_map(|m| [Some(m.start), Some(m.end)]).collect()),
        ),
        string_list_column(
            links,
            marks.map(|m| m.iter().map(|m| m.link.as_deref().unwrap_or(""))),
        ),
    ]
}

/// The marks of each row, read back from [`mark_columns`].
fn marks_of(df: &DataFrame, spans: &str, links: &str) -> PolarsResult<Vec<Vec<Mark>>> {
    let (spans, links) = (u32_lists(df.column(spans)?)?, string_lists(df.column(links)?)?);
    spans
        .into_iter()
        .zip(links)
        .enumerate()
        .map(|(row, (spans, links))| {
            if spans.len() != 2 * links.len() {
                polars_bail!(ComputeError: "row {row}: {} mark bounds for {} marks", spans.len(), links.len());
            }
            spans
                .chunks(2)
                .zip(links)
                .map(|(bounds, link)| match bounds {
                    [Some(start), Some(end)] => Ok(Mark {
                        start: *start,
                        end: *end,
                        link: (!link.is_empty()).then_some(link),
                    }),
                    _ => polars_bail!(ComputeError: "row {row}: a missing mark bound"),
                })
                .collect()
        })
        .collect()
}

pub(super) fn issues_frame(issues: &[Issue]) -> Result<DataFrame> {
    let build = || -> PolarsResult<DataFrame> {
        let mut columns = vec![
            Column::new(
                col::NUMBER.into(),
                issues.iter().map(|i| i.number).collect::<Vec<_>>(),
            ),
            date_column(col::DATE, issues.iter().map(|i| i.date))?,
            Column::new(
                col::TITLE.into(),
                issues.iter().map(|i| i.title.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                col::FORMAT.into(),
                issues.iter().map(|i| i.format.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                col::SOURCE.into(),
                issues.iter().map(|i| i.source.clone()).collect::<Vec<_>>(),
            ),
        ];
        for category in Category::ALL {
            columns.push(Column::new(
                category.as_str().into(),
                issues.iter().map(|i| i.counts.get(category)).collect::<Vec<_>>(),
            ));
        }
        for category in Category::ALL {
            columns.push(Column::new(
                format!("stated_{category}").into(),
                issues.iter().map(|i| i.stated.get(category)).collect::<Vec<_>>(),
            ));
        }
        columns.extend([
            Column::new(
                col::WITHDRAWN.into(),
                issues.iter().map(|i| i.withdrawn).collect::<Vec<_>>(),
            ),
            Column::new(
                col::PAIRED.into(),
                issues.iter().map(|i| i.paired).collect::<Vec<_>>(),
            ),
            Column::new(
                col::TRANSLATION.into(),
                issues.iter().map(|i| i.translation.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                col::FILLED.into(),
                issues.iter().map(|i| i.filled).collect::<Vec<_>>(),
            ),
            Column::new(
                col::EN_TITLE.into(),
                issues.iter().map(|i| i.en_title.clone()).collect::<Vec<_>>(),
            ),
            string_list_column(
                col::PAST_URLS,
                issues.iter().map(|i| i.past_links.iter().map(|l| &l.url)),
            ),
            u32_list_column(
                col::PAST_ISSUES,
                issues
                    .iter()
                    .map(|i| i.past_links.iter().map(|l| l.issue).collect()),
            ),
            Column::new(
                col::PAST_HEADING.into(),
                issues.iter().map(|i| i.past_heading.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                col::EN_NAMED.into(),
                issues.iter().map(|i| i.en_named.clone()).collect::<Vec<_>>(),
            ),
        ]);
        DataFrame::new(issues.len(), columns)
    };
    build().map_err(table_error(Path::new(ISSUES)))
}

pub(super) fn issues_from_frame(df: &DataFrame) -> PolarsResult<Vec<Issue>> {
    let number = df.column(col::NUMBER)?.u32()?;
    let date = df.column(col::DATE)?.date()?.physical().clone();
    let title = df.column(col::TITLE)?.str()?;
    let format = df.column(col::FORMAT)?.str()?;
    let source = df.column(col::SOURCE)?.str()?;
    let counts = Category::ALL
        .iter()
        .map(|c| Ok(df.column(c.as_str())?.u32()?.clone()))
        .collect::<PolarsResult<Vec<_>>>()?;
    let stated = Category::ALL
        .iter()
        .map(|c| Ok(df.column(&format!("stated_{c}"))?.u32()?.clone()))
        .collect::<PolarsResult<Vec<_>>>()?;
    let withdrawn = df.column(col::WITHDRAWN)?.u32()?;
    let paired = df.column(col::PAIRED)?.u32()?;
    let translation = df.column(col::TRANSLATION)?.str()?;
    let filled = df.column(col::FILLED)?.u32()?;
    let en_title = df.column(col::EN_TITLE)?.str()?;
    let past_urls = string_lists(df.column(col::PAST_URLS)?)?;
    let past_issues = u32_lists(df.column(col::PAST_ISSUES)?)?;
    // Optional: a store written before the column existed reads as having no headings.
    let past_heading = match df.column(col::PAST_HEADING) {
        Ok(c) => Some(c.str()?.clone()),
        Err(_) => None,
    };
    // Optional too: a store written before it reads as naming no issue in English.
    let en_named = match df.column(col::EN_NAMED) {
        Ok(c) => Some(c.str()?.clone()),
        Err(_) => None,
    };

    let bad = |what: &str, row: usize| polars_err!(ComputeError: "row {row}: bad or missing {what}");
    (0..df.height())
        .map(|row| {
            let mut issue_counts = CategoryCounts::default();
            let mut issue_stated = StatedCounts::default();
            for (k, category) in Category::ALL.into_iter().enumerate() {
                issue_counts.add(category, counts[k].get(row).ok_or_else(|| bad("count", row))?);
                issue_stated.0[k] = stated[k].get(row);
            }
            Ok(Issue {
                number: number.get(row).ok_or_else(|| bad(col::NUMBER, row))?,
                date: date
                    .get(row)
                    .and_then(days_to_date)
                    .ok_or_else(|| bad(col::DATE, row))?,
                title: title.get(row).unwrap_or_default().to_string(),
                format: format
                    .get(row)
                    .and_then(|f| f.parse().ok())
                    .ok_or_else(|| bad(col::FORMAT, row))?,
                source: source.get(row).unwrap_or_default().to_string(),
                stated: issue_stated,
                counts: issue_counts,
                withdrawn: withdrawn.get(row).unwrap_or(0),
                paired: paired.get(row).unwrap_or(0),
                translation: translation
                    .get(row)
                    .and_then(|t| t.parse().ok())
                    .ok_or_else(|| bad(col::TRANSLATION, row))?,
                filled: filled.get(row).unwrap_or(0),
                en_title: en_title.get(row).map(str::to_string),
                past_links: past_urls[row]
                    .iter()
                    .zip(&past_issues[row])
                    .map(|(url, &issue)| PastLink {
                        issue,
                        url: url.clone(),
                    })
                    .collect(),
                past_heading: past_heading.as_ref().and_then(|c| c.get(row)).map(str::to_string),
                en_named: en_named.as_ref().and_then(|c| c.get(row)).map(str::to_string),
            })
        })
        .collect()
}

pub(super) fn terms_frame(fit: &FittedTfIdf) -> Result<DataFrame> {
    let build = || -> PolarsResult<DataFrame> {
        DataFrame::new(
            fit.terms().len(),
            vec![
                Column::new(col::TERM.into(), fit.terms().to_vec()),
                Column::new(col::DF.into(), fit.df().to_vec()),
                Column::new(col::IDF.into(), fit.idf().to_vec()),
                // How each term is shown to people (the word the archive writes most often).
                Column::new(col::SHOWN.into(), fit.shown().to_vec()),
            ],
        )
    };
    build().map_err(table_error(Path::new(TERMS)))
}

/// Adds the lines of a long-form frame ([`vectors_frame`]) to `rows`, one vector per entry row:
/// `wanted` is asked the row of each run of lines of one row first, and the first row it does
/// not want ends the reading (then `Ok(false)`); a wanted row beyond `rows` is an error.
pub(super) fn add_lines(
    df: &DataFrame,
    rows: &mut [SparseVector],
    wanted: impl FnMut(u32) -> PolarsResult<bool>,
) -> PolarsResult<bool> {
    add_lines_of(df, rows, Weights::Read, wanted)
}

/// Whether a long-form frame's weights are read ([`add_lines_of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Weights {
    /// The frame holds the weights' column: each vector gets its values.
    Read,
    /// The frame holds the rows' and terms' columns only: each vector gets its terms, its
    /// `values` left empty (for readers of which terms a row holds, not of their weights).
    Left,
}

/// [`add_lines`], the weights read or left ([`Weights`]).
pub(super) fn add_lines_of(
    df: &DataFrame,
    rows: &mut [SparseVector],
    weights: Weights,
    mut wanted: impl FnMut(u32) -> PolarsResult<bool>,
) -> PolarsResult<bool> {
    let row = df.column(col::ROW)?.u32()?;
    let term = df.column(col::TERM)?.u32()?;
    let weight = match weights {
        Weights::Read => Some(df.column(col::WEIGHT)?.f32()?),
        Weights::Left => None,
    };
    // Every line has its row, term and (where read) weight: the build writes no null.
    let nulls = row.null_count() + term.null_count() + weight.map_or(0, |w| w.null_count());
    if nulls > 0 {
        polars_bail!(ComputeError: "{nulls} lines miss their row, term or weight");
    }
    let (term, weight) = (cut_as(term, row), weight.map(|w| cut_as(w, row)));
    let entries = rows.len();
    // Each run of a row's lines in a piece is added at once, its vectors allocated once (a
    // million entries' rows pushed line by line grew each vector several times). A run cut by
    // a piece's end is continued in the next.
    let weight_pieces: Vec<Option<&[f32]>> = match &weight {
        Some(w) => w.downcast_iter().map(|ws| Some(&ws.values()[..])).collect(),
        None => vec![None; row.chunks().len()],
    };
    for ((rs, ts), ws) in row.downcast_iter().zip(term.downcast_iter()).zip(weight_pieces) {
        let (rs, ts) = (&rs.values()[..], &ts.values()[..]);
        let mut at = 0;
        while let Some(&r) = rs.get(at) {
            let end = at + rs[at..].iter().position(|&x| x != r).unwrap_or(rs.len() - at);
            if !wanted(r)? {
                return Ok(false);
            }
            let Some(vector) = rows.get_mut(r as usize) else {
                polars_bail!(ComputeError: "row {r} beyond the {entries} entries");
            };
            vector.indices.extend_from_slice(&ts[at..end]);
            if let Some(ws) = ws {
                vector.values.extend_from_slice(&ws[at..end]);
            }
            at = end;
        }
    }
    Ok(true)
}

/// `column` in pieces (chunks) of the lengths of `row`'s: the pieces of a frame's columns as
/// polars decodes their pages need not line up. Borrowed when they do; else sliced so (copied
/// first when in several pieces).
fn cut_as<'a, T: PolarsDataType>(
    column: &'a ChunkedArray<T>,
    row: &UInt32Chunked,
) -> Cow<'a, ChunkedArray<T>> {
    if column.chunk_lengths().eq(row.chunk_lengths()) {
        Cow::Borrowed(column)
    } else {
        Cow::Owned(column.match_chunks(row.chunk_lengths()))
    }
}

/// Rows in long form: one line per (entry row, term) with its weight.
pub(super) fn vectors_frame(vectors: &[SparseVector], file: &str) -> Result<DataFrame> {
    let mut rows = Vec::new();
    let mut terms = Vec::new();
    let mut weights = Vec::new();
    for (r, v) in vectors.iter().enumerate() {
        rows.extend(std::iter::repeat_n(r as u32, v.indices.len()));
        terms.extend_from_slice(&v.indices);
        weights.extend_from_slice(&v.values);
    }
    let build = || -> PolarsResult<DataFrame> {
        DataFrame::new(
            rows.len(),
            vec![
                Column::new(col::ROW.into(), rows.clone()),
                Column::new(col::TERM.into(), terms.clone()),
                Column::new(col::WEIGHT.into(), weights.clone()),
            ],
        )
    };
    build().map_err(table_error(Path::new(file)))
}

pub(super) fn topics_frame(topics: &[TopicSummary]) -> Result<DataFrame> {
    let build = || -> PolarsResult<DataFrame> {
        DataFrame::new(
            topics.len(),
            vec![
                Column::new(col::ID.into(), topics.iter().map(|t| t.id).collect::<Vec<_>>()),
                Column::new(
                    col::SIZE.into(),
                    topics.iter().map(|t| t.size).collect::<Vec<_>>(),
                ),
                string_list_column(col::TERMS, topics.iter().map(|t| &t.terms)),
                string_list_column(col::WRITTEN, topics.iter().map(|t| &t.written)),
                string_list_column(
                    col::CENTRAL,
                    topics.iter().map(|t| t.central.iter().map(ToString::to_string)),
                ),
                Column::new(
                    col::NPMI.into(),
                    topics.iter().map(|t| t.npmi).collect::<Vec<_>>(),
                ),
            ],
        )
    };
    build().map_err(table_error(Path::new(TOPICS)))
}

/// Each entry's topic, in the order of the entries (none where no clustering ran).
pub(super) fn assignments_frame(entries: usize, assignments: &[Option<u32>]) -> Result<DataFrame> {
    let topic: Vec<Option<u32>> = (0..entries)
        .map(|i| assignments.get(i).copied().flatten())
        .collect();
    DataFrame::new(entries, vec![Column::new(col::TOPIC.into(), topic)])
        .map_err(table_error(Path::new(ASSIGNMENTS)))
}

pub(super) fn entries_frame(entries: &[Entry]) -> Result<DataFrame> {
    let build = || -> PolarsResult<DataFrame> {
        let mut columns = vec![
            Column::new(
                col::ISSUE.into(),
                entries.iter().map(|e| e.issue).collect::<Vec<_>>(),
            ),
            Column::new(
                col::CATEGORY.into(),
                entries.iter().map(|e| e.category.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                col::POSITION.into(),
                entries.iter().map(|e| e.position).collect::<Vec<_>>(),
            ),
            Column::new(
                col::NUMBER.into(),
                entries.iter().map(|e| e.number).collect::<Vec<_>>(),
            ),
            Column::new(
                col::TITLE.into(),
                entries.iter().map(|e| e.title.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                col::URL.into(),
                entries.iter().map(|e| e.url.clone()).collect::<Vec<_>>(),
            ),
            string_list_column(col::LINKS, entries.iter().map(|e| &e.links)),
            Column::new(
                col::LANG.into(),
                entries.iter().map(|e| e.lang.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                col::DESCRIPTION.into(),
                entries.iter().map(|e| e.description.clone()).collect::<Vec<_>>(),
            ),
            string_list_column(col::IMAGE_ALTS, entries.iter().map(|e| &e.image_alts)),
            Column::new(
                col::EN_TITLE.into(),
                entries.iter().map(|e| e.en_title.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                col::EN_DESCRIPTION.into(),
                entries
                    .iter()
                    .map(|e| e.en_description.clone())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                col::WITHDRAWN.into(),
                entries.iter().map(|e| e.withdrawn).collect::<Vec<_>>(),
            ),
            Column::new(
                col::LINE.into(),
                entries.iter().map(|e| e.line).collect::<Vec<_>>(),
            ),
        ];
        columns.extend(mark_columns(
            col::DESCRIPTION_SPANS,
            col::DESCRIPTION_LINKS,
            entries.iter().map(|e| e.description_marks.as_slice()),
        ));
        columns.extend(mark_columns(
            col::EN_DESCRIPTION_SPANS,
            col::EN_DESCRIPTION_LINKS,
            entries.iter().map(|e| e.en_description_marks.as_slice()),
        ));
        DataFrame::new(entries.len(), columns)
    };
    build().map_err(table_error(Path::new(ENTRIES)))
}

pub(super) fn string_lists(column: &Column) -> PolarsResult<Vec<Vec<String>>> {
    let list = column.list()?;
    (0..list.len())
        .map(|row| match list.get_as_series(row) {
            None => Ok(Vec::new()),
            Some(series) => Ok(series.str()?.iter().flatten().map(str::to_string).collect()),
        })
        .collect()
}

fn u32_lists(column: &Column) -> PolarsResult<Vec<Vec<Option<u32>>>> {
    let list = column.list()?;
    (0..list.len())
        .map(|row| match list.get_as_series(row) {
            None => Ok(Vec::new()),
            Some(series) => Ok(series.cast(&DataType::UInt32)?.u32()?.iter().collect()),
        })
        .collect()
}

/// The columns of an entries frame that make an entry's id.
pub(super) struct IdColumns<'a> {
    issue: &'a UInt32Chunked,
    category: &'a StringChunked,
    position: &'a UInt32Chunked,
}

impl<'a> IdColumns<'a> {
    pub(super) fn of(df: &'a DataFrame) -> PolarsResult<IdColumns<'a>> {
        Ok(IdColumns {
            issue: df.column(col::ISSUE)?.u32()?,
            category: df.column(col::CATEGORY)?.str()?,
            position: df.column(col::POSITION)?.u32()?,
        })
    }

    pub(super) fn id(&self, row: usize) -> PolarsResult<EntryId> {
        let bad = |what: &str| polars_err!(ComputeError: "row {row}: bad or missing {what}");
        Ok(EntryId {
            issue: self.issue.get(row).ok_or_else(|| bad(col::ISSUE))?,
            category: self
                .category
                .get(row)
                .and_then(|c| c.parse().ok())
                .ok_or_else(|| bad(col::CATEGORY))?,
            position: self.position.get(row).ok_or_else(|| bad(col::POSITION))?,
        })
    }
}

pub(super) fn entries_from_frame(df: &DataFrame) -> PolarsResult<Vec<Entry>> {
    entries_of(df, true)
}

/// The columns of the entries table [`entries_without_texts_into`] reads: all but the texts (links,
/// description, image alt texts, English description, the descriptions' marks).
pub(super) const ENTRY_COLUMNS_WITHOUT_TEXTS: [&str; 10] = [
    col::ISSUE,
    col::CATEGORY,
    col::POSITION,
    col::NUMBER,
    col::TITLE,
    col::URL,
    col::LANG,
    col::EN_TITLE,
    col::WITHDRAWN,
    col::LINE,
];

/// The entries of a frame holding [`ENTRY_COLUMNS_WITHOUT_TEXTS`] (their links, description,
/// image alt texts, English description and the descriptions' marks left empty), written over
/// `out`, one a row of the frame (as many): pieces of one vector filled side by side, none moved
/// after.
pub(super) fn entries_without_texts_into(df: &DataFrame, out: &mut [Entry]) -> PolarsResult<()> {
    if df.height() != out.len() {
        polars_bail!(ComputeError: "{} rows read for {} entries", df.height(), out.len());
    }
    let mut slots = out.iter_mut();
    each_entry(df, false, |e| {
        if let Some(slot) = slots.next() {
            *slot = e;
        }
    })
}

/// The next of a column's values read whole, or an empty one where the column was not read.
fn next_or_empty<T: Default>(column: &mut Option<std::vec::IntoIter<T>>) -> T {
    column.as_mut().and_then(Iterator::next).unwrap_or_default()
}

fn entries_of(df: &DataFrame, texts: bool) -> PolarsResult<Vec<Entry>> {
    let mut entries = Vec::with_capacity(df.height());
    each_entry(df, texts, |e| entries.push(e))?;
    Ok(entries)
}

/// Each entry of the frame, in its order, given to `put` (the texts read only with `texts`).
fn each_entry(df: &DataFrame, texts: bool, mut put: impl FnMut(Entry)) -> PolarsResult<()> {
    let ids = IdColumns::of(df)?;
    let number = df.column(col::NUMBER)?.u32()?;
    let title = df.column(col::TITLE)?.str()?;
    let url = df.column(col::URL)?.str()?;
    let lang = df.column(col::LANG)?.str()?;
    let en_title = df.column(col::EN_TITLE)?.str()?;
    // Without texts, the lists are left empty as each entry is made (four columns of a million
    // empty vectors made first were memory written twice).
    let (links, description, image_alts, en_description) = if texts {
        (
            Some(string_lists(df.column(col::LINKS)?)?),
            Some(df.column(col::DESCRIPTION)?.str()?),
            Some(string_lists(df.column(col::IMAGE_ALTS)?)?),
            Some(df.column(col::EN_DESCRIPTION)?.str()?),
        )
    } else {
        (None, None, None, None)
    };
    let (marks, en_marks) = if texts {
        (
            Some(marks_of(df, col::DESCRIPTION_SPANS, col::DESCRIPTION_LINKS)?),
            Some(marks_of(
                df,
                col::EN_DESCRIPTION_SPANS,
                col::EN_DESCRIPTION_LINKS,
            )?),
        )
    } else {
        (None, None)
    };
    let (mut links, mut image_alts) = (links.map(Vec::into_iter), image_alts.map(Vec::into_iter));
    let (mut marks, mut en_marks) = (marks.map(Vec::into_iter), en_marks.map(Vec::into_iter));
    let withdrawn = df.column(col::WITHDRAWN)?.bool()?;
    let line = df.column(col::LINE)?.u32()?;

    let bad = |what: &str, row: usize| polars_err!(ComputeError: "row {row}: bad or missing {what}");
    // Each column walked once (a million entries at scale: a lookup per row and column found
    // its chunk each time).
    let (mut issue, mut category, mut position) =
        (ids.issue.iter(), ids.category.iter(), ids.position.iter());
    let (mut number, mut title, mut url, mut lang, mut en_title) = (
        number.iter(),
        title.iter(),
        url.iter(),
        lang.iter(),
        en_title.iter(),
    );
    let mut description = description.map(|d| d.iter());
    let mut en_description = en_description.map(|d| d.iter());
    let (mut withdrawn, mut line) = (withdrawn.iter(), line.iter());
    for row in 0..df.height() {
        let issue = issue.next().flatten().ok_or_else(|| bad(col::ISSUE, row))?;
        let category = category
            .next()
            .flatten()
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| bad(col::CATEGORY, row))?;
        let position = position.next().flatten().ok_or_else(|| bad(col::POSITION, row))?;
        let number = number.next().flatten();
        let title = title.next().flatten().unwrap_or_default().to_string();
        let url = url.next().flatten().map(str::to_string);
        let lang = lang
            .next()
            .flatten()
            .and_then(|l| l.parse().ok())
            .ok_or_else(|| bad(col::LANG, row))?;
        put(Entry {
            issue,
            category,
            position,
            number,
            title,
            url,
            links: next_or_empty(&mut links),
            lang,
            description: description
                .as_mut()
                .and_then(|d| d.next().flatten())
                .unwrap_or_default()
                .to_string(),
            description_marks: next_or_empty(&mut marks),
            image_alts: next_or_empty(&mut image_alts),
            en_title: en_title.next().flatten().map(str::to_string),
            en_description: en_description
                .as_mut()
                .and_then(|d| d.next().flatten())
                .map(str::to_string),
            en_description_marks: next_or_empty(&mut en_marks),
            withdrawn: withdrawn.next().flatten().unwrap_or(false),
            line: line.next().flatten().unwrap_or(0),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IssueFormat, Lang, Translation};

    fn issue(number: u32) -> Issue {
        let mut counts = CategoryCounts::default();
        counts.add(Category::Article, 12);
        counts.add(Category::Project, 11);
        let mut stated = StatedCounts::default();
        stated.0[Category::Article.index()] = Some(12);
        Issue {
            number,
            date: NaiveDate::from_ymd_opt(2024, 2, 29).expect("a leap day"),
            title: format!("第 {number} 期：「引号」 & <tags>"),
            format: if number.is_multiple_of(2) {
                IssueFormat::Full
            } else {
                IssueFormat::TitlesOnly
            },
            source: format!("2024-02-29-weekly-{number}.md"),
            stated,
            counts,
            withdrawn: 1,
            paired: 20,
            translation: if number.is_multiple_of(2) {
                Translation::Present
            } else {
                Translation::Missing
            },
            filled: 3,
            en_title: (number.is_multiple_of(2)).then(|| "Issue \"quoted\"".to_string()),
            past_links: vec![
                PastLink {
                    issue: Some(1),
                    url: "https://example.org/posts/one".into(),
                },
                PastLink {
                    issue: None,
                    url: "https://example.org/elsewhere?a=1&b=2".into(),
                },
            ],
            past_heading: (number.is_multiple_of(2))
                .then(|| "## [🐧往年回顾](https://example.org/)".to_string()),
            en_named: (number.is_multiple_of(2)).then(|| "#1: The First \"Issue\"".to_string()),
        }
    }

    fn entry(position: u32) -> Entry {
        Entry {
            issue: 7,
            category: if position == 1 {
                Category::Article
            } else {
                Category::Discussion
            },
            position,
            number: (position != 2).then_some(position),
            title: "一个标题 with English, 和 emoji 🐍".into(),
            url: (position == 1).then(|| "https://example.org/a b".into()),
            links: if position == 1 {
                vec!["https://x.example/1".into(), "".into()]
            } else {
                Vec::new()
            },
            lang: if position == 1 { Lang::Zh } else { Lang::En },
            description: "line one\nline two".into(),
            // A link holding a code span, then a code span; none for the others.
            description_marks: if position == 1 {
                vec![
                    Mark {
                        start: 0,
                        end: 8,
                        link: Some("https://x.example/1".into()),
                    },
                    Mark {
                        start: 5,
                        end: 8,
                        link: None,
                    },
                    Mark {
                        start: 9,
                        end: 13,
                        link: None,
                    },
                ]
            } else {
                Vec::new()
            },
            image_alts: vec!["alt".into()],
            en_title: (position == 1).then(|| "A title".into()),
            en_description: (position == 2).then(|| "Described.".into()),
            en_description_marks: if position == 2 {
                vec![Mark {
                    start: 0,
                    end: 9,
                    link: Some("https://x.example/en".into()),
                }]
            } else {
                Vec::new()
            },
            withdrawn: position == 3,
            line: 40 + position,
        }
    }

    #[test]
    fn rows_survive_the_long_form_in_one_piece_or_several_aligned_or_not() {
        let vectors: Vec<SparseVector> = (0..7u32)
            .map(|r| SparseVector {
                indices: (0..r % 4).map(|i| 3 * i + r).collect(),
                values: (0..r % 4).map(|i| i as f32 + 0.5).collect(),
            })
            .collect();
        let frame = vectors_frame(&vectors, "related.parquet").expect("frame");
        let read = |df: &DataFrame, to: u32| {
            let mut rows = vec![SparseVector::default(); vectors.len()];
            let all = add_lines(df, &mut rows, |r| Ok(r < to)).expect("read");
            (rows, all)
        };
        let pieces = |df: &DataFrame, name: &str| {
            df.column(name)
                .expect("column")
                .as_materialized_series()
                .chunk_lengths()
                .collect::<Vec<_>>()
        };
        // Two pieces cut inside a row's run of lines (its run continued in the second piece),
        // and pieces that do not line up (the rows' column in two and the others in one, or
        // the other way round): the others cut as the rows' column is.
        let rows_of = frame.column(col::ROW).expect("row").u32().expect("u32");
        let cut = (1..frame.height())
            .find(|&k| rows_of.get(k - 1) == rows_of.get(k))
            .expect("a row of several lines");
        let split = frame
            .slice(0, cut)
            .vstack(&frame.slice(cut as i64, frame.height() - cut))
            .expect("stacked");
        let unaligned = DataFrame::new(
            frame.height(),
            vec![
                split.column(col::ROW).expect("row").clone(),
                frame.column(col::TERM).expect("term").clone(),
                frame.column(col::WEIGHT).expect("weight").clone(),
            ],
        )
        .expect("frame");
        let other_way = DataFrame::new(
            frame.height(),
            vec![
                frame.column(col::ROW).expect("row").clone(),
                split.column(col::TERM).expect("term").clone(),
                split.column(col::WEIGHT).expect("weight").clone(),
            ],
        )
        .expect("frame");
        assert_eq!(pieces(&frame, col::ROW).len(), 1);
        assert_eq!(pieces(&split, col::TERM).len(), 2);
        assert_ne!(pieces(&unaligned, col::ROW), pieces(&unaligned, col::TERM));
        assert_ne!(pieces(&other_way, col::ROW), pieces(&other_way, col::WEIGHT));
        for df in [&frame, &split, &unaligned, &other_way] {
            assert_eq!(read(df, 7), (vectors.clone(), true));
            // The first row not wanted ends the reading.
            let (rows, all) = read(df, 5);
            assert!(!all);
            assert_eq!(rows[..5], vectors[..5]);
            assert!(rows[5..]
                .iter()
                .all(|r| r.indices.is_empty() && r.values.is_empty()));
        }
        // The terms alone: the same terms, no values.
        let terms_only = frame.select([col::ROW, col::TERM]).expect("columns");
        let unaligned_terms = unaligned.select([col::ROW, col::TERM]).expect("columns");
        for df in [&terms_only, &unaligned_terms] {
            let mut rows = vec![SparseVector::default(); vectors.len()];
            assert!(add_lines_of(df, &mut rows, Weights::Left, |_| Ok(true)).expect("read"));
            for (got, want) in rows.iter().zip(&vectors) {
                assert_eq!(got.indices, want.indices);
                assert!(got.values.is_empty());
            }
        }
        let mut too_few = vec![SparseVector::default(); 3];
        assert!(add_lines(&frame, &mut too_few, |_| Ok(true)).is_err());
        // A line without its weight is no line the build writes: an error, not a line skipped.
        let mut holed = frame.clone();
        let weights: Vec<Option<f32>> = (0..frame.height()).map(|i| (i != 2).then_some(1.0)).collect();
        holed
            .with_column(Column::new(col::WEIGHT.into(), weights))
            .expect("replace");
        let mut rows = vec![SparseVector::default(); vectors.len()];
        let err = add_lines(&holed, &mut rows, |_| Ok(true)).expect_err("a null weight");
        assert!(err.to_string().contains("1 lines miss"), "{err}");
    }

    #[test]
    fn issues_survive_the_frame_both_ways() {
        let issues = vec![issue(2), issue(3)];
        let frame = issues_frame(&issues).expect("frame");
        assert_eq!(issues_from_frame(&frame).expect("read back"), issues);
    }

    #[test]
    fn a_store_without_past_headings_or_english_names_reads_as_none() {
        let issues = vec![issue(2)];
        let frame = issues_frame(&issues)
            .expect("frame")
            .drop_many([col::PAST_HEADING, col::EN_NAMED]);
        let read = issues_from_frame(&frame).expect("read back");
        assert!(issues[0].past_heading.is_some() && issues[0].en_named.is_some());
        assert_eq!(read[0].past_heading, None);
        assert_eq!(read[0].en_named, None);
        assert_eq!(read[0].past_links, issues[0].past_links);
    }

    #[test]
    fn entries_survive_the_frame_both_ways() {
        let entries: Vec<Entry> = (1..=3).map(entry).collect();
        let frame = entries_frame(&entries).expect("frame");
        assert_eq!(entries_from_frame(&frame).expect("read back"), entries);
    }

    #[test]
    fn empty_tables_keep_their_column_types() {
        let issues = issues_frame(&[]).expect("frame");
        assert_eq!(issues.height(), 0);
        assert!(issues_from_frame(&issues).expect("read back").is_empty());
        let entries = entries_frame(&[]).expect("frame");
        assert!(entries_from_frame(&entries).expect("read back").is_empty());
    }

    #[test]
    fn a_missing_column_is_named() {
        let frame = entries_frame(&[entry(1)]).expect("frame");
        let without = frame.drop(col::LINKS).expect("drop");
        let err = entries_from_frame(&without)
            .expect_err("no links column")
            .to_string();
        assert!(err.contains(col::LINKS), "{err}");
    }

    #[test]
    fn an_unknown_category_is_an_error_naming_its_row() {
        let mut frame = entries_frame(&[entry(1), entry(2)]).expect("frame");
        let categories = Column::new(col::CATEGORY.into(), ["article", "poem"]);
        frame.with_column(categories).expect("replace");
        let err = entries_from_frame(&frame)
            .expect_err("poem is no category")
            .to_string();
        assert!(err.contains("row 1") && err.contains(col::CATEGORY), "{err}");
    }
}
