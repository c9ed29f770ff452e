//! The store's records as polars frames and back: one function per table each way.

use chrono::NaiveDate;
use polars::prelude::*;

use std::path::Path;

use super::{table_error, ASSIGNMENTS, ENTRIES, ISSUES, TERMS, TOPICS};
use crate::error::Result;
use crate::model::{Category, CategoryCounts, Entry, EntryId, Issue, PastLink, StatedCounts, TopicSummary};
use crate::vectorize::{FittedTfIdf, SparseVector};

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

pub(super) fn issues_frame(issues: &[Issue]) -> Result<DataFrame> {
    let build = || -> PolarsResult<DataFrame> {
        let mut columns = vec![
            Column::new(
                "number".into(),
                issues.iter().map(|i| i.number).collect::<Vec<_>>(),
            ),
            date_column("date", issues.iter().map(|i| i.date))?,
            Column::new(
                "title".into(),
                issues.iter().map(|i| i.title.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "format".into(),
                issues.iter().map(|i| i.format.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "source".into(),
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
                "withdrawn".into(),
                issues.iter().map(|i| i.withdrawn).collect::<Vec<_>>(),
            ),
            Column::new(
                "paired".into(),
                issues.iter().map(|i| i.paired).collect::<Vec<_>>(),
            ),
            Column::new(
                "translation".into(),
                issues.iter().map(|i| i.translation.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "filled".into(),
                issues.iter().map(|i| i.filled).collect::<Vec<_>>(),
            ),
            Column::new(
                "en_title".into(),
                issues.iter().map(|i| i.en_title.clone()).collect::<Vec<_>>(),
            ),
            string_list_column(
                "past_urls",
                issues.iter().map(|i| i.past_links.iter().map(|l| &l.url)),
            ),
            u32_list_column(
                "past_issues",
                issues
                    .iter()
                    .map(|i| i.past_links.iter().map(|l| l.issue).collect()),
            ),
        ]);
        DataFrame::new(issues.len(), columns)
    };
    build().map_err(table_error(Path::new(ISSUES)))
}

pub(super) fn issues_from_frame(df: &DataFrame) -> PolarsResult<Vec<Issue>> {
    let number = df.column("number")?.u32()?;
    let date = df.column("date")?.date()?.physical().clone();
    let title = df.column("title")?.str()?;
    let format = df.column("format")?.str()?;
    let source = df.column("source")?.str()?;
    let counts = Category::ALL
        .iter()
        .map(|c| Ok(df.column(c.as_str())?.u32()?.clone()))
        .collect::<PolarsResult<Vec<_>>>()?;
    let stated = Category::ALL
        .iter()
        .map(|c| Ok(df.column(&format!("stated_{c}"))?.u32()?.clone()))
        .collect::<PolarsResult<Vec<_>>>()?;
    let withdrawn = df.column("withdrawn")?.u32()?;
    let paired = df.column("paired")?.u32()?;
    let translation = df.column("translation")?.str()?;
    let filled = df.column("filled")?.u32()?;
    let en_title = df.column("en_title")?.str()?;
    let past_urls = string_lists(df.column("past_urls")?)?;
    let past_issues = u32_lists(df.column("past_issues")?)?;

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
                number: number.get(row).ok_or_else(|| bad("number", row))?,
                date: date
                    .get(row)
                    .and_then(days_to_date)
                    .ok_or_else(|| bad("date", row))?,
                title: title.get(row).unwrap_or_default().to_string(),
                format: format
                    .get(row)
                    .and_then(|f| f.parse().ok())
                    .ok_or_else(|| bad("format", row))?,
                source: source.get(row).unwrap_or_default().to_string(),
                stated: issue_stated,
                counts: issue_counts,
                withdrawn: withdrawn.get(row).unwrap_or(0),
                paired: paired.get(row).unwrap_or(0),
                translation: translation
                    .get(row)
                    .and_then(|t| t.parse().ok())
                    .ok_or_else(|| bad("translation", row))?,
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
            })
        })
        .collect()
}

