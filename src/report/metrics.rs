//! The editor's reader numbers (`--metrics FILE.csv`): one row per issue, with a header naming
//! at least `issue` and `reads` (any other numeric columns, such as `likes`, are kept in order).
//! [`Metrics::parse`] reads the text with the `csv` crate, as a spreadsheet exports it (quoted
//! fields, a byte-order mark, CRLF); a bad row is an error naming the file and the line.
//! The report's "top 10 by reads" table comes from [`Metrics::top`].

use std::path::{Path, PathBuf};

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}:{line}: {what}", path.display())]
pub struct MetricsError {
    pub path: PathBuf,
    pub line: usize,
    pub what: String,
}

/// One issue's numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricRow {
    pub issue: u32,
    pub reads: u64,
    /// The other columns' values, in the header's order.
    pub more: Vec<u64>,
}

/// The reader numbers of a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    /// The file's name as given, for the report to cite.
    pub file: String,
    /// The header's other columns (`likes`, …).
    pub columns: Vec<String>,
    pub rows: Vec<MetricRow>,
}

impl Metrics {
    /// Reads a metrics CSV; `path` names it in errors. CSV as a spreadsheet exports it: quoted
    /// fields (a quoted comma or line break is the field's), a byte-order mark, CRLF line ends,
    /// blank lines skipped; a number may be written with thousands separators (`"1,234"`). A
    /// column other than `issue` and `reads` whose first row holds text (a title) is left out.
    pub fn parse(path: &Path, text: &str) -> Result<Metrics, MetricsError> {
        let error = |line: usize, what: String| MetricsError {
            path: path.to_path_buf(),
            line,
            what,
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut records = reader.records().filter(|r| {
            // A line of empty fields only (`,,`, as a spreadsheet writes an empty row) is blank.
            r.as_ref().map_or(true, |r| r.iter().any(|c| !c.is_empty()))
        });
        let line_of = |r: &csv::StringRecord| r.position().map_or(1, |p| p.line() as usize);
        let read = |r: Option<Result<csv::StringRecord, csv::Error>>| {
            r.transpose().map_err(|e| {
                let line = e.position().map_or(1, |p| p.line() as usize);
                error(line, format!("not CSV: {e}"))
            })
        };
        let header = read(records.next())?.ok_or_else(|| {
            error(
                1,
                "empty file: expected a header such as `issue,reads,likes`".into(),
            )
        })?;
        let header_line = line_of(&header);
        let names: Vec<String> = header.iter().map(str::to_lowercase).collect();
        let find = |name: &str| names.iter().position(|n| n == name);
        let (Some(issue_col), Some(reads_col)) = (find("issue"), find("reads")) else {
            return Err(error(
                header_line,
                format!(
                    "the header `{}` needs the columns `issue` and `reads`",
                    header.iter().collect::<Vec<_>>().join(",")
                ),
            ));
        };
        let mut others: Option<Vec<usize>> = None;
        let mut rows: Vec<MetricRow> = Vec::new();
        while let Some(record) = read(records.next())? {
            let line = line_of(&record);
            let cells: Vec<&str> = record.iter().collect();
            if cells.len() != names.len() {
                return Err(error(
                    line,
                    format!("{} fields where the header has {}", cells.len(), names.len()),
                ));
            }
            // The other columns are numbers or text as the first row writes them.
            let others = others.get_or_insert_with(|| {
                (0..names.len())
                    .filter(|&k| k != issue_col && k != reads_col && whole(cells[k]).is_some())
                    .collect()
            });
            let number = |k: usize| {
                whole(cells[k]).ok_or_else(|| {
                    error(
                        line,
                        format!(
                            "`{}` in column `{}` is not a whole number ≥ 0",
                            cells[k], names[k]
                        ),
                    )
                })
            };
            let issue = u32::try_from(number(issue_col)?)
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| error(line, format!("`{}` is not an issue number", cells[issue_col])))?;
            if rows.iter().any(|r| r.issue == issue) {
                return Err(error(line, format!("issue {issue} is given twice")));
            }
            rows.push(MetricRow {
                issue,
                reads: number(reads_col)?,
                more: others.iter().map(|&k| number(k)).collect::<Result<_, _>>()?,
            });
        }
        let others = others.unwrap_or_else(|| {
            (0..names.len())
                .filter(|&k| k != issue_col && k != reads_col)
                .collect()
        });
        Ok(Metrics {
            file: path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            columns: others.iter().map(|&k| names[k].clone()).collect(),
            rows,
        })
    }

