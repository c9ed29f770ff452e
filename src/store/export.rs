//! Export: the contract other tools read (`weeklens export`).

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;
use polars::prelude::*;

use super::codec::{col, date_column, issues_frame};
use super::table_error;
use crate::error::{Error, Result};
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
    let mut df = entries_export_frame(issues, entries, topics)?;
    write_frame(&mut df, format, out, "entries export")
}

fn entries_export_frame(issues: &[Issue], entries: &[Entry], topics: &[Option<u32>]) -> Result<DataFrame> {
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
    build().map_err(table_error(Path::new("entries export")))
}

/// Writes one row per issue: the issue's fields and its counts per category.
pub fn export_issues(issues: &[Issue], format: ExportFormat, out: &mut dyn Write) -> Result<()> {
    let mut df = issues_export_frame(issues)?;
    write_frame(&mut df, format, out, "issues export")
}

fn issues_export_frame(issues: &[Issue]) -> Result<DataFrame> {
    let mut df = issues_frame(issues)?;
    df.rename(col::NUMBER, col::ISSUE.into())
        .map_err(table_error(Path::new("issues export")))?;
    // The store keeps more than the export contract names (the translation's title, the past-years
    // links, which CSV could not hold anyway).
    Ok(df.drop_many([
        col::EN_TITLE,
        col::PAST_URLS,
        col::PAST_ISSUES,
        col::PAST_HEADING,
        col::EN_NAMED,
    ]))
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

/// The column names of each table `weeklens export` writes, in the order it writes them.
fn export_headers() -> Result<[Vec<String>; 2]> {
    let names =
        |df: DataFrame| -> Vec<String> { df.get_column_names().into_iter().map(|n| n.to_string()).collect() };
    Ok([
        names(entries_export_frame(&[], &[], &[])?),
        names(issues_export_frame(&[])?),
    ])
}

/// Whether the file at `path` is one `weeklens export` wrote (so that `export -o` may replace it):
/// empty, or a CSV whose whole first line is one table's header, a JSONL whose first line's keys
/// are one table's columns in order, or a Parquet file whose schema names one table's columns in
/// order (only its footer is read). A user's own file that merely begins alike (an `issue,reads`
/// CSV, a JSONL whose first key is `issue`, any other Parquet file) is not.
pub fn is_an_export(path: &Path) -> Result<bool> {
    use std::io::{BufRead, Read};
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let headers = export_headers()?;
    let is_header = |names: &[String]| headers.iter().any(|h| h.as_slice() == names);
    let file = std::fs::File::open(path).map_err(io)?;
    let mut head = Vec::with_capacity(4);
    (&file).take(4).read_to_end(&mut head).map_err(io)?;
    if head.is_empty() {
        return Ok(true);
    }
    if head == b"PAR1" {
        let schema = ParquetReader::new(file).schema();
        // A file that starts as Parquet but whose footer cannot be read is no export either.
        return Ok(
            schema.is_ok_and(|s| is_header(&s.iter_names().map(|n| n.to_string()).collect::<Vec<_>>()))
        );
    }
    // The first line (at most 16 MiB of it: an export's first line is one row).
    let mut reader = std::io::BufReader::new(std::fs::File::open(path).map_err(io)?).take(1 << 24);
    let mut line = Vec::new();
    reader.read_until(b'\n', &mut line).map_err(io)?;
    let Ok(line) = std::str::from_utf8(&line) else {
        return Ok(false);
    };
    let line = line.strip_suffix('\n').unwrap_or(line);
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.starts_with('{') {
        return Ok(serde_json::from_str::<JsonKeys>(line).is_ok_and(|keys| is_header(&keys.0)));
    }
    Ok(is_header(
        &line.split(',').map(str::to_string).collect::<Vec<_>>(),
    ))
}

/// The keys of a JSON object, in the order they stand (values skipped).
struct JsonKeys(Vec<String>);

impl<'de> serde::Deserialize<'de> for JsonKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = JsonKeys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<JsonKeys, A::Error> {
                let mut keys = Vec::new();
                while let Some((key, serde::de::IgnoredAny)) =
                    map.next_entry::<String, serde::de::IgnoredAny>()?
                {
                    keys.push(key);
                }
                Ok(JsonKeys(keys))
            }
        }
        deserializer.deserialize_map(Keys)
    }
}
