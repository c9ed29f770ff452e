//! Export: the contract other tools read (`weeklens export`).

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;
use polars::prelude::*;

use super::codec::{col, date_column, issues_frame};
use super::table_error;
use crate::error::Result;
use crate::model::{Entry, Issue};

/// The formats `weeklens export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Jsonl,
    Csv,
    Parquet,
}

/// Writes one row per entry (withdrawn placeholders left out) with the contract's columns:
/// `issue, date, category, position, number, title, url, lang, description, en_title,
/// en_description`, then `topic` (the editor's merges applied by the caller).
pub fn export_entries(
    issues: &[Issue],
    entries: &[Entry],
    topics: &[Option<u32>],
    format: ExportFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let dates: std::collections::HashMap<u32, NaiveDate> =
        issues.iter().map(|i| (i.number, i.date)).collect();
    let (rows, topic): (Vec<&Entry>, Vec<Option<u32>>) = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.withdrawn)
        .map(|(i, e)| (e, topics.get(i).copied().flatten()))
        .unzip();
    let build = || -> PolarsResult<DataFrame> {
        let columns = vec![
            Column::new(
                col::ISSUE.into(),
                rows.iter().map(|e| e.issue).collect::<Vec<_>>(),
            ),
            date_column(
                col::DATE,
                rows.iter()
                    .map(|e| dates.get(&e.issue).copied().unwrap_or_default()),
            )?,
            Column::new(
                col::CATEGORY.into(),
                rows.iter().map(|e| e.category.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                col::POSITION.into(),
                rows.iter().map(|e| e.position).collect::<Vec<_>>(),
            ),
            Column::new(
                col::NUMBER.into(),
                rows.iter().map(|e| e.number).collect::<Vec<_>>(),
            ),
            Column::new(
                col::TITLE.into(),
                rows.iter().map(|e| e.title.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                col::URL.into(),
                rows.iter().map(|e| e.url.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                col::LANG.into(),
                rows.iter().map(|e| e.lang.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                col::DESCRIPTION.into(),
                rows.iter().map(|e| e.description.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                col::EN_TITLE.into(),
                rows.iter().map(|e| e.en_title.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                col::EN_DESCRIPTION.into(),
                rows.iter().map(|e| e.en_description.clone()).collect::<Vec<_>>(),
            ),
            Column::new(col::TOPIC.into(), topic.clone()),
        ];
        DataFrame::new(rows.len(), columns)
    };
    let mut df = build().map_err(table_error(Path::new("entries export")))?;
    write_frame(&mut df, format, out, "entries export")
}

/// Writes one row per issue: the issue's fields and its counts per category.
pub fn export_issues(issues: &[Issue], format: ExportFormat, out: &mut dyn Write) -> Result<()> {
    let mut df = issues_frame(issues)?;
    df.rename(col::NUMBER, col::ISSUE.into())
        .map_err(table_error(Path::new("issues export")))?;
    // The store keeps more than the export contract names (the translation's title, the past-years
    // links, which CSV could not hold anyway).
    let mut df = df.drop_many([col::EN_TITLE, col::PAST_URLS, col::PAST_ISSUES, col::PAST_HEADING]);
    write_frame(&mut df, format, out, "issues export")
}

fn write_frame(df: &mut DataFrame, format: ExportFormat, out: &mut dyn Write, what: &str) -> Result<()> {
    let result = match format {
        ExportFormat::Jsonl => JsonWriter::new(out)
            .with_json_format(JsonFormat::JsonLines)
            .finish(df),
        ExportFormat::Csv => CsvWriter::new(out).include_header(true).finish(df),
        ExportFormat::Parquet => ParquetWriter::new(out).finish(df).map(|_| ()),
    };
    result.map_err(table_error(Path::new(what)))
}