    /// The `n` issues with the most reads among those `keep` accepts, most first (ties by issue).
    pub fn top(&self, n: usize, keep: impl Fn(u32) -> bool) -> Vec<MetricRow> {
        let mut rows: Vec<MetricRow> = self.rows.iter().filter(|r| keep(r.issue)).cloned().collect();
        rows.sort_by(|a, b| b.reads.cmp(&a.reads).then(a.issue.cmp(&b.issue)));
        rows.truncate(n);
        rows
    }
}

/// A whole number ≥ 0, as written plainly or with thousands separators (`1,234`, `1 234`).
fn whole(cell: &str) -> Option<u64> {
    if let Ok(n) = cell.parse::<u64>() {
        return Some(n);
    }
    let sep = cell
        .chars()
        .find(|c| [',', ' ', '\u{a0}', '\u{202f}'].contains(c))?;
    let groups: Vec<&str> = cell.split(sep).collect();
    let grouped = (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    grouped.then(|| groups.concat().parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Metrics, MetricsError> {
        Metrics::parse(Path::new("reads.csv"), text)
    }

    #[test]
    fn rows_are_read_and_ranked_by_reads() {
        let m = parse("issue,reads,likes\n61,100,3\n62,250,9\n\n63,250,1\n").expect("parses");
        assert_eq!(m.columns, ["likes"]);
        let top: Vec<u32> = m.top(2, |_| true).iter().map(|r| r.issue).collect();
        assert_eq!(top, [62, 63]);
        assert_eq!(m.top(10, |i| i != 62).len(), 2);
    }

    #[test]
    fn bad_rows_name_the_file_and_line() {
        let e = parse("issue,reads\n61,100\n62,lots\n").expect_err("bad number");
        assert_eq!(
            e.to_string(),
            "reads.csv:3: `lots` in column `reads` is not a whole number ≥ 0"
        );
        let e = parse("issue,likes\n61,1\n").expect_err("no reads");
        assert!(e.to_string().starts_with("reads.csv:1: the header"), "{e}");
        let e = parse("issue,reads\n61,1,2\n").expect_err("ragged");
        assert!(e.to_string().starts_with("reads.csv:2: 3 fields"), "{e}");
        let e = parse("issue,reads\n61,1\n61,2\n").expect_err("twice");
        assert!(
            e.to_string().contains("reads.csv:3: issue 61 is given twice"),
            "{e}"
        );
        let e = parse("").expect_err("empty");
        assert!(e.to_string().starts_with("reads.csv:1: empty file"), "{e}");
    }

    #[test]
    fn a_spreadsheets_export_is_read() {
        let text = "\u{feff}\"Issue\",\"Title\",\"Reads\",\"Likes\"\r\n\
            \"61\",\"Python, and more\",\"1,234\",\"12\"\r\n\
            62,\"A \"\"quoted\"\" title\nover two lines\",250,9\r\n\
            \r\n\
            ,,,\r\n\
            63,plain,\"2 500\",0\r\n";
        let m = parse(text).expect("parses");
        assert_eq!(m.columns, ["likes"]);
        let rows: Vec<(u32, u64, Vec<u64>)> = m
            .rows
            .iter()
            .map(|r| (r.issue, r.reads, r.more.clone()))
            .collect();
        assert_eq!(
            rows,
            [(61, 1234, vec![12]), (62, 250, vec![9]), (63, 2500, vec![0])]
        );
        // A bad row after a quoted line break is named by the line it stands on.
        let e = parse("issue,title,reads\n61,\"a\nb\",1\n62,c,\"1,23\"\n").expect_err("bad number");
        assert_eq!(
            e.to_string(),
            "reads.csv:4: `1,23` in column `reads` is not a whole number ≥ 0"
        );
    }
}