pub(super) fn terms_frame(fit: &FittedTfIdf) -> Result<DataFrame> {
    let build = || -> PolarsResult<DataFrame> {
        DataFrame::new(
            fit.terms().len(),
            vec![
                Column::new("term".into(), fit.terms().to_vec()),
                Column::new("df".into(), fit.df().to_vec()),
                Column::new("idf".into(), fit.idf().to_vec()),
                // How each term is shown to people (the word the archive writes most often).
                Column::new("shown".into(), fit.shown().to_vec()),
            ],
        )
    };
    build().map_err(table_error(Path::new(TERMS)))
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
                Column::new("row".into(), rows.clone()),
                Column::new("term".into(), terms.clone()),
                Column::new("weight".into(), weights.clone()),
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
                Column::new("id".into(), topics.iter().map(|t| t.id).collect::<Vec<_>>()),
                Column::new("size".into(), topics.iter().map(|t| t.size).collect::<Vec<_>>()),
                string_list_column("terms", topics.iter().map(|t| &t.terms)),
                string_list_column(
                    "central",
                    topics.iter().map(|t| t.central.iter().map(ToString::to_string)),
                ),
                Column::new("npmi".into(), topics.iter().map(|t| t.npmi).collect::<Vec<_>>()),
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
    DataFrame::new(entries, vec![Column::new("topic".into(), topic)])
        .map_err(table_error(Path::new(ASSIGNMENTS)))
}

pub(super) fn entries_frame(entries: &[Entry]) -> Result<DataFrame> {
    let build = || -> PolarsResult<DataFrame> {
        let columns = vec![
            Column::new(
                "issue".into(),
                entries.iter().map(|e| e.issue).collect::<Vec<_>>(),
            ),
            Column::new(
                "category".into(),
                entries.iter().map(|e| e.category.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "position".into(),
                entries.iter().map(|e| e.position).collect::<Vec<_>>(),
            ),
            Column::new(
                "number".into(),
                entries.iter().map(|e| e.number).collect::<Vec<_>>(),
            ),
            Column::new(
                "title".into(),
                entries.iter().map(|e| e.title.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "url".into(),
                entries.iter().map(|e| e.url.clone()).collect::<Vec<_>>(),
            ),
            string_list_column("links", entries.iter().map(|e| &e.links)),
            Column::new(
                "lang".into(),
                entries.iter().map(|e| e.lang.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "description".into(),
                entries.iter().map(|e| e.description.clone()).collect::<Vec<_>>(),
            ),
            string_list_column("image_alts", entries.iter().map(|e| &e.image_alts)),
            Column::new(
                "en_title".into(),
                entries.iter().map(|e| e.en_title.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "en_description".into(),
                entries
                    .iter()
                    .map(|e| e.en_description.clone())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "withdrawn".into(),
                entries.iter().map(|e| e.withdrawn).collect::<Vec<_>>(),
            ),
            Column::new("line".into(), entries.iter().map(|e| e.line).collect::<Vec<_>>()),
        ];
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
            issue: df.column("issue")?.u32()?,
            category: df.column("category")?.str()?,
            position: df.column("position")?.u32()?,
        })
    }

    pub(super) fn id(&self, row: usize) -> PolarsResult<EntryId> {
        let bad = |what: &str| polars_err!(ComputeError: "row {row}: bad or missing {what}");
        Ok(EntryId {
            issue: self.issue.get(row).ok_or_else(|| bad("issue"))?,
            category: self
                .category
                .get(row)
                .and_then(|c| c.parse().ok())
                .ok_or_else(|| bad("category"))?,
            position: self.position.get(row).ok_or_else(|| bad("position"))?,
        })
    }
}

pub(super) fn entries_from_frame(df: &DataFrame) -> PolarsResult<Vec<Entry>> {
    let ids = IdColumns::of(df)?;
    let number = df.column("number")?.u32()?;
    let title = df.column("title")?.str()?;
    let url = df.column("url")?.str()?;
    let links = string_lists(df.column("links")?)?;
    let lang = df.column("lang")?.str()?;
    let description = df.column("description")?.str()?;
    let image_alts = string_lists(df.column("image_alts")?)?;
    let en_title = df.column("en_title")?.str()?;
    let en_description = df.column("en_description")?.str()?;
    let withdrawn = df.column("withdrawn")?.bool()?;
    let line = df.column("line")?.u32()?;

    let bad = |what: &str, row: usize| polars_err!(ComputeError: "row {row}: bad or missing {what}");
    links
        .into_iter()
        .zip(image_alts)
        .enumerate()
        .map(|(row, (links, image_alts))| {
            let id = ids.id(row)?;
            Ok(Entry {
                issue: id.issue,
                category: id.category,
                position: id.position,
                number: number.get(row),
                title: title.get(row).unwrap_or_default().to_string(),
                url: url.get(row).map(str::to_string),
                links,
                lang: lang
                    .get(row)
                    .and_then(|l| l.parse().ok())
                    .ok_or_else(|| bad("lang", row))?,
                description: description.get(row).unwrap_or_default().to_string(),
                image_alts,
                en_title: en_title.get(row).map(str::to_string),
                en_description: en_description.get(row).map(str::to_string),
                withdrawn: withdrawn.get(row).unwrap_or(false),
                line: line.get(row).unwrap_or(0),
            })
        })
        .collect()
}
